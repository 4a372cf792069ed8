import { lastStartingBefore, type Span } from '../text';

/**
 * Line arithmetic on a file's declarations. No token spans a line break, so whole lines that
 * cut no top-level declaration can be lexed, parsed and formatted on their own.
 */

/** A line start: after `\n`, or after a lone `\r` (as the lexer counts lines). */
function isLineStart(t: string, i: number): boolean {
  if (i <= 0) return true;
  const c = t.charCodeAt(i - 1);
  return c === 10 || (c === 13 && t.charCodeAt(i) !== 10);
}

export function lineStartAtOrBefore(t: string, i: number): number {
  while (!isLineStart(t, i)) i--;
  return i;
}

/** The first line start after `i`, or the end of the text. */
export function lineStartAfter(t: string, i: number): number {
  if (i >= t.length) return t.length;
  i++;
  while (i < t.length && !isLineStart(t, i)) i++;
  return i;
}

/**
 * [from, to) widened to whole lines that cut no declaration of `items` (in text order): every
 * declaration lies wholly inside it, before it or after it. `from` and `to` are line starts (or
 * the end of the text).
 */
export function wholeLinesAround(t: string, items: readonly { readonly span: Span }[], from: number, to: number): { from: number; to: number } {
  // items do not overlap: only the last one starting before a bound can cut it
  for (let moved = true; moved;) {
    moved = false;
    const a = items[lastStartingBefore(items, from - 1)];
    if (a && a.span.end > from) { from = lineStartAtOrBefore(t, a.span.start); moved = true; }
    const b = items[lastStartingBefore(items, to - 1)];
    if (b && b.span.end > to) { to = lineStartAfter(t, b.span.end - 1); moved = true; }
  }
  return { from, to };
}
