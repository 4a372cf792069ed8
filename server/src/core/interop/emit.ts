import { escapeControls } from './controls';
import { formatBytesTopo, formatCpuTopo } from './quantity';

/** One place in an input file, 1-based line and column. */
export interface InteropMessage {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ImportResult {
  /** A .topo file. */
  readonly text: string;
  /** What was mapped with defaults or has no Topo equivalent. */
  readonly notes: InteropMessage[];
  /** Malformed YAML or invalid objects. */
  readonly errors: InteropMessage[];
}

export interface ImportedContainer {
  name: string;
  image?: string;
  replicas: number;
  cpuRequest?: number; // millicores
  cpuLimit?: number;
  memoryRequest?: number; // bytes
  memoryLimit?: number;
  talks: string[];
  spread?: 'nodes' | 'racks';
  /** `spread … even`: replica counts per node (rack) within one of each other, not one each. */
  even?: boolean;
  colocate?: string;
  priority?: 'low' | 'normal' | 'high';
  /** The name of its ImportedTenant. */
  tenant?: string;
  /** A Topo bandwidth literal (`2Gbps`). */
  network?: string;
  comments: string[];
}

export interface ImportedTenant {
  name: string;
  isolation: 'shared' | 'vm' | 'dedicated';
  /** Millicores and bytes of one VM (`vm`), from the RuntimeClass's podFixed. */
  overhead?: { cpu?: number; memory?: number };
  /** Millicores and bytes. */
  quota?: { cpu?: number; memory?: number };
  /** `cpu R memory R` as written in the annotation. */
  oversubscribe?: string;
  comments: string[];
}


export interface ImportedNode {
  name: string;
  cores: number;
  memory: number; // bytes
}

export interface ImportedRack {
  name: string;
  nodes: ImportedNode[];
  comments: string[];
}

/** The allowance written when imported limits exceed requests (reported in a note). */
export const ASSUMED_OVERSUBSCRIBE = 'oversubscribe cpu 4.0 memory 2.0';

const DEFAULT_CPU = 100; // millicores, when nothing is stated
const DEFAULT_MEMORY = 128 * 2 ** 20;

/** Makes a valid, unique Topo identifier from an external name. */
export function topoName(raw: string, used: Set<string>): string {
  let base = raw.replace(/[^A-Za-z0-9_-]/g, '-').replace(/-+$/, '');
  if (!/^[A-Za-z_]/.test(base)) base = `x${base}`;
  if (!base) base = 'x';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  used.add(name);
  return name;
}

/** Whose rules a filled-in value follows, for the words of the note. */
export type ResourceDialect = 'kubernetes' | 'compose';

/**
 * Fills the requests and limits an input left out, and says what it filled, one phrase each
 * (empty when everything was stated): a request from its limit (Kubernetes does the same;
 * Compose reserves nothing, but Topo counts requests), a limit from its request (Topo needs
 * one; the input set no cap), or the stated defaults when neither was given.
 */
export function completeResources(c: ImportedContainer, dialect: ResourceDialect): string[] {
  const filled: string[] = [];
  const fromLimit = dialect === 'kubernetes' ? 'as Kubernetes does' : 'no reservation; Topo counts requests';
  for (const [what, req, lim, def, fmt] of [
    ['cpu', 'cpuRequest', 'cpuLimit', DEFAULT_CPU, formatCpuTopo],
    ['memory', 'memoryRequest', 'memoryLimit', DEFAULT_MEMORY, formatBytesTopo],
  ] as const) {
    const limit = c[lim];
    if (c[req] === undefined && limit === undefined) {
      c[req] = def;
      c[lim] = def;
      filled.push(`${what} ${fmt(def)} (a default: none stated)`);
      continue;
    }
    if (c[req] === undefined) {
      c[req] = limit;
      filled.push(`${what} request ${fmt(limit ?? 0)} = its limit (${fromLimit})`);
    }
    if (c[lim] === undefined) {
      c[lim] = c[req];
      filled.push(`${what} limit ${fmt(c[req] ?? 0)} = its request (no limit; Topo needs one)`);
    }
  }
  return filled;
}

export const DEFAULTS_TEXT = `cpu ${formatCpuTopo(DEFAULT_CPU)}, memory ${formatBytesTopo(DEFAULT_MEMORY)}`;

/**
 * A Topo string literal. Topo strings escape only `\n`, `\t`, `"` and `\`; any other control
 * character is written as its visible escape text (`\x1b`), which the string then holds
 * literally: the file never carries a raw control character (the importers note it).
 */
function quote(s: string): string {
  return `"${escapeControls(s.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"`;
}

/** Comment lines; control characters in them (from file names and values) are shown escaped. */
function commentLines(lines: readonly string[], indent: string): string[] {
  return lines.flatMap((l) => l.split('\n')).map((l) => `${indent}# ${escapeControls(l)}`.trimEnd());
}

/** Generates a rack big enough for the containers (with one node of failure headroom). */
export function placeholderRacks(containers: readonly ImportedContainer[], dedicated: ReadonlySet<string> = new Set()): ImportedRack[] {
  let cpu = 0;
  let mem = 0;
  let maxCpu = 0;
  let maxMem = 0;
  let maxReplicas = 1;
  let rackCount = 1;
  for (const c of containers) {
    const r = c.cpuRequest ?? 0;
    const m = c.memoryRequest ?? 0;
    const rl = Math.max(r, c.cpuLimit ?? 0);
    const ml = Math.max(m, c.memoryLimit ?? 0);
    cpu += Math.max(r, rl / 2) * c.replicas;
    mem += Math.max(m, ml / 2) * c.replicas;
    maxCpu = Math.max(maxCpu, rl);
    maxMem = Math.max(maxMem, ml);
    // one per node (rack) needs as many; `even` only balances, over a few racks at most
    if (c.spread && !c.even) maxReplicas = Math.max(maxReplicas, c.replicas);
    if (c.spread === 'racks') rackCount = Math.max(rackCount, c.even ? Math.min(c.replicas, 3) : c.replicas);
  }
  const shared = Math.max(3, maxReplicas + 1);
  const perCpu = Math.max(maxCpu * 2, (cpu * 2) / (shared - 1));
  const perMem = Math.max(maxMem * 2, (mem * 2) / (shared - 1));
  // a dedicated tenant's replicas get nodes of their own: as many more as it needs at half use, plus one
  let count = shared;
  for (const name of dedicated) {
    const own = containers.filter((c) => c.tenant === name);
    let need = 1;
    let tc = 0;
    let tm = 0;
    for (const c of own) {
      if (c.spread === 'nodes' && !c.even) need = Math.max(need, c.replicas);
      tc += Math.max(c.cpuRequest ?? 0, c.cpuLimit ?? 0) * c.replicas;
      tm += Math.max(c.memoryRequest ?? 0, c.memoryLimit ?? 0) * c.replicas;
    }
    count += Math.max(need, Math.ceil((tc * 2) / perCpu), Math.ceil((tm * 2) / perMem)) + 1; // and one to fail
  }
  const cores = Math.max(4, Math.ceil(perCpu / 1000));
  const memGiB = Math.max(8, 2 ** Math.ceil(Math.log2(Math.max(1, perMem / 2 ** 30))));
  const racks: ImportedRack[] = [];
  for (let r = 1; r <= rackCount; r++) {
    const nodes: ImportedNode[] = [];
    for (let i = 1; i <= count; i++) nodes.push({ name: `n${i}`, cores, memory: memGiB * 2 ** 30 });
    racks.push({ name: rackCount === 1 ? 'imported' : `imported-${r}`, nodes, comments: [] });
  }
  const first = racks[0];
  if (first) first.comments = [
      'PLACEHOLDER: no nodes were given to the import. This rack is sized to hold the',
      'workloads below with room to spare and one node of failure headroom; replace it',
      'with your real hardware (import a `kubectl get nodes -o yaml` dump).',
      ...(rackCount > 1 ? [`${rackCount} racks because a container spreads ${rackCount} replicas over racks.`] : []),
    ];
  return racks;
}

/** Writes the .topo text. */
export function emitTopo(header: readonly string[], racks: readonly ImportedRack[], containers: readonly ImportedContainer[], trailer: readonly string[] = [], tenants: readonly ImportedTenant[] = []): string {
  const out: string[] = [...commentLines(header, ''), ''];
  const oversub = racks.length > 0 && containers.some((c) => (c.cpuLimit ?? 0) > (c.cpuRequest ?? 0) || (c.memoryLimit ?? 0) > (c.memoryRequest ?? 0));
  if (oversub) {
    out.push('# Limits above requests: allow them on the hardware (edit to match your policy).');
    out.push('defaults {', `  ${ASSUMED_OVERSUBSCRIBE}`, '}', '');
  }
  for (const rack of racks) {
    out.push(...commentLines(rack.comments, ''));
    out.push(`rack ${rack.name} {`);
    for (const group of groupNodes(rack.nodes)) {
      const first = group[0];
      const last = group[group.length - 1];
      if (!first || !last) continue;
      const name = group.length > 1 ? `${first.name}..${last.name}` : first.name;
      out.push(`  node ${name} { cores ${first.cores} memory ${formatBytesTopo(first.memory)} }`);
    }
    out.push('}', '');
  }
  for (const t of tenants) out.push(...tenantLines(t), '');
  const placeOn = racks.length > 1 ? [racks.map((r) => `${r.name}.*`).join(', ')] : [];
  for (const c of containers) {
    out.push(...commentLines(c.comments, ''));
    out.push(`container ${c.name} {`);
    if (c.image !== undefined) out.push(`  image ${quote(c.image)}`);
    out.push(`  replicas ${c.replicas}`);
    out.push(`  cpu request ${formatCpuTopo(c.cpuRequest ?? DEFAULT_CPU)} limit ${formatCpuTopo(c.cpuLimit ?? DEFAULT_CPU)}`);
    out.push(`  memory request ${formatBytesTopo(c.memoryRequest ?? DEFAULT_MEMORY)} limit ${formatBytesTopo(c.memoryLimit ?? DEFAULT_MEMORY)}`);
    for (const t of c.talks) out.push(`  talks ${t}`);
    if (c.spread) out.push(`  spread ${c.spread}${c.even ? ' even' : ''}`);
    if (c.colocate) out.push(`  colocate ${c.colocate}`);
    if (c.priority && c.priority !== 'normal') out.push(`  priority ${c.priority}`);
    if (c.tenant) out.push(`  tenant ${c.tenant}`);
    if (c.network) out.push(`  network ${c.network}`);
    if (placeOn.length > 0) out.push(`  place on ${placeOn[0]}`);
    out.push('}', '');
  }
  out.push(...commentLines(trailer, ''));
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** A `tenant` block. */
function tenantLines(t: ImportedTenant): string[] {
  const pair = (v: { cpu?: number; memory?: number }): string => [v.cpu === undefined ? '' : `cpu ${formatCpuTopo(v.cpu)}`, v.memory === undefined ? '' : `memory ${formatBytesTopo(v.memory)}`].filter(Boolean).join(' ');
  const out = [...commentLines(t.comments, ''), `tenant ${t.name} {`, `  isolation ${t.isolation}`];
  if (t.overhead && pair(t.overhead)) out.push(`  overhead ${pair(t.overhead)}`);
  if (t.quota && pair(t.quota)) out.push(`  quota ${pair(t.quota)}`);
  if (t.oversubscribe) out.push(`  oversubscribe ${t.oversubscribe}`);
  out.push('}');
  return out;
}

/** Consecutive identical nodes named prefix<k>..prefix<k+n> collapse into one range. */
function groupNodes(nodes: readonly ImportedNode[]): ImportedNode[][] {
  const groups: ImportedNode[][] = [];
  for (const n of nodes) {
    const g = groups[groups.length - 1];
    const prev = g?.[g.length - 1];
    if (g && prev && prev.cores === n.cores && prev.memory === n.memory && follows(prev.name, n.name)) g.push(n);
    else groups.push([n]);
  }
  return groups;
}

function follows(a: string, b: string): boolean {
  const ma = /^(.*?[A-Za-z_-])(\d+)$/.exec(a);
  const mb = /^(.*?[A-Za-z_-])(\d+)$/.exec(b);
  if (!ma || !mb || ma[1] !== mb[1]) return false;
  const da = ma[2] ?? '';
  const db = mb[2] ?? '';
  return da.length === db.length && Number(db) === Number(da) + 1;
}
