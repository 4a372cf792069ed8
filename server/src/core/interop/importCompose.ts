import { ASSUMED_OVERSUBSCRIBE, completeResources, DEFAULTS_TEXT, emitTopo, placeholderRacks, topoName, type ImportedContainer, type ImportResult, type InteropMessage } from './emit';
import { cpuMillis, formatCpuTopo } from './quantity';
import { asArray, asString, isRecord, parseYamlDocs } from './yamlDocs';


type At = (path: (string | number)[], message: string) => InteropMessage;

/**
 * The resource keys of a service outside `deploy` (the file format v2 keys, still in the Compose
 * Specification) and what each becomes. `cpu_quota`/`cpu_period` are read together.
 */
const LEGACY: Record<string, { field: 'cpuLimit' | 'memoryLimit' | 'memoryRequest'; deploy: string }> = {
  cpus: { field: 'cpuLimit', deploy: 'limits.cpus' },
  mem_limit: { field: 'memoryLimit', deploy: 'limits.memory' },
  mem_reservation: { field: 'memoryRequest', deploy: 'reservations.memory' },
};
const LEGACY_KEYS = [...Object.keys(LEGACY), 'cpu_quota', 'cpu_period', 'cpu_shares'];
const HANDLED = new Set(['image', 'deploy', 'depends_on', 'links', ...LEGACY_KEYS]);

/** Compose durations of `cpu_quota`/`cpu_period`: microseconds as a number, or `100ms`, `1s`, `50us`. */
function composeMicros(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|h)?\s*$/.exec(v);
  if (!m) return undefined;
  const unit = { '': 1, us: 1, 'µs': 1, ms: 1e3, s: 1e6, m: 60e6, h: 3600e6 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
}

/**
 * Reads a service's requests and limits from `deploy.resources` and the service-level keys
 * (`cpus`, `mem_limit`, `mem_reservation`, `cpu_quota`/`cpu_period`), as Docker applies them;
 * `cpu_shares` is a relative weight, not an amount, and is noted. Two keys for one value that
 * differ are an error, as Compose makes them. Returns what it filled in ('none': nothing stated).
 */
function composeResources(sname: string, svc: Record<string, unknown>, deploy: Record<string, unknown>, c: ImportedContainer, at: At, notes: InteropMessage[], errors: InteropMessage[]): string[] | 'none' {
  const resources = isRecord(deploy.resources) ? deploy.resources : {};
  const from: Partial<Record<'cpuRequest' | 'cpuLimit' | 'memoryRequest' | 'memoryLimit', string>> = {};
  for (const [block, which] of [['reservations', 'request'], ['limits', 'limit']] as const) {
    const b = isRecord(resources[block]) ? resources[block] : {};
    if (b.cpus !== undefined) {
      const m = typeof b.cpus === 'string' || typeof b.cpus === 'number' ? cpuMillis(b.cpus) : undefined;
      if (m === undefined || m === 0) errors.push(at(['deploy', 'resources', block, 'cpus'], `service ${sname}: invalid cpus \`${String(b.cpus)}\``));
      else {
        c[which === 'request' ? 'cpuRequest' : 'cpuLimit'] = m;
        from[which === 'request' ? 'cpuRequest' : 'cpuLimit'] = `deploy.resources.${block}.cpus: ${String(b.cpus)}`;
      }
    }
    if (b.memory !== undefined) {
      const bytes = composeBytes(b.memory);
      if (bytes === undefined || bytes === 0) errors.push(at(['deploy', 'resources', block, 'memory'], `service ${sname}: invalid memory \`${String(b.memory)}\``));
      else {
        c[which === 'request' ? 'memoryRequest' : 'memoryLimit'] = bytes;
        from[which === 'request' ? 'memoryRequest' : 'memoryLimit'] = `deploy.resources.${block}.memory: ${String(b.memory)}`;
      }
    }
    for (const k of Object.keys(b)) if (k !== 'cpus' && k !== 'memory') notes.push(at(['deploy', 'resources', block, k], `service ${sname}: resources ${block}.${k} has no Topo equivalent`));
  }
  const stated = (field: keyof typeof from, key: string, value: number, shown: string): void => {
    const other = from[field];
    const [block, sub] = LEGACY[key]?.deploy.split('.') ?? [];
    if (other !== undefined && c[field] !== value) {
      errors.push(at([key], `service ${sname}: \`${key}: ${shown}\` and \`${other}\` differ; Compose refuses such a file ("can't set distinct values"): keep one of them`));
      return;
    }
    if (other === undefined && block && isRecord(resources[block])) {
      notes.push(at([key], `service ${sname}: \`${key}\` beside a \`deploy.resources.${block}\` block without \`${sub}\`: Compose v2 refuses this; imported ${key} ${shown}`));
    }
    c[field] = value;
    from[field] = `${key}: ${shown}`;
  };
  for (const [key, { field }] of Object.entries(LEGACY)) {
    const v = svc[key];
    if (v === undefined) continue;
    const value = field === 'cpuLimit' ? (typeof v === 'string' || typeof v === 'number' ? cpuMillis(v) : undefined) : composeBytes(v);
    if (value === undefined || value === 0) errors.push(at([key], `service ${sname}: invalid ${key} \`${String(v)}\``));
    else stated(field, key, value, String(v));
  }
  if (svc.cpu_quota !== undefined) {
    const quota = composeMicros(svc.cpu_quota);
    const period = svc.cpu_period === undefined ? 100_000 : composeMicros(svc.cpu_period);
    if (quota === undefined || period === undefined || period <= 0) errors.push(at(['cpu_quota'], `service ${sname}: invalid cpu_quota \`${String(svc.cpu_quota)}\` or cpu_period \`${String(svc.cpu_period)}\``));
    else if (quota > 0) {
      const millis = Math.ceil((quota / period) * 1000);
      if (from.cpuLimit !== undefined && c.cpuLimit !== millis) notes.push(at(['cpu_quota'], `service ${sname}: cpu_quota/cpu_period allow ${millis / 1000} cores but \`${from.cpuLimit}\` says otherwise; imported the latter`));
      else if (from.cpuLimit === undefined) {
        c.cpuLimit = millis;
        from.cpuLimit = `cpu_quota: ${String(svc.cpu_quota)}`;
        notes.push(at(['cpu_quota'], `service ${sname}: cpu_quota ${String(svc.cpu_quota)} per cpu_period ${svc.cpu_period === undefined ? '100000 (the default)' : String(svc.cpu_period)} imported as a cpu limit of ${formatCpuTopo(millis)}`));
      }
    }
  } else if (svc.cpu_period !== undefined) notes.push(at(['cpu_period'], `service ${sname}: cpu_period without cpu_quota sets no limit; not imported`));
  if (svc.cpu_shares !== undefined) {
    notes.push(at(['cpu_shares'], `service ${sname}: cpu_shares ${String(svc.cpu_shares)} is a relative weight under contention (1024 by default), not an amount of CPU: not imported; set a cpu request`));
    c.comments.push(`cpu_shares: ${JSON.stringify(svc.cpu_shares)}`);
  }
  if (Object.keys(from).length === 0) {
    completeResources(c, 'compose');
    return 'none';
  }
  return completeResources(c, 'compose');
}

/** Compose byte values: `512m`, `1g`, `1gb`, `300k`, `100b` (binary steps) or a plain number of bytes. */
export function composeBytes(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.ceil(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmg]?)b?\s*$/i.exec(v);
  if (!m) return undefined;
  const shift = { '': 0, b: 0, k: 10, m: 20, g: 30 }[(m[2] ?? '').toLowerCase()] ?? 0;
  return Math.ceil(Number(m[1]) * 2 ** shift);
}

/** Imports a Compose file into a .topo file. */
export function importCompose(input: { path: string; text: string }): ImportResult {
  const notes: InteropMessage[] = [];
  const errors: InteropMessage[] = [];
  const docs = parseYamlDocs(input.path, input.text, errors);
  const containers: ImportedContainer[] = [];
  const trailer: string[] = [];
  const doc = docs[0];
  if (!doc) {
    if (errors.length === 0) errors.push({ file: input.path, line: 1, column: 1, message: 'empty Compose file' });
    return { text: '', notes, errors };
  }
  const root = doc.value;
  if (!isRecord(root) || !isRecord(root.services)) {
    errors.push(doc.at([], 'not a Compose file: no `services` mapping'));
    return { text: '', notes, errors };
  }
  for (const key of Object.keys(root)) {
    if (key === 'services' || key === 'version' || key === 'name') continue;
    notes.push(doc.at([key], `top-level \`${key}\` has no Topo equivalent; kept as a comment`));
    trailer.push(`Compose top-level \`${key}\` (no Topo equivalent): ${JSON.stringify(root[key])}`);
  }
  const used = new Set<string>();
  const names = new Map<string, string>();
  for (const name of Object.keys(root.services)) names.set(name, topoName(name, used));
  const deps = new Map<string, string[]>();
  for (const [sname, raw] of Object.entries(root.services)) {
    const at = (path: (string | number)[], message: string): InteropMessage => doc.at(['services', sname, ...path], message);
    const c: ImportedContainer = { name: names.get(sname) ?? sname, replicas: 1, talks: [], comments: [] };
    if (!isRecord(raw)) {
      if (raw !== null) errors.push(at([], `service ${sname} is not a mapping`));
      if (raw !== null) continue;
    }
    const svc = isRecord(raw) ? raw : {};
    const image = asString(svc.image);
    if (image) c.image = image;
    const deploy = isRecord(svc.deploy) ? svc.deploy : {};
    if (deploy.replicas !== undefined) {
      if (typeof deploy.replicas === 'number' && Number.isInteger(deploy.replicas) && deploy.replicas >= 1) c.replicas = deploy.replicas;
      else errors.push(at(['deploy', 'replicas'], `service ${sname}: replicas must be a positive integer`));
    }
    const filled = composeResources(sname, svc, deploy, c, at, notes, errors);
    if (filled === 'none') notes.push(at([], `service ${sname}: no deploy.resources; using defaults (${DEFAULTS_TEXT}): it sets no cpus, mem_limit or mem_reservation either`));
    else if (filled.length > 0) notes.push(at([], `service ${sname}: filled in ${filled.join('; ')}`));
    const targets: string[] = [];
    const dependsOn = svc.depends_on;
    if (Array.isArray(dependsOn)) for (const d of dependsOn) targets.push(asString(d) ?? '');
    else if (isRecord(dependsOn)) targets.push(...Object.keys(dependsOn));
    for (const l of asArray(svc.links)) targets.push((asString(l) ?? '').split(':')[0] ?? '');
    deps.set(sname, targets);
    for (const t of targets) {
      const target = names.get(t);
      if (!target) errors.push(at(['depends_on'], `service ${sname}: depends on unknown service \`${t}\``));
      else if (target !== c.name && !c.talks.includes(target)) c.talks.push(target);
    }
    for (const key of Object.keys(svc)) {
      if (HANDLED.has(key)) continue;
      notes.push(at([key], `service ${sname}: \`${key}\` has no Topo equivalent; kept as a comment`));
      c.comments.push(`${key}: ${JSON.stringify(svc[key])}`);
    }
    const placement = isRecord(deploy.placement) ? deploy.placement : {};
    if (placement.max_replicas_per_node === 1) c.spread = 'nodes'; // at most one replica per node: exactly `spread nodes`
    for (const key of Object.keys(placement)) {
      if (key === 'max_replicas_per_node' && c.spread) continue;
      notes.push(at(['deploy', 'placement', key], `service ${sname}: deploy.placement.${key} has no Topo equivalent; kept as a comment`));
      c.comments.push(`deploy.placement.${key}: ${JSON.stringify(placement[key])}`);
    }
    for (const key of Object.keys(deploy)) {
      if (key === 'replicas' || key === 'resources' || (key === 'placement' && isRecord(deploy.placement))) continue;
      notes.push(at(['deploy', key], `service ${sname}: deploy.${key} has no Topo equivalent; kept as a comment`));
      c.comments.push(`deploy.${key}: ${JSON.stringify(deploy[key])}`);
    }
    if (c.comments.length > 0) c.comments.unshift(`Compose service ${sname}; not expressible in Topo:`);
    containers.push(c);
  }
  const racks = placeholderRacks(containers);
  notes.push(doc.at([], 'Compose has no hardware: generated a placeholder rack `imported` sized to hold the services; replace it with your hardware'));
  const header = [`Imported from Compose file ${input.path}`, 'Review the notes printed by `topo import`; every mapping with a default is listed there.'];
  const text = emitTopo(header, racks, containers, trailer);
  if (text.includes(ASSUMED_OVERSUBSCRIBE)) notes.push({ file: input.path, line: 1, column: 1, message: `limits above requests: wrote \`defaults { ${ASSUMED_OVERSUBSCRIBE} }\` as an assumed allowance; set it to your policy` });
  return { text, notes, errors };
}
