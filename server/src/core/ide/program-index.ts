import type { CheckResult } from '../check';
import { expandNameRange } from '../model/ranges';
import type { Arg, Block, Property, RangeRef, Ref, SourceFile, Word } from '../syntax/ast';
import { EVENT_KINDS, POLICIES, PRIORITIES, ROLES, SPREADS } from '../syntax/schema';
import type { Span } from '../text';
import type { SemanticTokenType } from './types';

/**
 * The names of a checked program, classified once per CheckResult and cached: every word of
 * every tree gets a role (keyword, property, enum value, or a name with its symbol key).
 * References, rename, hover, semantic tokens and inlay hints all read this one index.
 *
 * Symbol keys: `name:X` for racks, SDSes and containers (one shared namespace), `node:R.N`,
 * `dev:R.N.D`, `scn:NAME`.
 */

export type NameKind = 'rack' | 'node' | 'sds' | 'container' | 'scenario' | 'device';

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
  /** rack/sds/container name -> kind. */
  readonly namespace: ReadonlyMap<string, 'rack' | 'sds' | 'container'>;
  readonly files: ReadonlyMap<string, FileIndex>;
  /** Declarations by key. */
  readonly decls: ReadonlyMap<string, readonly { file: string; item: Classified }[]>;
}

const SUBKEYWORDS: Record<string, ReadonlySet<string>> = {
  oversubscribe: new Set(['cpu', 'memory']),
  reserve: new Set(['cores', 'memory']),
  threshold: new Set(['locality']),
  cpu: new Set(['request', 'limit']),
  memory: new Set(['request', 'limit']),
  talks: new Set(['weight']),
  io: new Set(['weight']),
  place: new Set(['on']),
};
const ENUMS: Record<string, ReadonlySet<string>> = {
  policy: new Set(POLICIES), role: new Set(ROLES), priority: new Set(PRIORITIES), spread: new Set(SPREADS),
};

const cache = new WeakMap<CheckResult, ProgramIndex>();

export function programIndex(check: CheckResult): ProgramIndex {
  let ix = cache.get(check);
  if (!ix) {
    ix = build(check);
    cache.set(check, ix);
  }
  return ix;
}

function build(check: CheckResult): ProgramIndex {
  const model = check.model;
  const namespace = new Map<string, 'rack' | 'sds' | 'container'>();
  for (const r of model.racks) namespace.set(r.name, 'rack');
  for (const s of model.sdses) namespace.set(s.name, 'sds');
  for (const c of model.containers) namespace.set(c.name, 'container');
  const files = new Map<string, FileIndex>();
  const decls = new Map<string, { file: string; item: Classified }[]>();
  for (const [file, tree] of check.trees) {
    const items = classifyTree(tree, namespace);
    files.set(file, { file, items });
    for (const item of items) {
      if (!item.decl || !item.keys) continue;
      for (const k of item.keys) {
        const list = decls.get(k) ?? [];
        list.push({ file, item });
        decls.set(k, list);
      }
    }
  }
  return { check, namespace, files, decls };
}

/** The classified word at an offset (touching its start or end), or undefined. */
export function itemAt(ix: ProgramIndex, file: string, offset: number): Classified | undefined {
  const items = ix.files.get(file)?.items;
  if (!items) return undefined;
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

// ------------------------------------------------------------------ classification

class Classifier {
  readonly out: Classified[] = [];
  constructor(private readonly namespace: ReadonlyMap<string, 'rack' | 'sds' | 'container'>) {}

  push(c: Classified): void {
    if (c.span.end > c.span.start) this.out.push(c);
  }

  word(w: Word, type: SemanticTokenType): void {
    this.push({ span: w.span, type });
  }

  /** A single-word name in the shared namespace (or unknown). */
  name(w: Word, expected?: 'rack' | 'sds' | 'container'): void {
    const kind = this.namespace.get(w.text) ?? null;
    this.push({ span: w.span, type: kind ?? expected ?? 'variable', nameKind: kind, keys: [`name:${w.text}`] });
  }

  node(rack: string, w: Word, covers?: readonly string[]): void {
    const key = `node:${rack}.${w.text}`;
    this.push({ span: w.span, type: 'node', nameKind: 'node', keys: [key], covers });
  }

  /** `r1`, `r1.n2`, `r1.n2.dev`, `r1.*` as a reference to racks/nodes/devices. */
  nodeRef(ref: Ref, covers?: readonly string[]): void {
    const [a, b, c] = ref.parts;
    if (!a) return;
    if (ref.parts.length === 1 && !ref.star) {
      this.name(a);
      return;
    }
    this.name(a, 'rack');
    if (b) this.node(a.text, b, covers);
    if (b && c) this.push({ span: c.span, type: 'device', nameKind: 'device', keys: [`dev:${a.text}.${b.text}.${c.text}`] });
    for (let i = 3; i < ref.parts.length; i++) this.word(ref.parts[i], 'variable');
    if (ref.star) this.push({ span: ref.star, type: 'operator' });
  }

  range(r: RangeRef): void {
    const rack = r.from.parts[0]?.text;
    const first = r.from.parts[1]?.text;
    const to = r.to;
    const last = to ? to.parts[to.parts.length - 1]?.text : undefined;
    let covers: string[] | undefined;
    if (rack && first && last) {
      const e = expandNameRange(first, last);
      if ('names' in e) covers = e.names.map((n) => `node:${rack}.${n}`);
    }
    this.nodeRef(r.from, covers);
    if (to) {
      if (to.parts.length === 1 && rack && !to.star) this.node(rack, to.parts[0], covers);
      else this.nodeRef(to, covers);
    }
  }

  nodeSet(a: Arg): void {
    if (a.kind === 'ref') this.nodeRef(a);
    else if (a.kind === 'range') this.range(a);
    else if (a.kind === 'list') for (const i of a.items) this.nodeSet(i);
    else this.literal(a);
  }

  literal(a: Arg): void {
    if (a.kind === 'number') {
      this.push({ span: a.numberSpan, type: 'number' });
      this.push({ span: a.unitSpan, type: 'unit' });
    } else if (a.kind === 'string') this.push({ span: a.span, type: 'string' });
    else if (a.kind === 'ref') for (const p of a.parts) this.word(p, 'variable');
    else this.nodeSet(a);
  }

  /** Sub-keywords and enum values of a property; otherwise a name. */
  argWord(prop: string, a: Arg, asName: (r: Ref) => void): void {
    if (a.kind === 'ref' && a.parts.length === 1 && !a.star) {
      const t = a.parts[0].text;
      if (SUBKEYWORDS[prop]?.has(t)) return this.word(a.parts[0], 'keyword');
      if (ENUMS[prop]?.has(t)) return this.word(a.parts[0], 'enumMember');
    }
    if (a.kind === 'ref') asName(a);
    else if (a.kind === 'range' || a.kind === 'list') this.nodeSet(a);
    else this.literal(a);
  }

  property(block: Block, p: Property, rackName: string | null, nodeNames: readonly string[]): void {
    this.word(p.name, 'property');
    const prop = p.name.text;
    const kind = block.blockKind;
    if (kind === 'node' && prop === 'disk') {
      const a0 = p.args[0];
      if (a0 && a0.kind === 'ref' && a0.parts.length === 1 && !a0.star && rackName) {
        this.push({ span: a0.parts[0].span, type: 'device', nameKind: 'device', decl: true, keys: nodeNames.map((n) => `dev:${rackName}.${n}.${a0.parts[0].text}`) });
      } else if (a0) this.literal(a0);
      for (const a of p.args.slice(1)) this.literal(a);
      return;
    }
    if (kind === 'scenario' && prop === 'at') {
      const ev = p.args[1];
      const evWord = ev && ev.kind === 'ref' && ev.parts.length === 1 ? ev.parts[0].text : '';
      p.args.forEach((a, i) => {
        if (i === 1 && (EVENT_KINDS as readonly string[]).includes(evWord)) return this.word((a as Ref).parts[0], 'keyword');
        if (i === 3 && a.kind === 'ref' && a.parts.length === 1 && a.parts[0].text === 'to' && (evWord === 'add' || evWord === 'scale')) return this.word(a.parts[0], 'keyword');
        if (i === 2 && (evWord === 'fail' || evWord === 'add')) return this.nodeSet(a);
        if (i === 2 && a.kind === 'ref' && (evWord === 'scale' || evWord === 'load')) return this.nodeRef(a);
        if (i === 4 && evWord === 'add' && a.kind === 'ref') return this.nodeRef(a);
        this.literal(a);
      });
      return;
    }
    if (kind === 'sds' && prop === 'nodes') {
      for (const a of p.args) this.nodeSet(a);
      return;
    }
    if (kind === 'container' && prop === 'place') {
      for (const a of p.args) this.argWord(prop, a, (r) => this.nodeRef(r));
      return;
    }
    for (const a of p.args) this.argWord(prop, a, (r) => this.nodeRef(r));
  }

  block(b: Block, rackName: string | null): void {
    this.word(b.keyword, 'keyword');
    let nodeNames: string[] = [];
    if (b.name) {
      if (b.name.kind === 'string') {
        this.push({ span: b.name.span, type: 'scenario', nameKind: 'scenario', decl: true, keys: [`scn:${b.name.value}`] });
      } else if (b.blockKind === 'scenario') {
        this.push({ span: b.name.span, type: 'scenario', nameKind: 'scenario', decl: true, keys: [`scn:${b.name.text}`] });
      } else if (b.blockKind === 'node') {
        const rack = rackName ?? '';
        if (b.rangeEnd) {
          const e = expandNameRange(b.name.text, b.rangeEnd.text);
          nodeNames = 'names' in e ? e.names : [];
          const keys = nodeNames.map((n) => `node:${rack}.${n}`);
          this.push({ span: b.name.span, type: 'node', nameKind: 'node', decl: true, keys, inRangeDecl: true });
          this.push({ span: b.rangeEnd.span, type: 'node', nameKind: 'node', decl: true, keys, inRangeDecl: true });
        } else {
          nodeNames = [b.name.text];
          this.push({ span: b.name.span, type: 'node', nameKind: 'node', decl: true, keys: [`node:${rack}.${b.name.text}`] });
        }
      } else if (b.blockKind === 'rack' || b.blockKind === 'sds' || b.blockKind === 'container') {
        this.push({ span: b.name.span, type: b.blockKind, nameKind: b.blockKind, decl: true, keys: [`name:${b.name.text}`] });
      }
    }
    const rack = b.blockKind === 'rack' && b.name && b.name.kind === 'word' ? b.name.text : rackName;
    for (const m of b.members) {
      if (m.kind === 'block') this.block(m, rack);
      else this.property(b, m, rack, nodeNames);
    }
  }
}

function classifyTree(tree: SourceFile, namespace: ReadonlyMap<string, 'rack' | 'sds' | 'container'>): Classified[] {
  const c = new Classifier(namespace);
  for (const item of tree.items) {
    if (item.kind === 'block') c.block(item, null);
    else {
      c.word(item.keyword, 'keyword');
      if (item.path) c.push({ span: item.path.span, type: 'string' });
    }
  }
  const out = c.out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  // Defensive: drop anything overlapping its predecessor.
  const clean: Classified[] = [];
  let end = -1;
  for (const it of out) {
    if (it.span.start >= end) {
      clean.push(it);
      end = it.span.end;
    }
  }
  return clean;
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
