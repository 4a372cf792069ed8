// Inputs for the CLI output tests: the examples, the fixtures, the fuzz regressions and a fixed
// sample of generated and mutated programs, each written into a temporary workspace (so that
// imports resolve) and run through `main` as the CLI runs them.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import { main } from '../../../server/src/cli/main';
import type { CliIo } from '../../../server/src/cli/io';
import { generatedCase, render } from '../../fuzz/generate';
import { WORKSPACE, type FuzzInput } from '../../fuzz/invariants';
import { loadCorpus, mutant, Rng } from '../../fuzz/mutate';
import { readRegression, REGRESSIONS } from '../../fuzz/regressions';

export const REPO = join(__dirname, '../../..');

export function topoFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...topoFiles(p));
    else if (name.endsWith('.topo')) out.push(p);
  }
  return out;
}

/** One input: a workspace of files and the one the command is run on (workspace paths). */
export interface CorpusCase {
  readonly name: string;
  readonly main: string;
  readonly files: Readonly<Record<string, string>>;
}

function fromFuzz(name: string, input: FuzzInput): CorpusCase {
  const rel = (p: string): string => p.slice(WORKSPACE.length + 1);
  const files: Record<string, string> = {};
  for (const [p, t] of Object.entries(input.files)) if (p.startsWith(`${WORKSPACE}/`)) files[rel(p)] = t;
  files[rel(input.path)] = input.text;
  return { name, main: rel(input.path), files };
}

/** The repository's .topo files (examples and fixtures), the fuzz regressions, `generated` generated and `mutated` mutated programs. */
export function corpus(options: { generated: number; mutated: number }): CorpusCase[] {
  const repoFiles: Record<string, string> = {};
  const all = [...topoFiles(join(REPO, 'examples')), ...topoFiles(join(REPO, 'test/fixtures'))];
  for (const f of all) repoFiles[relative(REPO, f)] = readFileSync(f, 'utf8');
  const cases: CorpusCase[] = all.map((f) => ({ name: relative(REPO, f), main: relative(REPO, f), files: repoFiles }));
  for (const f of readdirSync(REGRESSIONS).filter((n) => n.endsWith('.json')).sort()) {
    cases.push(fromFuzz(`regression ${f}`, readRegression(join(REGRESSIONS, f)).input));
  }
  fc.sample(generatedCase, { numRuns: options.generated, seed: 22 }).forEach((g, i) => cases.push(fromFuzz(`generated #${i}`, render(g))));
  const c = loadCorpus();
  const rng = new Rng(22);
  for (let i = 0; i < options.mutated; i++) cases.push(fromFuzz(`mutant #${i}`, mutant(c, rng)));
  return cases;
}

export interface CliOutcome {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Writes the case into a fresh folder (with a topo.json: the workspace root) and runs `topo ARGS` there; `{file}` in args is the case's main file. */
export async function runOnCase(c: CorpusCase, args: readonly string[]): Promise<CliOutcome> {
  return (await runsOnCase(c, [args]))[0];
}

/** Several commands on one copy of the case (their outputs name the same folder). */
export async function runsOnCase(c: CorpusCase, commands: readonly (readonly string[])[]): Promise<CliOutcome[]> {
  const dir = mkdtempSync(join(tmpdir(), 'topo-corpus-'));
  try {
    writeFileSync(join(dir, 'topo.json'), '{}\n');
    for (const [p, t] of Object.entries(c.files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), t);
    }
    const out: CliOutcome[] = [];
    for (const args of commands) out.push(await runIn(dir, args.map((a) => (a === '{file}' ? c.main : a))));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runIn(cwd: string, args: readonly string[]): Promise<CliOutcome> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd };
  const code = await main([...args], io);
  return { code, out, err };
}
