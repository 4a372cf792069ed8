// The fuzzer's runner and command line.
//
//   node --import tsx test/fuzz/fuzz.ts [--minutes N | --seconds N] [--seed N] [--report FILE] [--no-save]
//   node --import tsx test/fuzz/fuzz.ts --replay FILE...      (re-check regression files, exit 1 if one fails)
//
// It alternates rounds of grammar-aware generated files (fast-check, shrunk on failure) and of
// mutated examples and fixtures (delta-minimised on failure), checks every invariant of
// invariants.ts on each, saves each new failure as test/fuzz/regressions/<hash>.json and prints
// a progress line every ten seconds. The work runs in a child process watched by this one: an
// input that makes no progress for a minute is a hang, saved as a regression, and the run goes on.
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import fc from 'fast-check';
import { checkInput, failureKeys, type Failure, type FuzzInput } from './invariants';
import { generatedCase, LIBRARY, render } from './generate';
import { minimize, stillFails } from './minimize';
import { loadCorpus, mutant, REPO, Rng, type Corpus } from './mutate';
import { readRegression, regressionFiles, saveRegression, TIMED, trimFiles, type Regression } from './regressions';

/** An input slower than this is listed as slow (a failure only when one ide request is slow, see IDE_REQUEST_MS). */
export const SLOW_MS = 2000;
/** The slowest inputs kept in the summary. */
const SLOWEST_KEPT = 5;
/** No progress for this long is a hang. */
export const HANG_MS = 60_000;
/** Inputs per round of each kind. */
const ROUND = 20;

export interface Found {
  readonly invariant: string;
  readonly message: string;
  readonly source: string;
  /** The regression file (relative to the repository), or '' when not saved. */
  readonly file: string;
  /** Text length of the input as found and after minimising. */
  readonly foundLength: number;
  readonly minimizedLength: number;
  /** Failing inputs with this invariant seen in the run. */
  occurrences: number;
}

export interface Slow {
  readonly millis: number;
  readonly source: string;
  readonly length: number;
  readonly stages: Readonly<Record<string, number>>;
  /** The input itself, to look into (it is not a failure unless over SLOW_FAILURE_MS). */
  readonly input: { readonly path: string; readonly text: string; readonly offsets: readonly number[] };
}

export interface Summary {
  seed: number;
  elapsedSeconds: number;
  inputs: number;
  generated: number;
  mutated: number;
  /** Inputs without errors (these were simulated too). */
  clean: number;
  /** Inputs that broke at least one invariant. */
  failing: number;
  found: Found[];
  /** Regression files that still fail when the run starts. */
  open: string[];
  /** The slowest inputs, slowest first. */
  slowest: Slow[];
  slowInputs: number;
  hangs: number;
  /** Failures that did not show again when the input was checked a second time (a slow request during a garbage collection). */
  flaky: number;
}

export function emptySummary(seed: number): Summary {
  return { seed, elapsedSeconds: 0, inputs: 0, generated: 0, mutated: 0, clean: 0, failing: 0, found: [], open: [], slowest: [], slowInputs: 0, hangs: 0, flaky: 0 };
}

/** Re-checks a regression: the failures it still shows. Small inputs are checked at every offset. */
export function replay(r: Regression): Failure[] {
  return [...checkInput(r.input, { everyOffset: r.input.text.length <= 400 }).failures];
}

type Message =
  | { readonly type: 'current'; readonly kind: 'generated' | 'mutated'; readonly path: string; readonly text: string; readonly offsets: readonly number[] }
  | { readonly type: 'progress' | 'done'; readonly summary: Summary }
  | { readonly type: 'alive' };

interface LoopOptions {
  readonly deadline: number;
  readonly seed: number;
  readonly save: boolean;
  readonly shrinkMs: number;
  readonly send: (m: Message) => void;
  readonly log: (line: string) => void;
}

function sourceOf(kind: 'generated' | 'mutated', input: FuzzInput, seed: number, n: number): string {
  return kind === 'generated' ? `generated (seed ${seed}, input ${n})` : `mutated ${input.path.replace(/^\/ws\//, '')} (seed ${seed}, input ${n})`;
}

/** The fuzzing loop (in the child process). */
export function runLoop(o: LoopOptions): Summary {
  const started = Date.now();
  const summary = emptySummary(o.seed);
  const known = new Map<string, Found>();
  for (const f of regressionFiles()) {
    const r = readRegression(f);
    if (TIMED.has(r.invariant)) continue; // the watchdog finds hangs and crashes; the unit test replays them in a child
    o.send({ type: 'alive' });
    const still = replay(r);
    if (still.length) {
      summary.open.push(relative(REPO, f));
      for (const x of still) known.set(x.invariant, { invariant: x.invariant, message: x.message, source: r.source, file: relative(REPO, f), foundLength: r.input.text.length, minimizedLength: r.input.text.length, occurrences: 0 });
    }
  }
  if (summary.open.length) o.log(`${summary.open.length} regression files still fail: ${summary.open.join(', ')}`);
  const corpus: Corpus = loadCorpus();
  const rng = new Rng(o.seed);
  let lastProgress = Date.now();

  const account = (kind: 'generated' | 'mutated', input: FuzzInput, ms: number, clean: boolean, failures: readonly Failure[], stages: Readonly<Record<string, number>>): void => {
    summary.inputs++;
    if (kind === 'generated') summary.generated++;
    else summary.mutated++;
    if (clean) summary.clean++;
    if (failures.length) summary.failing++;
    for (const k of new Set(failures.map((f) => f.invariant))) {
      const f = known.get(k);
      if (f) f.occurrences++;
    }
    if (ms > SLOW_MS) summary.slowInputs++;
    if (summary.slowest.length < SLOWEST_KEPT || ms > summary.slowest[summary.slowest.length - 1].millis) {
      summary.slowest.push({ millis: Math.round(ms), source: sourceOf(kind, input, o.seed, summary.inputs), length: input.text.length, stages: Object.fromEntries(Object.entries(stages).filter(([, v]) => v >= 1).map(([k, v]) => [k, Math.round(v)])), input: { path: input.path, text: input.text, offsets: input.offsets } });
      summary.slowest.sort((a, b) => b.millis - a.millis);
      summary.slowest.length = Math.min(summary.slowest.length, SLOWEST_KEPT);
    }
    if (Date.now() - lastProgress >= 5_000) {
      lastProgress = Date.now();
      summary.elapsedSeconds = Math.round((Date.now() - started) / 1000);
      o.send({ type: 'progress', summary });
    }
  };

  const alive = (): void => o.send({ type: 'alive' });

  /** A failure counts when it shows again on a second check of the same input (timing failures may not). */
  const confirmed = (failure: Failure, input: FuzzInput): boolean => {
    if (stillFails(input, failure.invariant)) return true;
    summary.flaky++;
    o.log(`not confirmed on a second check (counted as flaky): ${failure.invariant}: ${failure.message.split('\n')[0]}`);
    return false;
  };

  /** Records a new failure: minimised input saved as a regression. */
  const record = (failure: Failure, kind: 'generated' | 'mutated', found: FuzzInput, minimized: FuzzInput, n: number): void => {
    const source = sourceOf(kind, found, o.seed, n);
    const input = trimFiles(minimized);
    const r: Regression = { invariant: failure.invariant, message: failure.message, source, input };
    const file = o.save ? relative(REPO, saveRegression(r)) : '';
    const entry: Found = { invariant: failure.invariant, message: failure.message, source, file, foundLength: found.text.length, minimizedLength: input.text.length, occurrences: 1 };
    known.set(failure.invariant, entry);
    summary.found.push(entry);
    o.log(`FAILURE ${failure.invariant}: ${failure.message.split('\n')[0]}\n  ${source}; ${found.text.length} -> ${input.text.length} characters${file ? `; saved ${file}` : ''}\n  ${JSON.stringify(input.text.length > 600 ? `${input.text.slice(0, 600)}...` : input.text)} offsets ${JSON.stringify(input.offsets)}`);
  };

  const timed = (input: FuzzInput): { failures: Failure[]; ms: number; clean: boolean; stages: Readonly<Record<string, number>> } => {
    const t0 = performance.now();
    const rep = checkInput(input);
    const ms = performance.now() - t0;
    return { failures: [...rep.failures], ms, clean: rep.clean, stages: rep.millis };
  };

  for (let round = 0; Date.now() < o.deadline; round++) {
    // generated inputs, shrunk by fast-check when one breaks a new invariant
    const shrink: { locked: string | null; deadline: number; first: { input: FuzzInput; failure: Failure; n: number } | null; smallest: FuzzInput | null } = { locked: null, deadline: 0, first: null, smallest: null };
    const property = fc.property(generatedCase, (g) => {
      const input = render(g);
      if (shrink.locked !== null) {
        if (Date.now() > shrink.deadline) return true;
        o.send({ type: 'alive' });
        if (failureKeys(checkInput(input)).has(shrink.locked)) {
          shrink.smallest = input;
          return false;
        }
        return true;
      }
      if (Date.now() >= o.deadline) return true;
      o.send({ type: 'current', kind: 'generated', path: input.path, text: input.text, offsets: input.offsets });
      const r = timed(input);
      account('generated', input, r.ms, r.clean, r.failures, r.stages);
      const fresh = r.failures.find((f) => !known.has(f.invariant));
      if (!fresh) return true;
      shrink.locked = fresh.invariant;
      shrink.deadline = Date.now() + o.shrinkMs;
      shrink.first = { input, failure: fresh, n: summary.inputs };
      shrink.smallest = input;
      return false;
    });
    fc.check(property, { seed: (o.seed * 7919 + round) | 0, numRuns: ROUND });
    if (shrink.first && shrink.smallest && confirmed(shrink.first.failure, shrink.first.input)) {
      const f = shrink.first;
      record(f.failure, 'generated', f.input, minimize(shrink.smallest, f.failure.invariant, { budgetMs: o.shrinkMs, onStep: alive }), f.n);
    }

    // mutated examples and fixtures, delta-minimised
    for (let k = 0; k < ROUND && Date.now() < o.deadline; k++) {
      const input = mutant(corpus, rng);
      o.send({ type: 'current', kind: 'mutated', path: input.path, text: input.text, offsets: input.offsets });
      const r = timed(input);
      account('mutated', input, r.ms, r.clean, r.failures, r.stages);
      const fresh = r.failures.find((f) => !known.has(f.invariant));
      if (!fresh || !confirmed(fresh, input)) continue;
      const min = minimize(input, fresh.invariant, { budgetMs: o.shrinkMs, onStep: alive });
      record(fresh, 'mutated', input, min, summary.inputs);
    }
  }
  summary.elapsedSeconds = Math.round((Date.now() - started) / 1000);
  return summary;
}

// ---------------------------------------------------------------- command line

interface Args {
  seconds: number;
  seed: number;
  report: string | null;
  save: boolean;
  child: boolean;
  deadline: number;
  replay: string[];
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { seconds: 60, seed: Date.now() % 1_000_000_007, report: null, save: true, child: false, deadline: 0, replay: [] };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${x} needs a non-negative number`);
      return v;
    };
    if (x === '--minutes') a.seconds = num() * 60;
    else if (x === '--seconds') a.seconds = num();
    else if (x === '--seed') a.seed = Math.floor(num());
    else if (x === '--report') a.report = argv[++i] ?? null;
    else if (x === '--no-save') a.save = false;
    else if (x === '--child') a.child = true;
    else if (x === '--deadline') a.deadline = num();
    else if (x === '--replay') {
      a.replay.push(...argv.slice(i + 1));
      i = argv.length;
    }
    else throw new Error(`unknown argument ${x}; usage: fuzz.ts [--minutes N | --seconds N] [--seed N] [--report FILE] [--no-save] | --replay FILE...`);
  }
  return a;
}

function line(s: Summary): string {
  const rate = s.elapsedSeconds > 0 ? (s.inputs / s.elapsedSeconds).toFixed(1) : '-';
  const slow = s.slowest.length ? `, slowest ${s.slowest[0].millis} ms (${s.slowest[0].source})` : '';
  return `[fuzz] ${Math.floor(s.elapsedSeconds / 60)}m${String(s.elapsedSeconds % 60).padStart(2, '0')}s seed ${s.seed}: ${s.inputs} inputs (${s.generated} generated, ${s.mutated} mutated, ${s.clean} simulated), ${rate}/s, ${s.failing} failing, ${s.found.length} new failures, ${s.hangs} hangs or crashes, ${s.flaky} flaky${slow}`;
}

function merge(total: Summary, part: Summary): void {
  total.inputs += part.inputs;
  total.generated += part.generated;
  total.mutated += part.mutated;
  total.clean += part.clean;
  total.failing += part.failing;
  total.found.push(...part.found);
  for (const f of part.open) if (!total.open.includes(f)) total.open.push(f);
  total.slowInputs += part.slowInputs;
  total.flaky += part.flaky;
  total.slowest = [...total.slowest, ...part.slowest].sort((a, b) => b.millis - a.millis).slice(0, SLOWEST_KEPT);
}

function runChild(args: Args): void {
  const send = (m: Message): void => {
    if (process.send) process.send(m);
  };
  const summary = runLoop({ deadline: args.deadline, seed: args.seed, save: args.save, shrinkMs: args.seconds >= 300 ? 60_000 : 20_000, send, log: (s) => console.log(s) });
  send({ type: 'done', summary });
  process.exit(0);
}

async function runParent(args: Args): Promise<number> {
  const started = Date.now();
  const deadline = started + args.seconds * 1000;
  const total = emptySummary(args.seed);
  console.log(`[fuzz] ${args.seconds >= 120 ? `${args.seconds / 60} minutes` : `${args.seconds} seconds`}, seed ${args.seed} (repeat with --seed ${args.seed})`);
  let seed = args.seed;
  let lastPart: Summary | null = null;
  let printed = 0;
  while (Date.now() < deadline - 1000) {
    const outcome = await new Promise<{ summary: Summary | null; hang: Message | null; how: 'hang' | 'crash' }>((resolveRun) => {
      const child: ChildProcess = fork(__filename, ['--child', '--seed', String(seed), '--deadline', String(deadline), '--seconds', String(args.seconds), ...(args.save ? [] : ['--no-save'])], { execArgv: process.execArgv });
      let last = Date.now();
      let current: Message | null = null;
      let done: Summary | null = null;
      const watch = setInterval(() => {
        if (Date.now() - last > HANG_MS) {
          clearInterval(watch);
          child.kill('SIGKILL');
          resolveRun({ summary: lastPart, hang: current, how: 'hang' });
        }
      }, 1000);
      child.on('message', (m: Message) => {
        last = Date.now();
        if (m.type === 'current') current = m;
        else if (m.type === 'progress') {
          lastPart = m.summary;
          if (Date.now() - printed < 9_500) return;
          printed = Date.now();
          const view = emptySummary(args.seed);
          merge(view, total);
          merge(view, m.summary);
          view.hangs = total.hangs;
          view.elapsedSeconds = Math.round((Date.now() - started) / 1000);
          console.log(line(view));
        } else if (m.type === 'done') done = m.summary;
      });
      child.on('exit', () => {
        clearInterval(watch);
        resolveRun({ summary: done ?? lastPart, hang: done ? null : current, how: 'crash' });
      });
    });
    if (outcome.summary) merge(total, outcome.summary);
    lastPart = null;
    if (!outcome.hang || outcome.hang.type !== 'current') break;
    // a hang (or a crash of the whole process): keep the input and go on with another seed
    total.hangs++;
    const h = outcome.hang;
    const files = h.kind === 'generated' ? LIBRARY : Object.fromEntries(Object.entries(loadCorpus().files).filter(([p]) => p !== h.path));
    const input = trimFiles({ path: h.path, text: h.text, files, offsets: h.offsets });
    const r: Regression = { invariant: outcome.how, message: outcome.how === 'hang' ? `no progress for ${HANG_MS / 1000} s` : 'the fuzzing process died on this input', source: `${h.kind} (seed ${seed})`, input };
    const file = args.save ? relative(REPO, saveRegression(r)) : '';
    total.found.push({ invariant: outcome.how, message: r.message, source: r.source, file, foundLength: h.text.length, minimizedLength: input.text.length, occurrences: 1 });
    console.log(`FAILURE ${outcome.how}: ${r.source}${file ? `; saved ${file}` : ''}\n  ${JSON.stringify(h.text.slice(0, 600))}`);
    seed++;
  }
  total.elapsedSeconds = Math.round((Date.now() - started) / 1000);
  console.log(line(total));
  console.log(`[fuzz] ${total.slowInputs} inputs over ${SLOW_MS} ms; the slowest:`);
  for (const x of total.slowest) console.log(`[fuzz]   ${x.millis} ms, ${x.length} characters, ${x.source}, stages ${JSON.stringify(x.stages)}`);
  for (const f of total.found) console.log(`[fuzz] found ${f.invariant}${f.file ? ` (${f.file})` : ''}: ${f.message.split('\n')[0]}`);
  if (total.open.length) console.log(`[fuzz] still failing regression files: ${total.open.join(', ')}`);
  if (args.report) writeFileSync(args.report, `${JSON.stringify(total, null, 2)}\n`);
  const failed = total.found.length > 0 || total.open.length > 0;
  console.log(failed ? '[fuzz] FAILED' : '[fuzz] ok: every invariant held');
  return failed ? 1 : 0;
}

function runReplay(files: readonly string[]): number {
  let bad = 0;
  for (const f of files) {
    const r = readRegression(f);
    const still = replay(r);
    if (still.length) {
      bad++;
      const kinds = [...new Set(still.map((x) => x.invariant))];
      console.log(`${f}: ${kinds.map((k) => `${k} (${(still.find((x) => x.invariant === k)?.message ?? '').split('\n')[0].slice(0, 200)})`).join('; ')}`);
    } else console.log(`${f}: ok`);
  }
  return bad ? 1 : 0;
}

if (require.main === module) {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  if (args.replay.length) process.exit(runReplay(args.replay));
  else if (args.child) runChild(args);
  else void runParent(args).then((code) => process.exit(code));
}
