import type { ScenarioEvent } from '../model/types';
import { AliasTables } from './alias';
import * as ctxm from './context';
import type { TickContext } from './context';
import * as costm from './costs';
import { deploy, evacuate, freeMemory, leastLoaded, newTally, startReplica, stopReplica, type MoveTally } from './deployment';
import * as gainm from './gains';
import type { Projection } from './gains';
import { newOutcome, POLICY_MODULES, type PolicyModule } from './policies/index';
import { ExactAccesses } from './exact';
import { Rng } from './rng';
import type { Recorder } from './stats';
import * as worldm from './world';
import type { SdsWorld } from './world';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const ENTRY_NET = worldm.ENTRY_NET;
const ENTRY_PRIVATE = worldm.ENTRY_PRIVATE;
const ENTRY_SHARED = worldm.ENTRY_SHARED;
const REGION_BULK = worldm.REGION_BULK;
const vcpusFor = worldm.vcpusFor;
const bandRates = gainm.bandRates;
const moveGain = gainm.moveGain;
const newProjection = gainm.newProjection;
const projectedStall = gainm.projectedStall;
const regionRates = gainm.regionRates;
const LINE_BYTES = costm.LINE_BYTES;
const VCPU_STATE_BYTES = costm.VCPU_STATE_BYTES;
const BandScratch = ctxm.BandScratch;

/** Thrown when `isCancelled` says a newer run replaced this one. */
export class SimulationCancelled extends Error {
  readonly cancelled = true;
  constructor() {
    super('simulation cancelled');
  }
}

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
  /** Sampled accesses per vCPU per tick (for the vCPUs whose paths are sampled). */
  readonly samples: number;
  /** Real accesses per second of computing of one vCPU. */
  readonly rho: number;
  readonly horizon: number;
  /** Ticks a vCPU or a band's home stays put after it moved. */
  readonly hysteresis: number;
  readonly events: readonly EngineEvent[];
  readonly recorder: Recorder;
  readonly isCancelled?: () => boolean;
  readonly onTick?: (done: number) => void;
}

export interface EngineOutcome {
  /** Tick at which an event was not absorbed (the run stops before it), or -1. */
  readonly stopTick: number;
  /** Indexes of the scenario's events this SDS did not absorb. */
  readonly notAbsorbed: readonly number[];
}

/**
 * Simulates one SDS tick by tick (docs/simulator.md, "The estimator"):
 *
 *   events -> rates -> scheduler -> policy plan -> stalls that move vCPUs -> bands -> record
 *
 * Everything that has a closed form given where the vCPUs are is computed in expectation for
 * the real number of accesses of the tick (the bands' chunk moves and copies, every access's
 * expected cost); what has none is sampled: where `vcpu`'s vCPUs are as they hop, and which
 * stall first sends a `cost` vCPU to another node. Each sample stands for its share of the
 * tick's real accesses and is charged what those accesses cost in expectation.
 */
export class SdsEngine {
  private readonly w: SdsWorld;
  private readonly cfg: EngineConfig;
  private readonly policy: PolicyModule;
  private readonly ctx: TickContext;
  private readonly rec: Recorder;
  /** Node of each vCPU at the start of the tick, and the share of the tick it spent there. */
  private readonly vFrom: Int32Array;
  private readonly vAt: Float64Array;
  /** Expected stall per access this tick, time slicing, accesses per second serving remotely. */
  private readonly vStall: Float64Array;
  private readonly vKappa: Float64Array;
  private readonly vRateRemote: Float64Array;
  /** Mean rho x stall of the vCPUs of each node (their sensitivity to time slicing). */
  private readonly sigma: Float64Array;
  private readonly bandAlias: AliasTables;
  private readonly out = newOutcome();
  private readonly outWrite = newOutcome();
  private readonly stamp: Int32Array;
  private stampValue = 0;
  /** Scratch per node: a replica's accesses and time-sliced accesses there, and the list of its nodes. */
  private readonly nodeAcc: Float64Array;
  private readonly nodeBusy: Float64Array;
  private readonly nodeList: Int32Array;
  private readonly dataStamp: Int32Array;
  private dataStampValue = 0;
  /** Scratch per node: a replica's stall per access there; per replica: a mark. */
  private readonly nodeStall: Float64Array;
  private readonly replicaMark: Int32Array;
  private hop: HopTables | null = null;
  /**
   * Change tracking, so that bands at a fixed point (and regions whose touch rates did not
   * change) are not recomputed: per region, whether its rates or slots changed since its
   * aggregates were computed; per band, whether it was prepared this tick.
   */
  private readonly regionDirty: Uint8Array;
  private readonly regionSeen: Int32Array;
  private readonly prepared: Uint8Array;
  private lastRates = new Float64Array(0);
  private nextEvent = 0;
  private eventsChanged = true;
  private readonly notAbsorbed: number[] = [];

  /**
   * @param exact draw every real access (`--exact`, exact.ts) instead of the estimator's closed forms
   */
  constructor(w: SdsWorld, cfg: EngineConfig, exact = false) {
    this.w = w;
    this.cfg = cfg;
    this.policy = POLICY_MODULES[w.policy];
    this.rec = cfg.recorder;
    const K = w.nodeCount;
    let oneRack = true;
    for (let n = 1; n < K; n++) if (w.model.nodes[w.nodeId[n]].rack !== w.model.nodes[w.nodeId[0]].rack) oneRack = false;
    this.ctx = {
      w, t: 0, dt: cfg.dt, rho: cfg.rho, horizon: cfg.horizon, hysteresis: cfg.hysteresis, rng: new Rng(cfg.seed), samples: cfg.samples,
      accept: new Float64Array(K).fill(1), demand: new Float64Array(K), scratch: new BandScratch(), oneRack,
      dirty: { bands: new Uint8Array(w.bandCount).fill(1) },
    };
    this.regionDirty = new Uint8Array(w.regionCount).fill(1);
    this.regionSeen = new Int32Array(w.regionCount).fill(-1);
    this.prepared = new Uint8Array(w.bandCount);
    const V = w.vcpuCount;
    this.vFrom = new Int32Array(V);
    this.vAt = new Float64Array(V);
    this.vStall = new Float64Array(V);
    this.vKappa = new Float64Array(V).fill(1);
    this.vRateRemote = new Float64Array(V);
    this.sigma = new Float64Array(K);
    this.stamp = new Int32Array(K);
    this.nodeAcc = new Float64Array(K);
    this.nodeBusy = new Float64Array(K);
    this.nodeList = new Int32Array(K);
    this.dataStamp = new Int32Array(K);
    this.nodeStall = new Float64Array(K);
    this.replicaMark = new Int32Array(w.replicaCount);
    this.bandAlias = new AliasTables(w.regionCount * 2);
    for (let g = 0; g < w.regionCount; g++) {
      if (w.regKind[g] === REGION_BULK) continue;
      const b0 = w.regBand0[g];
      const nb = w.regBands[g];
      for (let side = 0; side < 2; side++) {
        const masses = new Float64Array(nb);
        for (let b = 0; b < nb; b++) masses[b] = w.bandMass[(b0 + b) * 2 + side];
        this.bandAlias.set(g * 2 + side, masses, nb);
      }
    }
    deploy(w);
    for (let v = 0; v < V; v++) w.vRate[v] = cfg.rho;
    this.exact = exact ? new ExactAccesses(w, this.ctx, this.rec, this.bandAlias) : null;
  }

  private readonly exact: ExactAccesses | null;

  run(): EngineOutcome {
    const { ticks } = this.cfg;
    for (let t = 0; t < ticks; t++) {
      if (this.cfg.isCancelled?.()) throw new SimulationCancelled();
      this.ctx.t = t;
      if (!this.applyEvents(t)) return { stopTick: t, notAbsorbed: this.notAbsorbed };
      this.tick(t);
      this.cfg.onTick?.(t + 1);
    }
    // events at the very end of the run still have to be absorbed (or not)
    if (!this.applyEvents(ticks)) return { stopTick: ticks, notAbsorbed: this.notAbsorbed };
    return { stopTick: -1, notAbsorbed: this.notAbsorbed };
  }

  // ------------------------------------------------------------------ one tick

  private tick(t: number): void {
    const { w, policy } = this;
    for (let v = 0; v < w.vcpuCount; v++) { this.vFrom[v] = w.vNode[v]; this.vAt[v] = 1; }
    const homing = policy.vcpuMoves === 'when-it-pays';
    // decisions are re-weighed once per hysteresis window (and after events): what they read changes slowly
    const window = t % this.cfg.hysteresis === 0 || this.eventsChanged;
    this.eventsChanged = false;
    if (window && (homing || policy.balances)) {
      this.rateServingRemotely();
      if (homing) { this.computeRates(1); bandRates(this.ctx); }
      if (policy.balances && this.balance(t, homing)) {
        this.rateServingRemotely();
        if (homing) { this.computeRates(1); bandRates(this.ctx); }
      }
      policy.plan(this.ctx);
    }
    if (homing && window) this.planVcpuMoves(t);
    if (this.exact) this.exact.tick(t, this.cfg.rho, this.vStall, this.vKappa);
    else if (policy.vcpuMoves === 'always') this.hopping(t);
    else this.bandPhase(t);
    this.recordNodes(t);
  }

  // ------------------------------------------------------------------ events

  /** Applies the events due before tick t. False when one is not absorbed: the run stops. */
  private applyEvents(t: number): boolean {
    const events = this.cfg.events;
    while (this.nextEvent < events.length && events[this.nextEvent].tick <= t) {
      const e = events[this.nextEvent];
      const tally = newTally();
      if (!this.applyEvent(e.event, tally)) {
        this.notAbsorbed.push(e.index);
        return false;
      }
      this.nextEvent++;
      this.eventsChanged = true;
      this.ctx.dirty.bands.fill(1);
      this.regionDirty.fill(1);
      this.exact?.reconcile();
      const b = this.rec.bucketOf(Math.min(e.event.t, this.cfg.ticks * this.cfg.dt - 1e-9));
      this.rec.vcpuMoves[b] += tally.vcpuMoves;
      this.rec.chunkMoves[b] += tally.chunkMoves;
      this.rec.bytes[b] += tally.bytes;
      this.hop = null;
    }
    return true;
  }

  private applyEvent(e: ScenarioEvent, tally: MoveTally): boolean {
    const w = this.w;
    switch (e.kind) {
      case 'fail': {
        const n = w.localOf.get(e.node);
        if (n === undefined || !w.alive[n]) return true;
        return evacuate(w, n, tally);
      }
      case 'add': {
        const n = w.localOf.get(e.node);
        if (n === undefined || e.sds !== w.sds) return true;
        w.alive[n] = 1;
        return true;
      }
      case 'scale': {
        const c = w.cModel.indexOf(e.container);
        if (c < 0) return true;
        const before = w.cReplicas[c];
        const after = Math.min(e.replicas, w.cReplicasMax[c]);
        if (after > before) {
          let bytes = 0;
          for (let i = before; i < after; i++) {
            const r = w.cFirstReplica[c] + i;
            bytes += (w.regChunks[w.rPrivate[r]] + w.regChunks[w.rBulk[r]]) * w.chunkBytes;
          }
          if (bytes > freeMemory(w) + 1) return false;
          for (let i = before; i < after; i++) startReplica(w, w.cFirstReplica[c] + i, w.cVcpus[c], null);
        }
        for (let i = before - 1; i >= after; i--) stopReplica(w, w.cFirstReplica[c] + i);
        w.cReplicas[c] = after;
        return true;
      }
      case 'load': {
        const c = w.cModel.indexOf(e.container);
        if (c < 0) return true;
        const next = Math.min(w.cVcpusMax[c], vcpusFor(w.model.containers[e.container].cpuLimit, e.load));
        const before = w.cVcpus[c];
        for (let i = 0; i < w.cReplicas[c]; i++) {
          const v0 = w.rVcpu0[w.cFirstReplica[c] + i];
          for (let j = before; j < next; j++) {
            const n = leastLoaded(w);
            w.vActive[v0 + j] = 1;
            w.vNode[v0 + j] = n;
            w.vRate[v0 + j] = this.cfg.rho;
            if (n >= 0) w.vcpusOn[n]++;
          }
          for (let j = next; j < before; j++) {
            const v = v0 + j;
            if (w.vActive[v] && w.vNode[v] >= 0) w.vcpusOn[w.vNode[v]]--;
            w.vActive[v] = 0;
            w.vNode[v] = -1;
          }
        }
        w.cVcpus[c] = next;
        return true;
      }
    }
  }

  // ------------------------------------------------------------------ rates

  /**
   * Touch rates of every region from every node this tick (kind 0: the vCPUs' rates; kind 1:
   * the rates they would have serving every access that is not local remotely), split by the
   * share of the tick each vCPU spent on each node.
   */
  private computeRates(kind: number): void {
    const { w } = this;
    const t = w.slots;
    for (let g = 0; g < w.regionCount; g++) {
      const cap = t.cap[g];
      const base = t.rateAt(g, kind, 0, 0);
      for (let i = 0; i < 2 * cap; i++) t.rate[base + i] = 0;
    }
    const rates = kind === 0 ? w.vRate : this.vRateRemote;
    const perNode = this.nodeAcc;
    for (let r = 0; r < w.replicaCount; r++) {
      if (!w.rActive[r]) continue;
      const nv = w.cVcpus[w.rContainer[r]];
      const v0 = w.rVcpu0[r];
      // the replica's vCPUs summed per node first: one pass over its regions per node
      const mark = ++this.stampValue;
      let count = 0;
      const add = (n: number, rate: number): void => {
        if (this.stamp[n] !== mark) { this.stamp[n] = mark; perNode[n] = 0; this.nodeList[count++] = n; }
        perNode[n] += rate;
      };
      for (let j = 0; j < nv; j++) {
        const v = v0 + j;
        if (!w.vActive[v]) continue;
        const rate = rates[v];
        const from = this.vFrom[v];
        const at = kind === 0 ? this.vAt[v] : 1;
        if (from >= 0 && at > 0) add(from, rate * at);
        const to = w.vNode[v];
        if (kind === 0 && at < 1 && to >= 0) add(to, rate * (1 - at));
      }
      for (let i = 0; i < count; i++) this.addReplicaRates(r, this.nodeList[i], perNode[this.nodeList[i]], kind);
    }
    if (kind === 0) this.noteRateChanges();
  }

  private addRates(v: number, node: number, rate: number, kind: number): void {
    this.addReplicaRates(this.w.vReplica[v], node, rate, kind);
  }

  private addReplicaRates(r: number, node: number, rate: number, kind: number): void {
    const { w } = this;
    const t = w.slots;
    const c = w.rContainer[r];
    const end = w.cEntryOff[c] + w.cEntryCount[c];
    for (let e = w.cEntryOff[c]; e < end; e++) {
      const kindOf = w.entKind[e];
      if (kindOf === ENTRY_NET) continue;
      const g = kindOf === ENTRY_PRIVATE ? w.rPrivate[r] : w.entRegion[e];
      const s = t.ensure(g, node);
      t.rate[t.rateAt(g, kind, w.entSide[e], s)] += rate * w.entProb[e];
    }
  }

  /** Marks the regions whose touch rates (kind 0) or slots changed since the last call. */
  private noteRateChanges(): void {
    const t = this.w.slots;
    if (this.lastRates.length < t.rate.length) this.lastRates = new Float64Array(t.rate.length);
    const last = this.lastRates;
    for (let g = 0; g < this.w.regionCount; g++) {
      const base = t.rateAt(g, 0, 0, 0);
      const n = 2 * t.cap[g];
      let changed = this.regionSeen[g] !== t.version[g];
      for (let i = 0; i < n; i++) {
        const x = t.rate[base + i];
        if (x !== last[base + i]) { changed = true; last[base + i] = x; }
      }
      this.regionSeen[g] = t.version[g];
      if (changed) this.regionDirty[g] = 1;
    }
  }

  /** Each vCPU's accesses per second if every access that is not local were served remotely. */
  private rateServingRemotely(): void {
    const { w } = this;
    const proj: Projection = { stall: 0, capture: 0 };
    for (let r = 0; r < w.replicaCount; r++) {
      if (!w.rActive[r]) continue;
      const c = w.rContainer[r];
      const mark = ++this.stampValue;
      for (let j = 0; j < w.cVcpus[c]; j++) {
        const v = w.rVcpu0[r] + j;
        const x = w.vNode[v];
        if (!w.vActive[v] || x < 0) continue;
        if (this.stamp[x] !== mark) {
          this.stamp[x] = mark;
          projectedRemote(this.ctx, r, x, proj);
          this.nodeStall[x] = proj.stall;
        }
        const kappa = Math.max(1, w.vcpusOn[x] / Math.max(1e-9, w.usable[x]));
        this.vRateRemote[v] = 1 / (kappa / this.cfg.rho + this.nodeStall[x]);
      }
    }
  }

  // ------------------------------------------------------------------ the scheduler

  /**
   * Work stealing: while a node runs more vCPUs than it has usable cores and another has an
   * idle core, the vCPU whose move gains most (contention relieved on both nodes against the
   * memory it leaves behind and the move's cost) moves, when the gain is positive. Returns
   * whether anything moved.
   */
  private balance(t: number, homing: boolean): boolean {
    const { w, ctx } = this;
    let moved = false;
    const here = newProjection();
    const there = newProjection();
    for (let guard = 0; guard < w.vcpuCount; guard++) {
      let best = 0;
      let bestV = -1;
      let bestTo = -1;
      for (let x = 0; x < w.nodeCount; x++) {
        if (!w.alive[x] || w.vcpusOn[x] <= w.usable[x]) continue;
        const mark = ++this.stampValue;
        for (let v = 0; v < w.vcpuCount; v++) {
          if (!w.vActive[v] || w.vNode[v] !== x || t - w.vLastMove[v] < this.cfg.hysteresis) continue;
          // vCPUs of one replica on one node gain the same: try one of them
          const r = w.vReplica[v];
          if (this.replicaMark[r] === mark) continue;
          this.replicaMark[r] = mark;
          projectedStall(ctx, r, x, x, this.vRateRemote[v], homing, here);
          for (let o = 0; o < w.nodeCount; o++) {
            if (o === x || !w.alive[o] || w.vcpusOn[o] + 1 > w.usable[o]) continue;
            projectedStall(ctx, r, x, o, this.vRateRemote[v], homing, there);
            const g = moveGain(ctx, v, o, here, there, this.sigma);
            if (g > best) { best = g; bestV = v; bestTo = o; }
          }
        }
      }
      if (bestV < 0) break;
      this.moveVcpu(bestV, bestTo, t, 0);
      this.vFrom[bestV] = bestTo;
      this.vAt[bestV] = 1;
      moved = true;
    }
    return moved;
  }

  /** Moves vCPU v to node o, charging its container the move (`at`: share of the tick before it). */
  private moveVcpu(v: number, o: number, t: number, at: number): void {
    const { w, rec } = this;
    const x = w.vNode[v];
    const cost = w.costs.vcpuMove(x, o);
    w.vcpusOn[x]--;
    w.vcpusOn[o]++;
    w.vNode[v] = o;
    w.vLastMove[v] = t;
    this.vAt[v] = at;
    const b = rec.bucketOf((t + at) * this.cfg.dt);
    const c = w.cModel[w.vContainer[v]];
    rec.vcpuMoves[b]++;
    rec.bytes[b] += VCPU_STATE_BYTES;
    rec.stallTotal[b] += cost;
    rec.stall[b * rec.containers + c] += cost;
    rec.moveStall[b * rec.containers + c] += cost;
    rec.moves[b * rec.containers + c]++;
  }

  // ------------------------------------------------------------------ cost: vCPU moves

  /**
   * `cost` weighs, on a stall towards node o, moving the vCPU there (gains.ts). A vCPU that has
   * memory on o stalls towards it thousands of times a tick, so the first such stall comes at
   * the start of the tick: the moves are applied there. Once per hysteresis window every
   * replica's best move (one of its vCPUs from its node to a node holding its memory) is
   * weighed, and moves are made greedily, best first, each re-weighed just before it is made
   * (the moves before it change time slicing and where memory is touched from), until none pays.
   */
  private planVcpuMoves(t: number): void {
    const { w, ctx } = this;
    const here = newProjection();
    const there = newProjection();
    const best = (r: number): { gain: number; v: number; o: number } => {
      let gain = 0;
      let bv = -1;
      let bo = -1;
      const c = w.rContainer[r];
      const mark = ++this.stampValue;
      for (let j = 0; j < w.cVcpus[c]; j++) {
        const v = w.rVcpu0[r] + j;
        const x = w.vNode[v];
        if (!w.vActive[v] || x < 0 || this.stamp[x] === mark || t - w.vLastMove[v] < this.cfg.hysteresis) continue;
        this.stamp[x] = mark;
        projectedStall(ctx, r, x, x, this.vRateRemote[v], true, here);
        for (const o of this.dataNodes(v)) {
          if (o === x) continue;
          projectedStall(ctx, r, x, o, this.vRateRemote[v], true, there);
          const g = moveGain(ctx, v, o, here, there, this.sigma);
          if (g > gain) { gain = g; bv = v; bo = o; }
        }
      }
      return { gain, v: bv, o: bo };
    };
    const heap: { gain: number; r: number; v: number; o: number }[] = [];
    for (let r = 0; r < w.replicaCount; r++) {
      if (!w.rActive[r]) continue;
      const b = best(r);
      if (b.v >= 0) heap.push({ gain: b.gain, r, v: b.v, o: b.o });
    }
    heap.sort(byGain);
    for (let guard = 0; heap.length > 0 && guard < 4 * w.vcpuCount; guard++) {
      const top = heap.shift()!;
      // re-weigh this move now (the moves before it changed time slicing and rates)
      const v = top.v;
      const x = w.vNode[v];
      if (t - w.vLastMove[v] < this.cfg.hysteresis || x < 0) {
        const b = best(top.r);
        if (b.v >= 0) insertSorted(heap, { gain: b.gain, r: top.r, v: b.v, o: b.o });
        continue;
      }
      projectedStall(ctx, top.r, x, x, this.vRateRemote[v], true, here);
      projectedStall(ctx, top.r, x, top.o, this.vRateRemote[v], true, there);
      const gain = moveGain(ctx, v, top.o, here, there, this.sigma);
      if (gain <= 0) continue;
      if (heap.length && gain < heap[0].gain) { insertSorted(heap, { ...top, gain }); continue; }
      this.moveVcpu(v, top.o, t, 0);
      this.vFrom[v] = top.o;
      // where memory is touched from changed: the bands' rates and homes follow
      this.addRates(v, x, -this.vRateRemote[v], 1);
      this.addRates(v, top.o, this.vRateRemote[v], 1);
      this.forEachRegion(v, (g) => regionRates(ctx, g));
      // another vCPU of the replica may move next
      const b = best(top.r);
      if (b.v >= 0) insertSorted(heap, { gain: b.gain, r: top.r, v: b.v, o: b.o });
    }
  }

  /** Calls fn for every region vCPU v accesses. */
  private forEachRegion(v: number, fn: (g: number) => void): void {
    const { w } = this;
    const c = w.vContainer[v];
    const end = w.cEntryOff[c] + w.cEntryCount[c];
    for (let e = w.cEntryOff[c]; e < end; e++) {
      if (w.entKind[e] === ENTRY_NET) continue;
      fn(w.entKind[e] === ENTRY_PRIVATE ? w.rPrivate[w.vReplica[v]] : w.entRegion[e]);
    }
  }

  /** Nodes that hold memory vCPU v accesses. */
  private dataNodes(v: number): number[] {
    const { w } = this;
    const t = w.slots;
    const r = w.vReplica[v];
    const c = w.vContainer[v];
    const mark = ++this.dataStampValue;
    const out: number[] = [];
    const end = w.cEntryOff[c] + w.cEntryCount[c];
    for (let e = w.cEntryOff[c]; e < end; e++) {
      if (w.entKind[e] === ENTRY_NET || w.entProb[e] <= 0) continue;
      const g = w.entKind[e] === ENTRY_PRIVATE ? w.rPrivate[r] : w.entRegion[e];
      for (let s = 0; s < t.count[g]; s++) {
        const n = t.nodeOf(g, s);
        if (this.dataStamp[n] === mark) continue;
        let owned = 0;
        for (let b = 0; b < w.regBands[g] && owned <= 0; b++) owned += t.own[t.cell(g, b, s)];
        if (owned <= 0) continue;
        this.dataStamp[n] = mark;
        out.push(n);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ bands

  /**
   * The tick's accesses in expectation: every band's closed form (the policy's `prepare`) given
   * how often each node touches it, the cost of every vCPU's accesses, and the vCPUs' access
   * rates, which depend on those costs (a stalled vCPU issues fewer): iterated to a fixed point
   * when chunks move. Then the accounting and the bands' new state.
   */
  private bandPhase(t: number): void {
    const { ctx, policy, w } = this;
    ctx.accept.fill(1);
    this.prepared.fill(0);
    const rates = this.previousRates.length === w.vcpuCount ? this.previousRates : (this.previousRates = new Float64Array(w.vcpuCount));
    // the access rates follow the costs, which (when chunks move) follow the access rates
    for (let it = 0; ; it++) {
      rates.set(w.vRate);
      this.computeRates(0);
      this.prepareBands(false);
      for (let k = 0; k < 3 && this.limitInflow(); k++) this.prepareBands(true);
      const last = !policy.movesChunks || it === 3;
      this.evaluate(t, last);
      if (last) break;
      if (maxRelativeChange(rates, w.vRate, w.vActive) < 0.01) { this.evaluate(t, true); break; }
    }
    this.commitBands();
    this.regionDirty.fill(0);
  }

  /** Commits the bands prepared this tick; a band whose state did not change is clean until something changes it. */
  private commitBands(): void {
    const { ctx, policy, w } = this;
    const t = w.slots;
    const dirty = ctx.dirty.bands;
    for (let band = 0; band < w.bandCount; band++) {
      if (!this.prepared[band]) continue;
      const reg = w.bandRegion[band];
      const b = band - w.regBand0[reg];
      const n = t.count[reg];
      const base = t.cellBase[reg] + b * t.cap[reg];
      const snap = this.snapshot.length >= 2 * n ? this.snapshot : (this.snapshot = new Float64Array(2 * Math.max(n, 16)));
      for (let s = 0; s < n; s++) { snap[s] = t.own[base + s]; snap[n + s] = t.cop[base + s]; }
      policy.commit(ctx, band);
      const eps = 1e-12 * w.bandSize[band];
      let changed = false;
      for (let s = 0; s < n && !changed; s++) changed = Math.abs(t.own[base + s] - snap[s]) > eps || Math.abs(t.cop[base + s] - snap[n + s]) > eps;
      dirty[band] = changed ? 1 : 0;
    }
  }

  private snapshot = new Float64Array(16);

  private previousRates = new Float64Array(0);

  /** Prepares the bands that changed (or all), and the aggregates of their regions. */
  private prepareBands(all: boolean): void {
    const { w, ctx, policy } = this;
    ctx.scratch.fit(w.slots.cellCount, w.bandCount);
    ctx.demand.fill(0);
    const dirty = ctx.dirty.bands;
    for (let g = 0; g < w.regionCount; g++) {
      if (w.regKind[g] === REGION_BULK) continue;
      let any = this.regionDirty[g] === 1 || all;
      const b0 = w.regBand0[g];
      const b1 = b0 + w.regBands[g];
      for (let band = b0; band < b1; band++) {
        if (!(all || this.regionDirty[g] || dirty[band])) continue;
        policy.prepare(ctx, band);
        this.prepared[band] = 1;
        any = true;
      }
      if (any) this.aggregateRegion(g);
    }
  }

  /** Lowers the share of incoming memory a node accepts where the bands want more than it has free. */
  private limitInflow(): boolean {
    const { w, ctx } = this;
    let changed = false;
    for (let n = 0; n < w.nodeCount; n++) {
      const free = Math.max(0, w.memCap[n] - w.memUsed[n]);
      if (ctx.demand[n] > free + w.chunkBytes * 1e-6) {
        ctx.accept[n] *= free / ctx.demand[n];
        changed = true;
      }
    }
    return changed;
  }

  /**
   * What one access into each region from each slot costs, per side (the side's accesses spread
   * over the bands by its masses, reads and writes by its write share): the policy's outcomes
   * summed once per region, slot and side, so that every replica on a node reads them in O(1).
   */
  private aggregateRegion(g: number): void {
    const { w, ctx, policy, out, outWrite } = this;
    const t = w.slots;
    const agg = this.agg.fit(t.rate.length);
    const band0 = w.regBand0[g];
    for (let side = 0; side < 2; side++) {
      const c = side === 0 ? w.regSide0[g] : w.regSide1[g];
      if (c < 0) continue;
      const writes = w.cWrites[c];
      const reads = 1 - writes;
      for (let s = 0; s < t.count[g]; s++) {
        const i = t.rateAt(g, 0, side, s);
        if (!(t.rate[i] > 0)) { agg.clear(i); continue; }
        let local = 0, stall = 0, moveStall = 0, captures = 0, copies = 0, bytes = 0;
        for (let b = 0; b < w.regBands[g]; b++) {
          const band = band0 + b;
          const m = w.bandMass[band * 2 + side];
          if (m <= 0) continue;
          policy.outcome(ctx, band, s, false, out);
          policy.outcome(ctx, band, s, true, outWrite);
          local += m * (reads * out.local + writes * outWrite.local);
          stall += m * (reads * out.stall + writes * outWrite.stall);
          moveStall += m * (reads * out.moveStall + writes * outWrite.moveStall);
          captures += m * (reads * out.captures + writes * outWrite.captures);
          copies += m * (reads * out.copies + writes * outWrite.copies);
          bytes += m * (reads * out.bytes + writes * outWrite.bytes);
        }
        agg.local[i] = local; agg.stall[i] = stall; agg.moveStall[i] = moveStall;
        agg.captures[i] = captures; agg.copies[i] = copies; agg.bytes[i] = bytes;
      }
    }
  }

  private readonly agg = new RegionAggregates();

  /**
   * Every active replica's accesses of the tick, node by node: their expected stall per access
   * sets each vCPU's access rate for the tick; with `record` their outcomes go to the statistics.
   */
  private evaluate(t: number, record: boolean): void {
    const { w } = this;
    const dt = this.cfg.dt;
    const rho = this.cfg.rho;
    const acc = this.nodeAcc;
    const busy = this.nodeBusy;
    for (let r = 0; r < w.replicaCount; r++) {
      if (!w.rActive[r]) continue;
      const c = w.rContainer[r];
      const v0 = w.rVcpu0[r];
      const nv = w.cVcpus[c];
      const mark = ++this.stampValue;
      let count = 0;
      for (let j = 0; j < nv; j++) {
        const v = v0 + j;
        if (!w.vActive[v]) continue;
        for (let part = 0; part < 2; part++) {
          const n = part === 0 ? this.vFrom[v] : w.vNode[v];
          if (n < 0 || this.stamp[n] === mark || (part === 0 ? this.vAt[v] <= 0 : this.vAt[v] >= 1)) continue;
          this.stamp[n] = mark;
          this.nodeStall[n] = this.replicaOnNode(r, n, 0, 0, t, false);
          acc[n] = 0;
          busy[n] = 0;
          this.nodeList[count++] = n;
        }
      }
      for (let j = 0; j < nv; j++) {
        const v = v0 + j;
        if (!w.vActive[v]) continue;
        const at = this.vAt[v];
        const from = this.vFrom[v];
        const to = w.vNode[v];
        const stall = (from >= 0 && at > 0 ? at * this.nodeStall[from] : 0) + (to >= 0 && at < 1 ? (1 - at) * this.nodeStall[to] : 0);
        const kappa = to >= 0 ? Math.max(1, w.vcpusOn[to] / Math.max(1e-9, w.usable[to])) : 1;
        this.vStall[v] = stall;
        this.vKappa[v] = kappa;
        w.vRate[v] = 1 / (kappa / rho + stall);
        if (!record) continue;
        const accesses = w.vRate[v] * dt;
        if (from >= 0 && at > 0) { acc[from] += accesses * at; busy[from] += accesses * at * kappa; }
        if (to >= 0 && at < 1) { acc[to] += accesses * (1 - at); busy[to] += accesses * (1 - at) * kappa; }
      }
      if (!record) continue;
      for (let i = 0; i < count; i++) {
        const n = this.nodeList[i];
        if (acc[n] > 0) this.replicaOnNode(r, n, acc[n], busy[n] / acc[n], t, true);
      }
    }
  }

  /**
   * Expected stall per access of replica r's accesses from node n this tick (from the region
   * aggregates); with `record`, `accesses` of them (time slicing `kappa`) go to the statistics.
   */
  private replicaOnNode(r: number, n: number, accesses: number, kappa: number, t: number, record: boolean): number {
    const { w, rec, agg } = this;
    const tbl = w.slots;
    const c = w.rContainer[r];
    const end = w.cEntryOff[c] + w.cEntryCount[c];
    let stall = 0, local = 0, moveStall = 0, captures = 0, copies = 0, bytes = 0;
    const b = record ? rec.bucketOf((t + 0.5) * this.cfg.dt) : 0;
    for (let e = w.cEntryOff[c]; e < end; e++) {
      const p = w.entProb[e];
      if (p <= 0) continue;
      if (w.entKind[e] === ENTRY_NET) {
        stall += p * w.costs.outside(n, w.entNetRack[e]);
        bytes += p * LINE_BYTES;
        if (record && w.entEdge[e] >= 0) rec.edgeAcc[b * rec.edges + w.entEdge[e]] += accesses * p;
        continue;
      }
      const g = w.entKind[e] === ENTRY_PRIVATE ? w.rPrivate[r] : w.entRegion[e];
      const s = tbl.slotOf(g, n);
      if (s < 0) { stall += p * w.costs.remote(n, n); continue; }
      const i = tbl.rateAt(g, 0, w.entSide[e], s);
      stall += p * agg.stall[i];
      if (!record) continue;
      local += p * agg.local[i];
      moveStall += p * agg.moveStall[i];
      captures += p * agg.captures[i];
      copies += p * agg.copies[i];
      bytes += p * agg.bytes[i];
      if (w.entKind[e] === ENTRY_SHARED && w.entEdge[e] >= 0) {
        const k = b * rec.edges + w.entEdge[e];
        rec.edgeAcc[k] += accesses * p;
        rec.edgeLocal[k] += accesses * p * agg.local[i];
      }
    }
    if (record && accesses > 0) {
      const i = b * rec.containers + w.cModel[c];
      const compute = accesses / this.cfg.rho;
      rec.acc[i] += accesses;
      rec.local[i] += accesses * local;
      rec.compute[i] += compute;
      rec.contended[i] += compute * kappa;
      rec.stall[i] += accesses * stall;
      rec.moveStall[i] += accesses * moveStall;
      rec.moves[i] += accesses * (captures + copies);
      rec.chunkMoves[b] += accesses * captures;
      rec.copies[b] += accesses * copies;
      rec.bytes[b] += accesses * bytes;
      rec.stallTotal[b] += accesses * stall;
      rec.nodeCpu[b * rec.nodes + w.nodeId[n]] += compute;
    }
    return stall;
  }

  // ------------------------------------------------------------------ vcpu: hopping

  /**
   * Under `vcpu` a vCPU is always on the node of the last chunk it touched. For each vCPU the
   * tick is cut into `samples` slices of its accesses, interleaved with the other vCPUs'. A slice
   * of w accesses that starts on node x makes, in expectation, G (1 - nu - m_x) + (w - G) p moves
   * (m: where its accesses' chunks are, nu: the share that leaves the SDS, p = 1 - nu - sum m^2 /
   * (1 - nu) the stationary chance per access, G = (1 - nu^w) / (1 - nu)); where the slice ends is
   * a draw from m (the node of its last access). Time slicing is counted on the vCPUs' nodes at
   * each slice, so vCPUs that crowd onto one node slow each other down.
   */
  private hopping(t: number): void {
    const { w, rec, ctx } = this;
    if (!this.hop) this.hop = buildHopTables(this.ctx);
    const hop = this.hop;
    const S = this.cfg.samples;
    const rho = this.cfg.rho;
    const rng = ctx.rng;
    const V = w.vcpuCount;
    const acc = this.hopAcc.length === V ? this.hopAcc : (this.hopAcc = new Float64Array(V));
    const stall = this.hopStall.length === V ? this.hopStall : (this.hopStall = new Float64Array(V));
    const kappa = this.hopKappa.length === V ? this.hopKappa : (this.hopKappa = new Float64Array(V));
    acc.fill(0); stall.fill(0); kappa.fill(0);
    const b = rec.bucketOf((t + 0.5) * this.cfg.dt);
    const C = rec.containers;
    for (let i = 0; i < S; i++) {
      for (let v = 0; v < V; v++) {
        if (!w.vActive[v]) continue;
        const x = w.vNode[v];
        if (x < 0) continue;
        const r = w.vReplica[v];
        const c = w.vContainer[v];
        const mc = w.cModel[c];
        const slice = (w.vRate[v] * ctx.dt) / S;
        const nu = hop.nu[r];
        const mx = hop.shareOn(r, x);
        const pmove = Math.max(0, 1 - nu - mx);
        let moves: number;
        if (slice >= 1) {
          const g = nu < 1 ? (1 - Math.pow(nu, slice)) / (1 - nu) : 0;
          moves = g * pmove + (slice - g) * hop.p[r];
        } else {
          moves = slice * pmove;
        }
        const cost = moves * hop.moveCost(w, r, x) + slice * hop.netCost(w, r, x);
        acc[v] += slice;
        stall[v] += cost;
        const ci = b * C + mc;
        rec.acc[ci] += slice;
        rec.local[ci] += Math.max(0, slice - moves - slice * nu);
        rec.stall[ci] += cost;
        rec.moveStall[ci] += moves * hop.moveCost(w, r, x);
        rec.moves[ci] += moves;
        rec.vcpuMoves[b] += moves;
        rec.bytes[b] += moves * VCPU_STATE_BYTES + slice * nu * LINE_BYTES;
        rec.stallTotal[b] += cost;
        hop.recordEdges(w, rec, b, r, slice);
        rec.sampled++;
        const jump = slice >= 1 ? 1 - Math.pow(nu, slice) : slice * (1 - nu);
        if (rng.float() < jump) {
          const y = hop.draw(r, rng.float());
          if (y >= 0 && y !== x && w.usable[y] > 0 && w.alive[y]) {
            w.vcpusOn[x]--;
            w.vcpusOn[y]++;
            w.vNode[v] = y;
          }
        }
      }
      for (let v = 0; v < V; v++) {
        if (!w.vActive[v] || w.vNode[v] < 0) continue;
        const n = w.vNode[v];
        const k = Math.max(1, w.vcpusOn[n] / Math.max(1e-9, w.usable[n]));
        const slice = (w.vRate[v] * ctx.dt) / S;
        kappa[v] += k * slice;
        const ci = b * C + w.cModel[w.vContainer[v]];
        rec.compute[ci] += slice / rho;
        rec.contended[ci] += (slice / rho) * k;
        rec.nodeCpu[b * rec.nodes + w.nodeId[n]] += slice / rho;
      }
    }
    for (let v = 0; v < V; v++) {
      if (!w.vActive[v] || acc[v] <= 0) continue;
      const k = kappa[v] / acc[v];
      const s = stall[v] / acc[v];
      this.vKappa[v] = k;
      this.vStall[v] = s;
      w.vRate[v] = 1 / (k / rho + s);
    }
  }

  private hopAcc = new Float64Array(0);
  private hopStall = new Float64Array(0);
  private hopKappa = new Float64Array(0);

  // ------------------------------------------------------------------ nodes

  private recordNodes(t: number): void {
    const { w, rec } = this;
    const dt = this.cfg.dt;
    const b = rec.bucketOf((t + 0.5) * dt);
    rec.covered[b] = Math.max(rec.covered[b], 0);
    const share = dt / rec.bucketSeconds;
    for (let n = 0; n < w.nodeCount; n++) {
      if (!w.alive[n]) continue;
      rec.nodeMem[b * rec.nodes + w.nodeId[n]] += w.memUsed[n] * share;
    }
    // the mean rho x stall of each node's vCPUs, for the next tick's gains
    const count = this.nodeStall;
    this.sigma.fill(0);
    count.fill(0);
    for (let v = 0; v < w.vcpuCount; v++) {
      const n = w.vNode[v];
      if (!w.vActive[v] || n < 0) continue;
      this.sigma[n] += this.cfg.rho * this.vStall[v];
      count[n]++;
    }
    for (let n = 0; n < w.nodeCount; n++) if (count[n] > 0) this.sigma[n] /= count[n];
  }
}

/** Per region slot and side (indexed like the SlotTable's rates): the outcome of one access, summed over the bands. */
class RegionAggregates {
  local = new Float64Array(0);
  stall = new Float64Array(0);
  moveStall = new Float64Array(0);
  captures = new Float64Array(0);
  copies = new Float64Array(0);
  bytes = new Float64Array(0);

  fit(size: number): this {
    if (this.local.length < size) {
      this.local = new Float64Array(size);
      this.stall = new Float64Array(size);
      this.moveStall = new Float64Array(size);
      this.captures = new Float64Array(size);
      this.copies = new Float64Array(size);
      this.bytes = new Float64Array(size);
    }
    return this;
  }

  clear(i: number): void {
    this.local[i] = 0; this.stall[i] = 0; this.moveStall[i] = 0; this.captures[i] = 0; this.copies[i] = 0; this.bytes[i] = 0;
  }
}

interface Candidate { readonly gain: number; readonly r: number; readonly v: number; readonly o: number }

function byGain(a: Candidate, b: Candidate): number {
  return b.gain - a.gain || a.r - b.r;
}

function insertSorted(heap: Candidate[], item: Candidate): void {
  let i = 0;
  while (i < heap.length && byGain(heap[i], item) <= 0) i++;
  heap.splice(i, 0, item);
}

function maxRelativeChange(before: Float64Array, after: Float64Array, active: Uint8Array): number {
  let most = 0;
  for (let v = 0; v < before.length; v++) {
    if (!active[v]) continue;
    const d = Math.abs(after[v] - before[v]) / Math.max(1e-12, after[v]);
    if (d > most) most = d;
  }
  return most;
}

/** Stall per access of replica r on node x serving every access that is not local remotely (the projection without homing). */
function projectedRemote(ctx: TickContext, r: number, x: number, out: Projection): void {
  projectedStall(ctx, r, x, x, 0, false, out);
}

/**
 * Per replica, where its accesses' chunks are (m, over local nodes, for its non-NET accesses),
 * drawn from in O(1), with the quantities of the hop model. Rebuilt after every event (under
 * `vcpu` memory moves only then).
 */
class HopTables {
  readonly nu: Float64Array;
  readonly p: Float64Array;
  private readonly off: Int32Array;
  private readonly len: Int32Array;
  private readonly node: Int32Array;
  private readonly share: Float64Array;
  private readonly alias: AliasTables;
  /** Per replica and shared entry: chance an access to it is local (vCPU at a draw from m, chunk at a draw from the region). */
  private readonly edgeLocal: Float64Array;
  private readonly edgeOff: Int32Array;
  private readonly edgeOf: Int32Array;
  private readonly edgeProb: Float64Array;

  constructor(init: { nu: Float64Array; p: Float64Array; off: Int32Array; len: Int32Array; node: Int32Array; share: Float64Array; alias: AliasTables; edgeLocal: Float64Array; edgeOff: Int32Array; edgeOf: Int32Array; edgeProb: Float64Array }) {
    this.nu = init.nu; this.p = init.p; this.off = init.off; this.len = init.len; this.node = init.node; this.share = init.share; this.alias = init.alias;
    this.edgeLocal = init.edgeLocal; this.edgeOff = init.edgeOff; this.edgeOf = init.edgeOf; this.edgeProb = init.edgeProb;
  }

  shareOn(r: number, x: number): number {
    const o = this.off[r];
    for (let i = 0; i < this.len[r]; i++) if (this.node[o + i] === x) return this.share[o + i];
    return 0;
  }

  draw(r: number, u: number): number {
    const i = this.alias.draw(r, u);
    return i < 0 ? -1 : this.node[this.off[r] + i];
  }

  /** Mean cost of one move from x to where the replica's other chunks are. */
  moveCost(w: SdsWorld, r: number, x: number): number {
    const o = this.off[r];
    let weight = 0;
    let cost = 0;
    for (let i = 0; i < this.len[r]; i++) {
      const y = this.node[o + i];
      if (y === x) continue;
      weight += this.share[o + i];
      cost += this.share[o + i] * w.costs.vcpuMove(x, y);
    }
    return weight > 0 ? cost / weight : w.costs.vcpuMove(x, x);
  }

  /** Cost per access of the replica's accesses that leave the SDS, from node x. */
  netCost(w: SdsWorld, r: number, x: number): number {
    const c = w.rContainer[r];
    const end = w.cEntryOff[c] + w.cEntryCount[c];
    let cost = 0;
    for (let e = w.cEntryOff[c]; e < end; e++) if (w.entKind[e] === ENTRY_NET) cost += w.entProb[e] * w.costs.outside(x, w.entNetRack[e]);
    return cost;
  }

  recordEdges(w: SdsWorld, rec: Recorder, b: number, r: number, slice: number): void {
    for (let i = this.edgeOff[r]; i < this.edgeOff[r + 1]; i++) {
      const k = b * rec.edges + this.edgeOf[i];
      rec.edgeAcc[k] += slice * this.edgeProb[i];
      rec.edgeLocal[k] += slice * this.edgeProb[i] * this.edgeLocal[i];
    }
  }
}

function buildHopTables(ctx: TickContext): HopTables {
  const { w } = ctx;
  const t = w.slots;
  const R = w.replicaCount;
  const K = w.nodeCount;
  const dense = new Float64Array(K);
  const nu = new Float64Array(R);
  const p = new Float64Array(R);
  const off = new Int32Array(R);
  const len = new Int32Array(R);
  const nodes: number[] = [];
  const shares: number[] = [];
  const alias = new AliasTables(R);
  const edgeOff = new Int32Array(R + 1);
  const edgeOf: number[] = [];
  const edgeProb: number[] = [];
  const edgeLocal: number[] = [];
  const regionOn = (g: number, side: number, n: number): number => {
    const s = t.slotOf(g, n);
    if (s < 0) return 0;
    let sum = 0;
    for (let b = 0; b < w.regBands[g]; b++) sum += (w.bandMass[(w.regBand0[g] + b) * 2 + side] * t.own[t.cell(g, b, s)]) / w.bandSize[w.regBand0[g] + b];
    return sum;
  };
  for (let r = 0; r < R; r++) {
    edgeOff[r] = edgeOf.length;
    if (!w.rActive[r]) { off[r] = nodes.length; continue; }
    const c = w.rContainer[r];
    dense.fill(0);
    const end = w.cEntryOff[c] + w.cEntryCount[c];
    for (let e = w.cEntryOff[c]; e < end; e++) {
      if (w.entKind[e] === ENTRY_NET) { nu[r] += w.entProb[e]; continue; }
      const g = w.entKind[e] === ENTRY_PRIVATE ? w.rPrivate[r] : w.entRegion[e];
      for (let s = 0; s < t.count[g]; s++) {
        const n = t.nodeOf(g, s);
        dense[n] += w.entProb[e] * regionOn(g, w.entSide[e], n);
      }
    }
    off[r] = nodes.length;
    let sq = 0;
    const chunkShare = Math.max(1e-12, 1 - nu[r]);
    const list: number[] = [];
    for (let n = 0; n < K; n++) {
      if (dense[n] <= 0 || !w.alive[n]) continue;
      nodes.push(n);
      shares.push(dense[n]);
      list.push(dense[n]);
      sq += dense[n] * dense[n];
    }
    len[r] = nodes.length - off[r];
    alias.set(r, list, list.length);
    p[r] = Math.max(0, chunkShare - sq / chunkShare);
    for (let e = w.cEntryOff[c]; e < end; e++) {
      if (w.entEdge[e] < 0) continue;
      edgeOf.push(w.entEdge[e]);
      edgeProb.push(w.entProb[e]);
      if (w.entKind[e] !== ENTRY_SHARED) { edgeLocal.push(0); continue; }
      // the vCPU is where its last access's chunk was (a draw from m), the chunk a draw from the region
      let l = 0;
      for (let i = 0; i < list.length; i++) l += (list[i] / chunkShare) * regionOn(w.entRegion[e], w.entSide[e], nodes[off[r] + i]);
      edgeLocal.push(l);
    }
  }
  edgeOff[R] = edgeOf.length;
  return new HopTables({
    nu, p, off, len, node: Int32Array.from(nodes), share: Float64Array.from(shares), alias,
    edgeLocal: Float64Array.from(edgeLocal), edgeOff, edgeOf: Int32Array.from(edgeOf), edgeProb: Float64Array.from(edgeProb),
  });
}
