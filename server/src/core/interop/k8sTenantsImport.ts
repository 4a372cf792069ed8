/**
 * Tenants from Kubernetes (import side; the export side is k8sTenants.ts). A namespace is a
 * tenant when its Namespace carries the label `topo.dev/tenant`, when a ResourceQuota bounds
 * its requests, or when its pods run under a RuntimeClass or tolerate a NoSchedule taint they
 * also require as node affinity. Its isolation is `vm` when its pods name a RuntimeClass (whose
 * `overhead.podFixed` is the VM overhead), `dedicated` when they tolerate the taint of nodes
 * they require, else `shared`; its quota is the ResourceQuota's `requests.cpu` and
 * `requests.memory`; its `oversubscribe` comes back from the Namespace annotation export writes.
 */
import type { ImportedContainer, ImportedTenant, InteropMessage } from './emit';
import { ISOLATION_ANNOTATION, NETWORK_ANNOTATION, OVERSUBSCRIBE_ANNOTATION, TENANT_KEY } from './k8sTenants';
import { cpuMillis, memoryBytes } from './quantity';
import { asArray, asString, isRecord, type LocatedDoc } from './yamlDocs';

type Path = (string | number)[];
interface Obj {
  readonly src: LocatedDoc;
  readonly path: Path;
  readonly value: Record<string, unknown>;
}

/** What tenant import needs of one workload. */
export interface TenantWorkload {
  readonly obj: Obj;
  readonly name: string;
  readonly pod: Record<string, unknown>;
  readonly podPath: Path;
  readonly container?: ImportedContainer;
}

interface Space {
  namespace?: Obj;
  quotas: Obj[];
  workloads: TenantWorkload[];
}

function meta(o: Obj): Record<string, unknown> {
  return isRecord(o.value.metadata) ? o.value.metadata : {};
}

function namespaceOf(o: Obj): string {
  return asString(meta(o).namespace) ?? 'default';
}

/** The RuntimeClasses by name: their overhead (millicores, bytes). */
function runtimeClasses(objs: readonly Obj[], errors: InteropMessage[]): Map<string, { cpu?: number; memory?: number }> {
  const out = new Map<string, { cpu?: number; memory?: number }>();
  for (const o of objs) {
    const name = asString(meta(o).name);
    if (!name) continue;
    const oh = isRecord(o.value.overhead) && isRecord(o.value.overhead.podFixed) ? o.value.overhead.podFixed : {};
    const fixed: { cpu?: number; memory?: number } = {};
    for (const [k, parse] of [['cpu', cpuMillis], ['memory', memoryBytes]] as const) {
      const v = oh[k];
      if (v === undefined) continue;
      const n = typeof v === 'string' || typeof v === 'number' ? parse(v) : undefined;
      if (n === undefined) errors.push(o.src.at([...o.path, 'overhead', 'podFixed', k], `RuntimeClass ${name}: invalid overhead ${k} \`${String(v)}\``));
      else fixed[k] = n;
    }
    out.set(name, fixed);
  }
  return out;
}

/** The taint a pod tolerates (NoSchedule, key=value) that it also requires as node affinity or nodeSelector. */
export function dedicatedTaint(pod: Record<string, unknown>): { key: string; value: string } | undefined {
  const required: [string, string][] = [];
  const selector = isRecord(pod.nodeSelector) ? pod.nodeSelector : {};
  for (const [k, v] of Object.entries(selector)) if (typeof v === 'string') required.push([k, v]);
  const affinity = isRecord(pod.affinity) && isRecord(pod.affinity.nodeAffinity) ? pod.affinity.nodeAffinity : {};
  const req = isRecord(affinity.requiredDuringSchedulingIgnoredDuringExecution) ? affinity.requiredDuringSchedulingIgnoredDuringExecution : {};
  const terms = asArray(req.nodeSelectorTerms);
  // a term list is an OR: the key must be required by every term
  const perTerm = terms.map((t) => asArray(isRecord(t) ? t.matchExpressions : undefined).flatMap((e): [string, string][] => {
    if (!isRecord(e) || e.operator !== 'In') return [];
    const values = asArray(e.values);
    const key = asString(e.key);
    const value = asString(values[0]);
    return key && value !== undefined && values.length === 1 ? [[key, value]] : [];
  }));
  const first = perTerm[0];
  if (first) for (const [k, v] of first) if (perTerm.every((pt) => pt.some(([k2, v2]) => k2 === k && v2 === v))) required.push([k, v]);
  for (const t of asArray(pod.tolerations)) {
    if (!isRecord(t) || t.effect !== 'NoSchedule' || (t.operator !== undefined && t.operator !== 'Equal')) continue;
    const key = asString(t.key);
    const value = asString(t.value) ?? '';
    if (key && required.some(([k, v]) => k === key && v === value)) return { key, value };
  }
  return undefined;
}

/** Tenants of the namespaces that are tenants, and each workload's container's `tenant` and `network`. */
export function importTenants(
  namespaces: readonly Obj[],
  quotas: readonly Obj[],
  classes: readonly Obj[],
  workloads: readonly TenantWorkload[],
  used: Set<string>,
  topoName: (raw: string, used: Set<string>) => string,
  notes: InteropMessage[],
  errors: InteropMessage[],
): ImportedTenant[] {
  const spaces = new Map<string, Space>();
  const space = (ns: string): Space => {
    const s = spaces.get(ns) ?? { quotas: [], workloads: [] };
    spaces.set(ns, s);
    return s;
  };
  for (const o of namespaces) space(asString(meta(o).name) ?? 'default').namespace = o;
  for (const o of quotas) if (asString(meta(o).name) !== 'topo-capacity') space(namespaceOf(o)).quotas.push(o);
  for (const w of workloads) space(namespaceOf(w.obj)).workloads.push(w);
  const rcs = runtimeClasses(classes, errors);
  for (const w of workloads) networkOf(w, notes);
  const out: ImportedTenant[] = [];
  for (const [ns, s] of spaces) {
    const t = tenantOf(ns, s, rcs, used, topoName, notes, errors);
    if (!t) {
      if (s.namespace) notes.push(s.namespace.src.at(s.namespace.path, `Namespace ${ns}: not a tenant (no ${TENANT_KEY} label, quota, RuntimeClass or dedicated taint); its workloads are in the default tenant`));
      continue;
    }
    out.push(t);
    for (const w of s.workloads) if (w.container) w.container.tenant = t.name;
  }
  return out;
}

function networkOf(w: TenantWorkload, notes: InteropMessage[]): void {
  const annotations = isRecord(meta(w.obj).annotations) ? meta(w.obj).annotations : undefined;
  const v = isRecord(annotations) ? asString(annotations[NETWORK_ANNOTATION]) : undefined;
  if (v === undefined || !w.container) return;
  if (/^\d+(\.\d+)?(Kbps|Mbps|Gbps|Tbps|KBps|MBps|GBps)$/.test(v.trim())) w.container.network = v.trim();
  else notes.push(w.obj.src.at([...w.obj.path, 'metadata', 'annotations', NETWORK_ANNOTATION], `${w.name}: ${NETWORK_ANNOTATION} \`${v}\` is not a bandwidth (e.g. 2Gbps); ignored`));
}

function tenantOf(
  ns: string,
  s: Space,
  rcs: Map<string, { cpu?: number; memory?: number }>,
  used: Set<string>,
  topoName: (raw: string, used: Set<string>) => string,
  notes: InteropMessage[],
  errors: InteropMessage[],
): ImportedTenant | undefined {
  const nsMeta = s.namespace ? meta(s.namespace) : {};
  const labels = isRecord(nsMeta.labels) ? nsMeta.labels : {};
  const annotations = isRecord(nsMeta.annotations) ? nsMeta.annotations : {};
  const labelled = asString(labels[TENANT_KEY]);
  const vm = s.workloads.filter((w) => rcs.has(asString(w.pod.runtimeClassName) ?? ''));
  const dedicated = s.workloads.filter((w) => dedicatedTaint(w.pod) !== undefined);
  const quota = quotaOf(s.quotas, ns, notes, errors);
  if (labelled === undefined && !quota && vm.length === 0 && dedicated.length === 0) return undefined;
  const name = topoName(asString(annotations['topo.dev/name']) ?? labelled ?? ns, used);
  const t: ImportedTenant = { name, isolation: 'shared', comments: [`Namespace ${ns}.`] };
  if (quota) t.quota = quota;
  const at = s.namespace ?? s.quotas[0] ?? s.workloads[0]?.obj;
  const some = (part: readonly TenantWorkload[], what: string): void => {
    if (at && part.length < s.workloads.length) notes.push(at.src.at(at.path, `namespace ${ns}: ${part.length} of its ${s.workloads.length} workloads ${what}; tenant ${name} imported so, for all of them`));
  };
  if (vm.length > 0) {
    t.isolation = 'vm';
    const cls = asString(vm[0]?.pod.runtimeClassName) ?? '';
    const oh = rcs.get(cls) ?? {};
    if (oh.cpu !== undefined || oh.memory !== undefined) t.overhead = oh;
    else if (at) notes.push(at.src.at(at.path, `tenant ${name}: RuntimeClass ${cls} states no overhead.podFixed; Topo's default VM overhead applies`));
    some(vm, `run under a RuntimeClass (${cls})`);
    if (dedicated.length > 0 && at) notes.push(at.src.at(at.path, `tenant ${name}: pods both use a RuntimeClass and tolerate a dedicated taint; imported as isolation vm`));
  } else if (dedicated.length > 0) {
    t.isolation = 'dedicated';
    const taint = dedicatedTaint(dedicated[0]?.pod ?? {});
    some(dedicated, `tolerate the taint ${taint?.key ?? ''}=${taint?.value ?? ''}:NoSchedule of the nodes they require`);
  } else if (s.workloads.length === 0) isolationFromAnnotation(t, ns, s, annotations, rcs, notes);
  const over = asString(annotations[OVERSUBSCRIBE_ANNOTATION]);
  if (over !== undefined && s.namespace) {
    const m = /^\s*(cpu\s+\d+(?:\.\d+)?)?\s*(memory\s+\d+(?:\.\d+)?)?\s*$/.exec(over);
    if (m && (m[1] || m[2])) t.oversubscribe = [m[1], m[2]].filter(Boolean).join(' ').replace(/\s+/g, ' ');
    else notes.push(s.namespace.src.at([...s.namespace.path, 'metadata', 'annotations', OVERSUBSCRIBE_ANNOTATION], `tenant ${name}: ${OVERSUBSCRIBE_ANNOTATION} \`${over}\` is not \`cpu R memory R\`; ignored`));
  }
  return t;
}

/** A tenant without workloads: its isolation as export wrote it on the Namespace (a `vm` one's overhead from the RuntimeClass named as it). */
function isolationFromAnnotation(t: ImportedTenant, ns: string, s: Space, annotations: Record<string, unknown>, rcs: Map<string, { cpu?: number; memory?: number }>, notes: InteropMessage[]): void {
  const v = asString(annotations[ISOLATION_ANNOTATION]);
  if (v === undefined || !s.namespace) return;
  if (v !== 'vm' && v !== 'dedicated' && v !== 'shared') {
    notes.push(s.namespace.src.at([...s.namespace.path, 'metadata', 'annotations', ISOLATION_ANNOTATION], `tenant ${t.name}: ${ISOLATION_ANNOTATION} \`${v}\` is not shared, vm or dedicated; ignored`));
    return;
  }
  t.isolation = v;
  const oh = rcs.get(ns);
  if (v === 'vm' && oh && (oh.cpu !== undefined || oh.memory !== undefined)) t.overhead = oh;
}

/** The quota on requests of a namespace (its first ResourceQuota that bounds them). */
function quotaOf(quotas: readonly Obj[], ns: string, notes: InteropMessage[], errors: InteropMessage[]): { cpu?: number; memory?: number } | undefined {
  let out: { cpu?: number; memory?: number } | undefined;
  for (const q of quotas) {
    const spec = isRecord(q.value.spec) ? q.value.spec : {};
    const hard = isRecord(spec.hard) ? spec.hard : {};
    const qname = asString(meta(q).name) ?? '?';
    const found: { cpu?: number; memory?: number } = {};
    for (const [key, parse, slot] of [['requests.cpu', cpuMillis, 'cpu'], ['cpu', cpuMillis, 'cpu'], ['requests.memory', memoryBytes, 'memory'], ['memory', memoryBytes, 'memory']] as const) {
      const v = hard[key];
      if (v === undefined || found[slot] !== undefined) continue;
      const n = typeof v === 'string' || typeof v === 'number' ? parse(v) : undefined;
      if (n === undefined) errors.push(q.src.at([...q.path, 'spec', 'hard', key], `ResourceQuota ${qname}: invalid ${key} \`${String(v)}\``));
      else found[slot] = n;
    }
    const rest = Object.keys(hard).filter((k) => !['requests.cpu', 'cpu', 'requests.memory', 'memory'].includes(k));
    if (rest.length > 0) notes.push(q.src.at([...q.path, 'spec', 'hard'], `ResourceQuota ${qname} (namespace ${ns}): ${rest.join(', ')} ha${rest.length === 1 ? 's' : 've'} no Topo equivalent (a Topo quota bounds requests); not imported`));
    if (found.cpu === undefined && found.memory === undefined) continue;
    if (out) {
      notes.push(q.src.at(q.path, `ResourceQuota ${qname}: a second quota in namespace ${ns}; Topo keeps the first`));
      continue;
    }
    out = found;
  }
  return out;
}
