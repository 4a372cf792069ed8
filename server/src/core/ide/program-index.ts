import { lastStartingBefore } from '../text';
import type { CheckResult } from '../check';
import type { NameKind, NameOccurrence, SharedKind } from '../model/names';
import type { Arg, Block, Property, TopLevel, Word } from '../syntax/ast';
import { SUB_KEYWORDS, VALUE_WORDS_OF } from '../syntax/schema';
import { EVENT_KINDS, EVENT_SYNTAX, EVENT_TO, isOneOf } from '../syntax/words';
import type { Location, Span } from '../text';
import type { SemanticTokenType } from './types';

/**
 * The words of a checked program, classified lazily per top-level item and cached per
 * CheckResult: every word gets a role (keyword, property, enum value, or a name with its
 * symbol keys). The names come from the binder's reference table (`CheckResult.names`), not
 * from a second reading of the tree. References, rename, hover, semantic tokens and inlay
 * hints all read this one index.
 *
 * Symbol keys: `name:X` for racks, SDSes and containers (one shared namespace), `node:R.N`,
 * `dev:R.N.D`, `scn:NAME`.
 */

export type { NameKind };

export interface Classified {
  readonly span: Span;
  readonly type: SemanticTokenType;
  /** For names: what it names (null when the name is unknown). */
  readonly nameKind?: NameKind | null;
  /** For names: the symbol keys (several for a node range declaration `n1..n8`). */
  readonly keys?: readonly string[];
  readonly decl?: boolean;
  /** The node names a range reference `r1.n1..n4` covers (on both endpoint words). */
  readonly covers?: readonly string[];
  /** A word of a node range declaration (`n1..n8`). */
  readonly inRangeDecl?: boolean;
}


export interface FileIndex {
  readonly file: string;
  /** Sorted by start, non-overlapping. */
  readonly items: readonly Classified[];
}

export interface ProgramIndex {
  readonly check: CheckResult;
  /** rack/sds/tenant/container name -> kind. */
  readonly namespace: ReadonlyMap<string, SharedKind>;
  /** Every file classified (computed on first use: references, rename, semantic tokens). */
  readonly files: ReadonlyMap<string, FileIndex>;
}

type Namespace = ReadonlyMap<string, SharedKind>;

/**
 * The index of one CheckResult: the namespace at once, classifications lazily per top-level
 * item, so a hover classifies one block, not a 10,000-line file.
 */
class LazyIndex implements ProgramIndex {
  readonly namespace: Namespace;
  private readonly perItem = new Map<TopLevel, Classified[]>();
  private filesCache: Map<string, FileIndex> | null = null;

  constructor(readonly check: CheckResult) {
    const namespace = new Map<string, SharedKind>();
    for (const r of check.model.racks) namespace.set(r.name, 'rack');
    for (const x of check.model.sdses) namespace.set(x.name, 'sds');
    for (const t of check.model.tenants) namespace.set(t.name, 'tenant');
    for (const c of check.model.containers) namespace.set(c.name, 'container');
    this.namespace = namespace;
  }

  itemWords(file: string, item: TopLevel, index: number): Classified[] {
    let list = this.perItem.get(item);
    if (!list) {
      list = classifyItem(item, this.check.names.itemNames(file, index));
      this.perItem.set(item, list);
    }
    return list;
  }

  fileIndex(file: string): FileIndex | undefined {
    const cached = this.filesCache?.get(file);
    if (cached) return cached;
    const tree = this.check.trees.get(file);
    if (!tree) return undefined;
    const items: Classified[] = [];
    tree.items.forEach((item, i) => {
      for (const c of this.itemWords(file, item, i)) items.push(c);
    });
    const fi = { file, items: clean(items) };
    if (!this.filesCache) this.filesCache = new Map();
    this.filesCache.set(file, fi);
    return fi;
  }

  get files(): ReadonlyMap<string, FileIndex> {
    const out = new Map<string, FileIndex>();
    for (const file of this.check.trees.keys()) {
      const fi = this.fileIndex(file);
      if (fi) out.set(file, fi);
    }
    return out;
  }
}

const cache = new WeakMap<CheckResult, LazyIndex>();

function lazy(check: CheckResult): LazyIndex {
  let ix = cache.get(check);
  if (!ix) {
    ix = new LazyIndex(check);
    cache.set(check, ix);
  }
  return ix;
}

export function programIndex(check: CheckResult): ProgramIndex {
  return lazy(check);
}

/** The classified words of one whole file. */
export function fileItems(ix: ProgramIndex, file: string): readonly Classified[] {
  return lazy(ix.check).fileIndex(file)?.items ?? [];
}

function search(items: readonly Classified[], offset: number): Classified | undefined {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const it = items[mid];
    if (it.span.end < offset) lo = mid + 1;
    else if (it.span.start > offset) hi = mid - 1;
    else {
      // Prefer a name over an adjacent token when the offset touches two.
      const next = items[mid + 1];
      if (it.span.end === offset && next && next.span.start === offset && next.keys) return next;
      const prev = items[mid - 1];
      if (it.span.start === offset && prev && prev.span.end === offset && prev.keys && !it.keys) return prev;
      return it;
    }
  }
  return undefined;
}

/** The classified word at an offset (touching its start or end), or undefined. Classifies only the top-level item there. */
export function itemAt(ix: ProgramIndex, file: string, offset: number): Classified | undefined {
  const l = lazy(ix.check);
  const tree = l.check.trees.get(file);
  if (!tree) return undefined;
  const items = tree.items;
  const best = lastStartingBefore(items, offset);
  for (const k of [best, best - 1]) {
    if (k < 0 || offset > items[k].span.end) continue;
    const found = search(l.itemWords(file, items[k], k), offset);
    if (found) return found;
  }
  return undefined;
}

/**
 * One top-level item's words: the names from the binder's reference table, and every other
 * word's role (keyword, property, enum value, number, unit, string) from the syntax tree and
 * the schema. A word the binder does not read as a name is a plain `variable`.
 */
function classifyItem(item: TopLevel, names: readonly NameOccurrence[]): Classified[] {
  const c = new Words();
  if (item.kind === 'block') c.block(item);
  else {
    c.word(item.keyword, 'keyword');
    if (item.path) c.push({ span: item.path.span, type: 'string' });
  }
  // the words come in text order; a name takes the place of the word at its start
  const sorted = names.length < 2 ? names : [...names].sort((x, y) => x.span.start - y.span.start);
  const out: Classified[] = [];
  let k = 0;
  for (const w of c.out) {
    while (k < sorted.length && sorted[k].span.start < w.span.start) out.push(fromName(sorted[k++]));
    if (k < sorted.length && sorted[k].span.start === w.span.start) out.push(fromName(sorted[k++]));
    else out.push(w);
  }
  while (k < sorted.length) out.push(fromName(sorted[k++]));
  return clean(out);
}

function fromName(n: NameOccurrence): Classified {
  return { span: n.span, type: n.kind ?? n.expected ?? 'variable', nameKind: n.kind, keys: n.keys, decl: n.decl || undefined, covers: n.covers, inRangeDecl: n.inRangeDecl };
}

/** Drops anything overlapping its predecessor (defensive: the tree never overlaps). */
function clean(sorted: Classified[]): Classified[] {
  let ok = true;
  for (let i = 1; i < sorted.length && ok; i++) if (sorted[i].span.start < sorted[i - 1].span.end) ok = false;
  if (ok) return sorted;
  const out: Classified[] = [];
  let end = -1;
  for (const it of sorted) {
    if (it.span.start >= end) {
      out.push(it);
      end = it.span.end;
    }
  }
  return out;
}

// ------------------------------------------------------------------ the roles of the other words

class Words {
  readonly out: Classified[] = [];

  push(c: Classified): void {
    if (c.span.end > c.span.start) this.out.push(c);
  }

  word(w: Word, type: SemanticTokenType): void {
    this.push({ span: w.span, type });
  }

  literal(a: Arg): void {
    if (a.kind === 'number') {
      this.push({ span: a.numberSpan, type: 'number' });
      this.push({ span: a.unitSpan, type: 'unit' });
    } else if (a.kind === 'string') this.push({ span: a.span, type: 'string' });
    else if (a.kind === 'ref') {
      for (const p of a.parts) this.word(p, 'variable');
      if (a.star) this.push({ span: a.star, type: 'operator' });
    } else if (a.kind === 'range') {
      this.literal(a.from);
      if (a.to) this.literal(a.to);
    } else for (const i of a.items) this.literal(i);
  }

  /** Sub-keywords and enum values of a property (the schema's); any other argument as written. */
  argWord(prop: string, a: Arg): void {
    if (a.kind === 'ref' && a.parts.length === 1 && !a.star) {
      const t = a.parts[0].text;
      if (SUB_KEYWORDS.get(prop)?.has(t)) return this.word(a.parts[0], 'keyword');
      if (VALUE_WORDS_OF.get(prop)?.has(t)) return this.word(a.parts[0], 'enumMember');
    }
    this.literal(a);
  }

  property(block: Block, p: Property): void {
    this.word(p.name, 'property');
    const prop = p.name.text;
    if (block.blockKind === 'scenario' && prop === 'at') {
      const ev = p.args[1];
      const evWord = ev && ev.kind === 'ref' && ev.parts.length === 1 ? ev.parts[0].text : '';
      const event = isOneOf(EVENT_KINDS, evWord) ? EVENT_SYNTAX[evWord] : undefined;
      p.args.forEach((a, i) => {
        if (i === 1 && event && a.kind === 'ref') return this.word(a.parts[0], 'keyword');
        if (i === 3 && a.kind === 'ref' && a.parts.length === 1 && a.parts[0].text === EVENT_TO && event?.to) return this.word(a.parts[0], 'keyword');
        this.literal(a);
      });
      return;
    }
    for (const a of p.args) this.argWord(prop, a);
  }

  block(b: Block): void {
    this.word(b.keyword, 'keyword');
    for (const m of b.members) {
      if (m.kind === 'block') this.block(m);
      else this.property(b, m);
    }
  }
}

/** Every occurrence (declaration or use) of any of `keys` across the program. */
export function occurrencesOf(ix: ProgramIndex, keys: readonly string[]): { file: string; item: Classified }[] {
  const want = new Set(keys);
  const out: { file: string; item: Classified }[] = [];
  for (const [file, fi] of ix.files) {
    for (const item of fi.items) if (item.keys && item.keys.some((k) => want.has(k))) out.push({ file, item });
  }
  return out;
}

interface ModelMaps {
  readonly names: Map<string, Location>;
  readonly nodes: Map<string, { at: Location; range: boolean }>;
  readonly devices: Map<string, Location>;
  readonly scenarios: Map<string, Location>;
}

const modelMaps = new WeakMap<CheckResult, ModelMaps>();

function maps(check: CheckResult): ModelMaps {
  let m = modelMaps.get(check);
  if (!m) {
    const model = check.model;
    const names = new Map<string, Location>();
    for (const x of [...model.racks, ...model.sdses, ...model.tenants, ...model.containers]) names.set(x.name, x.nameAt);
    const nodes = new Map<string, { at: Location; range: boolean }>();
    const devices = new Map<string, Location>();
    for (const n of model.nodes) {
      nodes.set(n.ref, { at: n.nameAt, range: n.nameAt.span.end - n.nameAt.span.start > n.name.length });
      for (const d of n.disks) devices.set(`${n.ref}.${d.name}`, d.at);
    }
    const scenarios = new Map<string, Location>();
    for (const sc of model.scenarios) scenarios.set(sc.name, sc.nameAt);
    m = { names, nodes, devices, scenarios };
    modelMaps.set(check, m);
  }
  return m;
}

/**
 * Where the symbols with these keys are declared, from the bound model (no scan of the
 * program): for nodes of a range, the whole `n1..n8`. `range` is true for such nodes.
 */
export function declarationsOf(check: CheckResult, keys: readonly string[]): { at: Location; range: boolean }[] {
  const m = maps(check);
  const out: { at: Location; range: boolean }[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    const i = key.indexOf(':');
    const kind = key.slice(0, i);
    const rest = key.slice(i + 1);
    const hit = kind === 'name' ? { at: m.names.get(rest), range: false }
      : kind === 'node' ? m.nodes.get(rest)
        : kind === 'dev' ? { at: m.devices.get(rest), range: false }
          : kind === 'scn' ? { at: m.scenarios.get(rest), range: false } : undefined;
    if (!hit || !hit.at) continue;
    const id = `${hit.at.file}:${hit.at.span.start}:${hit.at.span.end}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ at: hit.at, range: hit.range });
  }
  return out;
}
