import { expandNameRange } from '../model/ranges';
import type { Arg, Block, Member, RangeRef } from '../syntax/ast';
import type { Span } from '../text';
import type { CodeAction, IdeSnapshot } from './types';

/** Most nodes "expand node range" writes out. */
const MAX_EXPAND = 256;

function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /^[ \t]*/.exec(text.slice(start, offset));
  return m ? m[0] : '';
}

function racksOf(s: IdeSnapshot): Block[] {
  const tree = s.check.trees.get(s.file);
  if (!tree) return [];
  return tree.items.filter((i): i is Block => i.kind === 'block' && i.blockKind === 'rack');
}

/** `node n1..n3 { ... }` -> `node n1 { ... }`, `node n2 { ... }`, `node n3 { ... }`. */
export function expandRangeActions(s: IdeSnapshot, span: Span): CodeAction[] {
  const out: CodeAction[] = [];
  for (const rack of racksOf(s)) {
    if (!overlaps(rack.span, span)) continue;
    for (const m of rack.members) {
      if (m.kind !== 'block' || m.blockKind !== 'node' || !m.name || m.name.kind !== 'word' || !m.rangeEnd || !m.open || !m.close) continue;
      const head = { start: m.keyword.span.start, end: m.open.end };
      if (!overlaps(head, span)) continue;
      const e = expandNameRange(m.name.text, m.rangeEnd.text);
      if ('error' in e || e.names.length > MAX_EXPAND) continue;
      const text = s.text.slice(m.span.start, m.span.end);
      const nameStart = m.name.span.start - m.span.start;
      const nameEnd = m.rangeEnd.span.end - m.span.start;
      const indent = lineIndent(s.text, m.span.start);
      const blocks = e.names.map((n) => text.slice(0, nameStart) + n + text.slice(nameEnd));
      out.push({
        title: `Expand node range \`${m.name.text}..${m.rangeEnd.text}\` into ${e.names.length} node blocks`,
        kind: 'refactor.rewrite',
        edits: [{ file: s.file, span: m.span, newText: blocks.join(`\n${indent}`) }],
        diagnostics: [],
      });
    }
  }
  return out;
}

/**
 * The body between the braces with whitespace runs collapsed (comments make bodies differ),
 * and the properties the parser read from it: a line break can end a property, so `cores\n8`
 * and `cores 8` are different bodies although their words are the same.
 */
function bodyKey(text: string, b: Block): string | null {
  if (!b.open || !b.close) return null;
  const read = b.members.map((m) => (m.kind === 'property' ? `${m.name.text}(${m.args.map((a) => text.slice(a.span.start, a.span.end).replace(/\s+/g, '')).join(' ')})` : `block ${m.span.start}`)).join(';');
  return `${text.slice(b.open.end, b.close.start).replace(/\s+/g, ' ').trim()}\u0000${read}`;
}

/** Consecutive identical node blocks with numbered names (`n1`, `n2`, `n3`) -> `node n1..n3 { ... }`. */
export function collapseRangeActions(s: IdeSnapshot, span: Span): CodeAction[] {
  const out: CodeAction[] = [];
  const text = s.text;
  for (const rack of racksOf(s)) {
    if (!overlaps(rack.span, span)) continue;
    const members = rack.members;
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      if (!isSingleNode(m) || !overlaps(m.span, span)) continue;
      const key = bodyKey(text, m);
      // Grow the run of identical blocks around the one under the cursor, separated only by whitespace.
      let lo = i;
      let hi = i;
      while (lo > 0 && sameRun(text, members[lo - 1], members[lo], key)) lo--;
      while (hi + 1 < members.length && sameRun(text, members[hi], members[hi + 1], key)) hi++;
      // Keep the longest prefix of the run whose names form a range.
      const run = members.slice(lo, hi + 1) as Block[];
      const best = longestRange(run, i - lo);
      if (!best) continue;
      const first = best[0];
      const last = best[best.length - 1];
      const firstName = (first.name as { text: string }).text;
      const lastName = (last.name as { text: string }).text;
      const firstText = text.slice(first.span.start, first.span.end);
      const nameRel = { start: first.name!.span.start - first.span.start, end: first.name!.span.end - first.span.start };
      const newText = firstText.slice(0, nameRel.start) + `${firstName}..${lastName}` + firstText.slice(nameRel.end);
      out.push({
        title: `Collapse ${best.length} identical nodes into the range \`${firstName}..${lastName}\``,
        kind: 'refactor.rewrite',
        edits: [{ file: s.file, span: { start: first.span.start, end: last.span.end }, newText }],
        diagnostics: [],
      });
      break;
    }
  }
  return out;
}

function isSingleNode(m: Block | { kind: 'property' }): m is Block {
  return m.kind === 'block' && m.blockKind === 'node' && m.name !== null && m.name.kind === 'word' && m.rangeDots === null && m.open !== null && m.close !== null;
}

function sameRun(text: string, a: Block | { kind: 'property'; span: Span }, b: Block | { kind: 'property'; span: Span }, key: string | null): boolean {
  if (key === null || !isSingleNode(a) || !isSingleNode(b)) return false;
  if (bodyKey(text, a) !== key || bodyKey(text, b) !== key) return false;
  return text.slice(a.span.end, b.span.start).trim() === '';
}

/** The longest contiguous sub-run containing index `at` whose names are exactly expandNameRange(first, last). */
function longestRange(run: readonly Block[], at: number): Block[] | null {
  const names = run.map((b) => (b.name && b.name.kind === 'word' ? b.name.text : ''));
  let best: Block[] | null = null;
  for (let lo = 0; lo <= at; lo++) {
    for (let hi = run.length - 1; hi >= Math.max(at, lo + 1); hi--) {
      if (best && hi - lo + 1 <= best.length) break;
      const e = expandNameRange(names[lo], names[hi]);
      if ('error' in e || e.names.length !== hi - lo + 1) continue;
      if (e.names.every((n, k) => n === names[lo + k])) best = run.slice(lo, hi + 1);
    }
  }
  return best;
}

/** The node range references (`r1.n1..n4`) in the arguments of a block and its blocks. */
function rangeRefs(members: readonly Member[], out: RangeRef[]): RangeRef[] {
  const visit = (a: Arg): void => {
    if (a.kind === 'range') out.push(a);
    else if (a.kind === 'list') a.items.forEach(visit);
  };
  for (const m of members) {
    if (m.kind === 'block') rangeRefs(m.members, out);
    else m.args.forEach(visit);
  }
  return out;
}

/**
 * `r1.n1..n4` -> `r1.n1, r1.n2, r1.n3, r1.n4`: a list names the same nodes, and each of them
 * can then be renamed on its own (a rename refuses a node a range reference names).
 */
export function rangeToListActions(s: IdeSnapshot, span: Span): CodeAction[] {
  const tree = s.check.trees.get(s.file);
  if (!tree) return [];
  const out: CodeAction[] = [];
  for (const item of tree.items) {
    if (item.kind !== 'block' || !overlaps(item.span, span)) continue;
    for (const r of rangeRefs(item.members, [])) {
      if (!overlaps(r.span, span) || !r.to || r.from.star || r.to.star || r.from.parts.length !== 2) continue;
      // (a range with a dot against either end, `r1.n1..n4..`, is part of a malformed reference: its list would read differently)
      if (s.text[r.span.end] === '.' || s.text[r.span.start - 1] === '.') continue;
      const rack = r.from.parts[0].text;
      if (r.to.parts.length > 2 || (r.to.parts.length === 2 && r.to.parts[0].text !== rack)) continue;
      const e = expandNameRange(r.from.parts[1].text, r.to.parts[r.to.parts.length - 1].text);
      if ('error' in e || e.names.length > MAX_EXPAND) continue;
      // only a range that names nodes that all exist: a list of missing nodes binds differently
      const declared = new Set(s.check.model.nodes.filter((n) => s.check.model.racks[n.rack]?.name === rack).map((n) => n.name));
      if (!e.names.every((n) => declared.has(n))) continue;
      const written = s.text.slice(r.span.start, r.span.end);
      out.push({
        title: `Rewrite node range \`${written}\` as a list of ${e.names.length} nodes`,
        kind: 'refactor.rewrite',
        edits: [{ file: s.file, span: r.span, newText: e.names.map((n) => `${rack}.${n}`).join(', ') }],
        diagnostics: [],
      });
    }
  }
  return out;
}
