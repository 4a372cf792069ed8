import type { Diagnostic } from '../diagnostics';
import type { Span } from '../text';
import type { CodeAction, IdeSnapshot } from './types';

function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Every fix of the diagnostics (of this file) overlapping `span`, as a quickfix. */
export function codeActions(s: IdeSnapshot, span: Span, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.file !== s.file || !overlaps(d.span, span)) continue;
    for (const fix of d.fixes) {
      out.push({ title: fix.title, kind: 'quickfix', edits: fix.edits, diagnostics: [d], preferred: fix.preferred });
    }
  }
  return out;
}
