import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import { toRange } from '../convert';
import { ide } from '../ideApi';
import type { Workspace } from '../workspace';

/** textDocument/definition. */
export function registerDefinition(connection: Connection, ws: Workspace): void {
  connection.onDefinition(ws.safe('definition', (p: lsp.DefinitionParams) => {
    const a = ws.at(p.textDocument.uri, p.position);
    return a ? ws.locations(a.s.check, ide.definition(a.s, a.offset)) : [];
  }, []));
}

/** textDocument/references. */
export function registerReferences(connection: Connection, ws: Workspace): void {
  connection.onReferences(ws.safe('references', (p: lsp.ReferenceParams) => {
    const a = ws.at(p.textDocument.uri, p.position);
    return a ? ws.locations(a.s.check, ide.references(a.s, a.offset, p.context.includeDeclaration)) : [];
  }, []));
}

/** textDocument/documentHighlight. */
export function registerHighlights(connection: Connection, ws: Workspace): void {
  connection.onDocumentHighlight(ws.safe('highlights', (p: lsp.DocumentHighlightParams): lsp.DocumentHighlight[] => {
    const a = ws.at(p.textDocument.uri, p.position);
    return a ? ide.documentHighlights(a.s, a.offset).map((h) => ({ range: toRange(a.ix, h.span), kind: h.kind === 'write' ? 3 : h.kind === 'read' ? 2 : 1 })) : [];
  }, []));
}
