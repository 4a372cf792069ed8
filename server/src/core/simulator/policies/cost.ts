import * as ctxm from '../context';
import type { TickContext } from '../context';
import * as common from './common';
import { EXACT_CAPTURE, EXACT_COPY, EXACT_REMOTE, type ExactMiss, type Outcome, type PolicyModule } from './types';
import * as worldm from '../world';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const REGION_BULK = worldm.REGION_BULK;
const linkCosts = common.linkCosts;
const touches = common.touches;
const charge = common.charge;
const bandCell = common.bandCell;
const homeSlot = common.homeSlot;
const decayAverage = ctxm.decayAverage;

/**
 * `cost`, after the design of distributed hypervisors: every choice is made in one unit,
 * seconds, over a horizon (COST_HORIZON): the stall time a move is expected to save against
 * the time it costs (transfer over the link's bandwidth and latency, plus the fixed overhead).
 *
 * Chunks, band by band, each tick (the rates are the ones the vCPUs would have if every
 * access that is not local were served remotely, gains.ts bandRates: the alternative a move
 * is weighed against):
 *  - the band's *home* is the node that touches its chunks most (it changes only when another
 *    node touches them HOME_MARGIN times more, and not within the hysteresis window);
 *  - a chunk on node o moves home on the home's next touch when the home's extra touches over
 *    the horizon save more than the move costs:  H (r_home - r_o) remote > move  (1, 2);
 *    chunks never move anywhere but home, so nothing bounces between two nodes (6);
 *  - a node x that reads the band gets read copies when its reads over the copy's expected
 *    life (until the next write to the chunk, at most H) save more than the copy costs (5),
 *    and it is not nearly full (4);
 *  - the rest is served remotely.
 * vCPUs (the engine's stall sampling, with `vcpuGain`): on a stall towards node o a vCPU moves
 * to o when its compute time over the horizon grows by more than the move costs, counting
 * where its memory will be once the bands it would then dominate have moved home, the time
 * slicing on both nodes for every vCPU there (3), and nothing within the hysteresis window.
 * docs/simulator.md gives the reasoning and the defaults.
 */
export const COST_HORIZON = 10;
export const HOME_MARGIN = 1.25;
/** A node whose memory is fuller than this takes no new copies. */
export const COPY_FULLNESS = 0.9;

export const costPolicy: PolicyModule = {
  balances: true,
  vcpuMoves: 'when-it-pays',
  movesChunks: true,
  plan(ctx: TickContext): void {
    const { w, active } = ctx;
    for (let band = 0; band < w.bandCount; band++) {
      const reg = w.bandRegion[band];
      if (w.regKind[reg] === REGION_BULK || (active && !active[reg])) continue;
      planBand(ctx, band);
    }
  },
  prepare(ctx: TickContext, band: number): void {
    const { w, scratch, accept } = ctx;
    const t = w.slots;
    const reg = w.bandRegion[band];
    const b = band - w.regBand0[reg];
    const size = w.bandSize[band];
    const n = t.count[reg];
    touches(ctx, band);
    const h = homeSlot(scratch.home, band, n);
    const hc = h >= 0 ? t.cell(reg, b, h) : -1;
    const lambda = h >= 0 ? (scratch.muRead[hc] + scratch.muWrite[hc]) * accept[t.nodeOf(reg, h)] : 0;
    const psi = decayAverage(lambda);
    const gone = -Math.expm1(-lambda);
    scratch.lambda[band] = lambda;
    scratch.psi[band] = psi;
    let enabledOwn = 0;
    let enabledAvg = 0;
    let writes = 0;
    for (let s = 0; s < n; s++) {
      const cell = t.cell(reg, b, s);
      const own = t.own[cell] / size;
      writes += scratch.muWrite[cell];
      if (s !== h && scratch.enabled[cell] && lambda > 0) {
        scratch.ownAvg[cell] = own * psi;
        enabledOwn += own;
        enabledAvg += own * psi;
      } else {
        scratch.ownAvg[cell] = own;
      }
    }
    if (h >= 0) {
      scratch.ownAvg[hc] += enabledOwn - enabledAvg;
      if (gone > 0 && enabledOwn > 0) ctx.demand[t.nodeOf(reg, h)] += enabledOwn * gone * size * w.chunkBytes;
    }
    let copies = 0;
    for (let s = 0; s < n; s++) {
      const cell = t.cell(reg, b, s);
      const x = t.nodeOf(reg, s);
      const create = scratch.replicate[cell] ? scratch.muRead[cell] * accept[x] : 0;
      const rate = create + writes;
      const c = t.cop[cell] / size;
      const eligible = Math.max(0, 1 - t.own[cell] / size - (s === h ? enabledOwn : 0));
      const target = rate > 0 ? (create * eligible) / rate : c;
      const avg = target + (c - target) * decayAverage(rate);
      scratch.copAvg[cell] = avg;
      scratch.copy[cell] = scratch.replicate[cell] ? accept[x] : 0;
      scratch.capture[cell] = s === h ? enabledAvg * accept[x] : 0;
      const next = target + (c - target) * Math.exp(-rate);
      if (next > c) ctx.demand[x] += (next - c) * size * w.chunkBytes;
      copies += avg;
    }
    scratch.copiesPerWrite[band] = copies;
    linkCosts(ctx, band);
  },
  outcome(ctx: TickContext, band: number, slot: number, write: boolean, out: Outcome): void {
    const { w, scratch } = ctx;
    const cell = bandCell(w, band, slot);
    const own = scratch.ownAvg[cell];
    const local = write ? own : Math.min(1, own + scratch.copAvg[cell]);
    const miss = 1 - local;
    const captures = Math.min(miss, scratch.capture[cell]);
    const rest = miss - captures;
    const copies = write ? 0 : rest * scratch.copy[cell];
    const remotes = rest - copies;
    const invalidated = write ? scratch.copiesPerWrite[band] : 0;
    out.local = local;
    out.captures = captures;
    out.copies = copies;
    out.remotes = remotes;
    charge(out, scratch.moveCost[cell], scratch.remoteCost[cell], w.chunkBytes, invalidated);
  },
  commit(ctx: TickContext, band: number): void {
    const { w, scratch, accept } = ctx;
    const t = w.slots;
    const reg = w.bandRegion[band];
    const b = band - w.regBand0[reg];
    const size = w.bandSize[band];
    const n = t.count[reg];
    const h = homeSlot(scratch.home, band, n);
    const lambda = scratch.lambda[band];
    const gone = -Math.expm1(-lambda);
    let writes = 0;
    for (let s = 0; s < n; s++) writes += scratch.muWrite[t.cell(reg, b, s)];
    // copies first (their targets use the ownership at the start of the tick)
    let enabledOwn = 0;
    for (let s = 0; s < n; s++) if (s !== h && scratch.enabled[t.cell(reg, b, s)] && lambda > 0) enabledOwn += t.own[t.cell(reg, b, s)];
    for (let s = 0; s < n; s++) {
      const cell = t.cell(reg, b, s);
      const x = t.nodeOf(reg, s);
      const create = scratch.replicate[cell] ? scratch.muRead[cell] * accept[x] : 0;
      const rate = create + writes;
      if (rate <= 0) continue;
      const c = t.cop[cell] / size;
      const eligible = Math.max(0, 1 - t.own[cell] / size - (s === h ? enabledOwn / size : 0));
      const target = (create * eligible) / rate;
      const next = (target + (c - target) * Math.exp(-rate)) * size;
      w.memUsed[x] += (next - t.cop[cell]) * w.chunkBytes;
      t.cop[cell] = next;
    }
    if (h < 0 || gone <= 0) return;
    const hc = t.cell(reg, b, h);
    for (let s = 0; s < n; s++) {
      const cell = t.cell(reg, b, s);
      if (s === h || !scratch.enabled[cell]) continue;
      const moved = t.own[cell] * gone;
      if (moved <= 0) continue;
      t.own[cell] -= moved;
      t.own[hc] += moved;
      w.memUsed[t.nodeOf(reg, s)] -= moved * w.chunkBytes;
      w.memUsed[t.nodeOf(reg, h)] += moved * w.chunkBytes;
    }
  },
  /** `--exact`: the plan's per-band decisions, applied to one real access: a read copy where the plan replicates, the chunk home where capture from its owner is enabled. */
  exactAction({ w, scratch }: TickContext, m: ExactMiss): number {
    const tbl = w.slots;
    const sx = tbl.slotOf(m.region, m.x);
    if (!m.write && sx >= 0 && scratch.replicate[tbl.cell(m.region, m.bandOffset, sx)] && m.room && !m.pinned) return EXACT_COPY;
    if (sx >= 0 && scratch.home[m.band] === sx && m.room && !m.pinned) {
      const so = tbl.slotOf(m.region, m.o);
      if (so >= 0 && scratch.enabled[tbl.cell(m.region, m.bandOffset, so)]) return EXACT_CAPTURE;
    }
    return EXACT_REMOTE;
  },
};

/** Home, capture sources and copy holders of one band, from the rates serving remotely. */
function planBand(ctx: TickContext, band: number): void {
  const { w, scratch, t: now } = ctx;
  const t = w.slots;
  const reg = w.bandRegion[band];
  const b = band - w.regBand0[reg];
  const n = t.count[reg];
  if (n === 0) return;
  const pinned = w.regPinned[reg] >= 0;
  let best = -1;
  let bestRate = 0;
  let writes = 0;
  for (let s = 0; s < n; s++) {
    const cell = t.cell(reg, b, s);
    const r = scratch.rate1[cell];
    writes += scratch.write1[cell];
    if (r > bestRate) { bestRate = r; best = s; }
  }
  let h = homeSlot(scratch.home, band, n);
  const before = h;
  if (h < 0 || (best !== h && now - scratch.homeSince[band] >= ctx.hysteresis && rateOf(ctx, reg, b, h) * HOME_MARGIN < bestRate)) {
    if (best !== h) scratch.homeSince[band] = now;
    h = best;
  }
  scratch.home[band] = h;
  let changed = h !== before;
  const life = Math.min(ctx.horizon, writes > 0 ? 1 / writes : Infinity);
  const hn = h >= 0 ? t.nodeOf(reg, h) : -1;
  const rh = h >= 0 ? rateOf(ctx, reg, b, h) : 0;
  for (let s = 0; s < n; s++) {
    const cell = t.cell(reg, b, s);
    const x = t.nodeOf(reg, s);
    let enabled = 0;
    if (!(pinned || h < 0 || s === h || t.own[cell] <= 0)) {
      const gain = ctx.horizon * (rh - rateOf(ctx, reg, b, s)) * w.costs.remote(hn, x);
      enabled = gain > w.costs.chunkMove(hn, x) ? 1 : 0;
    }
    if (scratch.enabled[cell] !== enabled) { scratch.enabled[cell] = enabled; changed = true; }
    // copies: reads over the copy's life save more than the copy costs, on a node that is not nearly full
    const owner = h >= 0 ? hn : x;
    const reads = scratch.rate1[cell] - scratch.write1[cell];
    const room = w.memUsed[x] < COPY_FULLNESS * w.memCap[x];
    const copy = !pinned && room && reads > 0 && life * reads * w.costs.remote(x, owner) > w.costs.chunkMove(x, owner) ? 1 : 0;
    if (scratch.replicate[cell] !== copy) { scratch.replicate[cell] = copy; changed = true; }
  }
  if (changed) ctx.dirty.bands[band] = 1;
}

function rateOf(ctx: TickContext, reg: number, bandOffset: number, slot: number): number {
  return ctx.scratch.rate1[ctx.w.slots.cell(reg, bandOffset, slot)];
}
