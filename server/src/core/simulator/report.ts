import type { Model, Policy, Scenario, ScenarioEvent } from '../model/types';
import type { Location, LineRange } from '../text';
import { DIAGNOSTIC_SEVERITY } from '../diagnostics';
import type { ContainerResult, EdgeResult, EventResult, NodeResult, PlacementResult, SimulationDiagnostic, SimulationResult } from '../result';
import { SIMULATION_VERSION } from '../result';
import { formatBytes } from '../placement/format';
import { nodeSetName } from '../placement/targets';
import { eventModule } from './events';
import { trafficDiagnostics, trafficResult } from './saturation';
import { fmtSeconds, pct, round } from './format';
import type { PackedState } from './packed';
import { errorText, windowRatio, type Estimate, type Recorder } from './stats';
import { REGION_BULK, REGION_PRIVATE, type Edge, type SdsWorld } from './world';

/** One SDS's run: its world (in its final state after the run) and how it was sampled. */
export interface SdsRun {
  readonly world: SdsWorld;
  readonly seed: number;
  /** Seconds per tick, ticks, sampled accesses per vCPU per tick. */
  readonly dt: number;
  readonly ticks: number;
  readonly samples: number;
  /** How many of the file's ticks one tick of this run spans (1: not coarsened). */
  readonly tickFactor: number;
  readonly wantedSamples: number;
}

/** Everything a run is decided by before it starts. */
export interface RunPlan {
  readonly scenario: Scenario | null;
  readonly seed: number;
  readonly duration: number;
  readonly baseTick: number;
  readonly events: readonly ScenarioEvent[];
  readonly rho: number;
  readonly samples: number;
  readonly policy: Policy;
  /** The policy each SDS (by index) runs: its own `policy`, unless the run or the scenario sets one. */
  readonly policyOf: (sdsIndex: number) => Policy;
}

export interface AssembleInput {
  readonly model: Model;
  readonly plan: RunPlan & { readonly version: typeof SIMULATION_VERSION };
  readonly placement: PlacementResult;
  readonly edges: readonly Edge[];
  readonly runs: readonly SdsRun[];
  readonly recorder: Recorder;
  readonly packed: PackedState;
  /** Why an event was not absorbed (replicas of a packed target that found no node), when known. */
  readonly why: (e: ScenarioEvent) => string | undefined;
  /** Simulated seconds the figures cover (less than the duration when an event was not absorbed). */
  readonly covered: number;
  readonly stop: ScenarioEvent | null;
  readonly notAbsorbed: ReadonlySet<ScenarioEvent>;
  readonly points: number;
  readonly rows: number;
  readonly budgetMs: number;
  readonly resolve: (loc: Location) => LineRange;
  readonly wallMillis: number;
  readonly exact: boolean;
}

/** Slowdown above which a container is reported (T503). */
const T503_SLOWDOWN = 2;

/** The simulation document (../shared/spec/simulator.md, "Outputs") from a finished run. */
export function assemble(input: AssembleInput): SimulationResult {
  const { model, recorder: rec, covered } = input;
  const C = model.containers.length;
  const coveredBuckets = covered > 0 ? Math.min(rec.buckets, Math.ceil(covered / rec.bucketSeconds - 1e-9)) : 0;
  const from = Math.min(coveredBuckets, rec.bucketOf(covered / 2));
  const to = Math.max(from + (coveredBuckets > 0 ? 1 : 0), coveredBuckets);
  const worldOf = new Map<number, { run: SdsRun; local: number }>();
  for (const run of input.runs) run.world.cModel.forEach((c, i) => worldOf.set(c, { run, local: i }));
  const nodeWorld = new Map<number, { run: SdsRun; local: number }>();
  for (const run of input.runs) run.world.nodeId.forEach((n, i) => nodeWorld.set(n, { run, local: i }));

  const localityOf = (container: number): Estimate => windowRatio((b) => rec.local[b * C + container], (b) => rec.acc[b * C + container], from, to, NaN);
  const slowdownOf = (container: number): Estimate => windowRatio((b) => rec.contended[b * C + container] + rec.stall[b * C + container], (b) => rec.compute[b * C + container], from, to, NaN);
  const containers: ContainerResult[] = model.containers.map((k, c) => {
    const loc = localityOf(c);
    const slow = slowdownOf(c);
    const has = Number.isFinite(loc.value);
    const base = {
      name: k.name, target: targetName(model, c),
      locality: has ? round(loc.value, 6) : null, localityError: has ? round(loc.error, 6) : 0,
      slowdown: Number.isFinite(slow.value) ? round(slow.value, 6) : null, slowdownError: Number.isFinite(slow.value) ? round(slow.error, 6) : 0,
    };
    const sds = worldOf.get(c);
    if (sds) {
      const w = sds.run.world;
      const { memory, vcpus, total } = sdsShares(w, sds.local);
      return { ...base, replicas: w.cReplicas[sds.local], nodes: shares(model, memory), vcpus: shares(model, vcpus), memory: Math.round(total) };
    }
    if (k.target && k.target.kind !== 'sds') {
      const p = input.packed.container(c);
      return { ...base, replicas: input.packed.replicas(c), nodes: shares(model, p.nodes), vcpus: shares(model, p.nodes), memory: input.packed.replicas(c) * k.memoryRequest };
    }
    return { ...base, replicas: 0, nodes: {}, vcpus: {}, memory: 0 };
  });

  const all = (arr: Float64Array) => (b: number): number => { let s = 0; for (let c = 0; c < C; c++) s += arr[b * C + c]; return s; };
  const summaryLocality = windowRatio(all(rec.local), all(rec.acc), from, to, 1);
  const busy = all(rec.contended);
  const stalled = all(rec.stall);
  const summarySlowdown = windowRatio((b) => busy(b) + stalled(b), all(rec.compute), from, to, 1);

  const failed = new Set<number>();
  input.plan.events.forEach((e) => { const n = eventModule(e.kind).fails(e); if (n !== null && reached(input, e) && !input.notAbsorbed.has(e)) failed.add(n); });
  const nodes: NodeResult[] = model.nodes.map((n) => {
    const sdsNode = nodeWorld.get(n.id);
    const cpu = sumBuckets(rec.nodeCpu, rec.nodes, n.id, 0, coveredBuckets);
    const cpuUtil = covered > 0 && n.cores > 0 ? Math.min(1, cpu / (covered * n.cores)) : 0;
    const isFailed = failed.has(n.id) || input.packed.failed(n.id);
    if (sdsNode) {
      const w = sdsNode.run.world;
      return { ref: n.ref, sds: model.sdses[w.sds].name, cores: n.cores, memory: n.memory, cpuUtil: round(cpuUtil, 6), memoryUsed: Math.round(w.alive[sdsNode.local] ? Math.max(0, w.memUsed[sdsNode.local]) : 0), failed: isFailed };
    }
    const u = input.packed.node(n.id);
    const sds = n.sds !== null ? model.sdses[n.sds].name : null;
    return { ref: n.ref, sds, cores: n.cores, memory: n.memory, cpuUtil: round(cpuUtil, 6), memoryUsed: Math.round(isFailed ? 0 : u.memory), failed: isFailed };
  });

  const edges: EdgeResult[] = input.edges.map((e, i) => {
    const E = rec.edges;
    const est = windowRatio((b) => rec.edgeLocal[b * E + i], (b) => rec.edgeAcc[b * E + i], from, to, NaN);
    let locality = est.value;
    if (!Number.isFinite(locality)) {
      const packedBoth = !worldOf.has(e.from) && !worldOf.has(e.to);
      locality = packedBoth ? input.packed.edgeLocality(e.from, e.to) : worldOf.get(e.from)?.run === worldOf.get(e.to)?.run && worldOf.has(e.from) ? 1 : 0;
    }
    return { from: model.containers[e.from].name, to: model.containers[e.to].name, weight: e.weight, locality: round(locality, 6) };
  });

  const events: EventResult[] = input.plan.events.map((e) => ({ t: e.t, kind: e.kind, target: eventModule(e.kind).target(model, e), absorbed: reached(input, e) && !input.notAbsorbed.has(e), reached: reached(input, e) || input.notAbsorbed.has(e) }));

  const timeline = { t: [] as number[], locality: [] as number[], vcpuMigrations: [] as number[], chunkMigrations: [] as number[], networkBytes: [] as number[] };
  const accAll = all(rec.acc);
  const localAll = all(rec.local);
  for (let b = 0; b < coveredBuckets; b++) {
    const acc = accAll(b);
    timeline.t.push(round(b * rec.bucketSeconds, 6));
    timeline.locality.push(round(acc > 0 ? localAll(b) / acc : 1, 6));
    timeline.vcpuMigrations.push(Math.round(rec.vcpuMoves[b]));
    timeline.chunkMigrations.push(Math.round(rec.chunkMoves[b]));
    timeline.networkBytes.push(Math.round(rec.bytes[b]));
  }
  const packedRefs = new Set<string>();
  for (const t of input.placement.targets) if (t.kind !== 'sds') for (const x of t.nodes) packedRefs.add(x.ref);
  const inTimeline = (id: number): boolean => nodeWorld.has(id) || model.nodes[id].sds !== null || packedRefs.has(model.nodes[id].ref);
  const nodeTimeline = model.nodes.filter((n) => inTimeline(n.id)).map((n) => ({
    ref: n.ref,
    cpuUtil: Array.from({ length: coveredBuckets }, (_, b) => round(n.cores > 0 && rec.covered[b] > 0 ? Math.min(1, rec.nodeCpu[b * rec.nodes + n.id] / (rec.covered[b] * n.cores)) : 0, 6)),
    memoryUsed: Array.from({ length: coveredBuckets }, (_, b) => Math.round(rec.covered[b] > 0 ? (rec.nodeMem[b * rec.nodes + n.id] * rec.bucketSeconds) / rec.covered[b] : 0)),
  }));
  const containerTimeline = model.containers.map((k, c) => ({
    name: k.name,
    locality: Array.from({ length: coveredBuckets }, (_, b) => {
      const acc = rec.acc[b * C + c];
      return round(acc > 0 ? rec.local[b * C + c] / acc : containers[c].locality ?? 1, 6);
    }),
  }));

  const { stallSeconds, vcpuMigrations, chunkMigrations, replications, networkBytes } = runTotals(rec);
  // traffic is judged from the steady state on, or from the first event (its moves are what a scenario asks about)
  const firstEvent = input.plan.events.length ? rec.bucketOf(Math.min(...input.plan.events.map((e) => e.t))) : from;
  const judged = Math.min(from, firstEvent);
  const diagnostics = diagnose(input, containers, { from, to, coveredBuckets, judged });
  return {
    version: SIMULATION_VERSION,
    input: runInput(input),
    summary: {
      locality: round(summaryLocality.value, 6), localityError: round(summaryLocality.error, 6),
      slowdown: round(summarySlowdown.value, 6), slowdownError: round(summarySlowdown.error, 6),
      stallSeconds: round(stallSeconds, 6), vcpuMigrations: Math.round(vcpuMigrations), chunkMigrations: Math.round(chunkMigrations),
      replications: Math.round(replications), networkBytes: Math.round(networkBytes), wallMillis: round(input.wallMillis, 3),
      sampledAccesses: Math.round(rec.sampled), simulatedSeconds: round(covered, 6),
    },
    containers, nodes, edges, timeline, events, diagnostics, nodeTimeline, containerTimeline, traffic: trafficResult(model, rec, judged, coveredBuckets),
  };
}

/** What the run was asked and decided: the document's `input`. */
function runInput(input: AssembleInput): SimulationResult['input'] {
  const { model, plan } = input;
  const fine = input.runs.length ? Math.min(...input.runs.map((r) => r.dt)) : plan.baseTick;
  return {
    file: model.files[0] ?? '', seed: plan.seed, policy: plan.policy, duration: plan.duration, tick: round(fine, 9),
    scenario: plan.scenario ? plan.scenario.name : null, samples: plan.samples, exact: input.exact, accessRate: plan.rho,
    sdsPolicies: Object.fromEntries(model.sdses.map((sds, i) => [sds.name, plan.policyOf(i)])),
  };
}

/** The run's totals over every bucket. */
function runTotals(rec: Recorder): { stallSeconds: number; vcpuMigrations: number; chunkMigrations: number; replications: number; networkBytes: number } {
  const totals = { stallSeconds: 0, vcpuMigrations: 0, chunkMigrations: 0, replications: 0, networkBytes: 0 };
  for (let b = 0; b < rec.buckets; b++) {
    totals.stallSeconds += rec.stallTotal[b];
    totals.vcpuMigrations += rec.vcpuMoves[b];
    totals.chunkMigrations += rec.chunkMoves[b];
    totals.replications += rec.copies[b];
    totals.networkBytes += rec.bytes[b];
  }
  return totals;
}

function reached(input: AssembleInput, event: ScenarioEvent): boolean {
  if (!input.stop) return true;
  const order = input.plan.events.indexOf(event) < input.plan.events.indexOf(input.stop);
  return event.t < input.stop.t || (event.t === input.stop.t && order);
}

function sumBuckets(arr: Float64Array, stride: number, index: number, from: number, to: number): number {
  let s = 0;
  for (let b = from; b < to; b++) s += arr[b * stride + index];
  return s;
}

/** Where a container of an SDS has its memory (private and untouched) and its vCPUs at the end of the run. */
function sdsShares(world: SdsWorld, container: number): { memory: Map<number, number>; vcpus: Map<number, number>; total: number } {
  const memory = new Map<number, number>();
  const vcpus = new Map<number, number>();
  let total = 0;
  const t = world.slots;
  for (let i = 0; i < world.cReplicasMax[container]; i++) {
    const r = world.cFirstReplica[container] + i;
    if (!world.rActive[r]) continue;
    for (const g of [world.rPrivate[r], world.rBulk[r]]) {
      if (world.regKind[g] !== REGION_PRIVATE && world.regKind[g] !== REGION_BULK) continue;
      for (let s = 0; s < t.count[g]; s++) {
        let chunks = 0;
        for (let b = 0; b < world.regBands[g]; b++) chunks += t.own[t.cell(g, b, s)];
        if (chunks <= 0) continue;
        const id = world.nodeId[t.nodeOf(g, s)];
        memory.set(id, (memory.get(id) ?? 0) + chunks * world.chunkBytes);
        total += chunks * world.chunkBytes;
      }
    }
    for (let j = 0; j < world.cVcpus[container]; j++) {
      const v = world.rVcpu0[r] + j;
      if (!world.vActive[v] || world.vNode[v] < 0) continue;
      const id = world.nodeId[world.vNode[v]];
      vcpus.set(id, (vcpus.get(id) ?? 0) + 1);
    }
  }
  return { memory, vcpus, total };
}

function shares(model: Model, byNode: ReadonlyMap<number, number>): Record<string, number> {
  let total = 0;
  for (const v of byNode.values()) total += v;
  const out: Record<string, number> = {};
  for (const id of [...byNode.keys()].sort((x, y) => x - y)) if (total > 0 && (byNode.get(id) ?? 0) > 0) out[model.nodes[id].ref] = round((byNode.get(id) ?? 0) / total, 6);
  return out;
}

// ---------------------------------------------------------------- diagnostics

function diagnose(input: AssembleInput, containers: readonly ContainerResult[], window: { from: number; to: number; coveredBuckets: number; judged: number }): SimulationDiagnostic[] {
  const { from, to } = window;
  const { model, resolve } = input;
  const scenario = input.plan.scenario ? input.plan.scenario.name : null;
  const out: SimulationDiagnostic[] = [];
  const inRun = scenario ? ` in scenario "${scenario}"` : '';
  const related = input.plan.scenario ? [{ file: input.plan.scenario.nameAt.file, range: resolve(input.plan.scenario.nameAt), message: `scenario "${scenario}"` }] : [];
  for (const e of input.plan.events) {
    if (!input.notAbsorbed.has(e)) continue;
    out.push({
      code: 'T501', severity: DIAGNOSTIC_SEVERITY.T501, scenario, related,
      message: `${eventModule(e.kind).notAbsorbed(model, e, input.why(e))}: the scenario stops there, its figures cover the first ${fmtSeconds(input.covered)}`,
      subject: eventModule(e.kind).subject(model, e), file: e.at.file, range: resolve(e.at),
    });
  }
  for (const run of input.runs) {
    const parts: string[] = [];
    if (run.tickFactor > 1) parts.push(`ticks of ${fmtMs(run.dt)} instead of ${fmtMs(input.plan.baseTick)}`);
    if (run.samples < run.wantedSamples) parts.push(`${run.samples} sampled accesses per vCPU per tick instead of ${run.wantedSamples}`);
    if (!parts.length) continue;
    const w = run.world;
    const sds = model.sdses[w.sds];
    const C = input.recorder.containers;
    const mine = Array.from(w.cModel);
    const rec = input.recorder;
    const loc = windowRatio((b) => mine.reduce((s, c) => s + rec.local[b * C + c], 0), (b) => mine.reduce((s, c) => s + rec.acc[b * C + c], 0), from, to, 1);
    const slow = windowRatio((b) => mine.reduce((s, c) => s + rec.contended[b * C + c] + rec.stall[b * C + c], 0), (b) => mine.reduce((s, c) => s + rec.compute[b * C + c], 0), from, to, 1);
    out.push({
      code: 'T502', severity: DIAGNOSTIC_SEVERITY.T502, scenario, related,
      message: `the simulation of ${sds.name}${inRun} was coarsened to stay within its share of the ${Math.max(1, Math.round(input.budgetMs))} ms budget: ${parts.join(', ')}; its steady-state locality is ${pct(loc.value)} ± ${errorText(loc.error * 100, 1)} points and its slowdown ${slow.value.toFixed(2)}x ± ${errorText(slow.value > 0 ? (slow.error / slow.value) * 100 : 0, 1)}% (95%)`,
      subject: sds.name, file: sds.nameAt.file, range: resolve(sds.nameAt),
    });
  }
  if (input.points < 200) {
    const first = model.sdses[0];
    const file = first ? first.nameAt.file : model.files[0] ?? '';
    out.push({
      code: 'T502', severity: DIAGNOSTIC_SEVERITY.T502, scenario, related,
      message: `the simulation${inRun} keeps timelines of at most ${input.points} points instead of 200 (${input.rows} nodes and containers)`,
      subject: first ? first.name : 'simulation', file, range: first ? resolve(first.nameAt) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    });
  }
  const threshold = model.defaults.localityThreshold;
  const rec = input.recorder;
  const C = rec.containers;
  containers.forEach((cr, c) => {
    const k = model.containers[c];
    // judged as printed: 2.003x is 2.00x, not over 2
    if (cr.slowdown !== null && round(cr.slowdown, 2) > T503_SLOWDOWN) {
      out.push({ code: 'T503', severity: DIAGNOSTIC_SEVERITY.T503, scenario, related, message: slowdownMessage(input, c, cr.slowdown, from, to) + inRun, subject: k.name, file: k.nameAt.file, range: resolve(k.nameAt) });
    }
    if (cr.locality !== null && cr.locality < threshold) {
      const e = cr.localityError > 0 ? ` ± ${(cr.localityError * 100).toFixed(1)}` : '';
      out.push({
        code: 'T500', severity: DIAGNOSTIC_SEVERITY.T500, scenario, related,
        message: `predicted locality of ${k.name}${inRun} is ${pct(cr.locality)}${e}, under the threshold of ${pct(threshold)}`,
        subject: k.name, file: k.nameAt.file, range: resolve(k.nameAt),
      });
    }
    void C;
  });
  out.push(...trafficDiagnostics({ model, rec, buckets: window.coveredBuckets, from: window.judged, scenario, related, resolve }));
  return out.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0)));
}

/** Why a container is slow: moves back and forth, remote accesses, or time slicing, whichever costs it most. */
function slowdownMessage(input: AssembleInput, container: number, slowdown: number, from: number, to: number): string {
  const rec = input.recorder;
  const C = rec.containers;
  const name = input.model.containers[container].name;
  let compute = 0, contended = 0, stall = 0, moveStall = 0, moves = 0, acc = 0, local = 0;
  for (let b = from; b < to; b++) {
    const i = b * C + container;
    compute += rec.compute[i]; contended += rec.contended[i]; stall += rec.stall[i]; moveStall += rec.moveStall[i]; moves += rec.moves[i]; acc += rec.acc[i]; local += rec.local[i];
  }
  const slicing = compute > 0 ? contended / compute - 1 : 0;
  const moving = compute > 0 ? moveStall / compute : 0;
  const remote = compute > 0 ? (stall - moveStall) / compute : 0;
  const x = `${slowdown.toFixed(2)}x`;
  if (moving >= slicing && moving >= remote) {
    return `${name} thrashes: its memory and vCPUs move back and forth (${formatCount(moves)} moves in the second half of the run), so it runs ${x} slower than alone`;
  }
  if (remote >= slicing) {
    const share = acc > 0 ? 1 - local / acc : 0;
    return `${name} runs ${x} slower than alone: ${pct(share)} of its memory accesses wait for another node`;
  }
  return `${name} runs ${x} slower than alone: its vCPUs wait for cores (time slicing on nodes with more vCPUs than cores)`;
}

function targetName(model: Model, container: number): string {
  const t = model.containers[container].target;
  if (!t) return '';
  if (t.kind === 'sds') return model.sdses[t.sds].name;
  if (t.kind === 'rack') return model.racks[t.rack].name;
  return nodeSetName(model, t.nodes);
}

function fmtMs(seconds: number): string {
  return `${round(seconds * 1000, 3)} ms`;
}

function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en');
}

export { formatBytes };
