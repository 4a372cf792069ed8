import { LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkProgram, type CheckResult } from '../core/check';
import { programFacts, type ProgramFacts } from '../core/facts';
import { parseFile, type ParseResult } from '../core/syntax/parser';
import { dirname, type FileHost } from '../core/host';
import { LineIndex } from '../core/text';
import type { Policy } from '../core/model/types';
import type { PlacementResult, SimulationResult } from '../core/result';
import type { IdeSnapshot } from '../core/ide/types';
import { ide, SEMANTIC_MODIFIERS, SEMANTIC_TYPES, COMPLETION_KIND, SYMBOL_KIND } from './ideApi';
import { simulationDiagnostic, toDiagnostic, toRange, toSpan, toWorkspaceEdit } from './convert';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';
import { UriMap } from './uris';

/** What the host of the server (Node or a web worker) provides. */
export interface ServerEnv {
  /** A FileHost that reads open documents from `overlay` and everything else from where the host keeps files. */
  /** `virtualRoots`: path prefixes of documents that are not local files (never read from disk). */
  makeHost(overlay: ReadonlyMap<string, string>, workspaceRoot: string | undefined, virtualRoots: readonly string[]): FileHost;
  /** Runs simulations of a file off the typing path. Rejects with an Error whose name is 'Cancelled' when cancelled. */
  simulate(request: SimulationJob, signal: { cancelled: boolean }, progress: (fraction: number, message: string) => void): Promise<SimulationOutcome>;
}

export interface SimulationJob {
  readonly root: string;
  readonly overlay: [string, string][];
  readonly workspaceRoot: string | undefined;
  /** Path prefixes of documents that are not local files (see ServerEnv.makeHost). */
  readonly virtualRoots: readonly string[];
  /** Null: the base deployment and every scenario. A name: that scenario only. */
  readonly scenario: string | null;
  readonly all: boolean;
  /** Overrides the file's policies (a requested run). */
  readonly policy?: Policy;
  /** The `topo.defaultPolicy` setting: for files that set no policy. */
  readonly defaultPolicy?: Policy;
  readonly seed?: number;
  readonly budgetMs: number;
}

export interface SimulationOutcome {
  /** The base deployment's result (or the requested scenario's). */
  readonly result: SimulationResult;
  /** Every run (base first, then scenarios) when `all` was asked. */
  readonly runs: readonly SimulationResult[];
  readonly placement: PlacementResult | null;
}

interface OpenDocument {
  doc: TextDocument;
  path: string;
  check?: CheckResult;
  checkedVersion?: number;
  simulation?: SimulationResult | null;
  /**
   * The simulator's diagnostics (T5xx) in Problems, per run: the key is the run's scenario (null for
   * the base deployment). A save replaces them all; a requested run (the preview's pickers, the
   * commands) replaces those of its scenario. Cleared by an edit (their ranges are the old text's).
   */
  simulationDiagnostics: Map<string | null, lsp.Diagnostic[]>;
  publishTimer?: ReturnType<typeof setTimeout>;
  run?: { signal: { cancelled: boolean } };
}

/** Coalesces the didChange notifications of one burst (multi-cursor edits, auto-closed brackets); a check takes longer than this on large files anyway. */
const DEBOUNCE_MS = 10;

/** Starts the Topo language server on a connection. Everything but the transport and the file host is here. */
export function startServer(connection: Connection, env: ServerEnv): void {
  const uris = new UriMap();
  const open = new Map<string, OpenDocument>(); // by uri
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let workspaceRoot: string | undefined;
  let configurationPull = false;
  // Parse cache keyed on (file, text): unchanged imports are not parsed again on every keystroke.
  const parseCache = new Map<string, { text: string; result: ParseResult }>();
  const cachedParse = (text: string, file: string): ParseResult => {
    const hit = parseCache.get(file);
    if (hit && hit.text === text) return hit.result;
    const result = parseFile(text, file);
    parseCache.set(file, { text, result });
    return result;
  };

  const overlay = (): Map<string, string> => {
    const m = new Map<string, string>();
    for (const o of open.values()) m.set(o.path, o.doc.getText());
    return m;
  };

  const checkOf = (o: OpenDocument): CheckResult => {
    if (!o.check || o.checkedVersion !== o.doc.version) {
      const text = o.doc.getText();
      try {
        o.check = checkProgram(o.path, env.makeHost(overlay(), workspaceRoot ?? dirname(o.path), uris.virtualRoots()), { rootText: text, parse: cachedParse });
      } catch (e) {
        connection.console.error(`topo: checking ${o.path} failed: ${e instanceof Error ? e.stack : String(e)}`);
        o.check = checkProgram(o.path, env.makeHost(new Map([[o.path, '']]), undefined, uris.virtualRoots()), { rootText: '' });
      }
      o.checkedVersion = o.doc.version;
    }
    return o.check;
  };

  const indexCache = new WeakMap<CheckResult, Map<string, LineIndex>>();
  const indexOf = (check: CheckResult) => (path: string): LineIndex => {
    let m = indexCache.get(check);
    if (!m) { m = new Map(); indexCache.set(check, m); }
    let ix = m.get(path);
    if (!ix) { ix = new LineIndex(check.trees.get(path)?.text ?? ''); m.set(path, ix); }
    return ix;
  };

  const snapshot = (uri: string): { o: OpenDocument; s: IdeSnapshot; ix: LineIndex } | null => {
    const o = open.get(uri);
    if (!o) return null;
    const check = checkOf(o);
    const s: IdeSnapshot = { file: o.path, text: o.doc.getText(), check, simulation: o.simulation ?? null };
    return { o, s, ix: indexOf(check)(o.path) };
  };

  const publish = (o: OpenDocument): void => {
    const check = checkOf(o);
    const ix = indexOf(check);
    const diagnostics = check.diagnostics.filter((d) => d.file === o.path).map((d) => toDiagnostic(d, ix, uris));
    void connection.sendDiagnostics({ uri: o.doc.uri, version: o.doc.version, diagnostics: [...diagnostics, ...[...o.simulationDiagnostics.values()].flat()] });
  };

  const schedule = (o: OpenDocument): void => {
    if (o.publishTimer) clearTimeout(o.publishTimer);
    o.publishTimer = setTimeout(() => {
      o.publishTimer = undefined;
      if (open.get(o.doc.uri) === o) publish(o);
    }, DEBOUNCE_MS);
  };

  /** The changed file and every open file that imports it. */
  const affected = (path: string): OpenDocument[] => [...open.values()].filter((o) => o.path === path || (o.check?.trees.has(path) ?? false));

  const safe = <P, R>(name: string, fn: (p: P) => R, fallback: R) => (p: P): R => {
    try {
      return fn(p);
    } catch (e) {
      connection.console.error(`topo: ${name} failed: ${e instanceof Error ? e.stack : String(e)}`);
      return fallback;
    }
  };

  connection.onInitialize((params) => {
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    settings = readSettings(init?.settings);
    configurationPull = params.capabilities.workspace?.configuration === true;
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? null;
    if (folder) workspaceRoot = uris.path(folder);
    const capabilities: lsp.ServerCapabilities = {
      textDocumentSync: { openClose: true, change: 2, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: ['quickfix', 'refactor', 'refactor.rewrite'] },
      executeCommandProvider: undefined,
    };
    if (ide.completion) capabilities.completionProvider = { triggerCharacters: ['.', ' '], resolveProvider: false };
    if (ide.hover) capabilities.hoverProvider = true;
    if (ide.definition) capabilities.definitionProvider = true;
    if (ide.references) capabilities.referencesProvider = true;
    if (ide.documentHighlights) capabilities.documentHighlightProvider = true;
    if (ide.rename) capabilities.renameProvider = ide.prepareRename ? { prepareProvider: true } : true;
    if (ide.documentSymbols) capabilities.documentSymbolProvider = true;
    if (ide.workspaceSymbols) capabilities.workspaceSymbolProvider = true;
    if (ide.foldingRanges) capabilities.foldingRangeProvider = true;
    if (ide.selectionRanges) capabilities.selectionRangeProvider = true;
    if (ide.semanticTokens) capabilities.semanticTokensProvider = { legend: { tokenTypes: [...SEMANTIC_TYPES], tokenModifiers: [...SEMANTIC_MODIFIERS] }, full: true };
    if (ide.format) capabilities.documentFormattingProvider = true;
    if (ide.formatRange) capabilities.documentRangeFormattingProvider = true;
    if (ide.inlayHints) capabilities.inlayHintProvider = true;
    return { capabilities, serverInfo: { name: 'topo', version: '0.1.0' } };
  });

  connection.onInitialized(() => {
    if (configurationPull) void pullSettings();
  });

  const pullSettings = async (): Promise<void> => {
    try {
      const [section] = (await connection.sendRequest('workspace/configuration', { items: [{ section: 'topo' }] })) as unknown[];
      settings = readSettings(section); // the whole section: a key it lacks is back at its default
    } catch {
      // keep the settings we have
    }
  };

  connection.onDidChangeConfiguration((p) => {
    const pushed = (p.settings as { topo?: unknown } | null)?.topo;
    if (pushed) settings = readSettings(pushed);
    else if (configurationPull) void pullSettings();
  });

  // ---------------------------------------------------------------- documents

  connection.onDidOpenTextDocument(({ textDocument: t }) => {
    const o: OpenDocument = { doc: TextDocument.create(t.uri, t.languageId, t.version, t.text), path: uris.path(t.uri), simulationDiagnostics: new Map() };
    open.set(t.uri, o);
    // Every open file is checked again: an import of this file may have been missing until now
    // (in a virtual workspace or the web, open files are the only files), or read from the disk.
    for (const a of open.values()) { a.check = undefined; schedule(a); }
  });

  connection.onDidChangeTextDocument(({ textDocument: t, contentChanges }) => {
    const o = open.get(t.uri);
    if (!o) return;
    o.doc = TextDocument.update(o.doc, contentChanges, t.version);
    o.simulationDiagnostics.clear();
    for (const a of affected(o.path)) { a.check = undefined; schedule(a); }
  });

  connection.onDidCloseTextDocument(({ textDocument: t }) => {
    const o = open.get(t.uri);
    if (!o) return;
    if (o.run) o.run.signal.cancelled = true;
    if (o.publishTimer) clearTimeout(o.publishTimer);
    open.delete(t.uri);
    parseCache.delete(o.path);
    void connection.sendDiagnostics({ uri: t.uri, diagnostics: [] });
    for (const a of affected(o.path)) { a.check = undefined; schedule(a); }
  });

  connection.onDidSaveTextDocument(({ textDocument: t }) => {
    const o = open.get(t.uri);
    if (!o || !settings.simulateOnSave) return;
    void runSimulation(o, { scenario: null, all: true }).catch(() => undefined);
  });

  // ---------------------------------------------------------------- simulation

  const runSimulation = async (o: OpenDocument, req: { scenario: string | null; all: boolean; policy?: Policy; seed?: number }): Promise<(SimulationOutcome & { facts: ProgramFacts }) | null> => {
    const check = checkOf(o);
    // The facts the results do not carry (images, requests, talks, io, the check's diagnostics), of the simulated text.
    const facts = programFacts(check);
    if (check.diagnostics.some((d) => d.severity === 'error')) {
      void connection.sendNotification('topo/simulationResult', { uri: o.doc.uri, result: null, placement: check.placement ?? null, facts, reason: 'the file has errors: fix them to simulate' });
      return null;
    }
    if (req.all && o.run) o.run.signal.cancelled = true; // a newer save cancels the older run
    const signal = { cancelled: false };
    if (req.all) o.run = { signal };
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('Topo: simulating', 0, o.path.slice(o.path.lastIndexOf('/') + 1), true);
    progress.token.onCancellationRequested(() => { signal.cancelled = true; });
    try {
      const simulatedVersion = o.doc.version; // the text the overlay below carries
      const outcome = await env.simulate(
        { root: o.path, overlay: [...overlay()], workspaceRoot: workspaceRoot ?? dirname(o.path), virtualRoots: uris.virtualRoots(), scenario: req.scenario, all: req.all, policy: req.policy, defaultPolicy: settings.defaultPolicy ?? undefined, seed: req.seed, budgetMs: settings.maxMillis },
        signal,
        (f, message) => progress.report(Math.round(f * 100), message),
      );
      if (signal.cancelled) return null;
      const threshold = settings.localityThreshold;
      // A `topo.localityThreshold` setting can only quieten T500s below the file's own threshold.
      // Edited since: the ranges are the simulated text's and would point elsewhere (the next run brings them back).
      const edited = o.doc.version !== simulatedVersion;
      const problems = (r: SimulationResult): lsp.Diagnostic[] => (edited ? [] : r.diagnostics
        .filter((d) => d.file === o.path && (threshold === null || d.code !== 'T500' || locality(r, d.subject) < threshold))
        .map((d) => simulationDiagnostic(d, uris)));
      if (req.all) {
        o.simulation = outcome.result;
        o.simulationDiagnostics = new Map(outcome.runs.map((r) => [r.input.scenario, problems(r)]));
      } else {
        // Whoever asked for the run, its T5xx are in Problems like those of a save.
        o.simulationDiagnostics.set(outcome.result.input.scenario, problems(outcome.result));
      }
      if (open.get(o.doc.uri) === o) publish(o);
      if (req.all) void connection.sendNotification('topo/simulationResult', { uri: o.doc.uri, result: outcome.result, placement: outcome.placement, facts });
      return { ...outcome, facts };
    } finally {
      progress.done();
      if (o.run?.signal === signal) o.run = undefined;
    }
  };

  connection.onRequest('topo/simulate', async (params: unknown) => {
    const p = (params ?? {}) as Record<string, unknown>;
    const uri = typeof p.uri === 'string' ? p.uri : '';
    const o = open.get(uri);
    if (!o) throw new Error(`topo/simulate: ${uri || 'no uri given'} is not an open document`);
    const scenario = typeof p.scenario === 'string' && p.scenario ? p.scenario : null;
    const policy = typeof p.policy === 'string' && ['static', 'page', 'vcpu', 'cost'].includes(p.policy) ? (p.policy as Policy) : undefined;
    const seed = typeof p.seed === 'number' && Number.isInteger(p.seed) && p.seed >= 0 ? p.seed : undefined;
    if (scenario && !checkOf(o).model.scenarios.some((s) => s.name === scenario)) throw new Error(`topo/simulate: no scenario named "${scenario}" in ${o.path}`);
    const outcome = await runSimulation(o, { scenario, all: false, policy, seed });
    if (!outcome) return { result: null, placement: checkOf(o).placement ?? null, facts: programFacts(checkOf(o)), reason: 'the file has errors: fix them to simulate' };
    return { result: outcome.result, placement: outcome.placement, facts: outcome.facts };
  });

  // ---------------------------------------------------------------- features (thin: convert and call the ide layer)

  const at = (uri: string, position: lsp.Position) => {
    const snap = snapshot(uri);
    return snap ? { ...snap, offset: snap.ix.offset(position) } : null;
  };

  connection.onCompletion(safe('completion', (p: lsp.CompletionParams) => {
    const a = at(p.textDocument.uri, p.position);
    if (!a || !ide.completion) return [];
    return ide.completion(a.s, a.offset).map((c): lsp.CompletionItem => ({
      label: c.label,
      kind: COMPLETION_KIND[c.kind] as lsp.CompletionItemKind,
      detail: c.detail,
      documentation: c.documentation ? { kind: 'markdown', value: c.documentation } : undefined,
      insertTextFormat: c.snippet ? 2 : 1,
      sortText: c.sortText,
      ...(c.replace ? { textEdit: { range: toRange(a.ix, c.replace), newText: c.insertText ?? c.label } } : { insertText: c.insertText ?? c.label }),
    }));
  }, []));

  connection.onHover(safe('hover', (p: lsp.HoverParams) => {
    const a = at(p.textDocument.uri, p.position);
    const h = a && ide.hover ? ide.hover(a.s, a.offset) : null;
    return h && a ? { contents: { kind: 'markdown', value: h.contents }, range: toRange(a.ix, h.span) } : null;
  }, null));

  const locations = (check: CheckResult, locs: readonly { file: string; span: { start: number; end: number } }[]): lsp.Location[] =>
    locs.map((l) => ({ uri: uris.uri(l.file), range: toRange(indexOf(check)(l.file), l.span) }));

  connection.onDefinition(safe('definition', (p: lsp.DefinitionParams) => {
    const a = at(p.textDocument.uri, p.position);
    return a && ide.definition ? locations(a.s.check, ide.definition(a.s, a.offset)) : [];
  }, []));

  connection.onReferences(safe('references', (p: lsp.ReferenceParams) => {
    const a = at(p.textDocument.uri, p.position);
    return a && ide.references ? locations(a.s.check, ide.references(a.s, a.offset, p.context.includeDeclaration)) : [];
  }, []));

  connection.onDocumentHighlight(safe('highlights', (p: lsp.DocumentHighlightParams) => {
    const a = at(p.textDocument.uri, p.position);
    return a && ide.documentHighlights ? ide.documentHighlights(a.s, a.offset).map((h) => ({ range: toRange(a.ix, h.span), kind: h.kind === 'write' ? 3 : h.kind === 'read' ? 2 : 1 })) : [];
  }, []));

  connection.onPrepareRename(safe('prepareRename', (p: lsp.PrepareRenameParams) => {
    const a = at(p.textDocument.uri, p.position);
    const r = a && ide.prepareRename ? ide.prepareRename(a.s, a.offset) : null;
    return r && a ? { range: toRange(a.ix, r.span), placeholder: r.placeholder } : null;
  }, null));

  connection.onRenameRequest((p) => {
    const a = at(p.textDocument.uri, p.position);
    if (!a || !ide.rename) return null;
    const r = ide.rename(a.s, a.offset, p.newName);
    // A refusal (not a name, a declared name, ...) is RequestFailed with the reason, which the editor shows; not an internal error.
    if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
    return toWorkspaceEdit(r.edits, indexOf(a.s.check), uris);
  });

  connection.onDocumentSymbol(safe('symbols', (p: lsp.DocumentSymbolParams) => {
    const snap = snapshot(p.textDocument.uri);
    if (!snap || !ide.documentSymbols) return [];
    const conv = (d: ReturnType<NonNullable<typeof ide.documentSymbols>>[number]): lsp.DocumentSymbol => ({
      name: d.name, detail: d.detail, kind: SYMBOL_KIND[d.kind], range: toRange(snap.ix, d.span), selectionRange: toRange(snap.ix, d.selectionSpan), children: d.children.map(conv),
    });
    return ide.documentSymbols(snap.s).map(conv);
  }, []));

  connection.onWorkspaceSymbol(safe('workspaceSymbols', (p: lsp.WorkspaceSymbolParams) => {
    if (!ide.workspaceSymbols) return [];
    const checks = [...open.values()].map(checkOf);
    const byFile = new Map<string, CheckResult>();
    for (const c of checks) for (const f of c.trees.keys()) if (!byFile.has(f)) byFile.set(f, c);
    return ide.workspaceSymbols(checks, p.query).map((w): lsp.SymbolInformation => ({
      name: w.name, kind: SYMBOL_KIND[w.kind], containerName: w.container,
      location: { uri: uris.uri(w.location.file), range: toRange(indexOf(byFile.get(w.location.file) ?? checks[0])(w.location.file), w.location.span) },
    }));
  }, []));

  connection.onFoldingRanges(safe('folding', (p: lsp.FoldingRangeParams) => {
    const snap = snapshot(p.textDocument.uri);
    return snap && ide.foldingRanges ? ide.foldingRanges(snap.s).map((f) => ({ startLine: f.startLine, endLine: f.endLine, kind: f.kind })) : [];
  }, []));

  connection.onSelectionRanges(safe('selectionRanges', (p: lsp.SelectionRangeParams) => {
    const snap = snapshot(p.textDocument.uri);
    if (!snap || !ide.selectionRanges) return [];
    const offsets = p.positions.map((pos) => snap.ix.offset(pos));
    return ide.selectionRanges(snap.s, offsets).map((spans, i) => {
      let parent: lsp.SelectionRange | undefined;
      for (let k = spans.length - 1; k >= 0; k--) parent = { range: toRange(snap.ix, spans[k]), parent };
      return parent ?? { range: { start: p.positions[i], end: p.positions[i] } };
    });
  }, []));

  connection.languages.semanticTokens.on(safe('semanticTokens', (p: lsp.SemanticTokensParams) => {
    const snap = snapshot(p.textDocument.uri);
    if (!snap || !ide.semanticTokens) return { data: [] };
    const data: number[] = [];
    let line = 0;
    let char = 0;
    for (const t of ide.semanticTokens(snap.s)) {
      const r = toRange(snap.ix, t.span);
      if (r.end.line !== r.start.line) continue;
      const type = SEMANTIC_TYPES.indexOf(t.type);
      if (type < 0) continue;
      let mods = 0;
      for (const m of t.modifiers) { const i = SEMANTIC_MODIFIERS.indexOf(m); if (i >= 0) mods |= 1 << i; }
      data.push(r.start.line - line, r.start.line === line ? r.start.character - char : r.start.character, r.end.character - r.start.character, type, mods);
      line = r.start.line;
      char = r.start.character;
    }
    return { data };
  }, { data: [] }));

  const formatting = (uri: string, options: lsp.FormattingOptions, range?: lsp.Range): lsp.TextEdit[] => {
    const o = open.get(uri);
    if (!o) return [];
    const text = o.doc.getText();
    const ix = new LineIndex(text);
    const opts = { tabSize: options.tabSize, insertSpaces: options.insertSpaces };
    const edits = range && ide.formatRange ? ide.formatRange(text, o.path, toSpan(ix, range), opts) : ide.format ? ide.format(text, o.path, opts) : [];
    return edits.map((e) => ({ range: toRange(ix, e.span), newText: e.newText }));
  };
  connection.onDocumentFormatting(safe('format', (p: lsp.DocumentFormattingParams) => formatting(p.textDocument.uri, p.options), []));
  connection.onDocumentRangeFormatting(safe('formatRange', (p: lsp.DocumentRangeFormattingParams) => formatting(p.textDocument.uri, p.options, p.range), []));

  connection.onCodeAction(safe('codeActions', (p: lsp.CodeActionParams) => {
    const snap = snapshot(p.textDocument.uri);
    if (!snap) return [];
    const span = toSpan(snap.ix, p.range);
    const ix = indexOf(snap.s.check);
    const near = snap.s.check.diagnostics.filter((d) => d.file === snap.o.path && d.span.start <= span.end && d.span.end >= span.start);
    const actions = ide.codeActions
      ? ide.codeActions(snap.s, span, near)
      : near.flatMap((d) => d.fixes.map((f) => ({ title: f.title, kind: 'quickfix' as const, edits: f.edits, diagnostics: [d], preferred: f.preferred })));
    return actions.map((a): lsp.CodeAction => ({
      title: a.title, kind: a.kind, isPreferred: a.preferred, edit: toWorkspaceEdit(a.edits, ix, uris), diagnostics: a.diagnostics.map((d) => toDiagnostic(d, ix, uris)),
    }));
  }, []));

  connection.languages.inlayHint.on(safe('inlayHints', (p: lsp.InlayHintParams) => {
    const snap = snapshot(p.textDocument.uri);
    if (!snap || !ide.inlayHints || !settings.inlayHints) return [];
    return ide.inlayHints(snap.s, toSpan(snap.ix, p.range), { utilisation: true, locality: true }).map((h): lsp.InlayHint => ({
      position: snap.ix.position(h.offset), label: h.label, tooltip: h.tooltip, paddingLeft: true,
    }));
  }, []));

  connection.listen();
}

function locality(result: SimulationResult, container: string): number {
  return result.containers.find((c) => c.name === container)?.locality ?? 0;
}
