import { AliasTables } from './alias';
import type { TickContext } from './context';
import type { EngineState } from './state';
import type { Recorder } from './stats';
import { flow, nodeEnd, onLink } from './traffic';
import * as costm from './costs';
import * as worldm from './world';
import type { SdsWorld } from './world';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const ENTRY_NET = worldm.ENTRY_NET;
const ENTRY_PRIVATE = worldm.ENTRY_PRIVATE;
const ENTRY_SHARED = worldm.ENTRY_SHARED;
const LINE_BYTES = costm.LINE_BYTES;
const VCPU_STATE_BYTES = costm.VCPU_STATE_BYTES;

/**
 * Under `vcpu` a vCPU is always on the node of the last chunk it touched. For each vCPU the
 * tick is cut into `samples` slices of its accesses, interleaved with the other vCPUs'. A slice
 * of w accesses that starts on node x makes, in expectation, G (1 - nu - m_x) + (w - G) p moves
 * (m: where its accesses' chunks are, nu: the share that leaves the SDS, p = 1 - nu - sum m^2 /
 * (1 - nu) the stationary chance per access, G = (1 - nu^w) / (1 - nu)); where the slice ends is
 * a draw from m (the node of its last access). Time slicing is counted on the vCPUs' nodes at
 * each slice, so vCPUs that crowd onto one node slow each other down.
 */
export function hopping(st: EngineState, tick: number): void {
  const { w, rec, ctx } = st;
  if (!st.hop) st.hop = buildHopTables(st.ctx);
  const hop = st.hop;
  const S = st.cfg.samples;
  const rho = st.cfg.rho;
  const rng = ctx.rng;
  const V = w.vcpuCount;
  const scratch = st.hopScratch(V);
  const { acc, stall, moveStall, moves, busy, slice, grow, jump, index, stayMove, stayCost } = scratch;
  const vNode = w.vNode;
  const vActive = w.vActive;
  const vReplica = w.vReplica;
  const vcpusOn = w.vcpusOn;
  const load = w.load;
  const demand = w.vDemand;
  const usable = w.usable;
  const alive = w.alive;
  const off = hop.off;
  const list = hop.node;
  const pm = hop.pmove;
  const mc = hop.moveCostAt;
  const nc = hop.netCostAt;
  const pbar = hop.p;
  const cpuBase = rec.bucketOf((tick + 0.5) * st.cfg.dt) * rec.nodes;
  const { atMoves, atCost, atAcc } = hop;
  const { strayMoves, strayCost, strayAcc } = scratch;
  atMoves.fill(0); atCost.fill(0); atAcc.fill(0); strayMoves.fill(0); strayCost.fill(0); strayAcc.fill(0);
  // per vCPU for the tick: its slice of accesses, the moves' first-access correction, the chance a slice ends elsewhere
  for (let v = 0; v < V; v++) {
    acc[v] = 0; stall[v] = 0; moveStall[v] = 0; moves[v] = 0; busy[v] = 0;
    if (!vActive[v] || vNode[v] < 0) continue;
    const r = vReplica[v];
    const nu = hop.nu[r];
    const w1 = (w.vRate[v] * ctx.dt) / S;
    slice[v] = w1;
    grow[v] = w1 >= 1 ? (nu < 1 ? (1 - Math.pow(nu, w1)) / (1 - nu) : 0) : w1;
    jump[v] = w1 >= 1 ? 1 - Math.pow(nu, w1) : w1 * (1 - nu);
    index[v] = hop.indexOf(r, vNode[v]);
    // a node where none of its memory is (before its first hop): every access there moves it
    stayMove[v] = 1 - nu;
    stayCost[v] = index[v] < 0 ? hop.moveCost(w, r, vNode[v]) : 0;
  }
  for (let i = 0; i < S; i++) {
    for (let v = 0; v < V; v++) {
      if (!vActive[v]) continue;
      const x = vNode[v];
      if (x < 0) continue;
      const r = vReplica[v];
      const k = index[v];
      const w1 = slice[v];
      const g = grow[v];
      const first = k >= 0 ? pm[off[r] + k] : stayMove[v];
      const m = w1 >= 1 ? g * first + (w1 - g) * pbar[r] : w1 * first;
      const cost = m * (k >= 0 ? mc[off[r] + k] : stayCost[v]);
      // where the moves and accesses start, for the traffic (flushHopTraffic)
      if (k >= 0) { atMoves[off[r] + k] += m; atCost[off[r] + k] += cost; atAcc[off[r] + k] += w1; }
      else { strayMoves[v] += m; strayCost[v] += cost; strayAcc[v] += w1; }
      acc[v] += w1;
      moves[v] += m;
      moveStall[v] += cost;
      stall[v] += cost + w1 * (k >= 0 ? nc[off[r] + k] : hop.netCost(w, r, x));
      if (rng.float() < jump[v]) {
        const j = hop.alias.draw(r, rng.float());
        if (j >= 0) {
          const y = list[off[r] + j];
          if (y !== x && usable[y] > 0 && alive[y]) {
            vcpusOn[x]--;
            vcpusOn[y]++;
            load[x] -= demand[v];
            load[y] += demand[v];
            vNode[v] = y;
            index[v] = j;
          }
        }
      }
    }
    // time slicing where the vCPUs are now
    for (let v = 0; v < V; v++) {
      if (!vActive[v]) continue;
      const n = vNode[v];
      if (n < 0) continue;
      const kappa = load[n] / usable[n];
      busy[v] += (kappa > 1 ? kappa : 1) * slice[v];
      rec.nodeCpu[cpuBase + w.nodeId[n]] += slice[v] / rho;
    }
  }
  rec.sampled += S * countActive(w);
  // the tick's figures per vCPU
  const b = rec.bucketOf((tick + 0.5) * st.cfg.dt);
  flushHopTraffic(st, b);
  const C = rec.containers;
  for (let v = 0; v < V; v++) {
    if (!vActive[v] || acc[v] <= 0) continue;
    const r = vReplica[v];
    const nu = hop.nu[r];
    const ci = b * C + w.cModel[w.vContainer[v]];
    rec.acc[ci] += acc[v];
    rec.local[ci] += Math.max(0, acc[v] * (1 - nu) - moves[v]);
    rec.stall[ci] += stall[v];
    rec.moveStall[ci] += moveStall[v];
    rec.moves[ci] += moves[v];
    rec.compute[ci] += acc[v] / rho;
    rec.contended[ci] += busy[v] / rho;
    rec.vcpuMoves[b] += moves[v];
    rec.bytes[b] += moves[v] * VCPU_STATE_BYTES + acc[v] * nu * LINE_BYTES;
    rec.stallTotal[b] += stall[v];
    hop.recordEdges(rec, b, r, acc[v]);
    const kappa = busy[v] / acc[v];
    const s = stall[v] / acc[v];
    st.vKappa[v] = kappa;
    st.vStall[v] = s;
    w.vRate[v] = 1 / (kappa / rho + s);
  }
}

function countActive(world: SdsWorld): number {
  let n = 0;
  for (let v = 0; v < world.vcpuCount; v++) if (world.vActive[v] && world.vNode[v] >= 0) n++;
  return n;
}

/**
 * Per replica, where its accesses' chunks are (m, over local nodes, for its non-NET accesses),
 * drawn from in O(1), with the quantities of the hop model. Rebuilt after every event (under
 * `vcpu` memory moves only then).
 */
export class HopTables {
  readonly nu: Float64Array;
  readonly p: Float64Array;
  readonly off: Int32Array;
  readonly len: Int32Array;
  readonly node: Int32Array;
  readonly share: Float64Array;
  readonly alias: AliasTables;
  /** Per replica and node of its list: chance an access from there moves the vCPU, mean cost of that move, cost per access of what leaves the SDS. */
  readonly pmove: Float64Array;
  readonly moveCostAt: Float64Array;
  readonly netCostAt: Float64Array;
  /** Per replica and node of its list, this tick: vCPU moves that start there, their stall, accesses made there (traffic). */
  readonly atMoves: Float64Array;
  readonly atCost: Float64Array;
  readonly atAcc: Float64Array;
  /** Per replica and shared entry: chance an access to it is local (vCPU at a draw from m, chunk at a draw from the region). */
  private readonly edgeLocal: Float64Array;
  private readonly edgeOff: Int32Array;
  private readonly edgeOf: Int32Array;
  private readonly edgeProb: Float64Array;

  constructor(world: SdsWorld, init: { nu: Float64Array; p: Float64Array; off: Int32Array; len: Int32Array; node: Int32Array; share: Float64Array; alias: AliasTables; edgeLocal: Float64Array; edgeOff: Int32Array; edgeOf: Int32Array; edgeProb: Float64Array }) {
    this.nu = init.nu; this.p = init.p; this.off = init.off; this.len = init.len; this.node = init.node; this.share = init.share; this.alias = init.alias;
    this.edgeLocal = init.edgeLocal; this.edgeOff = init.edgeOff; this.edgeOf = init.edgeOf; this.edgeProb = init.edgeProb;
    const n = this.node.length;
    this.pmove = new Float64Array(n);
    this.moveCostAt = new Float64Array(n);
    this.netCostAt = new Float64Array(n);
    this.atMoves = new Float64Array(n);
    this.atCost = new Float64Array(n);
    this.atAcc = new Float64Array(n);
    for (let r = 0; r < this.off.length; r++) {
      for (let i = 0; i < this.len[r]; i++) {
        const k = this.off[r] + i;
        const x = this.node[k];
        this.pmove[k] = Math.max(0, 1 - this.nu[r] - this.share[k]);
        this.moveCostAt[k] = this.moveCost(world, r, x);
        this.netCostAt[k] = this.netCost(world, r, x);
      }
    }
  }

  /** Index of `node` in `replica`'s list, or -1. */
  indexOf(replica: number, node: number): number {
    const o = this.off[replica];
    for (let i = 0; i < this.len[replica]; i++) if (this.node[o + i] === node) return i;
    return -1;
  }

  /** Mean cost of one move from x to where the replica's other chunks are. */
  moveCost(world: SdsWorld, replica: number, node: number): number {
    const o = this.off[replica];
    let weight = 0;
    let cost = 0;
    for (let i = 0; i < this.len[replica]; i++) {
      const y = this.node[o + i];
      if (y === node) continue;
      weight += this.share[o + i];
      cost += this.share[o + i] * world.costs.vcpuMove(node, y);
    }
    return weight > 0 ? cost / weight : world.costs.vcpuMove(node, node);
  }

  /** Cost per access of the replica's accesses that leave the SDS, from `node`. */
  netCost(world: SdsWorld, replica: number, node: number): number {
    const c = world.rContainer[replica];
    const end = world.cEntryOff[c] + world.cEntryCount[c];
    let cost = 0;
    for (let e = world.cEntryOff[c]; e < end; e++) if (world.entKind[e] === ENTRY_NET) cost += world.entProb[e] * world.costs.outside(node, world.entNetRack[e]);
    return cost;
  }

  recordEdges(rec: Recorder, bucket: number, replica: number, accesses: number): void {
    for (let i = this.edgeOff[replica]; i < this.edgeOff[replica + 1]; i++) {
      const k = bucket * rec.edges + this.edgeOf[i];
      rec.edgeAcc[k] += accesses * this.edgeProb[i];
      rec.edgeLocal[k] += accesses * this.edgeProb[i] * this.edgeLocal[i];
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
  const regionOn = (region: number, side: number, node: number): number => {
    const s = t.slotOf(region, node);
    if (s < 0) return 0;
    let sum = 0;
    for (let b = 0; b < w.regBands[region]; b++) sum += (w.bandMass[(w.regBand0[region] + b) * 2 + side] * t.own[t.cell(region, b, s)]) / w.bandSize[w.regBand0[region] + b];
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
  return new HopTables(w, {
    nu, p, off, len, node: Int32Array.from(nodes), share: Float64Array.from(shares), alias,
    edgeLocal: Float64Array.from(edgeLocal), edgeOff, edgeOf: Int32Array.from(edgeOf), edgeProb: Float64Array.from(edgeProb),
  });
}

/**
 * The tick's traffic under `vcpu`: the moves that start on node x go to the replica's other
 * nodes in proportion to its memory there (where its next chunk is), their stall with them; the
 * accesses that leave the SDS go from where they were made. A vCPU not yet on a node of its
 * memory moves from the node it started the tick on.
 */
function flushHopTraffic(st: EngineState, b: number): void {
  const { w } = st;
  const hop = st.hop;
  if (!hop) return;
  const sc = st.hopScratch(w.vcpuCount);
  for (let r = 0; r < w.replicaCount; r++) {
    if (!w.rActive[r]) continue;
    const c = w.rContainer[r];
    for (let k = 0; k < hop.len[r]; k++) {
      const i = hop.off[r] + k;
      hopFrom(st, hop, b, r, c, hop.node[i], hop.atMoves[i], hop.atCost[i], hop.atAcc[i]);
    }
  }
  for (let v = 0; v < w.vcpuCount; v++) {
    if (sc.strayAcc[v] <= 0 || st.vFrom[v] < 0) continue;
    const r = w.vReplica[v];
    hopFrom(st, hop, b, r, w.rContainer[r], st.vFrom[v], sc.strayMoves[v], sc.strayCost[v], sc.strayAcc[v]);
  }
}

/** `moves` (costing `cost`) and `accesses` of replica r (container c, local) from local node x. */
function hopFrom(st: EngineState, hop: HopTables, b: number, r: number, c: number, x: number, moves: number, cost: number, accesses: number): void {
  const { w, rec } = st;
  const cm = w.cModel[c];
  const from = w.nodeId[x];
  if (moves > 0) {
    let weight = 0;
    for (let k = 0; k < hop.len[r]; k++) if (hop.node[hop.off[r] + k] !== x) weight += hop.share[hop.off[r] + k];
    for (let k = 0; k < hop.len[r] && weight > 0; k++) {
      const y = hop.node[hop.off[r] + k];
      if (y === x) continue;
      const q = hop.share[hop.off[r] + k] / weight;
      flow(rec, b, cm, from, w.nodeId[y], moves * q * VCPU_STATE_BYTES);
    }
  }
  if (accesses > 0 && hop.nu[r] > 0) {
    const end = w.cEntryOff[c] + w.cEntryCount[c];
    const here = rec.rackOf[from];
    for (let e = w.cEntryOff[c]; e < end; e++) {
      if (w.entKind[e] !== ENTRY_NET) continue;
      const bytes = accesses * w.entProb[e] * LINE_BYTES;
      nodeEnd(rec, b, cm, from, bytes, true);
      onLink(rec, b, cm, here === w.entNetRack[e] ? here : rec.links - 1, bytes);
    }
  }
}
