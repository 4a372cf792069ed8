import { ASSUMED_OVERSUBSCRIBE, completeResources, DEFAULTS_TEXT, emitTopo, placeholderRacks, topoName, type ImportedContainer, type ImportResult, type InteropMessage } from './emit';
import { cpuMillis } from './quantity';
import { asArray, asString, isRecord, parseYamlDocs } from './yamlDocs';

const HANDLED = new Set(['image', 'deploy', 'depends_on', 'links']);

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
    const resources = isRecord(deploy.resources) ? deploy.resources : {};
    for (const [block, which] of [['reservations', 'request'], ['limits', 'limit']] as const) {
      const b = isRecord(resources[block]) ? resources[block] : {};
      if (b.cpus !== undefined) {
        const m = typeof b.cpus === 'string' || typeof b.cpus === 'number' ? cpuMillis(b.cpus) : undefined;
        if (m === undefined || m === 0) errors.push(at(['deploy', 'resources', block, 'cpus'], `service ${sname}: invalid cpus \`${String(b.cpus)}\``));
        else if (which === 'request') c.cpuRequest = m;
        else c.cpuLimit = m;
      }
      if (b.memory !== undefined) {
        const bytes = composeBytes(b.memory);
        if (bytes === undefined || bytes === 0) errors.push(at(['deploy', 'resources', block, 'memory'], `service ${sname}: invalid memory \`${String(b.memory)}\``));
        else if (which === 'request') c.memoryRequest = bytes;
        else c.memoryLimit = bytes;
      }
      for (const k of Object.keys(b)) if (k !== 'cpus' && k !== 'memory') notes.push(at(['deploy', 'resources', block, k], `service ${sname}: resources ${block}.${k} has no Topo equivalent`));
    }
    if (completeResources(c)) notes.push(at([], `service ${sname}: no deploy.resources; using defaults (${DEFAULTS_TEXT})`));
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
    for (const key of Object.keys(deploy)) {
      if (key === 'replicas' || key === 'resources') continue;
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
