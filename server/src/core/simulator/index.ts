import type { Model, Policy, ScenarioEvent, Scenario } from '../model/types';
import type { Location, LineRange } from '../text';
import { LineIndex } from '../text';
import type { PlacementResult, SimulationDiagnostic, SimulationResult } from '../result';
import { SIMULATION_VERSION } from '../result';
import { placeModel } from '../placement/index';
import { ACCESSES_PER_VCPU_SECOND } from './costs';
import { SdsEngine, SimulationCancelled, type EngineEvent } from './engine';
import { EXACT_ACCESSES_PER_SECOND } from './exact';
import { packedState } from './packed';
import { COST_HORIZON } from './policies/cost';
import { POLICY_MODULES } from './policies/index';
import { assemble, type RunPlan, type SdsRun } from './report';
import { applySaturation } from './saturation';
import { Recorder } from './stats';
import { buildSdsWorld, edgesOf, runSizes, sdsOfContainer, type SdsWorld } from './world';

export { SimulationCancelled } from './engine';
export { vcpusFor } from './world';

export interface SimulateOptions {
  /** Scenario name, or null/absent for the base deployment. */
  readonly scenario?: string | null;
  /** Overrides every policy the file sets (the CLI's `--policy`, a requested run). */
  readonly policy?: Policy;
  /** Used when neither the scenario, the SDS nor the file's `defaults` sets a policy (the editor's `topo.defaultPolicy`). */
  readonly defaultPolicy?: Policy;
  readonly seed?: number;
  /** Simulated seconds. */
  readonly duration?: number;
  /** Sampled accesses per vCPU per tick (default DEFAULT_SAMPLES). */
  readonly samples?: number;
  /** Multiplier of the default sampling rate (kept for callers of v1; `samples` wins). */
  readonly sampleRate?: number;
  /**
   * Apply the saturated-link model (saturation.ts) to the figures. Off by default: in saturated
   * `page` cases it still breaks properties 7 (by 1e-7) and 10 (docs/simulator.md).
   */
  readonly saturation?: boolean;
  /** Draw every real access (ground truth; small models only: ExactTooSlow beyond a minute). */
  readonly exact?: boolean;
  /** Real (cache-missing) memory accesses per second of computing of one vCPU (default 1e6). */
  readonly accessRate?: number;
  /** The host's clock in milliseconds; the core never reads wall time itself. */
  readonly now?: () => number;
  /** Time budget in milliseconds (default 1500): runs estimated to exceed it are coarsened (T502), each SDS by its own work. */
  readonly budgetMs?: number;
  readonly onProgress?: (fraction: number) => void;
  /** Checked every tick; when it returns true the run throws SimulationCancelled. */
  readonly isCancelled?: () => boolean;
  /** File texts, to turn Locations into line ranges. */
  readonly texts?: ReadonlyMap<string, string>;
  /** Alternative to `texts`. */
  readonly rangeOf?: (loc: Location) => LineRange;
  /** A placement of the packed targets (default: placeModel(model)). */
  readonly placement?: PlacementResult;
}

/** Sampled accesses per vCPU per tick by default. */
export const DEFAULT_SAMPLES = 32;
/** Fewest samples coarsening goes down to. */
export const MIN_SAMPLES = 8;
/** Work units (workPerTick: microseconds) per millisecond of budget. */
export const WORK_PER_MS = 1000;
/** At most this many timeline points. */
export const MAX_POINTS = 200;
/** At most this many values in the per-node and per-container timelines together (fewer points on huge models, T502). */
export const MAX_SERIES_VALUES = 1 << 21;
/** Slowdown above which a container is reported (T503): it waits more than it computes. */
export const THRASH_SLOWDOWN = 2;
/**
 * Seconds between two decision windows (the hypervisor's scheduler pass, `cost`'s plan): also the
 * hysteresis (what moved stays put this long). A fixed time, so that a run coarsened to longer
 * ticks (up to this) decides at the same moments.
 */
export const DECISION_WINDOW = 0.08;
/** `--exact` refuses models it estimates to take longer than this (seconds). */
export const EXACT_LIMIT_SECONDS = 60;

/** `--exact` would take too long: the usage error names the estimate. */
export class ExactTooSlow extends Error {
  constructor(readonly seconds: number, readonly accesses: number) {
    super(`--exact would draw ${formatCount(accesses)} real accesses, about ${Math.round(seconds)} s here (the limit is ${EXACT_LIMIT_SECONDS} s): shorten the duration, lower the load, or simulate without --exact`);
  }
}

/** The policy the file itself sets: its only SDS's, or its `defaults`'; null when it sets none. */
export function filePolicy(model: Model): Policy | null {
  const only = model.sdses.length === 1 ? model.sdses[0] : null;
  if (only?.at.policy) return only.policy;
  return model.defaults.at.policy ? model.defaults.policy : null;
}

function planRun(model: Model, options: SimulateOptions): RunPlan {
  const scenario: Scenario | null = options.scenario ? model.scenarios.find((s) => s.name === options.scenario) ?? null : null;
  if (options.scenario && !scenario) throw new Error(`no scenario named "${options.scenario}"`);
  const fallback = options.defaultPolicy ?? model.defaults.policy;
  const policyOf = (sdsIndex: number): Policy => {
    if (options.policy) return options.policy;
    if (scenario?.policy) return scenario.policy;
    const sds = model.sdses[sdsIndex];
    if (sds.at.policy) return sds.policy;
    return model.defaults.at.policy ? model.defaults.policy : fallback;
  };
  const policy: Policy = options.policy ?? scenario?.policy ?? filePolicy(model) ?? fallback;
  const wanted = options.samples ?? Math.round(DEFAULT_SAMPLES * (options.sampleRate ?? 1));
  return {
    scenario,
    seed: (options.seed ?? scenario?.seed ?? model.defaults.seed) >>> 0,
    duration: Math.max(0, options.duration ?? scenario?.duration ?? model.defaults.duration),
    baseTick: model.defaults.tick > 0 ? model.defaults.tick : 0.01,
    events: scenario ? scenario.events : [],
    rho: options.accessRate && options.accessRate > 0 ? options.accessRate : ACCESSES_PER_VCPU_SECOND,
    samples: Math.max(1, Math.round(wanted)),
    policyOf,
    policy,
  };
}

/** Real accesses `--exact` would draw, and the seconds that takes at the measured speed. */
export function estimateExact(model: Model, options: SimulateOptions = {}): { accesses: number; seconds: number } {
  const plan = planRun(model, options);
  const onSds = new Map(model.containers.filter((k) => sdsOfContainer(model, k.id) >= 0).map((k, i) => [k.id, i]));
  const most = runSizes(model, plan.events, onSds);
  let vcpus = 0;
  for (const i of onSds.values()) vcpus += most.vcpus[i] * most.replicas[i];
  const accesses = vcpus * plan.rho * plan.duration;
  return { accesses, seconds: accesses / EXACT_ACCESSES_PER_SECOND };
}

/** Simulates the base deployment (scenario null) or one scenario. Throws SimulationCancelled, or ExactTooSlow with `exact`. */
export function simulate(model: Model, options: SimulateOptions = {}): SimulationResult {
  const t0 = options.now ? options.now() : 0;
  const plan = planRun(model, options);
  if (options.exact) {
    const est = estimateExact(model, options);
    if (est.seconds > EXACT_LIMIT_SECONDS) throw new ExactTooSlow(est.seconds, est.accesses);
  }
  const placement = options.placement ?? placeModel(model);
  const edges = edgesOf(model);
  const budgetMs = options.budgetMs ?? 1500;

  // the timeline's buckets: at most MAX_POINTS, fewer when the file has very many nodes and containers
  const rows = model.nodes.length + model.containers.length;
  const points = Math.max(1, Math.min(MAX_POINTS, Math.floor(MAX_SERIES_VALUES / Math.max(1, rows))));

  const runs = sdsRuns(model, plan, edges, budgetMs, options.exact === true);
  const baseTicks = Math.max(1, Math.round(plan.duration / plan.baseTick));
  const buckets = Math.max(1, Math.min(points, baseTicks, ...runs.map((r) => r.ticks)));
  const execute = (until: number, stopAt: ScenarioEvent | null): Execution => execution(model, plan, placement, runs, edges, buckets, until, stopAt, options);
  let exec = execute(plan.duration, null);
  // why an event was not absorbed: the run that reached it knows (the re-run stops before it)
  const firstPacked = exec.packed;
  const why = (event: ScenarioEvent): string | undefined => firstPacked.why(event);
  if (exec.stop) {
    // an event was not absorbed: the run ends before it (every SDS and packed target at that time)
    const first = exec;
    exec = { ...execute(first.stop!.t, first.stop), notAbsorbed: new Set([first.stop!]) };
  }
  const wallMillis = options.now ? Math.max(0, options.now() - t0) : 0;
  return assemble({
    model, plan: { ...plan, version: SIMULATION_VERSION }, placement, edges, runs: exec.runs, recorder: exec.recorder, packed: exec.packed,
    covered: exec.covered, stop: exec.stop, notAbsorbed: exec.notAbsorbed, why, points, rows, budgetMs, resolve: rangeResolver(options), wallMillis, exact: options.exact === true,
  });
}

/** The base deployment, then every scenario in declaration order. */
export function simulateAll(model: Model, options: SimulateOptions = {}): SimulationResult[] {
  const out = [simulate(model, { ...options, scenario: null })];
  for (const s of model.scenarios) out.push(simulate(model, { ...options, scenario: s.name }));
  return relateToBase(out);
}

/**
 * The runs with each scenario diagnostic about a container (T500, T503) given, in its related
 * information, the base deployment's figure for that container (at the base run's diagnostic
 * when it has one, else at the container's name): "in the base deployment: 53.6%" next to the
 * scenario's 52.4%. Runs without a base run come back as they are.
 */
export function relateToBase(runs: readonly SimulationResult[]): SimulationResult[] {
  const base = runs.find((r) => r.input.scenario === null);
  if (!base) return [...runs];
  const byName = new Map(base.containers.map((c) => [c.name, c]));
  return runs.map((r) => (r === base ? r : {
    ...r,
    diagnostics: r.diagnostics.map((d) => {
      const c = byName.get(d.subject);
      if ((d.code !== 'T500' && d.code !== 'T503') || !c) return d;
      const figure = d.code === 'T500'
        ? c.locality === null ? 'it runs no replica' : `locality ${(c.locality * 100).toFixed(1)}% ± ${(c.localityError * 100).toFixed(1)}`
        : c.slowdown === null ? 'it runs no replica' : `slowdown ${c.slowdown.toFixed(2)}x ± ${c.slowdownError.toFixed(2)}`;
      const same = base.diagnostics.find((b) => b.code === d.code && b.subject === d.subject);
      const at = same ?? d;
      return { ...d, related: [...(d.related ?? []), { file: at.file, range: at.range, message: `in the base deployment: ${figure}${same ? '' : ` (no ${d.code} there)`}` }] };
    }),
  }));
}

export function isCancelled(error: unknown): error is SimulationCancelled {
  return error instanceof SimulationCancelled;
}

// ---------------------------------------------------------------- one run per SDS

/**
 * A seed per SDS from the run's seed and the SDS's name (FNV-1a): an SDS's random stream does
 * not depend on what else the file holds or on declaration order.
 */
function sdsSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Estimated microseconds of one tick of an SDS (the budget is measured in them; measured with
 * `npm run bench` on a loaded 2-core machine, so conservative): per band table cell (a band on
 * one of its nodes) a policy's share of the band work (under `page` every band is stepped
 * every tick; `cost` and `static` bands settle and are left alone), per vCPU and replica the
 * rates and the accounting, and `vcpu`'s samples.
 */
export function workPerTick(world: SdsWorld, samples: number): number {
  const module = POLICY_MODULES[world.policy];
  let cells = 0;
  for (let g = 0; g < world.regionCount; g++) cells += world.regBands[g] * Math.max(1, Math.min(world.nodeCount, world.slots.cap[g]));
  let vcpus = 0;
  let replicas = 0;
  for (let c = 0; c < world.containerCount; c++) {
    vcpus += world.cReplicasMax[c] * world.cVcpusMax[c];
    replicas += world.cReplicasMax[c] * world.cEntryCount[c];
  }
  const perCell = module.movesChunks ? (module.vcpuMoves === 'never' ? 0.7 : 0.1) : 0.02;
  const sampled = module.vcpuMoves === 'always' ? 0.07 * vcpus * samples : 0;
  return perCell * cells + 0.5 * vcpus + 3 * replicas + sampled;
}

/** Per SDS with containers: its world, ticks and samples, coarsened to its share of the budget (T502 says how). */
function sdsRuns(model: Model, plan: RunPlan, edges: ReturnType<typeof edgesOf>, budgetMs: number, exact: boolean): SdsRun[] {
  const out: SdsRun[] = [];
  const baseTicks = Math.max(1, Math.round(plan.duration / plan.baseTick));
  const candidates: { world: SdsWorld; work: number }[] = [];
  model.sdses.forEach((s) => {
    if (!model.containers.some((k) => sdsOfContainer(model, k.id) === s.id)) return;
    const world = buildSdsWorld(model, s.id, plan.policyOf(s.id), plan.events, edges);
    candidates.push({ world, work: baseTicks * workPerTick(world, plan.samples) });
  });
  const total = candidates.reduce((a, c) => a + c.work, 0);
  const budget = budgetMs * WORK_PER_MS;
  candidates.forEach(({ world, work }) => {
    let samples = plan.samples;
    let tickFactor = 1;
    if (!exact && work > 0 && total > budget) {
      const share = (budget * work) / total;
      const perTick = (samples: number): number => workPerTick(world, samples);
      // fewer samples only where the policy samples (they cost nothing elsewhere)
      while (baseTicks * perTick(samples) > share && samples > MIN_SAMPLES && perTick(Math.floor(samples / 2)) < perTick(samples)) samples = Math.max(MIN_SAMPLES, Math.floor(samples / 2));
      while (Math.ceil(baseTicks / tickFactor) * perTick(samples) > share && baseTicks / tickFactor > 4) tickFactor *= 2;
    }
    const dt = plan.baseTick * tickFactor;
    const ticks = Math.max(1, Math.round(plan.duration / dt));
    out.push({ world, seed: sdsSeed(plan.seed, model.sdses[world.sds].name), dt, ticks, samples, tickFactor, wantedSamples: plan.samples });
  });
  return out;
}

interface Execution {
  readonly runs: SdsRun[];
  readonly recorder: Recorder;
  readonly packed: ReturnType<typeof packedState>;
  /** Simulated seconds the figures cover. */
  readonly covered: number;
  /** The event that was not absorbed, if any. */
  readonly stop: ScenarioEvent | null;
  readonly notAbsorbed: ReadonlySet<ScenarioEvent>;
}

function execution(model: Model, plan: RunPlan, placement: PlacementResult, runs: SdsRun[], edges: ReturnType<typeof edgesOf>, buckets: number, until: number, stopAt: ScenarioEvent | null, options: SimulateOptions): Execution {
  const duration = plan.duration;
  const recorder = new Recorder(buckets, duration > 0 ? duration / buckets : 1, model.containers.length, model.nodes.length, edges.length, Int32Array.from(model.nodes, (n) => n.rack), model.racks.length);
  const notAbsorbed = new Set<ScenarioEvent>();
  let stop: ScenarioEvent | null = null;
  const happens = (event: ScenarioEvent): boolean => (stopAt ? event.t < stopAt.t || (event.t === stopAt.t && plan.events.indexOf(event) < plan.events.indexOf(stopAt)) : true);
  const totalTicks = runs.reduce((a, r) => a + r.ticks, 0);
  let doneBefore = 0;
  const fresh = stopAt ? runs.map((r) => ({ ...r, world: buildSdsWorld(model, r.world.sds, r.world.policy, plan.events, edges) })) : runs;
  for (const run of fresh) {
    const ticks = Math.min(run.ticks, Math.max(0, Math.round(until / run.dt)));
    const events: EngineEvent[] = [];
    plan.events.forEach((e, index) => {
      if (!happens(e)) return;
      events.push({ tick: Math.min(ticks, Math.max(0, Math.round(e.t / run.dt))), event: e, index });
    });
    const offset = doneBefore;
    const cfg = {
      seed: run.seed, dt: run.dt, ticks, plannedTicks: run.ticks, samples: run.samples, rho: plan.rho, horizon: COST_HORIZON,
      hysteresis: Math.max(1, Math.round(DECISION_WINDOW / run.dt)), events, recorder, isCancelled: options.isCancelled,
      onTick: options.onProgress ? (done: number) => { if (done % 16 === 0) options.onProgress!(Math.min(1, (offset + done) / Math.max(1, totalTicks))); } : undefined,
    };
    const outcome = new SdsEngine(run.world, cfg, options.exact === true).run();
    for (const i of outcome.notAbsorbed) {
      const e = plan.events[i];
      notAbsorbed.add(e);
      if (!stop || e.t < stop.t) stop = e;
    }
    doneBefore += run.ticks;
  }
  // packed targets: their state changes only at events
  const packed = packedState(model, placement);
  let last = 0;
  for (const e of plan.events) {
    if (!happens(e)) continue;
    if (e.t > until) break;
    packed.record(recorder, plan.rho, last, e.t);
    last = e.t;
    packed.apply(e);
    if (!packed.absorbed(e)) {
      notAbsorbed.add(e);
      if (!stop || e.t < stop.t) stop = e;
      break;
    }
  }
  packed.record(recorder, plan.rho, last, until);
  for (let b = 0; b < buckets; b++) recorder.covered[b] = Math.max(0, Math.min(recorder.bucketSeconds, until - b * recorder.bucketSeconds));
  if (options.saturation) applySaturation(recorder, model);
  options.onProgress?.(1);
  return { runs: fresh, recorder, packed, covered: until, stop: stopAt ?? stop, notAbsorbed };
}

// ---------------------------------------------------------------- ranges

const EMPTY_RANGE: LineRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function rangeResolver(options: SimulateOptions): (loc: Location) => LineRange {
  if (options.rangeOf) return options.rangeOf;
  const texts = options.texts;
  if (!texts) return () => EMPTY_RANGE;
  const cache = new Map<string, LineIndex>();
  return (loc) => {
    const text = texts.get(loc.file);
    if (text === undefined) return EMPTY_RANGE;
    let li = cache.get(loc.file);
    if (!li) { li = new LineIndex(text); cache.set(loc.file, li); }
    return { start: li.position(loc.span.start), end: li.position(loc.span.end) };
  };
}

function formatCount(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(1)} billion`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)} million`;
  return String(Math.round(value));
}

export type { SimulationDiagnostic };
