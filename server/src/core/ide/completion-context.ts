import type { Arg, Block, Import, Property, RangeRef, Ref, SourceFile } from '../syntax/ast';
import { lex, Tok, UNTERMINATED } from '../syntax/lexer';
import type { Span } from '../text';
import { nextAfter, type Next } from './completion-grammar';
import { pathAt } from './locate';
import { lastStartingBefore } from '../text';

/**
 * Where the cursor is, for completion: found from the syntax tree (the enclosing block, the
 * property whose statement the cursor is in and the arguments written before it) and the
 * lexer (the punctuation between the last argument and the cursor, which the tree does not
 * keep: `r1.`, `a, `), and read against the schema's grammar of the property (completion-grammar.ts).
 */
export type CompletionContext =
  /** In a comment, a string, a declaration's name, or text completion does not understand. */
  | { readonly kind: 'none' }
  /** Where a declaration starts. */
  | { readonly kind: 'top-level' }
  /** An import's path: inside its quotes (`quoted` false) or right after `import` (`quoted` true). */
  | { readonly kind: 'import-path'; readonly replace: Span; readonly quoted: boolean; readonly decl: Import | null }
  /** The end of a node range in a node's header (`node m1..|`). */
  | { readonly kind: 'node-range-end'; readonly node: Block; readonly rack: Block | null }
  /** Where a statement of the block starts, or after a complete value: a property keyword. */
  | { readonly kind: 'statement'; readonly block: Block }
  /** Inside a property's statement: what may come next (`next`), in the way `at` says. */
  | { readonly kind: 'argument'; readonly block: Block; readonly property: Property; readonly next: Next; readonly at: ArgumentPosition };

export type ArgumentPosition =
  /** A new argument (after a space). */
  | { readonly kind: 'value' }
  /** A number being written: its unit. `span` covers the number from its first digit to the cursor. */
  | { readonly kind: 'unit'; readonly digits: string; readonly value: number; readonly span: Span }
  /** After `RACK.` or `RACK.NODE.`: the written parts. */
  | { readonly kind: 'member'; readonly parts: readonly string[] }
  /** After `..` in a reference range. */
  | { readonly kind: 'range-end'; readonly from: Ref }
  /** After `,` in a list: the items written before it. */
  | { readonly kind: 'list-item'; readonly items: readonly (Ref | RangeRef)[] };

const NONE: CompletionContext = { kind: 'none' };

/** The tokens of a short text, as the lexer reads them (EOF left out). */
function tokensOf(text: string): { kind: Tok; start: number; end: number; flags: number }[] {
  const t = lex(text);
  const out: { kind: Tok; start: number; end: number; flags: number }[] = [];
  for (let i = 0; i < t.count - 1; i++) out.push({ kind: t.kind[i] as Tok, start: t.start[i], end: t.end[i], flags: t.flags[i] });
  return out;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) { const c = text.charCodeAt(i); if (c !== 32 && c !== 9) return false; }
  return true;
}

/**
 * The cursor's line before it, as the lexer reads it: null in a comment or a string, else the
 * tokens of the statement before `start` (after the line's last `{`, `}` or `;`). The lexer runs
 * only when the line has text before the cursor.
 */
function lineStatement(text: string, offset: number, start: number): { tokens: { kind: Tok; start: number; end: number }[]; lineStart: number } | null {
  let lineStart = offset;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13) lineStart--;
  if (isBlank(text, lineStart, offset)) return { tokens: [], lineStart };
  const t = lex(text.slice(lineStart, offset));
  if (t.comments.length > 0) return null;
  const last = t.count - 2;
  if (last >= 0 && t.kind[last] === Tok.String && (t.flags[last] & UNTERMINATED) !== 0) return null;
  const tokens: { kind: Tok; start: number; end: number }[] = [];
  for (let i = 0; i < t.count - 1 && t.end[i] <= start - lineStart; i++) {
    const k = t.kind[i] as Tok;
    if (k === Tok.LBrace || k === Tok.RBrace || k === Tok.Semi) tokens.length = 0;
    else tokens.push({ kind: k, start: t.start[i], end: t.end[i] });
  }
  return { tokens, lineStart };
}

function isNumberStart(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45;
}

/**
 * The completion context at `offset`, where the word being written starts at `start`.
 */
export function completionContext(tree: SourceFile, offset: number, start: number): CompletionContext {
  const text = tree.text;
  const line = lineStatement(text, offset, start);
  const path = pathAt(tree, start);
  if (line === null) {
    // In a string: only an import's path completes.
    const decl = pathAt(tree, offset).importDecl;
    if (decl?.path && decl.path.span.start < offset) return { kind: 'import-path', replace: { start: decl.path.span.start + 1, end: offset }, quoted: false, decl };
    return NONE;
  }
  const block = path.blocks[path.blocks.length - 1] ?? null;
  const insideBody = block !== null && block.open !== null && start >= block.open.end && (block.close === null || start <= block.close.start);
  if (!block || !insideBody) {
    if (block && start > block.span.start) {
      if (block.blockKind === 'node' && block.rangeDots && start >= block.rangeDots.end && (block.open === null || start <= block.open.start)) {
        return { kind: 'node-range-end', node: block, rack: path.blocks[path.blocks.length - 2] ?? null };
      }
      return NONE; // a declaration's name
    }
    const toks = line.tokens;
    if (toks.length === 1 && toks[0].kind === Tok.Word && text.slice(line.lineStart + toks[0].start, line.lineStart + toks[0].end) === 'import') {
      return { kind: 'import-path', replace: { start, end: offset }, quoted: true, decl: null };
    }
    return toks.length === 0 ? { kind: 'top-level' } : NONE;
  }
  const members = block.members;
  const j = lastStartingBefore(members, start - 1);
  const m = j >= 0 ? members[j] : null;
  if (m && m.kind === 'property') {
    const ctx = inProperty(block, m, text, offset, start);
    if (ctx) return ctx;
  }
  return line.tokens.length === 0 ? { kind: 'statement', block } : NONE;
}

/** The context inside the statement of `prop`, or null when the cursor is past it (a new statement). */
function inProperty(block: Block, prop: Property, text: string, offset: number, start: number): CompletionContext | null {
  const written = prop.args.filter((a) => a.span.start < start);
  const prior = written.slice(0, -1);
  const lastArg: Arg | undefined = written[written.length - 1];
  const argument = (args: readonly Arg[], at: ArgumentPosition): CompletionContext => ({ kind: 'argument', block, property: prop, next: nextAfter(block.blockKind, prop.name.text, args), at });
  const numberHere = start < offset && isNumberStart(text.charCodeAt(start));
  let last: Arg | undefined = lastArg;
  if (lastArg?.kind === 'list') {
    const items = lastArg.items.filter((it) => it.span.start < start);
    last = items[items.length - 1];
  }
  if (last && last.span.end >= start) {
    // The argument the cursor is in.
    switch (last.kind) {
      case 'range': return argument(prior, { kind: 'range-end', from: last.from });
      case 'ref': {
        const parts = last.parts.filter((p) => p.span.end < start).map((p) => p.text);
        return parts.length ? argument(prior, { kind: 'member', parts }) : argument(prior, { kind: 'value' });
      }
      case 'number': return unitAt(argument(prior, { kind: 'value' }), text, last.span.start, offset);
      default: return NONE;
    }
  }
  const gapStart = last ? last.span.end : prop.name.span.end;
  const gap = gapOf(text, gapStart, start);
  if (gap === 'statement') return null;
  if (gap === 'other') return NONE;
  if (gap === ',') {
    const items = lastArg?.kind === 'list' ? lastArg.items.filter((it) => it.span.end <= start) : last && (last.kind === 'ref' || last.kind === 'range') ? [last] : [];
    return argument(prior, { kind: 'list-item', items });
  }
  if (gap === '.' && last?.kind === 'ref') return argument(prior, { kind: 'member', parts: last.parts.map((p) => p.text) });
  if (gap === '..' && last?.kind === 'ref') return argument(prior, { kind: 'range-end', from: last });
  if (gap !== '') return NONE;
  const here = argument(written, { kind: 'value' });
  return numberHere ? unitAt(here, text, start, offset) : here;
}

/** The same context, asking for the unit of the number written from `from` to the cursor. */
function unitAt(ctx: CompletionContext, text: string, from: number, offset: number): CompletionContext {
  if (ctx.kind !== 'argument') return ctx;
  const written = text.slice(from, offset);
  let k = 0;
  while (k < written.length && (isNumberStart(written.charCodeAt(k)) || written[k] === '.')) k++;
  const digits = written.slice(0, k);
  const value = Number(digits);
  if (!Number.isFinite(value)) return NONE;
  return { ...ctx, at: { kind: 'unit', digits, value, span: { start: from, end: offset } } };
}

/**
 * What stands between the last argument and the word being written: nothing (''), a `,`, `.`
 * or `..` that continues a reference, a line break that ends the statement ('statement': a
 * list goes on after a `,` at the end of a line), or anything else ('other').
 */
function gapOf(text: string, from: number, to: number): '' | ',' | '.' | '..' | 'statement' | 'other' {
  if (to <= from || isBlank(text, from, to)) return '';
  const slice = text.slice(from, to);
  const toks = tokensOf(slice);
  let prevEnd = 0;
  let last: Tok | null = null;
  const breaks = (a: number, b: number): boolean => /[\n\r]/.test(slice.slice(a, b));
  for (const t of toks) {
    if (breaks(prevEnd, t.start) && last !== Tok.Comma) return 'statement';
    if (t.kind !== Tok.Comma && t.kind !== Tok.Dot && t.kind !== Tok.DotDot) return t.kind === Tok.Semi || t.kind === Tok.LBrace || t.kind === Tok.RBrace ? 'statement' : 'other';
    last = t.kind;
    prevEnd = t.end;
  }
  if (breaks(prevEnd, slice.length) && last !== Tok.Comma) return 'statement';
  if (last === null) return '';
  if (toks.length > 1) return 'other';
  return last === Tok.Comma ? ',' : last === Tok.Dot ? '.' : '..';
}
