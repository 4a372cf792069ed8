import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlayHints } from '../../../server/src/core/ide/index';
import type { SimulationResult } from '../../../server/src/core/result';
import { SPEC_EXAMPLE, snap } from './helpers';

const ALL = { utilisation: true, locality: true };

test('utilisation after place on: what the container adds, and the target\'s totals once', () => {
  const { s } = snap(SPEC_EXAMPLE);
  const hints = inlayHints(s, { start: 0, end: s.text.length }, ALL);
  const at = (needle: string): string | undefined => hints.find((h) => h.offset === s.text.indexOf(needle) + needle.length)?.label;
  // pod1: 24 of 124 cores, 600 of 992 GiB; r2: api 6 x 500m + cache 2 x 2 = 7 cores, 6 + 32 = 38 GiB of 128 cores / 512 GiB
  assert.equal(at('place on pod1'), ' +24 cores · +600GiB · pod1 24/124 cores · 600GiB/992GiB');
  assert.equal(at('spread nodes\n  place on r2'), ' +3 cores · +6GiB · r2 7/128 cores · 38GiB/512GiB');
  assert.equal(at('memory 16GiB\n  place on r2'), ' +4 cores · +32GiB', 'r2\'s totals are on api, the first container placed on it');
  assert.equal(hints.filter((h) => h.kind === 'locality').length, 0);
  assert.deepEqual(inlayHints(s, { start: 0, end: s.text.length }, { utilisation: false, locality: false }), []);
  // only the requested span
  const api = s.text.indexOf('container api');
  assert.equal(inlayHints(s, { start: api, end: api + 200 }, ALL).length, 1);
});

test('locality after a container name once simulated', () => {
  const { s } = snap(SPEC_EXAMPLE);
  const simulation = {
    version: '2', input: { file: s.file, seed: 1, policy: 'cost', duration: 20, tick: 0.01, scenario: null, samples: 32, exact: false, accessRate: 1e6 },
    summary: { locality: 0.9, localityError: 0, slowdown: 1, slowdownError: 0, stallSeconds: 0, vcpuMigrations: 0, chunkMigrations: 0, replications: 0, networkBytes: 0, wallMillis: 1, sampledAccesses: 0, simulatedSeconds: 20 },
    containers: [{ name: 'analytics', replicas: 1, target: 'pod1', locality: 0.93, localityError: 0, slowdown: 1.1, slowdownError: 0, nodes: {}, vcpus: {} }],
    nodes: [], edges: [], timeline: { t: [], locality: [], vcpuMigrations: [], chunkMigrations: [], networkBytes: [] }, events: [], diagnostics: [],
  } satisfies SimulationResult;
  const hints = inlayHints({ ...s, simulation }, { start: 0, end: s.text.length }, { utilisation: false, locality: true });
  assert.deepEqual(hints.map((h) => [h.offset, h.label]), [[s.text.indexOf('container analytics') + 19, ' 93% local']]);
});

test('inlay hints on a node set target and broken text', () => {
  const { s } = snap('rack r {\n  node a1..a2 { cores 8 memory 16GiB }\n}\ncontainer c {\n  replicas 2\n  cpu 2\n  memory 4GiB\n  place on r.a1..a2\n}\n');
  assert.deepEqual(inlayHints(s, { start: 0, end: s.text.length }, ALL).map((h) => h.label), [' +4 cores · +8GiB · r.a1..a2 4/16 cores · 8GiB/32GiB']);
  const b = snap('container c { place on');
  assert.deepEqual(inlayHints(b.s, { start: 0, end: b.s.text.length }, ALL), []);
});

test('a rack\'s totals count the containers placed on a node set inside it, and the other way round', () => {
  // api 6 x 500m/1GiB and cache 2 cores/16GiB on r2, web 3 x 250m/512MiB on r2.m1..m4:
  // r2 holds 3 + 0.75 + 2 = 5.75 cores and 6 + 1.5 + 16 = 23.5GiB; spread puts cache on m1 and
  // api on m2..m8 (as `topo place` shows), so m1..m4 hold 2 + 1.5 + 0.75 = 4.25 cores, 16 + 3 + 1.5 = 20.5GiB.
  const { s } = snap('rack r2 {\n  node m1..m8 { cores 16 memory 64GiB }\n}\ncontainer api {\n  replicas 6\n  cpu 500m\n  memory 1GiB\n  place on r2\n}\ncontainer web {\n  replicas 3\n  cpu 250m\n  memory 512MiB\n  place on r2.m1..m4\n}\ncontainer cache {\n  cpu 2\n  memory 16GiB\n  place on r2\n}\n');
  const hints = inlayHints(s, { start: 0, end: s.text.length }, ALL);
  assert.deepEqual(hints.map((h) => h.label), [
    ' +3 cores · +6GiB · r2 5.75/128 cores · 23.5GiB/512GiB',
    ' +0.75 cores · +1.5GiB · r2.m1..m4 4.25/64 cores · 20.5GiB/256GiB',
    ' +2 cores · +16GiB',
  ]);
  assert.match(hints[0].tooltip ?? '', /one container placed on other targets that share its nodes/);
  const nodes = s.check.placement.targets.find((t) => t.target === 'r2.m1..m4')?.nodes.map((n) => `${n.ref}:${n.replicas.map((r) => r.container).join('+')}`);
  assert.deepEqual(nodes, ['r2.m1:cache', 'r2.m2:api+web', 'r2.m3:api+web', 'r2.m4:api+web'], 'the packing the numbers above assume');
});

test('tenant hints: its requests against its quota after `quota`, where its replicas run and its VMs after its name', () => {
  // Two 8-core nodes; spread puts one store (tenant shop, vm) and one batch on each node, so shop
  // shares both nodes and pays two VMs: 2 x 1 core, 2 x 2GiB. shop requests 2 x 3 = 6 cores and
  // 2 x 8 = 16GiB of its quota of 8 cores and 32GiB (VM overhead is not in a quota).
  const text = `defaults { headroom 0 }
rack r1 {
  node n1..n2 { cores 8 memory 32GiB }
}
tenant shop {
  isolation vm
  overhead cpu 1 memory 2GiB
  quota cpu 8 memory 32GiB
}
tenant lab {
  quota memory 4GiB
}
container store {
  tenant shop
  replicas 2
  cpu 3
  memory 8GiB
  place on r1
}
container batch {
  replicas 2
  cpu 3
  memory 8GiB
  place on r1
}
`;
  const { s } = snap(text);
  const hints = inlayHints(s, { start: 0, end: s.text.length }, ALL);
  const at = (needle: string): string | undefined => hints.find((h) => h.offset === s.text.indexOf(needle) + needle.length)?.label;
  assert.equal(at('tenant shop'), ' 2 replicas on 2 nodes · 2 VMs, +2 cores · +4GiB');
  assert.equal(at('quota cpu 8 memory 32GiB'), ' uses 6/8 cores · 16GiB/32GiB');
  // lab: a quota on memory only, and no container names it: 0 of 4GiB, no hint on its name
  assert.equal(at('quota memory 4GiB'), ' uses 0B/4GiB');
  assert.equal(at('tenant lab'), undefined);
  // a container's `tenant shop` says nothing the name does not
  assert.equal(at('  tenant shop'), undefined);
  // without vm isolation the replicas still run on 2 nodes, and no VM is counted
  const shared = snap(text.replace('isolation vm', 'isolation shared')).s;
  const h2 = inlayHints(shared, { start: 0, end: shared.text.length }, ALL);
  assert.equal(h2.find((h) => h.offset === shared.text.indexOf('tenant shop') + 11)?.label, ' 2 replicas on 2 nodes');
  // utilisation off: no tenant hint
  assert.deepEqual(inlayHints(s, { start: 0, end: s.text.length }, { utilisation: false, locality: true }), []);
  // only the requested span: the quota line alone
  const q = s.text.indexOf('quota cpu 8');
  assert.deepEqual(inlayHints(s, { start: q, end: q + 30 }, ALL).map((h) => h.label), [' uses 6/8 cores · 16GiB/32GiB']);
});
