/** Quantities as a person writes them in a .topo file: `64GiB`, `1.5TiB`, `500m`, `2.5` (one definition, model/units.ts). */
import { formatNumber } from '../model/units';

export { formatBytes, formatCores } from '../model/units';

/** A ratio with one decimal at least: `2.0`, `1.5`, `1.25`. */
export function formatRatio(r: number): string {
  const s = formatNumber(r);
  return s.includes('.') ? s : `${s}.0`;
}

/** A bandwidth in bytes per second as a person writes it: `12Gbps`, `0.5Gbps`. */
export function formatGbps(bytesPerSecond: number): string {
  return `${formatNumber((bytesPerSecond * 8) / 1e9)}Gbps`;
}

/** A measured rate for a report, in the unit that fits its size: `100 Gbps`, `480 Mbps`, `48 kbps`, `<1 kbps`. */
export function formatRate(bytesPerSecond: number): string {
  const bits = bytesPerSecond * 8;
  if (!(bits > 0)) return '0 Gbps';
  const digits = (v: number): string => (v >= 10 ? v.toFixed(0) : v.toFixed(1));
  if (bits >= 1e9) return `${digits(bits / 1e9)} Gbps`;
  if (bits >= 1e6) return `${digits(bits / 1e6)} Mbps`;
  if (bits >= 1e3) return `${digits(bits / 1e3)} kbps`;
  return '<1 kbps';
}
