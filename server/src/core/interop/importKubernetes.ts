import { ASSUMED_OVERSUBSCRIBE, completeResources, DEFAULTS_TEXT, emitTopo, placeholderRacks, topoName, type ImportedContainer, type ImportedRack, type ImportResult, type InteropMessage } from './emit';
import { cpuMillis, memoryBytes } from './quantity';
import { asArray, asString, isRecord, parseYamlDocs, type LocatedDoc } from './yamlDocs';

type Path = (string | number)[];
interface Obj {
  readonly src: LocatedDoc;
  readonly path: Path;
  readonly value: Record<string, unknown>;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'Job', 'CronJob', 'ReplicationController']);
const ZONE_KEYS = new Set(['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone', 'topology.kubernetes.io/region']);
const CONTAINER_KEYS = new Set(['name', 'image', 'resources', 'env', 'imagePullPolicy']);
const HOST_KEYS = new Set(['kubernetes.io/hostname']);
const RACK_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone', 'topology.kubernetes.io/rack', 'topo.dev/rack', 'rack'];

interface Workload {
  obj: Obj;
  kind: string;
  name: string;
  podPath: Path; // path of the pod spec
  pod: Record<string, unknown>;
  labels: Record<string, string>;
  replicas: number;
  members: ImportedContainer[];
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
  for (const o of objects) {
    const kind = asString(o.value.kind) ?? '';
    const name = asString(isRecord(o.value.metadata) ? o.value.metadata.name : undefined);
    if (kind === 'Node') nodeObjs.push(o);
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
  for (const w of workloads) buildContainers(w, used, priorityClasses, nodeCount, notes, errors);
  // Service name -> the first container of the workload its selector matches.
  const byAddress = new Map<string, string>();
  for (const w of workloads) {
    const first = w.members[0];
    if (first) byAddress.set(w.name, first.name);
  }
  for (const s of services) {
    const meta = isRecord(s.value.metadata) ? s.value.metadata : {};
    const sname = asString(meta.name);
    const spec = isRecord(s.value.spec) ? s.value.spec : {};
    const selector = isRecord(spec.selector) ? spec.selector : undefined;
    if (!sname) continue;
    const target = selector ? workloads.find((w) => Object.entries(selector).every(([k, v]) => w.labels[k] === asString(v))) : undefined;
    const first = target?.members[0];
    if (first) byAddress.set(sname, first.name);
    notes.push(s.src.at(s.path, `Service ${sname}${first ? ` (selects ${first.name})` : ''}: used to resolve addresses into talks; ports and load balancing have no Topo equivalent`));
  }
  for (const w of workloads) findTalks(w, byAddress, workloads, notes);
  const containers = workloads.flatMap((w) => w.members);
  let allRacks = racks;
  if (racks.length === 0) {
    allRacks = placeholderRacks(containers);
    notes.push({ file: docs[0]?.path ?? '', line: 1, column: 1, message: 'no Node objects given: generated a placeholder rack `imported` sized to hold the workloads; replace it with your hardware' });
  }
  const header = [`Imported from Kubernetes manifests: ${docs.map((d) => d.path).join(', ')}`, 'Review the notes printed by `topo import`; every mapping with a default is listed there.'];
  const text = emitTopo(header, allRacks, containers);
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
  return { obj: o, kind, name, podPath, pod, labels: lab, replicas, members: [] };
}

function buildContainers(w: Workload, used: Set<string>, classes: Map<string, number>, nodeCount: number, notes: InteropMessage[], errors: InteropMessage[]): void {
  const { obj, kind, name, pod, podPath } = w;
  let replicas = w.replicas;
  if (kind === 'DaemonSet') {
    if (nodeCount > 0) replicas = nodeCount;
    else {
      replicas = 1;
      notes.push(obj.src.at(obj.path, `DaemonSet ${name}: one replica per node, but no nodes were given; imported with replicas 1`));
    }
  } else if (kind === 'Job' || kind === 'CronJob') notes.push(obj.src.at(obj.path, `${kind} ${name}: imported as a container with replicas = parallelism (${replicas}); completions and schedules have no Topo equivalent`));
  if (replicas === 0) {
    notes.push(obj.src.at(obj.path, `${kind} ${name}: replicas 0; imported with replicas 1 (Topo needs at least one)`));
    replicas = 1;
  }
  const list = asArray(pod.containers);
  const placement = placementOf(w, notes);
  const priority = priorityOf(w, classes, notes);
  let first: string | undefined;
  list.forEach((raw, i) => {
    const cpath = [...podPath, 'containers', i];
    if (!isRecord(raw)) {
      errors.push(obj.src.at(cpath, `${kind} ${name}: container ${i} is not a mapping`));
      return;
    }
    const cname = asString(raw.name) ?? `c${i}`;
    const c: ImportedContainer = { name: topoName(list.length === 1 ? name : `${name}-${cname}`, used), replicas, talks: [], comments: [], ...placement };
    if (priority) c.priority = priority;
    const image = asString(raw.image);
    if (image) c.image = image;
    if (first) {
      c.colocate = first;
      c.spread = undefined;
    }
    const res = isRecord(raw.resources) ? raw.resources : {};
    for (const kindName of ['requests', 'limits'] as const) {
      const block = isRecord(res[kindName]) ? res[kindName] : {};
      for (const [rname, rvalue] of Object.entries(block)) {
        const at = [...cpath, 'resources', kindName, rname];
        const v = typeof rvalue === 'number' || typeof rvalue === 'string' ? rvalue : undefined;
        if (rname === 'cpu') {
          const m = v === undefined ? undefined : cpuMillis(v);
          if (m === undefined) errors.push(obj.src.at(at, `invalid CPU quantity \`${String(rvalue)}\``));
          else if (kindName === 'requests') c.cpuRequest = m;
          else c.cpuLimit = m;
        } else if (rname === 'memory') {
          const b = v === undefined ? undefined : memoryBytes(v);
          if (b === undefined) errors.push(obj.src.at(at, `invalid memory quantity \`${String(rvalue)}\``));
          else if (kindName === 'requests') c.memoryRequest = b;
          else c.memoryLimit = b;
        } else notes.push(obj.src.at(at, `${rname} ${kindName} has no Topo equivalent`));
      }
    }
    const skipped = Object.keys(raw).filter((k) => !CONTAINER_KEYS.has(k));
    if (skipped.length > 0) {
      notes.push(obj.src.at([...cpath, skipped[0] ?? ''], `${kind} ${name} container ${cname}: ${skipped.join(', ')} ha${skipped.length === 1 ? 's' : 've'} no Topo equivalent; kept as a comment`));
      c.comments.push(`${kind} ${name} container ${cname}; not expressible in Topo:`, ...skipped.map((k) => `${k}: ${JSON.stringify(raw[k])}`));
    }
    if ((c.cpuRequest ?? 0) === 0 && c.cpuRequest !== undefined) c.cpuRequest = 1;
    if ((c.memoryRequest ?? 0) === 0 && c.memoryRequest !== undefined) c.memoryRequest = 1;
    if (completeResources(c)) notes.push(obj.src.at(cpath, `${kind} ${name} container ${cname}: missing requests; using defaults (${DEFAULTS_TEXT})`));
    w.members.push(c);
    first ??= c.name;
  });
  if (w.members.length > 1) notes.push(obj.src.at([...podPath, 'containers'], `${kind} ${name}: ${w.members.length} containers in one pod imported as ${w.members.map((m) => m.name).join(', ')}, colocated with the first`));
  for (const key of ['initContainers', 'volumes', 'nodeSelector', 'tolerations']) {
    if (pod[key] !== undefined) notes.push(obj.src.at([...podPath, key], `${kind} ${name}: ${key} has no Topo equivalent; not imported`));
  }
}

function placementOf(w: Workload, notes: InteropMessage[]): Pick<ImportedContainer, 'spread' | 'colocate'> {
  const { pod, podPath, obj, name } = w;
  let spread: 'nodes' | 'racks' | undefined;
  const widen = (key: string, at: Path): void => {
    if (ZONE_KEYS.has(key)) spread = 'racks';
    else if (HOST_KEYS.has(key)) spread ??= 'nodes';
    else notes.push(obj.src.at(at, `${name}: topology key \`${key}\` is neither hostname nor zone; ignored`));
  };
  asArray(pod.topologySpreadConstraints).forEach((t, i) => {
    if (isRecord(t) && typeof t.topologyKey === 'string') widen(t.topologyKey, [...podPath, 'topologySpreadConstraints', i, 'topologyKey']);
  });
  const affinity = isRecord(pod.affinity) ? pod.affinity : {};
  const anti = isRecord(affinity.podAntiAffinity) ? affinity.podAntiAffinity : {};
  for (const mode of ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution']) {
    asArray(anti[mode]).forEach((term, i) => {
      const t = isRecord(term) && isRecord(term.podAffinityTerm) ? term.podAffinityTerm : term;
      if (isRecord(t) && typeof t.topologyKey === 'string') widen(t.topologyKey, [...podPath, 'affinity', 'podAntiAffinity', mode, i]);
    });
  }
  let colocate: string | undefined;
  const aff = isRecord(affinity.podAffinity) ? affinity.podAffinity : {};
  for (const mode of ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution']) {
    asArray(aff[mode]).forEach((term, i) => {
      const t = isRecord(term) && isRecord(term.podAffinityTerm) ? term.podAffinityTerm : term;
      const sel = isRecord(t) && isRecord(t.labelSelector) && isRecord(t.labelSelector.matchLabels) ? t.labelSelector.matchLabels : undefined;
      const value = sel ? asString(Object.values(sel)[0]) : undefined;
      if (value && !colocate) colocate = `@label:${JSON.stringify(sel)}`;
      else notes.push(obj.src.at([...podPath, 'affinity', 'podAffinity', mode, i], `${name}: pod affinity without matchLabels; ignored`));
    });
  }
  if (isRecord(affinity.nodeAffinity)) notes.push(obj.src.at([...podPath, 'affinity', 'nodeAffinity'], `${name}: node affinity is not imported (use \`place on\`)`));
  return { spread, colocate };
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
  const list = asArray(w.pod.containers);
  const meta = isRecord(w.obj.value.metadata) ? w.obj.value.metadata : {};
  const annotated = asString(isRecord(meta.annotations) ? meta.annotations['topo.dev/talks'] : undefined);
  const firstMember = w.members[0];
  if (annotated && firstMember) {
    // written by `topo export k8s`: "api 20%, db 10%"
    for (const part of annotated.split(',')) {
      const m = /^\s*([A-Za-z0-9_.-]+)\s+(\d+(?:\.\d+)?)%\s*$/.exec(part);
      const target = m ? byAddress.get(m[1] ?? '') : undefined;
      if (!m || !target) {
        notes.push(w.obj.src.at([...w.obj.path, 'metadata', 'annotations', 'topo.dev/talks'], `${w.name}: talks annotation \`${part.trim()}\` names no imported workload; ignored`));
        continue;
      }
      firstMember.talks.push(`${target} weight ${m[2] ?? '10'}%`);
    }
  }
  w.members.forEach((c, i) => {
    const raw = list[i];
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
        notes.push(w.obj.src.at([...w.podPath, 'containers', i, 'env', j, 'value'], `${c.name} talks ${target} (address \`${value}\` in env; default weight)`));
      }
    });
  });
  // resolve colocate-by-label placeholders
  for (const c of w.members) {
    if (!c.colocate?.startsWith('@label:')) continue;
    const sel = JSON.parse(c.colocate.slice('@label:'.length)) as Record<string, unknown>;
    const target = all.find((o) => o !== w && Object.entries(sel).every(([k, v]) => o.labels[k] === asString(v)));
    c.colocate = target?.members[0]?.name;
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
