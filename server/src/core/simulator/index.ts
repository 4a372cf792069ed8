import type { Model, Policy, ScenarioEvent, Scenario } from '../model/types';
import type { Location, LineRange } from '../text';
import { LineIndex } from '../text';
import { DIAGNOSTIC_SEVERITY } from '../diagnostics';
import type {
  ContainerResult, EdgeResult, EventResult, NodeResult, PlacementResult, SimulationDiagnostic, SimulationResult,
} from '../result';
import { RESULT_VERSION } from '../result';
import { placeModel } from '../placement/index';
import { formatBytes } from '../placement/format';
import { buildWorld, vcpusFor } from './world';
import { runEngine, SimulationCancelled, type EngineStats } from './engine';
import { packedState, type PackedState } from './packed';

export { SimulationCancelled } from './engine';

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
  /** Multiplier of the default sampling rate (1). */
  readonly sampleRate?: number;
  /** The host's clock in milliseconds; the core never reads wall time itself. */
  readonly now?: () => number;
  /** Time budget in milliseconds (default 1500): runs estimated to exceed it are coarsened (T502). */
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

/** Sampled accesses per running vCPU per tick at sampleRate 1. */
export const DEFAULT_SAMPLES = 32;
/** Sampled accesses per millisecond the budget assumes (a conservative hot-loop speed). */
export const SAMPLES_PER_MS = 4000;
/** Chunks simulated at most; larger memories get larger chunks (T502). */
export const MAX_CHUNKS = 1 << 21;
/** Chunks the world's setup (owners, Zipf tables) builds per millisecond of the budget, conservatively. */
export const CHUNKS_PER_MS = 4096;
/** Share of the budget that setting the world up may take; a small budget gets larger chunks. */
const SETUP_SHARE = 0.25;
/** At most this many timeline points. */
export const MAX_POINTS = 200;
/** At most this many values in the per-node and per-container timelines together (fewer points on huge models, T502). */
export const MAX_SERIES_VALUES = 1 << 21;
/** Slowdown above which a container thrashes (T503): it stalls more than it computes. */
export const THRASH_SLOWDOWN = 2;

const EMPTY_RANGE: LineRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The policy the file itself sets: its only SDS's, or its `defaults`'; null when it sets none. */
export function filePolicy(model: Model): Policy | null {
  const only = model.sdses.length === 1 ? model.sdses[0] : null;
  if (only?.at.policy) return only.policy;
  return model.defaults.at.policy ? model.defaults.policy : null;
}

/** Simulates the base deployment (scenario null) or one scenario. Throws SimulationCancelled. */
export function simulate(model: Model, options: SimulateOptions = {}): SimulationResult {
  const t0 = options.now ? options.now() : 0;
  const scenario: Scenario | null = options.scenario ? model.scenarios.find((s) => s.name === options.scenario) ?? null : null;
  if (options.scenario && !scenario) throw new Error(`no scenario named "${options.scenario}"`);
  const policy: Policy = options.policy ?? scenario?.policy ?? filePolicy(model) ?? options.defaultPolicy ?? model.defaults.policy;
  const seed = (options.seed ?? scenario?.seed ?? model.defaults.seed) >>> 0;
  const duration = Math.max(0, options.duration ?? scenario?.duration ?? model.defaults.duration);
  const baseTick = model.defaults.tick > 0 ? model.defaults.tick : 0.01;
  const events: readonly ScenarioEvent[] = scenario ? scenario.events : [];
  const budgetMs = options.budgetMs ?? 1500;
  const resolve = rangeResolver(options);
  const diagnostics: SimulationDiagnostic[] = [];

  // The budget bounds the setup too (deterministic: from the budget, never the clock).
  const maxChunks = Math.max(1 << 16, Math.min(MAX_CHUNKS, Math.floor(budgetMs * SETUP_SHARE * CHUNKS_PER_MS)));
  const world = buildWorld(model, policy, events, { maxChunks });

  // the work estimate decides the sampling (deterministic: never the clock)
  let vcpus = 0;
  for (let c = 0; c < model.containers.length; c++) if (world.cSds[c] >= 0) vcpus += world.cReplicas[c] * world.cVcpus[c];
  const wanted = Math.max(1, Math.round(DEFAULT_SAMPLES * (options.sampleRate ?? 1)));
  let samples = wanted;
  let tick = baseTick;
  let ticks = Math.max(1, Math.round(duration / tick));
  const budget = budgetMs * SAMPLES_PER_MS;
  const work = (): number => ticks * vcpus * samples;
  while (work() > budget && samples > 4) samples = Math.max(4, Math.floor(samples / 2));
  let tickFactor = 1;
  if (work() > budget) {
    tickFactor = Math.ceil(work() / budget);
    tick = baseTick * tickFactor;
    ticks = Math.max(1, Math.round(duration / tick));
  }
  // every node and container gets a series of `points` values: fewer points when there are very many
  const rows = model.nodes.length + model.containers.length;
  const points = Math.max(1, Math.min(MAX_POINTS, Math.floor(MAX_SERIES_VALUES / Math.max(1, rows))));
  const coarsened = samples < wanted || tickFactor > 1 || world.chunkScale.some((s) => s > 1) || points < MAX_POINTS;
  if (coarsened) {
    const parts: string[] = [];
    model.sdses.forEach((s, i) => {
      parts.push(`chunks of ${formatBytes(world.chunkBytes[i])}${world.chunkScale[i] > 1 ? ` instead of ${formatBytes(s.granularity)}` : ''} in ${s.name}`);
    });
    parts.push(`${samples} sampled accesses per vCPU per tick${samples < wanted ? ` instead of ${wanted}` : ''}`);
    if (tickFactor > 1) parts.push(`ticks of ${round(tick * 1000, 3)} ms instead of ${round(baseTick * 1000, 3)} ms`);
    if (points < MAX_POINTS) parts.push(`timelines of at most ${points} points instead of ${MAX_POINTS} (${rows} nodes and containers)`);
    const first = model.sdses[0];
    diagnostics.push({
      code: 'T502', severity: DIAGNOSTIC_SEVERITY.T502,
      message: `the simulation was coarsened to stay within its ${Math.max(1, Math.round(budgetMs))} ms budget: ${parts.join(', ')}`,
      subject: first ? first.name : 'simulation',
      file: first ? first.nameAt.file : model.files[0] ?? '', range: first ? resolve(first.nameAt) : EMPTY_RANGE,
    });
  }

  const ticksPerBucket = Math.max(1, Math.ceil(ticks / points));
  const buckets = Math.ceil(ticks / ticksPerBucket);
  const placement = options.placement ?? placeModel(model);
  const packed = packedState(model, placement);
  const evs = events.map((event) => ({ tick: Math.min(ticks, Math.max(0, Math.round(event.t / tick))), event }));
  const packedUse = packedUsage(model, world, placement, packed);
  const stats = runEngine(world, {
    seed, tick, ticks, samples, events: evs,
    fabricLatency: model.fabric.latency, fabricBandwidth: model.fabric.bandwidth,
    rackLatency: Float64Array.from(model.racks, (r) => r.latency), rackBandwidth: Float64Array.from(model.racks, (r) => r.bandwidth),
    buckets, ticksPerBucket, isCancelled: options.isCancelled, onProgress: options.onProgress,
    onEvent: (e, t) => { packed.apply(e); packedUse.record(t); },
    packedSamples: () => packed.samples(samples),
  });
  // absorbed for packed events is decided by the re-pack
  const absorbed = stats.absorbed.map((ok, i) => ok && packed.absorbed(evs[i].event));

  const containers = containerResults(model, world, stats, packed);
  const nodes = nodeResults(model, world, stats, packed);
  const edges = edgeResults(model, world, stats, packed);
  const eventResults: EventResult[] = evs.map(({ event }, i) => ({
    t: event.t, kind: event.kind, target: eventTarget(model, event), absorbed: absorbed[i],
  }));
  evs.forEach(({ event }, i) => {
    if (event.kind === 'fail' && !absorbed[i]) {
      diagnostics.push({
        code: 'T501', severity: DIAGNOSTIC_SEVERITY.T501,
        message: `when ${model.nodes[event.node].ref} fails at ${event.t}s, the surviving nodes cannot hold its memory`,
        subject: eventSubject(model, event), file: event.at.file, range: resolve(event.at),
      });
    }
  });
  const threshold = model.defaults.localityThreshold;
  containers.forEach((cr, c) => {
    const k = model.containers[c];
    // Thrashing is moving back and forth: a slowdown from sharing cores, or from remote accesses
    // under `static` (nothing moves), is not reported as T503.
    if (cr.slowdown > THRASH_SLOWDOWN && world.cSds[c] >= 0 && stats.cMoves[c] > 0) {
      diagnostics.push({
        code: 'T503', severity: DIAGNOSTIC_SEVERITY.T503,
        message: `${k.name} thrashes: it stalls more than it computes (slowdown ${round(cr.slowdown, 2)}x, ${Math.round(stats.cMoves[c])} moves of its vCPUs and memory in the second half)`,
        subject: k.name, file: k.nameAt.file, range: resolve(k.nameAt),
      });
    }
    if (cr.locality < threshold && (k.replicas > 0 || world.cReplicas[c] > 0)) {
      diagnostics.push({
        code: 'T500', severity: DIAGNOSTIC_SEVERITY.T500,
        message: `predicted locality of ${k.name} is ${pct(cr.locality)}, under the threshold of ${pct(threshold)}`,
        subject: k.name, file: k.nameAt.file, range: resolve(k.nameAt),
      });
    }
  });

  const tl = { t: [] as number[], locality: [] as number[], vcpuMigrations: [] as number[], chunkMigrations: [] as number[], networkBytes: [] as number[] };
  for (let b = 0; b < buckets; b++) {
    tl.t.push(round(b * ticksPerBucket * tick, 6));
    tl.locality.push(round(stats.bSamples[b] > 0 ? stats.bLocal[b] / stats.bSamples[b] : 1, 6));
    tl.vcpuMigrations.push(stats.bVcpuMig[b]);
    tl.chunkMigrations.push(stats.bChunkMig[b]);
    tl.networkBytes.push(Math.round(stats.bNet[b]));
  }
  const N = model.nodes.length;
  const C = model.containers.length;
  const packedSeries = packedUse.series(buckets, ticksPerBucket, ticks);
  const nodeTimeline = model.nodes.filter((n) => world.nodeSds[n.id] >= 0 || n.sds !== null || packedSeries.has(n.id)).map((n) => {
    const p = packedSeries.get(n.id);
    if (p) return { ref: n.ref, cpuUtil: p.cpu.map((x) => round(n.cores > 0 ? Math.min(1, x / n.cores) : 0, 6)), memoryUsed: p.memory.map((x) => Math.round(x)) };
    return {
      ref: n.ref,
      cpuUtil: Array.from({ length: buckets }, (_, b) => round(n.cores > 0 ? stats.bNodeCpu[b * N + n.id] / n.cores : 0, 6)),
      memoryUsed: Array.from({ length: buckets }, (_, b) => Math.round(stats.bNodeMem[b * N + n.id])),
    };
  });
  const containerTimeline = model.containers.map((k, c) => ({
    name: k.name,
    locality: Array.from({ length: buckets }, (_, b) => round(world.cSds[c] >= 0 ? (stats.bCSamples[b * C + c] > 0 ? stats.bCLocal[b * C + c] / stats.bCSamples[b * C + c] : 1) : containers[c].locality, 6)),
  }));

  const wallMillis = options.now ? Math.max(0, options.now() - t0) : 0;
  return {
    version: RESULT_VERSION,
    input: { file: model.files[0] ?? '', seed, policy, duration, tick: round(tick, 9), scenario: scenario ? scenario.name : null },
    summary: {
      locality: round(stats.steadyLocality, 6),
      stallSeconds: round(stats.stallSeconds, 6),
      vcpuMigrations: stats.vcpuMigrations,
      chunkMigrations: stats.chunkMigrations,
      replications: stats.replications,
      networkBytes: Math.round(stats.networkBytes),
      wallMillis: round(wallMillis, 3),
      sampledAccesses: stats.sampled,
    },
    containers, nodes, edges, timeline: tl, events: eventResults,
    diagnostics: diagnostics.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0))),
    nodeTimeline, containerTimeline,
  };
}

/** The base deployment, then every scenario in declaration order. */
export function simulateAll(model: Model, options: SimulateOptions = {}): SimulationResult[] {
  const out = [simulate(model, { ...options, scenario: null })];
  for (const s of model.scenarios) out.push(simulate(model, { ...options, scenario: s.name }));
  return out;
}

export function isCancelled(e: unknown): e is SimulationCancelled {
  return e instanceof SimulationCancelled;
}

// ---------------------------------------------------------------- result pieces

function containerResults(model: Model, w: ReturnType<typeof buildWorld>, st: EngineStats, packed: PackedState): ContainerResult[] {
  const memBy: Map<number, number>[] = model.containers.map(() => new Map());
  for (let r = 0; r < w.replicaCount; r++) {
    if (!w.rActive[r]) continue;
    const c = w.rContainer[r];
    const cb = w.chunkBytes[w.cSds[c]];
    const m = memBy[c];
    for (let j = 0; j < w.rPrivN[r]; j++) {
      const n = w.owner[w.rPrivBase[r] + j];
      if (n >= 0) m.set(n, (m.get(n) ?? 0) + cb);
    }
    w.rBulkOn.forEach(r, (n, b) => { if (b > 0) m.set(n, (m.get(n) ?? 0) + b); });
  }
  const vBy: Map<number, number>[] = model.containers.map(() => new Map());
  for (let v = 0; v < w.vcpuCount; v++) {
    if (!w.vActive[v] || w.vNode[v] < 0) continue;
    const m = vBy[w.vContainer[v]];
    m.set(w.vNode[v], (m.get(w.vNode[v]) ?? 0) + 1);
  }
  return model.containers.map((k, c) => {
    const target = targetName(model, c);
    if (w.cSds[c] < 0) {
      const p = packed.container(c);
      return { name: k.name, replicas: packed.replicas(c), target, locality: round(p.locality, 6), slowdown: round(p.slowdown, 6), nodes: shares(model, p.nodes), vcpus: shares(model, p.nodes), memory: packed.replicas(c) * k.memoryRequest };
    }
    const locality = st.cSamples[c] > 0 ? st.cLocal[c] / st.cSamples[c] : 1;
    const slowdown = st.cCompute[c] > 0 ? (st.cContended[c] + st.cStall[c]) / st.cCompute[c] : 1;
    let mem = 0;
    for (const b of memBy[c].values()) mem += b;
    return { name: k.name, replicas: w.cReplicas[c], target, locality: round(locality, 6), slowdown: round(slowdown, 6), nodes: shares(model, memBy[c]), vcpus: shares(model, vBy[c]), memory: Math.round(mem) };
  });
}

function shares(model: Model, m: ReadonlyMap<number, number>): Record<string, number> {
  let total = 0;
  for (const v of m.values()) total += v;
  const out: Record<string, number> = {};
  const ids = [...m.keys()].sort((a, b) => a - b);
  for (const id of ids) if (total > 0 && (m.get(id) ?? 0) > 0) out[model.nodes[id].ref] = round((m.get(id) ?? 0) / total, 6);
  return out;
}

/**
 * Use of the nodes of packed targets over time. Packed replicas do not move on their own, so
 * their nodes' CPU (limit x load) and memory change only at scenario events: recorded at the
 * start and after each event, then averaged into the timeline's buckets.
 */
function packedUsage(model: Model, w: ReturnType<typeof buildWorld>, placement: PlacementResult, packed: PackedState) {
  const byRef = new Map(model.nodes.map((n) => [n.ref, n.id]));
  const seen = new Set<number>();
  for (const t of placement.targets) {
    if (t.kind === 'sds') continue;
    for (const nd of t.nodes) { const id = byRef.get(nd.ref); if (id !== undefined && w.nodeSds[id] < 0) seen.add(id); }
  }
  const ids = [...seen].sort((a, b) => a - b);
  const snapshots: { tick: number; cpu: Float64Array; memory: Float64Array }[] = [];
  const record = (tick: number): void => {
    const cpu = new Float64Array(ids.length);
    const memory = new Float64Array(ids.length);
    ids.forEach((id, i) => { const u = packed.node(id); cpu[i] = u.cpu; memory[i] = u.memory; });
    if (snapshots.length && snapshots[snapshots.length - 1].tick === tick) snapshots.pop();
    snapshots.push({ tick, cpu, memory });
  };
  record(0);
  return {
    record,
    series(buckets: number, ticksPerBucket: number, ticks: number): Map<number, { cpu: number[]; memory: number[] }> {
      const out = new Map(ids.map((id) => [id, { cpu: [] as number[], memory: [] as number[] }]));
      for (let b = 0; b < buckets; b++) {
        const from = b * ticksPerBucket;
        const to = Math.min(ticks, from + ticksPerBucket);
        const cpu = new Float64Array(ids.length);
        const memory = new Float64Array(ids.length);
        snapshots.forEach((s, k) => {
          const end = k + 1 < snapshots.length ? snapshots[k + 1].tick : Infinity;
          const overlap = Math.min(to, end) - Math.max(from, s.tick);
          if (overlap <= 0) return;
          const share = overlap / Math.max(1, to - from);
          for (let i = 0; i < ids.length; i++) { cpu[i] += s.cpu[i] * share; memory[i] += s.memory[i] * share; }
        });
        ids.forEach((id, i) => { const o = out.get(id)!; o.cpu.push(cpu[i]); o.memory.push(memory[i]); });
      }
      return out;
    },
  };
}

function nodeResults(model: Model, w: ReturnType<typeof buildWorld>, st: EngineStats, packed: PackedState): NodeResult[] {
  return model.nodes.map((n) => {
    const inSds = w.nodeSds[n.id] >= 0;
    const failed = packed.failed(n.id) || (inSds && !w.nodeAlive[n.id] && (n.role === 'active' || packed.failed(n.id)));
    const sds = inSds ? model.sdses[w.nodeSds[n.id]].name : n.sds !== null ? model.sdses[n.sds].name : null;
    if (inSds || n.sds !== null) {
      return { ref: n.ref, sds, cores: n.cores, memory: n.memory, cpuUtil: round(n.cores > 0 ? st.nodeBusy[n.id] / n.cores : 0, 6), memoryUsed: Math.round(failed ? 0 : w.nodeMemUsed[n.id]), failed };
    }
    const u = packed.node(n.id);
    return { ref: n.ref, sds: null, cores: n.cores, memory: n.memory, cpuUtil: round(n.cores > 0 ? Math.min(1, u.cpu / n.cores) : 0, 6), memoryUsed: Math.round(u.memory), failed };
  });
}

function edgeResults(model: Model, w: ReturnType<typeof buildWorld>, st: EngineStats, packed: PackedState): EdgeResult[] {
  return w.edges.map((e, i) => {
    const from = model.containers[e.from].name;
    const to = model.containers[e.to].name;
    let locality: number;
    if (w.cSds[e.from] >= 0 && w.cSds[e.from] === w.cSds[e.to] && e.from !== e.to) locality = st.eSamples[i] > 0 ? st.eLocal[i] / st.eSamples[i] : 1;
    else if (w.cSds[e.from] < 0 && w.cSds[e.to] < 0) locality = packed.edgeLocality(e.from, e.to);
    else locality = 0;
    return { from, to, weight: e.weight, locality: round(locality, 6) };
  });
}

function targetName(model: Model, c: number): string {
  const t = model.containers[c].target;
  if (!t) return '';
  if (t.kind === 'sds') return model.sdses[t.sds].name;
  if (t.kind === 'rack') return model.racks[t.rack].name;
  return t.nodes.map((n) => model.nodes[n].ref).join(', ');
}

function eventTarget(model: Model, e: ScenarioEvent): string {
  switch (e.kind) {
    case 'fail': return model.nodes[e.node].ref;
    case 'add': return model.nodes[e.node].ref;
    case 'scale': return model.containers[e.container].name;
    case 'load': return model.containers[e.container].name;
  }
}

function eventSubject(model: Model, e: ScenarioEvent): string {
  switch (e.kind) {
    case 'fail': return `fail ${model.nodes[e.node].ref} at ${e.t}s`;
    case 'add': return `add ${model.nodes[e.node].ref} to ${model.sdses[e.sds].name} at ${e.t}s`;
    case 'scale': return `scale ${model.containers[e.container].name} to ${e.replicas} at ${e.t}s`;
    case 'load': return `load ${model.containers[e.container].name} ${pct(e.load)} at ${e.t}s`;
  }
}

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

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

export { vcpusFor };
