import * as statem from './state';
import type { EngineState } from './state';
import { computeRates } from './rates';
import * as costm from './costs';
import * as trafficm from './traffic';
import * as worldm from './world';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const ENTRY_NET = worldm.ENTRY_NET;
const ENTRY_PRIVATE = worldm.ENTRY_PRIVATE;
const ENTRY_SHARED = worldm.ENTRY_SHARED;
const REGION_BULK = worldm.REGION_BULK;
const LINE_BYTES = costm.LINE_BYTES;
const slicing = statem.slicing;
const nodeEnd = trafficm.nodeEnd;
const onLink = trafficm.onLink;

/**
 * The tick's accesses in expectation: every band's closed form (the policy's `prepare`) given
 * how often each node touches it, the cost of every vCPU's accesses, and the vCPUs' access
 * rates, which depend on those costs (a stalled vCPU issues fewer): iterated to a fixed point
 * when chunks move. Then the accounting and the bands' new state.
 */
export function bandPhase(st: EngineState, tick: number): void {
  const { ctx, policy, w } = st;
  ctx.accept.fill(1);
  st.prepared.fill(0);
  const rates = st.previousRates.length === w.vcpuCount ? st.previousRates : (st.previousRates = new Float64Array(w.vcpuCount));
  // the access rates follow the costs, which (when chunks move) follow the access rates
  for (let it = 0; ; it++) {
    rates.set(w.vRate);
    computeRates(st, 0);
    prepareBands(st, false, tick);
    for (let k = 0; k < 3 && limitInflow(st); k++) prepareBands(st, true, tick);
    const last = !policy.movesChunks || it === 3;
    evaluate(st, tick, last);
    if (last) break;
    if (maxRelativeChange(rates, w.vRate, w.vActive) < 0.01) { evaluate(st, tick, true); break; }
  }
  serveRegions(st, st.rec.bucketOf((tick + 0.5) * st.cfg.dt));
  commitBands(st, tick);
  st.regionDirty.fill(0);
}

/**
 * The serving end of the tick's remote bytes: what each slot's node asked of a region's side
 * goes out of the NICs of the nodes that own its chunks, each other node o in proportion to
 * its owned share W_o (the bytes of slot s reach o with chance W_o / (W - W_s)), summed in O(n)
 * per side: o sends W_o (sum_s D_s / (W - W_s) - D_o / (W - W_o)).
 */
export function serveRegions(st: EngineState, b: number): void {
  const { w, agg, rec } = st;
  const t = w.slots;
  for (let g = 0; g < w.regionCount; g++) {
    if (w.regKind[g] === REGION_BULK) continue;
    const n = t.count[g];
    for (let side = 0; side < 2; side++) {
      const c = side === 0 ? w.regSide0[g] : w.regSide1[g];
      if (c < 0) continue;
      let any = false, total = 0, sum = 0;
      for (let s = 0; s < n; s++) { const i = t.sideAt(g, side, s); if (agg.served[i] > 0) any = true; total += agg.owner[i]; }
      if (!any) continue;
      for (let s = 0; s < n; s++) { const i = t.sideAt(g, side, s); const rest = total - agg.owner[i]; if (rest > 1e-12) sum += agg.served[i] / rest; }
      const cm = w.cModel[c];
      for (let o = 0; o < n; o++) {
        const i = t.sideAt(g, side, o);
        const rest = total - agg.owner[i];
        const out = agg.owner[i] * (sum - (rest > 1e-12 ? agg.served[i] / rest : 0));
        if (out > 0) nodeEnd(rec, b, cm, w.nodeId[t.nodeOf(g, o)], out, false);
      }
      for (let s = 0; s < n; s++) agg.served[t.sideAt(g, side, s)] = 0;
    }
  }
}

/** Commits the bands prepared this tick; a band whose state did not change is clean until something changes it. */
export function commitBands(st: EngineState, tick: number): void {
  const { ctx, policy, w } = st;
  const t = w.slots;
  const dirty = ctx.dirty.bands;
  for (let band = 0; band < w.bandCount; band++) {
    if (!st.prepared[band]) continue;
    const reg = w.bandRegion[band];
    const b = band - w.regBand0[reg];
    const n = t.count[reg];
    const base = t.cellBase[reg] + b * t.cap[reg];
    const snap = st.snapshot.length >= 2 * n ? st.snapshot : (st.snapshot = new Float64Array(2 * Math.max(n, 16)));
    for (let s = 0; s < n; s++) { snap[s] = t.own[base + s]; snap[n + s] = t.cop[base + s]; }
    policy.commit(ctx, band);
    let change = 0;
    for (let s = 0; s < n; s++) change = Math.max(change, Math.abs(t.own[base + s] - snap[s]), Math.abs(t.cop[base + s] - snap[n + s]));
    // per tick, as a share of the band
    const rate = change / (ctx.scratch.steps[band] * w.bandSize[band]);
    st.since[band] = tick;
    if (rate > CLEAN) st.regionActive[reg] = 1;
    if (rate <= CLEAN) { dirty[band] = 0; st.due[band] = NEVER; }
    else if (rate < SLOW) { dirty[band] = 0; st.due[band] = tick + Math.max(2, Math.min(MAX_STEPS, Math.floor(SLOW_STEP / rate))); }
    else { dirty[band] = 1; st.due[band] = NEVER; }
  }
}

/** A band whose state changes by less than this share per tick is at its fixed point: it is prepared again only when something changes it. */
const CLEAN = 1e-12;
/**
 * A band that changes by less than SLOW per tick (a cold band draining slowly) is stepped several
 * ticks at once: its closed form composes exactly for constant rates, and its outcomes change by
 * at most SLOW_STEP meanwhile.
 */
const SLOW = 1e-5;
const SLOW_STEP = 1e-3;
const MAX_STEPS = 64;
const NEVER = 0x7fffffff;

/** Prepares the bands that changed (or all), and the aggregates of their regions. */
export function prepareBands(st: EngineState, all: boolean, tick: number): void {
  const { w, ctx, policy } = st;
  ctx.scratch.fit(w.slots.cellCount, w.bandCount);
  ctx.demand.fill(0);
  const dirty = ctx.dirty.bands;
  const steps = ctx.scratch.steps;
  for (let g = 0; g < w.regionCount; g++) {
    if (w.regKind[g] === REGION_BULK) continue;
    let any = st.regionDirty[g] === 1 || all;
    const b0 = w.regBand0[g];
    const b1 = b0 + w.regBands[g];
    for (let band = b0; band < b1; band++) {
      if (!(all || st.regionDirty[g] || dirty[band] || tick >= st.due[band])) continue;
      if (st.stepTick[band] !== tick) {
        // a slow band catches up the ticks it skipped; any other band steps one tick
        steps[band] = st.due[band] !== NEVER ? Math.max(1, tick - st.since[band]) : 1;
        st.stepTick[band] = tick;
      }
      policy.prepare(ctx, band);
      st.prepared[band] = 1;
      any = true;
    }
    if (any) aggregateRegion(st, g);
  }
}

/** Lowers the share of incoming memory a node accepts where the bands want more than it has free. */
export function limitInflow(st: EngineState): boolean {
  const { w, ctx } = st;
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
export function aggregateRegion(st: EngineState, region: number): void {
  const { w, ctx, policy, out, outWrite } = st;
  const t = w.slots;
  const agg = st.agg.fit(t.sideCount);
  const band0 = w.regBand0[region];
  const split = !ctx.oneRack && bandShares(st, region);
  const scratch = ctx.scratch;
  const R = w.model.racks.length;
  for (let side = 0; side < 2; side++) {
    const c = side === 0 ? w.regSide0[region] : w.regSide1[region];
    if (c < 0) continue;
    const writes = w.cWrites[c];
    const reads = 1 - writes;
    for (let s = 0; s < t.count[region]; s++) {
      const i = t.sideAt(region, side, s);
      if (!(t.rate[t.rateAt(region, 0, side, s)] > 0)) { agg.clear(i); continue; }
      let local = 0, stall = 0, moveStall = 0, captures = 0, copies = 0, bytes = 0, fabric = 0, owner = 0;
      const rack = st.rackOfLocal[t.nodeOf(region, s)];
      for (let b = 0; b < w.regBands[region]; b++) {
        const band = band0 + b;
        const m = w.bandMass[band * 2 + side];
        if (m <= 0) continue;
        policy.outcome(ctx, band, s, false, out);
        policy.outcome(ctx, band, s, true, outWrite);
        const q = scratch.ownAvg[t.cell(region, b, s)];
        owner += m * q;
        if (split) {
          // a miss goes to another node with chance in proportion to what it owns: across racks (Q - Q_rack) / (Q - q)
          const rest = st.bandOwned[b] - q;
          const f = rest > 1e-12 ? Math.max(0, st.bandOwned[b] - st.bandRackOwned[b * R + rack]) / rest : 0;
          fabric += f * m * (reads * out.bytes + writes * outWrite.bytes);
        }
        local += m * (reads * out.local + writes * outWrite.local);
        stall += m * (reads * out.stall + writes * outWrite.stall);
        moveStall += m * (reads * out.moveStall + writes * outWrite.moveStall);
        captures += m * (reads * out.captures + writes * outWrite.captures);
        copies += m * (reads * out.copies + writes * outWrite.copies);
        bytes += m * (reads * out.bytes + writes * outWrite.bytes);
      }
      agg.local[i] = local; agg.stall[i] = stall; agg.moveStall[i] = moveStall;
      agg.captures[i] = captures; agg.copies[i] = copies; agg.bytes[i] = bytes;
      agg.fabric[i] = fabric; agg.owner[i] = owner;
    }
  }
}

/** Per band of the region: the time-averaged owned share over all its slots, and per rack (for the fabric's share of misses); false when there is none. */
function bandShares(st: EngineState, region: number): boolean {
  const { w } = st;
  const t = w.slots;
  const nb = w.regBands[region];
  const R = w.model.racks.length;
  if (st.bandOwned.length < nb) st.bandOwned = new Float64Array(2 * nb);
  if (st.bandRackOwned.length < nb * R) st.bandRackOwned = new Float64Array(2 * nb * R);
  const own = st.ctx.scratch.ownAvg;
  for (let b = 0; b < nb; b++) {
    let sum = 0;
    for (let r = 0; r < R; r++) st.bandRackOwned[b * R + r] = 0;
    for (let s = 0; s < t.count[region]; s++) {
      const q = own[t.cell(region, b, s)];
      sum += q;
      st.bandRackOwned[b * R + st.rackOfLocal[t.nodeOf(region, s)]] += q;
    }
    st.bandOwned[b] = sum;
  }
  return true;
}

/**
 * Every active replica's accesses of the tick, node by node: their expected stall per access
 * sets each vCPU's access rate for the tick; with `record` their outcomes go to the statistics.
 */
export function evaluate(st: EngineState, tick: number, record: boolean): void {
  const { w } = st;
  const dt = st.cfg.dt;
  const rho = st.cfg.rho;
  const acc = st.nodeAcc;
  const busy = st.nodeBusy;
  for (let r = 0; r < w.replicaCount; r++) {
    if (!w.rActive[r]) continue;
    const c = w.rContainer[r];
    const v0 = w.rVcpu0[r];
    const nv = w.cVcpus[c];
    const mark = ++st.stampValue;
    let count = 0;
    for (let j = 0; j < nv; j++) {
      const v = v0 + j;
      if (!w.vActive[v]) continue;
      for (let part = 0; part < 2; part++) {
        const n = part === 0 ? st.vFrom[v] : w.vNode[v];
        if (n < 0 || st.stamp[n] === mark || (part === 0 ? st.vAt[v] <= 0 : st.vAt[v] >= 1)) continue;
        st.stamp[n] = mark;
        st.nodeStall[n] = replicaOnNode(st, r, n, 0, 0, tick, false);
        acc[n] = 0;
        busy[n] = 0;
        st.nodeList[count++] = n;
      }
    }
    for (let j = 0; j < nv; j++) {
      const v = v0 + j;
      if (!w.vActive[v]) continue;
      const at = st.vAt[v];
      const from = st.vFrom[v];
      const to = w.vNode[v];
      const stall = (from >= 0 && at > 0 ? at * st.nodeStall[from] : 0) + (to >= 0 && at < 1 ? (1 - at) * st.nodeStall[to] : 0);
      const kappa = to >= 0 ? slicing(w, to) : 1;
      st.vStall[v] = stall;
      st.vKappa[v] = kappa;
      w.vRate[v] = 1 / (kappa / rho + stall);
      if (!record) continue;
      const accesses = w.vRate[v] * dt;
      if (from >= 0 && at > 0) { acc[from] += accesses * at; busy[from] += accesses * at * kappa; }
      if (to >= 0 && at < 1) { acc[to] += accesses * (1 - at); busy[to] += accesses * (1 - at) * kappa; }
    }
    if (!record) continue;
    for (let i = 0; i < count; i++) {
      const n = st.nodeList[i];
      if (acc[n] > 0) replicaOnNode(st, r, n, acc[n], busy[n] / acc[n], tick, true);
    }
  }
}

/**
 * Expected stall per access of `replica`'s accesses from `node` this tick (from the region
 * aggregates); with `record`, `accesses` of them (time slicing `kappa`) go to the statistics.
 */
export function replicaOnNode(st: EngineState, replica: number, node: number, accesses: number, kappa: number, tick: number, record: boolean): number {
  const { w, rec, agg } = st;
  const tbl = w.slots;
  const c = w.rContainer[replica];
  const end = w.cEntryOff[c] + w.cEntryCount[c];
  let stall = 0, local = 0, moveStall = 0, captures = 0, copies = 0, bytes = 0, fabric = 0;
  const b = record ? rec.bucketOf((tick + 0.5) * st.cfg.dt) : 0;
  const rack = st.rackOfLocal[node];
  for (let e = w.cEntryOff[c]; e < end; e++) {
    const p = w.entProb[e];
    if (p <= 0) continue;
    if (w.entKind[e] === ENTRY_NET) {
      const cost = p * w.costs.outside(node, w.entNetRack[e]);
      stall += cost;
      bytes += p * LINE_BYTES;
      if (w.entNetRack[e] !== rack) fabric += p * LINE_BYTES;
      if (record && w.entEdge[e] >= 0) rec.edgeAcc[b * rec.edges + w.entEdge[e]] += accesses * p;
      continue;
    }
    const g = w.entKind[e] === ENTRY_PRIVATE ? w.rPrivate[replica] : w.entRegion[e];
    const s = tbl.slotOf(g, node);
    if (s < 0) { stall += p * w.costs.remote(node, node); continue; }
    const i = tbl.sideAt(g, w.entSide[e], s);
    stall += p * agg.stall[i];
    if (!record) continue;
    local += p * agg.local[i];
    moveStall += p * agg.moveStall[i];
    captures += p * agg.captures[i];
    copies += p * agg.copies[i];
    bytes += p * agg.bytes[i];
    fabric += p * agg.fabric[i];
    agg.served[i] += accesses * p * agg.bytes[i];
    if (w.entKind[e] === ENTRY_SHARED && w.entEdge[e] >= 0) {
      const k = b * rec.edges + w.entEdge[e];
      rec.edgeAcc[k] += accesses * p;
      rec.edgeLocal[k] += accesses * p * agg.local[i];
    }
  }
  if (record && accesses > 0) {
    const i = b * rec.containers + w.cModel[c];
    const compute = accesses / st.cfg.rho;
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
    rec.nodeCpu[b * rec.nodes + w.nodeId[node]] += compute;
    // the accessing end of the traffic, and the links (the serving end: serveRegions)
    const cm = w.cModel[c];
    nodeEnd(rec, b, cm, w.nodeId[node], accesses * bytes, true);
    onLink(rec, b, cm, rack, accesses * (bytes - fabric));
    if (fabric > 0) onLink(rec, b, cm, rec.links - 1, accesses * fabric);
  }
  return stall;
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

