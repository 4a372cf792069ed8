/** Quantities as a person writes them in a .topo file: `64GiB`, `1.5TiB`, `500m`, `2.5`. */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < BYTE_UNITS.length - 1) { v /= 1024; u++; }
  return `${trim(v)}${BYTE_UNITS[u]}`;
}

export function formatCores(cores: number): string {
  if (cores > 0 && cores < 1) return `${Math.round(cores * 1000)}m`;
  return trim(cores);
}

/** A ratio with one decimal at least: `2.0`, `1.5`, `1.25`. */
export function formatRatio(r: number): string {
  const s = trim(r);
  return s.includes('.') ? s : `${s}.0`;
}

function trim(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r);
}
