// The exact search the tight pack falls back to when its greedy pass leaves replicas out: its
// arrangements hold every budget and place every replica, and on instances small enough to
// enumerate it finds an arrangement exactly when one exists (brute force over every assignment).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exactFit } from '../../../server/src/core/placement/exact-fit';
import { pack, type PackItem, type PackNode } from '../../../server/src/core/placement/pack';

const node = (id: number, cpu: number, memory: number, ratio = 1): PackNode => ({ id, rack: 0, cpu, memory, cpuAllowance: cpu * ratio, memoryAllowance: memory });
const item = (container: number, replicas: number, cpu: number, memory: number, eligible: readonly number[], cpuLimit = cpu): PackItem => ({
  container, replicas, cpuRequest: cpu, memoryRequest: memory, cpuLimit, memoryLimit: memory, eligible, spread: null, colocate: null, rank: 0,
});

/** Every budget of every node holds and every replica is placed on an eligible node. */
function valid(nodes: readonly PackNode[], items: readonly PackItem[], a: ReadonlyMap<number, Int32Array>): string | null {
  const used = nodes.map(() => [0, 0, 0, 0]);
  for (const it of items) {
    const where = a.get(it.container) ?? new Int32Array(0);
    if (where.length !== it.replicas) return `container ${it.container}: ${where.length} of ${it.replicas} replicas`;
    for (const x of where) {
      if (!it.eligible.includes(x)) return `container ${it.container} on node ${x}, not eligible`;
      [it.cpuRequest, it.memoryRequest, it.cpuLimit, it.memoryLimit].forEach((v, d) => { used[x][d] += v; });
    }
  }
  for (let x = 0; x < nodes.length; x++) {
    const cap = [nodes[x].cpu, nodes[x].memory, nodes[x].cpuAllowance, nodes[x].memoryAllowance];
    if (used[x].some((v, d) => v > cap[d] + 1e-9)) return `node ${x} over its budget: ${used[x].join(',')} of ${cap.join(',')}`;
  }
  return null;
}

/** Whether any assignment of the replicas to nodes holds every budget (enumerates them all). */
function bruteForce(nodes: readonly PackNode[], items: readonly PackItem[]): boolean {
  const replicas = items.flatMap((it) => Array.from({ length: it.replicas }, () => it));
  const used = nodes.map(() => [0, 0, 0, 0]);
  const go = (i: number): boolean => {
    if (i === replicas.length) return true;
    const it = replicas[i];
    const dem = [it.cpuRequest, it.memoryRequest, it.cpuLimit, it.memoryLimit];
    for (const x of it.eligible) {
      const cap = [nodes[x].cpu, nodes[x].memory, nodes[x].cpuAllowance, nodes[x].memoryAllowance];
      if (dem.some((v, d) => used[x][d] + v > cap[d] + 1e-9)) continue;
      dem.forEach((v, d) => { used[x][d] += v; });
      const ok = go(i + 1);
      dem.forEach((v, d) => { used[x][d] -= v; });
      if (ok) return true;
    }
    return false;
  };
  return go(0);
}

test('where the greedy pack fails, the exact search packs: 6+4, 6+4 and 6 on three 10-core nodes', () => {
  // Three nodes of 10 cores and 10GiB; 3 replicas of (6 cores, 2GiB) and 2 of (4 cores, 5GiB).
  // Each node takes one 6 (two are 12 cores); a 6 and a 4 make 10 cores and 7GiB: 6+4, 6+4, 6.
  // The greedy pass pairs the two 4s (8 cores, 10GiB, the better dot product) and then has a
  // node for each 6: four nodes. (Found by a search over small instances with the fallback off.)
  const nodes = [node(1, 10, 10), node(2, 10, 10), node(3, 10, 10)];
  const items = [item(1, 2, 4, 5, [0, 1, 2]), item(2, 3, 6, 2, [0, 1, 2])];
  const a = exactFit(nodes, items, 10_000);
  assert.ok(a);
  assert.equal(valid(nodes, items, a), null);
  assert.deepEqual([...a.get(2)!].sort(), [0, 1, 2], 'one 6 on each node');
  const packed = pack(nodes, items);
  assert.deepEqual(packed.items.map((o) => o.unplaced), [0, 0], 'the tight pack places everything');
  assert.equal(packed.usedNodes, 3);
});

test('eligibility is honoured, and an item no node holds is refused at once', () => {
  const nodes = [node(1, 8, 8), node(2, 8, 8)];
  const a = exactFit(nodes, [item(1, 2, 5, 1, [1]), item(2, 1, 3, 1, [0, 1])], 10_000);
  assert.equal(a, null, 'two 5-core replicas on node 2 alone cannot fit');
  const b = exactFit(nodes, [item(1, 1, 9, 1, [0, 1])], 10_000);
  assert.equal(b, null);
});

test('on small random instances it finds an arrangement exactly when one exists, and every one it gives is valid', () => {
  const shape = fc.record({ replicas: fc.integer({ min: 1, max: 3 }), cpu: fc.constantFrom(1, 2, 3, 5), memory: fc.constantFrom(2, 4, 6, 10), limit: fc.constantFrom(1, 2), some: fc.boolean() });
  fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.array(shape, { minLength: 1, maxLength: 4 }), (count, shapes) => {
    const nodes = Array.from({ length: count }, (_, x) => node(x + 1, 8, 16, 1.5));
    const items = shapes.map((s, i) => item(i + 1, s.replicas, s.cpu, s.memory, s.some ? [0] : nodes.map((_, x) => x), s.cpu * s.limit));
    const a = exactFit(nodes, items, 1_000_000);
    const exists = bruteForce(nodes, items);
    assert.equal(a !== null, exists, `exact search ${a ? 'found' : 'did not find'} an arrangement; brute force says ${exists}`);
    if (a) assert.equal(valid(nodes, items, a), null);
  }), { numRuns: 300, seed: 18 });
});
