// The editor's side of `topo size`: where each target's code lens goes, what it says, and the
// quick fix that rewrites a node range to the sized count. The sizing itself (core/sizing) runs
// off the typing path (the server's worker); this module only reads its result.
import { checkProgram, type CheckResult } from '../check';
import type { FileHost } from '../host';
import { expandNameRange } from '../model/ranges';
import type { Model } from '../model/types';
import { groupDigits } from '../model/units';
import { groupTargets } from '../placement/targets';
import type { SizeTarget } from '../sizing/index';
import type { Block, Property, RangeRef } from '../syntax/ast';
import type { Span, TextEdit } from '../text';

/** Where a target's lens goes: the declaration of its rack or SDS, or the first container placed on a node set. */
export interface SizingAnchor {
  /** `kind:name`, as sizing names the target. */
  readonly key: string;
  readonly file: string;
  readonly span: Span;
  /** The whole declaration the lens is on (the quick fix is offered inside it). */
  readonly block: Span;
}

export function sizingKey(t: { readonly kind: SizeTarget['kind']; readonly name: string }): string {
  return `${t.kind}:${t.name}`;
}

/** One anchor per target some container is placed on, in the order sizing reports them (cheap: no placement). */
export function sizingAnchors(model: Model): SizingAnchor[] {
  return groupTargets(model).groups.map((g) => {
    const block = g.kind === 'rack' ? model.racks[g.ref].block : g.kind === 'sds' ? model.sdses[g.ref].block : model.containers[g.containers[0]].block;
    return { key: sizingKey(g), file: block.file, span: { start: block.span.start, end: block.span.start }, block: block.span };
  });
}

/** Why a file is not sized: its errors other than capacity (T4xx), which sizing removes; null when it can be sized. */
export function notSizedReason(check: CheckResult): string | null {
  const blocking = check.diagnostics.filter((d) => d.severity === 'error' && !d.code.startsWith('T4'));
  if (blocking.length === 0) return null;
  return `not sized: fix the ${blocking.length === 1 ? `error ${blocking[0].code}` : `${blocking.length} errors`} first`;
}

/** 12345.5 -> `12,345.50`; whole amounts without decimals (as `topo size` prints money). */
export function formatMoney(v: number): string {
  if (Math.abs(v - Math.round(v)) < 0.005) return groupDigits(Math.round(v));
  const [int, frac] = v.toFixed(2).split('.');
  return `${groupDigits(Number(int))}.${frac}`;
}

const LENS_PROBLEM_CHARS = 90;

/** `needs 5 of 7 nodes · decided by memory · saves 24,000` (money only when priced). */
export function sizingLensTitle(t: SizeTarget): string {
  const now = t.now.nodes;
  if (!t.needed) {
    const why = (t.problem ?? 'no count works').replace(/\s+/g, ' ');
    return `cannot be sized: ${why.length > LENS_PROBLEM_CHARS ? `${why.slice(0, LENS_PROBLEM_CHARS - 1)}…` : why}`;
  }
  const n = t.needed.nodes;
  const parts = [`needs ${n} of ${now} node${now === 1 ? '' : 's'}`];
  if (t.reason) parts.push(`decided by ${t.reason}`);
  if (t.now.total !== undefined && t.needed.total !== undefined) {
    const d = t.now.total - t.needed.total;
    if (Math.abs(d) >= 0.005) parts.push(d > 0 ? `saves ${formatMoney(d)}` : `costs ${formatMoney(-d)} more`);
  }
  if (t.localityMet === false) parts.push('locality under the threshold');
  if (t.spares) parts.push(`${t.spares} spare${t.spares === 1 ? '' : 's'} besides`);
  return parts.join(' · ');
}

/** `n1..n7` with `count` nodes from the same first name: `n1..n5`, or `n1` for one. Null when the range is not of that form. */
function rangeText(first: string, last: string, count: number): { text: string; last: string } | null {
  const e = expandNameRange(first, last);
  if ('error' in e) return null;
  const m = /^(.*?)(\d+)$/.exec(first);
  if (!m || count < 1) return null;
  const width = m[2].length > 1 && m[2].startsWith('0') ? m[2].length : 0;
  const end = m[1] + String(Number(m[2]) + count - 1).padStart(width, '0');
  return { text: count === 1 ? first : `${first}..${end}`, last: end };
}

/** The one `node A..B` declaration all of `ids` come from (all active, nothing else active there), as its span and ends. */
function oneRange(model: Model, ids: readonly number[], text: (file: string) => string): { file: string; span: Span; first: string; last: string } | null {
  if (ids.length < 1) return null;
  const at = model.nodes[ids[0]].nameAt;
  if (ids.some((id) => model.nodes[id].nameAt.file !== at.file || model.nodes[id].nameAt.span.start !== at.span.start)) return null;
  const m = /^\s*([A-Za-z_][\w-]*)\s*\.\.\s*([A-Za-z_][\w-]*)\s*$/.exec(text(at.file).slice(at.span.start, at.span.end));
  if (!m) return null;
  const declared = model.nodes.filter((n) => n.nameAt.file === at.file && n.nameAt.span.start === at.span.start);
  if (declared.length !== ids.length) return null;
  return { file: at.file, span: at.span, first: m[1], last: m[2] };
}

function findBlock(check: CheckResult, file: string, span: Span): Block | null {
  const tree = check.trees.get(file);
  return tree?.items.find((i): i is Block => i.kind === 'block' && i.span.start === span.start) ?? null;
}

/** The SDS's `nodes r1.n1..r1.n7` (or `..n7`): the range and the span of its last name. */
function sdsRange(check: CheckResult, sdsId: number): { file: string; range: RangeRef } | null {
  const s = check.model.sdses[sdsId];
  const block = findBlock(check, s.block.file, s.block.span);
  const prop = block?.members.find((m): m is Property => m.kind === 'property' && m.name.text === 'nodes');
  if (!prop || prop.args.length !== 1 || prop.args[0].kind !== 'range' || !prop.args[0].to) return null;
  return { file: s.block.file, range: prop.args[0] };
}

/** The edits that set a target's node range to `count` nodes, or null when its nodes are not written as one range (not checked: see sizingFix). */
export function resizeEdits(check: CheckResult, t: SizeTarget, count: number): TextEdit[] | null {
  const model = check.model;
  const g = groupTargets(model).groups.find((x) => sizingKey(x) === sizingKey(t));
  if (!g || g.kind === 'nodes') return null;
  const text = (file: string): string => check.trees.get(file)?.text ?? '';
  const active = g.nodes.filter((id) => model.nodes[id].role === 'active');
  if (active.length !== g.nodes.length) return null; // spares share the range: left to the writer
  const decl = oneRange(model, active, text);
  if (!decl) return null;
  const rack = rangeText(decl.first, decl.last, count);
  if (!rack) return null;
  if (g.kind === 'rack') return [{ file: decl.file, span: decl.span, newText: rack.text }];
  const sr = sdsRange(check, g.ref);
  if (!sr || !sr.range.to) return null;
  const from = sr.range.from.parts, to = sr.range.to.parts;
  if (from.length !== 2 || from[1].text !== decl.first || to[to.length - 1].text !== decl.last) return null;
  const lastRef = to.length === 2 ? `${to[0].text}.${rack.last}` : rack.last;
  const sdsText = count === 1 ? `${from[0].text}.${from[1].text}` : `${from[0].text}.${from[1].text}..${lastRef}`;
  return [{ file: decl.file, span: decl.span, newText: rack.text }, { file: sr.file, span: sr.range.span, newText: sdsText }];
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** Error diagnostics as `code message` keys, counted. */
function errorCounts(check: CheckResult): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of check.diagnostics) if (d.severity === 'error') m.set(d.code, (m.get(d.code) ?? 0) + 1);
  return m;
}

/** Whether sizing gave a count to rewrite to: a different one, and (SDS) with the locality threshold met there. */
export function resizable(t: SizeTarget): t is SizeTarget & { readonly needed: NonNullable<SizeTarget['needed']> } {
  return t.needed !== null && t.needed.nodes !== t.now.nodes && t.localityMet !== false;
}

export interface SizingFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/**
 * The quick fix of a sized target: its node range rewritten to the needed count, when its nodes
 * are one range in the checked file and the rewritten text checks with no error code more than
 * before. Null otherwise (no count, already the count, several declarations, a new error).
 */
export function sizingFix(check: CheckResult, file: string, host: FileHost, t: SizeTarget): SizingFix | null {
  if (!resizable(t)) return null;
  const edits = resizeEdits(check, t, t.needed.nodes);
  if (!edits || edits.some((e) => e.file !== file)) return null;
  const after = checkProgram(file, host, { rootText: applyEdits(check.trees.get(file)?.text ?? '', edits) });
  const before = errorCounts(check);
  for (const [code, n] of errorCounts(after)) if (n > (before.get(code) ?? 0)) return null;
  const kind = t.kind === 'sds' ? 'SDS' : 'rack';
  return { title: `Resize ${kind} ${t.name} to ${t.needed.nodes} node${t.needed.nodes === 1 ? '' : 's'} (sized; it has ${t.now.nodes})`, edits };
}
