import type { Span } from '../text';
import { ownLineSeparator, propertySeparator } from './schema';

/**
 * The two text edits the binder's and the analysis's quick fixes make to a block: insert a
 * property, delete a property. One definition each, so a fix to one is a fix to both.
 */

/**
 * What deleting the property written from `start` (its keyword) to `end` (its last value)
 * removes: the whole line, line break included, when the property is alone on it (a `;` after
 * it included); the property and the space up to a comment after it (the comment stays);
 * otherwise the property and the spaces after it.
 */
export function propertyDeletionSpan(text: string, start: number, end: number): Span {
  let ls = start;
  while (ls > 0 && text[ls - 1] !== '\n') ls--;
  let le = end;
  while (le < text.length && text[le] !== '\n') le++;
  const after = text.slice(end, le).trim();
  if (text.slice(ls, start).trim() === '' && (after === '' || after === ';')) return { start: ls, end: Math.min(text.length, le + 1) };
  if (after.startsWith('#')) return { start, end: end + text.slice(end, le).indexOf('#') };
  let e = end;
  while (e < text.length && text[e] === ' ') e++;
  return { start, end: e };
}

/**
 * Inserts `line` as the last property of the block whose body runs from `bodyStart` (after `{`,
 * -1 when missing) to `bodyEnd` (at `}`): on a line of its own, indented like the block's other
 * lines, or before the `}` of a one-line block.
 */
export function propertyInsertion(text: string, bodyStart: number, bodyEnd: number, line: string): { at: number; newText: string } {
  let lineStart = bodyEnd;
  while (lineStart > 0 && text[lineStart - 1] !== '\n') lineStart--;
  const closeIndent = text.slice(lineStart, bodyEnd);
  const oneLine = bodyStart >= 0 && !text.slice(bodyStart, bodyEnd).includes('\n');
  if (oneLine || closeIndent.trim() !== '') return { at: bodyEnd, newText: `${propertySeparator(text, bodyEnd)}${line} ` };
  return { at: lineStart, newText: `${closeIndent}  ${ownLineSeparator(text, lineStart)}${line}\n` };
}
