// The table `topo sweep` and `topo sweep merge` print: per scenario × policy, the mean of each
// figure over the seeds with its 95% confidence interval (Student t: mean ± t(0.975, n-1) ×
// s / sqrt(n), s the sample standard deviation over the n seeds). It is computed from the run
// lines alone, in index order, so that a sweep and the merge of its shards print the same bytes.
import type { Policy } from '../core/model/types';
import { errorText, slowdownText, table, wrap } from './simulate';
import { oneLine } from './terminal';
import type { SweepHeader, SweepRunLine } from './sweepRuns';

/** Two-sided 95% Student t quantiles t(0.975, df) for df 1..30 (Abramowitz & Stegun, table 26.10). */
const T975 = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423];

/** t(0.975, df): the table up to 30 degrees of freedom, then the Cornish-Fisher expansion of A&S 26.7.5 (error below 1e-4 there). */
export function t975(df: number): number {
  if (!(df >= 1)) return Infinity;
  if (df <= 30) return T975[Math.floor(df) - 1];
  const z = 1.959963984540054;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** A mean over seeds and the half-width of its 95% interval (null with one seed: no interval). */
export interface MeanInterval {
  readonly mean: number;
  readonly half: number | null;
}

export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, half: null };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { mean, half: t975(n - 1) * Math.sqrt(variance / n) };
}

/** One row of the table: a scenario × policy over its seeds. */
export interface SweepRow {
  readonly scenario: string | null;
  readonly policy: Policy;
  readonly runs: number;
  readonly locality: MeanInterval;
  readonly slowdown: MeanInterval;
  readonly stallSeconds: MeanInterval;
  readonly vcpuMigrations: MeanInterval;
  readonly chunkMigrations: MeanInterval;
  /** Runs stopped at an event that was not absorbed (T501). */
  readonly stopped: number;
}

/** The rows, in the sweep's order (scenarios, then policies). `runs` must be sorted by index. */
export function sweepRows(header: SweepHeader, runs: readonly SweepRunLine[]): SweepRow[] {
  const rows: SweepRow[] = [];
  for (const scenario of header.scenarios) {
    for (const policy of header.policies) {
      const mine = runs.filter((r) => r.scenario === scenario && r.policy === policy);
      if (mine.length === 0) continue;
      const of = (f: (r: SweepRunLine) => number): MeanInterval => meanInterval(mine.map(f));
      rows.push({
        scenario,
        policy,
        runs: mine.length,
        locality: of((r) => r.locality),
        slowdown: of((r) => r.slowdown),
        stallSeconds: of((r) => r.stallSeconds),
        vcpuMigrations: of((r) => r.vcpuMigrations),
        chunkMigrations: of((r) => r.chunkMigrations),
        stopped: mine.filter((r) => r.stopped).length,
      });
    }
  }
  return rows;
}

function seedsText(seeds: readonly number[]): string {
  const consecutive = seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1);
  if (seeds.length > 2 && consecutive) return `seeds ${seeds[0]}..${seeds[seeds.length - 1]}`;
  return `seed${seeds.length > 1 ? 's' : ''} ${seeds.join(', ')}`;
}

function withHalf(m: MeanInterval, text: (x: number) => string, half: (h: number) => string): string {
  return m.half === null ? text(m.mean) : `${text(m.mean)} ± ${half(m.half)}`;
}

/** The text table of a whole sweep. Scenario names are never cut (two could then read the same): a long one widens the table. */
export function sweepText(header: SweepHeader, runs: readonly SweepRunLine[]): string {
  const rows = sweepRows(header, runs);
  const out = wrap(`${oneLine(header.file)}: ${header.scenarios.length} scenario${header.scenarios.length === 1 ? '' : 's'} × ${header.policies.length} polic${header.policies.length === 1 ? 'y' : 'ies'} × ${header.seeds.length} seed${header.seeds.length === 1 ? '' : 's'} = ${header.runs} runs (${seedsText(header.seeds)}${header.samples !== null ? `, ${header.samples} samples per vCPU per tick` : ''}${header.budgetMs !== null ? `, budget ${header.budgetMs} ms` : ''})`);
  out.push(...wrap(header.seeds.length > 1 ? 'means over the seeds with their 95% intervals (Student t over the seeds)' : 'one seed: the figures of each run, without intervals (give --seeds 2 or more for intervals)'));
  out.push('');
  const count = (x: number): string => (Math.round(x * 10) / 10).toLocaleString('en');
  out.push(...table([
    ['scenario', 'policy', 'locality', 'slowdown', 'stall', 'vCPU moves', 'chunk moves', 'stopped'],
    ...rows.map((r) => [
      r.scenario === null ? 'base' : oneLine(r.scenario),
      r.policy,
      withHalf(r.locality, (x) => `${(x * 100).toFixed(1)}%`, (h) => errorText(h * 100, 1)),
      r.slowdown.half === null ? slowdownText(r.slowdown.mean, 0).replace(/ ± .*$/, '') : slowdownText(r.slowdown.mean, r.slowdown.half),
      withHalf(r.stallSeconds, (x) => `${x.toFixed(2)}s`, (h) => errorText(h, 2)),
      withHalf(r.vcpuMigrations, count, (h) => errorText(h, 1)),
      withHalf(r.chunkMigrations, count, (h) => errorText(h, 1)),
      r.stopped ? `${r.stopped} of ${r.runs}` : '-',
    ]),
  ]));
  if (rows.some((r) => r.stopped)) out.push('', ...wrap('stopped: runs in which an event was not absorbed (T501); their figures cover the run up to that event. `topo simulate FILE --scenario NAME --seed N` shows one.'));
  return `${out.join('\n')}\n`;
}
