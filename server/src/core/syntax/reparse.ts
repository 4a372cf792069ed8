import type { Comment, SourceFile, TopLevel } from './ast';
import { parseFile, RECOVERY_ERRORS, type ParseResult } from './parser';
import { shiftComment, shiftDiagnostic, shiftTopLevel } from './shift';
import type { Diagnostic } from '../diagnostics';
import { lineStartAfter, lineStartAtOrBefore, wholeLinesAround } from './lines';

/**
 * Incremental reparsing. A file is a flat list of top-level declarations and no token spans a
 * line break, so an edit is reparsed as the whole lines of the declarations it touches: the
 * declarations before it are kept, those after it are kept moved by the edit's length.
 *
 * The result is the one `parseFile` gives for the new text. That holds when the parser starts
 * afresh at both ends of the reparsed lines, which is so when neither the old parse nor the
 * reparsed lines have a syntax error (T100, or a malformed token: T102, T103) or an unclosed block
 * (T101): error recovery can skip across declarations. Otherwise the whole file is parsed again.
 */
/** How many reparses reused declarations and how many parsed the whole file (for tests and the bench). */
export interface ReparseStats { incremental: number; whole: number }

export function reparse(prev: ParseResult, text: string, file: string, stats?: ReparseStats): ParseResult {
  const whole = (): ParseResult => { if (stats) stats.whole++; return parseFile(text, file); };
  const old = prev.tree;
  if (old.file !== file) return whole();
  if (text === old.text) return prev;
  if (!reusable(prev.diagnostics)) return whole();
  const change = changedRange(old.text, text);
  const { from, to } = lineBoundedSlice(old, change);
  const delta = text.length - old.text.length;
  // A copy, not a slice: V8 keeps a slice's whole parent string alive, and the names and strings
  // of the reparsed declaration (slices of the slice, where 13 characters or longer) would keep
  // this version's whole text alive as long as the declaration stays unchanged, one per edit.
  const slice = parseFile(flatCopy(text.slice(from, to + delta)), file);
  if (!reusable(slice.diagnostics)) return whole();
  if (stats) stats.incremental++;
  const before = (s: { span: { start: number; end: number } }): boolean => s.span.end <= from && s.span.start < from;
  const after = (s: { span: { start: number } }): boolean => s.span.start >= to;
  const items: TopLevel[] = [];
  for (const i of old.items) if (before(i)) items.push(i);
  for (const i of slice.tree.items) items.push(shiftTopLevel(i, from));
  for (const i of old.items) if (after(i)) items.push(shiftTopLevel(i, delta));
  const comments: Comment[] = [];
  for (const c of old.comments) if (c.span.start < from) comments.push(c);
  for (const c of slice.tree.comments) comments.push(shiftComment(c, from));
  for (const c of old.comments) if (c.span.start >= to) comments.push(shiftComment(c, delta));
  const diagnostics: Diagnostic[] = [];
  for (const d of prev.diagnostics) if (d.span.start < from) diagnostics.push(d);
  for (const d of slice.diagnostics) diagnostics.push(shiftDiagnostic(d, from));
  for (const d of prev.diagnostics) if (d.span.start >= to) diagnostics.push(shiftDiagnostic(d, delta));
  const tree: SourceFile = { kind: 'file', file, text, items, comments, span: { start: 0, end: text.length } };
  return { tree, diagnostics };
}

/** True when the parser state at every declaration boundary is fresh: no recovery skipped across one. */
function reusable(diagnostics: readonly Diagnostic[]): boolean {
  return !diagnostics.some((d) => RECOVERY_ERRORS.has(d.code));
}

/** The old text's changed range [start, end): the new text differs from the old only there. */
function changedRange(a: string, b: string): { start: number; end: number } {
  const n = Math.min(a.length, b.length);
  let p = 0;
  while (p < n && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < n - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return { start: p, end: a.length - s };
}

/**
 * The old text's range of whole lines that covers the change and cuts no declaration: it
 * starts at a line start and ends at one (or the end of the text), and every declaration lies
 * wholly inside it, before it or after it.
 */
function lineBoundedSlice(tree: SourceFile, change: { start: number; end: number }): { from: number; to: number } {
  return wholeLinesAround(tree.text, tree.items, lineStartAtOrBefore(tree.text, change.start), lineStartAfter(tree.text, change.end));
}

/** A string with the same characters that shares no storage with `s` (JSON.parse builds a fresh one). */
function flatCopy(s: string): string {
  return s.length < 16 ? s : (JSON.parse(JSON.stringify(s)) as string);
}
