// `pack spread` (the default) and `pack tight`: where replicas go differs, what fits does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkText, type CheckResult } from '../../../server/src/core/check';
import { clearPackMemo, packRemembered } from '../../../server/src/core/placement/memo';
import type { PackItem, PackNode } from '../../../server/src/core/placement/pack';
import type { TargetPlacement } from '../../../server/src/core/result';

function where(t: TargetPlacement): Map<string, string[]> {
  return new Map(t.nodes.map((n) => [n.ref, n.replicas.map((r) => r.container)]));
}

/** The busier of CPU and memory requests on a node, as a share of its capacity. */
function load(t: TargetPlacement, ref: string): number {
  const n = t.nodes.find((x) => x.ref === ref)!;
  return Math.max(n.requested.cpu / n.capacity.cpu, n.requested.memory / n.capacity.memory);
}

test('issue 15: four replicas and a cache are balanced over an empty rack by default, packed onto one node with `pack tight`', () => {
  const text = (mode: string) => `defaults { headroom 0${mode} }
rack r1 { node n1..n4 { cores 16 memory 64GiB } }
container api { replicas 4 cpu 2 memory 4GiB place on r1 }
container cache { cpu 2 memory 8GiB place on r1 }
`;
  const spread = checkText(text('')).placement!.targets[0];
  assert.equal(spread.pack, 'spread');
  // cache (the larger) first, on n1; then api on the emptiest nodes: n2, n3, n4, and n1 last
  assert.deepEqual([...where(spread)], [['r1.n1', ['api', 'cache']], ['r1.n2', ['api']], ['r1.n3', ['api']], ['r1.n4', ['api']]]);
  const tight = checkText(text(' pack tight')).placement!.targets[0];
  assert.equal(tight.pack, 'tight');
  assert.deepEqual([...where(tight)], [['r1.n1', ['api', 'api', 'api', 'api', 'cache']], ['r1.n2', []], ['r1.n3', []], ['r1.n4', []]]);
});

test('a rack says its own `pack`; a node set across racks of both modes packs tight', () => {
  const r = checkText(`defaults { headroom 0 }
rack a { pack tight node n1..n2 { cores 8 memory 32GiB } }
rack b { node m1..m2 { cores 8 memory 32GiB } }
container x { replicas 2 cpu 1 memory 1GiB place on a }
container y { replicas 2 cpu 1 memory 1GiB place on b }
`);
  const [a, b] = r.placement!.targets;
  assert.deepEqual([a.pack, b.pack], ['tight', 'spread']);
  assert.deepEqual(where(a).get('a.n1'), ['x', 'x']);
  assert.deepEqual([where(b).get('b.m1'), where(b).get('b.m2')], [['y'], ['y']]);
  const mixed = checkText(`defaults { headroom 0 }
rack a { pack tight node n1..n2 { cores 8 memory 32GiB } }
rack b { node m1..m2 { cores 8 memory 32GiB } }
container z { replicas 2 cpu 1 memory 1GiB place on a.*, b.* }
`);
  assert.equal(mixed.placement!.targets[0].pack, 'tight');
});

/** Random workloads on racks, in both modes. */
const workload = fc.record({
  racks: fc.array(fc.record({ nodes: fc.integer({ min: 1, max: 5 }), cores: fc.constantFrom(4, 8, 16), gib: fc.constantFrom(16, 32, 64) }), { minLength: 1, maxLength: 3 }),
  headroom: fc.constantFrom(0, 1),
  containers: fc.array(fc.record({
    replicas: fc.integer({ min: 1, max: 9 }), cpu: fc.constantFrom(0.5, 1, 2, 3, 6), gib: fc.constantFrom(1, 2, 4, 8, 24),
    spread: fc.constantFrom('', ' spread nodes', ' spread racks', ' spread nodes even', ' spread racks even'),
    priority: fc.constantFrom('low', 'normal', 'high'), target: fc.nat(), colocate: fc.option(fc.nat(), { nil: null }),
  }), { minLength: 1, maxLength: 8 }),
});

type Workload = typeof workload extends fc.Arbitrary<infer T> ? T : never;

function text(g: Workload, mode: string): string {
  // `tight ` and `spread` are as long: the rest of the text is at the same offsets
  const lines = [`defaults { headroom ${g.headroom} pack ${mode.padEnd(6)} }`];
  g.racks.forEach((r, k) => lines.push(`rack r${k} { node n1..n${r.nodes} { cores ${r.cores} memory ${r.gib}GiB } }`));
  const targets = [...g.racks.map((_, k) => `r${k}`), g.racks.map((_, k) => `r${k}.*`).join(', ')];
  g.containers.forEach((c, i) => {
    const peer = c.colocate !== null && c.colocate % g.containers.length !== i ? ` colocate c${c.colocate % g.containers.length}` : '';
    lines.push(`container c${i} { replicas ${c.replicas} cpu ${c.cpu} memory ${c.gib}GiB priority ${c.priority}${c.spread}${peer} place on ${targets[c.target % targets.length]} }`);
  });
  return lines.join('\n');
}

const messages = (r: CheckResult): string[] => r.diagnostics.map((d) => `${d.code} ${d.span.start} ${d.message}`);

test('generated workloads: both modes give the same diagnostics, the same replicas placed and the same headroom; spread is no fuller than tight; even holds', () => {
  fc.assert(fc.property(workload, (g) => {
    const tight = checkText(text(g, 'tight'));
    const spread = checkText(text(g, 'spread'));
    assert.deepEqual(messages(spread), messages(tight));
    const t = tight.placement!.targets, s = spread.placement!.targets;
    assert.deepEqual(s.map((x) => [x.target, x.unplaced.map((u) => `${u.container}#${u.replica}`), x.headroom.status, x.headroom.short]),
      t.map((x) => [x.target, x.unplaced.map((u) => `${u.container}#${u.replica}`), x.headroom.status, x.headroom.short]));
    // the fullest node (targets may share nodes: over all of them)
    const max = (xs: readonly TargetPlacement[]) => Math.max(0, ...xs.filter((x) => x.kind !== 'sds').flatMap((x) => x.nodes.map((n) => load(x, n.ref))));
    assert.ok(max(s) <= max(t) + 1e-9, `spread ${max(s)} > tight ${max(t)}`);
    // spread ... even: over the nodes (racks) that could hold one, the counts differ by at most one
    for (const r of [tight, spread]) {
      r.model.containers.forEach((c) => {
        if (!c.spreadEven || !c.target) return;
        const tp = r.placement!.targets.find((x) => x.containers.includes(c.name))!;
        const counts = new Map<string, number>();
        for (const n of tp.nodes) {
          const node = r.model.nodes.find((x) => x.ref === n.ref)!;
          if (node.cores < c.cpuRequest || node.memory < c.memoryRequest) continue;
          const key = c.spread === 'racks' ? String(node.rack) : n.ref;
          counts.set(key, (counts.get(key) ?? 0) + n.replicas.filter((p) => p.container === c.name).length);
        }
        const values = [...counts.values()];
        if (values.length) assert.ok(Math.max(...values) - Math.min(...values) <= 1, `${c.name}: ${JSON.stringify([...counts])}`);
      });
    }
  }), { numRuns: 150 });
});

test('the node count that fits is the same in both modes (sizing does not depend on the mode)', () => {
  fc.assert(fc.property(workload, (g) => {
    const one: Workload = { ...g, headroom: 0, racks: [g.racks[0]] };
    for (let nodes = 1; nodes <= 6; nodes++) {
      const sized = { ...one, racks: [{ ...one.racks[0], nodes }] };
      const unplaced = (mode: string) => checkText(text(sized, mode)).placement!.targets.flatMap((x) => x.unplaced.map((u) => `${u.container}#${u.replica}`));
      assert.deepEqual(unplaced('spread'), unplaced('tight'), `${nodes} nodes`);
    }
  }), { numRuns: 60 });
});

test('the placement memo keys on the mode: the same problem packed tight and spread is remembered apart', () => {
  clearPackMemo();
  const nodes: PackNode[] = [0, 1, 2, 3].map((i) => ({ id: i, rack: 0, cpu: 8, memory: 32, cpuAllowance: 8, memoryAllowance: 32 }));
  const items: PackItem[] = [{ container: 1, replicas: 4, cpuRequest: 1, memoryRequest: 1, cpuLimit: 1, memoryLimit: 1, eligible: [0, 1, 2, 3], spread: null, colocate: null, rank: 1 }];
  const tight = [...packRemembered(nodes, items, { mode: 'tight' }).items[0].nodes];
  const spread = [...packRemembered(nodes, items, { mode: 'spread' }).items[0].nodes];
  assert.deepEqual(tight, [0, 0, 0, 0]);
  assert.deepEqual(spread, [0, 1, 2, 3]);
  assert.deepEqual([...packRemembered(nodes, items, { mode: 'tight' }).items[0].nodes], tight, 'tight again, from the memo');
  assert.deepEqual([...packRemembered(nodes, items).items[0].nodes], tight, 'no mode is tight');
});
