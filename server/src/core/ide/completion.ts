import { dirname, resolvePath } from '../host';
import { expandNameRange, namesFrom } from '../model/ranges';
import { formatBytes, formatCores, formatNumber } from '../model/units';
import type { Model } from '../model/types';
import { sdsCapacity } from '../placement/targets';
import type { Block, RangeRef, Ref } from '../syntax/ast';
import { BLOCK_DOCS, BLOCK_SNIPPETS, CHILD_BLOCKS, DECLARATION_KEYWORDS, PROPERTIES, propertySpec, type PropertySpec } from '../syntax/schema';
import type { Span } from '../text';
import { EVENT_KINDS, EVENT_SYNTAX, isOneOf, type EventKind, ISOLATION_DOCS, PACK_MODE_DOCS, POLICY_DOCS, PRIORITY_DOCS, ROLE_DOCS, SPREAD_DOCS } from '../syntax/words';
import { completionContext, type ArgumentPosition } from './completion-context';
import type { Next, Piece } from './completion-grammar';
import { importableFiles, nodeRangeEnds, typicalValues, UNIT_DOCS, unitsAfter } from './completion-values';
import type { CompletionItem, CompletionSnapshot } from './types';

/** Most name items one completion returns (the client filters by prefix). */
const MAX_NAMES = 2000;
/** Most strings already in use one completion offers (`image |`). */
const MAX_STRINGS = 50;

const ENUM_DOCS: Readonly<Record<string, string>> = { ...POLICY_DOCS, ...ROLE_DOCS, ...PRIORITY_DOCS, ...SPREAD_DOCS, ...PACK_MODE_DOCS, ...ISOLATION_DOCS };

/** What a few sub-keywords mean, beside the syntax line (the others show that line alone). */
const KEY_DOCS: Readonly<Record<string, string>> = {
  request: 'Guaranteed amount (must fit capacity).',
  limit: 'Maximum amount (may be oversubscribed).',
};
const LITERAL_DOCS: Readonly<Record<string, string>> = Object.fromEntries(EVENT_KINDS.map((k) => [k, EVENT_SYNTAX[k].detail]));

function isWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 37;
}

class Names {
  constructor(private readonly model: Model) {}

  racks(): CompletionItem[] {
    return this.model.racks.map((r) => ({ label: r.name, kind: 'reference' as const, detail: `rack · ${r.nodes.length} nodes` }));
  }

  sdses(): CompletionItem[] {
    return this.model.sdses.map((x) => {
      const { cpu, memory } = sdsCapacity(this.model, x);
      return { label: x.name, kind: 'reference' as const, detail: `SDS · ${x.nodes.length} nodes, ${formatNumber(cpu)} cores, ${formatBytes(memory)}` };
    });
  }

  tenants(): CompletionItem[] {
    return this.model.tenants.slice(0, MAX_NAMES).map((t) => ({ label: t.name, kind: 'reference' as const, detail: `tenant · ${t.isolation}` }));
  }

  containers(except?: string): CompletionItem[] {
    return this.model.containers
      .filter((c) => c.name !== except)
      .slice(0, MAX_NAMES)
      .map((c) => ({ label: c.name, kind: 'reference' as const, detail: `container · ${c.replicas} × ${formatCores(c.cpuRequest)} cpu, ${formatBytes(c.memoryRequest)}` }));
  }

  nodesOf(rack: string, filter: (n: Model['nodes'][number]) => boolean = () => true): CompletionItem[] {
    const r = this.model.racks.find((x) => x.name === rack);
    if (!r) return [];
    return r.nodes
      .map((id) => this.model.nodes[id])
      .filter(filter)
      .slice(0, MAX_NAMES)
      .map((n) => ({ label: n.name, kind: 'reference' as const, detail: `node · ${formatNumber(n.cores)} cores, ${formatBytes(n.memory)}${n.role === 'spare' ? ', spare' : ''}${n.sds !== null ? `, in ${this.model.sdses[n.sds]?.name ?? ''}` : ''}` }));
  }

  /** Full `RACK.NODE` references. */
  nodeRefs(filter: (n: Model['nodes'][number]) => boolean = () => true): CompletionItem[] {
    return this.model.nodes
      .filter(filter)
      .slice(0, MAX_NAMES)
      .map((n) => ({ label: n.ref, kind: 'reference' as const, detail: `node · ${formatNumber(n.cores)} cores, ${formatBytes(n.memory)}${n.role === 'spare' ? ', spare' : ''}` }));
  }

  devicesOf(rack: string, node: string): CompletionItem[] {
    const n = this.model.nodes.find((x) => x.ref === `${rack}.${node}`);
    return (n?.disks ?? []).map((d) => ({ label: d.name, kind: 'reference' as const, detail: `device · ${formatBytes(d.bytes)}` }));
  }

  deviceRefs(): CompletionItem[] {
    const out: CompletionItem[] = [];
    for (const n of this.model.nodes) {
      for (const d of n.disks) {
        if (out.length >= MAX_NAMES) return out;
        out.push({ label: `${n.ref}.${d.name}`, kind: 'reference', detail: `device · ${formatBytes(d.bytes)}` });
      }
    }
    return out;
  }
}

/** The names offered as the subject of an event kind that narrows its place's (`at T fail |`); any other kind gets the place's names. */
const EVENT_SUBJECTS: Readonly<Partial<Record<EventKind, (names: Names) => CompletionItem[]>>> = {
  fail: (names) => names.nodeRefs((x) => x.role === 'active'),
  add: (names) => {
    const spares = names.nodeRefs((x) => x.sds === null && x.role === 'spare');
    return spares.length ? spares : names.nodeRefs((x) => x.sds === null);
  },
  scale: (names) => names.containers(),
  load: (names) => names.containers(),
};

function keywords(words: readonly string[], doc?: Record<string, string>): CompletionItem[] {
  return words.map((w) => ({ label: w, kind: 'keyword' as const, documentation: doc?.[w] }));
}

function values(words: readonly string[]): CompletionItem[] {
  return words.map((w) => ({ label: w, kind: 'value' as const, documentation: ENUM_DOCS[w] }));
}

function propertyItems(block: Block, offset: number): CompletionItem[] {
  const given = new Set<string>();
  for (const m of block.members) {
    if (m.kind === 'property' && !(m.name.span.start <= offset && offset <= m.name.span.end)) given.add(m.name.text);
  }
  const items: CompletionItem[] = PROPERTIES[block.blockKind]
    .filter((p) => p.repeatable === true || !given.has(p.name))
    .map((p, i) => ({
      label: p.name,
      kind: 'property' as const,
      detail: p.syntax,
      documentation: p.doc,
      insertText: p.snippet,
      snippet: true,
      sortText: `${p.required ? '0' : '1'}${String(i).padStart(2, '0')}`,
    }));
  for (const child of CHILD_BLOCKS[block.blockKind] ?? []) {
    items.push({ label: child, kind: 'keyword', documentation: BLOCK_DOCS[child], insertText: BLOCK_SNIPPETS[child], snippet: true, sortText: '2' });
  }
  return items;
}

function topLevelItems(): CompletionItem[] {
  const out: CompletionItem[] = [];
  for (const k of DECLARATION_KEYWORDS) {
    out.push({ label: k, kind: 'keyword', documentation: BLOCK_DOCS[k], sortText: `0${k}` });
    out.push({ label: `${k} { … }`, kind: 'snippet', detail: `a whole ${k} ${k === 'import' ? 'line' : 'block'}`, documentation: BLOCK_DOCS[k], insertText: BLOCK_SNIPPETS[k], snippet: true, sortText: `1${k}` });
  }
  return out;
}


/**
 * Completion at the offset. The context (completion-context.ts) comes from the syntax tree and
 * the schema's grammar of each property; this module turns it into items.
 */
export function completion(s: CompletionSnapshot, offset: number): CompletionItem[] {
  try {
    return complete(s, Math.max(0, Math.min(offset, s.text.length)));
  } catch {
    return [];
  }
}

function complete(s: CompletionSnapshot, offset: number): CompletionItem[] {
  const text = s.text;
  const tree = s.check.trees.get(s.file);
  if (!tree) return [];
  let start = offset;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  const replace: Span = { start, end: offset };
  const withReplace = (items: CompletionItem[], span: Span = replace): CompletionItem[] => items.map((i) => ({ ...i, replace: span }));
  const ctx = completionContext(tree, offset, start);
  const names = new Names(s.check.model);
  switch (ctx.kind) {
    case 'none': return [];
    case 'top-level': return withReplace(topLevelItems());
    case 'statement': return start < offset && /[0-9-]/.test(text[start]) ? [] : withReplace(propertyItems(ctx.block, offset));
    case 'import-path': {
      const files = s.host ? importableFiles(s.host, s.file) : [];
      const imported = new Set(tree.items.flatMap((i) => (i.kind === 'import' && i.path && i !== ctx.decl ? [resolvePath(dirname(s.file), i.path.value)] : [])));
      return withReplace(files.filter((f) => !imported.has(resolvePath(dirname(s.file), f))).map((f, i) => ({
        label: ctx.quoted ? `"${f}"` : f, kind: 'value' as const, detail: '.topo file', sortText: String(i).padStart(4, '0'),
      })), ctx.replace);
    }
    case 'node-range-end': {
      const first = ctx.node.name?.kind === 'word' ? ctx.node.name.text : null;
      if (!first) return [];
      const rackName = ctx.rack?.name?.kind === 'word' ? ctx.rack.name.text : null;
      const rack = s.check.model.racks.find((r) => r.name === rackName);
      const taken = new Set((rack?.nodes ?? []).map((id) => s.check.model.nodes[id]?.name ?? ''));
      return withReplace(nodeRangeEnds(first, taken).map((e, i) => ({ label: e.end, kind: 'value' as const, detail: `${e.count} nodes: ${first}..${e.end}`, sortText: String(i).padStart(2, '0') })));
    }
    case 'argument': {
      const spec = propertySpec(ctx.block.blockKind, ctx.property.name.text);
      if (!spec) return [];
      const here = { block: ctx.block, spec, next: ctx.next, names, model: s.check.model };
      if (ctx.at.kind === 'unit') {
        const at = ctx.at;
        return withReplace(unitItems(here, at.digits, at.value), at.span);
      }
      const items = argumentItems(here, ctx.at);
      if (items !== null) return withReplace(items);
      return ctx.at.kind === 'value' && (ctx.next.complete || !ctx.next.matched) && ctx.property.args.some((a) => a.span.end <= start) ? withReplace(propertyItems(ctx.block, offset)) : [];
    }
  }
}

export interface Here {
  readonly block: Block;
  readonly spec: PropertySpec;
  readonly next: Next;
  readonly names: Names;
  readonly model: Model;
}

/** The event whose places are being written (`at T add |`), if any. */
function eventOf(next: Next): EventKind | undefined {
  return next.literals.find((l): l is EventKind => isOneOf(EVENT_KINDS, l));
}

/** A unit item per unit of the quantity coming next, the number kept (`4GiB`), the typical unit first. */
function unitItems(h: Here, digits: string, value: number): CompletionItem[] {
  const q = h.next.pieces.find((p): p is Extract<Piece, { kind: 'quantity' }> => p.kind === 'quantity');
  if (!q || !/[0-9]$/.test(digits)) return [];
  const kind = q.quantity.unit;
  return unitsAfter(kind, digits, value, h.spec.typical?.[kind]).map((u, i) => ({
    label: `${digits}${u}`, kind: 'unit' as const, detail: UNIT_DOCS[kind], sortText: String(i).padStart(2, '0'),
  }));
}

/** The `RACK.NODE` references a list already names (ranges expanded). */
function listedNodes(items: readonly (Ref | RangeRef)[]): Set<string> {
  const out = new Set<string>();
  for (const it of items) {
    if (it.kind === 'ref') {
      if (it.parts.length === 2 && it.star === null) out.add(`${it.parts[0].text}.${it.parts[1].text}`);
      continue;
    }
    const rack = it.from.parts[0]?.text;
    const first = it.from.parts[1]?.text;
    const last = it.to?.parts[it.to.parts.length - 1]?.text;
    if (rack === undefined || first === undefined || last === undefined) continue;
    const r = expandNameRange(first, last);
    if (!('error' in r)) for (const n of r.names) out.add(`${rack}.${n}`);
  }
  return out;
}

/** Items for what comes next in a property's arguments, or null when nothing specific does (then another property may follow). */
function argumentItems(h: Here, at: ArgumentPosition): CompletionItem[] | null {
  const names = h.names;
  if (at.kind === 'member') {
    const piece = h.next.pieces.find((p) => p.kind === 'name');
    const place = piece?.kind === 'name' ? piece.place : '';
    if (at.parts.length === 1) {
      const ev = eventOf(h.next);
      const nodes = names.nodesOf(at.parts[0], ev === 'add' ? (n) => n.sds === null : undefined);
      const star = place === 'NODESET' || place === 'TARGET' ? [{ label: '*', kind: 'value' as const, detail: `every node of ${at.parts[0]}` }] : [];
      return [...nodes, ...star];
    }
    if (at.parts.length === 2) return names.devicesOf(at.parts[0], at.parts[1]);
    return [];
  }
  if (at.kind === 'range-end') return rangeEnds(h, at.from);
  if (at.kind === 'list-item') {
    const piece = h.next.pieces.find((p) => p.kind === 'name');
    if (piece?.kind !== 'name') return [];
    if (piece.place !== 'TARGET') return placeItems(h, piece.place);
    const listed = listedNodes(at.items);
    return [...names.racks(), ...names.nodeRefs((n) => n.role === 'active' && !listed.has(n.ref))];
  }
  const out: CompletionItem[] = keywords(h.next.keys, KEY_DOCS);
  for (const p of h.next.pieces) out.push(...pieceItems(h, p));
  out.push(...values(h.next.modifiers));
  if (out.length > 0) return out;
  return h.next.pieces.length > 0 ? [] : null;
}

function pieceItems(h: Here, p: Piece): CompletionItem[] {
  switch (p.kind) {
    case 'literal': return keywords([p.word], LITERAL_DOCS);
    case 'enum': return values(p.words);
    case 'quantity': {
      const t = h.spec.typical?.[p.quantity.unit];
      if (!t) return [];
      return typicalValues(p.quantity.unit, t).map((v, i) => ({
        label: v.text, kind: 'value' as const, detail: v.usual ? `usual ${h.spec.name}` : `typical ${h.spec.name}`, documentation: h.spec.doc, sortText: v.usual ? '0' : `1${String(i).padStart(2, '0')}`,
      }));
    }
    case 'name': return placeItems(h, p.place);
  }
}

/** The `n`th placeholder's default of the property's snippet (`disk ${1:nvme0} ${2:2TB}`: 1 -> nvme0). */
function snippetDefault(spec: PropertySpec, n: number): string | undefined {
  const m = new RegExp(`\\$\\{${n}:([^}]*)\\}`).exec(spec.snippet);
  return m?.[1];
}

/** A new name: the snippet's (`disk ${1:nvme0} …`), numbered past those the block already uses. */
function newName(h: Here): CompletionItem[] {
  const base = snippetDefault(h.spec, 1);
  if (!base) return [];
  const used = new Set(h.block.members.flatMap((m) => (m.kind === 'property' && m.name.text === h.spec.name && m.args[0]?.kind === 'ref' ? [m.args[0].parts[0].text] : [])));
  let name = base;
  const num = /^(.*?)(\d+)$/.exec(base);
  for (let i = num ? Number(num[2]) : 0; used.has(name) && num; i++) name = `${num[1]}${i + 1}`;
  return [{ label: name, kind: 'value', detail: `a new ${h.spec.name} name` }];
}

/** A string: those the program already uses for this property, and the snippet's example. */
function strings(h: Here): CompletionItem[] {
  const used: string[] = [];
  if (h.spec.name === 'image') {
    const seen = new Set<string>();
    for (const c of h.model.containers) {
      if (used.length >= MAX_STRINGS) break;
      if (c.image !== null && !seen.has(c.image)) { seen.add(c.image); used.push(c.image); }
    }
  }
  const example = snippetDefault(h.spec, 1);
  return [
    ...used.map((v) => ({ label: JSON.stringify(v), kind: 'value' as const, detail: 'used in this program' })),
    ...(example ? [{ label: `"${example}"`, kind: 'snippet' as const, detail: h.spec.syntax, insertText: `"\${1:${example}}"`, snippet: true, sortText: '9' }] : []),
  ];
}

const selfName = (h: Here): string | undefined => (h.block.name?.kind === 'word' ? h.block.name.text : undefined);

/**
 * What each kind of place of the schema's syntax lines offers (`talks CONTAINER`, `place on
 * TARGET`, `nodes NODESET`…); in an event, its subject as the event takes it. A syntax line
 * with a place not listed here fails the completion tests (test/unit/ide/completion-context.test.ts).
 */
export const PLACES: Readonly<Record<string, (h: Here) => CompletionItem[]>> = {
  CONTAINER: (h) => { const ev = eventOf(h.next); return (ev && EVENT_SUBJECTS[ev]?.(h.names)) ?? h.names.containers(selfName(h)); },
  NODE: (h) => { const ev = eventOf(h.next); return (ev && EVENT_SUBJECTS[ev]?.(h.names)) ?? h.names.nodeRefs(); },
  SDS: (h) => h.names.sdses(),
  TENANT: (h) => h.names.tenants(),
  TARGET: (h) => [...h.names.sdses(), ...h.names.racks()],
  NODESET: (h) => h.names.racks(),
  'RACK.NODE.DEVICE': (h) => [...h.names.deviceRefs(), ...h.names.racks()],
  NAME: newName,
  STRING: strings,
};

function placeItems(h: Here, place: string): CompletionItem[] {
  return Object.prototype.hasOwnProperty.call(PLACES, place) ? PLACES[place](h) : [];
}

/**
 * The ends of a range after `FROM..` that make a valid range: nodes of the same rack after
 * `from` (same prefix, a larger number) such that every node of the range exists; for an SDS's
 * `nodes`, none of them a spare or in another SDS.
 */
function rangeEnds(h: Here, from: Ref): CompletionItem[] {
  const rackName = from.parts[0]?.text;
  const start = from.parts[1]?.text;
  if (rackName === undefined) return [];
  if (start === undefined) return h.names.nodesOf(rackName);
  const rack = h.model.racks.find((r) => r.name === rackName);
  if (!rack) return [];
  const byName = new Map(rack.nodes.map((id) => [h.model.nodes[id]?.name ?? '', h.model.nodes[id]]));
  const piece = h.next.pieces.find((p) => p.kind === 'name');
  const forSds = piece?.kind === 'name' && piece.place === 'NODESET';
  const selfSds = forSds ? h.model.sdses.findIndex((x) => h.block.name?.kind === 'word' && x.name === h.block.name.text) : -1;
  // (one walk from `start`: every name up to the first missing or unusable one ends a valid range)
  const ends = new Set<string>();
  for (const name of namesFrom(start)) {
    const m = byName.get(name);
    if (!m || (forSds && (m.role === 'spare' || (m.sds !== null && m.sds !== selfSds)))) break;
    if (name !== start) ends.add(name);
  }
  return h.names.nodesOf(rackName, (n) => ends.has(n.name));
}
