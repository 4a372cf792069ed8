import { dirname, isInside, type FileHost } from '../host';
import { unitChoices } from '../model/unit-choice';
import { formatCores, formatDuration, formatNumber, UNITS } from '../model/units';
import type { Typical, UnitKind } from '../syntax/schema';

/**
 * Values completion suggests that come from no declaration: typical values of a quantity, the
 * units after a number, the range ends of a node header, the `.topo` files an import may name.
 */

/** Every unit of a kind, in the order the table of units lists them. */
export const UNITS_OF: Record<UnitKind, readonly string[]> = {
  bytes: ['GiB', 'MiB', 'TiB', 'KiB', 'PiB', 'B', 'GB', 'MB', 'TB', 'KB', 'PB'],
  cpu: ['m'],
  bandwidth: ['Gbps', 'Mbps', 'Tbps', 'Kbps', 'GBps', 'MBps', 'KBps'],
  duration: ['s', 'ms', 'us', 'ns', 'min', 'h'],
  percent: ['%'],
  ratio: [],
  count: [],
};

export const UNIT_DOCS: Record<UnitKind, string> = {
  bytes: 'bytes (KiB, MiB, GiB… are powers of 2; KB, MB, GB… powers of 10)',
  cpu: 'millicores: `500m` = 0.5 cores',
  bandwidth: 'bandwidth (…bps bits per second, …Bps bytes per second)',
  duration: 'duration',
  percent: 'percent',
  ratio: '',
  count: '',
};

/**
 * The units after the number `digits` (the number kept), the unit that makes the value typical
 * for the property first (model/unit-choice.ts, as the missing-unit fix ranks them), then the others.
 */
export function unitsAfter(kind: UnitKind, digits: string, value: number, typical: Typical | undefined): string[] {
  const all = UNITS_OF[kind];
  const first = unitChoices(kind, digits, value, typical).flatMap((c) => (c.unit !== undefined && all.includes(c.unit) ? [c.unit] : []));
  return [...new Set([...first, ...all])];
}

/** A value in canonical units as it is best written in `kind`'s units. */
export function formatQuantity(kind: UnitKind, v: number): string {
  switch (kind) {
    case 'duration': return formatDuration(v);
    case 'percent': return `${formatNumber(Number((v * 100).toPrecision(6)))}%`;
    case 'cpu': return formatCores(v);
    case 'ratio': case 'count': return formatNumber(v);
    case 'bytes': return writtenIn(v, ['PiB', 'TiB', 'GiB', 'MiB', 'KiB', 'PB', 'TB', 'GB', 'MB', 'KB', 'B'], UNITS.bytes);
    case 'bandwidth': return writtenIn(v, ['Tbps', 'Gbps', 'Mbps', 'Kbps'], UNITS.bandwidth);
  }
}

/** `v` in the unit that writes it as the smallest whole number of at least 1 (`2TB`, `256GiB`), else in the largest unit it reaches. */
function writtenIn(v: number, units: readonly string[], table: Readonly<Record<string, number>>): string {
  let best: { x: number; u: string } | null = null;
  for (const u of units) {
    const x = v / (table[u] ?? 1);
    if (x >= 1 && Math.abs(x - Math.round(x)) < 1e-9 * x && (!best || x < best.x)) best = { x: Math.round(x), u };
  }
  if (best) return `${best.x}${best.u}`;
  const u = units.find((w) => v / (table[w] ?? 1) >= 1) ?? units[units.length - 1];
  return `${formatNumber(v / (table[u] ?? 1))}${u}`;
}

/** Most typical values offered for one quantity. */
const MOST_VALUES = 6;

/**
 * Typical values of a quantity: the usual one, then round values from the low to the high end
 * of the typical range (1-2-5 steps; powers of 4 of binary units for bytes), nearest the usual
 * one first, listed in increasing order.
 */
export function typicalValues(kind: UnitKind, t: Typical): readonly { text: string; usual: boolean }[] {
  let byKind = typicalCache.get(t);
  if (!byKind) { byKind = new Map(); typicalCache.set(t, byKind); }
  let v = byKind.get(kind);
  if (!v) { v = computeTypicalValues(kind, t); byKind.set(kind, v); }
  return v;
}

/** The schema's typical ranges are constants: their values are computed once. */
const typicalCache = new WeakMap<Typical, Map<UnitKind, readonly { text: string; usual: boolean }[]>>();

function computeTypicalValues(kind: UnitKind, t: Typical): { text: string; usual: boolean }[] {
  const candidates = new Set<number>([t.low, t.usual, t.high]);
  if (kind === 'bytes' && Number.isInteger(Math.log2(t.usual))) {
    for (let v = 1; v <= t.high; v *= 4) if (v >= t.low) candidates.add(v);
  } else if (t.low > 0) {
    // Round in the units people write: bits for a bandwidth, percent for a share.
    const scale = kind === 'bandwidth' ? 8 : kind === 'percent' ? 100 : 1;
    for (let e = Math.floor(Math.log10(t.low * scale)); e <= Math.ceil(Math.log10(t.high * scale)); e++) {
      for (const m of [1, 2, 5]) {
        const v = Number((m * 10 ** e).toPrecision(6)) / scale;
        if (v >= t.low * (1 - 1e-9) && v <= t.high * (1 + 1e-9)) candidates.add(v);
      }
    }
  }
  const distance = (v: number): number => (v > 0 && t.usual > 0 ? Math.abs(Math.log(v / t.usual)) : Math.abs(v - t.usual));
  const kept = [...candidates].sort((a, b) => distance(a) - distance(b)).slice(0, MOST_VALUES).sort((a, b) => a - b);
  const seen = new Set<string>();
  const out: { text: string; usual: boolean }[] = [];
  for (const v of kept) {
    const text = formatQuantity(kind, v);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({ text, usual: v === t.usual });
  }
  return out;
}

/**
 * The ends of a node range `node FIRST..` that make a valid range (same prefix, a larger
 * number), for 2, 4, 8, 16 and 32 nodes, leaving out those that would name a node the rack
 * already has.
 */
export function nodeRangeEnds(first: string, taken: ReadonlySet<string>): { end: string; count: number }[] {
  const m = /^(.*?)(\d+)$/.exec(first);
  if (!m) return [];
  const from = Number(m[2]);
  const width = m[2].length > 1 && m[2].startsWith('0') ? m[2].length : 0;
  const name = (i: number): string => m[1] + String(i).padStart(width, '0');
  const out: { end: string; count: number }[] = [];
  for (const count of [2, 4, 8, 16, 32]) {
    let clash = false;
    for (let i = from; i < from + count && !clash; i++) clash = taken.has(name(i));
    if (clash) break;
    out.push({ end: name(from + count - 1), count });
  }
  return out;
}

/** Most files an import's completion lists, and how deep it looks. */
const MAX_FILES = 500;
const MAX_DEPTH = 8;

/** `to` relative to the folder `fromDir` ('/'-separated absolute paths). */
export function relativePath(fromDir: string, to: string): string {
  const a = fromDir.split('/').filter((x) => x !== '');
  const b = to.split('/').filter((x) => x !== '');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

/**
 * The `.topo` files of the workspace (the host's root, else the file's folder), as paths
 * relative to the file's folder: its own folder's first, then nearest first. Leaves out the file
 * itself and folders whose name starts with `.` or is `node_modules`.
 */
export function importableFiles(host: FileHost, file: string): string[] {
  const list = host.listDirectory;
  if (!list) return [];
  const here = dirname(file);
  const root = host.workspaceRoot !== undefined && isInside(host.workspaceRoot, here) ? host.workspaceRoot : here;
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    const entries = list.call(host, dir) ?? [];
    for (const e of entries) {
      if (found.length >= MAX_FILES) return;
      const p = dir === '/' ? `/${e.name}` : `${dir}/${e.name}`;
      if (e.directory) {
        if (depth < MAX_DEPTH && !e.name.startsWith('.') && e.name !== 'node_modules') walk(p, depth + 1);
      } else if (e.name.endsWith('.topo') && p !== file) found.push(p);
    }
  };
  walk(root, 0);
  const rel = found.map((p) => relativePath(here, p));
  const ups = (r: string): number => r.split('/').filter((x) => x === '..').length;
  return rel.sort((x, y) => ups(x) - ups(y) || x.split('/').length - y.split('/').length || x.localeCompare(y));
}
