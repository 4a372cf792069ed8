import type { BoundProgram, CheckResult } from '../check';
import type { Diagnostic } from '../diagnostics';
import type { FileHost } from '../host';
import type { SimulationResult } from '../result';
import type { Location, Span, TextEdit } from '../text';

/**
 * The plain-data contract of the ide layer. Features are written once here, against offsets
 * and spans in one file; the LSP server only converts to and from protocol types.
 * Every function takes an `IdeSnapshot` (immutable) and never throws on any text.
 */

export interface IdeSnapshot {
  /** The file the request is about. */
  readonly file: string;
  /** Its current text (equals check.trees.get(file).text). */
  readonly text: string;
  /** The checked program rooted at `file` (with its imports). */
  readonly check: CheckResult;
  /** The latest simulation of this file, if any (for hover and inlay hints). */
  readonly simulation?: SimulationResult | null;
  /** How the host reaches files (completion lists the `.topo` files an import may name). */
  readonly host?: FileHost;
}

/**
 * What completion reads: the program bound but not necessarily checked, so that completion
 * right after an edit answers from the current text without waiting for placement and analysis.
 */
export interface CompletionSnapshot extends Omit<IdeSnapshot, 'check'> {
  readonly check: BoundProgram;
}

export type CompletionKind = 'keyword' | 'property' | 'value' | 'reference' | 'unit' | 'snippet';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  /** Short text beside the label (e.g. the syntax, or "node · 32 cores, 256GiB"). */
  readonly detail?: string;
  /** Markdown documentation (from the property table, syntax/schema.ts). */
  readonly documentation?: string;
  /** Text to insert; LSP snippet syntax when `snippet` is true. Defaults to the label. */
  readonly insertText?: string;
  readonly snippet?: boolean;
  /** The span the insertion replaces (the partial word under the cursor). */
  readonly replace?: Span;
  readonly sortText?: string;
}

export interface Hover {
  /** Markdown. */
  readonly contents: string;
  readonly span: Span;
}

export type SymbolKind = 'rack' | 'node' | 'sds' | 'tenant' | 'container' | 'scenario' | 'defaults' | 'fabric' | 'import';

export interface DocumentSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly detail?: string;
  /** The whole declaration. */
  readonly span: Span;
  /** The name. */
  readonly selectionSpan: Span;
  readonly children: readonly DocumentSymbol[];
}

export interface WorkspaceSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly location: Location;
  readonly container?: string;
}

export interface FoldingRange {
  /** Zero-based lines. */
  readonly startLine: number;
  readonly endLine: number;
  readonly kind?: 'comment' | 'region';
}

/** Nested spans, innermost first (LSP SelectionRange as a list). */
export type SelectionRange = readonly Span[];

export interface Highlight {
  readonly span: Span;
  readonly kind: 'read' | 'write' | 'text';
}

export type SemanticTokenType = 'keyword' | 'property' | 'type' | 'variable' | 'enumMember' | 'number' | 'string' | 'comment' | 'operator' | 'unit'
  | 'rack' | 'node' | 'sds' | 'tenant' | 'container' | 'scenario' | 'device';
export type SemanticTokenModifier = 'declaration' | 'readonly' | 'defaultLibrary';

export interface SemanticToken {
  readonly span: Span;
  readonly type: SemanticTokenType;
  readonly modifiers: readonly SemanticTokenModifier[];
}

export interface FormatOptions {
  readonly tabSize: number;
  readonly insertSpaces: boolean;
}

export interface CodeAction {
  readonly title: string;
  readonly kind: 'quickfix' | 'refactor' | 'refactor.rewrite' | 'source';
  readonly edits: readonly TextEdit[];
  /** The diagnostics it fixes. */
  readonly diagnostics: readonly Diagnostic[];
  readonly preferred?: boolean;
}

export interface InlayHint {
  readonly offset: number;
  readonly label: string;
  readonly tooltip?: string;
  readonly kind: 'utilisation' | 'locality';
}

export interface InlayHintOptions {
  readonly utilisation: boolean;
  readonly locality: boolean;
}

export interface RenameResult {
  readonly edits: readonly TextEdit[];
}

/**
 * The functions server/src/core/ide/index.ts exports (implemented in small modules beside it):
 *
 *   completion(s: CompletionSnapshot, offset: number): CompletionItem[]
 *   hover(s: IdeSnapshot, offset: number): Hover | null
 *   definition(s: IdeSnapshot, offset: number): Location[]
 *   references(s: IdeSnapshot, offset: number, includeDeclaration: boolean): Location[]
 *   documentHighlights(s: IdeSnapshot, offset: number): Highlight[]
 *   prepareRename(s: IdeSnapshot, offset: number): { span: Span; placeholder: string } | null
 *   renameTarget(s: IdeSnapshot, offset: number): { span: Span; placeholder: string } | { error: string } | null
 *   rename(s: IdeSnapshot, offset: number, newName: string): RenameResult | { error: string }
 *   documentSymbols(s: IdeSnapshot): DocumentSymbol[]
 *   workspaceSymbols(checks: readonly CheckResult[], query: string): WorkspaceSymbol[]
 *   foldingRanges(s: IdeSnapshot): FoldingRange[]
 *   selectionRanges(s: IdeSnapshot, offsets: readonly number[]): SelectionRange[]
 *   semanticTokens(s: IdeSnapshot): SemanticToken[]      (sorted, non-overlapping, single-line)
 *   format(text: string, file: string, options: FormatOptions): TextEdit[]
 *   formatRange(text: string, file: string, span: Span, options: FormatOptions): TextEdit[]
 *   codeActions(s: IdeSnapshot, span: Span, diagnostics: readonly Diagnostic[]): CodeAction[]
 *   inlayHints(s: IdeSnapshot, span: Span, options: InlayHintOptions): InlayHint[]
 */
export {};
