import type { ScenarioEvent } from '../model/types';
import { AliasTables } from './alias';
import * as ctxm from './context';
import type { TickContext } from './context';
import { deploy } from './deployment';
import type { ExactAccesses } from './exact';
import type { HopTables } from './hopping';
import { newOutcome, POLICY_MODULES, type PolicyModule } from './policies/index';
import { Rng } from './rng';
import type { Recorder } from './stats';
import * as worldm from './world';
import type { SdsWorld } from './world';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const REGION_BULK = worldm.REGION_BULK;
const BandScratch = ctxm.BandScratch;

export interface EngineEvent {
  /** Tick before which it happens. */
  readonly tick: number;
  readonly event: ScenarioEvent;
  /** Index in the scenario's event list. */
  readonly index: number;
}

export interface EngineConfig {
  readonly seed: number;
  /** Simulated seconds per tick. */
  readonly dt: number;
  readonly ticks: number;
  /** Ticks of the whole run as planned (a run stopped early by an event that was not absorbed weighs moves as the full run did). */
  readonly plannedTicks: number;
  /** Sampled accesses per vCPU per tick (for the vCPUs whose paths are sampled). */
  readonly samples: number;
  /** Real accesses per second of computing of one vCPU. */
  readonly rho: number;
  /** At most this many seconds over which `cost` weighs a move. */
  readonly horizon: number;
  /** Ticks a vCPU or a band's home stays put after it moved. */
  readonly hysteresis: number;
  readonly events: readonly EngineEvent[];
  readonly recorder: Recorder;
  readonly isCancelled?: () => boolean;
  readonly onTick?: (done: number) => void;
}

/**
 * Everything one SDS's run keeps between its steps (engine.ts runs the steps: events.ts,
 * vcpus.ts, bandphase.ts, hopping.ts, exact.ts): the world, the tick's shared context, the
 * recorder, per-vCPU values of the tick, and scratch arrays.
 */
export class EngineState {
  readonly w: SdsWorld;
  readonly cfg: EngineConfig;
  readonly policy: PolicyModule;
  readonly ctx: TickContext;
  readonly rec: Recorder;
  /** Node of each vCPU at the start of the tick, and the share of the tick it spent there. */
  readonly vFrom: Int32Array;
  readonly vAt: Float64Array;
  /** Per vCPU this tick: expected stall per access, time slicing; accesses per second serving remotely. */
  readonly vStall: Float64Array;
  readonly vKappa: Float64Array;
  readonly vRateRemote: Float64Array;
  /** Per vCPU: stall per access serving remotely on its node, as of the last decision window (-1: not known). */
  readonly vStallRemote: Float64Array;
  /** Per region and side: alias table of the side's band masses. */
  readonly bandAlias: AliasTables;
  /** Scratch per node: stamps (a value per pass marks the nodes seen), a replica's accesses, time-sliced accesses and stall there, and a list of nodes. */
  readonly stamp: Int32Array;
  stampValue = 0;
  readonly dataStamp: Int32Array;
  dataStampValue = 0;
  readonly nodeAcc: Float64Array;
  readonly nodeBusy: Float64Array;
  readonly nodeStall: Float64Array;
  readonly nodeList: Int32Array;
  /** Per replica: a mark, and the node it was marked for. */
  readonly replicaMark: Int32Array;
  readonly markNode: Int32Array;
  /**
   * Change tracking, so that bands at a fixed point (and regions whose touch rates did not
   * change) are not recomputed: per region, whether its rates or slots changed since its
   * aggregates were computed; per band, whether it was prepared this tick.
   */
  readonly regionDirty: Uint8Array;
  /** Per region: something about it changed since the last decision window (decisions skip quiet regions and replicas). */
  readonly regionActive: Uint8Array;
  readonly regionSeen: Int32Array;
  readonly prepared: Uint8Array;
  /** Per band: the tick whose end its state is at, the next tick it must be prepared at (slow bands), the tick its steps were set. */
  readonly since: Int32Array;
  readonly due: Int32Array;
  readonly stepTick: Int32Array;
  lastRates = new Float64Array(0);
  /** Events: the next one due, whether one changed the state since the last tick. */
  nextEvent = 0;
  eventsChanged = true;
  readonly notAbsorbed: number[] = [];
  /** `vcpu`'s hop tables (rebuilt after events), `--exact`'s per-access engine. */
  hop: HopTables | null = null;
  exact: ExactAccesses | null = null;
  /** Scratch of the band phase: the vCPUs' rates before an iteration, a band's cells before its commit, outcomes, per-region aggregates. */
  previousRates = new Float64Array(0);
  snapshot = new Float64Array(16);
  readonly out = newOutcome();
  readonly outWrite = newOutcome();
  readonly agg = new RegionAggregates();
  /** Rack (model index) of each local node; per band of a region, the owned share over all slots and per rack (aggregateRegion). */
  readonly rackOfLocal: Int32Array;
  bandOwned = new Float64Array(16);
  bandRackOwned = new Float64Array(16);
  private hopping: HopScratch | null = null;

  /** Scratch of the hopping, per vCPU (hopping.ts). */
  hopScratch(vcpus: number): HopScratch {
    if (!this.hopping || this.hopping.acc.length !== vcpus) this.hopping = new HopScratch(vcpus);
    return this.hopping;
  }

  constructor(world: SdsWorld, cfg: EngineConfig) {
    this.w = world;
    this.cfg = cfg;
    this.policy = POLICY_MODULES[world.policy];
    this.rec = cfg.recorder;
    const K = world.nodeCount;
    let oneRack = true;
    for (let n = 1; n < K; n++) if (world.model.nodes[world.nodeId[n]].rack !== world.model.nodes[world.nodeId[0]].rack) oneRack = false;
    this.ctx = {
      w: world, t: 0, dt: cfg.dt, rho: cfg.rho, horizon: cfg.horizon, hysteresis: cfg.hysteresis, rng: new Rng(cfg.seed), samples: cfg.samples,
      accept: new Float64Array(K).fill(1), demand: new Float64Array(K), scratch: new BandScratch(), oneRack,
      dirty: { bands: new Uint8Array(world.bandCount).fill(1) }, active: null,
    };
    this.regionDirty = new Uint8Array(world.regionCount).fill(1);
    this.regionActive = new Uint8Array(world.regionCount).fill(1);
    this.regionSeen = new Int32Array(world.regionCount).fill(-1);
    this.prepared = new Uint8Array(world.bandCount);
    this.since = new Int32Array(world.bandCount).fill(-1);
    this.due = new Int32Array(world.bandCount).fill(0x7fffffff);
    this.stepTick = new Int32Array(world.bandCount).fill(-1);
    const V = world.vcpuCount;
    this.vFrom = new Int32Array(V);
    this.vAt = new Float64Array(V);
    this.vStall = new Float64Array(V);
    this.vKappa = new Float64Array(V).fill(1);
    this.vRateRemote = new Float64Array(V);
    this.vStallRemote = new Float64Array(V).fill(-1);
    this.rackOfLocal = Int32Array.from(world.nodeId, (id) => world.model.nodes[id].rack);
    this.stamp = new Int32Array(K);
    this.dataStamp = new Int32Array(K);
    this.nodeAcc = new Float64Array(K);
    this.nodeBusy = new Float64Array(K);
    this.nodeStall = new Float64Array(K);
    this.nodeList = new Int32Array(K);
    this.replicaMark = new Int32Array(world.replicaCount);
    this.markNode = new Int32Array(world.replicaCount);
    this.bandAlias = new AliasTables(world.regionCount * 2);
    for (let g = 0; g < world.regionCount; g++) {
      if (world.regKind[g] === REGION_BULK) continue;
      const b0 = world.regBand0[g];
      const nb = world.regBands[g];
      for (let side = 0; side < 2; side++) {
        const masses = new Float64Array(nb);
        for (let b = 0; b < nb; b++) masses[b] = world.bandMass[(b0 + b) * 2 + side];
        this.bandAlias.set(g * 2 + side, masses, nb);
      }
    }
    this.ctx.active = this.regionActive;
    deploy(world);
    for (let v = 0; v < V; v++) world.vRate[v] = cfg.rho;
  }
}

/** Per region slot and side (indexed like the SlotTable's rates): the outcome of one access, summed over the bands. */
export class RegionAggregates {
  local: Float64Array<ArrayBuffer> = new Float64Array(0);
  stall: Float64Array<ArrayBuffer> = new Float64Array(0);
  moveStall: Float64Array<ArrayBuffer> = new Float64Array(0);
  captures: Float64Array<ArrayBuffer> = new Float64Array(0);
  copies: Float64Array<ArrayBuffer> = new Float64Array(0);
  bytes: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Of `bytes`, what crosses the fabric (0 when the SDS is in one rack). */
  fabric: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** The slot's share of the side's accesses whose chunk it owns (band masses x time-averaged ownership): where remote bytes come from. */
  owner: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Bytes the slot's node asked of the side this tick (recorded accesses x bytes), until they are given to their owners. */
  served: Float64Array<ArrayBuffer> = new Float64Array(0);

  fit(size: number): this {
    if (this.local.length < size) {
      // keep what clean regions computed: they are not aggregated again until something changes
      const grow = (array: Float64Array): Float64Array<ArrayBuffer> => { const b = new Float64Array(Math.max(size, array.length * 2)); b.set(array); return b; };
      this.local = grow(this.local);
      this.stall = grow(this.stall);
      this.moveStall = grow(this.moveStall);
      this.captures = grow(this.captures);
      this.copies = grow(this.copies);
      this.bytes = grow(this.bytes);
      this.fabric = grow(this.fabric);
      this.owner = grow(this.owner);
      this.served = grow(this.served);
    }
    return this;
  }

  clear(index: number): void {
    this.local[index] = 0; this.stall[index] = 0; this.moveStall[index] = 0; this.captures[index] = 0; this.copies[index] = 0; this.bytes[index] = 0;
    this.fabric[index] = 0; this.owner[index] = 0;
  }
}


/** Per vCPU during a tick of hopping: its accesses, stall, moves and time-sliced accesses, its slice, the slice's constants, where it is in its replica's node list. */
export class HopScratch {
  readonly acc: Float64Array;
  readonly stall: Float64Array;
  readonly moveStall: Float64Array;
  readonly moves: Float64Array;
  readonly busy: Float64Array;
  readonly slice: Float64Array;
  readonly grow: Float64Array;
  readonly jump: Float64Array;
  readonly index: Int32Array;
  readonly stayMove: Float64Array;
  readonly stayCost: Float64Array;
  /** Moves, their stall and accesses of the vCPU while it is not on a node of its memory (traffic). */
  readonly strayMoves: Float64Array;
  readonly strayCost: Float64Array;
  readonly strayAcc: Float64Array;

  constructor(size: number) {
    this.acc = new Float64Array(size);
    this.stall = new Float64Array(size);
    this.moveStall = new Float64Array(size);
    this.moves = new Float64Array(size);
    this.busy = new Float64Array(size);
    this.slice = new Float64Array(size);
    this.grow = new Float64Array(size);
    this.jump = new Float64Array(size);
    this.index = new Int32Array(size);
    this.stayMove = new Float64Array(size);
    this.stayCost = new Float64Array(size);
    this.strayMoves = new Float64Array(size);
    this.strayCost = new Float64Array(size);
    this.strayAcc = new Float64Array(size);
  }
}

/** Whether any region `replica` accesses changed since the last decision window. */
export function replicaActive(st: EngineState, replica: number): boolean {
  const w = st.w;
  const c = w.rContainer[replica];
  const end = w.cEntryOff[c] + w.cEntryCount[c];
  if (st.regionActive[w.rPrivate[replica]]) return true;
  for (let e = w.cEntryOff[c]; e < end; e++) if (w.entRegion[e] >= 0 && st.regionActive[w.entRegion[e]]) return true;
  return false;
}

/**
 * Each vCPU's demand for a core (the share of its last tick it was not stalled: 1 / (1 + rho s))
 * and each node's runnable load, the sum over its vCPUs. Called at the start of every tick; the
 * steps that move vCPUs within a tick move their demand with them.
 */
export function computeLoads(st: EngineState): void {
  const { w } = st;
  const rho = st.cfg.rho;
  w.load.fill(0);
  for (let v = 0; v < w.vcpuCount; v++) {
    if (!w.vActive[v] || w.vNode[v] < 0) continue;
    const d = 1 / (1 + rho * st.vStall[v]);
    w.vDemand[v] = d;
    w.load[w.vNode[v]] += d;
  }
}

/** Time slicing on `node`: runnable demand over usable cores, at least 1. */
export function slicing(world: SdsWorld, node: number): number {
  const k = world.load[node] / Math.max(1e-9, world.usable[node]);
  return k > 1 ? k : 1;
}
