import * as ideModule from '../core/ide/index';
import type * as T from '../core/ide/types';
import type { CheckResult } from '../core/check';
import type { Diagnostic } from '../core/diagnostics';
import type { Location, Span, TextEdit } from '../core/text';
import type { ParseResult } from '../core/syntax/parser';

/** The ide layer's functions as the server calls them (the contract of core/ide/types.ts). */
export interface IdeApi {
  completion(s: T.CompletionSnapshot, offset: number): T.CompletionItem[];
  hover(s: T.IdeSnapshot, offset: number): T.Hover | null;
  definition(s: T.IdeSnapshot, offset: number): Location[];
  references(s: T.IdeSnapshot, offset: number, includeDeclaration: boolean): Location[];
  documentHighlights(s: T.IdeSnapshot, offset: number): T.Highlight[];
  prepareRename(s: T.IdeSnapshot, offset: number): { span: Span; placeholder: string } | null;
  renameTarget(s: T.IdeSnapshot, offset: number): { span: Span; placeholder: string } | { error: string } | null;
  rename(s: T.IdeSnapshot, offset: number, newName: string): T.RenameResult | { error: string };
  documentSymbols(s: T.IdeSnapshot): T.DocumentSymbol[];
  workspaceSymbols(checks: readonly CheckResult[], query: string): T.WorkspaceSymbol[];
  foldingRanges(s: T.IdeSnapshot): T.FoldingRange[];
  selectionRanges(s: T.IdeSnapshot, offsets: readonly number[]): T.SelectionRange[];
  semanticTokens(s: T.IdeSnapshot): T.SemanticToken[];
  format(text: string, file: string, options: T.FormatOptions, parsed?: ParseResult): TextEdit[];
  formatRange(text: string, file: string, span: Span, options: T.FormatOptions, parsed?: ParseResult): TextEdit[];
  codeActions(s: T.IdeSnapshot, span: Span, diagnostics: readonly Diagnostic[]): T.CodeAction[];
  inlayHints(s: T.IdeSnapshot, span: Span, options: T.InlayHintOptions): T.InlayHint[];
}

/** The ide layer: the compiler checks that it exports every function of the contract. */
export const ide = ideModule satisfies IdeApi;

export const SEMANTIC_TYPES: readonly T.SemanticTokenType[] = ['keyword', 'property', 'type', 'variable', 'enumMember', 'number', 'string', 'comment', 'operator', 'unit',
  'rack', 'node', 'sds', 'tenant', 'container', 'scenario', 'device'];
export const SEMANTIC_MODIFIERS: readonly T.SemanticTokenModifier[] = ['declaration', 'readonly', 'defaultLibrary'];

/** LSP CompletionItemKind numbers. */
export const COMPLETION_KIND: Record<T.CompletionKind, number> = { keyword: 14, property: 10, value: 12, reference: 18, unit: 11, snippet: 15 };

/** LSP SymbolKind numbers. */
export const SYMBOL_KIND: Record<T.SymbolKind, 1 | 2 | 3 | 4 | 5 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 19 | 22 | 23> = {
  rack: 3, node: 13, sds: 5, tenant: 4, container: 23, scenario: 12, defaults: 19, fabric: 19, import: 2,
};
