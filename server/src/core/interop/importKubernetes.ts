import { hasControls } from './controls';
import { ASSUMED_OVERSUBSCRIBE, emitTopo, placeholderRacks, topoName, type ImportedContainer, type ImportedRack, type ImportResult, type InteropMessage } from './emit';
import { podContainers, podOverhead, podResources } from './k8sPod';
import { RACK_LABELS, selects, spreadOf } from './k8sSpread';
import { importTenants } from './k8sTenantsImport';
import { cpuMillis, memoryBytes } from './quantity';
import { asArray, asString, isRecord, parseYamlDocs, type LocatedDoc } from './yamlDocs';

type Path = (string | number)[];
interface Obj {
  readonly src: LocatedDoc;
  readonly path: Path;
  readonly value: Record<string, unknown>;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'Job', 'CronJob', 'ReplicationController']);
const CONTAINER_KEYS = new Set(['name', 'image', 'resources', 'env', 'imagePullPolicy', 'restartPolicy']);

interface Workload {
  obj: Obj;
  kind: string;
  name: string;
  podPath: Path; // path of the pod spec
  pod: Record<string, unknown>;
  labels: Record<string, string>;
  replicas: number;
  /** True when the kind has spec.replicas and the manifest does not set it. */
  replicasDefaulted: boolean;
  /** The Topo container of the pod (set by buildContainer). */
  container?: ImportedContainer;
}

/** Imports Kubernetes manifests (and optionally a node dump) into a .topo file. */
export function importKubernetes(docs: readonly { path: string; text: string }[]): ImportResult {
  const notes: InteropMessage[] = [];
  const errors: InteropMessage[] = [];
  const objects: Obj[] = [];
  for (const d of docs) {
    for (const src of parseYamlDocs(d.path, d.text, errors)) collect(src, [], src.value, objects, errors);
  }
  const used = new Set<string>();
  const workloads: Workload[] = [];
  const services: Obj[] = [];
  const priorityClasses = new Map<string, number>();
  const nodeObjs: Obj[] = [];
  const tenantObjs: Record<'Namespace' | 'ResourceQuota' | 'RuntimeClass', Obj[]> = { Namespace: [], ResourceQuota: [], RuntimeClass: [] };
  for (const o of objects) {
    const kind = asString(o.value.kind) ?? '';
    const name = asString(isRecord(o.value.metadata) ? o.value.metadata.name : undefined);
    if (kind === 'Node') nodeObjs.push(o);
    else if (kind === 'Namespace' || kind === 'ResourceQuota' || kind === 'RuntimeClass') tenantObjs[kind].push(o);
    else if (kind === 'Service') services.push(o);
    else if (kind === 'PriorityClass') {
      const v = typeof o.value.value === 'number' ? o.value.value : 0;
      if (name) priorityClasses.set(name, v);
    } else if (WORKLOADS.has(kind)) {
      if (!name) {
        errors.push(o.src.at([...o.path, 'metadata'], `${kind} without metadata.name`));
        continue;
      }
      const w = workload(o, kind, name, errors);
      if (w) workloads.push(w);
    } else notes.push(o.src.at(o.path, `${kind || 'object without kind'}${name ? ` ${name}` : ''} has no Topo equivalent; not imported`));
  }
  const racks = importNodes(nodeObjs, notes, errors);
  const nodeCount = racks.reduce((n, r) => n + r.nodes.length, 0);
  // Containers first (names are needed for talks and colocate).
  for (const w of workloads) buildContainer(w, used, priorityClasses, nodeCount, notes, errors);
  // Service name -> the container of the workload its selector matches.
  const byAddress = new Map<string, string>();
  for (const w of workloads) if (w.container) byAddress.set(w.name, w.container.name);
  for (const s of services) {
    const meta = isRecord(s.value.metadata) ? s.value.metadata : {};
    const sname = asString(meta.name);
    const spec = isRecord(s.value.spec) ? s.value.spec : {};
    const selector = isRecord(spec.selector) ? spec.selector : undefined;
    if (!sname) continue;
    const target = selector ? workloads.find((w) => Object.entries(selector).every(([k, v]) => w.labels[k] === asString(v))) : undefined;
    const first = target?.container;
    if (first) byAddress.set(sname, first.name);
    notes.push(s.src.at(s.path, `Service ${sname}${first ? ` (selects ${first.name})` : ''}: used to resolve addresses into talks; ports and load balancing have no Topo equivalent`));
  }
  for (const w of workloads) findTalks(w, byAddress, workloads, notes);
  const tenants = importTenants(tenantObjs.Namespace, tenantObjs.ResourceQuota, tenantObjs.RuntimeClass, workloads, used, topoName, notes, errors);
  const containers = workloads.flatMap((w) => (w.container ? [w.container] : []));
  let allRacks = racks;
  if (racks.length === 0) {
    allRacks = placeholderRacks(containers, new Set(tenants.filter((t) => t.isolation === 'dedicated').map((t) => t.name)));
    notes.push({ file: docs[0]?.path ?? '', line: 1, column: 1, message: 'no Node objects given: generated a placeholder rack `imported` sized to hold the workloads; replace it with your hardware' });
  }
  const header = [`Imported from Kubernetes manifests: ${docs.map((d) => d.path).join(', ')}`, 'Review the notes printed by `topo import`; every mapping with a default is listed there.'];
  const text = emitTopo(header, allRacks, containers, [], tenants);
  if (text.includes(ASSUMED_OVERSUBSCRIBE)) notes.push({ file: docs[0]?.path ?? '', line: 1, column: 1, message: `limits above requests: wrote \`defaults { ${ASSUMED_OVERSUBSCRIBE} }\` as an assumed allowance; set it to your policy` });
  return { text, notes, errors };
}

function collect(src: LocatedDoc, path: Path, value: unknown, out: Obj[], errors: InteropMessage[]): void {
  if (!isRecord(value)) {
    errors.push(src.at(path, 'not a Kubernetes object (expected a mapping with apiVersion and kind)'));
    return;
  }
  if (value.kind === 'List' || (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items))) {
    asArray(value.items).forEach((item, i) => collect(src, [...path, 'items', i], item, out, errors));
    return;
  }
  if (typeof value.kind !== 'string') {
    errors.push(src.at(path, 'object without `kind`'));
    return;
  }
  out.push({ src, path, value });
}

function workload(o: Obj, kind: string, name: string, errors: InteropMessage[]): Workload | undefined {
  const spec = isRecord(o.value.spec) ? o.value.spec : undefined;
  let podPath: Path;
  let pod: unknown;
  let labels: unknown;
  let replicas = 1;
  let replicasDefaulted = false;
  if (kind === 'Pod') {
    podPath = [...o.path, 'spec'];
    pod = spec;
    labels = isRecord(o.value.metadata) ? o.value.metadata.labels : undefined;
  } else if (kind === 'CronJob') {
    const jt = isRecord(spec?.jobTemplate) ? spec.jobTemplate : undefined;
    const jspec = isRecord(jt?.spec) ? jt.spec : undefined;
    const tpl = isRecord(jspec?.template) ? jspec.template : undefined;
    podPath = [...o.path, 'spec', 'jobTemplate', 'spec', 'template', 'spec'];
    pod = tpl?.spec;
    labels = isRecord(tpl?.metadata) ? tpl.metadata.labels : undefined;
    replicas = typeof jspec?.parallelism === 'number' ? jspec.parallelism : 1;
  } else {
    const tpl = isRecord(spec?.template) ? spec.template : undefined;
    podPath = [...o.path, 'spec', 'template', 'spec'];
    pod = tpl?.spec;
    labels = isRecord(tpl?.metadata) ? tpl.metadata.labels : undefined;
    if (kind === 'Job') replicas = typeof spec?.parallelism === 'number' ? spec.parallelism : 1;
    else if (kind !== 'DaemonSet' && !(spec && 'replicas' in spec)) replicasDefaulted = true;
    else if (spec && 'replicas' in spec) {
      if (typeof spec.replicas === 'number' && Number.isInteger(spec.replicas) && spec.replicas >= 0) replicas = spec.replicas;
      else {
        errors.push(o.src.at([...o.path, 'spec', 'replicas'], `${kind} ${name}: replicas must be a non-negative integer`));
        return undefined;
      }
    }
  }
  if (!isRecord(pod) || asArray(pod.containers).length === 0) {
    errors.push(o.src.at(podPath.slice(0, -1), `${kind} ${name}: no pod template with containers`));
    return undefined;
  }
  const lab: Record<string, string> = {};
  if (isRecord(labels)) for (const [k, v] of Object.entries(labels)) lab[k] = asString(v) ?? '';
  return { obj: o, kind, name, podPath, pod, labels: lab, replicas, replicasDefaulted, container: undefined };
}

/** Keys of each workload kind's spec that import reads (the others are noted). */
const SPEC_KEYS: Record<string, readonly string[]> = {
  Deployment: ['replicas', 'selector', 'template', 'strategy'],
  StatefulSet: ['replicas', 'selector', 'template', 'volumeClaimTemplates'],
  DaemonSet: ['selector', 'template'],
  ReplicaSet: ['replicas', 'selector', 'template'],
  ReplicationController: ['replicas', 'selector', 'template'],
  Job: ['parallelism', 'completions', 'template'],
  CronJob: ['schedule', 'jobTemplate'],
};
/** Keys of a pod spec that import reads. */
const POD_KEYS = new Set(['containers', 'initContainers', 'affinity', 'topologySpreadConstraints', 'priorityClassName', 'priority', 'overhead', 'runtimeClassName', 'tolerations']);

/** A Topo identifier written by `topo export k8s` in the annotation `topo.dev/name`. */
function exportedName(w: Workload): string | undefined {
  const meta = isRecord(w.obj.value.metadata) ? w.obj.value.metadata : {};
  const v = asString(isRecord(meta.annotations) ? meta.annotations['topo.dev/name'] : undefined);
  return v !== undefined && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(v) && !v.endsWith('-') ? v : undefined;
}

/**
 * The workload's Topo container: one per pod (its containers always run together, so every
 * replica keeps its sidecars), with the pod's requests and limits (k8sPod.ts), its spread and
 * colocate, and notes for every value filled in and everything not imported.
 */
function buildContainer(w: Workload, used: Set<string>, classes: Map<string, number>, nodeCount: number, notes: InteropMessage[], errors: InteropMessage[]): void {
  const { obj, kind, name, pod, podPath } = w;
  const label = `${kind} ${name}`;
  let replicas = w.replicas;
  if (kind === 'DaemonSet') {
    if (nodeCount > 0) replicas = nodeCount;
    else {
      replicas = 1;
      notes.push(obj.src.at(obj.path, `DaemonSet ${name}: one replica per node, but no nodes were given; imported with replicas 1`));
    }
  } else if (kind === 'Job' || kind === 'CronJob') notes.push(obj.src.at(obj.path, `${kind} ${name}: imported as a container with replicas = parallelism (${replicas}); completions and schedules have no Topo equivalent`));
  else if (w.replicasDefaulted) notes.push(obj.src.at([...obj.path, 'spec'], `${label}: no spec.replicas; imported with replicas 1 (the Kubernetes default; an autoscaler may set more)`));
  if (replicas === 0) {
    notes.push(obj.src.at(obj.path, `${label}: replicas 0; imported with replicas 1 (Topo needs at least one)`));
    replicas = 1;
  }
  const members = podContainers(obj.src, pod, podPath, label, notes, errors);
  const app = members.filter((m) => m.role === 'app');
  const first = app[0];
  if (!first) return;
  const preferred = exportedName(w);
  const cname = topoName(preferred !== undefined && !used.has(preferred) ? preferred : name, used);
  const c: ImportedContainer = { name: cname, replicas, talks: [], comments: [] };
  const spread = spreadOf(obj.src, pod, podPath, w.labels, label, notes);
  if (spread) [c.spread, c.even] = [spread.domain, spread.even];
  c.colocate = colocateOf(w, notes);
  const priority = priorityOf(w, classes, notes);
  if (priority) c.priority = priority;
  if (first.image) c.image = first.image;
  const { resources, filled } = podResources(members, podOverhead(obj.src, pod, podPath, errors));
  Object.assign(c, resources);
  if (members.length > 1) {
    const list = members.map((m) => `${m.name}${m.image ? ` (${m.image})` : ''}${m.role === 'app' ? '' : ` [${m.role === 'sidecar' ? 'sidecar' : 'init'}]`}`).join(', ');
    const inits = members.some((m) => m.role === 'init') ? '; init containers count as the scheduler counts them (the larger of the largest init container and the sum)' : '';
    notes.push(obj.src.at([...podPath, 'containers'], `${label}: the pod's ${members.length} containers ${list} imported as one Topo container ${cname} with their requests and limits summed${inits} (they always run together; image of ${first.name} kept)`));
    c.comments.push(`${label}: one pod of ${members.length} containers, imported as one container:`, ...members.map((m) => `  ${m.name}${m.image ? ` ${m.image}` : ''}${m.role === 'app' ? '' : ` (${m.role})`}`));
  }
  if (filled.length > 0) notes.push(obj.src.at(podPath, `${label}: filled in ${filled.join('; ')}`));
  for (const m of members) {
    const skipped = Object.keys(m.raw).filter((k) => !CONTAINER_KEYS.has(k));
    if (skipped.length > 0) {
      notes.push(obj.src.at([...m.path, skipped[0] ?? ''], `${label} container ${m.name}: ${skipped.join(', ')} ha${skipped.length === 1 ? 's' : 've'} no Topo equivalent; kept as a comment`));
      c.comments.push(`${label} container ${m.name}; not expressible in Topo:`, ...skipped.map((k) => `${k}: ${JSON.stringify(m.raw[k])}`));
    }
  }
  if (hasControls(c.image ?? '')) notes.push(obj.src.at([...first.path, 'image'], `${label}: the image name holds control characters; written with them escaped`));
  notePodKeys(w, notes);
  noteSpecKeys(w, notes);
  w.container = c;
}

/** Pod spec keys import does not read: one note per workload (node selection gets its hint). */
function notePodKeys(w: Workload, notes: InteropMessage[]): void {
  const label = `${w.kind} ${w.name}`;
  const affinity = isRecord(w.pod.affinity) ? w.pod.affinity : {};
  if (isRecord(affinity.nodeAffinity)) notes.push(w.obj.src.at([...w.podPath, 'affinity', 'nodeAffinity'], `${w.name}: node affinity is not imported (use \`place on\`)`));
  if (w.pod.nodeSelector !== undefined) notes.push(w.obj.src.at([...w.podPath, 'nodeSelector'], `${label}: nodeSelector has no Topo equivalent; not imported (use \`place on\`)`));
  const rest = Object.keys(w.pod).filter((k) => !POD_KEYS.has(k) && k !== 'nodeSelector');
  const [first] = rest;
  if (first !== undefined) notes.push(w.obj.src.at([...w.podPath, first], `${label}: pod spec ${rest.join(', ')} ha${rest.length === 1 ? 's' : 've'} no Topo equivalent; not imported`));
}

/** Workload spec keys import does not read; a StatefulSet's volume claims and a rollout's surge get their own words. */
function noteSpecKeys(w: Workload, notes: InteropMessage[]): void {
  const spec = isRecord(w.obj.value.spec) ? w.obj.value.spec : undefined;
  const known = SPEC_KEYS[w.kind];
  if (!spec || !known) return;
  const label = `${w.kind} ${w.name}`;
  const at = (k: string): Path => [...w.obj.path, 'spec', k];
  if (w.kind === 'StatefulSet' && spec.volumeClaimTemplates !== undefined) {
    const claims = asArray(spec.volumeClaimTemplates).map((t) => {
      const meta = isRecord(t) && isRecord(t.metadata) ? t.metadata : {};
      const tspec = isRecord(t) && isRecord(t.spec) ? t.spec : {};
      const res = isRecord(tspec.resources) && isRecord(tspec.resources.requests) ? tspec.resources.requests : {};
      return `${asString(meta.name) ?? '?'}${asString(res.storage) ? ` ${asString(res.storage)}` : ''}`;
    });
    notes.push(w.obj.src.at(at('volumeClaimTemplates'), `${label}: volumeClaimTemplates (${claims.join(', ') || 'none'}) not imported: Topo models no volumes; each replica also needs its claim`));
  }
  if (w.kind === 'Deployment') {
    const strategy = isRecord(spec.strategy) ? spec.strategy : {};
    if (strategy.type !== 'Recreate') {
      const ru = isRecord(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
      const surge = asString(ru.maxSurge) ?? '25%';
      notes.push(w.obj.src.at(spec.strategy === undefined ? [...w.obj.path, 'spec'] : at('strategy'), `${label}: a rolling update runs up to maxSurge ${surge}${ru.maxSurge === undefined ? ' (the default)' : ''} extra pods at once; Topo does not count them (headroom covers it only if it is large enough)`));
    }
  }
  for (const k of Object.keys(spec)) {
    if (known.includes(k)) continue;
    notes.push(w.obj.src.at(at(k), `${label}: spec.${k} has no Topo equivalent; not imported`));
  }
}

/** The colocate of a pod template (a placeholder resolved once every container has its name). */
function colocateOf(w: Workload, notes: InteropMessage[]): string | undefined {
  const affinity = isRecord(w.pod.affinity) ? w.pod.affinity : {};
  const aff = isRecord(affinity.podAffinity) ? affinity.podAffinity : {};
  let colocate: string | undefined;
  for (const mode of ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution']) {
    asArray(aff[mode]).forEach((term, i) => {
      const at = [...w.podPath, 'affinity', 'podAffinity', mode, i];
      const t = isRecord(term) && isRecord(term.podAffinityTerm) ? term.podAffinityTerm : term;
      const sel = isRecord(t) && isRecord(t.labelSelector) ? t.labelSelector : undefined;
      if (!sel || !isRecord(sel.matchLabels) || Object.keys(sel.matchLabels).length === 0) {
        notes.push(w.obj.src.at(at, `${w.name}: pod affinity without matchLabels; ignored`));
        return;
      }
      if (selects(sel, w.labels)) {
        notes.push(w.obj.src.at(at, `${w.name}: pod affinity to its own pods (all replicas together) has no Topo equivalent; ignored`));
        return;
      }
      if (colocate) {
        notes.push(w.obj.src.at(at, `${w.name}: a second pod affinity term; Topo colocates with one container: ignored`));
        return;
      }
      colocate = `@label:${JSON.stringify(sel.matchLabels)}`;
    });
  }
  return colocate;
}

function priorityOf(w: Workload, classes: Map<string, number>, notes: InteropMessage[]): 'low' | 'normal' | 'high' | undefined {
  const cls = asString(w.pod.priorityClassName);
  const at = [...w.podPath, 'priorityClassName'];
  let level: 'low' | 'normal' | 'high' | undefined;
  let why = '';
  if (cls !== undefined) {
    const value = classes.get(cls);
    if (/critical|high|important|prod/i.test(cls)) [level, why] = ['high', 'its name'];
    else if (/low|batch|best-?effort|preempt/i.test(cls)) [level, why] = ['low', 'its name'];
    else if (value !== undefined) [level, why] = [value >= 1000000 ? 'high' : value < 0 ? 'low' : 'normal', `its value ${value}`];
    else [level, why] = ['normal', 'no hint in name or value'];
    notes.push(w.obj.src.at(at, `${w.name}: priorityClassName ${cls} mapped to priority ${level} (by ${why})`));
  } else if (typeof w.pod.priority === 'number') {
    level = w.pod.priority >= 1000000 ? 'high' : w.pod.priority < 0 ? 'low' : 'normal';
    notes.push(w.obj.src.at([...w.podPath, 'priority'], `${w.name}: priority ${w.pod.priority} mapped to ${level}`));
  }
  return level;
}

/** Env values naming `service:port` or `scheme://service` of another workload become talks. */
function findTalks(w: Workload, byAddress: Map<string, string>, all: readonly Workload[], notes: InteropMessage[]): void {
  const c = w.container;
  if (!c) return;
  const meta = isRecord(w.obj.value.metadata) ? w.obj.value.metadata : {};
  const annotated = asString(isRecord(meta.annotations) ? meta.annotations['topo.dev/talks'] : undefined);
  if (annotated) {
    // written by `topo export k8s`: "api 20%, db 10%"
    for (const part of annotated.split(',')) {
      const m = /^\s*([A-Za-z0-9_.-]+)\s+(\d+(?:\.\d+)?)%\s*$/.exec(part);
      const target = m ? byAddress.get(m[1] ?? '') : undefined;
      if (!m || !target) {
        notes.push(w.obj.src.at([...w.obj.path, 'metadata', 'annotations', 'topo.dev/talks'], `${w.name}: talks annotation \`${part.trim()}\` names no imported workload; ignored`));
        continue;
      }
      c.talks.push(`${target} weight ${m[2] ?? '10'}%`);
    }
  }
  for (const list of ['initContainers', 'containers']) {
    asArray(w.pod[list]).forEach((raw, i) => {
      if (!isRecord(raw)) return;
      asArray(raw.env).forEach((e, j) => {
        const value = isRecord(e) ? asString(e.value) : undefined;
        if (!value) return;
        const re = /(?:^|[\s,;=]|:\/\/)([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?:\.[a-z0-9.-]+)?(?::(\d+)|(?=\/)|$)/g;
        for (const m of value.matchAll(re)) {
          const host = m[1] ?? '';
          const isUrl = value.includes('://');
          if (!m[3] && !isUrl) continue;
          const target = byAddress.get(host);
          if (!target || target === c.name || c.talks.some((t) => t.split(' ')[0] === target)) continue;
          c.talks.push(target);
          notes.push(w.obj.src.at([...w.podPath, list, i, 'env', j, 'value'], `${c.name} talks ${target} (address \`${value}\` in env; default weight)`));
        }
      });
    });
  }
  // resolve the colocate-by-label placeholder
  if (c.colocate?.startsWith('@label:')) {
    const sel = JSON.parse(c.colocate.slice('@label:'.length)) as Record<string, unknown>;
    const target = all.find((o) => o !== w && Object.entries(sel).every(([k, v]) => o.labels[k] === asString(v)));
    c.colocate = target?.container?.name;
    if (!c.colocate) notes.push(w.obj.src.at([...w.podPath, 'affinity', 'podAffinity'], `${w.name}: pod affinity selects no imported workload; ignored`));
  }
}

function importNodes(objs: readonly Obj[], notes: InteropMessage[], errors: InteropMessage[]): ImportedRack[] {
  const racks = new Map<string, ImportedRack>();
  const used = new Set<string>();
  const rackNames = new Set<string>();
  for (const o of objs) {
    const meta = isRecord(o.value.metadata) ? o.value.metadata : {};
    const name = asString(meta.name) ?? 'node';
    const labels = isRecord(meta.labels) ? meta.labels : {};
    const status = isRecord(o.value.status) ? o.value.status : {};
    const alloc = isRecord(status.allocatable) ? status.allocatable : undefined;
    const cap = isRecord(status.capacity) ? status.capacity : undefined;
    const src = alloc ?? cap;
    const which = alloc ? 'allocatable' : 'capacity';
    const cpuRaw = src?.cpu;
    const memRaw = src?.memory;
    const cpu = typeof cpuRaw === 'string' || typeof cpuRaw === 'number' ? cpuMillis(cpuRaw) : undefined;
    const mem = typeof memRaw === 'string' || typeof memRaw === 'number' ? memoryBytes(memRaw) : undefined;
    if (cpu === undefined || mem === undefined || cpu < 1000 || mem <= 0) {
      errors.push(o.src.at([...o.path, 'status'], `Node ${name}: no valid status.capacity/allocatable cpu and memory`));
      continue;
    }
    if (cpu % 1000 !== 0) notes.push(o.src.at([...o.path, 'status', which, 'cpu'], `Node ${name}: ${which} cpu ${String(cpuRaw)} rounded down to whole cores`));
    let rackLabel = 'default';
    for (const l of RACK_LABELS) {
      const v = asString(labels[l]);
      if (v) {
        rackLabel = v;
        break;
      }
    }
    let rack = racks.get(rackLabel);
    if (!rack) {
      const rname = topoName(rackLabel === 'default' ? 'cluster' : rackLabel, rackNames);
      rack = { name: rname, nodes: [], comments: [rackLabel === 'default' ? 'Nodes without a zone or rack label.' : `Nodes labelled ${rackLabel}.`] };
      racks.set(rackLabel, rack);
    }
    rack.nodes.push({ name: topoName(name, used), cores: Math.floor(cpu / 1000), memory: mem });
  }
  const o0 = objs[0];
  if (o0) notes.push(o0.src.at(o0.path, `${objs.length} Node objects imported into ${racks.size} rack(s) by zone/rack label, sized by allocatable (or capacity)`));
  return [...racks.values()];
}
