import { bandPhase } from './bandphase';
import { applyEvents } from './events';
import { ExactAccesses } from './exact';
import * as gainm from './gains';
import { hopping } from './hopping';
import { computeRates } from './rates';
import { computeLoads, EngineState, type EngineConfig } from './state';
import { balance, planVcpuMoves, rateServingRemotely } from './vcpus';
import type { SdsWorld } from './world';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const bandRates = gainm.bandRates;

export type { EngineConfig, EngineEvent } from './state';

/** Thrown when `isCancelled` says a newer run replaced this one. */
export class SimulationCancelled extends Error {
  readonly cancelled = true;
  constructor() {
    super('simulation cancelled');
  }
}

export interface EngineOutcome {
  /** Tick at which an event was not absorbed (the run stops before it), or -1. */
  readonly stopTick: number;
  /** Indexes of the scenario's events this SDS did not absorb. */
  readonly notAbsorbed: readonly number[];
}

/**
 * Simulates one SDS, tick by tick (docs/simulator.md, "The estimator"). Each tick:
 *
 *  1. events (events.ts): failures, joins, scale and load changes due before the tick;
 *  2. once per hysteresis window: the rates the vCPUs would have serving remotely, the
 *     hypervisor's work stealing, the policy's plan (`cost`: bands' homes, copies) and
 *     `cost`'s vCPU moves (vcpus.ts, weighed by gains.ts);
 *  3. the tick's accesses: in expectation by every band's closed form (bandphase.ts), or
 *     sampled where there is none (`vcpu`'s hopping vCPUs, hopping.ts), or every real access
 *     drawn (`--exact`, exact.ts);
 *  4. the nodes' use recorded.
 */
export class SdsEngine {
  private readonly st: EngineState;

  /** @param exact draw every real access (`--exact`) instead of the estimator */
  constructor(world: SdsWorld, cfg: EngineConfig, exact = false) {
    this.st = new EngineState(world, cfg);
    if (exact) this.st.exact = new ExactAccesses(world, this.st.ctx, this.st.rec, this.st.bandAlias);
  }

  run(): EngineOutcome {
    const st = this.st;
    const { ticks } = st.cfg;
    for (let t = 0; t < ticks; t++) {
      if (st.cfg.isCancelled?.()) throw new SimulationCancelled();
      st.ctx.t = t;
      if (!applyEvents(st, t)) return { stopTick: t, notAbsorbed: st.notAbsorbed };
      runTick(st, t);
      st.cfg.onTick?.(t + 1);
    }
    // events at the very end of the run still have to be absorbed (or not)
    if (!applyEvents(st, ticks)) return { stopTick: ticks, notAbsorbed: st.notAbsorbed };
    return { stopTick: -1, notAbsorbed: st.notAbsorbed };
  }
}

function runTick(st: EngineState, tick: number): void {
  const { w, policy, ctx, cfg } = st;
  // a move pays only if it pays back before the run ends (the workload runs for the simulated duration)
  ctx.horizon = Math.min(cfg.horizon, (cfg.plannedTicks - tick) * cfg.dt);
  for (let v = 0; v < w.vcpuCount; v++) { st.vFrom[v] = w.vNode[v]; st.vAt[v] = 1; }
  st.rec.beginTick(tick * cfg.dt, (tick + 1) * cfg.dt);
  computeLoads(st);
  const homing = policy.vcpuMoves === 'when-it-pays';
  // decisions are re-weighed once per hysteresis window (and after events): what they read changes slowly
  const window = tick % cfg.hysteresis === 0 || st.eventsChanged;
  st.eventsChanged = false;
  if (window && (homing || policy.balances)) {
    rateServingRemotely(st);
    if (homing) { computeRates(st, 1); bandRates(ctx); }
    if (policy.balances && balance(st, tick, homing)) {
      rateServingRemotely(st);
      if (homing) { computeRates(st, 1); bandRates(ctx); }
    }
    policy.plan(ctx);
    if (homing) planVcpuMoves(st, tick);
    // (--exact changes chunks access by access: every region stays active there)
    if (!st.exact) st.regionActive.fill(0);
  }
  if (st.exact) st.exact.tick(tick, cfg.rho, st.vStall, st.vKappa);
  else if (policy.vcpuMoves === 'always') hopping(st, tick);
  else bandPhase(st, tick);
  recordNodes(st, tick);
  st.rec.endTick();
}

/** Memory held per node, time-averaged into the bucket. */
function recordNodes(st: EngineState, tick: number): void {
  const { w, rec } = st;
  const dt = st.cfg.dt;
  const b = rec.bucketOf((tick + 0.5) * dt);
  const share = dt / rec.bucketSeconds;
  for (let n = 0; n < w.nodeCount; n++) {
    if (!w.alive[n]) continue;
    rec.nodeMem[b * rec.nodes + w.nodeId[n]] += w.memUsed[n] * share;
  }
}
