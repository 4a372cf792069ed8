import * as gainm from './gains';
import type { Projection } from './gains';
import { addRates } from './rates';
import { replicaActive, slicing, type EngineState } from './state';
import { flow } from './traffic';
import * as costm from './costs';
import * as worldm from './world';
import type { TickContext } from './context';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const ENTRY_NET = worldm.ENTRY_NET;
const ENTRY_PRIVATE = worldm.ENTRY_PRIVATE;
const VCPU_STATE_BYTES = costm.VCPU_STATE_BYTES;
const moveGain = gainm.moveGain;
const MIN_GAIN = gainm.MIN_GAIN;
const newProjection = gainm.newProjection;
const projectedStall = gainm.projectedStall;
const regionRates = gainm.regionRates;

/*
 * Where vCPUs go besides `vcpu`'s hopping: the hypervisor's work stealing for idle cores, and
 * `cost`'s moves towards memory, both weighed by gains.ts once per hysteresis window.
 */

/** Each vCPU's accesses per second if every access that is not local were served remotely. */
export function rateServingRemotely(st: EngineState): void {
  const { w } = st;
  const proj: Projection = { stall: 0, capture: 0 };
  for (let r = 0; r < w.replicaCount; r++) {
    if (!w.rActive[r]) continue;
    const c = w.rContainer[r];
    // memory of a quiet replica is where it was: its vCPUs' stall serving remotely too (time slicing may differ)
    const changed = replicaActive(st, r);
    const mark = ++st.stampValue;
    for (let j = 0; j < w.cVcpus[c]; j++) {
      const v = w.rVcpu0[r] + j;
      const x = w.vNode[v];
      if (!w.vActive[v] || x < 0) continue;
      if (changed || st.vStallRemote[v] < 0) {
        if (st.stamp[x] !== mark) {
          st.stamp[x] = mark;
          projectedRemote(st.ctx, r, x, proj);
          st.nodeStall[x] = proj.stall;
        }
        st.vStallRemote[v] = st.nodeStall[x];
      }
      const kappa = slicing(w, x);
      st.vRateRemote[v] = 1 / (kappa / st.cfg.rho + st.vStallRemote[v]);
    }
  }
}

/**
 * Work stealing: while a node runs more vCPUs than it has usable cores and another has an
 * idle core, the vCPU whose move gains most (contention relieved on both nodes against the
 * memory it leaves behind and the move's cost) moves, when the gain is positive. Returns
 * whether anything moved. (A vCPU that would gain by being nearer its memory is the policy's
 * business, not the scheduler's: `cost` weighs those moves in planVcpuMoves.)
 *
 * Greedy, best move first, evaluated lazily: a move only lowers the gains of the others (its
 * source is less crowded, its destination less idle; no node turns busy or idle by it), so a
 * candidate re-weighed when it comes to the top and still ahead of the next is the best move.
 * Where memory is does not change while the scheduler works, so each (replica, from, to)
 * projection is computed once per call.
 */
export function balance(st: EngineState, tick: number, homing: boolean): boolean {
  const { w, ctx } = st;
  // a move relieves a node's contention by at most its overload: below MIN_GAIN nothing there is worth stealing
  const busy = (node: number): boolean => w.alive[node] === 1 && w.load[node] > w.usable[node] + MIN_GAIN;
  const idleNow = (node: number): boolean => w.alive[node] === 1 && w.load[node] + 1 <= w.usable[node];
  const idle: number[] = [];
  const crowded: number[] = [];
  for (let n = 0; n < w.nodeCount; n++) {
    if (busy(n)) crowded.push(n);
    else if (idleNow(n)) idle.push(n);
  }
  if (!crowded.length || !idle.length) return false;
  const projections = new Map<number, Projection>();
  const projection = (replica: number, from: number, to: number, vcpu: number): Projection => {
    const key = (replica * w.nodeCount + from) * w.nodeCount + to;
    let p = projections.get(key);
    if (!p) projections.set(key, (p = projectedStall(ctx, replica, from, to, st.vRateRemote[vcpu], homing, newProjection())));
    return p;
  };
  /**
   * Where a vCPU may go: the idle nodes that have a slot in one of the regions it touches (they
   * hold some of it, copies of it, or touch it), and in each rack the idle nodes that have none
   * and that no other such node beats on both spare cores and free memory. Nodes of a rack
   * without a slot differ for it only by those two (the gain grows with both), so the others
   * cannot gain more: the result is the best move over all idle nodes.
   */
  const rackOf = (node: number): number => w.model.nodes[w.nodeId[node]].rack;
  const spareCores = (node: number): number => w.usable[node] - w.load[node];
  const freeMemory = (node: number): number => w.memCap[node] - w.memUsed[node];
  /** Idle nodes by rack, then most spare cores, then most free memory (until the next move). */
  let order: number[] | null = null;
  const destinations = (vcpu: number): number[] => {
    const out: number[] = [];
    forEachRegion(st, vcpu, (g) => {
      for (let s = 0; s < w.slots.count[g]; s++) {
        const n = w.slots.nodeOf(g, s);
        if (idleNow(n) && !out.includes(n)) out.push(n);
      }
    });
    if (!order) {
      order = idle.filter(idleNow);
      order.sort((a, b) => rackOf(a) - rackOf(b) || spareCores(b) - spareCores(a) || freeMemory(b) - freeMemory(a) || a - b);
    }
    let rack = -1;
    let most = -Infinity;
    for (const o of order) {
      if (out.includes(o)) continue;
      if (rackOf(o) !== rack) { rack = rackOf(o); most = -Infinity; }
      if (freeMemory(o) > most) { out.push(o); most = freeMemory(o); }
    }
    return out;
  };
  /** The best move of a vCPU of `replica` on node `from` to an idle node, as things stand. */
  const weigh = (replica: number, from: number): Candidate | undefined => {
    if (!busy(from)) return undefined;
    const c = w.rContainer[replica];
    let v = -1;
    for (let j = 0; j < w.cVcpus[c] && v < 0; j++) {
      const u = w.rVcpu0[replica] + j;
      if (w.vActive[u] && w.vNode[u] === from && tick - w.vLastMove[u] >= st.cfg.hysteresis) v = u;
    }
    if (v < 0) return undefined;
    const here = projection(replica, from, from, v);
    let gain = 0;
    let to = -1;
    for (const o of destinations(v)) {
      const g = moveGain(ctx, v, o, here, projection(replica, from, o, v));
      if (g > gain) { gain = g; to = o; }
    }
    return to < 0 ? undefined : { gain, r: replica, v, o: to, x: from };
  };
  const heap: Candidate[] = [];
  const mark = ++st.stampValue;
  for (let v = 0; v < w.vcpuCount; v++) {
    const x = w.vNode[v];
    if (!w.vActive[v] || x < 0 || !busy(x)) continue;
    // vCPUs of one replica on one node gain the same: weigh one of them
    const r = w.vReplica[v];
    if (st.replicaMark[r] === mark && st.markNode[r] === x) continue;
    st.replicaMark[r] = mark;
    st.markNode[r] = x;
    const cand = weigh(r, x);
    if (cand) heap.push(cand);
  }
  heap.sort(byGain);
  let moved = false;
  while (heap.length > 0) {
    const top = heap.shift()!;
    const now = weigh(top.r, top.x!);
    if (!now) continue;
    if (heap.length && byGain(now, heap[0]) > 0) { insertSorted(heap, now); continue; }
    moveVcpu(st, now.v, now.o, tick, 0);
    order = null;
    st.vFrom[now.v] = now.o;
    st.vAt[now.v] = 1;
    moved = true;
    const next = weigh(now.r, now.x!);
    if (next) insertSorted(heap, next);
  }
  return moved;
}

/** Moves `vcpu` to node `to`, charging its container the move (`at`: share of the tick before it). */
export function moveVcpu(st: EngineState, vcpu: number, to: number, tick: number, at: number): void {
  const { w, rec } = st;
  const x = w.vNode[vcpu];
  const cost = w.costs.vcpuMove(x, to);
  w.vcpusOn[x]--;
  w.vcpusOn[to]++;
  w.load[x] -= w.vDemand[vcpu];
  w.load[to] += w.vDemand[vcpu];
  w.vNode[vcpu] = to;
  st.vStallRemote[vcpu] = -1;
  w.vLastMove[vcpu] = tick;
  st.vAt[vcpu] = at;
  const b = rec.bucketOf((tick + at) * st.cfg.dt);
  const c = w.cModel[w.vContainer[vcpu]];
  rec.vcpuMoves[b]++;
  rec.bytes[b] += VCPU_STATE_BYTES;
  flow(rec, b, c, w.nodeId[x], w.nodeId[to], VCPU_STATE_BYTES);
  rec.stallTotal[b] += cost;
  rec.stall[b * rec.containers + c] += cost;
  rec.moveStall[b * rec.containers + c] += cost;
  rec.moves[b * rec.containers + c]++;
}

/**
 * `cost` weighs, on a stall towards node o, moving the vCPU there (gains.ts). A vCPU that has
 * memory on o stalls towards it thousands of times a tick, so the first such stall comes at
 * the start of the tick: the moves are applied there. Once per hysteresis window every
 * replica's best move (one of its vCPUs from its node to a node holding its memory) is
 * weighed, and moves are made greedily, best first, each re-weighed just before it is made
 * (the moves before it change time slicing and where memory is touched from), until none pays.
 */
export function planVcpuMoves(st: EngineState, tick: number): void {
  const { w, ctx } = st;
  const here = newProjection();
  const there = newProjection();
  const best = (replica: number): { gain: number; v: number; o: number } => {
    let gain = 0;
    let bv = -1;
    let bo = -1;
    const c = w.rContainer[replica];
    const mark = ++st.stampValue;
    for (let j = 0; j < w.cVcpus[c]; j++) {
      const v = w.rVcpu0[replica] + j;
      const x = w.vNode[v];
      if (!w.vActive[v] || x < 0 || st.stamp[x] === mark || tick - w.vLastMove[v] < st.cfg.hysteresis) continue;
      st.stamp[x] = mark;
      const candidates = dataNodes(st, v);
      // all its memory where it is: no move towards memory can gain
      if (candidates.length === 0 || (candidates.length === 1 && candidates[0] === x)) continue;
      projectedStall(ctx, replica, x, x, st.vRateRemote[v], true, here);
      for (const o of candidates) {
        if (o === x) continue;
        projectedStall(ctx, replica, x, o, st.vRateRemote[v], true, there);
        const g = moveGain(ctx, v, o, here, there);
        if (g > gain) { gain = g; bv = v; bo = o; }
      }
    }
    return { gain, v: bv, o: bo };
  };
  const heap: { gain: number; r: number; v: number; o: number }[] = [];
  for (let r = 0; r < w.replicaCount; r++) {
    if (!w.rActive[r] || !replicaActive(st, r)) continue;
    const b = best(r);
    if (b.v >= 0) heap.push({ gain: b.gain, r, v: b.v, o: b.o });
  }
  heap.sort(byGain);
  for (let guard = 0; heap.length > 0 && guard < 4 * w.vcpuCount; guard++) {
    const top = heap.shift()!;
    // re-weigh this move now (the moves before it changed time slicing and rates)
    const v = top.v;
    const x = w.vNode[v];
    if (tick - w.vLastMove[v] < st.cfg.hysteresis || x < 0) {
      const b = best(top.r);
      if (b.v >= 0) insertSorted(heap, { gain: b.gain, r: top.r, v: b.v, o: b.o });
      continue;
    }
    projectedStall(ctx, top.r, x, x, st.vRateRemote[v], true, here);
    projectedStall(ctx, top.r, x, top.o, st.vRateRemote[v], true, there);
    const gain = moveGain(ctx, v, top.o, here, there);
    if (gain <= 0) continue;
    if (heap.length && gain < heap[0].gain) { insertSorted(heap, { ...top, gain }); continue; }
    moveVcpu(st, v, top.o, tick, 0);
    st.vFrom[v] = top.o;
    // where memory is touched from changed: the bands' rates and homes follow
    addRates(st, v, x, -st.vRateRemote[v], 1);
    addRates(st, v, top.o, st.vRateRemote[v], 1);
    forEachRegion(st, v, (g) => regionRates(ctx, g));
    // another vCPU of the replica may move next
    const b = best(top.r);
    if (b.v >= 0) insertSorted(heap, { gain: b.gain, r: top.r, v: b.v, o: b.o });
  }
}

/** Calls fn for every region `vcpu` accesses. */
export function forEachRegion(st: EngineState, vcpu: number, fn: (g: number) => void): void {
  const { w } = st;
  const c = w.vContainer[vcpu];
  const end = w.cEntryOff[c] + w.cEntryCount[c];
  for (let e = w.cEntryOff[c]; e < end; e++) {
    if (w.entKind[e] === ENTRY_NET) continue;
    fn(w.entKind[e] === ENTRY_PRIVATE ? w.rPrivate[w.vReplica[vcpu]] : w.entRegion[e]);
  }
}

/** Nodes that hold memory `vcpu` accesses. */
export function dataNodes(st: EngineState, vcpu: number): number[] {
  const { w } = st;
  const t = w.slots;
  const r = w.vReplica[vcpu];
  const c = w.vContainer[vcpu];
  const mark = ++st.dataStampValue;
  const out: number[] = [];
  const end = w.cEntryOff[c] + w.cEntryCount[c];
  for (let e = w.cEntryOff[c]; e < end; e++) {
    if (w.entKind[e] === ENTRY_NET || w.entProb[e] <= 0) continue;
    const g = w.entKind[e] === ENTRY_PRIVATE ? w.rPrivate[r] : w.entRegion[e];
    for (let s = 0; s < t.count[g]; s++) {
      const n = t.nodeOf(g, s);
      if (st.dataStamp[n] === mark) continue;
      let owned = 0;
      for (let b = 0; b < w.regBands[g] && owned <= 0; b++) owned += t.own[t.cell(g, b, s)];
      if (owned <= 0) continue;
      st.dataStamp[n] = mark;
      out.push(n);
    }
  }
  return out;
}

interface Candidate { readonly gain: number; readonly r: number; readonly v: number; readonly o: number; readonly x?: number }

function byGain(left: Candidate, right: Candidate): number {
  return right.gain - left.gain || left.r - right.r;
}

function insertSorted(heap: Candidate[], item: Candidate): void {
  let i = 0;
  while (i < heap.length && byGain(heap[i], item) <= 0) i++;
  heap.splice(i, 0, item);
}

/** Stall per access of `replica` on `node` serving every access that is not local remotely (the projection without homing). */
function projectedRemote(ctx: TickContext, replica: number, node: number, out: Projection): void {
  projectedStall(ctx, replica, node, node, 0, false, out);
}

