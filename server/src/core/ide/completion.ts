import type { Block, BlockKind } from '../syntax/ast';
import { BLOCK_DOCS, CHILD_BLOCKS, DECLARATION_KEYWORDS, POLICIES, PRIORITIES, PROPERTIES, ROLES, SPREADS } from '../syntax/schema';
import type { Span } from '../text';
import type { CompletionItem, IdeSnapshot } from './types';

const BLOCK_KINDS: ReadonlySet<string> = new Set(['defaults', 'rack', 'node', 'fabric', 'sds', 'container', 'scenario']);
const ENUMS: Record<string, readonly string[]> = { policy: POLICIES, role: ROLES, priority: PRIORITIES, spread: SPREADS };

function isWordChar(c: string): boolean {
  return /[A-Za-z0-9_-]/.test(c);
}

/** Text from the line start to the offset, with a trailing comment or open string detected. */
function lineBefore(text: string, offset: number): { line: string; inCommentOrString: boolean } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const line = text.slice(start, offset);
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '#') return { line, inCommentOrString: true };
  }
  return { line, inCommentOrString: inString };
}

/** The keyword of the innermost block enclosing the offset, by brace counting backwards (null at top level). */
function enclosingBlock(text: string, offset: number): BlockKind | null {
  // Mask comments and strings forwards, then count braces backwards.
  const masked: string[] = [];
  let inString = false;
  let inComment = false;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (inComment) { if (c === '\n') inComment = false; masked.push(c === '\n' ? c : ' '); continue; }
    if (inString) {
      if (c === '\\') { masked.push(' '); i++; if (i < offset) masked.push(' '); continue; }
      if (c === '"' || c === '\n') inString = false;
      masked.push(' ');
      continue;
    }
    if (c === '#') { inComment = true; masked.push(' '); continue; }
    if (c === '"') { inString = true; masked.push(' '); continue; }
    masked.push(c);
  }
  const m = masked.join('');
  let depth = 0;
  for (let i = m.length - 1; i >= 0; i--) {
    if (m[i] === '}') depth++;
    else if (m[i] === '{') {
      if (depth === 0) {
        const head = m.slice(m.lastIndexOf('\n', i - 1) + 1, i).trim().split(/\s+/)[0] ?? '';
        const prevBreak = Math.max(m.lastIndexOf('}', i - 1), m.lastIndexOf('{', i - 1));
        const words = m.slice(prevBreak + 1, i).trim().split(/\s+/);
        const kw = BLOCK_KINDS.has(head) ? head : words[0];
        return BLOCK_KINDS.has(kw) ? (kw as BlockKind) : null;
      }
      depth--;
    }
  }
  return null;
}

function declaredNames(s: IdeSnapshot): Map<string, { kind: BlockKind; block: Block }[]> {
  const out = new Map<string, { kind: BlockKind; block: Block }[]>();
  const visit = (b: Block): void => {
    if (b.name && b.name.kind === 'word') {
      const list = out.get(b.blockKind) ?? [];
      list.push({ kind: b.blockKind, block: b });
      out.set(b.blockKind, list);
    }
    for (const m of b.members) if (m.kind === 'block') visit(m);
  };
  for (const tree of s.check.trees.values()) for (const item of tree.items) if (item.kind === 'block') visit(item);
  return out;
}

function nameOf(b: Block): string {
  return b.name && b.name.kind === 'word' ? b.name.text : '';
}

/** Completion items at the offset: keywords, properties, enum values and names, from the text before the cursor. */
export function completion(s: IdeSnapshot, offset: number): CompletionItem[] {
  const text = s.text;
  offset = Math.max(0, Math.min(offset, text.length));
  const { line, inCommentOrString } = lineBefore(text, offset);
  if (inCommentOrString) return [];
  let start = offset;
  while (start > 0 && isWordChar(text[start - 1])) start--;
  const replace: Span = { start, end: offset };
  const partial = text.slice(start, offset);
  const beforeWord = line.slice(0, line.length - partial.length);
  const words = beforeWord.replace(/[{}]/g, ' ').trim().split(/\s+/).filter((w) => w.length > 0);
  const block = enclosingBlock(text, start);
  const names = declaredNames(s);

  // A dotted reference being typed: RACK. -> nodes.
  const dotted = /([A-Za-z0-9_\-.]+)\.$/.exec(beforeWord);
  if (dotted) {
    const rack = (names.get('rack') ?? []).find((r) => nameOf(r.block) === dotted[1]);
    if (!rack) return [];
    return rack.block.members
      .filter((m): m is Block => m.kind === 'block' && m.blockKind === 'node')
      .map((n) => ({ label: nameOf(n), kind: 'reference' as const, detail: 'node', replace }))
      .filter((i) => i.label !== '');
  }

  const last = words[words.length - 1];
  const first = words[0];
  // Unit after a number.
  if (/^[0-9.]+$/.test(partial.replace(/[A-Za-z%]+$/, '')) && /^[0-9]/.test(partial)) {
    const units = ['m', 'KiB', 'MiB', 'GiB', 'TiB', 'Mbps', 'Gbps', 'ms', 's', 'min', '%'];
    const numEnd = start + (/^[0-9.]+/.exec(partial)?.[0].length ?? 0);
    return units.map((u) => ({ label: u, kind: 'unit' as const, replace: { start: numEnd, end: offset } }));
  }
  if (words.length > 0 && last !== undefined) {
    if (words.length === 1 && ENUMS[last]) {
      return ENUMS[last].map((v) => ({ label: v, kind: 'value' as const, replace }));
    }
    if (first === 'place' && words.length === 1) return [{ label: 'on', kind: 'keyword', replace }];
    if (first === 'place' && last === 'on') {
      const targets = [...(names.get('sds') ?? []), ...(names.get('rack') ?? [])];
      return targets.map((t) => ({ label: nameOf(t.block), kind: 'reference' as const, detail: t.kind, replace }));
    }
    if (first === 'talks' || first === 'colocate') {
      return (names.get('container') ?? []).map((t) => ({ label: nameOf(t.block), kind: 'reference' as const, detail: 'container', replace }));
    }
    return [];
  }
  // Start of a statement.
  if (block === null) {
    return DECLARATION_KEYWORDS.map((k) => ({
      label: k,
      kind: 'keyword' as const,
      documentation: BLOCK_DOCS[k],
      insertText: k === 'import' ? 'import "${1:file.topo}"' : k === 'defaults' ? 'defaults {\n\t$0\n}' : `${k} \${1:name} {\n\t$0\n}`,
      snippet: true,
      replace,
    }));
  }
  const given = new Set<string>();
  // Properties already written in the enclosing block (same-depth lines between its `{` and the cursor or its `}`).
  const blockStart = text.lastIndexOf('{', start);
  for (const l of text.slice(blockStart + 1, start).split('\n')) {
    const w = l.trim().split(/\s+/)[0];
    if (w) given.add(w);
  }
  const items: CompletionItem[] = PROPERTIES[block]
    .filter((p) => p.repeatable === true || !given.has(p.name))
    .map((p) => ({ label: p.name, kind: 'property' as const, detail: p.syntax, documentation: p.doc, insertText: p.snippet, snippet: true, replace }));
  for (const child of CHILD_BLOCKS[block] ?? []) {
    items.push({ label: child, kind: 'keyword', documentation: BLOCK_DOCS[child], insertText: `${child} \${1:name} {\n\t$0\n}`, snippet: true, replace });
  }
  return items;
}
