import { lex, NEWLINE_BEFORE, Tok, type Tokens } from '../syntax/lexer';
import { parseFile, RECOVERY_ERRORS as PARSE_ERRORS, type ParseResult } from '../syntax/parser';
import { lineStartAfter, lineStartAtOrBefore, wholeLinesAround } from '../syntax/lines';
import type { Arg, Member, SourceFile } from '../syntax/ast';
import { lastStartingBefore, type Span, type TextEdit } from '../text';
import type { FormatOptions } from './types';

/**
 * The formatter. Works on the token stream, so it only ever changes whitespace between tokens:
 * - indentation by brace depth (spaces or tabs, from the options);
 * - single spaces between tokens; `r1.n1..n4` and `r1.*` tight; `a, b`; `a; b`;
 * - `{` on the declaration's line; a block that spans lines gets its contents on their own lines
 *   and `}` on its own line; a block written on one line stays on one line;
 * - one property per line in a block that spans lines (`reserve cores 1 memory 8GiB policy cost`
 *   puts `policy` on a line of its own); the author's line structure otherwise;
 * - comments kept exactly (less trailing spaces and tabs), own-line comments indented like the code;
 * - no trailing whitespace, at most one blank line in a row (none right after `{` or before `}`),
 *   one final newline.
 * Text with syntax errors (T100–T103): `formatText` (the CLI's `topo fmt`) leaves it alone; the
 * editor's `format` formats every top-level declaration that parsed and leaves the broken ones
 * byte for byte (`formatDeclarations`). Every result is verified: the same tokens, the same line
 * breaks where they matter, the same parse (properties and their arguments) and diagnostics —
 * otherwise no edits.
 */

/** What the formatter takes from the end of a comment: spaces and tabs only (`trimEnd` would take any Unicode space, `\u2028` or `\u00a0`, which the lexer keeps as text). */
const TRAILING_BLANKS = /[ \t]+$/;

function parseCodes(text: string, file: string): string[] | null {
  const diags = parseFile(text, file).diagnostics;
  if (diags.some((d) => PARSE_ERRORS.has(d.code))) return null;
  return diags.map((d) => d.code);
}

function joinable(a: Tok, b: Tok): boolean {
  return ((a === Tok.Word || a === Tok.Star) && (b === Tok.Dot || b === Tok.DotDot)) || ((a === Tok.Dot || a === Tok.DotDot) && (b === Tok.Word || b === Tok.Star));
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) { const c = text.charCodeAt(i); if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++; }
  return n;
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) { const c = text.charCodeAt(i); if (c === 10 || c === 13) return true; }
  return false;
}

/** The canonical text, or null when the text has syntax errors. */
export function formatText(text: string, file: string, options: FormatOptions): string | null {
  const parsed = parseFile(text, file);
  if (parsed.diagnostics.some((d) => PARSE_ERRORS.has(d.code))) return null;
  const codes = parsed.diagnostics.map((d) => d.code);
  const t = lex(text);
  const starts = propertyStarts(text, parsed.tree);
  const out = layout(text, t, options, starts);
  if (out === null || !equivalent(text, t, out, file, codes, starts, parsed.tree)) return null;
  return out;
}

/**
 * The text with every top-level declaration that parsed formatted and every broken one left byte
 * for byte (with the lines it shares); the canonical text when nothing is broken. Null when
 * nothing can be formatted.
 */
export function formatDeclarations(text: string, file: string, options: FormatOptions): string | null {
  const whole = formatText(text, file, options);
  if (whole !== null) return whole;
  const parsed = parseFile(text, file);
  const items = parsed.tree.items;
  const errors = parsed.diagnostics.filter((d) => PARSE_ERRORS.has(d.code));
  // a declaration is broken when a syntax error is reported from its start to the next one's
  const broken = items.map((it, i) => {
    const end = i + 1 < items.length ? items[i + 1].span.start : text.length + 1;
    return errors.some((d) => d.span.start < end && d.span.end >= it.span.start);
  });
  // errors before the first declaration (stray text) keep everything before it
  const firstBroken = errors.some((d) => items.length === 0 || d.span.start < items[0].span.start);
  const lineStart = (o: number): number => Math.max(text.lastIndexOf('\n', o - 1), text.lastIndexOf('\r', o - 1)) + 1;
  const lineEnd = (o: number): number => {
    const m = /\r\n|\n|\r/g;
    m.lastIndex = o;
    const r = m.exec(text);
    return r ? r.index + r[0].length : text.length;
  };
  let out = '';
  let done = 0;
  let changed = false;
  let i = 0;
  while (i < items.length) {
    if (broken[i] || (i === 0 && firstBroken)) { i++; continue; }
    let j = i;
    while (j + 1 < items.length && !broken[j + 1]) j++;
    // the run's lines: from the line of its first declaration (after the text before it) to the end of its last one's line
    const prevEnd = i > 0 ? items[i - 1].span.end : firstBroken ? items[0].span.start : 0;
    let start = lineStart(items[i].span.start);
    if (i === 0 && !firstBroken) start = 0;
    const nextStart = j + 1 < items.length ? items[j + 1].span.start : text.length;
    let end = j + 1 < items.length ? lineStart(items[j + 1].span.start) : text.length;
    if (start < prevEnd || end > nextStart || end <= start) { i = j + 1; continue; }
    // leave the blank lines around the run as they are
    while (end > start && /[\s]/.test(text[end - 1]) && end > lineEnd(items[j].span.end)) end--;
    if (end < text.length) end = Math.max(end, lineEnd(items[j].span.end));
    const piece = text.slice(start, end);
    const eolAtEnd = /(\r\n|\n|\r)$/.test(piece);
    const formatted = formatText(piece, file, options);
    if (formatted !== null) {
      const next = eolAtEnd || end === text.length ? formatted : formatted.replace(/(\r\n|\n)$/, '');
      if (next !== piece) changed = true;
      out += text.slice(done, start) + next;
      done = end;
    }
    i = j + 1;
  }
  if (!changed) return null;
  out += text.slice(done);
  return sameParse(text, out, file) ? out : null;
}

/** Formatting a text with syntax errors in pieces kept the tokens, the comments and the parse. */
function sameParse(text: string, out: string, file: string): boolean {
  const a = lex(text);
  const b = lex(out);
  if (a.count !== b.count || a.comments.length !== b.comments.length) return false;
  for (let i = 0; i < a.count; i++) if (a.kind[i] !== b.kind[i] || text.slice(a.start[i], a.end[i]) !== out.slice(b.start[i], b.end[i])) return false;
  const pa = parseFile(text, file);
  const pb = parseFile(out, file);
  if (pa.diagnostics.map((d) => d.code).join() !== pb.diagnostics.map((d) => d.code).join()) return false;
  return shape(text, pa.tree) === shape(out, pb.tree);
}

/** Where each property of a block that spans lines starts: the formatter puts it on a line of its own. */
function propertyStarts(text: string, tree: SourceFile): ReadonlySet<number> {
  const out = new Set<number>();
  const visit = (members: readonly Member[], multiLine: boolean): void => {
    for (const m of members) {
      if (m.kind === 'property') { if (multiLine) out.add(m.name.span.start); } else visit(m.members, m.open !== null && m.close !== null && hasLineBreak(text, m.open.start, m.close.start));
    }
  };
  for (const item of tree.items) if (item.kind === 'block') visit(item.members, item.open !== null && item.close !== null && hasLineBreak(text, item.open.start, item.close.start));
  return out;
}

/** What the parser read, without positions: blocks, their properties and each argument's text. */
function shape(text: string, tree: SourceFile): string {
  const arg = (a: Arg): string => text.slice(a.span.start, a.span.end).replace(/\s+/g, '');
  const members = (ms: readonly Member[]): string => ms.map((m) => (m.kind === 'property' ? `${m.name.text}(${m.args.map(arg).join(' ')})` : `${m.blockKind}{${members(m.members)}}`)).join(';');
  return tree.items.map((it) => (it.kind === 'import' ? `import ${it.path?.value ?? ''}` : `${it.blockKind}{${members(it.members)}}`)).join('\n');
}

function layout(text: string, t: Tokens, options: FormatOptions, starts: ReadonlySet<number>): string | null {
  const unit = options.insertSpaces ? ' '.repeat(Math.max(1, Math.min(16, options.tabSize || 2))) : '\t';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const n = t.count - 1; // without EOF
  // Matching braces and which blocks span several lines.
  const match = new Int32Array(Math.max(1, n)).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    if (t.kind[i] === Tok.LBrace) stack.push(i);
    else if (t.kind[i] === Tok.RBrace) {
      const o = stack.pop();
      if (o === undefined) return null;
      match[o] = i;
      match[i] = o;
    }
  }
  if (stack.length) return null;
  const multi = (brace: number): boolean => {
    const o = t.kind[brace] === Tok.LBrace ? brace : match[brace];
    const c = match[o];
    if (o < 0 || c < 0) return false;
    return hasLineBreak(text, t.start[o], t.start[c]);
  };

  const lines: string[] = [];
  let cur = '';
  let curIndent = 0;
  let depth = 0;
  let lastEnd = 0;
  let lastTok: Tok | 'comment' | null = null;
  let lastIndex = -1;
  const flush = (): void => {
    if (cur !== '') lines.push(unit.repeat(curIndent) + cur);
    cur = '';
  };
  const comments = t.comments;
  let c = 0;

  const place = (start: number, end: number, piece: string, kind: Tok | 'comment', index: number): void => {
    const nl = countNewlines(text, lastEnd, start);
    let brk = nl > 0;
    if (kind === Tok.LBrace && lastTok !== 'comment') brk = false;
    if (kind === Tok.RBrace && multi(index)) brk = true;
    if (kind !== 'comment' && lastTok === Tok.LBrace && multi(lastIndex)) brk = true;
    if (kind !== 'comment' && lastTok === Tok.RBrace && multi(lastIndex)) brk = true;
    if (lastTok === 'comment') brk = true;
    if (kind !== 'comment' && starts.has(start)) brk = true;
    if (cur === '') brk = true;
    if (brk) {
      flush();
      if (nl >= 2 && lines.length > 0 && kind !== Tok.RBrace && lastTok !== Tok.LBrace) lines.push('');
      curIndent = kind === Tok.RBrace ? Math.max(0, depth - 1) : depth;
      cur = piece;
    } else if (kind === 'comment') {
      const gap = text.slice(lastEnd, start);
      cur += /^[ \t]+$/.test(gap) ? gap : ' ';
      cur += piece;
    } else {
      const a = lastTok as Tok;
      const sep = kind === Tok.Comma || kind === Tok.Semi ? '' : a === Tok.Comma || a === Tok.Semi ? ' ' : joinable(a, kind) ? '' : ' ';
      cur += sep + piece;
    }
    if (kind === Tok.LBrace) depth++;
    else if (kind === Tok.RBrace) depth = Math.max(0, depth - 1);
    lastEnd = end;
    lastTok = kind;
    lastIndex = index;
  };

  for (let i = 0; i < n; i++) {
    const st = t.start[i];
    while (c < comments.length && comments[c].span.start < st) {
      place(comments[c].span.start, comments[c].span.end, comments[c].text.replace(TRAILING_BLANKS, ''), 'comment', -1);
      c++;
    }
    place(st, t.end[i], text.slice(st, t.end[i]), t.kind[i] as Tok, i);
  }
  for (; c < comments.length; c++) place(comments[c].span.start, comments[c].span.end, comments[c].text.replace(TRAILING_BLANKS, ''), 'comment', -1);
  flush();
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? lines.join(eol) + eol : '';
}

/** Same tokens, same line breaks where the parser looks at them, same parse diagnostics. */
function equivalent(text: string, a: Tokens, out: string, file: string, codes: readonly string[], starts: ReadonlySet<number>, tree: SourceFile): boolean {
  const b = lex(out);
  if (a.count !== b.count || a.comments.length !== b.comments.length || b.problems.length !== a.problems.length) return false;
  for (let i = 0; i < a.count; i++) {
    if (a.kind[i] !== b.kind[i]) return false;
    if (text.slice(a.start[i], a.end[i]) !== out.slice(b.start[i], b.end[i])) return false;
    const k = a.kind[i];
    const prev = i > 0 ? a.kind[i - 1] : Tok.EOF;
    // a property the parser read starts a line of its own: the parse below checks it reads the same
    const free = k === Tok.LBrace || k === Tok.RBrace || k === Tok.EOF || prev === Tok.LBrace || prev === Tok.RBrace || starts.has(a.start[i]);
    if (!free && (a.flags[i] & NEWLINE_BEFORE) !== (b.flags[i] & NEWLINE_BEFORE)) return false;
  }
  for (let i = 0; i < a.comments.length; i++) if (a.comments[i].text.replace(TRAILING_BLANKS, '') !== b.comments[i].text.replace(TRAILING_BLANKS, '')) return false;
  const parsed = parseFile(out, file);
  if (parsed.diagnostics.some((d) => PARSE_ERRORS.has(d.code))) return false;
  const after = parsed.diagnostics.map((d) => d.code);
  if (after.length !== codes.length || !after.every((x, i) => x === codes[i])) return false;
  return starts.size === 0 || shape(text, tree) === shape(out, parsed.tree);
}

interface Line {
  readonly start: number;
  /** Before the line break (and before a `\r`). */
  readonly end: number;
  readonly text: string;
  readonly key: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text.charCodeAt(i) === 10) {
      let end = i;
      if (i < text.length && end > start && text.charCodeAt(end - 1) === 13) end--; // `\r\n`, not a lone `\r` at the end
      const s = text.slice(start, end);
      lines.push({ start, end, text: s, key: s.replace(/\s+/g, '') });
      start = i + 1;
    }
  }
  return lines;
}

interface Hunk {
  /** Original lines [a0, a1) become new lines [b0, b1). */
  readonly a0: number;
  readonly a1: number;
  readonly b0: number;
  readonly b1: number;
}

/**
 * Pairs the lines of the two texts by their non-whitespace content (which formatting never
 * changes), giving small hunks: a re-indented line, a `{` joined to the line before, a dropped
 * blank line.
 */
function hunks(a: readonly Line[], b: readonly Line[]): Hunk[] {
  const out: Hunk[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const i0 = i;
    const j0 = j;
    let ka = '';
    let kb = '';
    // Take at least one line from each side (when there is one), then until the keys agree.
    if (i < a.length) ka += a[i++].key;
    if (j < b.length) kb += b[j++].key;
    while (ka !== kb && (i < a.length || j < b.length)) {
      if ((ka.length <= kb.length && i < a.length) || j >= b.length) ka += a[i++].key;
      else kb += b[j++].key;
    }
    let same = i - i0 === j - j0;
    for (let k = 0; same && k < i - i0; k++) if (a[i0 + k].text !== b[j0 + k].text) same = false;
    if (same) continue;
    const prev = out[out.length - 1];
    if (prev && prev.a1 === i0 && prev.b1 === j0 && (prev.a0 === prev.a1 || prev.b0 === prev.b1 || i0 === i || j0 === j)) out[out.length - 1] = { a0: prev.a0, a1: i, b0: prev.b0, b1: j };
    else out.push({ a0: i0, a1: i, b0: j0, b1: j });
  }
  return out;
}

/** Line-by-line edits that turn `text` into `formatted` (hunks paired by non-blank content); only those touching `range` when given. */
function lineEdits(text: string, formatted: string, file: string, range: Span | null, eol = text.includes('\r\n') ? '\r\n' : '\n'): TextEdit[] {
  const a = splitLines(text);
  const b = splitLines(formatted);
  let selected = hunks(a, b);
  if (range) {
    selected = selected.filter((h) => {
      const start = h.a0 < a.length ? a[h.a0].start : text.length;
      const end = h.a1 > h.a0 ? a[h.a1 - 1].end : start;
      return start <= range.end && range.start <= end;
    });
  }
  return selected.map((h) => {
    const start = h.a0 < a.length ? a[h.a0].start : text.length;
    let end = h.a1 > h.a0 ? a[h.a1 - 1].end : start;
    let newText = b.slice(h.b0, h.b1).map((l) => l.text).join(eol);
    if (h.a1 === h.a0) {
      // pure insertion of lines before line a0
      newText = h.a0 < a.length ? newText + eol : eol + newText;
    } else if (h.b1 === h.b0) {
      // pure deletion: take the line breaks too
      if (h.a1 < a.length) end = a[h.a1].start;
      else if (h.a0 > 0) return { file, span: { start: a[h.a0 - 1].end, end }, newText: '' };
    }
    return { file, span: { start, end }, newText };
  });
}

function computeEdits(text: string, file: string, options: FormatOptions, range: Span | null): TextEdit[] {
  try {
    const formatted = range ? formatText(text, file, options) : formatDeclarations(text, file, options);
    if (formatted === null || formatted === text) return [];
    const edits = lineEdits(text, formatted, file, range);
    if (range) {
      // A subset of the hunks must still be a valid formatting: verify, else format nothing.
      const partial = applyEdits(text, edits);
      const codes = parseCodes(text, file);
      const tree = parseFile(text, file).tree;
      if (codes === null || !equivalent(text, lex(text), partial, file, codes, propertyStarts(text, tree), tree)) return [];
    }
    return edits;
  } catch {
    return [];
  }
}

/**
 * Edits that turn the text into its canonical form; with syntax errors, the declarations that
 * parsed (the broken ones stay as written). Declaration by declaration, each remembered by its
 * text, when the parse (`parsed`, else parsed here) allows it.
 */
export function format(text: string, file: string, options: FormatOptions, parsed: ParseResult = parseFile(text, file)): TextEdit[] {
  try {
    const byDeclaration = formatByDeclaration(text, file, options, parsed);
    if (byDeclaration) return byDeclaration;
  } catch {
    // the whole-file formatter below decides
  }
  return computeEdits(text, file, options, null);
}

/**
 * The formatting edits that touch the lines of `span`. Only the declarations the range touches
 * are formatted (whole lines, so they format as they would in the file) when the file's parse
 * (`parsed`, else parsed here) has no syntax error that could make one declaration's parse
 * depend on another's; the whole file otherwise, or when the range reaches the text around them.
 */
export function formatRange(text: string, file: string, span: Span, options: FormatOptions, parsed: ParseResult = parseFile(text, file)): TextEdit[] {
  const piece = declarationLines(text, parsed, span);
  if (!piece) return computeEdits(text, file, options, span);
  const { from, to } = piece;
  const edits = computeEdits(text.slice(from, to), file, options, { start: span.start - from, end: span.end - from });
  return edits.map((e) => ({ file, span: { start: e.span.start + from, end: e.span.end + from }, newText: e.newText }));
}

/** The whole lines of the declarations `span` touches, when they can be formatted on their own; null otherwise. */
function declarationLines(text: string, parsed: ParseResult, span: Span): { from: number; to: number } | null {
  const items = parsed.tree.items;
  if (parsed.tree.text !== text || parsed.diagnostics.some((d) => PARSE_ERRORS.has(d.code))) return null;
  // the declarations [first, last] that the range touches (they do not overlap: binary searches)
  const last = lastStartingBefore(items, span.end);
  let first = last;
  while (first > 0 && items[first - 1].span.end >= span.start) first--;
  if (first >= 0 && items[first].span.end < span.start) first = -1;
  // the range reaches the text before the first declaration or after the last: the whole file decides
  if (first < 0 || (first === 0 && span.start < items[0].span.start) || (last === items.length - 1 && span.end > items[last].span.end)) return null;
  const lines = wholeLinesAround(text, items, lineStartAtOrBefore(text, items[first].span.start), lineStartAfter(text, items[last].span.end - 1));
  // the range reaches lines outside the declarations (blank lines, comments between them)
  if (span.start < lines.from || span.end > lines.to) return null;
  // the file's line breaks decide the formatted ones (\r\n anywhere: \r\n everywhere)
  if (text.includes('\r\n') !== text.slice(lines.from, lines.to).includes('\r\n')) return null;
  return lines;
}

/** Applies non-overlapping edits (any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((x, y) => y.span.start - x.span.start || y.span.end - x.span.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

// ------------------------------------------------------------------ formatting declaration by declaration

/**
 * A file is formatted as a list of chunks: each the whole lines from a declaration's line (the
 * file's start for the first) to the next declaration's line, with the blank lines and comments
 * after it. Without syntax errors (T100–T103) the parser starts afresh at each chunk, so the
 * layout of the whole file is the layout of each chunk alone, with one blank line between two
 * chunks where the text has one or more. Each chunk's layout is remembered by its text: after an
 * edit only the edited declarations are formatted again.
 */
interface Remembered { readonly text: string; readonly formatted: string | null }

/** Most chunks remembered (a 40,000-line file has about 6,000). */
const MAX_REMEMBERED = 20_000;
const remembered = new Map<string, Remembered[]>();
let rememberedCount = 0;
/** A copy that does not share memory with the file's text (a slice would keep the whole old text alive in the cache). */
function detached(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

function chunkKey(chunk: string, options: FormatOptions): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < chunk.length; i++) h = Math.imul(h ^ chunk.charCodeAt(i), 0x01000193);
  return `${options.insertSpaces ? 's' : 't'}${options.tabSize}:${chunk.length}:${h >>> 0}`;
}

function formatChunk(chunk: string, file: string, options: FormatOptions): string | null {
  const key = chunkKey(chunk, options);
  const bucket = remembered.get(key);
  const hit = bucket?.find((r) => r.text === chunk);
  if (hit) return hit.formatted;
  const formatted = formatText(chunk, file, options);
  if (rememberedCount >= MAX_REMEMBERED) { remembered.clear(); rememberedCount = 0; }
  const entry = { text: detached(chunk), formatted: formatted === null ? null : detached(formatted) };
  if (bucket) bucket.push(entry); else remembered.set(key, [entry]);
  rememberedCount++;
  return formatted;
}

/** The chunks' start offsets: 0, then the line start of each declaration that begins on a line after the previous one ends. */
function chunkStarts(text: string, items: readonly { readonly span: Span }[]): number[] {
  const starts = [0];
  for (let i = 1; i < items.length; i++) {
    const ls = lineStartAtOrBefore(text, items[i].span.start);
    if (ls >= items[i - 1].span.end && ls > starts[starts.length - 1]) starts.push(ls);
  }
  return starts;
}

/** The formatting edits chunk by chunk; null when the whole-file formatter must decide (syntax errors, mixed line breaks). */
function formatByDeclaration(text: string, file: string, options: FormatOptions, parsed: ParseResult): TextEdit[] | null {
  const { items, comments } = parsed.tree;
  if (parsed.tree.text !== text || items.length === 0 || parsed.diagnostics.some((d) => PARSE_ERRORS.has(d.code))) return null;
  const crlf = text.includes('\r\n');
  const eol = crlf ? '\r\n' : '\n';
  const starts = chunkStarts(text, items);
  const edits: TextEdit[] = [];
  let item = 0;
  let comment = 0;
  for (let k = 0; k < starts.length; k++) {
    const from = starts[k];
    const to = k + 1 < starts.length ? starts[k + 1] : text.length;
    const chunk = text.slice(from, to);
    if (chunk.includes('\r\n') !== crlf && chunk.includes('\n')) return null;
    const formatted = formatChunk(chunk, file, options);
    if (formatted === null) return null;
    // where the chunk's last token or comment ends, to see whether a blank line separates it from the next
    let lastEnd = from;
    while (item < items.length && items[item].span.start < to) lastEnd = Math.max(lastEnd, items[item++].span.end);
    while (comment < comments.length && comments[comment].span.start < to) lastEnd = Math.max(lastEnd, comments[comment++].span.end);
    const blank = k + 1 < starts.length && item < items.length && countNewlines(text, lastEnd, items[item].span.start) >= 2;
    const target = blank ? formatted + eol : formatted;
    if (target !== chunk) for (const e of lineEdits(chunk, target, file, null, eol)) edits.push({ file, span: { start: e.span.start + from, end: e.span.end + from }, newText: e.newText });
  }
  return edits;
}
