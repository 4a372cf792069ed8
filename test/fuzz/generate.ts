// Grammar-aware generation of Topo files with fast-check: declarations, properties with right
// and wrong units, references, node ranges, scenarios, imports, comments and odd layout, then
// a few token-level perturbations for near-valid text. Two shapes: "consistent" files built so
// that most of them check clean (and so reach the simulator), and "loose" files that mix any
// property into any block with names from small pools (so references often, not always, resolve).
import fc from 'fast-check';
import { lex } from '../../server/src/core/syntax/lexer';
import { WORKSPACE, type FuzzInput } from './invariants';

export const MAIN = `${WORKSPACE}/main.topo`;

/** The other files of the generated workspace: a library to import and a cycle back to main. */
export const LIBRARY: Readonly<Record<string, string>> = {
  [`${WORKSPACE}/lib.topo`]: '# shared hardware\nrack lib {\n  node l1..l4 { cores 16 memory 64GiB disk d0 1TB }\n}\nsds libpod { nodes lib.l1..l3 }\ncontainer shared { cpu 1 memory 1GiB place on libpod }\n',
  [`${WORKSPACE}/sub/cycle.topo`]: 'import "../main.topo"\ncontainer looped { cpu 1 memory 1GiB }\n',
  [`${WORKSPACE}/sub/empty.topo`]: '',
};

const RACKS = ['r1', 'r2', 'lib', 'node', 'rack-a'];
const NODES = ['n1', 'n2', 'n3', 'n4', 'n01', 'n10', 'm1', 'l1', 'memory'];
const SDSES = ['pod1', 'pod2', 'libpod'];
const CONTAINERS = ['web', 'cache', 'api', 'db', 'shared', 'cpu'];
const DEVICES = ['nvme0', 'd0', 'disk1'];
const SCENARIOS = ['s1', '"lose a node"', '"peak"', '""'];
const TENANTS = ['acme', 'bank', 'shop', 'web'];

const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);

/** A number as written: mostly small, sometimes zero, negative, decimal, malformed or huge. */
const numberText: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 64 }).map(String) },
  { weight: 2, arbitrary: pick(['0', '-1', '0.5', '2.5', '1.0', '100', '1000', '10000', '100000']) },
  { weight: 1, arbitrary: pick(['1.', '.5', '1.2.3', '99999999999999999999', '1e3', '007', '-0', '0.000001']) },
);

const BYTES = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'KiB', 'MiB', 'GiB', 'GiB', 'GiB', 'TiB', 'PiB'];
const BANDWIDTH = ['Kbps', 'Mbps', 'Gbps', 'Gbps', 'Tbps', 'KBps', 'MBps', 'GBps'];
const DURATION = ['ns', 'us', 'ms', 's', 's', 'min', 'h'];
const WRONG = ['', 'Gbps', 'GiB', 's', '%', 'm', 'x', 'gib', 'Gi8B'];

type Kind = 'bytes' | 'cpu' | 'bandwidth' | 'duration' | 'percent' | 'ratio' | 'count';

const UNITS: Record<Kind, readonly string[]> = {
  bytes: BYTES, cpu: ['', '', 'm'], bandwidth: BANDWIDTH, duration: DURATION, percent: ['%'], ratio: [''], count: [''],
};

/** A value of a kind: usually the right unit, sometimes a wrong or missing one. */
function value(kind: Kind): fc.Arbitrary<string> {
  return fc.tuple(numberText, fc.oneof({ weight: 6, arbitrary: pick(UNITS[kind]) }, { weight: 1, arbitrary: pick(WRONG) })).map(([n, u]) => n + u);
}

const nodeRef: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(pick(RACKS), pick(NODES)).map(([r, n]) => `${r}.${n}`),
  pick(NODES),
  fc.tuple(pick(RACKS), pick(NODES), pick(NODES)).map(([r, a, b]) => `${r}.${a}..${b}`),
  fc.tuple(pick(RACKS), pick(NODES), pick(RACKS), pick(NODES)).map(([r, a, s, b]) => `${r}.${a}..${s}.${b}`),
  pick(RACKS).map((r) => `${r}.*`),
);
const nodeSet: fc.Arbitrary<string> = fc.array(nodeRef, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(', '));
const deviceRef: fc.Arbitrary<string> = fc.tuple(pick(RACKS), pick(NODES), pick(DEVICES)).map(([r, n, d]) => `${r}.${n}.${d}`);
const target: fc.Arbitrary<string> = fc.oneof(pick(SDSES), pick(RACKS), nodeSet, pick(CONTAINERS));
const weight: fc.Arbitrary<string> = fc.option(value('percent').map((w) => ` weight ${w}`), { nil: '' });

/** The properties of each block, as text. */
const PROPS: Record<string, fc.Arbitrary<string>> = {
  oversubscribe: fc.tuple(fc.option(value('ratio'), { nil: null }), fc.option(value('ratio'), { nil: null })).map(([c, m]) => `oversubscribe${c ? ` cpu ${c}` : ''}${m ? ` memory ${m}` : ''}`),
  policy: pick(['static', 'page', 'vcpu', 'cost', 'fast']).map((p) => `policy ${p}`),
  seed: value('count').map((v) => `seed ${v}`),
  duration: value('duration').map((v) => `duration ${v}`),
  tick: value('duration').map((v) => `tick ${v}`),
  threshold: value('percent').map((v) => `threshold locality ${v}`),
  headroom: pick(['0', '1', '2', '5', '-1']).map((v) => `headroom ${v}`),
  latency: value('duration').map((v) => `latency ${v}`),
  bandwidth: value('bandwidth').map((v) => `bandwidth ${v}`),
  cores: value('count').map((v) => `cores ${v}`),
  nodeMemory: value('bytes').map((v) => `memory ${v}`),
  nic: value('bandwidth').map((v) => `nic ${v}`),
  disk: fc.tuple(pick(DEVICES), value('bytes')).map(([d, b]) => `disk ${d} ${b}`),
  role: pick(['active', 'spare', 'standby']).map((r) => `role ${r}`),
  nodes: nodeSet.map((s) => `nodes ${s}`),
  reserve: fc.tuple(fc.option(value('count'), { nil: null }), fc.option(value('bytes'), { nil: null })).map(([c, m]) => `reserve${c ? ` cores ${c}` : ''}${m ? ` memory ${m}` : ''}`),
  granularity: value('bytes').map((v) => `granularity ${v}`),
  image: pick(['"app:1"', '"a \\"quoted\\" b"', '"unterminated', '""', 'bare']).map((s) => `image ${s}`),
  replicas: value('count').map((v) => `replicas ${v}`),
  cpu: fc.oneof(value('cpu').map((v) => `cpu ${v}`), fc.tuple(value('cpu'), value('cpu')).map(([r, l]) => `cpu request ${r} limit ${l}`), value('cpu').map((v) => `cpu limit ${v}`)),
  memory: fc.oneof(value('bytes').map((v) => `memory ${v}`), fc.tuple(value('bytes'), value('bytes')).map(([r, l]) => `memory request ${r} limit ${l}`), value('bytes').map((v) => `memory request ${v}`)),
  load: value('percent').map((v) => `load ${v}`),
  workingset: value('bytes').map((v) => `workingset ${v}`),
  skew: value('ratio').map((v) => `skew ${v}`),
  writes: value('percent').map((v) => `writes ${v}`),
  talks: fc.tuple(pick(CONTAINERS), weight).map(([c, w]) => `talks ${c}${w}`),
  io: fc.tuple(deviceRef, weight).map(([d, w]) => `io ${d}${w}`),
  place: target.map((t) => `place on ${t}`),
  spread: pick(['nodes', 'racks', 'zones']).map((s) => `spread ${s}`),
  colocate: pick(CONTAINERS).map((c) => `colocate ${c}`),
  priority: pick(['low', 'normal', 'high', 'urgent']).map((p) => `priority ${p}`),
  at: fc.tuple(value('duration'), fc.oneof(
    nodeRef.map((n) => `fail ${n}`),
    fc.tuple(nodeRef, pick(SDSES)).map(([n, s]) => `add ${n} to ${s}`),
    fc.tuple(pick(CONTAINERS), value('count')).map(([c, n]) => `scale ${c} to ${n}`),
    fc.tuple(pick(CONTAINERS), value('percent')).map(([c, p]) => `load ${c} ${p}`),
    pick(['explode r1.n1', 'fail', 'add r1.n1', 'scale web']),
  )).map(([t, e]) => `at ${t} ${e}`),
  isolation: pick(['shared', 'vm', 'dedicated', 'dedicated', 'vm', 'kata']).map((i) => `isolation ${i}`),
  vmOverhead: fc.tuple(fc.option(value('cpu'), { nil: null }), fc.option(value('bytes'), { nil: null })).map(([c, m]) => `overhead${c ? ` cpu ${c}` : ''}${m ? ` memory ${m}` : ''}`),
  quota: fc.tuple(fc.option(value('cpu'), { nil: null }), fc.option(value('bytes'), { nil: null })).map(([c, m]) => `quota${c ? ` cpu ${c}` : ''}${m ? ` memory ${m}` : ''}`),
  tenant: fc.oneof({ weight: 4, arbitrary: pick(TENANTS) }, { weight: 1, arbitrary: pick(['r1.n1', 'pod1', 'acm', '']) }).map((t) => `tenant ${t}`),
  network: value('bandwidth').map((v) => `network ${v}`),
  unknown: pick(['bogus 1', 'memroy 4GiB', 'cors 8', 'replica 2', 'placement on r1', 'x']),
};

const BLOCK_PROPS: Record<string, readonly string[]> = {
  defaults: ['oversubscribe', 'policy', 'seed', 'duration', 'tick', 'threshold', 'headroom'],
  rack: ['latency', 'bandwidth'],
  fabric: ['latency', 'bandwidth'],
  node: ['cores', 'nodeMemory', 'nic', 'disk', 'role'],
  sds: ['nodes', 'reserve', 'oversubscribe', 'policy', 'granularity'],
  tenant: ['isolation', 'vmOverhead', 'quota', 'oversubscribe'],
  container: ['image', 'replicas', 'cpu', 'memory', 'load', 'workingset', 'skew', 'writes', 'talks', 'io', 'place', 'spread', 'colocate', 'priority', 'tenant', 'network'],
  scenario: ['duration', 'seed', 'policy', 'at'],
};

/** Properties of a block: mostly its own, sometimes any block's or an unknown one. */
function props(block: string, max: number): fc.Arbitrary<string[]> {
  const own = fc.oneof(...BLOCK_PROPS[block].map((p) => PROPS[p]));
  const any = fc.oneof(...Object.values(PROPS));
  return fc.array(fc.oneof({ weight: 10, arbitrary: own }, { weight: 1, arbitrary: any }), { maxLength: max });
}

/** How properties are separated and whether a comment follows one. */
const separator: fc.Arbitrary<string> = pick([' ', '\n  ', '\n  ', '; ', ';', '\n\n  ', '\t', ' # note\n  ', '\n  # own line\n  ']);

function body(items: readonly string[], seps: readonly string[]): string {
  return items.map((p, i) => (i === 0 ? '' : seps[i % Math.max(1, seps.length)] ?? ' ') + p).join('');
}

function block(head: fc.Arbitrary<string>, inner: fc.Arbitrary<string[]>): fc.Arbitrary<string> {
  return fc.tuple(head, inner, fc.array(separator, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([h, items, seps, multiline]) =>
    multiline ? `${h} {\n  ${body(items, seps)}\n}` : `${h} { ${body(items, seps)} }`);
}

const nodeName: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: pick(NODES) },
  { weight: 3, arbitrary: fc.tuple(pick(['n', 'm', 'n0', 'g']), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 40 })).map(([p, a, b]) => `${p}${a}..${p}${b}`) },
  { weight: 1, arbitrary: pick(['n1..m4', 'n4..n1', 'n1..', 'n01..n100', 'n1..n10000', 'n1..n10001', 'a..b', 'n1..n1']) },
);

const nodeBlock = block(nodeName.map((n) => `node ${n}`), props('node', 5));
const rackBlock = fc.tuple(pick(RACKS), props('rack', 2), fc.array(nodeBlock, { minLength: 0, maxLength: 3 })).map(([name, ps, nodes]) => `rack ${name} {\n  ${[...ps, ...nodes].join('\n  ')}\n}`);
const looseDecl: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: block(fc.constant('defaults'), props('defaults', 4)) },
  { weight: 1, arbitrary: block(fc.constant('fabric'), props('fabric', 2)) },
  { weight: 3, arbitrary: rackBlock },
  { weight: 2, arbitrary: block(pick(SDSES).map((n) => `sds ${n}`), props('sds', 4)) },
  { weight: 4, arbitrary: block(pick(CONTAINERS).map((n) => `container ${n}`), props('container', 8)) },
  { weight: 2, arbitrary: block(pick(TENANTS).map((n) => `tenant ${n}`), props('tenant', 4)) },
  { weight: 2, arbitrary: block(pick(SCENARIOS).map((n) => `scenario ${n}`), props('scenario', 4)) },
  { weight: 1, arbitrary: pick(['import "lib.topo"', 'import "sub/cycle.topo"', 'import "missing.topo"', 'import "../outside.topo"', 'import "main.topo"', 'import "sub/empty.topo"', 'import', 'import lib']) },
  { weight: 1, arbitrary: pick(['# a comment', '', '}', '{', 'node n1 { cores 1 }', 'cores 4', 'rack', 'container {', 'scenario 5s {}']) },
);

/** A file built to be consistent: one or two racks, an SDS over the first, containers that fit, scenarios on real names. */
const consistentFile: fc.Arbitrary<string[]> = fc.record({
  nodes: fc.integer({ min: 1, max: 6 }),
  cores: fc.constantFrom(8, 16, 32),
  memGiB: fc.constantFrom(16, 64, 256),
  spare: fc.boolean(),
  secondRack: fc.boolean(),
  duration: fc.constantFrom('1s', '5s', '20s'),
  policy: pick(['static', 'page', 'vcpu', 'cost']),
  headroom: fc.constantFrom('0', '1'),
  granularity: fc.constantFrom('', '2MiB', '64MiB', '1GiB'),
  containers: fc.array(fc.record({
    replicas: fc.integer({ min: 1, max: 3 }),
    cpu: fc.constantFrom('1', '500m', 'request 1 limit 2', '2'),
    memGiB: fc.constantFrom(1, 2, 4, 8),
    onSds: fc.boolean(),
    talks: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    extra: fc.subarray(['load 70%', 'skew 1.2', 'writes 10%', 'workingset 1GiB', 'priority high', 'spread nodes', 'io r1.n1.nvme0 weight 20%', 'image "svc:1"', 'network 1Gbps', 'network 20Gbps']),
    tenant: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
  }), { minLength: 1, maxLength: 4 }),
  tenants: fc.array(fc.record({
    isolation: pick(['shared', 'vm', 'dedicated']),
    quota: fc.option(fc.constantFrom('cpu 4', 'memory 16GiB', 'cpu 64 memory 512GiB', 'cpu 1'), { nil: null }),
    oversubscribe: fc.option(fc.constantFrom('cpu 1.0', 'cpu 1.5 memory 1.0', 'memory 1.0'), { nil: null }),
    overhead: fc.option(fc.constantFrom('cpu 250m memory 512MiB', 'cpu 1', 'memory 2GiB'), { nil: null }),
  }), { maxLength: 3 }),
  events: fc.array(fc.constantFrom('fail r1.n2', 'add r1.s1 to pod1', 'scale c0 to 2', 'load c0 90%', 'fail r2.m1'), { maxLength: 3 }),
  importLib: fc.boolean(),
}).map((f) => {
  const out: string[] = [];
  if (f.importLib) out.push('import "lib.topo"');
  out.push(`defaults {\n  duration ${f.duration}\n  policy ${f.policy}\n  headroom ${f.headroom}\n  oversubscribe cpu 2.0 memory 1.0\n}`);
  const range = f.nodes === 1 ? 'n1' : `n1..n${f.nodes}`;
  out.push(`rack r1 {\n  latency 2us\n  node ${range} { cores ${f.cores} memory ${f.memGiB}GiB disk nvme0 2TB }${f.spare ? `\n  node s1 { cores ${f.cores} memory ${f.memGiB}GiB role spare }` : ''}\n}`);
  if (f.secondRack) out.push('rack r2 {\n  node m1..m3 { cores 16 memory 64GiB }\n}');
  out.push(`sds pod1 {\n  nodes r1.${range}\n  reserve cores 1 memory 2GiB${f.granularity ? `\n  granularity ${f.granularity}` : ''}\n}`);
  f.tenants.forEach((t, i) => {
    const lines = [`isolation ${t.isolation}`, ...(t.quota ? [`quota ${t.quota}`] : []), ...(t.oversubscribe ? [`oversubscribe ${t.oversubscribe}`] : []), ...(t.overhead ? [`overhead ${t.overhead}`] : [])];
    out.push(`tenant t${i} {\n  ${lines.join('\n  ')}\n}`);
  });
  f.containers.forEach((c, i) => {
    const lines = [`replicas ${c.replicas}`, `cpu ${c.cpu}`, `memory ${c.memGiB}GiB`, ...c.extra];
    if (c.tenant !== null && c.tenant < f.tenants.length) lines.push(`tenant t${c.tenant}`);
    if (c.talks !== null && c.talks < f.containers.length && c.talks !== i) lines.push(`talks c${c.talks} weight 20%`);
    lines.push(`place on ${c.onSds || !f.secondRack ? 'pod1' : 'r2'}`);
    out.push(`container c${i} {\n  ${lines.join('\n  ')}\n}`);
  });
  if (f.events.length) out.push(`scenario "what if" {\n  duration 1s\n  ${f.events.map((e, i) => `at ${i * 100 + 50}ms ${e}`).join('\n  ')}\n}`);
  return out;
});

/** Pieces inserted by the token-level perturbations. */
const PIECES = ['{', '}', '..', '.', ',', ';', '"', '#', '*', '-', '0', '1.5', 'GiB', '%', '\n', 'node', 'rack', 'sds', 'container',
  'scenario', 'place on', 'talks', 'at 5s fail', 'r1.*', 'n1..n9', 'memory', 'cores', 'cpu request', 'limit', 'weight', 'import', '\u00e9', '\u{1F600}', '\t', '\r\n'];

type Perturbation = { readonly op: 'delete' | 'insert' | 'duplicate' | 'swap' | 'truncate'; readonly at: number; readonly piece: string };

const perturbation: fc.Arbitrary<Perturbation> = fc.record({
  op: pick(['delete', 'insert', 'insert', 'duplicate', 'swap', 'truncate'] as const),
  at: fc.nat(1_000_000),
  piece: pick(PIECES),
});

/** Applies a token-level perturbation: `at` picks a token (modulo the count). */
function perturb(text: string, p: Perturbation): string {
  const t = lex(text);
  const n = t.count; // includes EOF (an insertion point at the end)
  const i = p.at % n;
  const s = t.start[i];
  const e = t.end[i];
  switch (p.op) {
    case 'delete': return text.slice(0, s) + text.slice(e);
    case 'insert': return `${text.slice(0, s)}${p.piece} ${text.slice(s)}`;
    case 'duplicate': return `${text.slice(0, e)} ${text.slice(s, e)}${text.slice(e)}`;
    case 'truncate': return text.slice(0, s);
    case 'swap': {
      if (i + 1 >= n - 1) return text;
      const s2 = t.start[i + 1];
      const e2 = t.end[i + 1];
      return text.slice(0, s) + text.slice(s2, e2) + text.slice(e, s2) + text.slice(s, e) + text.slice(e2);
    }
  }
}

export interface GeneratedCase {
  readonly decls: readonly string[];
  readonly perturbations: readonly Perturbation[];
  readonly crlf: boolean;
  readonly indent: string;
  readonly offsets: readonly number[];
}

export function render(g: GeneratedCase): FuzzInput {
  let text = g.decls.join('\n\n') + '\n';
  if (g.indent !== '  ') text = text.replace(/\n {2}/g, `\n${g.indent}`);
  for (const p of g.perturbations) text = perturb(text, p);
  if (g.crlf) text = text.replace(/\r?\n/g, '\r\n');
  return { path: MAIN, text, files: LIBRARY, offsets: g.offsets };
}

/** A generated case (kept unrendered so that fast-check shrinks its parts). */
export const generatedCase: fc.Arbitrary<GeneratedCase> = fc.record({
  decls: fc.oneof(
    { weight: 2, arbitrary: consistentFile },
    { weight: 3, arbitrary: fc.array(looseDecl, { maxLength: 9 }) },
  ),
  perturbations: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.array(perturbation, { minLength: 1, maxLength: 4 }) }),
  crlf: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  indent: pick(['  ', '  ', '    ', '\t', '', ' ']),
  offsets: fc.array(fc.nat(1_000_000), { minLength: 2, maxLength: 8 }),
});
