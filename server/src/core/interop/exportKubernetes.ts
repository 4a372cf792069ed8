import { stringify } from 'yaml';
import type { Container, Model, Priority } from '../model/types';
import { nodeSetName } from '../placement/targets';
import { escapeControls } from './controls';
import { dnsText, uniqueLabelValues, uniqueNames } from './k8sNames';
import { formatCpuK8s, formatMemoryK8s } from './quantity';
import { dedicatedNodes, isolatePod, networkAnnotation, tenantHeader, tenantObjects } from './k8sTenants';

export interface ExportOptions {
  /** Prefix of the namespaces (one per target): `<prefix>-<target>`. Default `topo`. */
  readonly namespacePrefix?: string;
}

export interface ExportFile {
  /** A file name (no folder): `<target>.yaml` or `priorityclasses.yaml`. */
  readonly path: string;
  readonly text: string;
}

export interface ExportResult {
  /** Pairwise distinct paths (even ignoring case): no file of one export overwrites another. */
  readonly files: ExportFile[];
}

type KObject = Record<string, unknown>;

export const PRIORITY_VALUES: Record<Priority, number> = { high: 1000000, normal: 0, low: -1000 };
/** The pod label that names the Topo container (selectors of Deployments, spread and colocate). */
const LABEL = 'topo.dev/container';
/** The node label that names a Topo node, `RACK.NODE`: node-set targets select on it. */
export const NODE_LABEL = 'topo.dev/node';
/** The node label of SDS members. */
export const SDS_LABEL = 'topo.dev/sds';
/** Racks are zones: rack targets select on it and `spread racks` spreads over it. */
export const RACK_LABEL = 'topology.kubernetes.io/zone';
const PRIORITY_FILE = 'priorityclasses';

interface TargetGroup {
  /** What the group is, exactly: `rack:r1`, `sds:big`, `nodes:r1.n1,r1.n2`, `unplaced`. */
  id: string;
  /** How a person names it: `rack r1`, `node set r1.n1..n2`. */
  title: string;
  /** The readable part of its file and namespace name. */
  readable: string;
  containers: Container[];
  nodeAffinity: { key: string; values: string[] } | null;
  /** The Topo nodes of a node-set target (empty for the others). */
  nodeIds: number[];
  capacity: { cores: number; memory: number } | null;
  ratio: { cpu: number; memory: number };
}

/** The Kubernetes names of one export: every one unique, valid and bounded (k8sNames.ts). */
interface Names {
  readonly slug: Map<string, string>; // group id -> file and namespace part
  readonly container: Map<number, string>; // container id -> Deployment, container and label name
  readonly node: Map<number, string>; // node id -> topo.dev/node value
  readonly rack: Map<number, string>; // rack id -> zone value
  readonly sds: Map<number, string>; // sds id -> topo.dev/sds value
  readonly tenant: Map<number, string>; // tenant id -> namespace part and topo.dev/tenant value
}

function groups(model: Model, names: Pick<Names, 'node' | 'rack' | 'sds'>): TargetGroup[] {
  const out = new Map<string, TargetGroup>();
  const ratio = { cpu: model.defaults.cpuRatio, memory: model.defaults.memoryRatio };
  const active = (ids: readonly number[]): { cores: number; memory: number } => {
    let cores = 0;
    let memory = 0;
    for (const id of ids) {
      const n = model.nodes[id];
      if (!n || n.role !== 'active') continue;
      cores += n.cores;
      memory += n.memory;
    }
    return { cores, memory };
  };
  for (const c of model.containers) {
    const t = c.target;
    let g: TargetGroup;
    if (!t) g = { id: 'unplaced', title: 'containers without a target', readable: 'unplaced', containers: [], nodeAffinity: null, nodeIds: [], capacity: null, ratio };
    else if (t.kind === 'rack') {
      const rack = model.racks[t.rack];
      const name = rack?.name ?? `rack${t.rack}`;
      g = { id: `rack:${name}`, title: `rack ${name}`, readable: name, containers: [], nodeAffinity: { key: RACK_LABEL, values: [names.rack.get(t.rack) ?? ''] }, nodeIds: [], capacity: active(rack?.nodes ?? []), ratio };
    } else if (t.kind === 'sds') {
      const sds = model.sdses[t.sds];
      const name = sds?.name ?? `sds${t.sds}`;
      const cap = active(sds?.nodes ?? []);
      const count = (sds?.nodes ?? []).filter((id) => model.nodes[id]?.role === 'active').length;
      g = {
        id: `sds:${name}`,
        title: `SDS ${name}`,
        readable: name,
        containers: [],
        nodeAffinity: { key: SDS_LABEL, values: [names.sds.get(t.sds) ?? ''] },
        nodeIds: [],
        capacity: { cores: cap.cores - count * (sds?.reserveCores ?? 0), memory: cap.memory - count * (sds?.reserveMemory ?? 0) },
        ratio: { cpu: sds?.cpuRatio ?? ratio.cpu, memory: sds?.memoryRatio ?? ratio.memory },
      };
    } else {
      const ids = [...new Set(t.nodes)].sort((a, b) => a - b);
      const compact = nodeSetName(model, ids);
      g = {
        id: `nodes:${ids.map((id) => model.nodes[id]?.ref ?? String(id)).join(',')}`,
        title: `node set ${compact}`,
        readable: `nodes-${compact}`,
        containers: [],
        nodeAffinity: { key: NODE_LABEL, values: ids.map((id) => names.node.get(id) ?? '') },
        nodeIds: ids,
        capacity: active(ids),
        ratio,
      };
    }
    const existing = out.get(g.id) ?? g;
    out.set(g.id, existing);
    existing.containers.push(c);
  }
  return [...out.values()];
}

function exportNames(model: Model, prefix: string): Omit<Names, 'slug'> & { slugMax: number } {
  return {
    tenant: keyed(model.tenants, uniqueLabelValues(model.tenants.map((t) => ({ id: `tenant:${t.name}`, text: t.name }))), (t) => `tenant:${t.name}`),
    container: keyed(model.containers, uniqueNames(model.containers.map((c) => ({ id: `container:${c.name}`, text: c.name })), 63), (c) => `container:${c.name}`),
    node: keyed(model.nodes, uniqueLabelValues(model.nodes.map((n) => ({ id: `node:${n.ref}`, text: n.ref }))), (n) => `node:${n.ref}`),
    rack: keyed(model.racks, uniqueLabelValues(model.racks.map((r) => ({ id: `rack:${r.name}`, text: r.name }))), (r) => `rack:${r.name}`),
    sds: keyed(model.sdses, uniqueLabelValues(model.sdses.map((s) => ({ id: `sds:${s.name}`, text: s.name }))), (s) => `sds:${s.name}`),
    // a namespace `<prefix>-<slug>` is a DNS label of at most 63 characters
    slugMax: Math.max(16, 63 - prefix.length - 1),
  };
}

function keyed<T extends { readonly id: number }>(items: readonly T[], names: Map<string, string>, idOf: (t: T) => string): Map<number, string> {
  return new Map(items.map((t) => [t.id, names.get(idOf(t)) ?? '']));
}

/**
 * One manifest set per target (a file `<target>.yaml`: Namespace, ResourceQuota, Deployments)
 * and the PriorityClasses in `priorityclasses.yaml`. Names are unique and valid Kubernetes
 * names (see k8sNames.ts): two targets never share a file or a namespace, two containers never
 * share a Deployment or label, and node-set targets select their nodes by the qualified label
 * `topo.dev/node=RACK.NODE`, never by a bare node name that several racks may use.
 */
export function exportKubernetes(model: Model, options: ExportOptions = {}): ExportResult {
  const prefix = dnsText(options.namespacePrefix ?? 'topo') || 'topo';
  const base = exportNames(model, prefix);
  const targets = groups(model, base);
  // a tenant's containers go to its own namespace (below); a target's group keeps the others
  const targetOf = new Map<number, TargetGroup>();
  for (const g of targets) for (const c of g.containers) targetOf.set(c.id, g);
  const gs = targets.map((g) => ({ ...g, containers: g.containers.filter((c) => c.tenant === null) })).filter((g) => g.containers.length > 0);
  const tenantIds = model.tenants.map((t) => `tenant:${t.name}`);
  const slug = uniqueNames([...gs.map((g) => ({ id: g.id, text: g.readable })), ...model.tenants.map((t) => ({ id: `tenant:${t.name}`, text: base.tenant.get(t.id) ?? t.name }))], base.slugMax, new Set([PRIORITY_FILE]));
  const names: Names = { ...base, slug };
  const files: ExportFile[] = [];
  const namespaceOf = new Map<number, string>();
  for (const g of gs) for (const c of g.containers) namespaceOf.set(c.id, `${prefix}-${slug.get(g.id) ?? ''}`);
  for (const c of model.containers) {
    const t = c.tenant === null ? undefined : model.tenants[c.tenant];
    if (t) namespaceOf.set(c.id, `${prefix}-${slug.get(`tenant:${t.name}`) ?? ''}`);
  }
  const used = new Set<Priority>(model.containers.map((c) => c.priority));
  if (used.size > 0) {
    const classes = (['high', 'normal', 'low'] as const).filter((p) => used.has(p)).map(priorityClass);
    files.push({ path: `${PRIORITY_FILE}.yaml`, text: toYaml(classes) });
  }
  for (const g of gs) {
    const ns = `${prefix}-${slug.get(g.id) ?? ''}`;
    const objects: KObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }];
    if (g.capacity) objects.push(capacityQuota(g, ns));
    for (const c of g.containers) objects.push(deployment(model, c, ns, g, namespaceOf, names));
    files.push({ path: `${slug.get(g.id) ?? ''}.yaml`, text: `${header(model, g, ns, names).map((l) => `# ${escapeControls(l)}`).join('\n')}\n${toYaml(objects)}` });
  }
  const dedicated = dedicatedNodes(model);
  model.tenants.forEach((t, i) => {
    const id = tenantIds[i] ?? '';
    const ns = `${prefix}-${slug.get(id) ?? ''}`;
    const label = names.tenant.get(t.id) ?? t.name;
    const objects = tenantObjects(t, ns, label);
    const lines = [`Topo export of tenant ${t.name} (namespace ${ns}, isolation ${t.isolation}).`, ...tenantHeader(model, t, label, dedicated.get(t.id) ?? [])];
    for (const c of model.containers) {
      const g = targetOf.get(c.id);
      if (c.tenant !== t.id || !g) continue;
      objects.push(deployment(model, c, ns, g, namespaceOf, names));
      if (g.nodeAffinity && !lines.some((l) => l.includes(`by the label ${g.nodeAffinity?.key ?? ''}`))) lines.push(...header(model, g, ns, names).slice(1));
    }
    files.push({ path: `${slug.get(id) ?? ''}.yaml`, text: `${lines.map((l) => `# ${escapeControls(l)}`).join('\n')}\n${toYaml(objects)}` });
  });
  return { files };
}

/** A target's namespace quota: its active capacity, and the limits its oversubscription allows. */
function capacityQuota(g: TargetGroup, ns: string): KObject {
  const capacity = g.capacity ?? { cores: 0, memory: 0 };
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'topo-capacity', namespace: ns, annotations: { 'topo.dev/oversubscribe': `cpu ${g.ratio.cpu} memory ${g.ratio.memory}` } },
    spec: {
      hard: {
        'requests.cpu': formatCpuK8s(capacity.cores),
        'requests.memory': formatMemoryK8s(capacity.memory),
        'limits.cpu': formatCpuK8s(capacity.cores * g.ratio.cpu),
        'limits.memory': formatMemoryK8s(Math.floor(capacity.memory * g.ratio.memory)),
      },
    },
  };
}

/**
 * What a person needs to know to apply the file: the target, and the node labels its pods
 * select on, as the commands that set them (one per Topo node for a node set).
 */
function header(model: Model, g: TargetGroup, ns: string, names: Names): string[] {
  const lines = [`Topo export of ${g.title} (namespace ${ns}).`];
  const a = g.nodeAffinity;
  if (!a) return [...lines, 'These containers have no target: their pods may go to any node.'];
  lines.push(`Its pods select nodes by the label ${a.key}. Label the machines once`, `(<...> is a machine's Kubernetes node name):`);
  if (a.key === NODE_LABEL) {
    for (const id of g.nodeIds) lines.push(`  kubectl label node <${model.nodes[id]?.ref ?? id}'s name> ${NODE_LABEL}=${names.node.get(id) ?? ''}`);
  } else lines.push(`  kubectl label node <each node of ${g.title}> ${a.key}=${a.values.join(',')}`);
  return lines;
}

/**
 * Paths that occur more than once, ignoring case (macOS and Windows file systems do): writing
 * such a list would overwrite one file with another. Writers check it before writing anything.
 */
export function duplicatePaths(files: readonly { readonly path: string }[]): string[] {
  const seen = new Map<string, string>();
  const dup = new Set<string>();
  for (const f of files) {
    const k = f.path.toLowerCase();
    const prev = seen.get(k);
    if (prev !== undefined) {
      dup.add(prev);
      dup.add(f.path);
    } else seen.set(k, f.path);
  }
  return [...dup];
}

function priorityClass(p: Priority): KObject {
  return {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: `topo-${p}` },
    value: PRIORITY_VALUES[p],
    globalDefault: false,
    description: `Topo priority ${p}`,
  };
}

function deployment(model: Model, c: Container, ns: string, g: TargetGroup, namespaceOf: Map<number, string>, names: Names): KObject {
  const name = names.container.get(c.id) ?? 'x';
  const labels = { [LABEL]: name };
  const container: KObject = {
    name,
    resources: {
      requests: { cpu: formatCpuK8s(c.cpuRequest), memory: formatMemoryK8s(c.memoryRequest) },
      limits: { cpu: formatCpuK8s(c.cpuLimit), memory: formatMemoryK8s(c.memoryLimit) },
    },
  };
  if (c.image !== null) container.image = c.image;
  const pod: KObject = { containers: [container], priorityClassName: `topo-${c.priority}` };
  const affinity: KObject = {};
  if (g.nodeAffinity) {
    affinity.nodeAffinity = {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: g.nodeAffinity.key, operator: 'In', values: g.nodeAffinity.values }] }],
      },
    };
  }
  if (c.colocate) {
    const other = model.containers[c.colocate.container];
    if (other) {
      affinity.podAffinity = {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { [LABEL]: names.container.get(other.id) ?? '' } }, topologyKey: g.nodeAffinity?.key === SDS_LABEL ? SDS_LABEL : 'kubernetes.io/hostname', namespaces: [namespaceOf.get(other.id) ?? ns] },
        ],
      };
    }
  }
  if (c.spread) {
    const topologyKey = c.spread === 'racks' ? RACK_LABEL : 'kubernetes.io/hostname';
    // `spread nodes even` (racks): replica counts per node (rack) within one of each other, which
    // is a spread constraint with maxSkew 1; `spread nodes` (racks): replicas on distinct nodes
    // (racks), which is required anti-affinity to the container's own pods
    if (c.spreadEven) pod.topologySpreadConstraints = [{ maxSkew: 1, topologyKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels } }];
    else affinity.podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey }] };
  }
  if (Object.keys(affinity).length > 0) pod.affinity = affinity;
  const tenant = c.tenant === null ? undefined : model.tenants[c.tenant];
  if (tenant) isolatePod(tenant, names.tenant.get(tenant.id) ?? tenant.name, ns, pod, g.nodeAffinity ? { key: g.nodeAffinity.key, operator: 'In', values: g.nodeAffinity.values } : null);
  const annotations: Record<string, string> = { ...networkAnnotation(c) };
  // the Topo name, when the Kubernetes one differs (import takes it back)
  if (name !== c.name) annotations['topo.dev/name'] = c.name;
  if (c.talks.length > 0) {
    annotations['topo.dev/talks'] = c.talks.map((t) => `${names.container.get(t.container) ?? '?'} ${Math.round(t.weight * 100)}%`).join(', ');
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: { replicas: c.replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: pod } },
  };
}

function toYaml(objects: readonly KObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}
