import { stringify } from 'yaml';
import type { Container, Model, Priority } from '../model/types';
import { formatCpuK8s, formatMemoryK8s } from './quantity';

export interface ExportOptions {
  /** Prefix of the namespaces (one per target): `<prefix>-<target>`. Default `topo`. */
  readonly namespacePrefix?: string;
}

export interface ExportResult {
  readonly files: { path: string; text: string }[];
}

type KObject = Record<string, unknown>;

export const PRIORITY_VALUES: Record<Priority, number> = { high: 1000000, normal: 0, low: -1000 };
const LABEL = 'topo.dev/container';

interface TargetGroup {
  key: string;
  name: string;
  containers: Container[];
  nodeAffinity: { key: string; values: string[] } | null;
  capacity: { cores: number; memory: number } | null;
  ratio: { cpu: number; memory: number };
}

function dns(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'x';
}

function groups(model: Model): TargetGroup[] {
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
    if (!t) g = { key: 'unplaced', name: 'unplaced', containers: [], nodeAffinity: null, capacity: null, ratio };
    else if (t.kind === 'rack') {
      const rack = model.racks[t.rack];
      g = { key: `rack:${t.rack}`, name: rack?.name ?? 'rack', containers: [], nodeAffinity: { key: 'topology.kubernetes.io/zone', values: [rack?.name ?? ''] }, capacity: active(rack?.nodes ?? []), ratio };
    } else if (t.kind === 'sds') {
      const sds = model.sdses[t.sds];
      const cap = active(sds?.nodes ?? []);
      const count = (sds?.nodes ?? []).filter((id) => model.nodes[id]?.role === 'active').length;
      g = {
        key: `sds:${t.sds}`,
        name: sds?.name ?? 'sds',
        containers: [],
        nodeAffinity: { key: 'topo.dev/sds', values: [sds?.name ?? ''] },
        capacity: { cores: cap.cores - count * (sds?.reserveCores ?? 0), memory: cap.memory - count * (sds?.reserveMemory ?? 0) },
        ratio: { cpu: sds?.cpuRatio ?? ratio.cpu, memory: sds?.memoryRatio ?? ratio.memory },
      };
    } else {
      const names = t.nodes.map((id) => model.nodes[id]?.name ?? '');
      const key = `nodes:${[...t.nodes].sort((a, b) => a - b).join(',')}`;
      g = { key, name: `nodes-${names.join('-')}`, containers: [], nodeAffinity: { key: 'kubernetes.io/hostname', values: names }, capacity: active(t.nodes), ratio };
    }
    const existing = out.get(g.key) ?? g;
    out.set(g.key, existing);
    existing.containers.push(c);
  }
  return [...out.values()];
}

/** One manifest set per target: Namespace, ResourceQuota, Deployments; PriorityClasses in their own file. */
export function exportKubernetes(model: Model, options: ExportOptions = {}): ExportResult {
  const prefix = options.namespacePrefix ?? 'topo';
  const files: { path: string; text: string }[] = [];
  const gs = groups(model);
  const namespaceOf = new Map<number, string>();
  for (const g of gs) for (const c of g.containers) namespaceOf.set(c.id, dns(`${prefix}-${g.name}`));
  const used = new Set<Priority>(model.containers.map((c) => c.priority));
  if (used.size > 0) {
    const classes = (['high', 'normal', 'low'] as const).filter((p) => used.has(p)).map(priorityClass);
    files.push({ path: 'priorityclasses.yaml', text: toYaml(classes) });
  }
  for (const g of gs) {
    const ns = dns(`${prefix}-${g.name}`);
    const objects: KObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }];
    if (g.capacity) {
      objects.push({
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'topo-capacity', namespace: ns, annotations: { 'topo.dev/oversubscribe': `cpu ${g.ratio.cpu} memory ${g.ratio.memory}` } },
        spec: {
          hard: {
            'requests.cpu': formatCpuK8s(g.capacity.cores),
            'requests.memory': formatMemoryK8s(g.capacity.memory),
            'limits.cpu': formatCpuK8s(g.capacity.cores * g.ratio.cpu),
            'limits.memory': formatMemoryK8s(Math.floor(g.capacity.memory * g.ratio.memory)),
          },
        },
      });
    }
    for (const c of g.containers) objects.push(deployment(model, c, ns, g, namespaceOf));
    files.push({ path: `${dns(g.name)}.yaml`, text: toYaml(objects) });
  }
  return { files };
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

function deployment(model: Model, c: Container, ns: string, g: TargetGroup, namespaceOf: Map<number, string>): KObject {
  const name = dns(c.name);
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
          { labelSelector: { matchLabels: { [LABEL]: dns(other.name) } }, topologyKey: g.nodeAffinity?.key === 'topo.dev/sds' ? 'topo.dev/sds' : 'kubernetes.io/hostname', namespaces: [namespaceOf.get(other.id) ?? ns] },
        ],
      };
    }
  }
  if (Object.keys(affinity).length > 0) pod.affinity = affinity;
  if (c.spread) {
    pod.topologySpreadConstraints = [
      { maxSkew: 1, topologyKey: c.spread === 'racks' ? 'topology.kubernetes.io/zone' : 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels } },
    ];
  }
  const annotations: Record<string, string> = {};
  if (c.talks.length > 0) {
    annotations['topo.dev/talks'] = c.talks.map((t) => `${model.containers[t.container]?.name ?? '?'} ${Math.round(t.weight * 100)}%`).join(', ');
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
