// Property 10 (ground truth): on small cases the sampled estimate is within 2 points of locality
// and 5% of slowdown of `--exact`, which draws every real access. Exact runs are random too: the
// truth is the mean of exact runs with several seeds, and the tolerance adds their own noise
// (large only where the events that matter are few, e.g. chunks that take 17 ms to move over
// 1 Gbps, where one vCPU's slowdown varies from 11x to 42x between seeds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXACT_LIMIT_SECONDS, ExactTooSlow, estimateExact, simulate, type SimulateOptions } from '../../../server/src/core/simulator/index';
import type { Model } from '../../../server/src/core/model/types';
import type { SimulationResult } from '../../../server/src/core/result';
import { FABRICS, POLICIES, modelOf, sdsText } from './helpers';

/** Figures of exact runs with several seeds: their mean and a tolerance for their own noise (2.5 standard errors, or the largest stated error). */
interface Truth {
  readonly value: number;
  readonly noise: number;
}

function truth(values: readonly number[], errors: readonly number[]): Truth {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { value: mean, noise: Math.max(2.5 * sd / Math.sqrt(values.length), ...errors) };
}

function exactRuns(model: Model, options: SimulateOptions, seeds: readonly number[]): SimulationResult[] {
  return seeds.map((seed) => simulate(model, { ...options, exact: true, seed }));
}

function within(sampled: SimulationResult, exact: readonly SimulationResult[], what: string): void {
  const loc = truth(exact.map((r) => r.summary.locality), exact.map((r) => r.summary.localityError));
  assert.ok(Math.abs(sampled.summary.locality - loc.value) <= 0.02 + loc.noise, `${what}: locality ${sampled.summary.locality} against exact ${loc.value} ± ${loc.noise}`);
  const slow = truth(exact.map((r) => r.summary.slowdown), exact.map((r) => r.summary.slowdownError));
  assert.ok(Math.abs(sampled.summary.slowdown / slow.value - 1) <= 0.05 + slow.noise / slow.value, `${what}: slowdown ${sampled.summary.slowdown} against exact ${slow.value} ± ${slow.noise}`);
  for (let i = 0; i < sampled.containers.length; i++) {
    const s = sampled.containers[i];
    if (exact.some((r) => r.containers[i].locality === null)) continue;
    const l = truth(exact.map((r) => r.containers[i].locality!), exact.map((r) => r.containers[i].localityError));
    const d = truth(exact.map((r) => r.containers[i].slowdown!), exact.map((r) => r.containers[i].slowdownError));
    assert.ok(Math.abs(s.locality! - l.value) <= 0.02 + l.noise, `${what} ${s.name}: locality ${s.locality} against exact ${l.value} ± ${l.noise}`);
    assert.ok(Math.abs(s.slowdown! / d.value - 1) <= 0.05 + d.noise / d.value, `${what} ${s.name}: slowdown ${s.slowdown} against exact ${d.value} ± ${d.noise}`);
  }
}

/** Small cases: one to four nodes, a few vCPUs, uniform and skewed, read-mostly and write-heavy, fast and slow fabrics, some sharing memory. */
function smallCases(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const nodes of [1, 2, 4]) {
    for (const fabric of ['fast', 'slow'] as const) {
      for (const skew of [0, 1.2]) {
        for (const writes of [5, 70]) {
          const shared = nodes > 1 && skew > 0;
          const body = `container a {
  cpu ${Math.min(4, nodes + 1)}
  load 100%
  memory 4GiB
  workingset ${fabric === 'slow' ? 1 : 4}GiB skew ${skew} writes ${writes}%${shared ? '\n  talks b weight 30%' : ''}
  place on pod
}${shared ? `
container b {
  cpu 1
  load 100%
  memory 2GiB
  workingset 1GiB skew ${skew} writes ${writes}%
  place on pod
}` : ''}`;
          out.push({ name: `${nodes} nodes ${fabric} skew ${skew} writes ${writes}%`, text: sdsText(nodes, body, { duration: '2s', ...FABRICS[fabric] }) });
        }
      }
    }
  }
  return out;
}

test('property 10: the sampled estimate is within 2 points of locality and 5% of slowdown of --exact (24 small cases, every policy)', () => {
  for (const c of smallCases()) {
    const model = modelOf(c.text);
    for (const policy of POLICIES) {
      // a tenth of the default access rate keeps --exact fast; the estimator does not care
      const opts = { policy, accessRate: 1e5, budgetMs: 1e6 };
      within(simulate(model, opts), exactRuns(model, opts, [1, 2, 3]), `${c.name} ${policy}`);
    }
  }
});

test('property 10 at the default access rate (a million per vCPU-second) on a few cases', () => {
  for (const c of smallCases().filter((x) => x.name.startsWith('2 nodes fast') || x.name === '4 nodes fast skew 1.2 writes 70%')) {
    const model = modelOf(c.text.replace('duration 2s', 'duration 1s'));
    for (const policy of POLICIES) within(simulate(model, { policy, budgetMs: 1e6 }), exactRuns(model, { policy }, [1, 2]), `${c.name} ${policy}`);
  }
});

test('--exact draws every real access: its count is the vCPUs\' access rate over the run (less their stalls)', () => {
  const model = modelOf(sdsText(1, `container a {
  cpu 2
  load 100%
  memory 1GiB
  place on pod
}`, { duration: '1s' }));
  const r = simulate(model, { exact: true, accessRate: 1e5 });
  assert.equal(r.input.exact, true);
  // two vCPUs, every access local on one node: 2 x 1e5 accesses in the second
  assert.ok(Math.abs(r.summary.sampledAccesses - 2e5) <= 2, String(r.summary.sampledAccesses));
  assert.equal(r.summary.locality, 1);
});

test('--exact refuses a model that would take more than a minute, naming the estimate', () => {
  const model = modelOf(sdsText(4, `container big {
  cpu 24
  load 100%
  memory 32GiB
  place on pod
}`, { cores: 8, duration: '600s' }));
  const est = estimateExact(model);
  assert.ok(est.seconds > EXACT_LIMIT_SECONDS);
  assert.throws(() => simulate(model, { exact: true }), (e: unknown) => e instanceof ExactTooSlow && /--exact would draw 14\.4 billion real accesses, about \d+ s here \(the limit is 60 s\)/.test(e.message));
});
