// `topo size`: the fewest nodes per target. Hand-computed cases (each reason), the optimum of
// the bin-packing MILP (HiGHS) on generated small instances and its lower bound on larger
// ones, independence from declaration order, and the CLI's text and JSON (against its schema).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import loadHighs, { type Highs } from 'highs';
import { checkText } from '../../../server/src/core/check';
import { sizeModel, type SizeTarget } from '../../../server/src/core/sizing/index';
import { schemaFileName, schemaUrl } from '../../../server/src/cli/documents';
import { SCHEMA_DIR } from '../../../scripts/schemas';
import { REPO, runOnCase, topoFiles } from '../cli/corpus';
import { patternBound } from './pattern-bound';

function size(text: string): SizeTarget[] {
  const r = checkText(text);
  const bad = r.diagnostics.filter((d) => d.severity === 'error' && !d.code.startsWith('T4'));
  assert.deepEqual(bad.map((d) => `${d.code} ${d.message}`), []);
  return sizeModel(r.model);
}

function one(text: string): SizeTarget {
  const t = size(text);
  assert.equal(t.length, 1);
  return t[0];
}

const rack = (nodes: number, extra = ''): string => `rack r1 {\n  node n1..n${nodes} { cores 8 memory 32GiB }\n${extra}}\n`;

test('memory decides: 10 replicas of 12GiB fit two to a 32GiB node, so 5 of 8 nodes', () => {
  const t = one(`defaults { headroom 0 }\n${rack(8)}container a { replicas 10 cpu 1 memory 12GiB place on r1 }\n`);
  assert.deepEqual({ now: t.now.nodes, needed: t.needed?.nodes, reason: t.reason, spares: t.spares }, { now: 8, needed: 5, reason: 'memory', spares: 0 });
  assert.deepEqual(t.needed?.shapes, [{ cores: 8, memory: 32 * 2 ** 30, nodes: 5 }]);
});

test('network decides: 10 replicas of 4Gbps fit two to a 10Gbps NIC, so 5 of 8 nodes (CPU and memory would need 2)', async () => {
  // 2 x 4 = 8 <= 10 Gbps, 3 x 4 = 12 > 10: two per node, ceil(10 / 2) = 5 nodes; by CPU 10 x 1 of 8 cores is 2 nodes,
  // by memory 10 x 2GiB of 32GiB is 1 node. At 4 nodes 2 replicas are left out for the NIC.
  const text = `defaults { headroom 0 }\nrack r1 {\n  node n1..n8 { cores 8 memory 32GiB nic 10Gbps }\n}\ncontainer a { replicas 10 cpu 1 memory 2GiB network 4Gbps place on r1 }\n`;
  const t = one(text);
  assert.deepEqual({ now: t.now.nodes, needed: t.needed?.nodes, reason: t.reason }, { now: 8, needed: 5, reason: 'network' });
  // without the network request the same file needs 2 nodes, decided by CPU
  const plain = one(text.replace(' network 4Gbps', ''));
  assert.deepEqual({ needed: plain.needed?.nodes, reason: plain.reason }, { needed: 2, reason: 'cpu' });
  // the CLI's line says so
  const out = await runOnCase({ name: 'network', main: 'a.topo', files: { 'a.topo': text } }, ['size', '{file}']);
  assert.match(out.out, /rack r1: needs 5 of 8 nodes \(3 left over; decided by network\)/);
});

test('cpu decides: 9 replicas of 3 cores fit two to an 8-core node, so 5 nodes', () => {
  const t = one(`defaults { headroom 0 }\n${rack(8)}container a { replicas 9 cpu 3 memory 1GiB place on r1 }\n`);
  assert.deepEqual({ needed: t.needed?.nodes, reason: t.reason }, { needed: 5, reason: 'cpu' });
});

test('headroom decides: surviving the loss of one node needs one more (6), and a spare is reported apart', () => {
  const t = one(`defaults { headroom 1 }\nrack r1 {\n  node n1..n8 { cores 8 memory 32GiB }\n  node s1 { cores 8 memory 32GiB role spare }\n}\ncontainer a { replicas 10 cpu 1 memory 12GiB place on r1 }\n`);
  // with the spare standing in for a lost node, 5 actives already survive one loss
  assert.deepEqual({ now: t.now.nodes, needed: t.needed?.nodes, spares: t.spares }, { now: 8, needed: 5, spares: 1 });
  const u = one(`defaults { headroom 1 }\n${rack(8)}container a { replicas 10 cpu 1 memory 12GiB place on r1 }\n`);
  assert.deepEqual({ needed: u.needed?.nodes, reason: u.reason }, { needed: 6, reason: 'headroom' });
});

test('spread decides: 7 tiny replicas spread over nodes need 7 nodes', () => {
  const t = one(`defaults { headroom 0 }\n${rack(8)}container a { replicas 7 cpu 100m memory 100MiB spread nodes place on r1 }\n`);
  assert.deepEqual({ needed: t.needed?.nodes, reason: t.reason }, { needed: 7, reason: 'spread' });
});

test('a target that does not fit is sized above what it has, with copies of its node', () => {
  const t = one(`defaults { headroom 0 }\n${rack(2)}container a { replicas 10 cpu 1 memory 12GiB place on r1 }\n`);
  assert.deepEqual({ now: t.now.nodes, needed: t.needed?.nodes }, { now: 2, needed: 5 });
});

test('limits over the allowance decide too: cpu limit 8 at oversubscribe 1.0 is one replica per 8-core node', () => {
  const t = one(`defaults { headroom 0 oversubscribe cpu 1.0 memory 1.0 }\n${rack(8)}container a { replicas 4 cpu request 1 limit 8 memory 1GiB place on r1 }\n`);
  assert.deepEqual({ needed: t.needed?.nodes, reason: t.reason }, { needed: 4, reason: 'cpu' });
});

test('a replica larger than every node cannot be sized by adding nodes of that shape', () => {
  const t = one(`defaults { headroom 0 }\n${rack(2)}container a { cpu 1 memory 64GiB place on r1 }\n`);
  assert.equal(t.needed, null);
  assert.match(t.problem ?? '', /no count up to/);
});

test('SDS: capacity by the sums less the reserve, then the simulator checks locality (runs counted)', () => {
  const text = `defaults { headroom 0 threshold locality 10% duration 1s }\nrack r1 { node n1..n6 { cores 16 memory 64GiB } }\nsds s { nodes r1.n1..n6 reserve cores 0 memory 4GiB }\ncontainer big { memory 150GiB cpu 4 workingset 10GiB place on s }\n`;
  const t = one(text);
  // 150GiB over 60GiB per member: 3 members
  assert.equal(t.kind, 'sds');
  assert.equal(t.needed?.nodes, 3);
  assert.ok((t.simulations ?? 0) >= 1);
  assert.equal(t.localityMet, true);
});

test('SDS: which containers force it, and that none does when each fits on one of its nodes', () => {
  // 16-core 64GiB nodes, defaults oversubscribe cpu 2: big asks 150GiB (> 64GiB), wide 20 cores
  // (> 16), burst a limit of 40 cores (> 16 x 2 allowed); small fits on one node and is not named.
  const text = `defaults { headroom 0 oversubscribe cpu 2 memory 1 }\nrack r1 { node n1..n6 { cores 16 memory 64GiB } }\nsds s { nodes r1.n1..n6 reserve cores 0 memory 4GiB }\n`
    + 'container big { memory 150GiB cpu 4 place on s }\ncontainer wide { memory 8GiB cpu 20 place on s }\n'
    + 'container burst { memory 8GiB cpu request 8 limit 40 place on s }\ncontainer small { replicas 3 memory 8GiB cpu 2 place on s }\n';
  const t = size(text).find((x) => x.kind === 'sds');
  assert.deepEqual(t?.forcedBy, [
    { container: 'big', exceeds: [{ resource: 'memory', of: 'request', asks: 150 * 2 ** 30, largest: 64 * 2 ** 30 }] },
    { container: 'wide', exceeds: [{ resource: 'cpu', of: 'request', asks: 20, largest: 16 }] },
    { container: 'burst', exceeds: [{ resource: 'cpu', of: 'limit', asks: 40, largest: 32 }] },
  ]);
  const none = size('defaults { headroom 0 }\nrack r1 { node n1..n4 { cores 16 memory 64GiB } }\nsds s { nodes r1.n1..n4 }\ncontainer small { replicas 3 memory 8GiB cpu 2 place on s }\n').find((x) => x.kind === 'sds');
  assert.deepEqual(none?.forcedBy, []);
  assert.equal(size(`defaults { headroom 0 }\n${rack(4)}container a { cpu 1 memory 1GiB place on r1 }\n`)[0].forcedBy, undefined, 'a rack has no such field');
});

test('SDS alternative: the fewest plain nodes of its shapes for what fits on one, with the cost, checked by hand', async () => {
  // Plain nodes of 16 cores and 64GiB (no reserve). big (150GiB) fits on none. web (6 cores, 20GiB)
  // x5 and db (2 cores, 40GiB) x2: two dbs never share a node (80GiB), a node with a db takes one web
  // (60GiB; two more would be 80GiB), a node without takes two webs (three are 18 cores). So 2 nodes
  // of db + web and 2 of two webs (one left for the last): 4 nodes, and 3 fail on memory (180GiB
  // of 192GiB, but no arrangement). Cost: 4 x 10,000 = 40,000; 500W x 3 x 8,760h = 13,140 kWh a
  // node, x 0.25 = 3,285, x 4 = 13,140; total 53,140.
  const text = 'defaults { headroom 0 energy 0.25 lifetime 3y oversubscribe cpu 2 memory 1 }\nrack r1 { node n1..n6 { cores 16 memory 64GiB price 10000 power 500W } }\n'
    + 'sds s { nodes r1.n1..n6 reserve cores 0 memory 4GiB }\ncontainer big { memory 150GiB cpu 4 place on s }\n'
    + 'container web { replicas 5 cpu 6 memory 20GiB place on s }\ncontainer db { replicas 2 cpu 2 memory 40GiB place on s }\n';
  const r = checkText(text);
  const t = sizeModel(r.model, { maxSimulations: 0 })[0];
  assert.deepEqual(t.alternative, { nodes: 4, shapes: [{ cores: 16, memory: 64 * 2 ** 30, nodes: 4 }], purchase: 40000, energy: 13140, total: 53140, reason: 'memory', unplaceable: ['big'] });
  // the SDS itself: 330GiB over 60GiB a member, 6 nodes
  assert.equal(t.needed?.nodes, 6);
  // the checker agrees: on a plain rack of 4 such nodes web and db check clean, on 3 they do not
  const plain = (n: number): string => `defaults { headroom 0 oversubscribe cpu 2 memory 1 }\nrack p { node p1..p${n} { cores 16 memory 64GiB } }\ncontainer web { replicas 5 cpu 6 memory 20GiB place on p }\ncontainer db { replicas 2 cpu 2 memory 40GiB place on p }\n`;
  assert.equal(checkText(plain(4)).diagnostics.filter((d) => d.severity === 'error').length, 0);
  assert.ok(checkText(plain(3)).diagnostics.some((d) => d.code === 'T400'));
  // every container forced: nothing to buy; none forced: the whole load, nothing unplaceable
  const all = sizeModel(checkText(text.replace(/container web.*\n/, '').replace(/container db.*\n/, '')).model, { maxSimulations: 0 })[0];
  assert.deepEqual(all.alternative, { nodes: 0, shapes: [], reason: null, unplaceable: ['big'], purchase: 0, energy: 0, total: 0 });
  const none = sizeModel(checkText(text.replace(/container big.*\n/, '')).model, { maxSimulations: 0 })[0];
  assert.deepEqual({ nodes: none.alternative?.nodes, unplaceable: none.alternative?.unplaceable }, { nodes: 4, unplaceable: [] });
  // a container that must share a node with big cannot run on plain nodes either: left out, named
  const side = sizeModel(checkText(`${text}container side { replicas 2 cpu 1 memory 1GiB colocate big place on s }\n`).model, { maxSimulations: 0 })[0];
  assert.deepEqual({ nodes: side.alternative?.nodes, unplaceable: side.alternative?.unplaceable }, { nodes: 4, unplaceable: ['big', 'side'] });
  const c = { name: 'x', main: 'a.topo', files: { 'a.topo': text } };
  const out = await runOnCase(c, ['size', '{file}', '--runs', '0']);
  assert.match(out.out, /\n {2}without the SDS: 4 plain nodes \(4 x 16 cores 64GiB; decided by memory\) for all but big \(which cannot run on plain nodes\); cost 53,140 \(40,000 to buy \+ 13,140 of energy over 3y\)\n/);
  assert.equal(size(`defaults { headroom 0 }\n${rack(4)}container a { cpu 1 memory 1GiB place on r1 }\n`)[0].alternative, undefined, 'a rack has no alternative');
});

test('money: purchase, energy over the lifetime and the total, now and as sized, checked by hand', () => {
  // 8 nodes of 12,000 drawing 450W; 10 replicas of 48GiB fit five to a 256GiB node: 2 nodes.
  // Energy over 3 years of 365 days: 450W x 26,280h = 11,826 kWh a node, at 0.25 = 2,956.50.
  const text = 'defaults { headroom 0 energy 0.25 lifetime 3y }\nrack r1 { node n1..n8 { cores 32 memory 256GiB price 12000 power 450W } }\ncontainer web { replicas 10 cpu 4 memory 48GiB place on r1 }\n';
  const t = one(text);
  assert.deepEqual(t.now, { nodes: 8, purchase: 96000, energy: 23652, total: 119652 });
  assert.deepEqual(t.needed && { nodes: t.needed.nodes, purchase: t.needed.purchase, energy: t.needed.energy, total: t.needed.total }, { nodes: 2, purchase: 24000, energy: 5913, total: 29913 });
  // 1.2kW for 5 years at 0.1: 1,200W x 43,800h / 1000 x 0.1 = 5,256 a node
  const k = one(text.replace('450W', '1.2kW').replace('energy 0.25 lifetime 3y', 'energy 0.1 lifetime 5y'));
  assert.equal(k.needed?.energy, 2 * 5256);
  // without energy: the purchase only; without price: no money at all
  assert.deepEqual(one(text.replace('energy 0.25 ', '')).now, { nodes: 8, purchase: 96000, total: 96000 });
  assert.deepEqual(one(text.replace(' price 12000', '')).now, { nodes: 8 });
});

test('money: with prices, the cheapest mix that works, not the fewest nodes', () => {
  // 8 replicas of 4 cores and 30GiB. CPU nodes (32 cores, 64GiB, 8,000) hold two each (memory):
  // 4 nodes, 32,000. Memory nodes (16 cores, 256GiB, 20,000) hold four each (CPU): 2 nodes, 40,000.
  const text = (prices: boolean): string => `defaults { headroom 0 }\nrack r1 {\n  node c1..c4 { cores 32 memory 64GiB${prices ? ' price 8000' : ''} }\n  node m1..m4 { cores 16 memory 256GiB${prices ? ' price 20000' : ''} }\n}\ncontainer a { replicas 8 cpu 4 memory 30GiB place on r1 }\n`;
  const cheap = one(text(true));
  assert.deepEqual({ nodes: cheap.needed?.nodes, total: cheap.needed?.total, shapes: cheap.needed?.shapes }, { nodes: 4, total: 32000, shapes: [{ cores: 32, memory: 64 * 2 ** 30, nodes: 4 }] });
  const few = one(text(false));
  assert.deepEqual({ nodes: few.needed?.nodes, shapes: few.needed?.shapes }, { nodes: 2, shapes: [{ cores: 16, memory: 256 * 2 ** 30, nodes: 2 }] });
});

test('several node shapes: the shape that holds the load is taken first, so 3 memory nodes rather than 4 CPU nodes and 3 more', () => {
  const t = one(`defaults { headroom 0 }\nrack r1 {\n  node c1..c4 { cores 32 memory 64GiB }\n  node m1..m4 { cores 8 memory 256GiB }\n}\ncontainer a { replicas 6 cpu 1 memory 120GiB place on r1 }\n`);
  assert.deepEqual({ now: t.now.nodes, needed: t.needed?.nodes, shapes: t.needed?.shapes, reason: t.reason }, { now: 8, needed: 3, shapes: [{ cores: 8, memory: 256 * 2 ** 30, nodes: 3 }], reason: 'memory' });
});

test('the sizing does not depend on the order the containers are declared in', () => {
  const cs = ['container a { replicas 5 cpu 3 memory 4GiB place on r1 }', 'container b { replicas 6 cpu 1 memory 14GiB place on r1 }', 'container c { replicas 3 cpu 2 memory 9GiB place on r1 }'];
  const a = one(`defaults { headroom 0 }\n${rack(12)}${cs.join('\n')}\n`);
  const b = one(`defaults { headroom 0 }\n${rack(12)}${[...cs].reverse().join('\n')}\n`);
  assert.equal(a.needed?.nodes, b.needed?.nodes);
});

// ---------------------------------------------------------------- against the optimum

interface Kind { cpu: number; cpuLimit: number; gib: number; replicas: number }

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

function instance(seed: number, kinds: number, maxReplicas: number): Kind[] {
  const r = rng(seed);
  return Array.from({ length: kinds }, () => {
    const cpu = [0.5, 1, 2, 3, 5][Math.floor(r() * 5)];
    return { cpu, cpuLimit: cpu * [1, 2, 3][Math.floor(r() * 3)], gib: [2, 4, 6, 10, 14][Math.floor(r() * 5)], replicas: 1 + Math.floor(r() * maxReplicas) };
  });
}

const CORES = 8, GIB = 32, CPU_RATIO = 2;

function text(kinds: readonly Kind[], nodes: number): string {
  return [`defaults { headroom 0 pack tight oversubscribe cpu ${CPU_RATIO} memory 1.0 }`, `rack r1 { node ${nodes === 1 ? 'n1' : `n1..n${nodes}`} { cores ${CORES} memory ${GIB}GiB } }`,
    ...kinds.map((k, i) => `container c${i} { replicas ${k.replicas} cpu request ${k.cpu} limit ${k.cpuLimit} memory ${k.gib}GiB place on r1 }`)].join('\n');
}

/** The MILP: x[i][j] replicas of kind i on node j, y[j] node j used; requests and limits within each used node. */
function milp(kinds: readonly Kind[], J: number): string {
  const rows: string[] = [];
  kinds.forEach((k, i) => rows.push(` d${i}: ${Array.from({ length: J }, (_, j) => `x${i}_${j}`).join(' + ')} = ${k.replicas}`));
  const dims: [string, (k: Kind) => number, number][] = [['c', (k) => k.cpu, CORES], ['m', (k) => k.gib, GIB], ['l', (k) => k.cpuLimit, CORES * CPU_RATIO]];
  for (let j = 0; j < J; j++) {
    for (const [n, f, cap] of dims) rows.push(` ${n}${j}: ${kinds.map((k, i) => `${f(k)} x${i}_${j}`).join(' + ')} - ${cap} y${j} <= 0`);
    if (j + 1 < J) rows.push(` s${j}: y${j} - y${j + 1} >= 0`);
  }
  const bounds = [...kinds.flatMap((k, i) => Array.from({ length: J }, (_, j) => ` 0 <= x${i}_${j} <= ${k.replicas}`)), ...Array.from({ length: J }, (_, j) => ` 0 <= y${j} <= 1`)];
  const ints = [...kinds.flatMap((_, i) => Array.from({ length: J }, (_, j) => `x${i}_${j}`)), ...Array.from({ length: J }, (_, j) => `y${j}`)];
  return `Minimize\n obj: ${Array.from({ length: J }, (_, j) => `y${j}`).join(' + ')}\nSubject To\n${rows.join('\n')}\nBounds\n${bounds.join('\n')}\nGenerals\n ${ints.join(' ')}\nEnd\n`;
}

/** The fewest nodes at which the checker reports no error, by trying every count from 1 (independent of the sizing's search). */
function checkerMinimum(kinds: readonly Kind[], upTo: number): number {
  for (let n = 1; n <= upTo; n++) if (!checkText(text(kinds, n)).diagnostics.some((d) => d.severity === 'error')) return n;
  return Infinity;
}

const SMALL = Array.from({ length: 40 }, (_, i) => i + 1);

async function optima(): Promise<Map<number, { kinds: Kind[]; optimum: number; sized: number }>> {
  const highs = await loadHighs();
  const out = new Map<number, { kinds: Kind[]; optimum: number; sized: number }>();
  for (const seed of SMALL) {
    const kinds = instance(seed, 2 + (seed % 3), 5);
    const total = kinds.reduce((s, k) => s + k.replicas, 0);
    const s = highs.solve(milp(kinds, total), { output_flag: false, time_limit: 20 });
    assert.equal(s.Status, 'Optimal', `seed ${seed}`);
    const t = one(text(kinds, total));
    assert.ok(t.needed !== null, `seed ${seed}`);
    out.set(seed, { kinds, optimum: Math.round(s.ObjectiveValue), sized: t.needed.nodes });
  }
  return out;
}

const solved = optima();

test('small generated instances: never below the MILP optimum (HiGHS), and exactly the fewest count the checker accepts', async () => {
  for (const [seed, x] of await solved) {
    assert.ok(x.sized >= x.optimum, `seed ${seed}: sized ${x.sized} under the optimum ${x.optimum}: the claim cannot hold`);
    assert.equal(x.sized, checkerMinimum(x.kinds, x.sized + 2), `seed ${seed}`);
  }
});

// The greedy pack alone needed more nodes than the optimum on 3 of these (seed 32: 8 against
// 6); the bounded exact search it falls back to (placement/exact-fit.ts) closes the gap.
test('small generated instances: the sized count equals the MILP optimum', async () => {
  const misses = [...(await solved)].filter(([, x]) => x.sized !== x.optimum).map(([seed, x]) => `seed ${seed}: sized ${x.sized}, optimum ${x.optimum}`);
  assert.deepEqual(misses, []);
});

function largeBound(kinds: readonly Kind[]): number {
  const sum = (f: (k: Kind) => number): number => kinds.reduce((s, k) => s + k.replicas * f(k), 0);
  return Math.max(Math.ceil(sum((k) => k.cpu) / CORES - 1e-9), Math.ceil(sum((k) => k.gib) / GIB - 1e-9), Math.ceil(sum((k) => k.cpuLimit) / (CORES * CPU_RATIO) - 1e-9));
}

test('larger generated instances: never below the lower bound (the sums over one node)', () => {
  for (let seed = 100; seed < 106; seed++) {
    const kinds = instance(seed, 12, 30);
    const bound = largeBound(kinds);
    const t = one(text(kinds, bound + 20));
    assert.ok(t.needed !== null);
    assert.ok(t.needed.nodes >= bound, `seed ${seed}: ${t.needed.nodes} under the lower bound ${bound}`);
  }
});

/** The pattern LP's lower bound (pattern-bound.ts) for kinds on the generated nodes: cpu in half cores, memory in GiB, cpu limits in half cores. */
function lpBound(highs: Highs, kinds: readonly Kind[]): number {
  return patternBound(highs, kinds.map((k) => ({ demand: [k.cpu * 2, k.gib, k.cpuLimit * 2], count: k.replicas })), [CORES * 2, GIB, CORES * CPU_RATIO * 2]).bound;
}

test('the pattern LP bound is a lower bound: never above the MILP optimum on the small instances, and never below the sums', async () => {
  const highs = await loadHighs();
  let tight = 0;
  for (const [seed, x] of await solved) {
    const b = lpBound(highs, x.kinds);
    assert.ok(b <= x.optimum, `seed ${seed}: bound ${b} above the optimum ${x.optimum}`);
    assert.ok(b >= largeBound(x.kinds), `seed ${seed}: bound ${b} below the sums' ${largeBound(x.kinds)}`);
    if (b === x.optimum) tight++;
  }
  // the bound is the optimum on most of them (it would be useless if it were the sums' bound only)
  assert.ok(tight >= 30, `the bound is the optimum on only ${tight} of ${SMALL.length}`);
});

test('the pattern LP bound by hand: where it beats the sums, and where both are the optimum', async () => {
  // On nodes of 10: items of 6 (x2) and 5 (x2): no node holds two 6s nor a 6 and a 5, so the
  // patterns are {6} and {5,5}: 2 + 1 = 3 nodes, as the sums say (22/10). Three 6s: the sums say
  // 2 (18/10), but one node holds one: 3. With four 4s added ({6,4} x2, {5,5}, {4,4}): 4, as the
  // sums (38/10).
  const highs = await loadHighs();
  assert.equal(patternBound(highs, [{ demand: [6], count: 2 }, { demand: [5], count: 2 }], [10]).bound, 3);
  assert.equal(patternBound(highs, [{ demand: [6], count: 3 }], [10]).bound, 3);
  assert.equal(patternBound(highs, [{ demand: [6], count: 2 }, { demand: [5], count: 2 }, { demand: [4], count: 4 }], [10]).bound, 4);
  // two dimensions: (6,1) and (1,6) pair up on a (7,7) node: 5 of each need 5 nodes, not 10
  assert.equal(patternBound(highs, [{ demand: [6, 1], count: 5 }, { demand: [1, 6], count: 5 }], [7, 7]).bound, 5);
});

const LARGE = Array.from({ length: 60 }, (_, i) => i + 100);

// Measured with placement/pattern-fill.ts: on seeds 100-159 the sized count is the pattern LP's
// bound on 55 (so optimal) and one over it on 5 (103, 120, 144, 146, 153; HiGHS finds a packing on
// the bound's count for 103 and 146 in 30 s, and decides neither way for the other three). Before
// it (greedy and the exact search only) the packer was 2 to 5 over on some (seed 100: 39 against
// 37, seed 106: 72 against 67).
test('larger generated instances: within one node of optimal (the pattern LP bound, HiGHS), and checked by the checker', async () => {
  const highs = await loadHighs();
  const over: string[] = [];
  let atBound = 0;
  for (const seed of LARGE) {
    const kinds = instance(seed, 12, 30);
    const bound = lpBound(highs, kinds);
    const t = one(text(kinds, bound + 20));
    const sized = t.needed?.nodes ?? Infinity;
    assert.ok(sized >= bound, `seed ${seed}: sized ${sized} under the lower bound ${bound}: the claim cannot hold`);
    if (sized > bound + 1) over.push(`seed ${seed}: sized ${sized}, optimum at least ${bound}`);
    if (sized === bound) atBound++;
    // the checker is the oracle: clean at the sized count, a T4xx error one node fewer
    assert.deepEqual(checkText(text(kinds, sized)).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), [], `seed ${seed}`);
    assert.ok(checkText(text(kinds, sized - 1)).diagnostics.some((d) => d.severity === 'error' && d.code.startsWith('T4')), `seed ${seed}`);
  }
  assert.deepEqual(over, []);
  assert.ok(atBound >= 55, `optimal (at the bound) on ${atBound} of ${LARGE.length}; it was 55`);
});

// ---------------------------------------------------------------- the CLI

const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(join(SCHEMA_DIR, schemaFileName('size')), 'utf8')) as object);

test('topo size --format json on the examples and the T4xx fixtures validates against schemas/size.v1', async () => {
  const files = [...topoFiles(join(REPO, 'examples')), ...topoFiles(join(REPO, 'test/fixtures/T4xx'))];
  const all: Record<string, string> = {};
  for (const f of files) all[relative(REPO, f)] = readFileSync(f, 'utf8');
  let targets = 0;
  for (const f of files) {
    const c = { name: relative(REPO, f), main: relative(REPO, f), files: all };
    const r = await runOnCase(c, ['size', '{file}', '--format', 'json']);
    assert.ok(r.code === 0 || r.code === 1, `${c.name}: exit ${r.code} ${r.err}`);
    const doc = JSON.parse(r.out) as { $schema: string; targets: unknown[] };
    assert.equal(doc.$schema, schemaUrl('size'));
    assert.ok(validate(doc), `${c.name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    targets += doc.targets.length;
  }
  assert.ok(targets >= files.length);
});

test('topo size text: one line per target with what it needs of what it has; a file with T2xx errors is not sized', async () => {
  const c = { name: 'x', main: 'a.topo', files: { 'a.topo': `defaults { headroom 0 }\n${rack(8)}container a { replicas 10 cpu 1 memory 12GiB place on r1 }\n` } };
  const r = await runOnCase(c, ['size', '{file}']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'rack r1: needs 5 of 8 nodes (3 left over; decided by memory): 5 x 8 cores 32GiB\n');
  const bad = { name: 'y', main: 'a.topo', files: { 'a.topo': `${rack(2)}container a { cpu 1 memory 1GiB place on r9 }\n` } };
  const b = await runOnCase(bad, ['size', '{file}']);
  assert.equal(b.code, 1);
  assert.match(b.err, /T200[\s\S]*not sized: fix these errors first/);
});

test('topo size --runs: 0 skips the locality check and says so; a bad value is a usage error', async () => {
  const text = `defaults { headroom 0 }\nrack r1 { node n1..n6 { cores 16 memory 64GiB } }\nsds s { nodes r1.n1..n6 reserve cores 0 memory 4GiB }\ncontainer big { memory 150GiB cpu 4 place on s }\n`;
  const c = { name: 'x', main: 'a.topo', files: { 'a.topo': text } };
  const r = await runOnCase(c, ['size', '{file}', '--runs', '0', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const t = (JSON.parse(r.out) as { targets: SizeTarget[] }).targets[0];
  assert.deepEqual({ needed: t.needed?.nodes, simulations: t.simulations, met: t.localityMet }, { needed: 3, simulations: 0, met: undefined });
  const txt = await runOnCase(c, ['size', '{file}', '--runs', '0']);
  assert.match(txt.out, /^SDS s: needs 3 of 6 nodes \(3 left over; decided by memory\): 3 x 16 cores 64GiB; locality not checked \(--runs 0\)\n {2}needs an SDS for: big \(150GiB; the largest node has 64GiB\)\n {2}without the SDS: nothing could run on plain nodes of its shapes \(big cannot\)\n$/);
  const bad = await runOnCase(c, ['size', '{file}', '--runs', 'many']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--runs must be a whole number/);
});

test('topo size never crashes: over the corpus (examples, fixtures, fuzz regressions, generated and mutated programs) it exits 0 or 1, with valid JSON or the errors that stop it', async () => {
  const { corpus } = await import('../cli/corpus');
  const cases = corpus({ generated: 30, mutated: 30 });
  let sized = 0;
  for (const c of cases) {
    const r = await runOnCase(c, ['size', '{file}', '--format', 'json', '--runs', '1']);
    assert.ok(r.code === 0 || r.code === 1, `${c.name}: exit ${r.code}: ${r.err.slice(0, 300)}`);
    if (r.out) {
      const doc = JSON.parse(r.out) as { targets: unknown[] };
      assert.ok(validate(doc), `${c.name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
      sized += doc.targets.length;
    } else {
      assert.match(r.err, /not sized: fix these errors first/, c.name);
    }
  }
  assert.ok(sized >= 20, `only ${sized} targets sized`);
});
