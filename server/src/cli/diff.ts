import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { CheckResult } from '../core/check';
import type { PlacementResult } from '../core/result';
import { simulate } from '../core/simulator/index';
import { formatBytes } from '../core/placement/format';
import { DiagnosticPrinter } from './diagnosticsOutput';
import { DIFF_VERSION, documentJson, type DiffContainer, type DiffDiagnostic, type DiffDocument, type DiffPrediction, type DiffMove, type DiffTarget, type DiffTargetState } from './documents';
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

/** What a change does: the diff document less its `$schema` and version. */
export type DiffResult = Omit<DiffDocument, '$schema' | 'version'>;

function compare(a: Side, b: Side): DiffResult {
  return {
    old: a.label, new: b.label,
    targets: targets(a.result.placement, b.result.placement),
    diagnostics: { gained: diagnosticsOnlyIn(b, a), lost: diagnosticsOnlyIn(a, b) },
    moves: moves(a.result, b.result),
    containers: containers(a.result, b.result),
  };
}

function targetStates(p: PlacementResult | undefined): Map<string, { kind: DiffTarget['kind']; state: DiffTargetState }> {
  const out = new Map<string, { kind: DiffTarget['kind']; state: DiffTargetState }>();
  for (const t of p?.targets ?? []) {
    out.set(`${t.kind}:${t.target}`, { kind: t.kind, state: { nodes: t.nodes.filter((n) => n.role === 'active').length, capacity: { ...t.capacity }, requested: { ...t.requested }, unplaced: t.unplaced.length } });
  }
  return out;
}

function targets(pa: PlacementResult | undefined, pb: PlacementResult | undefined): DiffTarget[] {
  const a = targetStates(pa), b = targetStates(pb);
  const keys = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
  return keys.map((k) => {
    const x = a.get(k), y = b.get(k);
    return { name: k.slice(k.indexOf(':') + 1), kind: (x ?? y)!.kind, before: x?.state ?? null, after: y?.state ?? null };
  });
}

/** Diagnostics of `x` that `y` does not have (the same code and message, counted). */
function diagnosticsOnlyIn(x: Side, y: Side): DiffDiagnostic[] {
  const key = (d: { code: string; message: string }): string => `${d.code}\u0000${d.message}`;
  const left = new Map<string, number>();
  for (const d of y.result.diagnostics) left.set(key(d), (left.get(key(d)) ?? 0) + 1);
  const out: DiffDiagnostic[] = [];
  for (const d of x.result.diagnostics) {
    const n = left.get(key(d)) ?? 0;
    if (n > 0) { left.set(key(d), n - 1); continue; }
    const j = x.printer.json(d);
    out.push({ code: d.code, severity: d.severity, file: j.file, range: j.range, message: d.message });
  }
  return out;
}

/** Where each replica runs: a node for a rack or node set, the SDS for an SDS; absent when unplaced. */
function replicaPlaces(r: CheckResult): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of r.placement?.targets ?? []) {
    if (t.kind === 'sds') {
      const unplaced = new Set(t.unplaced.map((u) => `${u.container}#${u.replica}`));
      for (const name of t.containers) {
        const replicas = r.model.containers.find((c) => c.name === name)?.replicas ?? 0;
        for (let i = 0; i < replicas; i++) if (!unplaced.has(`${name}#${i}`)) out.set(`${name}#${i}`, t.target);
      }
      continue;
    }
    for (const n of t.nodes) for (const x of n.replicas) out.set(`${x.container}#${x.replica}`, n.ref);
  }
  return out;
}

function moves(ra: CheckResult, rb: CheckResult): DiffMove[] {
  const a = replicaPlaces(ra), b = replicaPlaces(rb);
  const keys = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
  const out: DiffMove[] = [];
  for (const k of keys) {
    const from = a.get(k) ?? null, to = b.get(k) ?? null;
    if (from === to) continue;
    const i = k.lastIndexOf('#');
    out.push({ container: k.slice(0, i), replica: Number(k.slice(i + 1)), from, to });
  }
  return out;
}

function simulated(r: CheckResult): Map<string, DiffPrediction> | null {
  if (r.diagnostics.some((d) => d.severity === 'error')) return null;
  const s = simulate(r.model, { scenario: null, placement: r.placement });
  return new Map(s.containers.map((c) => [c.name, { locality: c.locality, localityError: c.localityError, slowdown: c.slowdown, slowdownError: c.slowdownError }]));
}

/** Whether two predictions differ by more than their intervals (a value that appears or disappears is a change). */
function differs(a: DiffPrediction | null, b: DiffPrediction | null): boolean {
  if (!a || !b) return a !== b;
  const apart = (x: number | null, ex: number, y: number | null, ey: number): boolean => (x === null || y === null ? x !== y : Math.abs(x - y) > ex + ey + 1e-12);
  return apart(a.locality, a.localityError, b.locality, b.localityError) || apart(a.slowdown, a.slowdownError, b.slowdown, b.slowdownError);
}

function containers(a: CheckResult, b: CheckResult): DiffContainer[] {
  const sa = simulated(a), sb = simulated(b);
  const names = [...a.model.containers.map((c) => c.name), ...b.model.containers.map((c) => c.name).filter((n) => !a.model.containers.some((c) => c.name === n))];
  return names.map((name) => {
    const before = sa?.get(name) ?? null, after = sb?.get(name) ?? null;
    return { name, before, after, changed: differs(before, after) };
  });
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

