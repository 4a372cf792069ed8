import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import type { CheckResult } from '../../core/check';
import type { DocumentSymbol } from '../../core/ide/types';
import { toRange } from '../convert';
import { ide, SYMBOL_KIND } from '../ideApi';
import type { Workspace } from '../workspace';

/** textDocument/documentSymbol; a check's symbols are computed once per file. */
export function registerDocumentSymbols(connection: Connection, ws: Workspace): void {
  const computed = new WeakMap<CheckResult, Map<string, lsp.DocumentSymbol[]>>();
  connection.onDocumentSymbol(ws.safe('symbols', (p: lsp.DocumentSymbolParams) => {
    const snap = ws.snapshot(p.textDocument.uri);
    if (!snap) return [];
    let m = computed.get(snap.s.check);
    if (!m) { m = new Map(); computed.set(snap.s.check, m); }
    const hit = m.get(snap.o.path);
    if (hit) return hit;
    const conv = (d: DocumentSymbol): lsp.DocumentSymbol => ({
      name: d.name, detail: d.detail, kind: SYMBOL_KIND[d.kind], range: toRange(snap.ix, d.span), selectionRange: toRange(snap.ix, d.selectionSpan), children: d.children.map(conv),
    });
    const symbols = ide.documentSymbols(snap.s).map(conv);
    m.set(snap.o.path, symbols);
    return symbols;
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
