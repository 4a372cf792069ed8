import type { Rng } from './rng';
import type { SdsWorld } from './world';

/**
 * What every step of a tick shares: the world, the tick's length, the scratch the policies fill
 * for each band (what a chunk of that band does this tick), and the node-level acceptance of
 * incoming memory. Scratch arrays are indexed like SlotTable cells (per band and slot) or per
 * band, and grow with the table.
 */
export interface TickContext {
  readonly w: SdsWorld;
  /** Tick index. */
  t: number;
  /** Simulated seconds per tick. */
  readonly dt: number;
  /** Real accesses per second of computing of one vCPU. */
  readonly rho: number;
  /** Seconds over which `cost` weighs a move this tick: the time left in the run, at most COST_HORIZON (docs/simulator.md). */
  horizon: number;
  /** Ticks during which something that moved stays put (`cost`, the scheduler). */
  readonly hysteresis: number;
  readonly rng: Rng;
  /** Sampled accesses per vCPU per tick. */
  readonly samples: number;
  /** Share of the wanted chunk inflow each node accepts this tick (free memory over demand, at most 1). */
  readonly accept: Float64Array;
  /** Chunk inflow (bytes) the policy asked of each node in the last prepare pass. */
  readonly demand: Float64Array;
  readonly scratch: BandScratch;
  /** Per band: its closed form must be (re)computed this tick (its state, rates or the policy's decisions changed). */
  readonly dirty: { bands: Uint8Array };
  /** Per region: changed since the last decision window (plans skip the quiet ones); null: all. */
  active: Uint8Array | null;
  /** True when all nodes of the SDS share one rack (link costs are then the same between any two). */
  readonly oneRack: boolean;
}

/** Per cell (band x slot) and per band values a policy computes in `prepare` and reads in `outcome` and `commit`. */
export class BandScratch {
  /** Per-chunk touches in this tick from the slot: reads, writes. */
  muRead: Float64Array<ArrayBuffer> = new Float64Array(0);
  muWrite: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Time-averaged chance that a chunk of the band is owned by the slot over the tick. */
  ownAvg: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Time-averaged chance that the slot holds a read copy. */
  copAvg: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Per slot: captures per touch that is not local (0..1): the chunk comes to the slot's node. */
  capture: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Per slot: copies made per read that is not local and not captured. */
  copy: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Per slot: average cost of moving one of the band's chunks here, and of one remote access from here. */
  moveCost: Float64Array<ArrayBuffer> = new Float64Array(0);
  remoteCost: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Per band: rate of captures per chunk over the tick, and the time-average factor of its decay. */
  lambda: Float64Array<ArrayBuffer> = new Float64Array(0);
  psi: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Per band: ticks its closed form covers this time (more than 1 for a slow band catching up). */
  steps: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Per band: copies each write invalidates (expected). */
  copiesPerWrite: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Per cell: touches per chunk per second serving remotely (kind 1 rates), all and writes; per band: the slot that touches most, its rate, and the second rate. */
  rate1: Float64Array<ArrayBuffer> = new Float64Array(0);
  write1: Float64Array<ArrayBuffer> = new Float64Array(0);
  top1Slot: Int32Array<ArrayBuffer> = new Int32Array(0);
  top1: Float64Array<ArrayBuffer> = new Float64Array(0);
  top2: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Per band (cost): home slot (-1: none), tick the home last changed; per cell: capture from here enabled, replicate here. */
  home: Int32Array<ArrayBuffer> = new Int32Array(0);
  homeSince: Int32Array<ArrayBuffer> = new Int32Array(0);
  enabled: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  replicate: Uint8Array<ArrayBuffer> = new Uint8Array(0);

  fit(cells: number, bands: number): void {
    if (this.muRead.length < cells) {
      const size = Math.max(cells, this.muRead.length * 2);
      this.muRead = grow(this.muRead, size);
      this.muWrite = grow(this.muWrite, size);
      this.ownAvg = grow(this.ownAvg, size);
      this.copAvg = grow(this.copAvg, size);
      this.capture = grow(this.capture, size);
      this.copy = grow(this.copy, size);
      this.moveCost = grow(this.moveCost, size);
      this.remoteCost = grow(this.remoteCost, size);
      this.rate1 = grow(this.rate1, size);
      this.write1 = grow(this.write1, size);
      const e = new Uint8Array(size); e.set(this.enabled); this.enabled = e;
      const r = new Uint8Array(size); r.set(this.replicate); this.replicate = r;
    }
    if (this.lambda.length < bands) {
      this.lambda = grow(this.lambda, bands);
      this.psi = grow(this.psi, bands);
      this.copiesPerWrite = grow(this.copiesPerWrite, bands);
      this.steps = grow(this.steps, bands);
      this.top1 = grow(this.top1, bands);
      this.top2 = grow(this.top2, bands);
      const t1 = new Int32Array(bands).fill(-1); t1.set(this.top1Slot); this.top1Slot = t1;
      const h = new Int32Array(bands).fill(-1); h.set(this.home); this.home = h;
      const s = new Int32Array(bands).fill(-(1 << 30)); s.set(this.homeSince); this.homeSince = s;
    }
  }
}

function grow(array: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(size);
  b.set(array);
  return b;
}

/** (1 - e^-x) / x: the time-average over a tick of something that decays at rate x per tick. */
export function decayAverage(lambda: number): number {
  return lambda < 1e-6 ? 1 - lambda / 2 : -Math.expm1(-lambda) / lambda;
}
