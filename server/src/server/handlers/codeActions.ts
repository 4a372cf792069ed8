import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import { toDiagnostic, toSpan, toWorkspaceEdit } from '../convert';
import { ide } from '../ideApi';
import type { Workspace } from '../workspace';
import type { SizingLenses } from '../sizingLenses';

/** textDocument/codeAction: the quick fixes of the diagnostics in the range and the refactorings there. */
export function registerCodeActions(connection: Connection, ws: Workspace, sizing: SizingLenses): void {
  connection.onCodeAction(ws.safe('codeActions', (p: lsp.CodeActionParams) => {
    const snap = ws.snapshot(p.textDocument.uri);
    if (!snap) return [];
    const span = toSpan(snap.ix, p.range);
    const ix = ws.indexOf(snap.s.check);
    const near = snap.s.check.diagnostics.filter((d) => d.file === snap.o.path && d.span.start <= span.end && d.span.end >= span.start);
    const actions = ide.codeActions(snap.s, span, near).map((a): lsp.CodeAction => ({
      title: a.title, kind: a.kind, isPreferred: a.preferred, edit: toWorkspaceEdit(a.edits, ix, ws.uris), diagnostics: a.diagnostics.map((d) => toDiagnostic(d, ix, ws.uris)),
    }));
    return [...actions, ...sizing.codeActions(p.textDocument.uri, span)];
  }, []));
}
