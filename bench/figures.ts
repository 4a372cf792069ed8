// The figures of issue 17's table, recorded by the bench modules as they measure them and printed
// by run.ts at the end of the run, each next to its goal.

export interface Stats { readonly p50: number; readonly p95: number; readonly max: number; readonly n: number }

/** p50/p95/max of samples (nearest rank, as the bench lines have always printed them). */
export function stats(ms: readonly number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  return { p50: at(50), p95: at(95), max: s[s.length - 1], n: s.length };
}

export function formatStats(x: Stats, digits = 1): string {
  return `p50 ${x.p50.toFixed(digits)} ms  p95 ${x.p95.toFixed(digits)} ms  max ${x.max.toFixed(digits)} ms  (${x.n} runs)`;
}

export interface Figure {
  readonly figure: string;
  readonly now: string;
  readonly goal: string;
  /** Whether `now` meets the goal (null: not a pass/fail figure). */
  readonly met: boolean | null;
}

const recorded: Figure[] = [];

export function record(figure: string, now: string, goal: string, met: boolean | null): void {
  recorded.push({ figure, now, goal, met });
}

/** A latency figure: p50, p95 and max, met when p95 is at most `goalMs`. */
export function recordLatency(figure: string, x: Stats, goalMs: number): void {
  record(figure, `p50 ${x.p50.toFixed(1)} / p95 ${x.p95.toFixed(1)} / max ${x.max.toFixed(1)} ms (${x.n})`, `p95 ≤ ${goalMs} ms`, x.p95 <= goalMs);
}

export function figures(): readonly Figure[] {
  return recorded;
}

/** The table as markdown (what the table looks like). */
export function figureTable(): string[] {
  const rows = figures();
  if (!rows.length) return [];
  const out = ['| figure | now | goal | met |', '| --- | --- | --- | --- |'];
  for (const r of rows) out.push(`| ${r.figure} | ${r.now} | ${r.goal} | ${r.met === null ? '' : r.met ? 'yes' : 'no'} |`);
  return out;
}
