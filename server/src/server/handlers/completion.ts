import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import { toRange } from '../convert';
import { COMPLETION_KIND, ide } from '../ideApi';
import type { Workspace } from '../workspace';

/** textDocument/completion: answered from the current text bound, without waiting for the check after an edit. */
export function registerCompletion(connection: Connection, ws: Workspace): void {
  connection.onCompletion(ws.safe('completion', (p: lsp.CompletionParams) => {
    const a = ws.completionAt(p.textDocument.uri, p.position);
    if (!a) return [];
    return ide.completion(a, a.offset).map((c): lsp.CompletionItem => ({
      label: c.label,
      kind: COMPLETION_KIND[c.kind] as lsp.CompletionItemKind,
      detail: c.detail,
      documentation: c.documentation ? { kind: 'markdown', value: c.documentation } : undefined,
      insertTextFormat: c.snippet ? 2 : 1,
      sortText: c.sortText,
      ...(c.replace ? { textEdit: { range: toRange(a.ix, c.replace), newText: c.insertText ?? c.label } } : { insertText: c.insertText ?? c.label }),
    }));
  }, []));
}
