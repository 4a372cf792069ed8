// Number formatting for labels and tooltips.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(n: number): string {
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v < 10 ? v.toFixed(1) : v.toFixed(0)} ${UNITS[i]}`;
}

export function percent(f: number): string {
  return `${Math.round(f * 100)}%`;
}

export function percent1(f: number): string {
  return `${(f * 100).toFixed(1)}%`;
}

export function count(n: number): string {
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (Math.abs(n) >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export function seconds(s: number): string {
  if (s === 0) return '0 s';
  if (Math.abs(s) < 1) return `${(s * 1000).toFixed(0)} ms`;
  if (Math.abs(s) < 120) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  return `${(s / 60).toFixed(1)} min`;
}

export function cores(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Tick formatter for a time axis whose largest value is `maxT` seconds (one unit per axis). */
export function timeTick(maxT: number): (d: number) => string {
  if (maxT >= 300) return (d) => `${+(d / 60).toFixed(1)} min`;
  return (d) => `${+d.toFixed(3)} s`;
}
