/**
 * Which unit a value written without one (or with an unknown one) most likely meant: the one
 * that makes it typical for its property (`latency 2` -> `2us`, `tick 10` -> `10ms`,
 * `memory 512` on a container -> `512MiB`), then the others that are plausible too. Kubernetes
 * quantity suffixes (`Gi`, `Mi`, `Ki`, `G`, `M`, `k`) are read as Kubernetes means them.
 */

import type { Typical, UnitKind } from '../syntax/schema';
import { suggest } from '../suggest';
import { SUGGESTED_UNITS, UNITS } from './units';

export interface UnitChoice {
  /** The value as it would be written: `2us`, `30%`. */
  readonly text: string;
  /** Its canonical value (bytes, seconds, bytes/s, a fraction). */
  readonly canonical: number;
  /** Why, when it is not obvious: `0.3 as a fraction`. */
  readonly note?: string;
  /** Set when the number stays as written and only this unit is written after it. */
  readonly unit?: string;
}

type Measured = Exclude<UnitKind, 'ratio' | 'count'>;

/** Units a bare number may have meant, per kind; the second list is less likely (a small penalty). */
const CANDIDATES: Record<Measured, { readonly likely: readonly string[]; readonly less: readonly string[] }> = {
  bytes: { likely: ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'], less: ['KB', 'MB', 'GB', 'TB', 'PB'] },
  duration: { likely: ['ns', 'us', 'ms', 's', 'min', 'h', 'd', 'y'], less: [] },
  power: { likely: ['W', 'kW', 'MW'], less: [] },
  bandwidth: { likely: ['Kbps', 'Mbps', 'Gbps', 'Tbps'], less: ['KBps', 'MBps', 'GBps'] },
  cpu: { likely: ['', 'm'], less: [] },
  percent: { likely: ['%'], less: [] },
};
const LESS_LIKELY = 0.05;
const MOST_CHOICES = 3;

/** Kubernetes quantity suffixes for bytes, and what they are in Topo. */
const KUBERNETES_BYTES: Readonly<Record<string, { unit: string; words: string }>> = {
  Ki: { unit: 'KiB', words: 'kibibytes (2^10 bytes)' }, Mi: { unit: 'MiB', words: 'mebibytes (2^20 bytes)' },
  Gi: { unit: 'GiB', words: 'gibibytes (2^30 bytes)' }, Ti: { unit: 'TiB', words: 'tebibytes (2^40 bytes)' },
  Pi: { unit: 'PiB', words: 'pebibytes (2^50 bytes)' },
  k: { unit: 'KB', words: 'kilobytes (10^3 bytes)' }, K: { unit: 'KB', words: 'kilobytes (10^3 bytes)' },
  M: { unit: 'MB', words: 'megabytes (10^6 bytes)' }, G: { unit: 'GB', words: 'gigabytes (10^9 bytes)' },
  T: { unit: 'TB', words: 'terabytes (10^12 bytes)' }, P: { unit: 'PB', words: 'petabytes (10^15 bytes)' },
};
const BINARY_OF: Readonly<Record<string, string>> = { KB: 'KiB', MB: 'MiB', GB: 'GiB', TB: 'TiB', PB: 'PiB' };

/** Other spellings of units, per kind. */
const ALIASES: Partial<Record<Measured, Readonly<Record<string, readonly string[]>>>> = {
  duration: {
    sec: ['s'], secs: ['s'], second: ['s'], seconds: ['s'], msec: ['ms'], millis: ['ms'], usec: ['us'], micros: ['us'], nsec: ['ns'],
    m: ['min', 'ms'], mins: ['min'], minute: ['min'], minutes: ['min'], hr: ['h'], hrs: ['h'], hour: ['h'], hours: ['h'],
  },
  bandwidth: {
    K: ['Kbps'], M: ['Mbps'], G: ['Gbps'], T: ['Tbps'], Kb: ['Kbps'], Mb: ['Mbps'], Gb: ['Gbps'], Tb: ['Tbps'],
    Kbit: ['Kbps'], Mbit: ['Mbps'], Gbit: ['Gbps'], Tbit: ['Tbps'], KB: ['KBps'], MB: ['MBps'], GB: ['GBps'],
  },
  percent: { pct: ['%'], percent: ['%'] },
  bytes: { b: ['B'], Kb: ['KB', 'KiB'], Mb: ['MB', 'MiB'], Gb: ['GB', 'GiB'], Tb: ['TB', 'TiB'] },
};

function factorOf(kind: Measured, unit: string): number | undefined {
  return UNITS[kind][unit];
}

/** A number without float noise: 0.3 * 100 = 30, not 30.000000000000004. */
function clean(v: number): string {
  return String(Number(v.toPrecision(12)));
}

/** Distance of a value from what is typical (0 at the usual value; in-range values first). */
function score(v: number, t: Typical | undefined, penalty: number): number {
  if (!t || !(v > 0)) return penalty;
  const inRange = v >= t.low * (1 - 1e-12) && v <= t.high * (1 + 1e-12);
  return (inRange ? 0 : 1000) + Math.abs(Math.log10(v / t.usual)) + penalty;
}

function ranked(kind: Measured, number: string, value: number, units: readonly string[], t: Typical | undefined, less: ReadonlySet<string>): UnitChoice[] {
  const out: { c: UnitChoice; s: number }[] = [];
  for (const u of units) {
    const f = factorOf(kind, u);
    if (f === undefined) continue;
    out.push({ c: { text: `${number}${u}`, canonical: value * f, unit: u }, s: score(value * f, t, less.has(u) ? LESS_LIKELY : 0) });
  }
  out.sort((a, b) => a.s - b.s);
  return out.map((x) => x.c);
}

/** The three closest choices (they come sorted: typical ones first, then by distance from the usual value). */
function keep(choices: readonly UnitChoice[]): UnitChoice[] {
  return choices.slice(0, MOST_CHOICES);
}

/**
 * The units a number written without one may have meant, most typical first. A bare fraction
 * for a percentage is read as a fraction too (`writes 0.3` -> `30%`, then `0.3%`).
 */
export function unitChoices(kind: UnitKind, number: string, value: number, t: Typical | undefined): UnitChoice[] {
  if (kind === 'ratio' || kind === 'count' || kind === 'cpu') return [];
  if (kind === 'percent') {
    const out: { c: UnitChoice; s: number }[] = [{ c: { text: `${number}%`, canonical: value / 100, unit: '%' }, s: score(value / 100, t, 0) }];
    if (value > 0 && value <= 1) out.push({ c: { text: `${clean(value * 100)}%`, canonical: value, note: `\`${number}\` as a fraction` }, s: score(value, t, 0) });
    out.sort((a, b) => a.s - b.s);
    return out.map((x) => x.c);
  }
  if (!t) return ranked(kind, number, value, SUGGESTED_UNITS[kind] ?? [], undefined, new Set()).slice(0, MOST_CHOICES);
  const { likely, less } = CANDIDATES[kind];
  return keep(ranked(kind, number, value, [...likely, ...less], t, new Set(less)));
}

/**
 * For a unit Topo does not know: what it likely meant (a Kubernetes suffix, another spelling, a
 * different case, a typo), most typical first, and what the written unit means when that is
 * worth saying (`512Mi` is Kubernetes for mebibytes).
 */
export function unknownUnitChoices(kind: UnitKind, unit: string, number: string, value: number, t: Typical | undefined): { choices: UnitChoice[]; meaning?: string } {
  if (kind === 'ratio' || kind === 'count' || kind === 'cpu') return { choices: [] };
  if (kind === 'bytes') {
    const k8s = KUBERNETES_BYTES[unit];
    if (k8s) {
      const units = [k8s.unit, ...(BINARY_OF[k8s.unit] ? [BINARY_OF[k8s.unit]] : [])];
      const choices = units.map((u) => ({ text: `${number}${u}`, canonical: value * (factorOf('bytes', u) ?? 1), unit: u }));
      const meaning = BINARY_OF[k8s.unit]
        ? `in Kubernetes \`${number}${unit}\` means ${number} ${k8s.words}, which is \`${number}${k8s.unit}\` here (\`${number}${BINARY_OF[k8s.unit]}\` is ${number} x 2^${Math.log2(factorOf('bytes', BINARY_OF[k8s.unit]) ?? 1)} bytes)`
        : `\`${number}${unit}\` is Kubernetes for ${number} ${k8s.words}`;
      return { choices, meaning };
    }
  }
  const m = kind as Measured;
  const known = Object.keys(UNITS[m]).filter((u) => u !== '');
  const less = new Set(CANDIDATES[m].less);
  const alias = ALIASES[m]?.[unit];
  if (alias) return { choices: ranked(m, number, value, alias, t, new Set()) };
  const sameLetters = known.filter((u) => u.toLowerCase() === unit.toLowerCase());
  if (sameLetters.length) return { choices: ranked(m, number, value, sameLetters, t, less) };
  const near = suggest(unit, known);
  if (near) return { choices: [{ text: `${number}${near}`, canonical: value * (factorOf(m, near) ?? 1), unit: near }] };
  return { choices: unitChoices(kind, number, value, t) };
}
