/** A half-open range of UTF-16 code-unit offsets into one file's text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A span in a named file. File names are '/'-separated paths as the host gives them. */
export interface Location {
  readonly file: string;
  readonly span: Span;
}

/** Zero-based line and UTF-16 character, as in the Language Server Protocol. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface LineRange {
  readonly start: Position;
  readonly end: Position;
}

/** A plain text edit: replace `span` of `file` with `newText`. */
export interface TextEdit {
  readonly file: string;
  readonly span: Span;
  readonly newText: string;
}

/**
 * Converts between offsets and line/character positions of one text. Lines end at `\n`, `\r\n`
 * or a lone `\r`, as in the Language Server Protocol (and every editor): positions the client
 * sends and the ones we answer must count lines the same way.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo] };
  }

  offset(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[pos.line];
    return Math.min(start + Math.max(0, pos.character), this.lineEnd(pos.line));
  }

  range(span: Span): LineRange {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  /** Start offset of a zero-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** The text of a line without its line break. */
  lineText(line: number): string {
    const l = Math.max(0, Math.min(line, this.lineStarts.length - 1));
    return this.text.slice(this.lineStarts[l], this.lineEnd(l));
  }

  /** The offset where a line's text ends (before its line break). */
  private lineEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    const next = this.lineStarts[line + 1];
    // the break is `\n`, `\r\n` or `\r`
    return this.text.charCodeAt(next - 1) === 10 && next - 2 >= this.lineStarts[line] && this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }
}

/** The index of the last item whose start is <= offset (binary search over sorted items). */
export function lastStartingBefore<T extends { readonly span: Span }>(items: readonly T[], offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].span.start <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
