import type { TickContext } from './context';
import * as costm from './costs';
import type { Recorder } from './stats';
import * as trafficm from './traffic';
import * as worldm from './world';
import type { SdsWorld } from './world';
import type { AliasTables } from './alias';
import * as policiesm from './policies/index';
import type { ExactMiss, PolicyModule } from './policies/index';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const LINE_BYTES = costm.LINE_BYTES;
const VCPU_STATE_BYTES = costm.VCPU_STATE_BYTES;
const ENTRY_NET = worldm.ENTRY_NET;
const ENTRY_PRIVATE = worldm.ENTRY_PRIVATE;
const ENTRY_SHARED = worldm.ENTRY_SHARED;
const REGION_BULK = worldm.REGION_BULK;
const EXACT_CAPTURE = policiesm.EXACT_CAPTURE;
const EXACT_COPY = policiesm.EXACT_COPY;
const EXACT_MOVE_VCPU = policiesm.EXACT_MOVE_VCPU;
const flow = trafficm.flow;
const nodeEnd = trafficm.nodeEnd;
const onLink = trafficm.onLink;

/** Real accesses per second `--exact` draws on a reference machine (the refusal estimate uses it). */
export const EXACT_ACCESSES_PER_SECOND = 1e7;
/** Chunks `--exact` tracks one by one at most. */
export const EXACT_MAX_CHUNKS = 1 << 24;
/** Read copies are tracked as a bit per node. */
export const EXACT_MAX_NODES = 32;

/**
 * `--exact`: the ground truth the sampled estimator is tested against. Every real access of
 * every vCPU is drawn (region, band, then a chunk of the band uniformly), in time order across
 * vCPUs (each vCPU's clock advances by its compute time under time slicing plus its stall), and
 * the policy reacts to each one on its own: `page` moves the chunk, `vcpu` moves the vCPU,
 * `cost` copies, captures or serves remotely by the same per-band decisions the estimator uses
 * (its plan, made once per hysteresis window from the same state). Chunks are tracked one by
 * one (owner, copies); the band table's counts are kept equal to them, so the plans, the
 * scheduler and the events (written on counts) see the same state in both modes.
 */
export class ExactAccesses {
  private readonly w: SdsWorld;
  private readonly ctx: TickContext;
  private readonly rec: Recorder;
  private readonly bandAlias: AliasTables;
  /** First chunk of each region in the per-chunk arrays (-1: not tracked, untouched memory). */
  private readonly chunk0: Int32Array;
  private readonly owner: Int32Array;
  private readonly copies: Uint32Array;
  private readonly clock: Float64Array;
  private readonly heap: Int32Array;
  // per tick, per vCPU
  private readonly acc: Float64Array;
  private readonly local: Float64Array;
  private readonly stall: Float64Array;
  private readonly moveStall: Float64Array;
  private readonly moves: Float64Array;
  private readonly busy: Float64Array;
  private readonly edgeAcc: Float64Array;
  private readonly edgeLocal: Float64Array;
  private readonly policy: PolicyModule;
  /** The access the policy decides on (reused: no allocation per access). */
  private readonly miss: ExactMiss = { region: 0, bandOffset: 0, band: 0, x: 0, o: 0, write: false, room: false, pinned: false };
  private chunkMoves = 0;
  private copyCount = 0;
  private vcpuMoves = 0;
  private bytes = 0;
  drawn = 0;

  constructor(world: SdsWorld, ctx: TickContext, rec: Recorder, bandAlias: AliasTables) {
    this.w = world;
    this.ctx = ctx;
    this.rec = rec;
    this.bandAlias = bandAlias;
    this.policy = policiesm.POLICY_MODULES[world.policy];
    if (world.nodeCount > EXACT_MAX_NODES) throw new Error(`--exact simulates SDSs of at most ${EXACT_MAX_NODES} nodes (${world.model.sdses[world.sds].name} has ${world.nodeCount})`);
    this.chunk0 = new Int32Array(world.regionCount).fill(-1);
    let total = 0;
    for (let g = 0; g < world.regionCount; g++) {
      if (world.regKind[g] === REGION_BULK) continue;
      this.chunk0[g] = total;
      total += Math.ceil(world.regChunks[g]);
      if (total > EXACT_MAX_CHUNKS) throw new Error(`--exact tracks at most ${EXACT_MAX_CHUNKS} chunks one by one; ${world.model.sdses[world.sds].name} has more: use larger chunks (granularity) or simulate without --exact`);
    }
    this.owner = new Int32Array(total).fill(-1);
    this.copies = new Uint32Array(total);
    const V = world.vcpuCount;
    this.clock = new Float64Array(V);
    this.heap = new Int32Array(V);
    this.acc = new Float64Array(V);
    this.local = new Float64Array(V);
    this.stall = new Float64Array(V);
    this.moveStall = new Float64Array(V);
    this.moves = new Float64Array(V);
    this.busy = new Float64Array(V);
    this.edgeAcc = new Float64Array(rec.edges);
    this.edgeLocal = new Float64Array(rec.edges);
    this.reconcile();
  }

  /**
   * Gives the band table's counts to particular chunks: where a band has more chunks on a node
   * than the table says, the extra ones go to the nodes that have too few (an event moved them).
   * Copies on nodes that are gone are dropped, and the table's copy counts recounted.
   */
  reconcile(): void {
    const { w } = this;
    const t = w.slots;
    for (let g = 0; g < w.regionCount; g++) {
      const base = this.chunk0[g];
      if (base < 0) continue;
      const slots = t.count[g];
      for (let b = 0; b < w.regBands[g]; b++) {
        const band = w.regBand0[g] + b;
        const lo = base + w.bandStart[band];
        const hi = lo + w.bandSize[band];
        const want = new Float64Array(slots);
        for (let s = 0; s < slots; s++) want[s] = Math.round(t.own[t.cell(g, b, s)]);
        const have = new Float64Array(slots);
        const slotOfNode = new Map<number, number>();
        for (let s = 0; s < slots; s++) slotOfNode.set(t.nodeOf(g, s), s);
        const spare: number[] = [];
        for (let ch = lo; ch < hi; ch++) {
          const s = this.owner[ch] >= 0 ? slotOfNode.get(this.owner[ch]) ?? -1 : -1;
          if (s >= 0 && have[s] < want[s]) have[s]++;
          else spare.push(ch);
        }
        let k = 0;
        for (let s = 0; s < slots && k < spare.length; s++) {
          while (have[s] < want[s] && k < spare.length) { this.owner[spare[k++]] = t.nodeOf(g, s); have[s]++; }
        }
        for (; k < spare.length; k++) this.owner[spare[k]] = -1;
        // copies: only on alive nodes, never on the owner
        for (let s = 0; s < slots; s++) t.cop[t.cell(g, b, s)] = 0;
        for (let ch = lo; ch < hi; ch++) {
          let mask = this.copies[ch];
          if (mask === 0) continue;
          for (let n = 0; n < w.nodeCount; n++) {
            if (!(mask & (1 << n))) continue;
            if (!w.alive[n] || n === this.owner[ch]) { mask &= ~(1 << n); continue; }
            t.cop[t.cell(g, b, t.ensure(g, n))]++;
          }
          this.copies[ch] = mask;
        }
      }
    }
    // memory: owners and copies as the table has them, plus untouched memory
    w.memUsed.fill(0);
    for (let g = 0; g < w.regionCount; g++) {
      for (let s = 0; s < t.count[g]; s++) {
        const n = t.nodeOf(g, s);
        for (let b = 0; b < w.regBands[g]; b++) w.memUsed[n] += (t.own[t.cell(g, b, s)] + t.cop[t.cell(g, b, s)]) * w.chunkBytes;
      }
    }
  }

  /**
   * One tick of real accesses, every vCPU's in time order. The hot loop of `--exact`, kept whole:
   * split into steps (access, chunk access, action) it ran 1.3x slower (bench, issue 16).
   */
  tick(tick: number, rho: number, vStall: Float64Array, vKappa: Float64Array): void {
    const { w, ctx, rec } = this;
    const dt = ctx.dt;
    const V = w.vcpuCount;
    const costs = w.costs;
    const rng = ctx.rng;
    const policy = this.policy;
    const miss = this.miss;
    // the clocks carry over from the last tick: at its end each was past it by its last access's overshoot
    const gran = w.chunkBytes;
    const bucket = rec.bucketOf((tick + 0.5) * dt);
    const cpuBase = bucket * rec.nodes;
    const id = w.nodeId;
    this.acc.fill(0); this.local.fill(0); this.stall.fill(0); this.moveStall.fill(0); this.moves.fill(0); this.busy.fill(0);
    this.edgeAcc.fill(0); this.edgeLocal.fill(0);
    this.chunkMoves = 0; this.copyCount = 0; this.vcpuMoves = 0; this.bytes = 0;
    // the heap of active vCPUs by clock
    let size = 0;
    for (let v = 0; v < V; v++) {
      if (!w.vActive[v] || w.vNode[v] < 0) { this.clock[v] = 0; continue; }
      // a vCPU still stalled at the end of the last tick (a 17 ms chunk move in a 10 ms tick) goes on stalling
      this.clock[v] = Math.max(0, this.clock[v] - dt);
      this.heap[size++] = v;
    }
    const clock = this.clock;
    const heap = this.heap;
    const owner = this.owner;
    const copies = this.copies;
    const sift = (index: number): void => {
      const v = heap[index];
      const c = clock[v];
      for (;;) {
        const l = 2 * index + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && clock[heap[r]] < clock[heap[l]] ? r : l;
        if (clock[heap[m]] >= c) break;
        heap[index] = heap[m];
        index = m;
      }
      heap[index] = v;
    };
    for (let i = (size >> 1) - 1; i >= 0; i--) sift(i);
    while (size > 0) {
      const v = heap[0];
      if (clock[v] >= dt) { heap[0] = heap[--size]; if (size > 0) sift(0); continue; }
      const x = w.vNode[v];
      const c = w.vContainer[v];
      const r = w.vReplica[v];
      const load = w.load[x] / w.usable[x];
      const kappa = load > 1 ? load : 1;
      let stall = 0;
      let moveStall = 0;
      let isLocal = false;
      this.drawn++;
      // which region
      let u = rng.float();
      let e = w.cEntryOff[c];
      const last = e + w.cEntryCount[c] - 1;
      while (e < last && u >= w.entProb[e]) { u -= w.entProb[e]; e++; }
      if (w.entKind[e] === ENTRY_NET) {
        stall = costs.outside(x, w.entNetRack[e]);
        this.bytes += LINE_BYTES;
        const here = rec.rackOf[id[x]];
        nodeEnd(rec, bucket, w.cModel[c], id[x], LINE_BYTES, true);
        onLink(rec, bucket, w.cModel[c], here === w.entNetRack[e] ? here : rec.links - 1, LINE_BYTES);
        if (w.entEdge[e] >= 0) this.edgeAcc[w.entEdge[e]]++;
      } else {
        const g = w.entKind[e] === ENTRY_PRIVATE ? w.rPrivate[r] : w.entRegion[e];
        const b = this.bandAlias.draw(g * 2 + w.entSide[e], rng.float());
        const band = w.regBand0[g] + b;
        const ch = this.chunk0[g] + w.bandStart[band] + Math.floor(rng.float() * w.bandSize[band]);
        const write = rng.float() < w.cWrites[c];
        const o = owner[ch];
        isLocal = o === x || (!write && (copies[ch] & (1 << x)) !== 0);
        if (write && copies[ch] !== 0) {
          // a write invalidates the read copies (one message each; the writer waits one round trip)
          let n = 0;
          for (let k = 0; k < w.nodeCount; k++) {
            if (copies[ch] & (1 << k)) { n++; this.addCopy(g, b, k, -1); flow(rec, bucket, w.cModel[c], id[x], id[k], LINE_BYTES); }
          }
          copies[ch] = 0;
          this.bytes += n * LINE_BYTES;
          stall += costs.remote(x, o >= 0 ? o : x);
        }
        if (!isLocal) {
          const room = w.memCap[x] - w.memUsed[x] >= gran;
          const pinned = w.regPinned[g] >= 0;
          // an orphan chunk comes to whoever touches it; else the policy decides (policies/*.ts exactAction)
          let action = EXACT_CAPTURE;
          if (o >= 0) {
            miss.region = g; miss.bandOffset = b; miss.band = band; miss.x = x; miss.o = o; miss.write = write; miss.room = room; miss.pinned = pinned;
            action = policy.exactAction(ctx, miss);
          }
          if (action === EXACT_CAPTURE) {
            const cost = o >= 0 ? costs.chunkMove(x, o) : 0;
            stall += cost;
            moveStall += cost;
            if (o >= 0) { this.addOwn(g, b, o, -1); this.chunkMoves++; this.bytes += gran; this.moves[v]++; flow(rec, bucket, w.cModel[c], id[o], id[x], gran); }
            this.addOwn(g, b, x, 1);
            // the chunk's copies go with the move
            for (let k = 0; k < w.nodeCount; k++) if (copies[ch] & (1 << k)) this.addCopy(g, b, k, -1);
            copies[ch] = 0;
            owner[ch] = x;
          } else if (action === EXACT_COPY) {
            const cost = costs.chunkMove(x, o);
            stall += cost;
            moveStall += cost;
            copies[ch] |= 1 << x;
            this.addCopy(g, b, x, 1);
            this.copyCount++;
            this.bytes += gran;
            flow(rec, bucket, w.cModel[c], id[o], id[x], gran);
            this.moves[v]++;
          } else if (action === EXACT_MOVE_VCPU) {
            const cost = costs.vcpuMove(x, o);
            stall += cost;
            moveStall += cost;
            w.vcpusOn[x]--;
            w.vcpusOn[o]++;
            w.load[x] -= w.vDemand[v];
            w.load[o] += w.vDemand[v];
            w.vNode[v] = o;
            this.vcpuMoves++;
            this.bytes += VCPU_STATE_BYTES;
            flow(rec, bucket, w.cModel[c], id[x], id[o], VCPU_STATE_BYTES);
            this.moves[v]++;
          } else {
            const cost = costs.remote(x, o);
            stall += cost;
            this.bytes += LINE_BYTES;
            // a read's line comes from the owner, a write's goes to it
            if (write) flow(rec, bucket, w.cModel[c], id[x], id[o], LINE_BYTES);
            else flow(rec, bucket, w.cModel[c], id[o], id[x], LINE_BYTES);
          }
        }
        if (w.entKind[e] === ENTRY_SHARED && w.entEdge[e] >= 0) {
          this.edgeAcc[w.entEdge[e]]++;
          if (isLocal) this.edgeLocal[w.entEdge[e]]++;
        }
      }
      this.acc[v]++;
      if (isLocal) this.local[v]++;
      this.stall[v] += stall;
      this.moveStall[v] += moveStall;
      this.busy[v] += kappa;
      rec.nodeCpu[cpuBase + w.nodeId[x]] += 1 / rho;
      clock[v] += kappa / rho + stall;
      sift(0);
    }
    this.flush(tick, rho, vStall, vKappa);
  }

  private addOwn(region: number, bandOffset: number, node: number, delta: number): void {
    const t = this.w.slots;
    t.own[t.cell(region, bandOffset, t.ensure(region, node))] += delta;
    this.w.memUsed[node] += delta * this.w.chunkBytes;
  }

  private addCopy(region: number, bandOffset: number, node: number, delta: number): void {
    const t = this.w.slots;
    t.cop[t.cell(region, bandOffset, t.ensure(region, node))] += delta;
    this.w.memUsed[node] += delta * this.w.chunkBytes;
  }

  private flush(tick: number, rho: number, vStall: Float64Array, vKappa: Float64Array): void {
    const { w, rec, ctx } = this;
    const b = rec.bucketOf((tick + 0.5) * ctx.dt);
    const C = rec.containers;
    for (let v = 0; v < w.vcpuCount; v++) {
      const acc = this.acc[v];
      if (acc <= 0) continue;
      const i = b * C + w.cModel[w.vContainer[v]];
      rec.acc[i] += acc;
      rec.local[i] += this.local[v];
      rec.compute[i] += acc / rho;
      rec.contended[i] += this.busy[v] / rho;
      rec.stall[i] += this.stall[v];
      rec.moveStall[i] += this.moveStall[v];
      rec.moves[i] += this.moves[v];
      rec.stallTotal[b] += this.stall[v];
      vStall[v] = this.stall[v] / acc;
      vKappa[v] = this.busy[v] / acc;
      w.vRate[v] = acc / ctx.dt;
    }
    for (let k = 0; k < rec.edges; k++) {
      rec.edgeAcc[b * rec.edges + k] += this.edgeAcc[k];
      rec.edgeLocal[b * rec.edges + k] += this.edgeLocal[k];
    }
    rec.chunkMoves[b] += this.chunkMoves;
    rec.copies[b] += this.copyCount;
    rec.vcpuMoves[b] += this.vcpuMoves;
    rec.bytes[b] += this.bytes;
    rec.sampled += this.drawn;
    this.drawn = 0;
  }
}
