import type { SourceFile } from './syntax/ast';
import { parseFile } from './syntax/parser';
import { loadProgram, type ParseFn } from './model/loader';
import { bindProgram } from './model/binder';
import type { Model } from './model/types';
import type { NameTable } from './model/names';
import { sortDiagnostics, type Diagnostic } from './diagnostics';
import { MemoryHost, dirname, type FileHost } from './host';
import type { PlacementResult } from './result';
import { placeModel } from './placement/index';
import { analyzeCapacity } from './analysis/capacity';

/** A program loaded and bound, before placement and the capacity analysis: what completion needs. */
export interface BoundProgram {
  readonly root: string;
  readonly trees: ReadonlyMap<string, SourceFile>;
  readonly model: Model;
  /** The binder's reference table: every name read, declaration or use, per file and top-level item. */
  readonly names: NameTable;
  /** Loading, parsing and binding (T1xx–T3xx), unsorted. */
  readonly bindDiagnostics: readonly Diagnostic[];
}

/** Everything the core knows about a program after checking it (T1xx–T4xx). */
export interface CheckResult extends BoundProgram {
  /** Sorted by file, position and code. */
  readonly diagnostics: readonly Diagnostic[];
  readonly placement: PlacementResult;
}

export interface CheckOptions {
  /** The root's text when it differs from the host's (an unsaved editor buffer). */
  readonly rootText?: string;
  /** A caching parser (the language server keys it on content). */
  readonly parse?: ParseFn;
}

/** The first half of the check: load (with imports) -> parse -> bind. Never throws on user input. */
export function bindLoaded(root: string, host: FileHost, options: CheckOptions = {}): BoundProgram {
  const loaded = loadProgram(root, host, options.rootText, options.parse ?? parseFile);
  const bound = bindProgram(loaded.trees, loaded.declarationOrder);
  return { root, trees: loaded.trees, model: bound.model, names: bound.names, bindDiagnostics: [...loaded.diagnostics, ...bound.diagnostics] };
}

/** The second half: placement and the capacity analysis of a bound program. */
export function analyseBound(b: BoundProgram): CheckResult {
  const placement = placeModel(b.model);
  const diagnostics = [...b.bindDiagnostics, ...analyzeCapacity(b.model, placement, (f) => b.trees.get(f)?.text)];
  return { ...b, diagnostics: sortDiagnostics(diagnostics), placement };
}

/** The check pipeline: load (with imports) -> parse -> bind -> analyse. Never throws on user input. */
export function checkProgram(root: string, host: FileHost, options: CheckOptions = {}): CheckResult {
  return analyseBound(bindLoaded(root, host, options));
}

/** Checks one text as if it were the file at `path` (imports resolve against `files`). For tests and the playground. */
export function checkText(text: string, path = '/work/main.topo', files: ReadonlyMap<string, string> = new Map()): CheckResult {
  const all = new Map(files);
  all.set(path, text);
  return checkProgram(path, new MemoryHost(all, dirname(path)), { rootText: text });
}
