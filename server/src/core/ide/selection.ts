import type { Arg, Block } from '../syntax/ast';
import type { Span } from '../text';
import { pathAt } from './locate';
import { itemAt, programIndex } from './program-index';
import type { IdeSnapshot, SelectionRange } from './types';

function push(out: Span[], span: Span): void {
  const last = out[out.length - 1];
  if (last && last.start === span.start && last.end === span.end) return;
  // Only strictly growing ranges (each contains the previous one).
  if (last && !(span.start <= last.start && last.end <= span.end)) return;
  out.push(span);
}

/** The inner spans of an argument that contain the offset, innermost first. */
function argChain(a: Arg, offset: number): Span[] {
  const inside = (sp: Span): boolean => sp.start <= offset && offset <= sp.end;
  const chain: Span[] = [];
  if (a.kind === 'list') {
    for (const it of a.items) if (inside(it.span)) chain.push(...argChain(it, offset));
  } else if (a.kind === 'range') {
    if (inside(a.from.span)) chain.push(a.from.span);
    else if (a.to && inside(a.to.span)) chain.push(a.to.span);
  }
  chain.push(a.span);
  return chain;
}

/** For each offset: word -> value -> property -> enclosing blocks -> whole file. */
export function selectionRanges(s: IdeSnapshot, offsets: readonly number[]): SelectionRange[] {
  const tree = s.check.trees.get(s.file);
  const fileSpan: Span = { start: 0, end: s.text.length };
  if (!tree) return offsets.map(() => [fileSpan]);
  const ix = programIndex(s.check);
  return offsets.map((offset) => {
    try {
      const out: Span[] = [];
      // only spans around the cursor: an unclosed block's span may end before it (editors reject such a range)
      const add = (span: Span): void => {
        if (span.start <= offset && offset <= span.end) push(out, span);
      };
      const item = itemAt(ix, s.file, offset);
      const comment = tree.comments.find((c) => c.span.start <= offset && offset <= c.span.end);
      if (comment) add(comment.span);
      else if (item) add(item.span);
      const path = pathAt(tree, offset);
      if (path.property) {
        const a = path.property.args.find((x) => x.span.start <= offset && offset <= x.span.end);
        if (a) for (const sp of argChain(a, offset)) add(sp);
        if (path.property.args.length > 1) {
          const first = path.property.args[0].span.start;
          add({ start: first, end: path.property.span.end });
        }
        add(path.property.span);
      }
      if (path.importDecl) add(path.importDecl.span);
      for (let i = path.blocks.length - 1; i >= 0; i--) {
        const b: Block = path.blocks[i];
        if (b.open && b.close && b.open.end <= offset && offset <= b.close.start && b.close.start > b.open.end) {
          add({ start: b.open.end, end: b.close.start });
        }
        add(b.span);
      }
      add(fileSpan);
      return out;
    } catch {
      return [fileSpan];
    }
  });
}
