import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import type { SemanticToken } from '../../core/ide/types';
import type { LineIndex } from '../../core/text';
import { toRange } from '../convert';
import { ide, SEMANTIC_MODIFIERS, SEMANTIC_TYPES } from '../ideApi';
import type { OpenDocument, Workspace } from '../workspace';
import type { CheckResult } from '../../core/check';

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

/** A document's tokens as last sent: the base of the next delta. */
export interface SentTokens {
  readonly resultId: string;
  readonly data: readonly number[];
}

/** The single edit that turns `a` into `b`: their common prefix and suffix kept (LSP semantic-token deltas). */
export function tokenEdit(a: readonly number[], b: readonly number[]): lsp.SemanticTokensEdit[] {
  const n = Math.min(a.length, b.length);
  let p = 0;
  while (p < n && a[p] === b[p]) p++;
  let s = 0;
  while (s < n - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  if (p === a.length && p === b.length) return [];
  return [{ start: p, deleteCount: a.length - p - s, data: b.slice(p, b.length - s) }];
}

/** textDocument/semanticTokens/full and /full/delta; a check's tokens are encoded once. */
export function registerSemanticTokens(connection: Connection, ws: Workspace): void {
  const encoded = new WeakMap<CheckResult, Map<string, SentTokens>>();
  let next = 0;
  const tokensOf = (uri: string): { o: OpenDocument; t: SentTokens } | null => {
    const snap = ws.snapshot(uri);
    if (!snap) return null;
    let m = encoded.get(snap.s.check);
    if (!m) { m = new Map(); encoded.set(snap.s.check, m); }
    let t = m.get(snap.o.path);
    if (!t) { t = { resultId: String(++next), data: encodeTokens(ide.semanticTokens(snap.s), snap.ix) }; m.set(snap.o.path, t); }
    return { o: snap.o, t };
  };
  connection.languages.semanticTokens.on(ws.safe('semanticTokens', (p: lsp.SemanticTokensParams): lsp.SemanticTokens => {
    const r = tokensOf(p.textDocument.uri);
    if (!r) return { data: [] };
    r.o.sentTokens = r.t;
    return { resultId: r.t.resultId, data: [...r.t.data] };
  }, { data: [] }));
  connection.languages.semanticTokens.onDelta(ws.safe('semanticTokensDelta', (p: lsp.SemanticTokensDeltaParams): lsp.SemanticTokens | lsp.SemanticTokensDelta => {
    const r = tokensOf(p.textDocument.uri);
    if (!r) return { data: [] };
    const base = r.o.sentTokens;
    r.o.sentTokens = r.t;
    if (!base || base.resultId !== p.previousResultId) return { resultId: r.t.resultId, data: [...r.t.data] };
    return { resultId: r.t.resultId, edits: base === r.t ? [] : tokenEdit(base.data, r.t.data) };
  }, { data: [] }));
}
