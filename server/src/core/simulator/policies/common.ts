import type { TickContext } from '../context';
import * as costm from '../costs';
import type { SdsWorld } from '../world';
import type { Outcome } from './types';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const LINE_BYTES = costm.LINE_BYTES;

/**
 * Per-chunk touches of a band in this tick from each slot, reads and writes apart: the
 * region's touch rate from the slot's node per side, times that side's share of the region
 * that falls in the band, over the band's chunks, over the tick.
 */
export function touches(ctx: TickContext, band: number, kind = 0): void {
  const { w, scratch } = ctx;
  const t = w.slots;
  const reg = w.bandRegion[band];
  const b = band - w.regBand0[reg];
  const size = w.bandSize[band];
  const m0 = w.bandMass[band * 2];
  const m1 = w.bandMass[band * 2 + 1];
  const c0 = w.regSide0[reg];
  const c1 = w.regSide1[reg];
  const w0 = c0 >= 0 ? w.cWrites[c0] : 0;
  const w1 = c1 >= 0 ? w.cWrites[c1] : 0;
  const per = kind === 0 ? (ctx.dt * scratch.steps[band]) / size : 1 / size;
  for (let s = 0; s < t.count[reg]; s++) {
    const r0 = t.rate[t.rateAt(reg, kind, 0, s)] * m0;
    const r1 = c1 >= 0 ? t.rate[t.rateAt(reg, kind, 1, s)] * m1 : 0;
    const cell = t.cell(reg, b, s);
    scratch.muRead[cell] = per * (r0 * (1 - w0) + r1 * (1 - w1));
    scratch.muWrite[cell] = per * (r0 * w0 + r1 * w1);
  }
}

/**
 * Per slot of the band: the average cost of bringing one of its chunks to the slot's node, and
 * of one remote access from there, over where the band's chunks are (ownAvg, filled first).
 */
export function linkCosts(ctx: TickContext, band: number): void {
  const { w, scratch } = ctx;
  const t = w.slots;
  const reg = w.bandRegion[band];
  const b = band - w.regBand0[reg];
  const n = t.count[reg];
  if (ctx.oneRack || n <= 1) {
    const a = t.nodeOf(reg, 0);
    const move = w.costs.chunkMove(a, a);
    const remote = w.costs.remote(a, a);
    for (let s = 0; s < n; s++) {
      const cell = t.cell(reg, b, s);
      scratch.moveCost[cell] = move;
      scratch.remoteCost[cell] = remote;
    }
    return;
  }
  for (let s = 0; s < n; s++) {
    const x = t.nodeOf(reg, s);
    let weight = 0;
    let move = 0;
    let remote = 0;
    for (let o = 0; o < n; o++) {
      if (o === s) continue;
      const q = scratch.ownAvg[t.cell(reg, b, o)];
      if (q <= 0) continue;
      const y = t.nodeOf(reg, o);
      weight += q;
      move += q * w.costs.chunkMove(x, y);
      remote += q * w.costs.remote(x, y);
    }
    const cell = t.cell(reg, b, s);
    scratch.moveCost[cell] = weight > 0 ? move / weight : w.costs.chunkMove(x, x);
    scratch.remoteCost[cell] = weight > 0 ? remote / weight : w.costs.remote(x, x);
  }
}

/** The slot table's cell of a band's slot (where `outcome` reads the band's state). */
export function bandCell(w: SdsWorld, band: number, slot: number): number {
  const reg = w.bandRegion[band];
  return w.slots.cell(reg, band - w.regBand0[reg], slot);
}

/** An access that is local with chance `local` and otherwise served remotely. */
export function servedRemotely(local: number, remoteCost: number, out: Outcome): void {
  const miss = 1 - local;
  out.local = local;
  out.stall = miss * remoteCost;
  out.moveStall = 0;
  out.captures = 0;
  out.copies = 0;
  out.remotes = miss;
  out.bytes = miss * LINE_BYTES;
}

/**
 * The costs of an access whose outcome shares are set (`captures` and `copies` bring the chunk,
 * at `moveCost` each; `remotes` are served remotely), and of the read copies a write
 * invalidates (`invalidated`: one remote message each, the write waiting for one at most).
 */
export function charge(out: Outcome, moveCost: number, remoteCost: number, chunkBytes: number, invalidated: number): void {
  out.moveStall = (out.captures + out.copies) * moveCost;
  out.stall = out.moveStall + out.remotes * remoteCost + Math.min(1, invalidated) * remoteCost;
  out.bytes = (out.captures + out.copies) * chunkBytes + (out.remotes + invalidated) * LINE_BYTES;
}

/** The slot of the band's home (the node its chunks move to), or -1 when it has none among the region's `count` slots. */
export function homeSlot(home: Int32Array, band: number, count: number): number {
  return home[band] < count ? home[band] : -1;
}

/**
 * `prepare` of a policy under which chunks do not move: the band's chunks stay where the table
 * has them over the tick (ownAvg; copAvg from the table's read copies, or 0 when the policy
 * ignores them), then the link costs.
 */
export function stayPut(ctx: TickContext, band: number, copies: boolean): void {
  const { w, scratch } = ctx;
  const t = w.slots;
  const reg = w.bandRegion[band];
  const b = band - w.regBand0[reg];
  const size = w.bandSize[band];
  for (let s = 0; s < t.count[reg]; s++) {
    const cell = t.cell(reg, b, s);
    scratch.ownAvg[cell] = t.own[cell] / size;
    scratch.copAvg[cell] = copies ? t.cop[cell] / size : 0;
  }
  linkCosts(ctx, band);
}
