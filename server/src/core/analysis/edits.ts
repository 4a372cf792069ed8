/**
 * Text edits for capacity quick fixes: replace a value, insert a property line into a block,
 * delete a property, set an oversubscription ratio wherever it is (or is not yet) written.
 */

import type { Fix } from '../diagnostics';
import type { BlockLocation, Container, Model, Sds } from '../model/types';
import type { Location, TextEdit } from '../text';
import { formatRatio } from '../placement/format';
import { parseFile } from '../syntax/parser';
import { onlyItsWords } from '../syntax/own-words';
import { propertySpec } from '../syntax/schema';
import { propertyDeletionSpan, propertyInsertion } from '../syntax/edits';

/** The text of a file, when known (fixes that need it are left out otherwise). */
export type SourceOf = (file: string) => string | undefined;

export function replace(at: Location, newText: string): TextEdit {
  return { file: at.file, span: { start: at.span.start, end: at.span.end }, newText };
}

/** Inserts `line` as the last property of a block, indented like the block's other lines. */
export function insertLine(source: SourceOf, block: BlockLocation, line: string): TextEdit | null {
  const text = source(block.file);
  if (text === undefined || block.bodyEnd < 0 || block.bodyStart < 0) return null;
  const { at, newText } = propertyInsertion(text, block.bodyStart, block.bodyEnd, line);
  return { file: block.file, span: { start: at, end: at }, newText };
}

/**
 * Deletes the property whose value is at `value` and whose keyword is `keyword`: the whole
 * line when the property is alone on it, otherwise just `keyword value` (a comment after it
 * stays).
 */
export function deleteProperty(source: SourceOf, value: Location, keyword: string): TextEdit | null {
  const text = source(value.file);
  if (text === undefined) return null;
  let k = value.span.start;
  while (k > 0 && (text[k - 1] === ' ' || text[k - 1] === '\t')) k--;
  if (text.slice(k - keyword.length, k) !== keyword) return null;
  return { file: value.file, span: propertyDeletionSpan(text, k - keyword.length, value.span.end), newText: '' };
}

/**
 * Deletes every `keyword` property of a top-level block. A property given twice (T305) is
 * bound from its last copy: deleting only that one would bring the earlier one back.
 */
export function deleteProperties(source: SourceOf, block: BlockLocation, keyword: string): TextEdit[] {
  const text = source(block.file);
  if (text === undefined) return [];
  const tree = parseFile(text, block.file).tree;
  const decl = tree.items.find((i) => i.kind === 'block' && i.span.start === block.span.start && i.span.end === block.span.end);
  if (!decl || decl.kind !== 'block') return [];
  const edits: TextEdit[] = [];
  const spec = propertySpec(decl.blockKind, keyword);
  for (const m of decl.members) {
    if (m.kind !== 'property' || m.name.text !== keyword || m.args.length === 0) continue;
    // words the property does not take may be a property the user meant (T104): no fix deletes them
    if (spec && !onlyItsWords(spec, m)) return [];
    // all of its values (an extra one, reported by the binder, would be left as a stray token)
    const e = deleteProperty(source, { file: block.file, span: { start: m.args[0].span.start, end: m.span.end } }, keyword);
    // a comment inside what would go (a list continued over lines) is kept: no fix then
    if (!e || tree.comments.some((c) => c.span.start >= e.span.start && c.span.start < e.span.end)) return [];
    edits.push(e);
  }
  return edits;
}

export type Resource = 'cpu' | 'memory';

/**
 * Sets the CPU or memory oversubscription ratio of an SDS (its own block) or of packed targets
 * (the defaults): edits the written value, or adds the key next to the other ratio, or adds an
 * `oversubscribe` line, or a whole `defaults` block at the top of the root file.
 */
export function ratioEdit(model: Model, source: SourceOf, sds: Sds | null, res: Resource, value: number): TextEdit | null {
  const v = formatRatio(value);
  const at = sds ? sds.at : model.defaults.at;
  const mine = res === 'cpu' ? at.cpuRatio : at.memoryRatio;
  if (mine) return replace(mine, v);
  const other = res === 'cpu' ? at.memoryRatio : at.cpuRatio;
  if (other) return { file: other.file, span: { start: other.span.end, end: other.span.end }, newText: ` ${res} ${v}` };
  const block = sds ? sds.block : model.defaults.block;
  if (block) return insertLine(source, block, `oversubscribe ${res} ${v}`);
  const root = model.files[0];
  const text = root === undefined ? undefined : source(root);
  if (text === undefined || root === undefined) return null;
  // After a leading comment header, if any.
  let offset = 0;
  const re = /^[ \t]*(#[^\n]*)?(\n|$)/y;
  for (;;) {
    re.lastIndex = offset;
    const m = re.exec(text);
    if (!m || m[0].length === 0) break;
    if (!m[1]) break; // a blank line ends the header
    offset += m[0].length;
  }
  return { file: root, span: { start: offset, end: offset }, newText: `defaults {\n  oversubscribe ${res} ${v}\n}\n\n` };
}

export function ratioFix(model: Model, source: SourceOf, sds: Sds | null, res: Resource, value: number, why: string, preferred: boolean): Fix[] {
  const e = ratioEdit(model, source, sds, res, value);
  const where = sds ? `SDS \`${sds.name}\`` : 'the defaults';
  return e ? [{ title: `Raise \`oversubscribe ${res}\` of ${where} to ${formatRatio(value)} (${why})`, edits: [e], preferred }] : [];
}

/** Moves a container to another target by rewriting (or adding) its `place on`. */
export function moveFix(source: SourceOf, c: Container, targetText: string, title: string, preferred: boolean): Fix[] {
  if (c.target && !c.targetImplicit) return [{ title, edits: [replace(c.target.at, targetText)], preferred }];
  const e = insertLine(source, c.block, `place on ${targetText}`);
  return e ? [{ title, edits: [e], preferred }] : [];
}

export function replicasFix(c: Container, n: number, why: string, preferred: boolean): Fix[] {
  if (!c.at.replicas || n < 1 || n >= c.replicas) return [];
  return [{ title: `Lower \`replicas\` of \`${c.name}\` to ${n} (${why})`, edits: [replace(c.at.replicas, String(n))], preferred }];
}

/** Smallest one-decimal ratio r with need <= r (strict: need < r). */
export function ratioAtLeast(need: number, strict: boolean): number {
  const x = need * 10;
  const r = strict ? Math.floor(x + 1e-9) + 1 : Math.ceil(x - 1e-9);
  return Math.max(1, r) / 10;
}
