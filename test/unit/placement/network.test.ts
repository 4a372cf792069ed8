// Network requests as a budget of the packer: a replica's `network` counts against its node's
// `nic` as CPU and memory count against its cores and memory. Checked against brute force over
// every assignment on small random instances, and on a case the old repair pass (which moved
// replicas off an over-full NIC after a CPU-and-memory pack) got wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { pack, type PackItem, type PackNode } from '../../../server/src/core/placement/pack';
import { seeded } from '../../seeded';

const GBPS = 1e9 / 8; // bytes per second in one Gbps

const node = (id: number, cpu: number, memory: number, nic: number, ratio = 1): PackNode => ({ id, rack: 0, cpu, memory, cpuAllowance: cpu * ratio, memoryAllowance: memory, nic });
const item = (container: number, replicas: number, cpu: number, memory: number, network: number, eligible: readonly number[], cpuLimit = cpu): PackItem => ({
  container, replicas, cpuRequest: cpu, memoryRequest: memory, cpuLimit, memoryLimit: memory, network, eligible, spread: null, colocate: null, rank: 0,
});

const demandOf = (it: PackItem): number[] => [it.cpuRequest, it.memoryRequest, it.cpuLimit, it.memoryLimit, it.network ?? 0];
const budgetOf = (nd: PackNode): number[] => [nd.cpu, nd.memory, nd.cpuAllowance, nd.memoryAllowance, nd.nic ?? Infinity];

/** Null when every placed replica is on an eligible node and no node is over any of its five budgets; else what is wrong. */
function violation(nodes: readonly PackNode[], items: readonly PackItem[], where: readonly Int32Array[]): string | null {
  const used = nodes.map(() => [0, 0, 0, 0, 0]);
  for (let i = 0; i < items.length; i++) {
    for (const x of where[i]) {
      if (x < 0) continue;
      if (!items[i].eligible.includes(x)) return `container ${items[i].container} on node ${x}, not eligible`;
      demandOf(items[i]).forEach((v, d) => { used[x][d] += v; });
    }
  }
  for (let x = 0; x < nodes.length; x++) {
    const cap = budgetOf(nodes[x]);
    if (used[x].some((v, d) => v > cap[d] + 1e-9)) return `node ${x} over a budget: ${used[x].join(',')} of ${cap.join(',')}`;
  }
  return null;
}

/** Whether some assignment of every replica to an eligible node holds all five budgets (replicas of one container on non-decreasing nodes: each multiset once). */
function bruteForce(nodes: readonly PackNode[], items: readonly PackItem[]): boolean {
  const replicas: { it: PackItem; first: boolean }[] = items.flatMap((it) => Array.from({ length: it.replicas }, (_, r) => ({ it, first: r === 0 })));
  const used = nodes.map(() => [0, 0, 0, 0, 0]);
  const go = (i: number, from: number): boolean => {
    if (i === replicas.length) return true;
    const { it, first } = replicas[i];
    const dem = demandOf(it);
    for (const x of it.eligible) {
      if (!first && x < from) continue;
      const cap = budgetOf(nodes[x]);
      if (dem.some((v, d) => used[x][d] + v > cap[d] + 1e-9)) continue;
      dem.forEach((v, d) => { used[x][d] += v; });
      const ok = go(i + 1, x);
      dem.forEach((v, d) => { used[x][d] -= v; });
      if (ok) return true;
    }
    return false;
  };
  return go(0, 0);
}

test('two network-heavy replicas go to different nodes where a CPU-first pack put them on one (the old repair pass left one out, T400)', () => {
  // Two nodes of 8 cores and a 10 Gbps NIC. web: 2 x (4 cores, 8 Gbps); batch: 2 x (4 cores, no network).
  // By CPU and memory alone every pairing fits (4 + 4 = 8 cores); by the NIC, 8 + 8 = 16 > 10 Gbps,
  // so each node must take one web and one batch: 8 cores and 8 Gbps each.
  const text = 'defaults {\n  headroom 0\n  pack tight\n}\nrack r1 {\n  node n1..n2 { cores 8 memory 64GiB nic 10Gbps }\n}\n'
    + 'container web {\n  replicas 2\n  cpu 4\n  memory 4GiB\n  network 8Gbps\n  place on r1\n}\n'
    + 'container batch {\n  replicas 2\n  cpu 4\n  memory 4GiB\n  place on r1\n}\n';
  const r = checkText(text);
  // 16 of 16 cores of limits at ratio 1.0: T402 (near the allowance), nothing else
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T402']);
  const nodes = r.placement?.targets[0].nodes ?? [];
  assert.equal(nodes.length, 2);
  for (const n of nodes) assert.deepEqual(n.replicas.map((x) => x.container).sort(), ['batch', 'web'], n.ref);
  assert.deepEqual(r.placement?.targets[0].unplaced, []);
  // and it is the NIC that decides: at 16 Gbps each node holds both web replicas, and the CPU-first arrangement is kept
  const wide = checkText(text.replace('nic 10Gbps', 'nic 16Gbps'));
  assert.deepEqual(wide.diagnostics.map((d) => d.code), ['T402']);
  assert.deepEqual(wide.placement?.targets[0].nodes.map((n) => n.replicas.map((x) => x.container).join(',')), ['web,web', 'batch,batch']);
});

test('the pack places everything whenever brute force over all assignments can, and never overfills a NIC (random small instances)', () => {
  const r = seeded(2107);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  let feasible = 0, matched = 0, infeasible = 0, heavy = 0;
  const misses: string[] = [];
  for (let k = 0; k < 600; k++) {
    const n = 2 + Math.floor(r() * 3);
    const nodes = Array.from({ length: n }, (_, x) => node(x, pick([4, 8]), pick([8, 16]), pick([5, 10, 25]) * GBPS, pick([1, 1.5])));
    const m = 1 + Math.floor(r() * 4);
    let total = 0;
    const items: PackItem[] = [];
    for (let i = 0; i < m && total < 8; i++) {
      const replicas = Math.min(8 - total, 1 + Math.floor(r() * 3));
      total += replicas;
      const cpu = pick([0.5, 1, 2, 3, 4]);
      const all = nodes.map((_, x) => x);
      const eligible = r() < 0.8 ? all : all.filter(() => r() < 0.7);
      items.push(item(i, replicas, cpu, pick([1, 2, 4, 8]), pick([0, 0, 1, 2, 4, 6, 9]) * GBPS, eligible.length ? eligible : all, cpu * pick([1, 1, 1.5])));
    }
    const net = items.reduce((s, it) => s + it.replicas * (it.network ?? 0), 0);
    if (net > 0.5 * nodes.reduce((s, nd) => s + (nd.nic ?? 0), 0)) heavy++;
    for (const mode of ['tight', 'spread'] as const) {
      const out = pack(nodes, items, { mode, improveBudget: 10_000 });
      const where = out.items.map((o) => o.nodes);
      const bad = violation(nodes, items, where);
      assert.equal(bad, null, `instance ${k} (${mode}): ${bad}`);
      // the residual the pack reports is the budgets less what it placed
      for (let x = 0; x < n; x++) {
        let usedNet = 0;
        items.forEach((it, i) => { for (const y of where[i]) if (y === x) usedNet += it.network ?? 0; });
        assert.ok(Math.abs(out.residual[x * 5 + 4] - ((nodes[x].nic ?? 0) - usedNet)) < 1e-3, `instance ${k}: NIC residual of node ${x}`);
      }
    }
    const out = pack(nodes, items, { improveBudget: 10_000 });
    const unplaced = out.items.reduce((s, o) => s + o.unplaced, 0);
    if (bruteForce(nodes, items)) {
      feasible++;
      if (unplaced === 0) matched++; else misses.push(`instance ${k}: ${unplaced} unplaced`);
    } else {
      infeasible++;
      assert.ok(unplaced > 0, `instance ${k}: the pack claims a packing brute force says cannot exist`);
    }
  }
  // the instances exercise both answers, and the NIC is tight in many of them
  assert.ok(feasible > 200 && infeasible > 50 && heavy > 100, `feasible ${feasible}, infeasible ${infeasible}, network-heavy ${heavy}`);
  // small instances are within the exact search's budget: it finds every packing that exists
  assert.equal(matched, feasible, misses.slice(0, 5).join('; '));
});

test('without network requests the NIC decides nothing: the same pack whatever the nodes\' NICs', () => {
  const r = seeded(99);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  for (let k = 0; k < 200; k++) {
    const n = 2 + Math.floor(r() * 6);
    const shapes = Array.from({ length: n }, () => [pick([4, 8, 16]), pick([8, 16, 32])] as const);
    const items = Array.from({ length: 1 + Math.floor(r() * 6) }, (_, i) => item(i, 1 + Math.floor(r() * 5), pick([0.5, 1, 2, 3, 6]), pick([1, 2, 4, 8, 12]), 0, shapes.map((_, x) => x)));
    const a = pack(shapes.map(([c, mm], x) => node(x, c, mm, 10 * GBPS)), items, { improveBudget: 10_000 });
    const b = pack(shapes.map(([c, mm], x) => node(x, c, mm, pick([1, 25, 100]) * GBPS)), items, { improveBudget: 10_000 });
    assert.deepEqual(b.items.map((o) => [...o.nodes]), a.items.map((o) => [...o.nodes]), `instance ${k}`);
    assert.deepEqual(b.items.map((o) => o.reason), a.items.map((o) => o.reason), `instance ${k}`);
  }
});

test('T403 names the bandwidth when one replica requests more than every node\'s NIC, or than every node with the CPU for it', () => {
  const text = (n2: string, gbps: number) => `defaults { headroom 0 }\nrack r1 {\n  node n1 { cores 4 memory 16GiB nic 25Gbps }\n  node n2 { ${n2} }\n}\n`
    + `container proxy {\n  cpu 8\n  memory 4GiB\n  network ${gbps}Gbps\n  place on r1\n}\n`;
  // n2 has 16 cores and a 10 Gbps NIC: 12 Gbps exceeds it; n1 has the NIC (25 Gbps) but only 4 of the 8 cores
  const t = text('cores 16 memory 64GiB nic 10Gbps', 12);
  const r = checkText(t);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T403']);
  const d = r.diagnostics[0];
  assert.equal(t.slice(d.span.start, d.span.end), '12Gbps');
  assert.match(d.message, /12Gbps of network bandwidth/);
  assert.match(d.message, /10Gbps/);
  assert.equal(r.placement?.targets[0].unplaced[0]?.reason, 'its `network` request (12Gbps) is more than the `nic` of every node of r1 that could hold it (at most 10Gbps)');
  // at 10 Gbps it fits n2 exactly (8 of 16 cores, 10 of 10 Gbps): no diagnostic
  assert.deepEqual(checkText(text('cores 16 memory 64GiB nic 10Gbps', 10)).diagnostics.map((x) => x.code), []);
  // every NIC short (n2 at 5 Gbps, n1 at 25 Gbps but too small in CPU; 30 Gbps exceeds both): T403 on the bandwidth
  const all = checkText(text('cores 16 memory 64GiB nic 5Gbps', 30));
  assert.deepEqual(all.diagnostics.map((x) => x.code), ['T403']);
  assert.match(all.diagnostics[0].message, /30Gbps of network bandwidth/);
});

test('T400 names the bandwidth when the NICs together are short and CPU and memory are not', () => {
  // Three nodes of 16 cores and 10 Gbps: 4 replicas of 1 core and 6 Gbps need 24 Gbps in four
  // pieces, but a node holds one (12 > 10): three fit, the fourth does not; 4 of 48 cores are requested.
  const text = 'defaults { headroom 0 }\nrack r1 {\n  node n1..n3 { cores 16 memory 64GiB nic 10Gbps }\n}\n'
    + 'container ingest {\n  replicas 4\n  cpu 1\n  memory 1GiB\n  network 6Gbps\n  place on r1\n}\n';
  const r = checkText(text);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T400']);
  assert.match(r.diagnostics[0].message, /^1 of 4 replicas of `ingest` fit on no node: the network bandwidth is short/);
  assert.match(r.diagnostics[0].message, /30Gbps of `nic` together/);
  assert.equal(r.placement?.targets[0].unplaced.length, 1);
  assert.equal(r.placement?.targets[0].unplaced[0]?.reason, 'no node of r1 has room left on its NIC for its `network` request (6Gbps)');
});
