import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../../server/src/core/ide/index';
import type { SimulationResult } from '../../../server/src/core/result';
import { SPEC_EXAMPLE, slice, snap } from './helpers';

const { s } = snap(SPEC_EXAMPLE);
function h(needle: string, delta = 0): string {
  const r = hover(s, s.text.indexOf(needle) + delta);
  return r ? r.contents : '';
}

test('hover on a node shows its resolved capacity, role and SDS', () => {
  const c = h('fail r1.n3', 9);
  assert.match(c, /`r1\.n3`/);
  assert.match(c, /32 cores · 256GiB · NIC 25Gbps/);
  assert.match(c, /nvme0/);
  assert.match(c, /in SDS `pod1`/);
  assert.match(h('n1..n4 {', 1), /4 nodes/);
  assert.match(h('n1..n4 {', 1), /together: 128 cores · 1TiB/);
  assert.match(h('node n5', 6), /role: spare/);
});

test('hover on an SDS shows capacity less reserves, allowance, requests and limits with utilisation', () => {
  const c = h('sds pod1', 5);
  // 4 nodes x (32 - 1) cores = 124; 4 x (256 - 8) GiB = 992GiB; cpu ratio 2 -> 248
  assert.match(c, /capacity \| 124 cores \| 992GiB/);
  assert.match(c, /allowance \| 248 cores \| 992GiB/);
  assert.match(c, /requests \| 24 \(19% of capacity\) \| 600GiB \(60%\)/);
  assert.match(c, /analytics/);
});

test('hover on a rack and a container shows totals across replicas and the target', () => {
  assert.match(h('rack r2', 6), /8 nodes \(8 active, 0 spare\)/);
  assert.match(h('rack r2', 6), /128 cores · 512GiB/);
  const c = h('container api', 11);
  assert.match(c, /× 6 replicas/);
  assert.match(c, /500m \/ 2 \| 3 \/ 12/);
  assert.match(c, /1GiB \/ 2GiB \| 6GiB \/ 12GiB/);
  assert.match(c, /Runs on rack `r2`/);
  assert.match(h('talks cache', 7), /container\*\* `cache`/);
});

test('hover on keywords, units, enums and scenarios', () => {
  assert.match(h('latency 2us'), /Latency between nodes of this rack/);
  assert.equal(h('256GiB', 1), '`256GiB` = 274.88GB = 274,877,906,944 bytes');
  assert.equal(h('256GiB', 4), '`256GiB` = 274.88GB = 274,877,906,944 bytes');
  assert.match(h('500m'), /0\.5 cores/);
  assert.match(h('25Gbps') || h('100Gbps'), /bytes\/s/);
  assert.match(h('10%'), /0\.1/);
  assert.match(h('policy cost', 8), /policy/);
  assert.match(h('"lose', 3), /5s: `r1\.n3` fails/);
  assert.match(h('container api'), /containerised workload/);
  assert.equal(hover(s, s.text.indexOf('  latency') ), null);
  const r = hover(s, s.text.indexOf('256GiB') + 4);
  assert.equal(r && slice(s, r.span), '256GiB');
});

test('hover after a simulation shows locality, slowdown and where memory sits', () => {
  const simulation = {
    version: '2', input: { file: s.file, seed: 1, policy: 'cost', duration: 20, tick: 0.01, scenario: null, samples: 32, exact: false, accessRate: 1e6 },
    summary: { locality: 0.9, localityError: 0, slowdown: 1, slowdownError: 0, stallSeconds: 0, vcpuMigrations: 0, chunkMigrations: 0, replications: 0, networkBytes: 0, wallMillis: 1, sampledAccesses: 0, simulatedSeconds: 20 },
    containers: [{ name: 'analytics', replicas: 1, target: 'pod1', locality: 0.934, localityError: 0, slowdown: 1.07, slowdownError: 0, nodes: { 'r1.n1': 0.5, 'r1.n2': 0.3, 'r1.n3': 0.2 }, vcpus: {} }],
    nodes: [], edges: [], timeline: { t: [], locality: [], vcpuMigrations: [], chunkMigrations: [], networkBytes: [] }, events: [], diagnostics: [],
  } satisfies SimulationResult;
  const r = hover({ ...s, simulation }, s.text.indexOf('container analytics') + 11);
  assert.ok(r);
  assert.match(r.contents, /locality \*\*93\.4%\*\*/);
  assert.match(r.contents, /slowdown ×1\.07/);
  assert.match(r.contents, /`r1\.n1` 50%, `r1\.n2` 30%, `r1\.n3` 20%/);
});

test('hover never throws on broken text', () => {
  const broken = snap('rack r1 { node n1..n { cores 4x\ncontainer c { place on r1.n1..n9 talks\n');
  for (let i = 0; i <= broken.s.text.length; i++) hover(broken.s, i);
});

test('hover shows both scales of a size: `256GB` is 238.42GiB (issue 15), and knows `pack` and `spread ... even`', () => {
  const { s: t } = snap('defaults { pack tight }\nrack r1 { pack spread node n1 { cores 8 memory 256GB } }\ncontainer a { replicas 4 cpu 1 memory 1GiB spread nodes even place on r1 }\n');
  const at = (needle: string, delta = 0): string => hover(t, t.text.indexOf(needle) + delta)?.contents ?? '';
  assert.equal(at('256GB', 2), '`256GB` = 238.42GiB = 256,000,000,000 bytes (powers of ten: `GB`; `GiB` are powers of two)');
  assert.match(at('even'), /counts differ by at most one/);
  assert.match(at('tight'), /as few nodes/);
  assert.match(at('pack spread', 6), /least full/);
  assert.match(at('pack tight'), /\*\*pack\*\* \(defaults\)/);
  assert.match(at('container a', 10), /spread nodes even/);
});
