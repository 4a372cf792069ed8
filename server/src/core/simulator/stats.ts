/** Per (container, link): a series of one value per bucket, held only for the pairs written to. */
export class PairSeries {
  private readonly rows = new Map<number, Float64Array>();
  private readonly byLink = new Map<number, number[]>();
  constructor(readonly buckets: number, readonly links: number) {}

  /** The series of container c on link `link`, created (zeros) on first use. */
  row(c: number, link: number): Float64Array {
    const key = c * this.links + link;
    let r = this.rows.get(key);
    if (!r) {
      r = new Float64Array(this.buckets);
      this.rows.set(key, r);
      const users = this.byLink.get(link);
      if (users) users.push(c); else this.byLink.set(link, [c]);
    }
    return r;
  }

  /** The value of container c on `link` in bucket b (0 where nothing was written). */
  at(b: number, c: number, link: number): number {
    return this.rows.get(c * this.links + link)?.[b] ?? 0;
  }

  /** The containers that have a series on `link`, in the order they first wrote to it. */
  users(link: number): readonly number[] {
    return this.byLink.get(link) ?? [];
  }
}

/** Per (container, node): one total, held only for the pairs written to. */
export class PairTotals {
  private readonly totals = new Map<number, number>();
  constructor(readonly nodes: number) {}

  add(c: number, node: number, value: number): void {
    const key = c * this.nodes + node;
    this.totals.set(key, (this.totals.get(key) ?? 0) + value);
  }

  at(c: number, node: number): number {
    return this.totals.get(c * this.nodes + node) ?? 0;
  }
}

/**
 * What a run records, per timeline bucket (the document's timeline has one point per bucket):
 * per container its real accesses, the local ones, seconds of computing (alone and with time
 * slicing) and of stall, and its moves; per edge the accesses to the shared region and the
 * local ones; per node the core-seconds used and the memory held; and the totals. Figures of the
 * steady state (the second half of the run) and their confidence intervals are computed from
 * the buckets (batch means, see `windowStats`).
 */
export class Recorder {
  readonly buckets: number;
  /** Simulated seconds per bucket. */
  readonly bucketSeconds: number;
  readonly containers: number;
  readonly nodes: number;
  readonly edges: number;
  // per bucket x container
  readonly acc: Float64Array;
  readonly local: Float64Array;
  readonly compute: Float64Array;
  readonly contended: Float64Array;
  readonly stall: Float64Array;
  readonly moves: Float64Array;
  /** Seconds of stall spent moving (vCPUs, chunks, copies), of what `stall` holds. */
  readonly moveStall: Float64Array;
  // per bucket x edge
  readonly edgeAcc: Float64Array;
  readonly edgeLocal: Float64Array;
  // per bucket x node
  readonly nodeCpu: Float64Array;
  readonly nodeMem: Float64Array;
  // per bucket
  readonly vcpuMoves: Float64Array;
  readonly chunkMoves: Float64Array;
  readonly copies: Float64Array;
  readonly bytes: Float64Array;
  readonly stallTotal: Float64Array;
  /** Simulated seconds covered by each bucket (less than bucketSeconds when the run stopped inside it). */
  readonly covered: Float64Array;
  /**
   * Traffic (traffic.ts): links are the racks (index = rack) and the fabric (index = racks);
   * the rack of each model node; per bucket x node the bytes its NIC sends and receives; per
   * bucket x link the bytes the link carries; per container and link, per bucket, the bytes a
   * container's accesses and moves put on it; per container and node the bytes of the
   * container through the node's NIC (both directions). The last two are kept only for the
   * pairs that carry traffic: a container uses few of a large file's links and nodes, and
   * dense arrays of every pair would not fit in memory (a 5 MB file: 18 billion cells).
   */
  readonly links: number;
  readonly rackOf: Int32Array;
  readonly nodeOut: Float64Array;
  readonly nodeIn: Float64Array;
  readonly linkBytes: Float64Array;
  readonly cLinkBytes: PairSeries;
  readonly cNodeBytes: PairTotals;
  /** Per node and per link, the bytes of moves an event makes at one instant (a failed node's evacuation): in the totals, with no rate. */
  readonly burstNode: Float64Array;
  readonly burstLink: Float64Array;
  /** The bucket of the tick being run when the tick straddles a bucket boundary (-1: none), and the shares of the tick in the buckets before and after it (traffic.ts). */
  splitBucket = -1;
  splitLo = 0;
  splitHi = 0;
  /** Whether the stall of saturated links' transfers was stretched (saturation.ts). */
  saturated = false;
  sampled = 0;

  /** @param rackOf rack of each model node (its length is `nodes`); empty: every node in rack 0 */
  constructor(buckets: number, bucketSeconds: number, containers: number, nodes: number, edges: number, rackOf: Int32Array = new Int32Array(nodes), racks = 1) {
    this.buckets = buckets;
    this.bucketSeconds = bucketSeconds;
    this.containers = containers;
    this.nodes = nodes;
    this.edges = edges;
    const bc = buckets * containers;
    this.acc = new Float64Array(bc);
    this.local = new Float64Array(bc);
    this.compute = new Float64Array(bc);
    this.contended = new Float64Array(bc);
    this.stall = new Float64Array(bc);
    this.moves = new Float64Array(bc);
    this.moveStall = new Float64Array(bc);
    this.edgeAcc = new Float64Array(buckets * edges);
    this.edgeLocal = new Float64Array(buckets * edges);
    this.nodeCpu = new Float64Array(buckets * nodes);
    this.nodeMem = new Float64Array(buckets * nodes);
    this.vcpuMoves = new Float64Array(buckets);
    this.chunkMoves = new Float64Array(buckets);
    this.copies = new Float64Array(buckets);
    this.bytes = new Float64Array(buckets);
    this.stallTotal = new Float64Array(buckets);
    this.covered = new Float64Array(buckets);
    this.links = racks + 1;
    this.rackOf = rackOf;
    this.nodeOut = new Float64Array(buckets * nodes);
    this.nodeIn = new Float64Array(buckets * nodes);
    this.linkBytes = new Float64Array(buckets * this.links);
    this.cLinkBytes = new PairSeries(buckets, this.links);
    this.cNodeBytes = new PairTotals(nodes);
    this.burstNode = new Float64Array(nodes);
    this.burstLink = new Float64Array(this.links);
  }

  /** A tick [t0, t1) starts: its traffic goes to the buckets it overlaps, in proportion (traffic.ts). */
  beginTick(t0: number, t1: number): void {
    const b = this.bucketOf((t0 + t1) / 2);
    const span = t1 - t0;
    const start = b * this.bucketSeconds;
    const end = start + this.bucketSeconds;
    const lo = b > 0 && t0 < start - 1e-12 ? (start - t0) / span : 0;
    const hi = b < this.buckets - 1 && t1 > end + 1e-12 ? (t1 - end) / span : 0;
    this.splitBucket = lo > 0 || hi > 0 ? b : -1;
    this.splitLo = lo;
    this.splitHi = hi;
  }

  endTick(): void {
    this.splitBucket = -1;
  }

  /** The link between two model nodes: their rack's when they share one, else the fabric. */
  linkOf(from: number, to: number): number {
    const r = this.rackOf[from];
    return r === this.rackOf[to] ? r : this.links - 1;
  }

  bucketOf(seconds: number): number {
    return Math.max(0, Math.min(this.buckets - 1, Math.floor(seconds / this.bucketSeconds + 1e-9)));
  }
}

/** A ratio over the steady-state window with its 95% half-width (batch means). */
export interface Estimate {
  readonly value: number;
  readonly error: number;
}

/** Two-sided 95% Student t quantiles for 1..30 degrees of freedom (then the normal's 1.96). */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function t95(df: number): number {
  return df <= 0 ? Infinity : df <= 30 ? T95[df - 1] : 1.96;
}

/** Batches the window is cut into for its confidence interval. */
export const BATCHES = 10;

/**
 * The steady-state ratio sum(num) / sum(den) over buckets [from, to) and its 95% confidence
 * half-width by batch means: the window is cut into BATCHES consecutive batches, each gives a
 * ratio, and the half-width is t(0.975, B-1) x their standard deviation / sqrt(B). When the
 * window holds fewer buckets than that, every bucket is a batch. A window without denominator
 * gives `empty` with no error.
 */
export function windowRatio(num: (b: number) => number, den: (b: number) => number, from: number, to: number, empty: number): Estimate {
  let sn = 0;
  let sd = 0;
  for (let b = from; b < to; b++) { sn += num(b); sd += den(b); }
  if (!(sd > 0)) return { value: empty, error: 0 };
  const value = sn / sd;
  const span = to - from;
  const batches = Math.min(BATCHES, span);
  if (batches < 2) return { value, error: 0 };
  const ratios: number[] = [];
  const weights: number[] = [];
  for (let k = 0; k < batches; k++) {
    const lo = from + Math.floor((k * span) / batches);
    const hi = from + Math.floor(((k + 1) * span) / batches);
    let n = 0;
    let d = 0;
    for (let b = lo; b < hi; b++) { n += num(b); d += den(b); }
    if (d > 0) { ratios.push(n / d); weights.push(d); }
  }
  if (ratios.length < 2) return { value, error: 0 };
  // batches weighted by their denominators (a batch with few accesses says less)
  const wsum = weights.reduce((a, b) => a + b, 0);
  let varSum = 0;
  for (let k = 0; k < ratios.length; k++) varSum += weights[k] * (ratios[k] - value) ** 2;
  const neff = wsum ** 2 / weights.reduce((a, b) => a + b * b, 0);
  const variance = (varSum / wsum) * (neff / Math.max(1, neff - 1));
  const error = t95(ratios.length - 1) * Math.sqrt(variance / neff);
  return { value, error: Number.isFinite(error) ? error : 0 };
}

/**
 * A half-width with `digits` decimals; one that is not zero but would round to zero gets its
 * first significant digit instead (`0.003`, never an exponent), so that `± 0.0` is printed only
 * for an exact figure.
 */
export function errorText(error: number, digits: number): string {
  const fixed = error.toFixed(digits);
  // below 1e-9 it is rounding noise of a figure computed in expectation: zero
  if (!(error >= 1e-9) || Number(fixed) !== 0) return fixed;
  return error.toFixed(Math.min(9, -Math.floor(Math.log10(error))));
}
