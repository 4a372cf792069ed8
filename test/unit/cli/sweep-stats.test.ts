// The sweep table's statistics against hand computations and published quantiles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanInterval, t975 } from '../../../server/src/cli/sweepTable';

test('t(0.975, df) matches the published table, also where the expansion takes over', () => {
  // Abramowitz & Stegun table 26.10 (and any statistics text): df 1, 2, 10, 30, 40, 60, 120
  const published: [number, number][] = [[1, 12.706], [2, 4.303], [10, 2.228], [30, 2.042], [40, 2.021], [60, 2.000], [120, 1.980]];
  for (const [df, t] of published) assert.ok(Math.abs(t975(df) - t) < 0.0015, `df ${df}: ${t975(df)} vs ${t}`);
  // the expansion at 30 agrees with the table's last entry, so the switch has no step
  assert.ok(Math.abs(t975(30) - t975(31)) < 0.003);
  assert.ok(t975(1e6) > 1.959 && t975(1e6) < 1.961);
  assert.equal(t975(0), Infinity);
});

test('mean and 95% half-width of a hand-computed case', () => {
  // 2, 4, 9: mean 5, s^2 = (9 + 1 + 16) / 2 = 13, half = 4.303 * sqrt(13 / 3) = 8.9574
  const m = meanInterval([2, 4, 9]);
  assert.equal(m.mean, 5);
  assert.ok(m.half !== null && Math.abs(m.half - 4.3027 * Math.sqrt(13 / 3)) < 1e-9);
  assert.ok(Math.abs((m.half ?? 0) - 8.9574) < 1e-3);
  // equal values: no spread, a zero interval; one value: no interval at all
  assert.deepEqual(meanInterval([0.5, 0.5, 0.5, 0.5]), { mean: 0.5, half: 0 });
  assert.deepEqual(meanInterval([7]), { mean: 7, half: null });
  // the order of the seeds does not matter beyond rounding
  const a = meanInterval([1.1, 2.7, 0.3, 5.9, 4.4]);
  const b = meanInterval([5.9, 0.3, 4.4, 1.1, 2.7]);
  assert.ok(Math.abs(a.mean - b.mean) < 1e-12 && Math.abs((a.half ?? 0) - (b.half ?? 0)) < 1e-12);
});
