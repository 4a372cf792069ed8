import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { CheckResult } from '../core/check';
import { diffChecks, type DiffContainer, type DiffResult, type DiffTargetState } from '../core/diff';
import { formatBytes } from '../core/placement/format';
import { DiagnosticPrinter } from './diagnosticsOutput';
import { DIFF_VERSION, documentJson } from './documents';

export type { DiffResult } from '../core/diff';
import { absolutePath, formatFlag, parseArgs, UsageError, type CliIo } from './io';
import { checkFileArg, checkTextArg } from './program';
import { oneLine } from './terminal';

export const DIFF_USAGE = 'topo diff OLD NEW [--format text|json]  (OLD, NEW: a file or REV:PATH)';

/** One side of the comparison, checked. */
interface Side {
  readonly label: string;
  readonly result: CheckResult;
  readonly printer: DiagnosticPrinter;
}

/**
 * `topo diff OLD NEW`: what a change does. Each side is a file or `REV:PATH` (read with
 * `git show`, no shell; PATH relative to the working directory). Reports capacity per target
 * before and after, diagnostics gained and lost, replicas that move, and each container's
 * predicted locality and slowdown (the base deployment; a side with errors is not simulated).
 * Exit 0, or 2 for usage and unreadable input.
 */
export function runDiff(args: string[], io: CliIo): number {
  const { files, flags } = parseArgs(args, ['format'], []);
  const format = formatFlag(flags, ['text', 'json']);
  if (files.length !== 2) throw new UsageError(`give two versions: ${DIFF_USAGE}`);
  const [before, after] = files.map((f) => side(io, f));
  const doc = compare(before, after);
  if (format === 'json') io.out(documentJson('diff', { version: DIFF_VERSION, ...doc }));
  else io.out(diffText(doc));
  return 0;
}

function side(io: CliIo, arg: string): Side {
  const path = absolutePath(io, arg);
  if (existsSync(path) && statSync(path).isFile()) {
    const result = checkFileArg(io, arg);
    return { label: arg, result, printer: new DiagnosticPrinter(io, result) };
  }
  const m = /^([^:]+):(.+)$/.exec(arg);
  if (!m) throw new UsageError(`cannot read ${arg}: no such file (for a git revision write REV:PATH, as in HEAD:deploy.topo)`);
  const [, rev, file] = m;
  const text = gitShow(io, rev, file, arg);
  const result = checkTextArg(io, file, text);
  return { label: arg, result, printer: new DiagnosticPrinter(io, result) };
}

/** The file at a revision, through `git show REV:./PATH` run in the working directory. */
function gitShow(io: CliIo, rev: string, file: string, arg: string): string {
  if (rev.startsWith('-')) throw new UsageError(`cannot read ${arg}: a revision cannot start with "-"`);
  const rel = isAbsolute(file) ? relative(io.cwd, file) : file;
  const r = spawnSync('git', ['show', `${rev}:./${rel.replace(/^\.\//, '')}`], { cwd: io.cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, shell: false });
  if (r.error) throw new UsageError(`cannot read ${arg}: git did not run (${r.error.message})`);
  if (r.status !== 0) throw new UsageError(`cannot read ${arg} from git: ${(r.stderr || '').trim().split('\n')[0] || `git show exited with ${r.status}`}`);
  return r.stdout;
}

function compare(a: Side, b: Side): DiffResult {
  return diffChecks(a.result, b.result, { old: a.label, new: b.label, locate: (d) => { const j = a.result.diagnostics.includes(d) ? a.printer.json(d) : b.printer.json(d); return { file: j.file, range: j.range }; } });
}

// ---------------------------------------------------------------- text

function pct(x: number): string {
  return `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
}

function pair(c: { cpu: number; memory: number }): string {
  return `${Math.round(c.cpu * 100) / 100}c/${formatBytes(c.memory)}`;
}

function stateText(s: DiffTargetState | null): string {
  return s ? `${s.nodes} nodes, capacity ${pair(s.capacity)}, requested ${pair(s.requested)}${s.unplaced ? `, ${s.unplaced} unplaced` : ''}` : 'absent';
}

export function diffText(d: DiffResult): string {
  const out: string[] = [`${oneLine(d.old)} -> ${oneLine(d.new)}`];
  const changed = d.targets.filter((t) => JSON.stringify(t.before) !== JSON.stringify(t.after));
  out.push(`targets: ${changed.length ? `${changed.length} changed` : 'no change'}`);
  for (const t of changed) out.push(`  ${t.kind === 'nodes' ? 'node set' : t.kind === 'sds' ? 'SDS' : 'rack'} ${oneLine(t.name)}: ${stateText(t.before)} -> ${stateText(t.after)}`);
  out.push(`diagnostics: ${d.diagnostics.gained.length} gained, ${d.diagnostics.lost.length} lost`);
  for (const [sign, list] of [['+', d.diagnostics.gained], ['-', d.diagnostics.lost]] as const) {
    for (const x of list) out.push(`  ${sign} ${oneLine(x.file)}:${x.range.start.line + 1}:${x.range.start.character + 1}: ${x.severity} ${x.code}: ${oneLine(x.message)}`);
  }
  out.push(`moves: ${d.moves.length ? `${d.moves.length} replica${d.moves.length === 1 ? '' : 's'}` : 'none'}`);
  for (const m of d.moves) out.push(`  ${oneLine(m.container)}#${m.replica}: ${oneLine(m.from ?? '(none)')} -> ${oneLine(m.to ?? '(none)')}`);
  const sims = d.containers.filter((c) => c.changed);
  out.push(`containers: ${sims.length ? `${sims.length} changed beyond their intervals` : 'no change beyond the intervals'} (predicted, base deployment)`);
  for (const c of sims) {
    const v = (x: DiffContainer['before']): string => (x ? `${x.locality === null ? '-' : `${pct(x.locality)} ±${pct(x.localityError)}`} ${x.slowdown === null ? '-' : `${x.slowdown.toFixed(2)}x ±${x.slowdownError.toFixed(2)}`}` : '-');
    out.push(`  ${oneLine(c.name)}: locality/slowdown ${v(c.before)} -> ${v(c.after)}`);
  }
  return `${out.join('\n')}\n`;
}

