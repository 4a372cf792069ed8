import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import { toRange } from '../convert';
import { ide } from '../ideApi';
import type { Workspace } from '../workspace';

/** textDocument/hover. */
export function registerHover(connection: Connection, ws: Workspace): void {
  connection.onHover(ws.safe('hover', (p: lsp.HoverParams): lsp.Hover | null => {
    const a = ws.at(p.textDocument.uri, p.position);
    const h = a ? ide.hover(a.s, a.offset) : null;
    return h && a ? { contents: { kind: 'markdown', value: h.contents }, range: toRange(a.ix, h.span) } : null;
  }, null));
}
