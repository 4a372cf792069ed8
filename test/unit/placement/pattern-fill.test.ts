// The pattern fill the tight pack tries after the exact search: its arrangements hold every
// budget and place every replica; it places what the greedy pass and the exact search leave out
// on generated instances at the pattern LP's bound (HiGHS, test/unit/sizing/pattern-bound.ts);
// and, nodes being only added at the end, what it fits on some nodes it fits on more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import loadHighs from 'highs';
import { exactFit } from '../../../server/src/core/placement/exact-fit';
import { patternFill } from '../../../server/src/core/placement/pattern-fill';
import { pack, type PackItem, type PackNode } from '../../../server/src/core/placement/pack';
import { patternBound } from '../sizing/pattern-bound';

const node = (id: number): PackNode => ({ id, rack: 0, cpu: 8, memory: 32, cpuAllowance: 16, memoryAllowance: 32 });

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

/** Kinds as test/unit/sizing/size.test.ts generates them (cores, GiB, core limits) on nodes of 8 cores, 32GiB, limits to 16 cores. */
function items(seed: number, n: number): PackItem[] {
  const r = rng(seed);
  const eligible = Array.from({ length: n }, (_, x) => x);
  return Array.from({ length: 12 }, (_, i) => {
    const cpu = [0.5, 1, 2, 3, 5][Math.floor(r() * 5)];
    const cpuLimit = cpu * [1, 2, 3][Math.floor(r() * 3)];
    const memory = [2, 4, 6, 10, 14][Math.floor(r() * 5)];
    return { container: i, replicas: 1 + Math.floor(r() * 30), cpuRequest: cpu, memoryRequest: memory, cpuLimit, memoryLimit: memory, eligible, spread: null, colocate: null, rank: 0 };
  });
}

function valid(nodes: readonly PackNode[], list: readonly PackItem[], a: ReadonlyMap<number, Int32Array>): string | null {
  const used = nodes.map(() => [0, 0, 0, 0]);
  for (const it of list) {
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

test('pattern fill: at the LP bound it places what the greedy pack and the exact search leave out, within every budget', async () => {
  const highs = await loadHighs();
  let rescued = 0;
  for (const seed of [100, 101, 106, 107]) {
    const probe = items(seed, 1);
    const bound = patternBound(highs, probe.map((it) => ({ demand: [it.cpuRequest * 2, it.memoryRequest, it.cpuLimit * 2], count: it.replicas })), [16, 32, 32]).bound;
    const nodes = Array.from({ length: bound }, (_, x) => node(x));
    const list = items(seed, bound);
    const found = patternFill(nodes, list, 200_000);
    assert.ok(found, `seed ${seed}: nothing found on ${bound} nodes`);
    assert.equal(valid(nodes, list, found), null, `seed ${seed}`);
    if (exactFit(nodes, list, 5_000) === null) rescued++;
    // the pack as the checker runs it places everything too
    assert.deepEqual(pack(nodes, list).items.filter((o) => o.unplaced > 0).map((o) => o.container), [], `seed ${seed}`);
  }
  assert.ok(rescued >= 3, `the exact search alone found these: only ${rescued} needed the pattern fill`);
});

test('pattern fill: what fits on k nodes fits on k + 1 (nodes added at the end)', () => {
  for (let seed = 100; seed < 112; seed++) {
    let fitted = false;
    for (let k = 30; k <= 120; k++) {
      const nodes = Array.from({ length: k }, (_, x) => node(x));
      const list = items(seed, k);
      const found = patternFill(nodes, list, 200_000);
      if (found) assert.equal(valid(nodes, list, found), null, `seed ${seed} on ${k}`);
      assert.ok(!fitted || found, `seed ${seed}: fits on ${k - 1} nodes, not on ${k}`);
      fitted ||= found !== null;
    }
    assert.ok(fitted, `seed ${seed}`);
  }
});
