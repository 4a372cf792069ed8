import type { CheckResult } from '../check';
import { formatBytes, formatCores, formatNumber } from '../model/units';
import type { Block, SourceFile } from '../syntax/ast';
import { LineIndex } from '../text';
import type { DocumentSymbol, FoldingRange, IdeSnapshot, SymbolKind, WorkspaceSymbol } from './types';

/** A string's value as a symbol name: editors refuse an empty name, so `""` stands for the empty string. */
function stringName(value: string): string {
  return value === '' ? '""' : value;
}

function blockName(b: Block): string {
  if (b.name === null) return b.blockKind;
  const base = b.name.kind === 'string' ? stringName(b.name.value) : b.name.text;
  return b.rangeEnd ? `${base}..${b.rangeEnd.text}` : base;
}

type Detail = (b: Block, rack: string | null) => string | undefined;

function symbolOf(b: Block, detail: Detail, rack: string | null): DocumentSymbol {
  const children: DocumentSymbol[] = [];
  const myRack = b.blockKind === 'rack' && b.name && b.name.kind === 'word' ? b.name.text : rack;
  for (const m of b.members) if (m.kind === 'block') children.push(symbolOf(m, detail, myRack));
  const selectionSpan = b.name ? { start: b.name.span.start, end: b.rangeEnd ? b.rangeEnd.span.end : b.name.span.end } : b.keyword.span;
  return { name: blockName(b), kind: b.blockKind as SymbolKind, detail: detail(b, rack), span: b.span, selectionSpan, children };
}

function detailsFor(check: CheckResult): Detail {
  const m = check.model;
  const nodes = new Map(m.nodes.map((n) => [n.ref, n]));
  const containers = new Map(m.containers.map((c) => [c.name, c]));
  const sdses = new Map(m.sdses.map((x) => [x.name, x]));
  const racks = new Map(m.racks.map((x) => [x.name, x]));
  return (b, rack) => {
    const name = b.name && b.name.kind === 'word' ? b.name.text : '';
    if (b.blockKind === 'node' && rack) {
      const n = nodes.get(`${rack}.${name}`);
      return n ? `${formatNumber(n.cores)} cores · ${formatBytes(n.memory)}${n.role === 'spare' ? ' · spare' : ''}` : undefined;
    }
    if (b.blockKind === 'rack') {
      const r = racks.get(name);
      return r ? `${r.nodes.length} nodes` : undefined;
    }
    if (b.blockKind === 'sds') {
      const x = sdses.get(name);
      return x ? `${x.nodes.length} nodes · ${x.policy}` : undefined;
    }
    if (b.blockKind === 'tenant') {
      const t = m.tenants.find((x) => x.name === name);
      return t ? `isolation ${t.isolation}${t.quota ? ` · quota ${[t.quota.cpu !== null ? `${formatCores(t.quota.cpu)} cpu` : '', t.quota.memory !== null ? formatBytes(t.quota.memory) : ''].filter(Boolean).join(', ')}` : ''}` : undefined;
    }
    if (b.blockKind === 'container') {
      const c = containers.get(name);
      if (!c) return undefined;
      const t = c.target;
      const on = !t ? '' : t.kind === 'sds' ? ` → ${m.sdses[t.sds]?.name ?? ''}` : t.kind === 'rack' ? ` → ${m.racks[t.rack]?.name ?? ''}` : ` → ${t.nodes.length} nodes`;
      return `${c.replicas} × ${formatCores(c.cpuRequest)} cpu, ${formatBytes(c.memoryRequest)}${on}`;
    }
    return undefined;
  };
}

/** Outline of the file: racks > nodes, defaults, fabric, sds, containers, scenarios, imports. */
export function documentSymbols(s: IdeSnapshot): DocumentSymbol[] {
  try {
    return documentSymbolsOf(s);
  } catch {
    return [];
  }
}

function documentSymbolsOf(s: IdeSnapshot): DocumentSymbol[] {
  const tree = s.check.trees.get(s.file);
  if (!tree) return [];
  const out: DocumentSymbol[] = [];
  const detail = detailsFor(s.check);
  for (const item of tree.items) {
    if (item.kind === 'block') out.push(symbolOf(item, detail, null));
    else if (item.path) {
      out.push({ name: stringName(item.path.value), kind: 'import', span: item.span, selectionSpan: item.path.span, children: [] });
    }
  }
  return out;
}

const lineIndexCache = new WeakMap<SourceFile, LineIndex>();

/** The line of an offset, counted as the protocol counts lines (LineIndex). */
function lineOfIn(tree: SourceFile, offset: number): number {
  let ix = lineIndexCache.get(tree);
  if (!ix) {
    ix = new LineIndex(tree.text);
    lineIndexCache.set(tree, ix);
  }
  return ix.position(offset).line;
}

function foldBlocks(tree: SourceFile, blocks: readonly Block[], out: FoldingRange[]): void {
  for (const b of blocks) {
    if (b.open && b.close) {
      const start = lineOfIn(tree, b.open.start);
      const end = lineOfIn(tree, b.close.start);
      if (end > start) out.push({ startLine: start, endLine: end, kind: 'region' });
    }
    foldBlocks(tree, b.members.filter((m): m is Block => m.kind === 'block'), out);
  }
}

/** Blocks whose braces are on different lines, and runs of two or more consecutive comment lines. */
export function foldingRanges(s: IdeSnapshot): FoldingRange[] {
  try {
    return foldingRangesOf(s);
  } catch {
    return [];
  }
}

function foldingRangesOf(s: IdeSnapshot): FoldingRange[] {
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
    const line = lineOfIn(tree, c.span.start);
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

/** How well `name` matches `query`: substring (case-insensitive) first, then in-order letters; -1 when not at all. */
function matchScore(name: string, query: string): number {
  if (query === '') return 1;
  const n = name.toLowerCase();
  const q = query.toLowerCase();
  const i = n.indexOf(q);
  if (i === 0) return 4;
  if (i > 0) return 3;
  let j = 0;
  for (let k = 0; k < n.length && j < q.length; k++) if (n[k] === q[j]) j++;
  return j === q.length ? 2 : -1;
}

/** Declarations of every file of the given programs (each file once) matching the query. */
export function workspaceSymbols(checks: readonly CheckResult[], query: string): WorkspaceSymbol[] {
  const seen = new Set<string>();
  const scored: { s: WorkspaceSymbol; score: number }[] = [];
  const add = (name: string, kind: SymbolKind, file: string, span: { start: number; end: number }, container?: string): void => {
    const score = matchScore(name, query.trim());
    if (score < 0) return;
    scored.push({ s: { name, kind, location: { file, span }, container }, score });
  };
  try {
    for (const check of checks) {
      for (const [file, tree] of check.trees) {
        if (seen.has(file)) continue;
        seen.add(file);
        for (const item of tree.items) {
          if (item.kind !== 'block' || !item.name) continue;
          const name = blockName(item);
          add(name, item.blockKind as SymbolKind, file, item.name.span);
          for (const m of item.members) {
            if (m.kind === 'block' && m.name) add(blockName(m), 'node', file, m.name.span, name);
          }
        }
      }
    }
  } catch {
    // a malformed tree: return what was found
  }
  scored.sort((a, b) => b.score - a.score || a.s.name.length - b.s.name.length || (a.s.name < b.s.name ? -1 : a.s.name > b.s.name ? 1 : 0));
  return scored.slice(0, 1000).map((x) => x.s);
}
