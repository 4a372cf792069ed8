import { BandCache } from './bands';

/** Region kinds. */
export const REGION_PRIVATE = 0;
export const REGION_SHARED = 1;
export const REGION_IO = 2;
/** Memory requested beyond the working set: allocated, never accessed (it moves only with its node's failure). */
export const REGION_BULK = 3;

/**
 * The regions of one SDS and their popularity bands (bands.ts), as they are added, in columns
 * that grow (a million replicas make two million regions: no JS arrays).
 */
export class RegionTable {
  private readonly bands = new BandCache();
  readonly regKind = new Column(Uint8Array);
  readonly regChunks = new Column(Float64Array);
  readonly regBand0 = new Column(Int32Array);
  readonly regBands = new Column(Int32Array);
  readonly regPinned = new Column(Int32Array);
  readonly regReplica = new Column(Int32Array);
  readonly regSide0 = new Column(Int32Array);
  readonly regSide1 = new Column(Int32Array);
  readonly regEdge = new Column(Int32Array);
  readonly bandRegion = new Column(Int32Array);
  readonly bandSize = new Column(Float64Array);
  readonly bandStart = new Column(Float64Array);
  readonly bandMass = new Column(Float64Array);

  /**
   * Adds a region and its bands; its index. `skew1` only for SHARED (its second side); `pinned`:
   * the node (local index) of a pinned region, else -1; `replica`: a PRIVATE or BULK region's,
   * else -1; `edge`: SHARED's index into the file's edges, else -1. (Positional: a million
   * replicas add two million regions, and an object per call made the world 1.4x slower to build.)
   */
  add(kind: number, chunks: number, skew0: number, skew1: number | null, pinned: number, replica: number, side0: number, side1: number, edge: number): number {
    const r = this.regKind.length;
    this.regKind.push(kind);
    this.regChunks.push(chunks);
    this.regPinned.push(pinned);
    this.regReplica.push(replica);
    this.regSide0.push(side0);
    this.regSide1.push(side1);
    this.regEdge.push(edge);
    this.regBand0.push(this.bandRegion.length);
    if (kind === REGION_BULK) {
      this.pushBand(r, chunks, 0, 0, 0);
      this.regBands.push(1);
      return r;
    }
    const n = Math.max(1, Math.ceil(chunks));
    const edgeSkew = Math.max(skew0, skew1 ?? 0);
    const e = this.bands.edgesOf(n, edgeSkew);
    const m0 = this.bands.massesOf(n, edgeSkew, skew0);
    const m1 = skew1 === null ? null : this.bands.massesOf(n, edgeSkew, skew1);
    for (let b = 0; b + 1 < e.length; b++) this.pushBand(r, e[b + 1] - e[b], e[b], m0[b], m1 ? m1[b] : 0);
    this.regBands.push(e.length - 1);
    return r;
  }

  get regionCount(): number {
    return this.regKind.length;
  }

  get bandCount(): number {
    return this.bandRegion.length;
  }

  private pushBand(region: number, size: number, start: number, mass0: number, mass1: number): void {
    this.bandRegion.push(region);
    this.bandSize.push(size);
    this.bandStart.push(start);
    this.bandMass.push(mass0);
    this.bandMass.push(mass1);
  }
}

type TypedArray = Uint8Array | Int32Array | Float64Array;

/** A typed array that grows as values are pushed (by doubling); done() gives the filled part. */
export class Column<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(private readonly make: { new (n: number): T }) {
    this.data = new make(64);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}
