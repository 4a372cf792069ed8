import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlayHints } from '../../../server/src/core/ide/index';
import type { SimulationResult } from '../../../server/src/core/result';
import { SPEC_EXAMPLE, snap } from './helpers';

const ALL = { utilisation: true, locality: true };

test('utilisation after place on: requests over capacity of the target', () => {
  const { s } = snap(SPEC_EXAMPLE);
  const hints = inlayHints(s, { start: 0, end: s.text.length }, ALL);
  const at = (needle: string): string | undefined => hints.find((h) => h.offset === s.text.indexOf(needle) + needle.length)?.label;
  // pod1: 24 of 124 cores, 600 of 992 GiB; r2: api 6 x 500m + cache 2 x 2 = 7 cores, 6 + 32 = 38 GiB of 128 cores / 512 GiB
  assert.equal(at('place on pod1'), ' 24/124 cores · 600/992 GiB');
  assert.equal(at('spread nodes\n  place on r2'), ' 7/128 cores · 38/512 GiB');
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
  assert.deepEqual(inlayHints(s, { start: 0, end: s.text.length }, ALL).map((h) => h.label), [' 4/16 cores · 8/32 GiB']);
  const b = snap('container c { place on');
  assert.deepEqual(inlayHints(b.s, { start: 0, end: b.s.text.length }, ALL), []);
});
