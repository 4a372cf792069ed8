import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import { toRange } from '../convert';
import { ide } from '../ideApi';
import type { Workspace } from '../workspace';

/** textDocument/foldingRange. */
export function registerFolding(connection: Connection, ws: Workspace): void {
  connection.onFoldingRanges(ws.safe('folding', (p: lsp.FoldingRangeParams): lsp.FoldingRange[] => {
    const snap = ws.snapshot(p.textDocument.uri);
    return snap ? ide.foldingRanges(snap.s).map((f) => ({ startLine: f.startLine, endLine: f.endLine, kind: f.kind })) : [];
  }, []));
}

/** textDocument/selectionRange. */
export function registerSelectionRanges(connection: Connection, ws: Workspace): void {
  connection.onSelectionRanges(ws.safe('selectionRanges', (p: lsp.SelectionRangeParams) => {
    const snap = ws.snapshot(p.textDocument.uri);
    if (!snap) return [];
    const offsets = p.positions.map((pos) => snap.ix.offset(pos));
    return ide.selectionRanges(snap.s, offsets).map((spans, i) => {
      let parent: lsp.SelectionRange | undefined;
      for (let k = spans.length - 1; k >= 0; k--) parent = { range: toRange(snap.ix, spans[k]), parent };
      return parent ?? { range: { start: p.positions[i], end: p.positions[i] } };
    });
  }, []));
}
