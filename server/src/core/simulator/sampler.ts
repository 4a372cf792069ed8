/**
 * Zipf(skew) samplers over ranks 0..n-1 (rank 0 hottest, P(i) ~ 1/(i+1)^skew; skew 0 is
 * uniform), as Walker alias tables in typed arrays: one uniform draw picks a column and a
 * second compares against its threshold, so a sample costs O(1) with no allocation.
 * Tables are built once per (size, skew) and shared.
 */
export interface AliasTable {
  readonly n: number;
  readonly prob: Float64Array;
  readonly alias: Int32Array;
}

export function zipfTable(n: number, skew: number): AliasTable {
  const size = Math.max(1, n | 0);
  const w = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    w[i] = skew === 0 ? 1 : 1 / Math.pow(i + 1, skew);
    sum += w[i];
  }
  const prob = new Float64Array(size);
  const alias = new Int32Array(size);
  const small = new Int32Array(size);
  const large = new Int32Array(size);
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < size; i++) {
    w[i] = (w[i] * size) / sum;
    if (w[i] < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns];
    const l = large[--nl];
    prob[s] = w[s];
    alias[s] = l;
    w[l] = w[l] + w[s] - 1;
    if (w[l] < 1) small[ns++] = l;
    else large[nl++] = l;
  }
  while (nl > 0) {
    const l = large[--nl];
    prob[l] = 1;
    alias[l] = l;
  }
  while (ns > 0) {
    const s = small[--ns];
    prob[s] = 1;
    alias[s] = s;
  }
  return { n: size, prob, alias };
}

/** A cache of tables keyed by size and skew (built outside the hot loop). */
export class SamplerCache {
  private readonly tables = new Map<string, AliasTable>();

  get(n: number, skew: number): AliasTable {
    const key = `${n}:${skew}`;
    let t = this.tables.get(key);
    if (!t) {
      t = zipfTable(n, skew);
      this.tables.set(key, t);
    }
    return t;
  }
}
