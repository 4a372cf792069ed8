import { expandNameRange } from '../model/ranges';
import type { Location, Span, TextEdit } from '../text';
import { declarationsOf, itemAt, occurrencesOf, programIndex, type Classified, type ProgramIndex } from './program-index';
import type { Highlight, IdeSnapshot, RenameResult } from './types';

interface Found {
  readonly ix: ProgramIndex;
  readonly item: Classified;
  readonly keys: readonly string[];
}

/** The declared name (or reference to one) under the offset. */
function nameAt(s: IdeSnapshot, offset: number): Found | null {
  const ix = programIndex(s.check);
  const item = itemAt(ix, s.file, offset);
  if (!item || !item.keys || item.keys.length === 0) return null;
  return { ix, item, keys: item.keys };
}

/** The declaration(s) of the name under the offset (for a node range, the `n1..n8` words). */
export function definition(s: IdeSnapshot, offset: number): Location[] {
  try {
    const f = nameAt(s, offset);
    if (!f) return [];
    return declarationsOf(s.check, f.keys).map((d) => d.at);
  } catch {
    return [];
  }
}

/** Every use (and optionally the declaration) of the name under the offset, in all files of the program. */
export function references(s: IdeSnapshot, offset: number, includeDeclaration: boolean): Location[] {
  try {
    const f = nameAt(s, offset);
    if (!f || declarationsOf(s.check, f.keys).length === 0) return [];
    const out = occurrencesOf(f.ix, f.keys)
      .filter((o) => includeDeclaration || !o.item.decl)
      .map((o) => ({ file: o.file, span: o.item.span }));
    // Node ranges `r1.n1..n4` that name one of these nodes without writing it.
    const want = new Set(f.keys);
    for (const [file, fi] of f.ix.files) {
      const groups = new Map<readonly string[], Span>();
      for (const it of fi.items) {
        if (!it.covers || !it.covers.some((k) => want.has(k))) continue;
        const g = groups.get(it.covers);
        groups.set(it.covers, g ? { start: Math.min(g.start, it.span.start), end: Math.max(g.end, it.span.end) } : it.span);
      }
      for (const span of groups.values()) {
        if (!out.some((l) => l.file === file && l.span.start <= span.start && span.end <= l.span.end) && !out.some((l) => l.file === file && span.start <= l.span.start && l.span.end <= span.end)) out.push({ file, span });
      }
    }
    return out;
  } catch {
    return [];
  }
}

/** Occurrences in this file of the name under the offset: declarations are 'write', uses 'read'. */
export function documentHighlights(s: IdeSnapshot, offset: number): Highlight[] {
  try {
    const f = nameAt(s, offset);
    if (!f) return [];
    return occurrencesOf(f.ix, f.keys)
      .filter((o) => o.file === s.file)
      .map((o) => ({ span: o.item.span, kind: o.item.decl ? ('write' as const) : ('read' as const) }));
  } catch {
    return [];
  }
}

/** The name under the offset when it names a declared rack, node, device, SDS, container or scenario (null where {@link renameTarget} refuses). */
export function prepareRename(s: IdeSnapshot, offset: number): { span: Span; placeholder: string } | null {
  const t = renameTarget(s, offset);
  return t && 'span' in t ? t : null;
}

/**
 * What a rename at the offset renames (the span and the text an editor offers to change), or
 * why it cannot: a member of a node range, or a node a range reference names, has no name of
 * its own. On a node range declaration (`n1..n4`) it is the whole range. Null: no name here.
 */
export function renameTarget(s: IdeSnapshot, offset: number): { span: Span; placeholder: string } | { error: string } | null {
  try {
    const f = nameAt(s, offset);
    if (!f) return null;
    const decls = declarationsOf(s.check, f.keys);
    if (decls.length === 0) return null;
    const whole = wholeRange(s, f, decls);
    if (whole) return { span: whole.span, placeholder: s.text.slice(whole.span.start, whole.span.end) };
    if (keyName(f.keys[0]).kind === 'node') {
      const refused = nodeRefusal(s, f, decls);
      if (refused) return refused;
    }
    const text = s.text.slice(f.item.span.start, f.item.span.end);
    const placeholder = text.startsWith('"') ? text.slice(1, text.endsWith('"') && text.length > 1 ? -1 : undefined) : text;
    return { span: f.item.span, placeholder };
  } catch {
    return null;
  }
}

/** The declaration `n1..n4` when the name under the cursor is a word of it and it alone declares its nodes. */
function wholeRange(s: IdeSnapshot, f: Found, decls: readonly { at: Location; range: boolean }[]): Location | null {
  if (!f.item.inRangeDecl || f.keys.length < 2 || decls.length !== 1 || !decls[0].range) return null;
  const at = decls[0].at;
  if (at.file !== s.file || at.span.start > f.item.span.start || f.item.span.end > at.span.end) return null;
  // every node of the range is declared here (not first by another declaration: T201)
  const nodes = new Set(s.check.model.nodes.filter((n) => n.nameAt.file === at.file && n.nameAt.span.start === at.span.start).map((n) => `node:${n.ref}`));
  return f.keys.every((k) => nodes.has(k)) ? at : null;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function validIdentifier(name: string): boolean {
  return IDENT.test(name) && !name.endsWith('-');
}

function keyName(key: string): { kind: string; path: string[] } {
  const i = key.indexOf(':');
  const kind = key.slice(0, i);
  const rest = key.slice(i + 1);
  return { kind, path: kind === 'scn' ? [rest] : rest.split('.') };
}

/** Renames a name everywhere in the program, or explains why it cannot. */
export function rename(s: IdeSnapshot, offset: number, newName: string): RenameResult | { error: string } {
  try {
    return renameUnsafe(s, offset, newName);
  } catch (e) {
    return { error: `Cannot rename here: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function renameUnsafe(s: IdeSnapshot, offset: number, newName: string): RenameResult | { error: string } {
  const f = nameAt(s, offset);
  if (!f) return { error: 'Nothing to rename here: place the cursor on the name of a rack, node, device, SDS, container or scenario.' };
  const decls = declarationsOf(s.check, f.keys);
  if (decls.length === 0) return { error: `\`${s.text.slice(f.item.span.start, f.item.span.end)}\` is not declared anywhere in this program, so it cannot be renamed.` };
  const model = s.check.model;
  const { kind, path } = keyName(f.keys[0]);
  const oldText = s.text.slice(f.item.span.start, f.item.span.end);
  // One declaration can name several symbols (`disk nvme0` in `node n1..n6 { }` declares the
  // device on six nodes): renaming it renames all of them, so their uses must follow too.
  const keys = new Set(f.keys);
  for (const o of occurrencesOf(f.ix, f.keys)) if (o.item.decl) for (const k of o.item.keys ?? []) keys.add(k);

  const whole = wholeRange(s, f, decls);
  if (whole) return renameRange(s, f, whole, newName);
  if (kind === 'node') {
    const refused = nodeRefusal(s, f, decls);
    if (refused) return refused;
  }

  const isString = oldText.startsWith('"');
  if (kind === 'scn') {
    if (newName.length === 0 || /["\\\n\r]/.test(newName)) return { error: `\`${newName}\` is not a valid scenario name: use a name or text without quotes, backslashes or line breaks.` };
    if (!isString && !validIdentifier(newName)) return { error: `\`${newName}\` is not a valid name: a name starts with a letter or \`_\` and has letters, digits, \`_\` or \`-\` (not at the end).` };
    if (newName !== path[0] && model.scenarios.some((x) => x.name === newName)) return { error: `a scenario called \`${newName}\` already exists.` };
  } else {
    if (!validIdentifier(newName)) return { error: `\`${newName}\` is not a valid name: a name starts with a letter or \`_\` and has letters, digits, \`_\` or \`-\` (not at the end).` };
    const old = path[path.length - 1];
    if (newName !== old) {
      if (kind === 'name') {
        const taken = f.ix.namespace.get(newName);
        if (taken) return { error: `\`${newName}\` is already the name of a ${taken === 'sds' ? 'SDS' : taken}: racks, SDSes and containers share one namespace.` };
      } else if (kind === 'node') {
        const rack = model.racks.find((r) => r.name === path[0]);
        if (rack && rack.nodes.some((id) => model.nodes[id].name === newName)) return { error: `rack \`${path[0]}\` already has a node \`${newName}\`.` };
      } else if (kind === 'dev') {
        // a table, not a scan per key: a range declares a device on up to 10,000 nodes
        const byRef = new Map(model.nodes.map((n) => [n.ref, n]));
        for (const key of keys) {
          const p = keyName(key).path;
          const node = byRef.get(`${p[0]}.${p[1]}`);
          if (node && node.disks.some((d) => d.name === newName)) return { error: `node \`${node.ref}\` already has a device \`${newName}\`.` };
        }
      }
    }
  }
  const newText = kind === 'scn' && isString ? JSON.stringify(newName) : newName;
  const edits: TextEdit[] = [];
  const seen = new Set<string>();
  for (const o of occurrencesOf(f.ix, [...keys])) {
    const id = `${o.file}:${o.item.span.start}:${o.item.span.end}`;
    if (seen.has(id)) continue;
    seen.add(id);
    edits.push({ file: o.file, span: o.item.span, newText });
  }
  return { edits };
}

/** Why a node cannot be renamed on its own (it is a member of a range, or a range reference names it), or null. */
function nodeRefusal(s: IdeSnapshot, f: Found, decls: readonly { at: Location; range: boolean }[]): { error: string } | null {
  const { path } = keyName(f.keys[0]);
  const oldText = s.text.slice(f.item.span.start, f.item.span.end);
  const rangeDecl = decls.find((d) => d.range);
  // a node declared twice (T201), once in a range: the model keeps the first declaration only
  const rangeWords = occurrencesOf(f.ix, f.keys).filter((o) => o.item.inRangeDecl);
  if (rangeDecl || f.item.inRangeDecl || rangeWords.length > 0) {
    const rangeText = (): string => {
      const w = rangeWords.filter((o) => o.file === rangeWords[0].file && o.item.keys === rangeWords[0].item.keys);
      const start = Math.min(...w.map((o) => o.item.span.start));
      const end = Math.max(...w.map((o) => o.item.span.end));
      return (s.check.trees.get(rangeWords[0].file)?.text ?? '').slice(start, end);
    };
    const declText = rangeDecl ? (s.check.trees.get(rangeDecl.at.file)?.text ?? '').slice(rangeDecl.at.span.start, rangeDecl.at.span.end) : f.item.inRangeDecl || rangeWords.length === 0 ? oldText : rangeText();
    return {
      error: `\`${path.join('.')}\` is declared by the node range \`node ${declText}\`: one member of a range cannot be renamed on its own. Rename the whole range at its declaration (\`${declText}\` to another range of as many nodes), or run "Expand node range" first and rename the expanded node.`,
    };
  }
  const key = f.keys[0];
  for (const [, fi] of f.ix.files) {
    for (const it of fi.items) {
      // a range naming the node, or ending in its word (`r1.n01..n3` names n03, but its `n3` is n3's word)
      if (it.covers && (it.covers.includes(key) || it.keys?.includes(key))) {
        return { error: `\`${path.join('.')}\` is part of a node range reference (\`${rangeAround(f.ix, it)}\`): renaming it would change which nodes the range names. Rewrite that range as a list first (the "Rewrite node range as a list" action).` };
      }
    }
  }
  return null;
}

/**
 * Renames a node range declaration as a whole (`n1..n4` -> `h1..h4`): the declaration, every
 * single reference to one of its nodes (`r1.n2` -> `r1.h2`, `r1.n2.nvme0`) and the ends of
 * every range reference (`r1.n1..n4` -> `r1.h1..h4`), node by node in order.
 */
function renameRange(s: IdeSnapshot, f: Found, decl: Location, newName: string): RenameResult | { error: string } {
  const declText = s.text.slice(decl.span.start, decl.span.end);
  const m = /^\s*([^.\s]+)\s*\.\.\s*([^.\s]+)\s*$/.exec(newName);
  const example = f.keys.length > 1 ? ` (e.g. \`h1..h${f.keys.length}\`)` : '';
  if (!m) return { error: `\`${declText}\` is a node range: rename it to another range \`FIRST..LAST\` of ${f.keys.length} nodes${example}, not to \`${newName}\`. To rename one node, run "Expand node range" first.` };
  const [, first, last] = m;
  if (!validIdentifier(first) || !validIdentifier(last)) return { error: `\`${newName}\` is not a valid node range: each end is a name (a letter or \`_\`, then letters, digits, \`_\` or \`-\`) ending in a number.` };
  const e = expandNameRange(first, last);
  if ('error' in e) return { error: `\`${newName}\` is not a valid node range: ${e.error}.` };
  if (e.names.length !== f.keys.length) return { error: `\`${newName}\` names ${e.names.length} nodes and \`${declText}\` declares ${f.keys.length}: a rename keeps the nodes, so write a range of ${f.keys.length}${example}.` };
  const rename = new Map<string, string>(f.keys.map((k, i) => [k, e.names[i]]));
  const rackName = keyName(f.keys[0]).path[0];
  const model = s.check.model;
  const rack = model.racks.find((r) => r.name === rackName);
  const mine = new Set(f.keys);
  const taken = rack ? rack.nodes.map((id) => model.nodes[id]).filter((n) => !mine.has(`node:${n.ref}`) && e.names.includes(n.name)) : [];
  if (taken.length) return { error: `rack \`${rackName}\` already has a node \`${taken[0].name}\`: pick a range whose names are free.` };
  // every range reference that names a renamed node must still name the same nodes after the rename
  for (const [, fi] of f.ix.files) {
    const seen = new Set<readonly string[]>();
    for (const it of fi.items) {
      if (!it.covers || seen.has(it.covers) || !it.covers.some((k) => mine.has(k))) continue;
      seen.add(it.covers);
      const ends = fi.items.filter((x) => x.covers === it.covers);
      const after = it.covers.map((k) => rename.get(k) ?? keyName(k).path[1]);
      const endNames = ends.map((x) => rename.get(x.keys?.[0] ?? '') ?? keyName(x.keys?.[0] ?? 'node:.').path[1]);
      const again = endNames.length === 2 ? expandNameRange(endNames[0], endNames[1]) : { error: '' };
      if ('error' in again || again.names.join(' ') !== after.join(' ')) {
        return { error: `the node range reference \`${rangeAround(f.ix, it)}\` also names nodes outside \`${declText}\`: renaming would change which nodes it names. Rewrite it as a list first (the "Rewrite node range as a list" action).` };
      }
    }
  }
  const edits: TextEdit[] = [{ file: decl.file, span: decl.span, newText: `${first}..${last}` }];
  const seen = new Set<string>();
  for (const o of occurrencesOf(f.ix, f.keys)) {
    if (o.item.decl) continue;
    const to = rename.get(o.item.keys?.[0] ?? '');
    const id = `${o.file}:${o.item.span.start}`;
    if (to === undefined || seen.has(id)) continue;
    seen.add(id);
    edits.push({ file: o.file, span: o.item.span, newText: to });
  }
  return { edits };
}

function rangeAround(ix: ProgramIndex, item: Classified): string {
  for (const [file, fi] of ix.files) {
    if (!fi.items.includes(item)) continue;
    const text = ix.check.trees.get(file)?.text ?? '';
    const same = fi.items.filter((x) => x.covers === item.covers);
    const start = Math.min(...same.map((x) => x.span.start));
    const end = Math.max(...same.map((x) => x.span.end));
    // include the rack head before the first node word
    const before = text.lastIndexOf(' ', start) + 1;
    return text.slice(Math.min(before, start), end).trim();
  }
  return '';
}
