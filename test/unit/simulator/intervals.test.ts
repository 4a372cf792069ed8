// The 95% confidence half-widths (localityError, slowdownError): batch means over the steady
// state. Over many seeds, the interval stated around each run should contain the mean of the
// other runs about 95% of the time (a little less: that mean is noisy too); we ask for 80%.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, type SimulateOptions } from '../../../server/src/core/simulator/index';
import type { Model } from '../../../server/src/core/model/types';
import { modelOf, sdsText } from './helpers';

function coverage(model: Model, options: SimulateOptions, seeds: number, pick: (r: ReturnType<typeof simulate>) => [number, number]): { covered: number; widths: number[]; spread: number } {
  const runs = Array.from({ length: seeds }, (_, i) => pick(simulate(model, { ...options, seed: 1000 + i })));
  let covered = 0;
  for (let i = 0; i < runs.length; i++) {
    const others = runs.filter((_, j) => j !== i);
    const mean = others.reduce((a, [v]) => a + v, 0) / others.length;
    if (Math.abs(runs[i][0] - mean) <= runs[i][1]) covered++;
  }
  const values = runs.map(([v]) => v);
  return { covered: covered / runs.length, widths: runs.map(([, e]) => e), spread: Math.max(...values) - Math.min(...values) };
}

const hopping = modelOf(sdsText(4, `container a {
  cpu 6
  load 100%
  memory 8GiB
  workingset 8GiB skew 0.6 writes 30%
  place on pod
}`, { duration: '3s' }));

test('vcpu (hopping vCPUs, sampled): the stated intervals of locality and slowdown cover the other seeds\' mean', () => {
  // few samples per tick: the sampled paths are noisy, the intervals must say so
  const loc = coverage(hopping, { policy: 'vcpu', samples: 2 }, 24, (r) => [r.summary.locality, r.summary.localityError]);
  assert.ok(loc.spread > 0, 'seeds differ');
  assert.ok(loc.widths.every((w) => w > 0), 'every run states an interval');
  assert.ok(loc.covered >= 0.8, `locality covered ${loc.covered}`);
  const slow = coverage(hopping, { policy: 'vcpu', samples: 2 }, 24, (r) => [r.summary.slowdown, r.summary.slowdownError]);
  assert.ok(slow.covered >= 0.8, `slowdown covered ${slow.covered}`);
});

test('--exact (every access drawn): its intervals cover the other seeds\' mean', () => {
  const model = modelOf(sdsText(2, `container a {
  cpu 2
  load 100%
  memory 4GiB
  workingset 4GiB skew 0 writes 30%
  place on pod
}`, { duration: '1s' }));
  const loc = coverage(model, { policy: 'static', exact: true, accessRate: 2e4 }, 24, (r) => [r.containers[0].locality!, r.containers[0].localityError]);
  assert.ok(loc.spread > 0);
  assert.ok(loc.covered >= 0.8, `locality covered ${loc.covered}`);
});

test('every estimate comes with a half-width in the document, and a non-stationary run states a wide one', () => {
  // page over a slow fabric: memory keeps moving in the steady-state window
  const r = simulate(modelOf(sdsText(2, `container a {
  cpu 3
  load 100%
  memory 4GiB
  workingset 1GiB skew 0 writes 5%
  place on pod
}`, { duration: '2s', bandwidth: '1Gbps', latency: '50us' })), { policy: 'page', accessRate: 1e5 });
  assert.ok(r.summary.localityError >= 0 && r.summary.slowdownError >= 0);
  for (const c of r.containers) assert.ok(c.localityError >= 0 && c.slowdownError >= 0, c.name);
  // locality rises from 60% to 80% in the window: batch means say so
  assert.ok(r.summary.localityError > 0.005, String(r.summary.localityError));
});
