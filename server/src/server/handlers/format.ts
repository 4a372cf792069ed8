import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import { LineIndex } from '../../core/text';
import { toRange, toSpan } from '../convert';
import { ide } from '../ideApi';
import type { Workspace } from '../workspace';

/** textDocument/formatting and textDocument/rangeFormatting. */
export function registerFormatting(connection: Connection, ws: Workspace): void {
  const formatting = (uri: string, options: lsp.FormattingOptions, range?: lsp.Range): lsp.TextEdit[] => {
    const o = ws.open.get(uri);
    if (!o) return [];
    const text = o.doc.getText();
    const ix = new LineIndex(text);
    const opts = { tabSize: options.tabSize, insertSpaces: options.insertSpaces };
    const edits = range ? ide.formatRange(text, o.path, toSpan(ix, range), opts, ws.parseOf(o)) : ide.format(text, o.path, opts, ws.parseOf(o));
    return edits.map((e) => ({ range: toRange(ix, e.span), newText: e.newText }));
  };
  connection.onDocumentFormatting(ws.safe('format', (p: lsp.DocumentFormattingParams) => formatting(p.textDocument.uri, p.options), []));
  connection.onDocumentRangeFormatting(ws.safe('formatRange', (p: lsp.DocumentRangeFormattingParams) => formatting(p.textDocument.uri, p.options, p.range), []));
}
