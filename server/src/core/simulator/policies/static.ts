import type { TickContext } from '../context';
import * as common from './common';
import { EXACT_REMOTE, type Outcome, type PolicyModule } from './types';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const stayPut = common.stayPut;
const servedRemotely = common.servedRemotely;
const bandCell = common.bandCell;

/** `static`: nothing moves; an access that is not local is served remotely (NUMA without balancing). */
export const staticPolicy: PolicyModule = {
  balances: true,
  vcpuMoves: 'never',
  movesChunks: false,
  plan() {},
  prepare: (ctx: TickContext, band: number): void => stayPut(ctx, band, true),
  outcome(ctx: TickContext, band: number, slot: number, write: boolean, out: Outcome): void {
    const { w, scratch } = ctx;
    const cell = bandCell(w, band, slot);
    servedRemotely(scratch.ownAvg[cell] + (write ? 0 : scratch.copAvg[cell]), scratch.remoteCost[cell], out);
  },
  commit() {},
  exactAction: () => EXACT_REMOTE,
};
