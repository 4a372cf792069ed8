import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import type { SemanticToken } from '../../core/ide/types';
import type { LineIndex } from '../../core/text';
import { toRange } from '../convert';
import { ide, SEMANTIC_MODIFIERS, SEMANTIC_TYPES } from '../ideApi';
import type { Workspace } from '../workspace';

/** The tokens in LSP's relative encoding (five numbers a token); multi-line and unknown-type tokens are left out. */
export function encodeTokens(tokens: readonly SemanticToken[], ix: LineIndex): number[] {
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const t of tokens) {
    const r = toRange(ix, t.span);
    if (r.end.line !== r.start.line) continue;
    const type = SEMANTIC_TYPES.indexOf(t.type);
    if (type < 0) continue;
    let mods = 0;
    for (const m of t.modifiers) { const i = SEMANTIC_MODIFIERS.indexOf(m); if (i >= 0) mods |= 1 << i; }
    data.push(r.start.line - line, r.start.line === line ? r.start.character - char : r.start.character, r.end.character - r.start.character, type, mods);
    line = r.start.line;
    char = r.start.character;
  }
  return data;
}

/** textDocument/semanticTokens/full. */
export function registerSemanticTokens(connection: Connection, ws: Workspace): void {
  connection.languages.semanticTokens.on(ws.safe('semanticTokens', (p: lsp.SemanticTokensParams): lsp.SemanticTokens => {
    const snap = ws.snapshot(p.textDocument.uri);
    return snap ? { data: encodeTokens(ide.semanticTokens(snap.s), snap.ix) } : { data: [] };
  }, { data: [] }));
}
