import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkText } from '../../../server/src/core/check';
import { placeModel } from '../../../server/src/core/placement/index';
import type { PlacementResult, TargetPlacement } from '../../../server/src/core/result';

function place(text: string): { result: PlacementResult; codes: string[] } {
  const r = checkText(text);
  const bad = r.diagnostics.filter((d) => /^T[123]/.test(d.code));
  assert.deepEqual(bad.map((d) => `${d.code} ${d.message}`), [], 'the test input itself must be valid');
  return { result: placeModel(r.model), codes: r.diagnostics.map((d) => d.code) };
}

function target(p: PlacementResult, name: string): TargetPlacement {
  const t = p.targets.find((x) => x.target === name);
  assert.ok(t, `target ${name} in ${p.targets.map((x) => x.target).join(', ')}`);
  return t;
}

/** node ref -> container names placed there (with repeats). */
function where(t: TargetPlacement): Map<string, string[]> {
  return new Map(t.nodes.map((n) => [n.ref, n.replicas.map((r) => r.container)]));
}

const NO_HEADROOM = 'defaults { headroom 0 }\n';

test('with `pack tight`, replicas are packed tightly (first fit decreasing)', () => {
  const { result } = place(`defaults { headroom 0 pack tight }\nrack r1 { node n1..n4 { cores 8 memory 32GiB } }\ncontainer web { replicas 4 cpu 2 memory 4GiB place on r1 }`);
  const w = where(target(result, 'r1'));
  assert.deepEqual(w.get('r1.n1'), ['web', 'web', 'web', 'web']);
  assert.deepEqual(w.get('r1.n2'), []);
  assert.equal(target(result, 'r1').pack, 'tight');
});

test('by default (`pack spread`) replicas are balanced over the nodes (issue 15: it was first fit)', () => {
  const { result } = place(`${NO_HEADROOM}rack r1 { node n1..n4 { cores 8 memory 32GiB } }\ncontainer web { replicas 4 cpu 2 memory 4GiB place on r1 }`);
  const w = where(target(result, 'r1'));
  for (const ref of ['r1.n1', 'r1.n2', 'r1.n3', 'r1.n4']) assert.deepEqual(w.get(ref), ['web'], ref);
  assert.equal(target(result, 'r1').pack, 'spread');
});

test('spread nodes puts every replica on its own node', () => {
  const { result, codes } = place(`${NO_HEADROOM}rack r1 { node n1..n4 { cores 8 memory 32GiB } }\ncontainer web { replicas 4 cpu 1 memory 1GiB spread nodes place on r1 }`);
  const w = where(target(result, 'r1'));
  for (const ref of ['r1.n1', 'r1.n2', 'r1.n3', 'r1.n4']) assert.deepEqual(w.get(ref), ['web'], ref);
  assert.deepEqual(codes, []);
});

test('spread racks puts every replica in its own rack', () => {
  const { result } = place(`${NO_HEADROOM}rack r1 { node n1..n2 { cores 8 memory 32GiB } }\nrack r2 { node m1..m2 { cores 8 memory 32GiB } }\ncontainer web { replicas 2 cpu 1 memory 1GiB spread racks place on r1.*, r2.* }`);
  const t = result.targets[0];
  const racks = t.nodes.filter((n) => n.replicas.length > 0).map((n) => n.ref.split('.')[0]);
  assert.deepEqual(racks.sort(), ['r1', 'r2']);
  assert.equal(t.unplaced.length, 0);
});

test('colocate puts a container on the node of the one it follows, even when declared first', () => {
  const { result } = place(`${NO_HEADROOM}rack r1 { node n1..n3 { cores 8 memory 32GiB } }
container side { cpu 1 memory 1GiB colocate db place on r1 }
container filler { cpu 6 memory 8GiB place on r1 }
container db { cpu 4 memory 8GiB place on r1 }`);
  const w = where(target(result, 'r1'));
  const dbNode = [...w].find(([, cs]) => cs.includes('db'))![0];
  assert.ok(w.get(dbNode)!.includes('side'), `side next to db on ${dbNode}: ${JSON.stringify([...w])}`);
});

test('priority: when there is not room for everything, high priority goes first whatever the order', () => {
  const { result, codes } = place(`${NO_HEADROOM}rack r1 { node n1 { cores 8 memory 32GiB } }
container batch { cpu 6 memory 4GiB priority low place on r1 }
container api { cpu 6 memory 4GiB priority high place on r1 }`);
  const t = target(result, 'r1');
  assert.deepEqual(where(t).get('r1.n1'), ['api']);
  assert.deepEqual(t.unplaced.map((u) => u.container), ['batch']);
  assert.ok(codes.includes('T400'));
});

test('spare nodes are left empty, even when replicas do not fit elsewhere', () => {
  const { result } = place(`${NO_HEADROOM}rack r1 { node n1 { cores 8 memory 32GiB }\n node n2 { cores 8 memory 32GiB role spare } }
container web { replicas 2 cpu 6 memory 4GiB place on r1 }`);
  const t = target(result, 'r1');
  assert.deepEqual(where(t).get('r1.n2'), []);
  assert.equal(t.nodes.find((n) => n.ref === 'r1.n2')!.role, 'spare');
  assert.equal(t.unplaced.length, 1);
  assert.equal(t.capacity.cpu, 8, 'a spare is not capacity');
});

test('headroom: losing the largest node fails without a spare and passes when a spare stands in', () => {
  const base = 'rack r1 { node n1..n3 { cores 8 memory 32GiB }%SPARE% }\ncontainer web { replicas 3 cpu 4 memory 24GiB place on r1 }';
  const without = place(base.replace('%SPARE%', ''));
  const t1 = target(without.result, 'r1');
  assert.deepEqual(t1.headroom, { failures: 1, ok: false, lost: ['r1.n1'], status: 'short', standIns: [], short: [{ container: 'web', replicas: 1, cause: 'capacity' }] });
  assert.deepEqual(without.codes, ['T404']);
  const withSpare = place(base.replace('%SPARE%', '\n node s1 { cores 8 memory 32GiB role spare }'));
  assert.deepEqual(target(withSpare.result, 'r1').headroom, { failures: 1, ok: true, lost: ['r1.n1'], status: 'ok', standIns: ['r1.s1'], short: [] });
  assert.deepEqual(withSpare.codes, []);
  const two = place(`defaults { headroom 2 }\n${base.replace('%SPARE%', '\n node s1 { cores 8 memory 32GiB role spare }')}`);
  assert.equal(target(two.result, 'r1').headroom.ok, false, 'two losses, one spare');
  assert.equal(target(two.result, 'r1').headroom.lost.length, 2);
  const off = place(`defaults { headroom 0 }\n${base.replace('%SPARE%', '')}`);
  assert.deepEqual(target(off.result, 'r1').headroom, { failures: 0, ok: true, lost: [], status: 'off', standIns: [], short: [] });
});

test('headroom of an SDS: the largest node is lost, reserves are kept', () => {
  const text = `rack r1 { node n1..n3 { cores 16 memory 64GiB } }
sds pod { nodes r1.* reserve cores 1 memory 4GiB }
container big { memory %MEM% cpu 4 place on pod }`;
  const ok = place(text.replace('%MEM%', '120GiB'));
  assert.equal(target(ok.result, 'pod').headroom.ok, true);
  const tight = place(text.replace('%MEM%', '150GiB'));
  assert.equal(target(tight.result, 'pod').headroom.ok, false);
  assert.deepEqual(tight.codes, ['T404']);
});

test('a container larger than any node: T403 on a rack, fine on an SDS', () => {
  const nodes = 'rack r1 { node n1..n4 { cores 32 memory 256GiB } }';
  const onRack = checkText(`${NO_HEADROOM}${nodes}\ncontainer big { memory 600GiB cpu 24 place on r1 }`);
  assert.deepEqual(onRack.diagnostics.map((d) => d.code), ['T403']);
  assert.equal(onRack.placement!.targets[0].unplaced.length, 1);
  const onSds = checkText(`${NO_HEADROOM}${nodes}\nsds pod { nodes r1.* }\ncontainer big { memory 600GiB cpu 24 place on pod }`);
  assert.deepEqual(onSds.diagnostics, []);
  const t = onSds.placement!.targets[0];
  assert.equal(t.kind, 'sds');
  assert.equal(t.unplaced.length, 0);
  assert.equal(t.capacity.cpu, 4 * 31, 'capacity less the default reserve of 1 core per node');
  assert.equal(t.capacity.memory, 4 * 252 * 1024 ** 3, 'and 4GiB per node');
  assert.ok(t.nodes.every((n) => n.replicas.length === 0), 'an SDS lists nodes without replicas');
});

test('overlapping targets never book a node twice', () => {
  const { result } = place(`${NO_HEADROOM}rack r1 { node n1..n2 { cores 8 memory 32GiB } }
container a { replicas 2 cpu 4 memory 4GiB place on r1.n1 }
container b { replicas 2 cpu 4 memory 4GiB place on r1 }`);
  for (const t of result.targets) for (const n of t.nodes) assert.ok(n.requested.cpu <= n.capacity.cpu, `${t.target} ${n.ref} ${n.requested.cpu}`);
  assert.ok(result.targets.every((t) => t.unplaced.length === 0));
});

test('placement is deterministic', () => {
  const text = `rack r1 { node n1..n12 { cores 16 memory 64GiB } }\n${Array.from({ length: 30 }, (_, i) => `container c${i} { replicas ${1 + (i % 4)} cpu ${1 + (i % 3)} memory ${2 + (i % 5)}GiB place on r1 }`).join('\n')}`;
  const a = JSON.stringify(checkText(text).placement);
  const b = JSON.stringify(placeModel(checkText(text).model));
  assert.equal(a, b);
});

test('generated models: every placement respects capacity, allowance, spread and spares', () => {
  fc.assert(
    fc.property(
      fc.record({
        nodes: fc.array(fc.record({ cores: fc.integer({ min: 1, max: 64 }), gib: fc.integer({ min: 1, max: 256 }), spare: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        ratio: fc.constantFrom('1.0', '1.5', '2.0'),
        containers: fc.array(fc.record({
          replicas: fc.integer({ min: 1, max: 6 }), cpu: fc.integer({ min: 1, max: 16 }), limit: fc.integer({ min: 0, max: 16 }),
          gib: fc.integer({ min: 1, max: 64 }), spread: fc.boolean(), priority: fc.constantFrom('low', 'normal', 'high'),
          colocate: fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }),
        }), { minLength: 1, maxLength: 10 }),
      }),
      (g) => {
        const text = [
          `defaults { oversubscribe cpu ${g.ratio} }`,
          `rack r1 {`, ...g.nodes.map((n, i) => `  node n${i + 1} { cores ${n.cores} memory ${n.gib}GiB${n.spare ? ' role spare' : ''} }`), `}`,
          ...g.containers.map((c, i) => {
            const peer = c.colocate !== null && c.colocate < g.containers.length && c.colocate !== i ? ` colocate c${c.colocate}` : '';
            return `container c${i} { replicas ${c.replicas} cpu request ${c.cpu} limit ${c.cpu + c.limit} memory ${c.gib}GiB priority ${c.priority}${c.spread ? ' spread nodes' : ''}${peer} place on r1 }`;
          }),
        ].join('\n');
        const r = checkText(text);
        assert.deepEqual(r.diagnostics.filter((d) => /^T[123]/.test(d.code)), []);
        const t = r.placement!.targets[0];
        const seen = new Set<string>();
        for (const n of t.nodes) {
          assert.ok(n.requested.cpu <= n.capacity.cpu + 1e-9 && n.requested.memory <= n.capacity.memory, `requests on ${n.ref}`);
          assert.ok(n.limited.cpu <= n.allowance.cpu + 1e-9 && n.limited.memory <= n.allowance.memory, `limits on ${n.ref}`);
          if (n.role === 'spare') assert.equal(n.replicas.length, 0);
          const here = new Set<string>();
          for (const p of n.replicas) {
            const key = `${p.container}#${p.replica}`;
            assert.ok(!seen.has(key), `${key} placed twice`);
            seen.add(key);
            const spread = g.containers[Number(p.container.slice(1))].spread;
            if (spread) { assert.ok(!here.has(p.container), `spread ${p.container} on ${n.ref}`); here.add(p.container); }
          }
        }
        for (const u of t.unplaced) assert.ok(!seen.has(`${u.container}#${u.replica}`));
        // colocate: every placed replica shares a node with a replica of its peer.
        const nodesOf = (name: string): Set<string> => new Set(t.nodes.filter((n) => n.replicas.some((p) => p.container === name)).map((n) => n.ref));
        g.containers.forEach((c, i) => {
          if (c.colocate === null || c.colocate >= g.containers.length || c.colocate === i) return;
          const peerNodes = nodesOf(`c${c.colocate}`);
          for (const ref of nodesOf(`c${i}`)) assert.ok(peerNodes.has(ref), `c${i} on ${ref} without c${c.colocate}`);
        });
        const total = g.containers.reduce((s, c) => s + c.replicas, 0);
        assert.equal(seen.size + t.unplaced.length, total, 'every replica is placed or unplaced, once');
        // Unplaced replicas are always explained by a diagnostic (T400/T401/T403/T405).
        // Every container with unplaced replicas has a T400/T401/T403/T405/T407 inside its own block.
        for (const name of new Set(t.unplaced.map((u) => u.container))) {
          const block = r.model.containers.find((c) => c.name === name)!.block.span;
          assert.ok(r.diagnostics.some((d) => ['T400', 'T401', 'T403', 'T405', 'T407'].includes(d.code) && d.span.start >= block.start && d.span.end <= block.end),
            `${name} has unplaced replicas and no diagnostic: ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}\n${text}`);
        }
      },
    ),
    { seed: 42, numRuns: 200 },
  );
});
