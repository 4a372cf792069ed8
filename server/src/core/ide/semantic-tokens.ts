import { fileItems, programIndex } from './program-index';
import type { IdeSnapshot, SemanticToken, SemanticTokenModifier } from './types';

const DECLARATION: readonly SemanticTokenModifier[] = ['declaration'];
const NONE: readonly SemanticTokenModifier[] = [];

/**
 * Semantic tokens of the file: keywords, properties, enum values, numbers and their units
 * (separate tokens), strings, comments, and names by kind (rack, node, sds, container,
 * scenario, device) with `declaration` on the declaring occurrence. Sorted, non-overlapping,
 * each on one line.
 */
export function semanticTokens(s: IdeSnapshot): SemanticToken[] {
  try {
    const ix = programIndex(s.check);
    const items = fileItems(ix, s.file);
    const comments = s.check.trees.get(s.file)?.comments ?? [];
    const out: SemanticToken[] = [];
    let c = 0;
    let lastEnd = 0;
    // Comments and strings end at a line break (\n, \r\n or a lone \r), so every token is on one line.
    const push = (t: SemanticToken): void => {
      if (t.span.start < lastEnd || t.span.end <= t.span.start) return;
      out.push(t);
      lastEnd = t.span.end;
    };
    for (const it of items) {
      while (c < comments.length && comments[c].span.start < it.span.start) {
        push({ span: comments[c].span, type: 'comment', modifiers: NONE });
        c++;
      }
      const type = it.nameKind === null && it.keys ? 'variable' : it.type;
      push({ span: it.span, type, modifiers: it.decl ? DECLARATION : NONE });
    }
    for (; c < comments.length; c++) push({ span: comments[c].span, type: 'comment', modifiers: NONE });
    return out;
  } catch {
    return [];
  }
}
