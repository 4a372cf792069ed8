import type { Block, SourceFile } from '../syntax/ast';
import type { DocumentSymbol, FoldingRange, IdeSnapshot, SymbolKind } from './types';

function blockName(b: Block): string {
  if (b.name === null) return b.blockKind;
  const base = b.name.kind === 'string' ? b.name.value : b.name.text;
  return b.rangeEnd ? `${base}..${b.rangeEnd.text}` : base;
}

function symbolOf(b: Block): DocumentSymbol {
  const children: DocumentSymbol[] = [];
  for (const m of b.members) if (m.kind === 'block') children.push(symbolOf(m));
  return {
    name: blockName(b),
    kind: b.blockKind as SymbolKind,
    span: b.span,
    selectionSpan: b.name ? b.name.span : b.keyword.span,
    children,
  };
}

/** Outline of the file: racks > nodes, defaults, fabric, sds, containers, scenarios, imports. */
export function documentSymbols(s: IdeSnapshot): DocumentSymbol[] {
  const tree = s.check.trees.get(s.file);
  if (!tree) return [];
  const out: DocumentSymbol[] = [];
  for (const item of tree.items) {
    if (item.kind === 'block') out.push(symbolOf(item));
    else if (item.path) {
      out.push({ name: item.path.value, kind: 'import', span: item.span, selectionSpan: item.path.span, children: [] });
    }
  }
  return out;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function foldBlocks(tree: SourceFile, blocks: readonly Block[], out: FoldingRange[]): void {
  for (const b of blocks) {
    if (b.open && b.close) {
      const start = lineOf(tree.text, b.open.start);
      const end = lineOf(tree.text, b.close.start);
      if (end > start) out.push({ startLine: start, endLine: end, kind: 'region' });
    }
    foldBlocks(tree, b.members.filter((m): m is Block => m.kind === 'block'), out);
  }
}

/** Blocks whose braces are on different lines, and runs of two or more consecutive comment lines. */
export function foldingRanges(s: IdeSnapshot): FoldingRange[] {
  const tree = s.check.trees.get(s.file);
  if (!tree) return [];
  const out: FoldingRange[] = [];
  foldBlocks(tree, tree.items.filter((i): i is Block => i.kind === 'block'), out);
  let runStart = -1;
  let prev = -2;
  const flush = (): void => {
    if (runStart >= 0 && prev > runStart) out.push({ startLine: runStart, endLine: prev, kind: 'comment' });
  };
  for (const c of tree.comments) {
    const line = lineOf(tree.text, c.span.start);
    const onlyComment = tree.text.slice(tree.text.lastIndexOf('\n', c.span.start - 1) + 1, c.span.start).trim() === '';
    if (onlyComment && line === prev + 1) prev = line;
    else {
      flush();
      runStart = onlyComment ? line : -1;
      prev = onlyComment ? line : -2;
    }
  }
  flush();
  return out.sort((a, b) => a.startLine - b.startLine);
}
