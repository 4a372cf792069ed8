// `topo sweep FILE`: every scenario × policy × seed of a file, on all local cores (worker
// threads), as a table of means with 95% intervals and as JSON lines; `--shard I/N` runs one
// shard of it, `--emit k8s-job` writes the Kubernetes Indexed Job that runs every shard, and
// `topo sweep merge RESULTS...` puts the shards' lines back together. docs/sweep.md.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckResult } from '../core/check';
import type { Model, Policy } from '../core/model/types';
import { DiagnosticPrinter } from './diagnosticsOutput';
import { absolutePath, displayPath, formatFlag, parseArgs, UsageError, type CliIo } from './io';
import { checkFileArg } from './program';
import { oneLine } from './terminal';
import { checkJobName, defaultJobName, jobManifest } from './sweepK8s';
import { mergeSections, readSections } from './sweepMerge';
import { jsonLine, POLICIES, programDigest, programFiles, runCount, runJob, shardJobs, SWEEP_VERSION, type SweepHeader, type SweepJob, type SweepRunLine, type SweepSpec } from './sweepRuns';
import { sweepText } from './sweepTable';
import type { SweepWorkerData } from './sweepWorker';

export const SWEEP_USAGE = 'topo sweep FILE [--scenarios L] [--policies L] [--seeds N] [--jobs N] [--format text|jsonl] [--out F] [--shard I/N] [--emit k8s-job --image I] | topo sweep merge RESULTS...';

/** Seeds when --seeds is not given. */
export const DEFAULT_SEEDS = 5;
/** Shards of `--emit k8s-job` when --shards is not given (fewer when the sweep has fewer runs). */
export const DEFAULT_SHARDS = 10;
const MAX_RUNS = 100_000;
const BASE = 'base';

type Flags = Map<string, string | true>;

/** `topo sweep ...`. Exit 0 done, 1 the file has errors, 2 usage or unreadable input. */
export async function runSweep(args: string[], io: CliIo): Promise<number> {
  if (args[0] === 'merge') return runMerge(args.slice(1), io);
  const { files, flags } = parseArgs(args, ['scenarios', 'policies', 'seeds', 'samples', 'budget', 'jobs', 'format', 'out', 'shard', 'shards', 'emit', 'image', 'name'], ['force']);
  if (files.length === 0) throw new UsageError('no file given');
  if (files.length > 1) throw new UsageError(`one file at a time (got ${files.length}); to put shards' results together: topo sweep merge RESULTS...`);
  const emit = flags.get('emit');
  if (emit !== undefined && emit !== 'k8s-job') throw new UsageError('--emit takes k8s-job (a Kubernetes Indexed Job that runs the sweep one shard per pod)');
  const only = emit ? ['format', 'jobs', 'shard'] : ['image', 'name'];
  for (const f of only) if (flags.has(f)) throw new UsageError(emit ? `--${f} does not go with --emit k8s-job (the pods run --jobs 1 --format jsonl, each its own shard)` : `--${f} goes with --emit k8s-job`);
  if (flags.has('shard') && flags.has('shards')) throw new UsageError('give --shard I/N or --shards N (the index from JOB_COMPLETION_INDEX), not both');
  const format = emit ? 'text' : formatFlag(flags, ['text', 'jsonl']);
  const jobs = emit ? 1 : integer(flags, 'jobs', 1, 256, '--jobs must be a number of worker threads from 1 to 256') ?? availableParallelism();
  const out = outFile(io, flags);
  const [file] = files;
  const result = checkFileArg(io, file);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const printer = new DiagnosticPrinter(io, result);
    io.err(`${errors.map((d) => printer.human(d)).join('\n\n')}\n\nnot swept: the file has errors\n`);
    return 1;
  }
  const spec = sweepSpec(result.model, flags);
  const path = absolutePath(io, file);
  const program = programFiles(path, result);
  const rel = program.files.find((f) => join(program.root, f.path) === path)?.path ?? file;
  if (emit) return emitJob(io, flags, spec, rel, program.files, out);
  const shard = shardFlag(flags);
  const header: SweepHeader = { type: 'sweep', version: SWEEP_VERSION, file: rel, digest: programDigest(program.files), ...spec, runs: runCount(spec), shard };
  const mine = shardJobs(spec, shard.index, shard.count);
  const lines: SweepRunLine[] = [];
  const streamed = format === 'jsonl';
  if (streamed) io.out(jsonLine(header));
  const t0 = performance.now();
  const bar = progressBar(io, mine.length);
  await runJobs(io, path, result, header.digest, mine, Math.min(jobs, Math.max(1, mine.length)), (line) => {
    lines.push(line);
    if (streamed) io.out(jsonLine(line));
    bar?.(lines.length);
  });
  if (bar) io.progress?.(`\r${' '.repeat(progressWidth())}\r`);
  if (out) writeOut(io, out, [header, ...lines].map(jsonLine).join(''));
  if (!streamed) io.out(shard.count > 1 ? shardText(header, lines) : nothing(lines) ? `${oneLine(rel)}: nothing to simulate: no container with replicas runs on an SDS, a rack or a node set\n` : sweepText(header, lines));
  if (io.progress) io.err(`${mine.length} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${Math.min(jobs, mine.length)} thread${jobs > 1 ? 's' : ''}${out ? `; wrote ${displayPath(io, out)}` : ''}\n`);
  return 0;
}

/** `topo sweep merge RESULTS...`: the shards' lines as one sweep's table (or its lines). */
function runMerge(args: string[], io: CliIo): number {
  const { files, flags } = parseArgs(args, ['format', 'out'], ['force']);
  if (files.length === 0) throw new UsageError('no results given: topo sweep merge shard-*.jsonl');
  const format = formatFlag(flags, ['text', 'jsonl']);
  const out = outFile(io, flags);
  const sections = [];
  const skipped: string[] = [];
  for (const f of files) {
    const p = absolutePath(io, f);
    if (!existsSync(p) || !statSync(p).isFile()) throw new UsageError(`cannot read ${f}: ${existsSync(p) ? 'not a file' : 'no such file'}`);
    const read = readSections(displayPath(io, p), readFileSync(p, 'utf8'));
    sections.push(...read.sections);
    skipped.push(...read.skipped);
  }
  const { header, runs } = mergeSections(sections);
  if (skipped.length) io.err(`topo sweep merge: skipped ${skipped.length} line${skipped.length > 1 ? 's' : ''} that ${skipped.length > 1 ? 'are' : 'is'} not JSON (first ${oneLine(skipped[0])})\n`);
  const text = [header, ...runs].map(jsonLine).join('');
  if (out) writeOut(io, out, text);
  io.out(format === 'jsonl' ? text : sweepText(header, runs));
  return 0;
}

function integer(flags: Flags, name: string, min: number, max: number, message: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(message);
  return Number(v);
}

/** A comma-separated list, each item once. */
function list(flags: Flags, name: string): string[] | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  if (v === true) throw new UsageError(`--${name} needs a value`);
  const items = v.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${name} ${JSON.stringify(v)} has an empty item: give names separated by commas`);
  const twice = items.find((s, i) => items.indexOf(s) !== i);
  if (twice !== undefined) throw new UsageError(`--${name} names ${JSON.stringify(twice)} twice`);
  return items;
}

/** What the flags select: scenarios (base deployment first, then the file's, in order), policies, seeds. */
export function sweepSpec(model: Model, flags: Flags): SweepSpec {
  const names = model.scenarios.map((s) => s.name);
  const chosen = list(flags, 'scenarios');
  if (chosen?.includes(BASE) && names.includes(BASE)) throw new UsageError('the file has a scenario named "base", and `base` in --scenarios is the base deployment: rename the scenario');
  for (const c of chosen ?? []) {
    if (c !== BASE && !names.includes(c)) throw new UsageError(`no scenario named ${JSON.stringify(c)}; the file has ${names.length ? names.map((n) => JSON.stringify(n)).join(', ') : 'no scenarios'} (and \`base\`, the base deployment)`);
  }
  const scenarios: (string | null)[] = chosen ? chosen.map((c) => (c === BASE ? null : c)) : [null, ...names];
  const policyNames = list(flags, 'policies');
  for (const p of policyNames ?? []) if (!(POLICIES as readonly string[]).includes(p)) throw new UsageError(`--policies: unknown policy ${JSON.stringify(p)}; the policies are ${POLICIES.join(', ')}`);
  const policies = policyNames ? (policyNames as Policy[]) : [...POLICIES];
  const seeds = seedsFlag(flags);
  const samples = integer(flags, 'samples', 1, 4096, '--samples must be a whole number of sampled accesses per vCPU per tick, from 1 to 4096') ?? null;
  const budget = flags.get('budget');
  let budgetMs: number | null = null;
  if (budget !== undefined) {
    if (typeof budget !== 'string' || !/^\d+(\.\d+)?$/.test(budget) || !(Number(budget) > 0) || Number(budget) > 3_600_000) throw new UsageError('--budget must be a number of milliseconds per run, more than 0 and at most 3600000');
    budgetMs = Number(budget);
  }
  const spec = { scenarios, policies, seeds, samples, budgetMs };
  if (runCount(spec) > MAX_RUNS) throw new UsageError(`${scenarios.length} scenarios × ${policies.length} policies × ${seeds.length} seeds make ${runCount(spec)} runs, more than ${MAX_RUNS}: fewer seeds, or split the sweep by --scenarios`);
  return spec;
}

const SEEDS_MESSAGE = '--seeds takes a count (10: seeds 1..10), a range (5..9) or a list (1,7,42); seeds are from 0 to 4294967295';

/** `--seeds N` (seeds 1..N), `A..B` or `a,b,c`. */
export function seedsFlag(flags: Flags): number[] {
  const v = flags.get('seeds');
  if (v === undefined) return Array.from({ length: DEFAULT_SEEDS }, (_, i) => i + 1);
  if (typeof v !== 'string') throw new UsageError(SEEDS_MESSAGE);
  const seed = (s: string): number => {
    const n = Number(s);
    if (!/^\d+$/.test(s) || n > 0xffffffff) throw new UsageError(SEEDS_MESSAGE);
    return n;
  };
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n < 1 || n > MAX_RUNS) throw new UsageError(`--seeds ${v}: a count of seeds from 1 to ${MAX_RUNS} (for seed 0 alone: --seeds 0..0)`);
    return Array.from({ length: n }, (_, i) => i + 1);
  }
  const range = /^(\d+)\.\.(\d+)$/.exec(v);
  if (range) {
    const [a, b] = [seed(range[1]), seed(range[2])];
    if (a > b) throw new UsageError(`--seeds ${v}: the range goes down; write ${b}..${a}`);
    if (b - a + 1 > MAX_RUNS) throw new UsageError(`--seeds ${v}: more than ${MAX_RUNS} seeds`);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  if (!v.includes(',')) throw new UsageError(SEEDS_MESSAGE);
  const items = v.split(',').map((s) => seed(s.trim()));
  const twice = items.find((s, i) => items.indexOf(s) !== i);
  if (twice !== undefined) throw new UsageError(`--seeds lists seed ${twice} twice`);
  return items;
}

/** `--shard I/N`, or `--shards N` with the index in JOB_COMPLETION_INDEX (as a pod of an Indexed Job has it); else the whole sweep. */
function shardFlag(flags: Flags): { index: number; count: number } {
  const explicit = flags.get('shard');
  const counted = flags.get('shards');
  if (explicit !== undefined) {
    const m = typeof explicit === 'string' ? /^(\d+)\/(\d+)$/.exec(explicit) : null;
    if (!m || Number(m[2]) < 1 || Number(m[2]) > MAX_RUNS || Number(m[1]) >= Number(m[2])) throw new UsageError(`--shard must be INDEX/COUNT with 0 <= INDEX < COUNT <= ${MAX_RUNS} (--shard 0/4 is the first of 4)`);
    return { index: Number(m[1]), count: Number(m[2]) };
  }
  if (counted !== undefined) {
    const count = typeof counted === 'string' && /^\d+$/.test(counted) ? Number(counted) : 0;
    if (count < 1 || count > MAX_RUNS) throw new UsageError(`--shards must be a count of shards from 1 to ${MAX_RUNS}`);
    const env = process.env.JOB_COMPLETION_INDEX;
    if (env === undefined) throw new UsageError('--shards N runs the shard JOB_COMPLETION_INDEX names (Kubernetes sets it in the pods of an Indexed Job), and it is not set: give --shard INDEX/N to run one shard here');
    if (!/^\d+$/.test(env) || Number(env) >= count) throw new UsageError(`JOB_COMPLETION_INDEX is ${JSON.stringify(env)}: it must be a shard index from 0 to ${count - 1}`);
    return { index: Number(env), count };
  }
  return { index: 0, count: 1 };
}

function outFile(io: CliIo, flags: Flags): string | null {
  const out = flags.get('out');
  if (out === undefined) return null;
  if (out === true) throw new UsageError('--out needs a file name');
  const p = absolutePath(io, out);
  if (existsSync(p) && statSync(p).isDirectory()) throw new UsageError(`--out ${out} is a folder; give a file name`);
  if (existsSync(p) && !flags.has('force')) throw new UsageError(`${out} exists; use --force to overwrite it`);
  return p;
}

function writeOut(io: CliIo, path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${displayPath(io, path)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function emitJob(io: CliIo, flags: Flags, spec: SweepSpec, file: string, files: readonly { path: string; text: string }[], out: string | null): number {
  const image = flags.get('image');
  if (image === undefined || image === true) throw new UsageError('--emit k8s-job needs --image IMAGE: an image with topo in it (the repository\'s Dockerfile builds one)');
  if (/\s/.test(image)) throw new UsageError(`--image ${JSON.stringify(image)} has a space in it`);
  const runs = runCount(spec);
  const shardsFlag = flags.get('shards');
  let shards = Math.min(runs, DEFAULT_SHARDS);
  if (shardsFlag !== undefined) {
    shards = typeof shardsFlag === 'string' && /^\d+$/.test(shardsFlag) ? Number(shardsFlag) : 0;
    if (shards < 1 || shards > runs) throw new UsageError(`--shards must be a count from 1 to ${runs} (the sweep's runs)`);
  }
  const name = flags.get('name');
  const jobName = typeof name === 'string' ? name : defaultJobName(file);
  checkJobName(jobName);
  const passed: string[] = [];
  for (const f of ['scenarios', 'policies', 'seeds', 'samples', 'budget']) {
    const v = flags.get(f);
    if (typeof v === 'string') passed.push(`--${f}`, v);
  }
  const text = jobManifest({ name: jobName, image, shards, files, file, flags: passed });
  if (out) {
    writeOut(io, out, text);
    io.err(`wrote ${displayPath(io, out)}: ${runs} runs in ${shards} shards\n`);
  } else {
    io.out(text);
  }
  return 0;
}

/**
 * The runs; `done` gets their lines in order of index. With one job they run in this thread;
 * with N, this thread runs them too, beside N-1 worker threads (each starts cold: the first
 * runs of a thread take several times as long, so one thread fewer to warm up is worth it).
 * Each worker has two runs in hand, so that it never waits for this thread to finish one.
 */
async function runJobs(io: CliIo, path: string, result: CheckResult, digest: string, jobs: readonly SweepJob[], workers: number, done: (line: SweepRunLine) => void): Promise<void> {
  const yieldToEvents = (): Promise<void> => new Promise((r) => setImmediate(r));
  const script = workerScript();
  if (workers <= 1 || script === null) {
    for (const job of jobs) {
      done(runJob(result, job));
      // let the progress bar draw
      if (io.progress) await yieldToEvents();
    }
    return;
  }
  const lines: (SweepRunLine | undefined)[] = Array.from({ length: jobs.length }, () => undefined);
  const position = new Map(jobs.map((j, i) => [j.index, i]));
  let emitted = 0;
  let next = 0;
  let finished = false;
  const pool: Worker[] = [];
  let settle: { resolve: () => void; reject: (e: Error) => void } | undefined;
  const ended = new Promise<void>((resolve, reject) => { settle = { resolve, reject }; });
  // a worker can fail while this thread is in a run: the rejection is awaited below, not lost
  ended.catch(() => undefined);
  const finish = (e?: Error): void => {
    if (finished) return;
    finished = true;
    for (const w of pool) void w.terminate();
    if (e) settle?.reject(e); else settle?.resolve();
  };
  const accept = (line: SweepRunLine): void => {
    lines[position.get(line.index) ?? -1] = line;
    while (emitted < jobs.length && lines[emitted]) done(lines[emitted++] as SweepRunLine);
    if (emitted === jobs.length) finish();
  };
  const data: SweepWorkerData = { path, cwd: io.cwd };
  for (let i = 0; i < workers - 1; i++) {
    const w = new Worker(script, { workerData: data });
    pool.push(w);
    const feed = (): void => {
      if (next < jobs.length) w.postMessage(jobs[next++]);
    };
    w.on('message', (m: { type: 'run'; digest: string; line: SweepRunLine } | { type: 'error'; index: number; message: string }) => {
      if (finished) return;
      if (m.type === 'error') return finish(new Error(`run ${m.index}: ${m.message}`));
      if (m.digest !== digest) return finish(new UsageError(`${displayPath(io, path)} changed during the sweep: run it again`));
      accept(m.line);
      feed();
    });
    w.on('error', (e) => finish(e instanceof UsageError ? e : new Error(`a worker thread failed: ${e.message}`)));
    w.on('exit', (code) => {
      if (!finished && code !== 0) finish(new Error(`a worker thread exited with status ${code}`));
    });
    feed();
    feed();
  }
  while (!finished && next < jobs.length) {
    const job = jobs[next++];
    try {
      accept(runJob(result, job));
    } catch (e) {
      finish(e instanceof Error ? e : new Error(String(e)));
    }
    await yieldToEvents();
  }
  return ended;
}

/** dist/sweep-worker.js beside the bundled CLI; null when run from the sources (tsx cannot load a worker's TypeScript): then every run is in this thread, with the same results. */
function workerScript(): string | null {
  const bundled = join(__dirname, 'sweep-worker.js');
  return existsSync(bundled) ? bundled : null;
}

function progressWidth(): number {
  return Math.max(20, Math.min(79, (process.stderr.columns || 80) - 1));
}

/** A progress line on a terminal (only our own characters), redrawn at most every 100 ms; undefined when stderr is not a terminal. */
function progressBar(io: CliIo, total: number): ((done: number) => void) | undefined {
  const write = io.progress;
  if (!write || total === 0) return undefined;
  let last = 0;
  const t0 = performance.now();
  return (done) => {
    const now = performance.now();
    if (done < total && now - last < 100) return;
    last = now;
    const label = ` ${done}/${total} runs ${((now - t0) / 1000).toFixed(0)}s`;
    const cells = Math.max(10, progressWidth() - label.length - 2);
    const full = Math.round((done / total) * cells);
    write(`\r[${'#'.repeat(full)}${'-'.repeat(cells - full)}]${label}`);
  };
}

/** One shard's text: what it ran (the table needs every shard: topo sweep merge). */
function shardText(header: SweepHeader, lines: readonly SweepRunLine[]): string {
  return `${oneLine(header.file)}: shard ${header.shard.index} of ${header.shard.count}: ${lines.length} of ${header.runs} runs; use --format jsonl or --out FILE and put the shards together with topo sweep merge\n`;
}

function nothing(lines: readonly SweepRunLine[]): boolean {
  return lines.length > 0 && lines.every((l) => l.containers.every((c) => c.locality === null));
}
