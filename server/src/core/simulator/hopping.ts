import { AliasTables } from './alias';
import type { TickContext } from './context';
import type { EngineState } from './state';
import type { Recorder } from './stats';
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
export function hopping(st: EngineState, t: number): void {
  const { w, rec, ctx } = st;
  if (!st.hop) st.hop = buildHopTables(st.ctx);
  const hop = st.hop;
  const S = st.cfg.samples;
  const rho = st.cfg.rho;
  const rng = ctx.rng;
  const V = w.vcpuCount;
  const acc = st.hopAcc.length === V ? st.hopAcc : (st.hopAcc = new Float64Array(V));
  const stall = st.hopStall.length === V ? st.hopStall : (st.hopStall = new Float64Array(V));
  const kappa = st.hopKappa.length === V ? st.hopKappa : (st.hopKappa = new Float64Array(V));
  acc.fill(0); stall.fill(0); kappa.fill(0);
  const b = rec.bucketOf((t + 0.5) * st.cfg.dt);
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
    st.vKappa[v] = k;
    st.vStall[v] = s;
    w.vRate[v] = 1 / (k / rho + s);
  }
}

/**
 * Per replica, where its accesses' chunks are (m, over local nodes, for its non-NET accesses),
 * drawn from in O(1), with the quantities of the hop model. Rebuilt after every event (under
 * `vcpu` memory moves only then).
 */
export class HopTables {
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
