import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import { toSpan } from '../convert';
import { ide } from '../ideApi';
import type { Workspace } from '../workspace';

/** textDocument/inlayHint (off with the `topo.inlayHints.enabled` setting). */
export function registerInlayHints(connection: Connection, ws: Workspace): void {
  connection.languages.inlayHint.on(ws.safe('inlayHints', (p: lsp.InlayHintParams) => {
    const snap = ws.snapshot(p.textDocument.uri);
    if (!snap || !ws.settings.inlayHints) return [];
    return ide.inlayHints(snap.s, toSpan(snap.ix, p.range), { utilisation: true, locality: true }).map((h): lsp.InlayHint => ({
      position: snap.ix.position(h.offset), label: h.label, tooltip: h.tooltip, paddingLeft: true,
    }));
  }, []));
}
