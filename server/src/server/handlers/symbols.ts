import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import type { CheckResult } from '../../core/check';
import type { DocumentSymbol } from '../../core/ide/types';
import { toRange } from '../convert';
import { ide, SYMBOL_KIND } from '../ideApi';
import type { Workspace } from '../workspace';

/** textDocument/documentSymbol. */
export function registerDocumentSymbols(connection: Connection, ws: Workspace): void {
  connection.onDocumentSymbol(ws.safe('symbols', (p: lsp.DocumentSymbolParams) => {
    const snap = ws.snapshot(p.textDocument.uri);
    if (!snap) return [];
    const conv = (d: DocumentSymbol): lsp.DocumentSymbol => ({
      name: d.name, detail: d.detail, kind: SYMBOL_KIND[d.kind], range: toRange(snap.ix, d.span), selectionRange: toRange(snap.ix, d.selectionSpan), children: d.children.map(conv),
    });
    return ide.documentSymbols(snap.s).map(conv);
  }, []));
}

/** workspace/symbol: over the programs of every open document. */
export function registerWorkspaceSymbols(connection: Connection, ws: Workspace): void {
  connection.onWorkspaceSymbol(ws.safe('workspaceSymbols', (p: lsp.WorkspaceSymbolParams) => {
    const checks = [...ws.open.values()].map((o) => ws.checkOf(o));
    const byFile = new Map<string, CheckResult>();
    for (const c of checks) for (const f of c.trees.keys()) if (!byFile.has(f)) byFile.set(f, c);
    return ide.workspaceSymbols(checks, p.query).map((w): lsp.SymbolInformation => ({
      name: w.name, kind: SYMBOL_KIND[w.kind], containerName: w.container,
      location: { uri: ws.uris.uri(w.location.file), range: toRange(ws.indexOf(byFile.get(w.location.file) ?? checks[0])(w.location.file), w.location.span) },
    }));
  }, []));
}
