import type { UnitKind } from '../syntax/schema';

/** Unit tables of the language contract (section 1), to canonical values (docs/language.md, "Numbers and units"). */
export const UNITS: Record<Exclude<UnitKind, 'ratio' | 'count'>, Readonly<Record<string, number>>> = {
  bytes: {
    B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15,
    KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, PiB: 1024 ** 5,
  },
  cpu: { '': 1, m: 1e-3 },
  bandwidth: { Kbps: 1e3 / 8, Mbps: 1e6 / 8, Gbps: 1e9 / 8, Tbps: 1e12 / 8, KBps: 1e3, MBps: 1e6, GBps: 1e9 },
  // a year is 365 days (8,760 hours, as data-centre energy budgets count it)
  duration: { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, min: 60, h: 3600, d: 86400, y: 365 * 86400 },
  power: { W: 1, kW: 1e3, MW: 1e6 },
  percent: { '%': 0.01 },
};

export const UNIT_KIND_NAMES: Record<UnitKind, string> = {
  bytes: 'a size in bytes (e.g. `256GiB`)',
  cpu: 'a CPU amount (cores like `2`, or millicores like `500m`)',
  bandwidth: 'a bandwidth (e.g. `25Gbps`)',
  duration: 'a duration (e.g. `10ms`)',
  power: 'a power (e.g. `450W`)',
  percent: 'a percentage (e.g. `80%`)',
  ratio: 'a plain number (e.g. `2.0`)',
  count: 'a whole number (e.g. `4`)',
};

/** Units suggested by the "add the unit" quick fix, most likely first. */
export const SUGGESTED_UNITS: Partial<Record<UnitKind, readonly string[]>> = {
  bytes: ['GiB', 'MiB', 'TiB', 'GB'],
  bandwidth: ['Gbps', 'Mbps'],
  duration: ['s', 'ms', 'us'],
  power: ['W', 'kW'],
  percent: ['%'],
};

/** Every unit and the kind it belongs to (for "wrong kind" messages). */
export const UNIT_KIND_OF: ReadonlyMap<string, UnitKind> = new Map(
  (Object.keys(UNITS) as (keyof typeof UNITS)[]).flatMap((k) => Object.keys(UNITS[k]).filter((u) => u !== '').map((u) => [u, k] as [string, UnitKind])),
);

export const ALL_UNITS: readonly string[] = [...UNIT_KIND_OF.keys()];

/** Formats bytes for messages: 256GiB, 1.5TiB, 512MiB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${formatNumber(v)}${units[i]}`;
}

export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const r = Math.round(v * 100) / 100;
  return String(r);
}

export function formatCores(cores: number): string {
  if (cores > 0 && cores < 1) return `${Math.round(cores * 1000)}m`;
  return formatNumber(cores);
}

export function formatDuration(seconds: number): string {
  const year = UNITS.duration.y, day = UNITS.duration.d;
  if (seconds >= year && seconds % year === 0) return `${seconds / year}y`;
  if (seconds > day && seconds % day === 0) return `${seconds / day}d`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}min`;
  if (seconds >= 1) return `${formatNumber(seconds)}s`;
  if (seconds >= 1e-3) return `${formatNumber(seconds * 1e3)}ms`;
  if (seconds >= 1e-6) return `${formatNumber(seconds * 1e6)}us`;
  return `${formatNumber(seconds * 1e9)}ns`;
}

export function formatPercent(fraction: number): string {
  return `${formatNumber(Math.round(fraction * 1000) / 10)}%`;
}

/** 1234567 -> "1,234,567" (no Intl, same in every runtime). */
export function groupDigits(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const neg = v < 0;
  const [int, frac] = String(Math.abs(Math.round(v * 1000) / 1000)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}
