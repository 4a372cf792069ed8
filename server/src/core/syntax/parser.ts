import type { Arg, Block, BlockKind, Import, ListRef, Member, NumberLit, Property, RangeRef, Ref, SourceFile, StringLit, TopLevel, Word } from './ast';
import { lex, NEWLINE_BEFORE, stringValue, Tok, TOKEN_NAMES, UNTERMINATED, MALFORMED, type Tokens } from './lexer';
import { CHILD_BLOCKS, DECLARATION_KEYWORDS, isPropertyKeyword, NAME_TAKING_WORDS, NAMED_DECLARATIONS, PROPERTIES, propertiesOf, SUB_KEYWORDS, VALUE_WORDS_OF } from './schema';
import { EVENT_KINDS, EVENT_TO } from './words';
import { makeDiagnostic, type Diagnostic, type Fix } from '../diagnostics';
import { didYouMean, suggest } from '../suggest';
import type { Span } from '../text';
import { unknownPropertyMessage } from './unknown-property';

export interface ParseResult {
  readonly tree: SourceFile;
  /** T100–T104, in text order. */
  readonly diagnostics: Diagnostic[];
}

const DECLARATIONS: ReadonlySet<string> = new Set(DECLARATION_KEYWORDS);
/** Sub-keywords, enum values and event words (from the schema): words that are values, never misspelled properties. */
const VALUE_WORDS: ReadonlySet<string> = new Set([
  ...[...SUB_KEYWORDS.values(), ...VALUE_WORDS_OF.values()].flatMap((set) => [...set]), ...EVENT_KINDS, EVENT_TO,
]);
const NAMED_BLOCKS: ReadonlySet<string> = new Set(NAMED_DECLARATIONS);

/**
 * The syntax errors after which the parser's recovery may skip text (a bad token, a malformed
 * number or an unterminated string: T102/T103 are reported by the lexer and skipped like T100):
 * a tree with one of them cannot be cut at declarations and reused piecewise.
 */
export const RECOVERY_ERRORS: ReadonlySet<string> = new Set(['T100', 'T101', 'T102', 'T103']);

/**
 * Parses one file. Never throws: after a syntax error it recovers at the next property
 * keyword, `}` or declaration, so one mistake gives one diagnostic.
 */
export function parseFile(text: string, file: string): ParseResult {
  return new Parser(text, file).parse();
}

class Parser {
  private readonly t: Tokens;
  private pos = 0;
  private readonly diagnostics: Diagnostic[] = [];
  /** Offset of the last reported error, to keep one error per place. */
  private lastErrorAt = -1;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.t = lex(text);
    for (const p of this.t.problems) this.diagnostics.push(makeDiagnostic(p.code, { file, span: p.span }, p.message));
  }

  parse(): ParseResult {
    const items: TopLevel[] = [];
    while (this.kind() !== Tok.EOF) {
      const item = this.parseTopLevel();
      if (item) items.push(item);
    }
    this.diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    const tree: SourceFile = { kind: 'file', file: this.file, text: this.text, items, comments: this.t.comments, span: { start: 0, end: this.text.length } };
    return { tree, diagnostics: this.diagnostics };
  }

  // ------------------------------------------------------------------ token access

  private kind(offset = 0): Tok {
    const i = this.pos + offset;
    return i < this.t.count ? (this.t.kind[i] as Tok) : Tok.EOF;
  }
  private tokStart(offset = 0): number {
    return this.t.start[Math.min(this.pos + offset, this.t.count - 1)];
  }
  private tokEnd(offset = 0): number {
    return this.t.end[Math.min(this.pos + offset, this.t.count - 1)];
  }
  private newlineBefore(offset = 0): boolean {
    return (this.t.flags[Math.min(this.pos + offset, this.t.count - 1)] & NEWLINE_BEFORE) !== 0;
  }
  /** The current token's text, memoised: keyword checks ask for it several times. */
  private curText = '';
  private curTextPos = -1;

  private tokText(offset = 0): string {
    if (offset !== 0) return this.text.slice(this.tokStart(offset), this.tokEnd(offset));
    if (this.curTextPos !== this.pos) {
      this.curText = this.text.slice(this.t.start[this.pos], this.t.end[this.pos]);
      this.curTextPos = this.pos;
    }
    return this.curText;
  }
  private isWord(w: string, offset = 0): boolean {
    return this.kind(offset) === Tok.Word && this.tokEnd(offset) - this.tokStart(offset) === w.length && this.text.startsWith(w, this.tokStart(offset));
  }
  private advance(): void {
    if (this.pos < this.t.count - 1) this.pos++;
  }
  private prevEnd(): number {
    return this.pos > 0 ? this.t.end[this.pos - 1] : 0;
  }

  private takeWord(): Word {
    const w: Word = { kind: 'word', text: this.tokText(), span: { start: this.tokStart(), end: this.tokEnd() } };
    this.advance();
    return w;
  }

  private error(span: Span, message: string, code: 'T100' | 'T101' | 'T104' = 'T100', fixes: readonly Fix[] = []): void {
    if (span.start === this.lastErrorAt && code !== 'T101') return;
    this.lastErrorAt = span.start;
    this.diagnostics.push(makeDiagnostic(code, { file: this.file, span }, message, [], fixes));
  }

  private unexpected(expected: string): void {
    const k = this.kind();
    const span = { start: this.tokStart(), end: this.tokEnd() };
    // The lexer already reported malformed numbers and unterminated strings.
    const f = this.t.flags[Math.min(this.pos, this.t.count - 1)];
    if ((k === Tok.Number && f & MALFORMED) || (k === Tok.String && f & UNTERMINATED)) return;
    const found = k === Tok.EOF ? 'end of file' : k === Tok.Word || k === Tok.Number ? `\`${this.tokText()}\`` : TOKEN_NAMES[k];
    this.error(span, `expected ${expected}, found ${found}`);
  }

  // ------------------------------------------------------------------ top level

  private parseTopLevel(): TopLevel | null {
    const k = this.kind();
    if (k === Tok.Word) {
      const w = this.tokText();
      if (w === 'import') return this.parseImport();
      if (DECLARATIONS.has(w)) return this.parseBlock(w as BlockKind, null);
      const { text: hint } = didYouMean(w, DECLARATION_KEYWORDS);
      this.error({ start: this.tokStart(), end: this.tokEnd() }, `expected a declaration (${DECLARATION_KEYWORDS.join(', ')}), found \`${w}\`.${hint}`);
    } else if (k === Tok.RBrace) {
      this.error({ start: this.tokStart(), end: this.tokEnd() }, 'unmatched `}`: no block is open here; remove it');
      this.advance();
      return null;
    } else {
      this.unexpected(`a declaration (${DECLARATION_KEYWORDS.join(', ')})`);
    }
    this.skipToDeclaration();
    return null;
  }

  /** Skips to the next declaration keyword that starts a line, jumping over balanced braces. */
  private skipToDeclaration(): void {
    this.advance();
    let depth = 0;
    while (this.kind() !== Tok.EOF) {
      const k = this.kind();
      if (k === Tok.LBrace) depth++;
      else if (k === Tok.RBrace) {
        if (depth === 0) return; // let the caller report it
        depth--;
        if (depth === 0) { this.advance(); return; }
      } else if (depth === 0 && k === Tok.Word && this.newlineBefore() && DECLARATIONS.has(this.tokText())) return;
      this.advance();
    }
  }

  private parseImport(): Import {
    const keyword = this.takeWord();
    let path: StringLit | null = null;
    if (this.kind() === Tok.String && !this.newlineBefore()) path = this.takeString();
    else this.unexpected('the path to import, as a string: `import "common.topo"`');
    return { kind: 'import', keyword, path, span: { start: keyword.span.start, end: path ? path.span.end : keyword.span.end } };
  }

  private takeString(): StringLit {
    const s = this.tokStart();
    const e = this.tokEnd();
    const terminated = (this.t.flags[this.pos] & UNTERMINATED) === 0;
    this.advance();
    return { kind: 'string', value: stringValue(this.text.slice(s, e)), terminated, span: { start: s, end: e } };
  }

  // ------------------------------------------------------------------ blocks

  /**
   * `node n[1..3]`, a range written as in other tools: says how Topo writes it (with the
   * rewrite as a fix when the bounds are numbers) and goes on after the `]`, as a node `n`.
   */
  private bracketRange(name: Word): void {
    const open = this.tokStart();
    const newline = this.text.indexOf('\n', open);
    const close = this.text.lastIndexOf(']', newline < 0 ? this.text.length : newline);
    if (close < open) return;
    const span = { start: name.span.start, end: close + 1 };
    const m = /^\s*(\d+)\s*(?:\.\.|-|:)\s*(\d+)\s*$/.exec(this.text.slice(open + 1, close));
    const written = this.text.slice(span.start, span.end);
    const range = m ? `${name.text}${m[1]}..${name.text}${m[2]}` : null;
    this.error(span, `a node range is written with \`..\` between the first and the last name, as in \`node ${range ?? 'n1..n8'}\`, not \`${written}\``, 'T100',
      range ? [{ title: `Write \`${range}\``, edits: [{ file: this.file, span, newText: range }], preferred: true }] : []);
    while (this.kind() !== Tok.EOF && this.tokStart() <= close) this.advance();
  }

  private parseBlock(blockKind: BlockKind, parent: BlockKind | null): Block {
    const keyword = this.takeWord();
    let name: Word | StringLit | null = null;
    let rangeEnd: Word | null = null;
    let rangeDots: Span | null = null;
    const needsName = NAMED_BLOCKS.has(blockKind) || blockKind === 'node';
    if (needsName) {
      if (this.kind() === Tok.Word && !this.newlineBefore()) name = this.takeWord();
      else if (blockKind === 'scenario' && this.kind() === Tok.String && !this.newlineBefore()) name = this.takeString();
      else this.unexpected(blockKind === 'scenario' ? 'a scenario name (a name or a string)' : `a name for the ${blockKind}`);
      if (blockKind === 'node' && name?.kind === 'word' && this.text[this.tokStart()] === '[' && !this.newlineBefore()) this.bracketRange(name);
      if (blockKind === 'node' && name && this.kind() === Tok.DotDot) {
        rangeDots = { start: this.tokStart(), end: this.tokEnd() };
        this.advance();
        if (this.kind() === Tok.Word && !this.newlineBefore()) rangeEnd = this.takeWord();
        else this.unexpected('the last node of the range, as in `node n1..n8`');
      }
    }
    let open: Span | null = null;
    let close: Span | null = null;
    const members: Member[] = [];
    if (this.kind() === Tok.LBrace) {
      open = { start: this.tokStart(), end: this.tokEnd() };
      this.advance();
    } else {
      this.unexpected(`\`{\` to open the ${blockKind} block`);
      // Go on as if it were there when properties follow; otherwise give up on this block.
      if (!(this.kind() === Tok.Word && isPropertyKeyword(blockKind, this.tokText()))) {
        if (this.kind() !== Tok.EOF && this.kind() !== Tok.RBrace) this.skipToDeclaration();
        return this.finishBlock(blockKind, keyword, name, rangeEnd, rangeDots, null, null, members);
      }
    }
    const children = CHILD_BLOCKS[blockKind] ?? [];
    const specs = propertiesOf(blockKind);
    for (;;) {
      const k = this.kind();
      if (k === Tok.RBrace) {
        close = { start: this.tokStart(), end: this.tokEnd() };
        this.advance();
        break;
      }
      if (k === Tok.EOF) {
        this.reportUnclosed(blockKind, keyword, name, open);
        break;
      }
      if (k === Tok.Semi) { this.advance(); continue; }
      if (k === Tok.Word) {
        const w = this.tokText();
        if ((children as readonly string[]).includes(w)) {
          members.push(this.parseBlock(w as BlockKind, blockKind));
          continue;
        }
        const spec = specs.get(w);
        if (spec) {
          members.push(this.parseProperty(blockKind, spec.name));
          continue;
        }
        if (this.newlineBefore() && (DECLARATIONS.has(w) || (parent !== null && w === 'node'))) {
          // A declaration where a property was expected: this block was never closed.
          this.reportUnclosed(blockKind, keyword, name, open);
          break;
        }
        this.error({ start: this.tokStart(), end: this.tokEnd() }, unknownPropertyMessage(blockKind, w).message, 'T104');
        this.advance();
        this.skipPropertyRest(blockKind, NAME_TAKING_WORDS.has(w));
        continue;
      }
      if (k === Tok.LBrace) {
        this.unexpected(`a property of the ${blockKind} block`);
        this.skipBalanced();
        continue;
      }
      this.unexpected(`a property of the ${blockKind} block`);
      this.advance();
      this.skipPropertyRest(blockKind, false);
    }
    return this.finishBlock(blockKind, keyword, name, rangeEnd, rangeDots, open, close, members);
  }

  private finishBlock(blockKind: BlockKind, keyword: Word, name: Word | StringLit | null, rangeEnd: Word | null, rangeDots: Span | null, open: Span | null, close: Span | null, members: Member[]): Block {
    const end = close ? close.end : Math.max(this.prevEnd(), keyword.span.end);
    return { kind: 'block', blockKind, keyword, name, rangeEnd, rangeDots, open, close, members, span: { start: keyword.span.start, end } };
  }

  private reportUnclosed(blockKind: BlockKind, keyword: Word, name: Word | StringLit | null, open: Span | null): void {
    const label = name ? `${blockKind} ${name.kind === 'word' ? name.text : JSON.stringify(name.value)}` : blockKind;
    const newText = this.closingBrace(keyword, open);
    const at = newText === ' }' ? this.prevEnd() : this.endOfLine(this.prevEnd());
    const fix = { title: `Close \`${label} {\``, edits: [{ file: this.file, span: { start: at, end: at }, newText }], preferred: true };
    this.error(open ?? keyword.span, `unclosed block: \`${label} {\` has no matching \`}\`; add \`}\` at the end of the block`, 'T101', [fix]);
  }

  /** The end of the line of `pos` when only blanks and a comment follow it there, else `pos`. */
  private endOfLine(pos: number): number {
    let eol = this.text.indexOf('\n', pos);
    if (eol < 0) eol = this.text.length;
    if (eol > pos && this.text[eol - 1] === '\r') eol--;
    const rest = this.text.slice(pos, eol).trim();
    return rest === '' || rest.startsWith('#') ? eol : pos;
  }

  /**
   * What closes a block after its last member: ` }` when the block is written on one line
   * (`node m1 { cores 8`), else `}` on a line of its own, indented as the block's keyword.
   */
  private closingBrace(keyword: Word, open: Span | null): string {
    const end = this.prevEnd();
    const lineStart = this.text.lastIndexOf('\n', keyword.span.start - 1) + 1;
    const oneLine = open !== null && end > open.end && !this.text.slice(open.end, end).includes('\n');
    if (oneLine) return ' }';
    const indent = /^[ \t]*/.exec(this.text.slice(lineStart, keyword.span.start))?.[0] ?? '';
    return `\n${indent}}`;
  }

  private skipBalanced(): void {
    let depth = 0;
    do {
      const k = this.kind();
      if (k === Tok.LBrace) depth++;
      else if (k === Tok.RBrace) depth--;
      else if (k === Tok.EOF) return;
      this.advance();
    } while (depth > 0);
  }

  // ------------------------------------------------------------------ properties

  /** True when the current token ends the property being read. */
  private atPropertyEnd(blockKind: BlockKind, prevTakesName: boolean): boolean {
    const k = this.kind();
    if (k === Tok.EOF || k === Tok.RBrace || k === Tok.Semi || k === Tok.LBrace) return true;
    if (this.newlineBefore()) return true;
    // a word followed by `.` or `..` is a reference (`nodes reserve.*` names a rack `reserve`), never a new property
    if (k === Tok.Word && !prevTakesName && this.kind(1) !== Tok.Dot && this.kind(1) !== Tok.DotDot) {
      const w = this.tokText();
      if (isPropertyKeyword(blockKind, w) || (CHILD_BLOCKS[blockKind] ?? []).includes(w as BlockKind)) return true;
    }
    return false;
  }

  private skipPropertyRest(blockKind: BlockKind, takesName: boolean): void {
    let prevTakesName = takesName;
    while (!this.atPropertyEnd(blockKind, prevTakesName)) {
      prevTakesName = !prevTakesName && this.kind() === Tok.Word && NAME_TAKING_WORDS.has(this.tokText());
      this.advance();
    }
  }

  /** `keyword`: the schema's own string for the property's name, so every later lookup of it compares one string instance. */
  private parseProperty(blockKind: BlockKind, keyword: string): Property {
    const name: Word = { kind: 'word', text: keyword, span: { start: this.tokStart(), end: this.tokEnd() } };
    this.advance();
    const args: Arg[] = [];
    let prevTakesName = NAME_TAKING_WORDS.has(name.text);
    while (!this.atPropertyEnd(blockKind, prevTakesName)) {
      const k = this.kind();
      if (k === Tok.Number) {
        args.push(this.takeNumber());
        prevTakesName = false;
      } else if (k === Tok.String) {
        args.push(this.takeString());
        prevTakesName = false;
      } else if (k === Tok.Word) {
        if (!prevTakesName && this.looksLikeMisspelledProperty(blockKind)) break;
        const arg = this.parseRefList();
        args.push(arg);
        // a word in a name's place is that name, even one spelled like `to` or `disk`: the word after it is no name
        prevTakesName = !prevTakesName && arg.kind === 'ref' && arg.parts.length === 1 && arg.star === null && NAME_TAKING_WORDS.has(arg.parts[0].text);
      } else {
        this.unexpected(`a value for \`${name.text}\``);
        this.advance();
        prevTakesName = false;
      }
    }
    const end = args.length ? args[args.length - 1].span.end : name.span.end;
    return { kind: 'property', name, args, span: { start: name.span.start, end } };
  }

  /**
   * A word in value position that is no value word of the language but is one typo away from a
   * property of this block (`cores 8 memroy 32GiB`) starts a new (unknown) property, so the block
   * reports T104 with the suggestion instead of a confusing extra value.
   */
  private looksLikeMisspelledProperty(blockKind: BlockKind): boolean {
    const w = this.tokText();
    if (VALUE_WORDS.has(w) || this.kind(1) === Tok.Dot) return false;
    return suggest(w, PROPERTIES[blockKind].map((p) => p.name)) !== undefined;
  }

  private takeNumber(): NumberLit {
    const s = this.tokStart();
    const e = this.tokEnd();
    const u = this.t.unitStart[this.pos];
    const malformed = (this.t.flags[this.pos] & MALFORMED) !== 0;
    this.advance();
    const value = malformed ? Number.NaN : numberValue(this.text, s, u);
    const span = { start: s, end: e };
    return { kind: 'number', value, unit: u === e ? '' : this.text.slice(u, e), numberSpan: u === e ? span : { start: s, end: u }, unitSpan: { start: u, end: e }, span };
  }

  /** `a`, `a.b.c`, `a.*`, `a.b..c`, and comma-separated lists of those. */
  private parseRefList(): Ref | RangeRef | ListRef {
    const first = this.parseRange();
    if (this.kind() !== Tok.Comma || this.newlineBefore()) return first;
    const items: (Ref | RangeRef)[] = [first];
    while (this.kind() === Tok.Comma && !this.newlineBefore()) {
      this.advance();
      if (this.kind() === Tok.Word) items.push(this.parseRange());
      else {
        this.unexpected('a node reference after `,`');
        break;
      }
    }
    return { kind: 'list', items, span: { start: first.span.start, end: items[items.length - 1].span.end } };
  }

  private parseRange(): Ref | RangeRef {
    const from = this.parseRef();
    if (this.kind() !== Tok.DotDot || this.newlineBefore()) return from;
    this.advance();
    let to: Ref | null = null;
    if (this.kind() === Tok.Word && !this.newlineBefore()) to = this.parseRef();
    else this.unexpected('the end of the range, as in `r1.n1..n4`');
    return { kind: 'range', from, to, span: { start: from.span.start, end: to ? to.span.end : this.prevEnd() } };
  }

  private parseRef(): Ref {
    const parts: Word[] = [this.takeWord()];
    let star: Span | null = null;
    while (this.kind() === Tok.Dot && !this.newlineBefore()) {
      const dotEnd = this.tokEnd();
      if (this.kind(1) === Tok.Word && this.tokStart(1) === dotEnd) {
        this.advance();
        parts.push(this.takeWord());
      } else if (this.kind(1) === Tok.Star && this.tokStart(1) === dotEnd) {
        this.advance();
        star = { start: this.tokStart(), end: this.tokEnd() };
        this.advance();
        break;
      } else {
        this.advance();
        this.unexpected('a name or `*` after `.`');
        break;
      }
    }
    // (spans are values, never changed in place: a one-word reference shares its word's)
    if (!star && parts.length === 1) return { kind: 'ref', parts, star, span: parts[0].span };
    const end = star ? star.end : parts[parts.length - 1].span.end;
    return { kind: 'ref', parts, star, span: { start: parts[0].span.start, end } };
  }
}

/** The value of the digits `[s, u)` (optional `-`, digits, optional fraction), correctly rounded, without a substring. */
function numberValue(text: string, s: number, u: number): number {
  let i = s;
  const negative = text.charCodeAt(i) === 45;
  if (negative) i++;
  let mantissa = 0;
  let scale = 1;
  let digits = 0;
  let inFraction = false;
  for (; i < u; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) { inFraction = true; continue; }
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    if (inFraction) scale *= 10;
  }
  // Exact integers below 2^53 divided by an exact power of ten round correctly; longer inputs take the slow path.
  const v = digits <= 15 && scale <= 1e22 ? mantissa / scale : Number(text.slice(negative ? s + 1 : s, u));
  return negative ? -v : v;
}
