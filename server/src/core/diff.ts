// What a change does (`topo diff`, the editor's "Compare with HEAD"): two checked versions of a
// program compared target by target, diagnostic by diagnostic, replica by replica, and by each
// container's predicted locality and slowdown (a difference inside the simulator's intervals is
// no change). Plain data in, plain data out: the CLI reads the versions from files or git, the
// server from the editor.
import type { CheckResult } from './check';
import type { Diagnostic } from './diagnostics';
import type { CpuMemory, PlacementResult } from './result';
import { simulate } from './simulator/index';
import type { LineRange } from './text';

/** A target's state on one side of a diff. */
export interface DiffTargetState {
  /** Active nodes. */
  readonly nodes: number;
  readonly capacity: CpuMemory;
  readonly requested: CpuMemory;
  /** Replicas not placed. */
  readonly unplaced: number;
}

export interface DiffTarget {
  readonly name: string;
  readonly kind: 'rack' | 'nodes' | 'sds';
  /** Null where the target hosts nothing on that side. */
  readonly before: DiffTargetState | null;
  readonly after: DiffTargetState | null;
}

export interface DiffDiagnostic {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'information' | 'hint';
  readonly file: string;
  readonly range: LineRange;
  readonly message: string;
}

/** A replica whose place changed: a node ref (rack, node set) or an SDS name; null where it is unplaced or absent. */
export interface DiffMove {
  readonly container: string;
  readonly replica: number;
  readonly from: string | null;
  readonly to: string | null;
}

/** A container's predicted steady state on one side: locality and slowdown with their errors (half-widths of the simulator's intervals); null values as the simulator gives them (no replica ran). */
export interface DiffPrediction {
  readonly locality: number | null;
  readonly localityError: number;
  readonly slowdown: number | null;
  readonly slowdownError: number;
}

/** Predicted locality and slowdown of the base deployment; null where the side has errors (not simulated) or lacks the container. */
export interface DiffContainer {
  readonly name: string;
  readonly before: DiffPrediction | null;
  readonly after: DiffPrediction | null;
  /** Whether locality or slowdown moved by more than the two intervals allow (a difference inside them is no change). */
  readonly changed: boolean;
}

/** What a change does, as `topo diff --format json` gives it less its `$schema` and version. */
export interface DiffResult {
  /** The two versions, as the caller names them (`HEAD:deploy.topo`, `deploy.topo`). */
  readonly old: string;
  readonly new: string;
  readonly targets: readonly DiffTarget[];
  readonly diagnostics: { readonly gained: readonly DiffDiagnostic[]; readonly lost: readonly DiffDiagnostic[] };
  readonly moves: readonly DiffMove[];
  readonly containers: readonly DiffContainer[];
}

export interface DiffOptions {
  readonly old: string;
  readonly new: string;
  /** Where a diagnostic is, as the caller shows files (a path relative to the working directory, a URI...). */
  locate(d: Diagnostic): { readonly file: string; readonly range: LineRange };
}

/** Compares two checked versions: `a` before, `b` after. Simulates each side without errors (the base deployment). */
export function diffChecks(a: CheckResult, b: CheckResult, options: DiffOptions): DiffResult {
  return {
    old: options.old, new: options.new,
    targets: targets(a.placement, b.placement),
    diagnostics: { gained: diagnosticsOnlyIn(b, a, options.locate), lost: diagnosticsOnlyIn(a, b, options.locate) },
    moves: moves(a, b),
    containers: containers(a, b),
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
function diagnosticsOnlyIn(x: CheckResult, y: CheckResult, locate: DiffOptions['locate']): DiffDiagnostic[] {
  const key = (d: { code: string; message: string }): string => `${d.code}\u0000${d.message}`;
  const left = new Map<string, number>();
  for (const d of y.diagnostics) left.set(key(d), (left.get(key(d)) ?? 0) + 1);
  const out: DiffDiagnostic[] = [];
  for (const d of x.diagnostics) {
    const n = left.get(key(d)) ?? 0;
    if (n > 0) { left.set(key(d), n - 1); continue; }
    const at = locate(d);
    out.push({ code: d.code, severity: d.severity, file: at.file, range: at.range, message: d.message });
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
