// Facts about a checked program that the placement and simulation documents (result.ts) do not
// carry and the preview needs to answer by looking: per container its image, requests, limits,
// `talks` and `io`; every diagnostic of the check with the declaration it concerns. Plain data,
// derived from the model: the language server sends it beside the results, the playground's
// simulator worker too.
import type { CheckResult } from './check';
import type { DiagnosticCode, Severity } from './diagnostics';
import type { Model } from './model/types';
import type { CpuMemory } from './result';
import { LineIndex, type LineRange } from './text';

export const FACTS_VERSION = '1';

export interface ContainerFacts {
  readonly name: string;
  readonly image: string | null;
  readonly replicas: number;
  /** Per replica. */
  readonly request: CpuMemory;
  /** Per replica (at least the request). */
  readonly limit: CpuMemory;
  readonly priority: 'low' | 'normal' | 'high';
  /** Its `tenant` and how that tenant is kept apart; absent (or null): the default tenant, shared. */
  readonly tenant?: { readonly name: string; readonly isolation: 'shared' | 'vm' | 'dedicated' } | null;
  /** `talks NAME weight W`: W in 0..1. */
  readonly talks: readonly { readonly to: string; readonly weight: number }[];
  /** `io RACK.NODE.DEVICE weight W`. */
  readonly io: readonly { readonly node: string; readonly device: string; readonly weight: number }[];
  readonly file: string;
  /** Zero-based line of the declaration's name. */
  readonly line: number;
}

/** The declaration a diagnostic is inside (the innermost one), `file` when none. */
export interface FactSubject {
  readonly kind: 'container' | 'node' | 'sds' | 'rack' | 'scenario' | 'defaults' | 'file';
  /** Container, SDS, rack or scenario name; a node's ref (`r1.n3`); the file for `defaults` and `file`. */
  readonly name: string;
}

export interface FactDiagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly range: LineRange;
  readonly subject: FactSubject;
}

export interface ProgramFacts {
  readonly version: typeof FACTS_VERSION;
  readonly file: string;
  readonly containers: readonly ContainerFacts[];
  /** The check's diagnostics (T1xx-T4xx), every file of the program, sorted as the check sorts them. */
  readonly diagnostics: readonly FactDiagnostic[];
}

interface Block {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly subject: FactSubject;
}

function blocksOf(model: Model): Block[] {
  const out: Block[] = [];
  const push = (b: { file: string; span: { start: number; end: number } }, subject: FactSubject): void => {
    out.push({ file: b.file, start: b.span.start, end: b.span.end, subject });
  };
  for (const r of model.racks) push(r.block, { kind: 'rack', name: r.name });
  // A node range (`node n1..n6 { ... }`) is one block for several nodes: it concerns their rack.
  const byBlock = new Map<string, number[]>();
  for (const n of model.nodes) {
    const key = `${n.block.file}\u0000${n.block.span.start}`;
    (byBlock.get(key) ?? byBlock.set(key, []).get(key)!).push(n.id);
  }
  for (const ids of byBlock.values()) {
    const n = model.nodes[ids[0]];
    push(n.block, ids.length === 1 ? { kind: 'node', name: n.ref } : { kind: 'rack', name: model.racks[n.rack].name });
  }
  for (const s of model.sdses) push(s.block, { kind: 'sds', name: s.name });
  for (const c of model.containers) push(c.block, { kind: 'container', name: c.name });
  for (const s of model.scenarios) push(s.block, { kind: 'scenario', name: s.name });
  if (model.defaults.block) push(model.defaults.block, { kind: 'defaults', name: model.defaults.block.file });
  return out;
}

/** The facts of a checked program. Never throws on user input. */
export function programFacts(check: CheckResult): ProgramFacts {
  const { model } = check;
  const indexes = new Map<string, LineIndex>();
  const ix = (file: string): LineIndex => {
    let i = indexes.get(file);
    if (!i) indexes.set(file, (i = new LineIndex(check.trees.get(file)?.text ?? '')));
    return i;
  };
  const containers: ContainerFacts[] = model.containers.map((c) => ({
    name: c.name,
    image: c.image,
    replicas: c.replicas,
    request: { cpu: c.cpuRequest, memory: c.memoryRequest },
    limit: { cpu: Math.max(c.cpuLimit, c.cpuRequest), memory: Math.max(c.memoryLimit, c.memoryRequest) },
    priority: c.priority,
    tenant: c.tenant === null ? null : { name: model.tenants[c.tenant].name, isolation: model.tenants[c.tenant].isolation },
    talks: c.talks.map((t) => ({ to: model.containers[t.container].name, weight: t.weight })),
    io: c.io.map((a) => ({ node: model.nodes[a.node].ref, device: a.device, weight: a.weight })),
    file: c.nameAt.file,
    line: ix(c.nameAt.file).position(c.nameAt.span.start).line,
  }));
  const blocks = blocksOf(model);
  const diagnostics: FactDiagnostic[] = check.diagnostics.map((d) => {
    let best: Block | undefined;
    for (const b of blocks) {
      if (b.file !== d.file || d.span.start < b.start || d.span.start > b.end) continue;
      if (!best || b.end - b.start < best.end - best.start) best = b;
    }
    return {
      code: d.code, severity: d.severity, message: d.message, file: d.file,
      range: ix(d.file).range(d.span),
      subject: best?.subject ?? { kind: 'file', name: d.file },
    };
  });
  return { version: FACTS_VERSION, file: check.root, containers, diagnostics };
}
