/**
 * Where a region's chunks are, band by band: for every region a short list of *slots* (the
 * nodes of the SDS where it has chunks or where vCPUs touch it) and, per band and slot, the
 * number of chunks the slot owns and the number of read copies it holds. A region touches few
 * nodes of a large SDS, so the table is regions x bands x (their own slots), not x nodes.
 *
 * Cells of region r: cellBase[r] + band * cap[r] + slot. Touch rates of region r (accesses per
 * second from vCPUs on the slot's node, per side, before the band masses): rateBase[r] + (kind *
 * 2 + side) * cap[r] + slot, where kind 0 is the rate this tick and kind 1 the rate the vCPUs
 * would have if every access that is not local were served remotely (what `cost` weighs
 * moves against). A region that needs one more slot than it has room for moves to the end of
 * the pools with twice the room.
 */
/** Rate rows per region: (this tick, serving remotely) x (side 0, side 1). */
const RATES = 4;

export class SlotTable {
  readonly regions: number;
  readonly bandsOf: Int32Array;
  readonly cellBase: Int32Array;
  readonly rateBase: Int32Array;
  readonly nodeBase: Int32Array;
  readonly cap: Int32Array;
  readonly count: Int32Array;
  /** Bumped whenever `region` gets a slot or moves in the pools (cached values indexed by its cells are then stale). */
  readonly version: Int32Array;
  nodes: Int32Array;
  /** Chunks owned by the slot's node, per band (fractional: expected counts). */
  own: Float64Array;
  /** Read copies held by the slot's node, per band. */
  cop: Float64Array;
  /** Touch rate per kind, side and slot (accesses per second into the region). */
  rate: Float64Array;
  private cells = 0;
  private rates = 0;
  private nodesUsed = 0;

  constructor(bandsOf: Int32Array, initialCap: (region: number) => number) {
    this.regions = bandsOf.length;
    this.bandsOf = bandsOf;
    this.cellBase = new Int32Array(this.regions);
    this.rateBase = new Int32Array(this.regions);
    this.nodeBase = new Int32Array(this.regions);
    this.cap = new Int32Array(this.regions);
    this.count = new Int32Array(this.regions);
    this.version = new Int32Array(this.regions);
    let cells = 0;
    let nodes = 0;
    for (let r = 0; r < this.regions; r++) {
      const c = Math.max(1, initialCap(r));
      this.cap[r] = c;
      this.cellBase[r] = cells;
      cells += c * bandsOf[r];
      this.nodeBase[r] = nodes;
      this.rateBase[r] = nodes * RATES;
      nodes += c;
    }
    this.own = new Float64Array(Math.max(16, cells));
    this.cop = new Float64Array(Math.max(16, cells));
    this.rate = new Float64Array(Math.max(16, nodes * RATES));
    this.nodes = new Int32Array(Math.max(16, nodes)).fill(-1);
    this.cells = cells;
    this.rates = nodes * RATES;
    this.nodesUsed = nodes;
  }

  /** The slot of `node` in `region`, or -1. */
  slotOf(region: number, node: number): number {
    const base = this.nodeBase[region];
    const n = this.count[region];
    for (let s = 0; s < n; s++) if (this.nodes[base + s] === node) return s;
    return -1;
  }

  /** The slot of `node` in `region`, added when missing. */
  ensure(region: number, node: number): number {
    const s = this.slotOf(region, node);
    if (s >= 0) return s;
    if (this.count[region] === this.cap[region]) this.grow(region);
    const at = this.count[region]++;
    this.nodes[this.nodeBase[region] + at] = node;
    this.version[region]++;
    return at;
  }

  nodeOf(region: number, slot: number): number {
    return this.nodes[this.nodeBase[region] + slot];
  }

  /** Index of the touch rate of `region` from `slot`: kind 0 this tick, 1 serving remotely; side 0 or 1. */
  rateAt(region: number, kind: number, side: number, slot: number): number {
    return this.rateBase[region] + (kind * 2 + side) * this.cap[region] + slot;
  }

  /** Index of (`region`, side, slot) among the kind-0 rows only (per-region aggregates are indexed by it). */
  sideAt(region: number, side: number, slot: number): number {
    return 2 * this.nodeBase[region] + side * this.cap[region] + slot;
  }

  /** Size of the sideAt index space. */
  get sideCount(): number {
    return 2 * this.nodesUsed;
  }

  /** Total cells in use (scratch arrays are sized by it). */
  get cellCount(): number {
    return this.cells;
  }

  cell(region: number, band: number, slot: number): number {
    return this.cellBase[region] + band * this.cap[region] + slot;
  }

  /** Chunks of `region` (all bands) on `node`. */
  ownedOn(region: number, node: number): number {
    const s = this.slotOf(region, node);
    if (s < 0) return 0;
    let sum = 0;
    const base = this.cellBase[region] + s;
    const cap = this.cap[region];
    for (let b = 0; b < this.bandsOf[region]; b++) sum += this.own[base + b * cap] + this.cop[base + b * cap];
    return sum;
  }

  private grow(region: number): void {
    const oldCap = this.cap[region];
    const cap = oldCap * 2;
    const bands = this.bandsOf[region];
    const cellAt = this.cells;
    const nodeAt = this.nodesUsed;
    const rateAt = this.rates;
    this.reserve(cellAt + cap * bands, nodeAt + cap, rateAt + RATES * cap);
    const oldCell = this.cellBase[region];
    for (let b = 0; b < bands; b++) {
      for (let s = 0; s < oldCap; s++) {
        this.own[cellAt + b * cap + s] = this.own[oldCell + b * oldCap + s];
        this.cop[cellAt + b * cap + s] = this.cop[oldCell + b * oldCap + s];
      }
    }
    const oldNode = this.nodeBase[region];
    for (let s = 0; s < oldCap; s++) this.nodes[nodeAt + s] = this.nodes[oldNode + s];
    for (let s = oldCap; s < cap; s++) this.nodes[nodeAt + s] = -1;
    const oldRate = this.rateBase[region];
    for (let k = 0; k < RATES; k++) for (let s = 0; s < oldCap; s++) this.rate[rateAt + k * cap + s] = this.rate[oldRate + k * oldCap + s];
    this.cellBase[region] = cellAt;
    this.nodeBase[region] = nodeAt;
    this.rateBase[region] = rateAt;
    this.cap[region] = cap;
    this.cells += cap * bands;
    this.nodesUsed += cap;
    this.rates += RATES * cap;
  }

  private reserve(cells: number, nodes: number, rates: number): void {
    if (cells > this.own.length) {
      const size = Math.max(cells, this.own.length * 2);
      const own = new Float64Array(size); own.set(this.own); this.own = own;
      const cop = new Float64Array(size); cop.set(this.cop); this.cop = cop;
    }
    if (nodes > this.nodes.length) {
      const n = new Int32Array(Math.max(nodes, this.nodes.length * 2)).fill(-1); n.set(this.nodes); this.nodes = n;
    }
    if (rates > this.rate.length) {
      const x = new Float64Array(Math.max(rates, this.rate.length * 2)); x.set(this.rate); this.rate = x;
    }
  }
}
