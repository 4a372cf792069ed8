import type { TickContext } from './context';
import * as common from './policies/common';
import * as costp from './policies/cost';
import * as worldm from './world';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const ENTRY_NET = worldm.ENTRY_NET;
const ENTRY_PRIVATE = worldm.ENTRY_PRIVATE;
const REGION_BULK = worldm.REGION_BULK;
const touches = common.touches;
const HOME_MARGIN = costp.HOME_MARGIN;

/**
 * What moving one vCPU would gain, in seconds of computing over the horizon, used by `cost` on
 * a stall and by the hypervisor's scheduler when it steals work for an idle node.
 *
 * A vCPU's compute rate is 1 / (kappa + rho s): kappa its node's time slicing (vCPUs over usable
 * cores, at least 1), s its expected stall per access, rho accesses per second of computing.
 * A move from x to o changes the vCPU's kappa and s, and the kappa of every vCPU on x and o; the
 * gain is the change in their summed compute rates over the horizon, less the compute time the
 * move itself costs (and, with `homing`, the chunk moves it sets off).
 */

export interface Projection {
  /** Expected stall seconds per access. */
  stall: number;
  /** One-time seconds of chunk moves the vCPU would stall for (bands it would bring home). */
  capture: number;
}

export function newProjection(): Projection {
  return { stall: 0, capture: 0 };
}

/**
 * Per band: touches per chunk per second from each slot serving remotely (kind 1 rates), the
 * writes among them, and the slot that touches most with its rate and the runner-up's rate.
 * Read by `cost`'s plan and by the projections with homing.
 */
export function bandRates(ctx: TickContext): void {
  const { w, scratch } = ctx;
  scratch.fit(w.slots.cellCount, w.bandCount);
  const active = ctx.active;
  for (let g = 0; g < w.regionCount; g++) if (w.regKind[g] !== REGION_BULK && (!active || active[g])) regionRates(ctx, g);
}

/** bandRates for the bands of one region (after a vCPU that touches it moved). */
export function regionRates(ctx: TickContext, region: number): void {
  const { w, scratch } = ctx;
  const t = w.slots;
  scratch.fit(t.cellCount, w.bandCount);
  for (let b = 0; b < w.regBands[region]; b++) {
    const band = w.regBand0[region] + b;
    touches(ctx, band, 1);
    let top = -1;
    let first = 0;
    let second = 0;
    for (let s = 0; s < t.count[region]; s++) {
      const cell = t.cell(region, b, s);
      const r = scratch.muRead[cell] + scratch.muWrite[cell];
      scratch.rate1[cell] = r;
      scratch.write1[cell] = scratch.muWrite[cell];
      if (r > first) { second = first; first = r; top = s; } else if (r > second) second = r;
    }
    scratch.top1Slot[band] = top;
    scratch.top1[band] = first;
    scratch.top2[band] = second;
  }
}

/**
 * Expected stall per access of a vCPU of `replica`, now on node `from`, if it ran on `candidate`. Without
 * `homing` memory stays where it is; with it (`cost`, after bandRates), a band whose home n
 * would become (its touches from n, with this vCPU's, the most) counts as local for the chunks
 * whose move home pays over the horizon, and the vCPU's share of those moves is returned as
 * `capture` when it is the move that sends them home (a band whose home n already is comes home
 * whoever stays). `rate` is the vCPU's accesses per second serving remotely.
 */
export function projectedStall(ctx: TickContext, replica: number, from: number, candidate: number, rate: number, homing: boolean, out: Projection): Projection {
  const { w, horizon, scratch } = ctx;
  const t = w.slots;
  const c = w.rContainer[replica];
  const writes = w.cWrites[c];
  let stall = 0;
  let capture = 0;
  // chunks the candidate node can still take (bands come hottest first: they get the room first)
  let room = homing ? Math.max(0, (w.memCap[candidate] - w.memUsed[candidate]) / w.chunkBytes) : 0;
  const end = w.cEntryOff[c] + w.cEntryCount[c];
  for (let e = w.cEntryOff[c]; e < end; e++) {
    const p = w.entProb[e];
    if (p <= 0) continue;
    if (w.entKind[e] === ENTRY_NET) { stall += p * w.costs.outside(candidate, w.entNetRack[e]); continue; }
    const g = w.entKind[e] === ENTRY_PRIVATE ? w.rPrivate[replica] : w.entRegion[e];
    const side = w.entSide[e];
    const slots = t.count[g];
    const sn = t.slotOf(g, candidate);
    const sx = t.slotOf(g, from);
    const band0 = w.regBand0[g];
    const mayHome = homing && w.regPinned[g] < 0;
    for (let b = 0; b < w.regBands[g]; b++) {
      const band = band0 + b;
      const m = w.bandMass[band * 2 + side];
      if (m <= 0) continue;
      const size = w.bandSize[band];
      const ownN = sn >= 0 ? t.own[t.cell(g, b, sn)] : 0;
      const copN = sn >= 0 ? t.cop[t.cell(g, b, sn)] : 0;
      const mine = (rate * p * m) / size;
      let home = false;
      let current = false;
      let homeRate = 0;
      let delta = 0;
      if (mayHome) {
        delta = candidate === from ? 0 : mine;
        homeRate = (sn >= 0 ? scratch.rate1[t.cell(g, b, sn)] : 0) + delta;
        const top = scratch.top1Slot[band];
        let others: number;
        if (top !== sn) others = top === sx ? Math.max(scratch.top1[band] - delta, scratch.top2[band]) : scratch.top1[band];
        else others = scratch.top2[band];
        // as the plan does (policies/cost.ts): a band stays home, or moves home only to a node that touches it HOME_MARGIN times more
        current = scratch.home[band] === sn && sn >= 0;
        home = homeRate > 0 && room > 0 && (current ? homeRate >= others : homeRate >= HOME_MARGIN * others);
      }
      let remote = 0;
      let captured = 0;
      if (!home && ctx.oneRack) {
        // every other node is as far: the chunks that are not on n, at one remote cost
        remote = Math.max(0, size - ownN) * w.costs.remote(candidate, candidate);
      } else {
        for (let s = 0; s < slots; s++) {
          if (s === sn) continue;
          const cell = t.cell(g, b, s);
          const own = t.own[cell];
          if (own <= 0) continue;
          const y = t.nodeOf(g, s);
          if (home && room > 0) {
            const rs = scratch.rate1[cell] - (s === sx ? delta : 0);
            const move = w.costs.chunkMove(candidate, y);
            if (horizon * (homeRate - rs) * w.costs.remote(candidate, y) > move) {
              const take = Math.min(own, room);
              room -= take;
              captured += take;
              // what the move sets off; a band already at home comes home whoever stays
              if (!current) capture += (take * move * mine) / homeRate;
              remote += (own - take) * w.costs.remote(candidate, y);
              continue;
            }
          }
          remote += own * w.costs.remote(candidate, y);
        }
      }
      // reads find copies on n for a share of the chunks that are elsewhere
      const elsewhere = size - ownN - captured;
      const copyShare = elsewhere > 0 ? Math.min(1, copN / elsewhere) : 0;
      const perChunk = remote / size;
      stall += p * m * perChunk * (writes + (1 - writes) * (1 - copyShare));
    }
  }
  out.stall = stall;
  out.capture = capture;
  return out;
}

/**
 * Seconds of computing that moving `vcpu` from its node to `destination` gains over the horizon
 * (negative: it does not pay), given `here` (its projection staying on x) and `there` (moved
 * to o). A node computes min(runnable demand, usable cores): its vCPUs' demands (the share of
 * their time they are not stalled, 1 / (1 + rho s)) add up, and beyond its cores they share
 * them. The move takes v's demand off x and puts its demand there on o; the gain is the change
 * in the two nodes' computing, less what v does not compute while it moves (and stalls for the
 * chunk moves its projection sets off).
 */
export function moveGain(ctx: TickContext, vcpu: number, destination: number, here: Projection, there: Projection): number {
  const { w } = ctx;
  const x = w.vNode[vcpu];
  if (destination === x || destination < 0 || !w.alive[destination] || w.usable[destination] <= 0) return -Infinity;
  const rho = ctx.rho;
  // v's demand staying and moved, both as projected (its measured demand may hold a transient)
  const stay = 1 / (1 + rho * here.stall);
  const moved = 1 / (1 + rho * there.stall);
  const ux = w.usable[x];
  const uo = w.usable[destination];
  const others = w.load[x] - w.vDemand[vcpu];
  const lo = w.load[destination];
  const gained = Math.min(others, ux) + Math.min(lo + moved, uo) - Math.min(others + stay, ux) - Math.min(lo, uo);
  const cost = w.costs.vcpuMove(x, destination) + there.capture;
  return ctx.horizon * (gained - MIN_GAIN) - stay * cost;
}

/**
 * A move must raise the computing of the two nodes by at least this (a share of one vCPU's
 * time) besides paying for itself: estimates that differ by less are noise, and a vCPU would
 * otherwise move back and forth between two nodes whose gains nearly balance.
 */
export const MIN_GAIN = 0.02;
