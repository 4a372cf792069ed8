// Regression fixtures: one JSON file per minimised failing input, named by a hash of it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkProgram } from '../../server/src/core/check';
import { MemoryHost } from '../../server/src/core/host';
import { WORKSPACE, type FuzzInput } from './invariants';

export const REGRESSIONS = join(__dirname, 'regressions');

/** Inputs that hung or killed the fuzzer: replayed in a child process with a timeout, never in the test's own thread. */
export const TIMED: ReadonlySet<string> = new Set(['hang', 'crash']);

export interface Regression {
  /** The invariant the input broke when it was found. */
  readonly invariant: string;
  readonly message: string;
  /** Where it came from (generator and seed, or the mutated file). */
  readonly source: string;
  readonly input: FuzzInput;
}

/** Only the other files the program actually loads (the rest cannot matter). */
export function trimFiles(input: FuzzInput): FuzzInput {
  const all = new Map(Object.entries(input.files));
  all.set(input.path, input.text);
  let loaded: string[];
  try {
    loaded = [...checkProgram(input.path, new MemoryHost(all, WORKSPACE), { rootText: input.text }).trees.keys()];
  } catch {
    return input;
  }
  const files: Record<string, string> = {};
  for (const f of loaded) if (f !== input.path && input.files[f] !== undefined) files[f] = input.files[f];
  return { ...input, files };
}

/** Named by a hash of the input (the same input found again, for another invariant, is the same file). */
export function regressionName(r: Regression): string {
  const h = createHash('sha256').update(JSON.stringify(r.input)).digest('hex');
  return `${h.slice(0, 16)}.json`;
}

/** Writes a regression file (unless the same one exists); returns its path. */
export function saveRegression(r: Regression, dir = REGRESSIONS): string {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const p = join(dir, regressionName(r));
  if (!existsSync(p)) writeFileSync(p, `${JSON.stringify(r, null, 2)}\n`);
  return p;
}

function isInput(v: unknown): v is FuzzInput {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.path === 'string' && typeof o.text === 'string' && Array.isArray(o.offsets) && o.offsets.every((x) => typeof x === 'number')
    && o.files !== null && typeof o.files === 'object' && Object.values(o.files as object).every((x) => typeof x === 'string');
}

export function readRegression(path: string): Regression {
  const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (v === null || typeof v !== 'object') throw new Error(`${path}: not a regression`);
  const o = v as Record<string, unknown>;
  if (typeof o.invariant !== 'string' || typeof o.message !== 'string' || typeof o.source !== 'string' || !isInput(o.input)) throw new Error(`${path}: not a regression`);
  return { invariant: o.invariant, message: o.message, source: o.source, input: o.input };
}

export function regressionFiles(dir = REGRESSIONS): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
}
