/** How the simulator's messages write numbers (report.ts, events.ts). */

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function pct(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

export function fmtSeconds(seconds: number): string {
  return `${round(seconds, 3)}s`;
}
