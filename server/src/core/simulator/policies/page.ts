import * as ctxm from '../context';
import type { TickContext } from '../context';
import * as common from './common';
import { EXACT_CAPTURE, EXACT_REMOTE, type ExactMiss, type Outcome, type PolicyModule } from './types';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const linkCosts = common.linkCosts;
const touches = common.touches;
const charge = common.charge;
const bandCell = common.bandCell;
const decayAverage = ctxm.decayAverage;

/**
 * `page`: on a stall the chunk comes to the vCPU (when its node has room; io buffers stay).
 *
 * Closed form over a tick. Each access picks a chunk of the band at random, so the sequence of
 * nodes that touch one chunk is independent from touch to touch, node n with chance pi_n
 * (its share of the band's touches). A touch from n *captures* the chunk (it moves to n if it
 * was elsewhere) with chance a_n, the share of incoming memory n accepts. Captures of one chunk
 * are then a Poisson stream of rate lambda = sum_n mu_n a_n per tick (mu_n: touches per chunk
 * from n in the tick), each by n with chance mu_n a_n / lambda, so after the tick
 *   own_n' = own_n e^-lambda + size (1 - e^-lambda) mu_n a_n / lambda
 * and over the tick a chunk is on n on average  own_n/size psi + (1 - psi) mu_n a_n / lambda,
 * psi = (1 - e^-lambda) / lambda. An access from n stalls when the chunk is elsewhere; the
 * stall moves it (chance a_n) or is served remotely. This is exact in expectation for the
 * interleaved accesses of all vCPUs, however many accesses a tick holds (two vCPUs on two nodes
 * that write one hot chunk make it bounce on most touches, as they would).
 */
export const pagePolicy: PolicyModule = {
  balances: true,
  vcpuMoves: 'never',
  movesChunks: true,
  plan() {},
  prepare(ctx: TickContext, band: number): void {
    const { w, scratch, accept } = ctx;
    const t = w.slots;
    const reg = w.bandRegion[band];
    const b = band - w.regBand0[reg];
    const size = w.bandSize[band];
    const pinned = w.regPinned[reg] >= 0;
    touches(ctx, band);
    const n = t.count[reg];
    let lambda = 0;
    for (let s = 0; s < n; s++) {
      const cell = t.cell(reg, b, s);
      const a = pinned ? 0 : accept[t.nodeOf(reg, s)];
      scratch.capture[cell] = a;
      lambda += (scratch.muRead[cell] + scratch.muWrite[cell]) * a;
    }
    const psi = decayAverage(lambda);
    const gone = -Math.expm1(-lambda);
    scratch.lambda[band] = lambda;
    scratch.psi[band] = psi;
    for (let s = 0; s < n; s++) {
      const cell = t.cell(reg, b, s);
      const pi = lambda > 0 ? ((scratch.muRead[cell] + scratch.muWrite[cell]) * scratch.capture[cell]) / lambda : 0;
      const own = t.own[cell] / size;
      scratch.ownAvg[cell] = own * psi + pi * (1 - psi);
      scratch.copAvg[cell] = 0;
      const after = own * (1 - gone) + gone * pi;
      if (after > own) ctx.demand[t.nodeOf(reg, s)] += (after - own) * size * w.chunkBytes;
    }
    linkCosts(ctx, band);
  },
  outcome(ctx: TickContext, band: number, slot: number, _write: boolean, out: Outcome): void {
    const { w, scratch } = ctx;
    const cell = bandCell(w, band, slot);
    const local = scratch.ownAvg[cell];
    const miss = 1 - local;
    const a = scratch.capture[cell];
    out.local = local;
    out.captures = miss * a;
    out.remotes = miss * (1 - a);
    out.copies = 0;
    charge(out, scratch.moveCost[cell], scratch.remoteCost[cell], w.chunkBytes, 0);
  },
  commit(ctx: TickContext, band: number): void {
    const { w, scratch } = ctx;
    const t = w.slots;
    const reg = w.bandRegion[band];
    const b = band - w.regBand0[reg];
    const lambda = scratch.lambda[band];
    if (lambda <= 0) return;
    const size = w.bandSize[band];
    const gone = -Math.expm1(-lambda);
    for (let s = 0; s < t.count[reg]; s++) {
      const cell = t.cell(reg, b, s);
      const pi = ((scratch.muRead[cell] + scratch.muWrite[cell]) * scratch.capture[cell]) / lambda;
      const next = t.own[cell] * (1 - gone) + size * gone * pi;
      w.memUsed[t.nodeOf(reg, s)] += (next - t.own[cell]) * w.chunkBytes;
      t.own[cell] = next;
    }
  },
  exactAction: (_ctx: TickContext, m: ExactMiss): number => (!m.pinned && m.room ? EXACT_CAPTURE : EXACT_REMOTE),
};
