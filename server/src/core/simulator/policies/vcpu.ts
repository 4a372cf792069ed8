import type { TickContext } from '../context';
import * as common from './common';
import { EXACT_MOVE_VCPU, EXACT_REMOTE, type ExactMiss, type Outcome, type PolicyModule } from './types';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const stayPut = common.stayPut;
const servedRemotely = common.servedRemotely;
const bandCell = common.bandCell;

/**
 * `vcpu`: on a stall the vCPU moves to the chunk's node; memory never moves. A vCPU is then
 * always on the node of the last chunk it touched, so it hops between the nodes where its
 * memory is: the engine samples its path (engine.ts, "hopping"), charging each slice of
 * accesses the moves it makes in expectation. Bands only report where their chunks are.
 */
export const vcpuPolicy: PolicyModule = {
  balances: false,
  vcpuMoves: 'always',
  movesChunks: false,
  plan() {},
  prepare: (ctx: TickContext, band: number): void => stayPut(ctx, band, false),
  outcome(ctx: TickContext, band: number, slot: number, _write: boolean, out: Outcome): void {
    // a vCPU that could not move (its destination has no usable core) is served remotely
    const { w, scratch } = ctx;
    const cell = bandCell(w, band, slot);
    servedRemotely(scratch.ownAvg[cell], scratch.remoteCost[cell], out);
  },
  commit() {},
  exactAction: ({ w }: TickContext, m: ExactMiss): number => (w.usable[m.o] > 0 && w.alive[m.o] ? EXACT_MOVE_VCPU : EXACT_REMOTE),
};
