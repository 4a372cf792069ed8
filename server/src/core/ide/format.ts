import { parseFile } from '../syntax/parser';
import type { Span, TextEdit } from '../text';
import type { FormatOptions } from './types';

interface LineInfo {
  readonly start: number;
  readonly end: number; // exclusive, before the line break
  readonly text: string;
}

function splitLines(text: string): LineInfo[] {
  const lines: LineInfo[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === '\n') {
      let end = i;
      if (end > start && text[end - 1] === '\r') end--;
      lines.push({ start, end, text: text.slice(start, end) });
      start = i + 1;
    }
  }
  return lines;
}

/** Net brace change of a line and whether it starts with a closing brace (outside strings/comments). */
function braces(line: string): { opens: number; closes: number; leadingCloses: number } {
  let opens = 0;
  let closes = 0;
  let leadingCloses = 0;
  let leading = true;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '#') break;
    if (c === '"') { inString = true; leading = false; continue; }
    if (c === '{') { opens++; leading = false; continue; }
    if (c === '}') {
      if (opens > 0) opens--;
      else { closes++; if (leading) leadingCloses++; }
      continue;
    }
    if (c !== ' ' && c !== '\t') leading = false;
  }
  return { opens, closes, leadingCloses };
}

function hasSyntaxErrors(text: string, file: string): boolean {
  try {
    return parseFile(text, file).diagnostics.some((d) => d.code === 'T101' || d.code === 'T102');
  } catch {
    return true;
  }
}

function computeEdits(text: string, file: string, options: FormatOptions, range: Span | null): TextEdit[] {
  if (hasSyntaxErrors(text, file)) return [];
  const unit = options.insertSpaces ? ' '.repeat(Math.max(1, options.tabSize || 2)) : '\t';
  const lines = splitLines(text);
  const edits: TextEdit[] = [];
  let depth = 0;
  let blankRun = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const content = line.text.trim();
    const inRange = range === null || (line.end >= range.start && line.start <= range.end);
    if (content === '') {
      blankRun++;
      const isLast = n === lines.length - 1;
      // Drop the second and further blank lines of a run (not the final empty line of the file).
      if (blankRun > 1 && !isLast && inRange) {
        edits.push({ file, span: { start: line.start, end: lines[n + 1].start }, newText: '' });
      } else if (line.text.length > 0 && inRange) {
        edits.push({ file, span: { start: line.start, end: line.end }, newText: '' });
      }
      continue;
    }
    blankRun = 0;
    const b = braces(content);
    const indentDepth = Math.max(0, depth - b.leadingCloses);
    depth = Math.max(0, depth - b.closes) + b.opens;
    const wanted = unit.repeat(indentDepth) + content;
    if (wanted !== line.text && inRange) edits.push({ file, span: { start: line.start, end: line.end }, newText: wanted });
  }
  return edits;
}

/** Re-indents by brace depth, trims trailing whitespace and collapses blank runs. Whitespace-only edits. */
export function format(text: string, file: string, options: FormatOptions): TextEdit[] {
  return computeEdits(text, file, options, null);
}

export function formatRange(text: string, file: string, span: Span, options: FormatOptions): TextEdit[] {
  return computeEdits(text, file, options, span);
}

/** Applies non-overlapping edits (any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}
