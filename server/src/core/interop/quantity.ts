/**
 * Kubernetes resource quantities (`500m`, `1.5`, `2Gi`, `2G`, `2e9`, `129e6`, `1Ki`, `0.1`),
 * parsed exactly: the value is kept as a decimal mantissa times 10^exp times 2^bin until the end.
 */

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** A quantity as an exact fraction numerator / denominator (both BigInt, denominator > 0). */
export interface Quantity {
  readonly num: bigint;
  readonly den: bigint;
}

/** Parses a quantity (string or YAML number); undefined when it is not a valid quantity. */
export function parseQuantity(input: string | number): Quantity | undefined {
  const text = typeof input === 'number' ? numberText(input) : input.trim();
  if (text === undefined) return undefined;
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const [, sign, digits, exponent, suffix] = m;
  const [whole, frac = ''] = (digits ?? '').split('.');
  let num = BigInt(`${whole || '0'}${frac}`);
  let den = 1n;
  let exp = -frac.length;
  if (exponent) exp += Number(exponent.slice(1));
  if (suffix && suffix in BINARY) num *= 1n << BigInt(BINARY[suffix] ?? 0);
  else exp += DECIMAL[suffix ?? ''] ?? 0;
  if (Math.abs(exp) > 400) return undefined;
  if (exp >= 0) num *= 10n ** BigInt(exp);
  else den = 10n ** BigInt(-exp);
  if (sign === '-') num = -num;
  return reduce(num, den);
}

function numberText(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  return String(n);
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b) [a, b] = [b, a % b];
  return a;
}

function reduce(num: bigint, den: bigint): Quantity {
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

/** Rounds up to a multiple of 1/scale, the way Kubernetes rounds requests (ceil). */
function ceilTo(q: Quantity, scale: bigint): bigint {
  const n = q.num * scale;
  const r = n / q.den;
  return n % q.den !== 0n && n > 0n ? r + 1n : r;
}

/** CPU in millicores (rounded up, as Kubernetes does), or undefined when invalid/negative. */
export function cpuMillis(input: string | number): number | undefined {
  const q = parseQuantity(input);
  if (!q || q.num < 0n) return undefined;
  return Number(ceilTo(q, 1000n));
}

/** Memory in bytes (rounded up to whole bytes), or undefined when invalid/negative. */
export function memoryBytes(input: string | number): number | undefined {
  const q = parseQuantity(input);
  if (!q || q.num < 0n) return undefined;
  return Number(ceilTo(q, 1n));
}

/** Canonical Kubernetes CPU quantity: whole cores as `2`, otherwise millicores `500m`. */
export function formatCpuK8s(cores: number): string {
  const millis = Math.ceil(Math.round(cores * 1e6) / 1e3);
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Canonical Kubernetes memory quantity: the largest binary suffix that divides exactly. */
export function formatMemoryK8s(bytes: number): string {
  const b = Math.ceil(bytes);
  for (const [suffix, shift] of [['Ti', 40], ['Gi', 30], ['Mi', 20], ['Ki', 10]] as const) {
    const unit = 2 ** shift;
    if (b >= unit && b % unit === 0) return `${b / unit}${suffix}`;
  }
  return String(b);
}

/** Topo CPU literal: cores as a bare number when whole, else millicores. */
export function formatCpuTopo(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Topo bytes literal with the largest exact unit. */
export function formatBytesTopo(bytes: number): string {
  for (const [suffix, shift] of [['TiB', 40], ['GiB', 30], ['MiB', 20], ['KiB', 10]] as const) {
    const unit = 2 ** shift;
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  for (const [suffix, e] of [['TB', 12], ['GB', 9], ['MB', 6], ['KB', 3]] as const) {
    const unit = 10 ** e;
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return `${bytes}B`;
}
