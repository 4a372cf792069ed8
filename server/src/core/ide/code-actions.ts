import type { Diagnostic } from '../diagnostics';
import type { Span } from '../text';
import { collapseRangeActions, expandRangeActions, rangeToListActions } from './node-ranges';
import type { CodeAction, IdeSnapshot } from './types';

function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * The quick fixes the core computed (Diagnostic.fixes of the diagnostics of this file that
 * overlap `span`), then refactorings at the span: expand a node range, collapse identical
 * numbered nodes into a range, rewrite a node range reference as a list.
 */
export function codeActions(s: IdeSnapshot, span: Span, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  try {
    for (const d of diagnostics) {
      if (d.file !== s.file || !overlaps(d.span, span)) continue;
      for (const fix of d.fixes) {
        out.push({ title: fix.title, kind: 'quickfix', edits: fix.edits, diagnostics: [d], preferred: fix.preferred });
      }
      if (d.fixes.length === 0) {
        const spelling = spellingFix(s, d);
        if (spelling) out.push(spelling);
      }
    }
    out.push(...expandRangeActions(s, span), ...collapseRangeActions(s, span), ...rangeToListActions(s, span));
  } catch {
    // never throw: what was computed so far is still right
  }
  return out;
}

/**
 * A diagnostic whose message carries the core's suggestion (" Did you mean `x`?") but no fix
 * (the parser's T104): replace the word with the suggestion.
 */
function spellingFix(s: IdeSnapshot, d: Diagnostic): CodeAction | null {
  const m = /Did you mean `([A-Za-z_][A-Za-z0-9_.-]*)`\?/.exec(d.message);
  if (!m) return null;
  const word = s.text.slice(d.span.start, d.span.end);
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(word) || word === m[1]) return null;
  return {
    title: `Change \`${word}\` to \`${m[1]}\``,
    kind: 'quickfix',
    edits: [{ file: s.file, span: d.span, newText: m[1] }],
    diagnostics: [d],
    preferred: true,
  };
}
