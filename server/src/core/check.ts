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

/** Everything the core knows about a program after checking it (T1xx–T4xx). */
export interface CheckResult {
  readonly root: string;
  readonly trees: ReadonlyMap<string, SourceFile>;
  readonly model: Model;
  /** Sorted by file, position and code. */
  readonly diagnostics: readonly Diagnostic[];
  readonly placement: PlacementResult;
  /** The binder's reference table: every name read, declaration or use, per file and top-level item. */
  readonly names: NameTable;
}

export interface CheckOptions {
  /** The root's text when it differs from the host's (an unsaved editor buffer). */
  readonly rootText?: string;
  /** A caching parser (the language server keys it on content). */
  readonly parse?: ParseFn;
}

/** The check pipeline: load (with imports) -> parse -> bind -> analyse. Never throws on user input. */
export function checkProgram(root: string, host: FileHost, options: CheckOptions = {}): CheckResult {
  const loaded = loadProgram(root, host, options.rootText, options.parse ?? parseFile);
  const bound = bindProgram(loaded.trees, loaded.declarationOrder);
  const placement = placeModel(bound.model);
  const diagnostics = [...loaded.diagnostics, ...bound.diagnostics, ...analyzeCapacity(bound.model, placement, (f) => loaded.trees.get(f)?.text)];
  return { root, trees: loaded.trees, model: bound.model, diagnostics: sortDiagnostics(diagnostics), placement, names: bound.names };
}

/** Checks one text as if it were the file at `path` (imports resolve against `files`). For tests and the playground. */
export function checkText(text: string, path = '/work/main.topo', files: ReadonlyMap<string, string> = new Map()): CheckResult {
  const all = new Map(files);
  all.set(path, text);
  return checkProgram(path, new MemoryHost(all, dirname(path)), { rootText: text });
}
