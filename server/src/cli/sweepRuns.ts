// The runs of `topo sweep`: which runs a sweep has (scenario × policy × seed, in that order),
// which of them a shard takes, one run as a JSON line, and reading those lines back (`merge`).
// Each line is one JSON object: the first of a file is the sweep's header (`type: "sweep"`),
// the others its runs (`type: "run"`). docs/sweep.md lists the fields.
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { CheckResult } from '../core/check';
import type { Policy } from '../core/model/types';
import type { SimulationResult, SimulationSummary } from '../core/result';
import { simulate, type SimulateOptions } from '../core/simulator/index';
import { workspaceRootOf } from './program';

/** The version of the JSON lines `topo sweep --format jsonl` writes. */
export const SWEEP_VERSION = '1';

export { POLICIES } from '../core/syntax/words';

/** What a sweep runs: every scenario (null: the base deployment) × policy × seed. */
export interface SweepSpec {
  readonly scenarios: readonly (string | null)[];
  readonly policies: readonly Policy[];
  readonly seeds: readonly number[];
  /** `--samples`, null for the simulator's default. */
  readonly samples: number | null;
  /** `--budget` in milliseconds, null for the simulator's default. */
  readonly budgetMs: number | null;
}

/** One run of a sweep, by its index in the sweep's order. */
export interface SweepJob {
  readonly index: number;
  readonly scenario: string | null;
  readonly policy: Policy;
  readonly seed: number;
  readonly samples: number | null;
  readonly budgetMs: number | null;
}

/** The first line of a sweep's results. */
export interface SweepHeader {
  readonly type: 'sweep';
  readonly version: typeof SWEEP_VERSION;
  /** The file's path inside its workspace (the same on every machine the file is copied to). */
  readonly file: string;
  /** sha256 of the file and everything it imports (merge refuses shards of different files). */
  readonly digest: string;
  readonly scenarios: readonly (string | null)[];
  readonly policies: readonly Policy[];
  readonly seeds: readonly number[];
  readonly samples: number | null;
  readonly budgetMs: number | null;
  /** Runs of the whole sweep (every shard's). */
  readonly runs: number;
  /** This file's shard: runs whose index % count == index. */
  readonly shard: { readonly index: number; readonly count: number };
}

/** The figures of the simulator's steady-state summary a run line keeps (wall time and sampled accesses left out, so that a line depends on its inputs only), in the order it writes them. */
export const RUN_FIGURES = ['locality', 'localityError', 'slowdown', 'slowdownError', 'stallSeconds', 'vcpuMigrations', 'chunkMigrations', 'replications', 'networkBytes', 'simulatedSeconds'] as const satisfies readonly (keyof SimulationSummary)[];
export type RunFigures = Pick<SimulationSummary, (typeof RUN_FIGURES)[number]>;

/** The run figures, each read by `get`. */
export function runFigures(get: (name: keyof RunFigures) => number): RunFigures {
  return Object.fromEntries(RUN_FIGURES.map((k) => [k, get(k)])) as Record<keyof RunFigures, number>;
}

/** One run's figures. */
export interface SweepRunLine extends RunFigures {
  readonly type: 'run';
  readonly index: number;
  readonly scenario: string | null;
  readonly policy: Policy;
  readonly seed: number;
  /** An event of the scenario was not absorbed (T501): the figures cover the run up to it. */
  readonly stopped: boolean;
  /** Codes of the run's simulation diagnostics (T500-T503), each once, sorted. */
  readonly codes: readonly string[];
  readonly containers: readonly { readonly name: string; readonly locality: number | null; readonly slowdown: number | null }[];
}

export function runCount(spec: SweepSpec): number {
  return spec.scenarios.length * spec.policies.length * spec.seeds.length;
}

/** The run at `index`: scenarios outermost, seeds innermost. */
export function jobAt(spec: SweepSpec, index: number): SweepJob {
  const s = spec.seeds.length;
  const p = spec.policies.length;
  return {
    index,
    scenario: spec.scenarios[Math.floor(index / (s * p))],
    policy: spec.policies[Math.floor(index / s) % p],
    seed: spec.seeds[index % s],
    samples: spec.samples,
    budgetMs: spec.budgetMs,
  };
}

/** The runs of shard `index` of `count` (every count-th run, so that each shard gets a share of every scenario). */
export function shardJobs(spec: SweepSpec, index: number, count: number): SweepJob[] {
  const jobs: SweepJob[] = [];
  for (let i = index; i < runCount(spec); i += count) jobs.push(jobAt(spec, i));
  return jobs;
}

/** The files of a checked program, by their paths inside its workspace, sorted. */
export function programFiles(path: string, result: CheckResult): { root: string; files: { path: string; text: string }[] } {
  const { root } = workspaceRootOf(path);
  const files = [...result.trees].map(([file, tree]) => ({ path: relative(root, file).split('\\').join('/'), text: tree.text }));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root, files };
}

/** sha256 over each file's workspace path and text. */
export function programDigest(files: readonly { path: string; text: string }[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.path}\0${f.text.length}\0${f.text}`);
  return h.digest('hex');
}

/** Simulates one run of the sweep. */
export function runJob(result: CheckResult, job: SweepJob): SweepRunLine {
  const texts = new Map<string, string>();
  for (const [f, tree] of result.trees) texts.set(f, tree.text);
  const options: SimulateOptions = {
    scenario: job.scenario,
    policy: job.policy,
    seed: job.seed,
    samples: job.samples ?? undefined,
    budgetMs: job.budgetMs ?? undefined,
    texts,
    placement: result.placement,
  };
  return runLine(job, simulate(result.model, options));
}

function runLine(job: SweepJob, r: SimulationResult): SweepRunLine {
  const s = r.summary;
  return {
    type: 'run',
    index: job.index,
    scenario: job.scenario,
    policy: job.policy,
    seed: job.seed,
    ...runFigures((k) => s[k]),
    stopped: r.events.some((e) => !e.absorbed && e.reached !== false),
    codes: [...new Set(r.diagnostics.map((d) => d.code))].sort(),
    containers: r.containers.map((c) => ({ name: c.name, locality: c.locality, slowdown: c.slowdown })),
  };
}

/** A line of JSON lines output: no raw control character (JSON.stringify escapes U+0000-U+001F; DEL, C1 and bidi overrides escaped too). */
export function jsonLine(value: SweepHeader | SweepRunLine): string {
  return `${JSON.stringify(value).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
