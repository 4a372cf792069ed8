import type { Comment } from './ast';
import type { Span } from '../text';

/** Token kinds. Numeric for compact storage in typed arrays. */
export const enum Tok {
  EOF = 0,
  Word,
  Number,
  String,
  LBrace,
  RBrace,
  Comma,
  Semi,
  Dot,
  DotDot,
  Star,
  /** A character that starts no token (reported as T100 by the parser). */
  Invalid,
}

export const TOKEN_NAMES: Record<Tok, string> = {
  [Tok.EOF]: 'end of file',
  [Tok.Word]: 'a name',
  [Tok.Number]: 'a number',
  [Tok.String]: 'a string',
  [Tok.LBrace]: '`{`',
  [Tok.RBrace]: '`}`',
  [Tok.Comma]: '`,`',
  [Tok.Semi]: '`;`',
  [Tok.Dot]: '`.`',
  [Tok.DotDot]: '`..`',
  [Tok.Star]: '`*`',
  [Tok.Invalid]: 'an unexpected character',
};

/** Flags per token. */
export const NEWLINE_BEFORE = 1;
/** A string without its closing quote (T102). */
export const UNTERMINATED = 2;
/** A malformed number (T103 reported by the lexer). */
export const MALFORMED = 4;

export interface LexProblem {
  readonly span: Span;
  readonly code: 'T102' | 'T103';
  readonly message: string;
}

/**
 * The token stream of a text, in parallel typed arrays: kind, start, end (of the whole token),
 * unitStart (numbers: where the unit begins; equals end when there is none) and flags.
 */
export interface Tokens {
  readonly count: number;
  readonly kind: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly unitStart: Int32Array;
  readonly flags: Uint8Array;
  readonly comments: Comment[];
  readonly problems: LexProblem[];
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isUnitChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 37; /* % */
}

/** Set by scanNumber and scanString (no object per token): the token's flags, and where a number's unit starts. */
let scannedFlags = 0;
let scannedUnit = 0;

/** A number starting at `s` (digits, one decimal point, a unit); returns its end. */
function scanNumber(text: string, s: number, nl: number, problems: LexProblem[]): number {
  const len = text.length;
  let f = nl;
  let i = s + 1;
  while (i < len && isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 46 /* . */ && text.charCodeAt(i + 1) !== 46) {
    i++;
    if (!isDigit(text.charCodeAt(i))) {
      f |= MALFORMED;
      problems.push({ span: { start: s, end: i }, code: 'T103', message: `malformed number \`${text.slice(s, i)}\`: write digits after the decimal point (\`${text.slice(s, i - 1)}\` or \`${text.slice(s, i)}0\`)` });
    }
    while (i < len && isDigit(text.charCodeAt(i))) i++;
    while (text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
      // 1.2.3: one malformed number, not a cascade
      i++;
      while (i < len && isDigit(text.charCodeAt(i))) i++;
      if (!(f & MALFORMED)) {
        f |= MALFORMED;
        problems.push({ span: { start: s, end: i }, code: 'T103', message: `malformed number \`${text.slice(s, i)}\`: a number has at most one decimal point` });
      }
    }
  }
  const u = i;
  while (i < len && isUnitChar(text.charCodeAt(i))) i++;
  // digits glued after a unit (`4Gi8B`) make the whole thing malformed
  if (i > u && i < len && (isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === 95)) {
    while (i < len && isIdentPart(text.charCodeAt(i))) i++;
    if (!(f & MALFORMED)) {
      f |= MALFORMED;
      problems.push({ span: { start: s, end: i }, code: 'T103', message: `malformed number \`${text.slice(s, i)}\`: write a number followed by one unit, like \`256GiB\`` });
    }
  }
  scannedUnit = u;
  scannedFlags = f;
  return i;
}

/** A string starting at the `"` at `s`, ending at its closing quote or the end of the line; returns its end. */
function scanString(text: string, s: number, nl: number, problems: LexProblem[]): number {
  const len = text.length;
  let i = s + 1;
  let f = nl;
  for (;;) {
    if (i >= len || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13) {
      f |= UNTERMINATED;
      problems.push({ span: { start: s, end: i }, code: 'T102', message: 'unterminated string: add the closing `"` (strings cannot span lines)' });
      break;
    }
    const d = text.charCodeAt(i);
    if (d === 92 /* \ */ && i + 1 < len && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13) { i += 2; continue; }
    i++;
    if (d === 34) break;
  }
  scannedFlags = f;
  return i > len ? len : i;
}

export function lex(text: string): Tokens {
  let cap = Math.max(16, (text.length >> 2) + 4);
  let kind = new Uint8Array(cap);
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let unitStart = new Int32Array(cap);
  let flags = new Uint8Array(cap);
  let n = 0;
  const comments: Comment[] = [];
  const problems: LexProblem[] = [];

  const push = (k: Tok, s: number, e: number, u: number, f: number): void => {
    if (n === cap) {
      cap *= 2;
      const k2 = new Uint8Array(cap); k2.set(kind); kind = k2;
      const s2 = new Int32Array(cap); s2.set(start); start = s2;
      const e2 = new Int32Array(cap); e2.set(end); end = e2;
      const u2 = new Int32Array(cap); u2.set(unitStart); unitStart = u2;
      const f2 = new Uint8Array(cap); f2.set(flags); flags = f2;
    }
    kind[n] = k;
    start[n] = s;
    end[n] = e;
    unitStart[n] = u;
    flags[n] = f;
    n++;
  };

  const len = text.length;
  let i = 0;
  let nl = NEWLINE_BEFORE; // the first token starts a line
  while (i < len) {
    const c = text.charCodeAt(i);
    // Line breaks are \n, \r\n and a lone \r, as editors and LSP count them.
    if (c === 10 || c === 13) { nl = NEWLINE_BEFORE; i++; continue; }
    if (c === 32 || c === 9 || c === 0xfeff) { i++; continue; }
    if (c === 35 /* # */) {
      const s = i;
      while (i < len && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      comments.push({ span: { start: s, end: i }, text: text.slice(s, i) });
      continue;
    }
    const s = i;
    if (isIdentStart(c)) {
      i++;
      while (i < len && isIdentPart(text.charCodeAt(i))) i++;
      while (text.charCodeAt(i - 1) === 45) i--; // an identifier does not end in '-'
      push(Tok.Word, s, i, i, nl);
    } else if (isDigit(c) || (c === 45 /* - */ && isDigit(text.charCodeAt(i + 1)))) {
      i = scanNumber(text, s, nl, problems);
      push(Tok.Number, s, i, scannedUnit, scannedFlags);
    } else if (c === 34 /* " */) {
      i = scanString(text, s, nl, problems);
      push(Tok.String, s, i, i, scannedFlags);
    } else if (c === 46 /* . */) {
      if (text.charCodeAt(i + 1) === 46) {
        i += 2;
        push(Tok.DotDot, s, i, i, nl);
      } else if (isDigit(text.charCodeAt(i + 1))) {
        i++;
        while (i < len && isDigit(text.charCodeAt(i))) i++;
        const u = i;
        while (i < len && isUnitChar(text.charCodeAt(i))) i++;
        problems.push({ span: { start: s, end: u }, code: 'T103', message: `malformed number \`${text.slice(s, u)}\`: write \`0${text.slice(s, u)}\`` });
        push(Tok.Number, s, i, u, nl | MALFORMED);
      } else {
        i++;
        push(Tok.Dot, s, i, i, nl);
      }
    } else {
      i++;
      let k: Tok;
      switch (c) {
        case 123: k = Tok.LBrace; break;
        case 125: k = Tok.RBrace; break;
        case 44: k = Tok.Comma; break;
        case 59: k = Tok.Semi; break;
        case 42: k = Tok.Star; break;
        default:
          k = Tok.Invalid;
          // keep a surrogate pair together so a range never splits a character
          if (c >= 0xd800 && c <= 0xdbff && i < len) {
            const d = text.charCodeAt(i);
            if (d >= 0xdc00 && d <= 0xdfff) i++;
          }
      }
      push(k, s, i, i, nl);
    }
    nl = 0;
  }
  push(Tok.EOF, len, len, len, nl);
  return { count: n, kind, start, end, unitStart, flags, comments, problems };
}

/** Resolves the escapes of a string token's text (quotes included). Unknown escapes are kept verbatim. */
export function stringValue(raw: string): string {
  let inner = raw.slice(1);
  if (inner.endsWith('"') && raw.length >= 2) inner = inner.slice(0, -1);
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\' && i + 1 < inner.length) {
      const d = inner[++i];
      out += d === 'n' ? '\n' : d === 't' ? '\t' : d === '"' ? '"' : d === '\\' ? '\\' : `\\${d}`;
    } else out += c;
  }
  return out;
}
