import { LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import { toRange, toWorkspaceEdit } from '../convert';
import { ide } from '../ideApi';
import type { Workspace } from '../workspace';

/** textDocument/prepareRename and textDocument/rename. */
export function registerRename(connection: Connection, ws: Workspace): void {
  connection.onPrepareRename((p: lsp.PrepareRenameParams) => {
    const r = ws.safe('prepareRename', () => {
      const a = ws.at(p.textDocument.uri, p.position);
      const t = a ? ide.renameTarget(a.s, a.offset) : null;
      return t && a ? ('error' in t ? t : { range: toRange(a.ix, t.span), placeholder: t.placeholder }) : null;
    }, null)(p);
    // Where a rename cannot work (a member of a node range), refuse before the user types a name, with the reason.
    if (r && 'error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
    return r;
  });

  connection.onRenameRequest((p) => {
    const a = ws.at(p.textDocument.uri, p.position);
    if (!a) return null;
    const r = ide.rename(a.s, a.offset, p.newName);
    // A refusal (not a name, a declared name, ...) is RequestFailed with the reason, which the editor shows; not an internal error.
    if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
    return toWorkspaceEdit(r.edits, ws.indexOf(a.s.check), ws.uris);
  });
}
