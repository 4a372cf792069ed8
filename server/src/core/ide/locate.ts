import type { Arg, Block, Import, Property, SourceFile } from '../syntax/ast';
import { lastStartingBefore, type Span } from '../text';

/** The syntax around an offset, outermost block first. */
export interface SyntaxPath {
  readonly blocks: readonly Block[];
  readonly importDecl: Import | null;
  readonly property: Property | null;
  /** The top-level argument of the property containing the offset (a list, range, ref, number or string). */
  readonly arg: Arg | null;
  /** The innermost argument node containing the offset (a ref inside a list or range). */
  readonly innerArg: Arg | null;
}

function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** The effective end of a block: its `}`, or for an unclosed block where the next sibling starts. */
export function blockEnd(b: Block, nextStart: number): number {
  if (b.close) return b.close.end;
  return b.open ? nextStart : b.span.end;
}

/**
 * The blocks, property and argument at `offset`. An unclosed block extends to the next
 * declaration (where the parser stopped reading it), so a cursor after `container web {` at the
 * end of the file is inside it.
 */
export function pathAt(tree: SourceFile, offset: number): SyntaxPath {
  const blocks: Block[] = [];
  let property: Property | null = null;
  let arg: Arg | null = null;
  let innerArg: Arg | null = null;
  let importDecl: Import | null = null;
  const items = tree.items;
  const i = lastStartingBefore(items, offset);
  if (i < 0) return { blocks, importDecl, property, arg, innerArg };
  const top = items[i];
  if (top.kind === 'import') {
    if (contains(top.span, offset)) importDecl = top;
    return { blocks, importDecl, property, arg, innerArg };
  }
  let block: Block = top;
  let end = blockEnd(block, i + 1 < items.length ? items[i + 1].span.start : tree.text.length);
  for (;;) {
    const insideBody = block.open ? offset >= block.open.end && offset <= (block.close ? block.close.start : end) : false;
    if (!(contains({ start: block.span.start, end }, offset))) break;
    blocks.push(block);
    if (!insideBody) break;
    const members = block.members;
    const j = lastStartingBefore(members, offset);
    if (j < 0) break;
    const m = members[j];
    if (m.kind === 'block') {
      const nextStart = j + 1 < members.length ? members[j + 1].span.start : block.close ? block.close.start : end;
      const mEnd = blockEnd(m, nextStart);
      if (offset > mEnd) break;
      block = m;
      end = mEnd;
      continue;
    }
    if (contains(m.span, offset)) {
      property = m;
      for (const a of m.args) {
        if (!contains(a.span, offset)) continue;
        arg = a;
        innerArg = a;
        if (a.kind === 'list') {
          for (const it of a.items) if (contains(it.span, offset)) innerArg = it;
        }
        if (innerArg.kind === 'range') {
          const r = innerArg;
          if (contains(r.from.span, offset)) innerArg = r.from;
          else if (r.to && contains(r.to.span, offset)) innerArg = r.to;
        }
      }
    }
    break;
  }
  return { blocks, importDecl, property, arg, innerArg };
}
