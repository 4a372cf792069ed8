/**
 * Popularity bands. A region of `n` chunks is accessed with a Zipf(skew) popularity over its
 * ranks (rank 0 hottest, P(rank i) ~ 1/(i+1)^skew). The model groups the ranks into bands of
 * consecutive ranks whose per-chunk probabilities differ by at most a small ratio, and treats
 * the chunks of one band as equally popular: a band's share of the accesses is the Zipf mass
 * of its ranks, spread evenly over its chunks. Chunks of a band are then exchangeable, so the
 * simulator's state is a count of chunks per band and node, and what a slice of accesses does
 * to a band has a closed form (see docs/simulator.md). `--exact` uses the same banded
 * popularity, so the ground truth and the estimator simulate one model.
 *
 * Band edges depend on the region's size and its largest skew only; every side that accesses
 * a region (a shared region has two) gets its own masses over the same bands.
 */

/** At most this many bands per region (the ratio within a band widens for very skewed, very large regions). */
export const MAX_BANDS = 40;
/** Largest ratio of per-chunk probability between the hottest and coldest rank of a band. */
export const BAND_RATIO = 1.5;

/** Start ranks of the bands (0-based) and one past the last: length bands + 1. Ranks are whole chunks. */
export function bandEdges(chunks: number, skew: number, maxBands = MAX_BANDS): Float64Array {
  const size = Math.max(1, Math.ceil(chunks));
  if (!(skew > 0) || size === 1) return Float64Array.of(0, size);
  // per-chunk probability ratio across a band [lo, hi): ((hi) / (lo + 1))^skew <= ratio
  let ratio = BAND_RATIO;
  const needed = (skew * Math.log(size)) / Math.log(ratio);
  if (needed > maxBands - 1) ratio = Math.exp((skew * Math.log(size)) / (maxBands - 1));
  const growth = Math.pow(ratio, 1 / skew);
  const edges: number[] = [0];
  let lo = 0;
  while (lo < size) {
    const hi = Math.min(size, Math.max(lo + 1, Math.floor((lo + 1) * growth)));
    edges.push(hi);
    lo = hi;
  }
  return Float64Array.from(edges);
}

/** Sum of i^-s for integers i in [a, b] (1 <= a <= b), exact for short ranges, Euler-Maclaurin beyond. */
export function zipfSum(from: number, to: number, exponent: number): number {
  if (to < from) return 0;
  if (exponent === 0) return to - from + 1;
  const DIRECT = 64;
  if (to - from < DIRECT) {
    let sum = 0;
    for (let i = from; i <= to; i++) sum += Math.pow(i, -exponent);
    return sum;
  }
  let sum = 0;
  const head = Math.max(from, 16);
  for (let i = from; i < head; i++) sum += Math.pow(i, -exponent);
  // Euler-Maclaurin from m = head to b: integral + endpoint terms + first two derivative terms
  const m = head;
  const integral = exponent === 1 ? Math.log(to / m) : (Math.pow(m, 1 - exponent) * Math.expm1((1 - exponent) * Math.log(to / m))) / (1 - exponent);
  sum += integral + (Math.pow(m, -exponent) + Math.pow(to, -exponent)) / 2;
  sum += (exponent / 12) * (Math.pow(m, -exponent - 1) - Math.pow(to, -exponent - 1));
  sum -= ((exponent * (exponent + 1) * (exponent + 2)) / 720) * (Math.pow(m, -exponent - 3) - Math.pow(to, -exponent - 3));
  return sum;
}

/** Zipf(skew) mass of each band (sums to 1). */
export function bandMasses(edges: Float64Array, skew: number): Float64Array {
  const bands = edges.length - 1;
  const out = new Float64Array(bands);
  let total = 0;
  for (let k = 0; k < bands; k++) {
    out[k] = zipfSum(edges[k] + 1, edges[k + 1], skew);
    total += out[k];
  }
  for (let k = 0; k < bands; k++) out[k] /= total;
  return out;
}

/** Bands and masses shared by every region of the same size and skews (built once per run). */
export class BandCache {
  private readonly edges = new Map<string, Float64Array>();
  private readonly masses = new Map<string, Float64Array>();

  edgesOf(chunks: number, skew: number): Float64Array {
    const key = `${chunks}:${skew}`;
    let e = this.edges.get(key);
    if (!e) { e = bandEdges(chunks, skew); this.edges.set(key, e); }
    return e;
  }

  massesOf(chunks: number, edgeSkew: number, skew: number): Float64Array {
    const key = `${chunks}:${edgeSkew}:${skew}`;
    let m = this.masses.get(key);
    if (!m) { m = bandMasses(this.edgesOf(chunks, edgeSkew), skew); this.masses.set(key, m); }
    return m;
  }
}
