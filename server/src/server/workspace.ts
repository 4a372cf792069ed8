import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyseBound, checkProgram, type BoundProgram, type CheckResult } from '../core/check';
import { dirname } from '../core/host';
import type { CompletionSnapshot, IdeSnapshot } from '../core/ide/types';
import type { SimulationResult } from '../core/result';
import type { ParseResult } from '../core/syntax/parser';
import { ProgramChecker } from '../core/incremental';
import { LineIndex } from '../core/text';
import { toDiagnostic } from './convert';
import type { SentTokens } from './handlers/semanticTokens';
import type { ServerEnv } from './env';
import { DEFAULT_SETTINGS, type ServerSettings } from './settings';
import { UriMap } from './uris';

export interface OpenDocument {
  doc: TextDocument;
  path: string;
  check?: CheckResult;
  checkedVersion?: number;
  /** The current version bound but not yet checked (completion right after an edit); the check goes on from it. */
  bound?: { version: number; program: BoundProgram };
  simulation?: SimulationResult | null;
  /**
   * The simulator's diagnostics (T5xx) in Problems, per run: the key is the run's scenario (null for
   * the base deployment). A save replaces them all; a requested run (the preview's pickers, the
   * commands) replaces those of its scenario. Cleared by an edit (their ranges are the old text's).
   */
  simulationDiagnostics: Map<string | null, lsp.Diagnostic[]>;
  publishTimer?: ReturnType<typeof setTimeout>;
  /** The semantic tokens last sent, the base of the next delta request. */
  sentTokens?: SentTokens;
  run?: { signal: { cancelled: boolean } };
}

/** A document's check with what a feature needs: the ide layer's snapshot and the file's line index. */
export interface Snapshot {
  readonly o: OpenDocument;
  readonly s: IdeSnapshot;
  readonly ix: LineIndex;
}

/** Coalesces the didChange notifications of one burst (multi-cursor edits, auto-closed brackets); a check takes longer than this on large files anyway. */
const DEBOUNCE_MS = 10;

/** The server's state: the open documents, their checks (recomputed per version), the settings and the workspace root. */
export class Workspace {
  readonly uris = new UriMap();
  readonly open = new Map<string, OpenDocument>(); // by uri
  settings: ServerSettings = DEFAULT_SETTINGS;
  root: string | undefined;
  // Each file's last parse: unchanged imports are not parsed again on every keystroke, and the
  // edited file is reparsed from its last parse.
  private readonly checker = new ProgramChecker();
  private readonly indexCache = new WeakMap<CheckResult, Map<string, LineIndex>>();

  constructor(private readonly connection: Connection, private readonly env: ServerEnv) {}

  private readonly cachedParse = this.checker.parse;

  /** The parse of an open document's current text (from the cache the checks use). */
  parseOf(o: OpenDocument): ParseResult {
    return this.cachedParse(o.doc.getText(), o.path);
  }

  /** The texts of the open documents, by path. */
  overlay(): Map<string, string> {
    const m = new Map<string, string>();
    for (const o of this.open.values()) m.set(o.path, o.doc.getText());
    return m;
  }

  /** The workspace root, or the document's folder outside a workspace. */
  rootFor(o: OpenDocument): string {
    return this.root ?? dirname(o.path);
  }

  checkOf(o: OpenDocument): CheckResult {
    if (!o.check || o.checkedVersion !== o.doc.version) {
      try {
        o.check = analyseBound(this.boundOf(o));
      } catch (e) {
        this.connection.console.error(`topo: checking ${o.path} failed: ${e instanceof Error ? e.stack : String(e)}`);
        o.check = checkProgram(o.path, this.env.makeHost(new Map([[o.path, '']]), undefined, this.uris.virtualRoots()), { rootText: '' });
      }
      o.checkedVersion = o.doc.version;
      o.bound = undefined;
    }
    return o.check;
  }

  /** The document's program loaded and bound at its current version (kept until the check uses it). */
  private boundOf(o: OpenDocument): BoundProgram {
    if (o.bound?.version !== o.doc.version) {
      const program = this.checker.bind(o.path, this.env.makeHost(this.overlay(), this.rootFor(o), this.uris.virtualRoots()), { rootText: o.doc.getText() });
      o.bound = { version: o.doc.version, program };
    }
    return o.bound.program;
  }

  /** The line index of a file of the check (open or imported). */
  indexOf(check: CheckResult): (path: string) => LineIndex {
    return (path) => {
      let m = this.indexCache.get(check);
      if (!m) { m = new Map(); this.indexCache.set(check, m); }
      let ix = m.get(path);
      if (!ix) { ix = new LineIndex(check.trees.get(path)?.text ?? ''); m.set(path, ix); }
      return ix;
    };
  }

  snapshot(uri: string): Snapshot | null {
    const o = this.open.get(uri);
    if (!o) return null;
    const check = this.checkOf(o);
    const s: IdeSnapshot = { file: o.path, text: o.doc.getText(), check, simulation: o.simulation ?? null, host: this.env.makeHost(this.overlay(), this.rootFor(o), this.uris.virtualRoots()) };
    return { o, s, ix: this.indexOf(check)(o.path) };
  }

  /**
   * What completion reads, right after an edit as well: the current text bound (an incremental
   * reparse, then the binder), without waiting for placement and the capacity analysis, which the
   * debounced check then runs on the same bound program.
   */
  completionAt(uri: string, position: lsp.Position): (CompletionSnapshot & { offset: number; ix: LineIndex }) | null {
    const o = this.open.get(uri);
    if (!o) return null;
    if (o.check && o.checkedVersion === o.doc.version) {
      const a = this.at(uri, position);
      return a && { ...a.s, offset: a.offset, ix: a.ix };
    }
    let program: BoundProgram;
    try {
      program = this.boundOf(o);
    } catch (e) {
      this.connection.console.error(`topo: binding ${o.path} for completion failed: ${e instanceof Error ? e.stack : String(e)}`);
      return null;
    }
    const text = o.doc.getText();
    const ix = new LineIndex(text);
    return { file: o.path, text, check: program, simulation: o.simulation ?? null, host: this.env.makeHost(this.overlay(), this.rootFor(o), this.uris.virtualRoots()), offset: ix.offset(position), ix };
  }

  /** The snapshot and the offset of an LSP position in it. */
  at(uri: string, position: lsp.Position): (Snapshot & { offset: number }) | null {
    const snap = this.snapshot(uri);
    return snap ? { ...snap, offset: snap.ix.offset(position) } : null;
  }

  /** Core locations as LSP locations (their files' line indexes from the check). */
  locations(check: CheckResult, locs: readonly { file: string; span: { start: number; end: number } }[]): lsp.Location[] {
    return locs.map((l) => ({ uri: this.uris.uri(l.file), range: this.indexOf(check)(l.file).range(l.span) }));
  }

  publish(o: OpenDocument): void {
    const check = this.checkOf(o);
    const ix = this.indexOf(check);
    const diagnostics = check.diagnostics.filter((d) => d.file === o.path).map((d) => toDiagnostic(d, ix, this.uris));
    void this.connection.sendDiagnostics({ uri: o.doc.uri, version: o.doc.version, diagnostics: [...diagnostics, ...[...o.simulationDiagnostics.values()].flat()] });
    this.env.checked?.();
  }

  /** Publishes the document's diagnostics once the current burst of edits is over. */
  schedule(o: OpenDocument): void {
    if (o.publishTimer) clearTimeout(o.publishTimer);
    o.publishTimer = setTimeout(() => {
      o.publishTimer = undefined;
      if (this.open.get(o.doc.uri) === o) this.publish(o);
    }, DEBOUNCE_MS);
  }

  /** Checks again and republishes the changed file and every open file that imports it. */
  recheckAffected(path: string): void {
    for (const a of [...this.open.values()].filter((o) => o.path === path || (o.check?.trees.has(path) ?? false))) { a.check = undefined; this.schedule(a); }
  }

  /** Checks every open file again (a file opened: an import of it may have been missing until now). */
  recheckAll(): void {
    for (const a of this.open.values()) { a.check = undefined; this.schedule(a); }
  }

  /** Forgets a document's cached parse (closed: its text is the disk's again). */
  forgetParse(path: string): void {
    this.checker.forget(path);
  }

  /** Runs a feature, logging a failure and answering `fallback` instead of an internal error. */
  safe<P, R>(name: string, fn: (p: P) => R, fallback: R): (p: P) => R {
    return (p) => {
      try {
        return fn(p);
      } catch (e) {
        this.connection.console.error(`topo: ${name} failed: ${e instanceof Error ? e.stack : String(e)}`);
        return fallback;
      }
    };
  }
}
