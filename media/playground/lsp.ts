// A small LSP client for monaco: the language server runs in a web worker (the server's browser
// entry), this file speaks the protocol to it with vscode-languageserver-protocol/browser and
// registers monaco providers for what the server's capabilities announce. One document, full or
// incremental sync as the server asks.
import type * as Monaco from 'monaco-editor/editor/editor.api';
import * as P from 'vscode-languageserver-protocol/browser';
import {
  fromCompletion, fromDiagnostic, fromDocumentSymbol, fromHover, fromLocations, fromRange, fromTextEdit, fromWorkspaceEdit, toDiagnostic,
  toPosition, toRange,
} from './convert';
import { LANGUAGE_ID } from './language';

type M = typeof Monaco;

export interface LspClient {
  readonly capabilities: P.ServerCapabilities;
  /** Resolves after the next publishDiagnostics for the model's current version. */
  whenDiagnostics(): Promise<void>;
  dispose(): void;
}

export interface LspOptions {
  /** Called with every diagnostics publication (after the markers are set). */
  onDiagnostics?(diagnostics: readonly P.Diagnostic[]): void;
  log?(message: string): void;
}

export async function startLsp(monaco: M, worker: Worker, model: Monaco.editor.ITextModel, options: LspOptions = {}): Promise<LspClient> {
  const connection = P.createProtocolConnection(new P.BrowserMessageReader(worker), new P.BrowserMessageWriter(worker));
  const disposables: Monaco.IDisposable[] = [];
  const uri = model.uri.toString();
  let version = model.getVersionId();
  let published = -1;
  let waiters: (() => void)[] = [];

  connection.onNotification(P.PublishDiagnosticsNotification.type, (p) => {
    if (p.uri !== uri || model.isDisposed()) return;
    if (p.version !== undefined && p.version !== null && p.version !== version) return;
    monaco.editor.setModelMarkers(model, 'topo', p.diagnostics.map((d) => fromDiagnostic(monaco, d)));
    published = version;
    options.onDiagnostics?.(p.diagnostics);
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  });
  // Notifications without a handler (e.g. the extension's topo/* ones) are dropped by the
  // connection (its default logger is silent).
  connection.onNotification(P.LogMessageNotification.type, (p) => options.log?.(p.message));
  connection.onNotification(P.ShowMessageNotification.type, (p) => options.log?.(p.message));
  connection.onRequest(P.ConfigurationRequest.type, (p) => p.items.map(() => null));
  connection.onRequest(P.RegistrationRequest.type, () => undefined);
  connection.onRequest(P.UnregistrationRequest.type, () => undefined);
  connection.onRequest(P.WorkDoneProgressCreateRequest.type, () => undefined);
  connection.onRequest(P.ShowMessageRequest.type, () => null);
  connection.onRequest(P.ApplyWorkspaceEditRequest.type, (p) => {
    const edit = fromWorkspaceEdit(monaco, p.edit);
    model.pushEditOperations([], edit.edits.flatMap((e) => ('textEdit' in e && e.resource.toString() === uri ? [{ range: e.textEdit.range, text: e.textEdit.text }] : [])), () => null);
    return { applied: true };
  });
  connection.listen();

  const init = await initialize(connection);
  const caps = init.capabilities;
  await connection.sendNotification(P.InitializedNotification.type, {});

  const sync = caps.textDocumentSync;
  const syncKind = typeof sync === 'number' ? sync : (sync?.change ?? P.TextDocumentSyncKind.Full);
  const doc = { uri };
  await connection.sendNotification(P.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: LANGUAGE_ID, version, text: model.getValue() },
  });
  disposables.push(model.onDidChangeContent((e) => {
    version = e.versionId;
    const contentChanges: P.TextDocumentContentChangeEvent[] = syncKind === P.TextDocumentSyncKind.Incremental && e.changes.length === 1
      ? e.changes.map((c) => ({ range: toRange(c.range), rangeLength: c.rangeLength, text: c.text }))
      : [{ text: model.getValue() }];
    void connection.sendNotification(P.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }));

  const pos = (p: Monaco.Position): P.TextDocumentPositionParams => ({ textDocument: doc, position: toPosition(p) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any partial-result and registration types
  const request = async <Q, R>(type: P.ProtocolRequestType<Q, R, any, void, any>, params: P.RequestParam<Q>, token: Monaco.CancellationToken): Promise<R | null> => {
    const source = new P.CancellationTokenSource();
    const sub = token.onCancellationRequested(() => source.cancel());
    try {
      return await connection.sendRequest(type, params, source.token);
    } catch (e) {
      if (!token.isCancellationRequested) options.log?.(`${type.method} failed: ${String(e)}`);
      return null;
    } finally {
      sub.dispose();
    }
  };

  const ctx: ProviderContext = { monaco, caps, request, pos, doc };
  registerReading(ctx, disposables);
  registerEditing(ctx, disposables);

  return {
    capabilities: caps,
    whenDiagnostics: () => (published === version ? Promise.resolve() : new Promise<void>((ok) => waiters.push(ok))),
    dispose() {
      for (const d of disposables) d.dispose();
      void connection.sendRequest(P.ShutdownRequest.type).then(() => connection.sendNotification(P.ExitNotification.type)).catch(() => undefined).finally(() => connection.dispose());
    },
  };
}

/** The initialize request: what this client supports. */
function initialize(connection: P.ProtocolConnection): Promise<P.InitializeResult> {
  return connection.sendRequest(P.InitializeRequest.type, {
    processId: null,
    rootUri: null,
    workspaceFolders: null,
    clientInfo: { name: 'topo-playground' },
    capabilities: {
      textDocument: {
        synchronization: { dynamicRegistration: false, didSave: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [P.DiagnosticTag.Unnecessary, P.DiagnosticTag.Deprecated] } },
        completion: { completionItem: { snippetSupport: true, documentationFormat: [P.MarkupKind.Markdown, P.MarkupKind.PlainText], insertReplaceSupport: true, labelDetailsSupport: true } },
        hover: { contentFormat: [P.MarkupKind.Markdown, P.MarkupKind.PlainText] },
        definition: { linkSupport: true },
        references: {},
        documentHighlight: {},
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        formatting: {},
        rangeFormatting: {},
        rename: { prepareSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite', 'source'] } }, isPreferredSupport: true },
        foldingRange: { lineFoldingOnly: true },
        selectionRange: {},
        semanticTokens: {
          requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'], multilineTokenSupport: false, overlappingTokenSupport: false,
        },
      },
      workspace: { configuration: true, applyEdit: true },
      window: { workDoneProgress: false },
    },
    // The playground simulates in its own worker (never saves), and has no settings UI.
    initializationOptions: { playground: true, settings: { simulateOnSave: false } },
  });
}

/** What the providers need: the server's capabilities and a cancellable request. */
interface ProviderContext {
  readonly monaco: M;
  readonly caps: P.ServerCapabilities;
  readonly request: Ask;
  readonly pos: (p: Monaco.Position) => P.TextDocumentPositionParams;
  readonly doc: { readonly uri: string };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any partial-result and registration types
type Ask = <Q, R>(type: P.ProtocolRequestType<Q, R, any, void, any>, params: P.RequestParam<Q>, token: Monaco.CancellationToken) => Promise<R | null>;

/** Registers what `register` makes when the server has the capability. */
function providing(disposables: Monaco.IDisposable[]): (capability: unknown, register: () => Monaco.IDisposable) => void {
  return (capability, register) => {
    if (capability) disposables.push(register());
  };
}

/** Providers that read: completion, hover, definition, references, highlights, symbols. */
function registerReading({ monaco, caps, request, pos, doc }: ProviderContext, disposables: Monaco.IDisposable[]): void {
  const sel = LANGUAGE_ID;
  const provide = providing(disposables);
  const { DocumentHighlightKind } = monaco.languages;
  provide(caps.completionProvider, () => monaco.languages.registerCompletionItemProvider(sel, {
    triggerCharacters: caps.completionProvider?.triggerCharacters,
    async provideCompletionItems(m, position, _context, token) {
      const r = await request(P.CompletionRequest.type, pos(position), token);
      const word = m.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const items = !r ? [] : Array.isArray(r) ? r : r.items;
      return { suggestions: items.map((i) => fromCompletion(monaco, i, range)), incomplete: !Array.isArray(r) && r?.isIncomplete === true };
    },
  }));
  provide(caps.hoverProvider, () => monaco.languages.registerHoverProvider(sel, {
    provideHover: async (_m, position, token) => {
      const r = await request(P.HoverRequest.type, pos(position), token);
      return r ? fromHover(r) : null;
    },
  }));
  provide(caps.definitionProvider, () => monaco.languages.registerDefinitionProvider(sel, {
    provideDefinition: async (_m, position, token) => fromLocations(monaco, await request(P.DefinitionRequest.type, pos(position), token)),
  }));
  provide(caps.referencesProvider, () => monaco.languages.registerReferenceProvider(sel, {
    provideReferences: async (_m, position, context, token) => fromLocations(monaco, await request(P.ReferencesRequest.type, { ...pos(position), context }, token)),
  }));
  provide(caps.documentHighlightProvider, () => monaco.languages.registerDocumentHighlightProvider(sel, {
    provideDocumentHighlights: async (_m, position, token) => {
      const r = await request(P.DocumentHighlightRequest.type, pos(position), token);
      return (r ?? []).map((h) => ({ range: fromRange(h.range), kind: h.kind === P.DocumentHighlightKind.Write ? DocumentHighlightKind.Write : h.kind === P.DocumentHighlightKind.Read ? DocumentHighlightKind.Read : DocumentHighlightKind.Text }));
    },
  }));
  provide(caps.documentSymbolProvider, () => monaco.languages.registerDocumentSymbolProvider(sel, {
    provideDocumentSymbols: async (_m, token) => {
      const r = await request(P.DocumentSymbolRequest.type, { textDocument: doc }, token);
      return (r ?? []).flatMap((s) => ('range' in s ? [fromDocumentSymbol(monaco, s)] : []));
    },
  }));
}

/** Monaco's formatting options as LSP's. */
const formatting = (o: Monaco.languages.FormattingOptions): P.FormattingOptions => ({ tabSize: o.tabSize, insertSpaces: o.insertSpaces });

/** Providers that edit or fold: formatting, rename, folding, code actions, semantic tokens. */
function registerEditing({ monaco, caps, request, pos, doc }: ProviderContext, disposables: Monaco.IDisposable[]): void {
  const sel = LANGUAGE_ID;
  const provide = providing(disposables);
  const { FoldingRangeKind } = monaco.languages;
  provide(caps.documentFormattingProvider, () => monaco.languages.registerDocumentFormattingEditProvider(sel, {
    provideDocumentFormattingEdits: async (_m, o, token) => (await request(P.DocumentFormattingRequest.type, { textDocument: doc, options: formatting(o) }, token) ?? []).map(fromTextEdit),
  }));
  provide(caps.documentRangeFormattingProvider, () => monaco.languages.registerDocumentRangeFormattingEditProvider(sel, {
    provideDocumentRangeFormattingEdits: async (_m, range, o, token) => (await request(P.DocumentRangeFormattingRequest.type, { textDocument: doc, range: toRange(range), options: formatting(o) }, token) ?? []).map(fromTextEdit),
  }));
  provide(caps.renameProvider, () => monaco.languages.registerRenameProvider(sel, {
    provideRenameEdits: async (_m, position, newName, token) => fromWorkspaceEdit(monaco, await request(P.RenameRequest.type, { ...pos(position), newName }, token)),
  }));
  provide(caps.foldingRangeProvider, () => monaco.languages.registerFoldingRangeProvider(sel, {
    provideFoldingRanges: async (_m, _c, token) => {
      const r = await request(P.FoldingRangeRequest.type, { textDocument: doc }, token);
      return (r ?? []).map((f) => ({ start: f.startLine + 1, end: f.endLine + 1, kind: f.kind === 'comment' ? FoldingRangeKind.Comment : f.kind === 'region' ? FoldingRangeKind.Region : undefined }));
    },
  }));
  provide(caps.codeActionProvider, () => monaco.languages.registerCodeActionProvider(sel, {
    async provideCodeActions(_m, range, context, token) {
      const diagnostics = context.markers.map((m) => toDiagnostic(monaco, m));
      const r = await request(P.CodeActionRequest.type, { textDocument: doc, range: toRange(range), context: { diagnostics, only: context.only ? [context.only] : undefined } }, token);
      const actions = (r ?? []).flatMap((a): Monaco.languages.CodeAction[] => ('title' in a && 'edit' in a ? [{
        title: a.title, kind: a.kind, isPreferred: a.isPreferred, edit: a.edit ? fromWorkspaceEdit(monaco, a.edit) : undefined,
        diagnostics: context.markers.filter((m) => a.diagnostics?.some((d) => d.message === m.message && d.range.start.line === m.startLineNumber - 1)),
      }] : []));
      return { actions, dispose: () => undefined };
    },
  }));
  const legend = caps.semanticTokensProvider?.legend;
  if (!legend || !caps.semanticTokensProvider?.full) return;
  disposables.push(monaco.languages.registerDocumentSemanticTokensProvider(sel, {
    getLegend: () => legend,
    async provideDocumentSemanticTokens(_m, _lastResultId, token) {
      const r = await request(P.SemanticTokensRequest.type, { textDocument: doc }, token);
      return r ? { data: new Uint32Array(r.data), resultId: r.resultId } : null;
    },
    releaseDocumentSemanticTokens: () => undefined,
  }));
}
