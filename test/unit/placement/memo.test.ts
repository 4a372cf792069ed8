import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pack, type PackItem, type PackNode } from '../../../server/src/core/placement/pack';
import { clearPackMemo, packByComponent, packRemembered } from '../../../server/src/core/placement/memo';
import { checkText } from '../../../server/src/core/check';
import { placeModel } from '../../../server/src/core/placement/index';

const plain = (o: ReturnType<typeof pack>) => ({ items: o.items.map((i) => ({ container: i.container, nodes: [...i.nodes], reason: i.reason, unplaced: i.unplaced })), residual: [...o.residual], usedNodes: o.usedNodes });

/** Random packing problems whose items only see nodes of their own rack group (several components). */
const problem = fc.record({
  groups: fc.array(fc.record({ nodes: fc.integer({ min: 1, max: 4 }), cpu: fc.constantFrom(4, 8, 16), gib: fc.constantFrom(16, 32, 64) }), { minLength: 1, maxLength: 4 }),
  items: fc.array(fc.record({ group: fc.nat(), replicas: fc.integer({ min: 0, max: 6 }), cpu: fc.constantFrom(0.5, 1, 2, 3), gib: fc.constantFrom(1, 2, 4, 8), spread: fc.constantFrom(null, 'nodes' as const, 'racks' as const), rank: fc.constantFrom(0, 1, 2) }), { maxLength: 12 }),
}).map(({ groups, items }) => {
  const nodes: PackNode[] = [];
  const byGroup: number[][] = [];
  groups.forEach((g, k) => {
    byGroup.push([]);
    for (let i = 0; i < g.nodes; i++) { byGroup[k].push(nodes.length); nodes.push({ id: 100 + nodes.length, rack: 10 + k, cpu: g.cpu, memory: g.gib * 2 ** 30, cpuAllowance: g.cpu * 2, memoryAllowance: g.gib * 2 ** 30 }); }
  });
  const packItems: PackItem[] = items.map((it, i) => ({
    container: 500 + i * 3, replicas: it.replicas, cpuRequest: it.cpu, memoryRequest: it.gib * 2 ** 30, cpuLimit: it.cpu * 1.5, memoryLimit: it.gib * 2 ** 30,
    eligible: byGroup[it.group % byGroup.length], spread: it.spread, colocate: null, rank: it.rank,
  }));
  return { nodes, items: packItems };
});

test('packing by component gives what packing each component alone gives, and a remembered outcome equals a fresh one', () => {
  fc.assert(fc.property(problem, ({ nodes, items }) => {
    clearPackMemo();
    const first = plain(packByComponent(nodes, items, { improveBudget: 1000 }));
    const again = plain(packByComponent(nodes, items, { improveBudget: 1000 })); // from the cache
    assert.deepEqual(again, first);
    // Every item's replicas are on its own eligible nodes; used nodes add up.
    first.items.forEach((o, i) => { for (const x of o.nodes) assert.ok(x === -1 || items[i].eligible.includes(x)); });
    // One component alone through pack itself agrees.
    const racks = [...new Set(nodes.map((n) => n.rack))];
    for (const rack of racks) {
      const ids = nodes.map((n, i) => (n.rack === rack ? i : -1)).filter((i) => i >= 0);
      const mine = items.map((it, i) => ({ it, i })).filter(({ it }) => it.eligible[0] === ids[0]);
      const local = new Map(ids.map((x, k) => [x, k]));
      const alone = pack(ids.map((x) => nodes[x]), mine.map(({ it }) => ({ ...it, eligible: it.eligible.map((x) => local.get(x)!) })), { improveBudget: 1000 });
      alone.items.forEach((o, k) => assert.deepEqual([...o.nodes].map((x) => (x < 0 ? -1 : ids[x])), first.items[mine[k].i].nodes));
    }
  }), { numRuns: 150 });
});

test('a remembered outcome follows the ids of the asking problem (containers renumbered, nodes moved)', () => {
  clearPackMemo();
  const nodes: PackNode[] = [0, 1, 2].map((i) => ({ id: i, rack: 7, cpu: 8, memory: 32, cpuAllowance: 8, memoryAllowance: 32 }));
  const item = (container: number, replicas: number): PackItem => ({ container, replicas, cpuRequest: 4, memoryRequest: 8, cpuLimit: 4, memoryLimit: 8, eligible: [0, 1, 2], spread: null, colocate: null, rank: 1 });
  const a = packRemembered(nodes, [item(1, 3), item(2, 2)]);
  const b = packRemembered(nodes.map((n) => ({ ...n, id: n.id + 40, rack: 99 })), [item(11, 3), item(12, 2)]);
  assert.deepEqual(b.items.map((o) => o.container), [11, 12]);
  assert.deepEqual(b.items.map((o) => [...o.nodes]), a.items.map((o) => [...o.nodes]));
  // A different demand is a different problem.
  const c = packRemembered(nodes, [item(1, 3), item(2, 3)]);
  assert.equal(c.items[1].nodes.length, 3);
});

test('editing one container re-packs its target only; the placement equals a check from scratch', () => {
  const base = (replicas: number) => `defaults { headroom 0 }\nrack a { node n1..n3 { cores 8 memory 32GiB } }\nrack b { node n1..n3 { cores 8 memory 32GiB } }\n` +
    `container x { replicas 3 cpu 2 memory 4GiB place on a }\ncontainer y { replicas ${replicas} cpu 3 memory 8GiB place on b }\n`;
  clearPackMemo();
  const before = placeModel(checkText(base(2)).model);
  const edited = placeModel(checkText(base(5)).model);
  clearPackMemo();
  const fresh = placeModel(checkText(base(5)).model);
  assert.deepEqual(edited, fresh);
  assert.deepEqual(edited.targets.find((t) => t.target === 'a'), before.targets.find((t) => t.target === 'a'));
});
