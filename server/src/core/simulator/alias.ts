/**
 * Walker alias tables over arbitrary weights, flattened: one table per key, drawn with one
 * uniform number in O(1). Used to draw a band of a region (by the side's band masses) and a
 * node (by a replica's memory shares).
 */
export class AliasTables {
  readonly offset: Int32Array;
  readonly size: Int32Array;
  prob: Float64Array;
  alias: Int32Array;
  private used = 0;

  constructor(keys: number) {
    this.offset = new Int32Array(keys).fill(-1);
    this.size = new Int32Array(keys);
    this.prob = new Float64Array(64);
    this.alias = new Int32Array(64);
  }

  /** (Re)builds the table of `key` from weights[0..n). A key with no weight draws -1. */
  set(key: number, weights: ArrayLike<number>, count: number): void {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += weights[i];
    if (!(sum > 0)) { this.size[key] = 0; return; }
    let off = this.offset[key];
    if (off < 0 || this.size[key] < count) {
      off = this.used;
      this.used += count;
      if (this.used > this.prob.length) {
        const p = new Float64Array(Math.max(this.used, this.prob.length * 2)); p.set(this.prob); this.prob = p;
        const a = new Int32Array(Math.max(this.used, this.alias.length * 2)); a.set(this.alias); this.alias = a;
      }
      this.offset[key] = off;
    }
    this.size[key] = count;
    const scaled = new Float64Array(count);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < count; i++) {
      scaled[i] = (weights[i] * count) / sum;
      (scaled[i] < 1 ? small : large).push(i);
    }
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[off + s] = scaled[s];
      this.alias[off + s] = l;
      scaled[l] += scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) { this.prob[off + i] = 1; this.alias[off + i] = i; }
    for (const i of small) { this.prob[off + i] = 1; this.alias[off + i] = i; }
  }

  /** Draws an index of `key`'s table from a uniform u in [0, 1), or -1 when it has no weight. */
  draw(key: number, uniform: number): number {
    const n = this.size[key];
    if (n === 0) return -1;
    const x = uniform * n;
    const i = x | 0;
    const off = this.offset[key];
    return x - i < this.prob[off + i] ? i : this.alias[off + i];
  }
}
