import type { Arg, Block, Property, RangeRef, Ref, SourceFile, TopLevel, Word } from '../syntax/ast';
import { EVENT_KINDS, EVENT_SYNTAX, isOneOf } from '../syntax/words';
import type { Span } from '../text';
import { expandNameRange } from './ranges';

/**
 * The reference table the binder emits (as rust-analyzer's hir and Bicep's semantic model do):
 * every word the binder reads as a name, declaration or use, with the symbol keys it stands
 * for. The binder hands over its declarations; each item's names are read where the binder
 * reads them (`recordItem`) when the ide layer first asks for that item, so a check that no
 * request reads costs nothing here. The ide layer (references, rename, hover, semantic tokens, inlay
 * hints) reads names from here instead of re-deriving where the binder reads one.
 *
 * Symbol keys: `name:X` for racks, SDSes, tenants and containers (one shared namespace), `node:R.N`,
 * `dev:R.N.D`, `scn:NAME`.
 */

export type NameKind = 'rack' | 'node' | 'sds' | 'tenant' | 'container' | 'scenario' | 'device';

/** The kinds of declaration in the shared namespace (`name:X`). */
export type SharedKind = 'rack' | 'sds' | 'tenant' | 'container';

export interface NameOccurrence {
  readonly span: Span;
  /** What it names; null when the name is unknown. */
  readonly kind: NameKind | null;
  /** What the place expects when the name is unknown (`R` in `R.N` is a rack). */
  readonly expected?: 'rack';
  /** The symbol keys (several for a node range declaration `n1..n8` and its devices). */
  readonly keys: readonly string[];
  readonly decl: boolean;
  /** The node keys a range reference `r1.n1..n4` covers (on both endpoint words). */
  readonly covers?: readonly string[];
  /** A word of a node range declaration (`n1..n8`). */
  readonly inRangeDecl?: boolean;
}

/** The reference table: the names in each top-level item (its index in the tree's `items`), in binding order. */
export interface NameTable {
  itemNames(file: string, index: number): readonly NameOccurrence[];
}

/** What the binder declared in the shared namespace: a name's kind, and its place among the declarations (0, 1, ...). */
export interface DeclaredName {
  readonly kind: SharedKind;
  readonly order: number;
}

/**
 * One occurrence, its keys built when asked (`head + mid + tail` for each mid): the binder
 * records tens of thousands of names per check and the ide layer reads the keys of a few items.
 */
class Occurrence implements NameOccurrence {
  constructor(
    readonly span: Span,
    readonly kind: NameKind | null,
    readonly decl: boolean,
    private readonly head: string,
    private readonly mids: string | readonly string[],
    private readonly tail = '',
  ) {}

  get keys(): readonly string[] {
    const { head, mids, tail } = this;
    return typeof mids === 'string' ? [head + mids + tail] : mids.map((m) => head + m + tail);
  }
}

/** A range declaration's word, or a use with the nodes its range covers. */
class CoveringOccurrence extends Occurrence {
  constructor(span: Span, kind: NameKind | null, decl: boolean, head: string, mids: string | readonly string[], readonly covers: readonly string[] | undefined, readonly inRangeDecl: true | undefined) {
    super(span, kind, decl, head, mids);
  }
}

/** A use of a word in the shared namespace, with what the place expects when it is unknown. */
class UseOccurrence extends Occurrence {
  constructor(span: Span, kind: NameKind | null, mid: string, readonly expected: 'rack' | undefined) {
    super(span, kind, false, 'name:', mid);
  }
}

/** Collects the names of one top-level item, where the binder reads them. */
class NameRecorder {
  readonly list: NameOccurrence[] = [];
  /** The key heads of the rack last asked for (a rack's nodes come one after another). */
  private heads = { rack: '', node: 'node:.', dev: 'dev:.' };

  constructor(private readonly kindOf: (name: string) => SharedKind | undefined) {}

  private headsOf(rack: string): { node: string; dev: string } {
    if (this.heads.rack !== rack) this.heads = { rack, node: `node:${rack}.`, dev: `dev:${rack}.` };
    return this.heads;
  }

  private push(o: Occurrence): void {
    if (o.span.end > o.span.start) this.list.push(o);
  }

  /** A declaration of a rack, SDS or container. */
  declName(w: Word, kind: SharedKind): void {
    this.push(new Occurrence(w.span, kind, true, 'name:', w.text));
  }

  declScenario(span: Span, name: string): void {
    this.push(new Occurrence(span, 'scenario', true, 'scn:', name));
  }

  /** `node n1` or `node n1..n8` in rack `rack`; returns the node names it declares as written. */
  declNodes(rack: string, b: Block): string[] {
    if (!b.name || b.name.kind !== 'word') return [];
    if (b.rangeEnd) {
      const e = expandNameRange(b.name.text, b.rangeEnd.text);
      const names = 'names' in e ? e.names : [];
      const head = this.headsOf(rack).node;
      this.push(new CoveringOccurrence(b.name.span, 'node', true, head, names, undefined, true));
      this.push(new CoveringOccurrence(b.rangeEnd.span, 'node', true, head, names, undefined, true));
      return names;
    }
    this.push(new Occurrence(b.name.span, 'node', true, this.headsOf(rack).node, b.name.text));
    return [b.name.text];
  }

  /** `disk NAME` on the nodes of a declaration. */
  declDevice(rack: string, nodes: readonly string[], w: Word): void {
    this.push(new Occurrence(w.span, 'device', true, this.headsOf(rack).dev, nodes.length === 1 ? nodes[0] : nodes, `.${w.text}`));
  }

  /** A single word in the shared namespace of racks, SDSes and containers. */
  name(w: Word, expected?: 'rack'): void {
    this.push(new UseOccurrence(w.span, this.kindOf(w.text) ?? null, w.text, expected));
  }

  private node(rack: string, w: Word, covers?: readonly string[]): void {
    this.push(new CoveringOccurrence(w.span, 'node', false, this.headsOf(rack).node, w.text, covers, undefined));
  }

  /** `web`, `r1`, `r1.n2`, `r1.n2.dev`, `r1.*` as a reference to a name, a rack, a node or a device. */
  ref(ref: Ref, covers?: readonly string[]): void {
    const [a, b, c] = ref.parts;
    if (!a) return;
    if (ref.parts.length === 1 && !ref.star) return this.name(a);
    this.name(a, 'rack');
    if (b) this.node(a.text, b, covers);
    if (b && c) this.push(new Occurrence(c.span, 'device', false, `dev:${a.text}.${b.text}.`, c.text));
  }

  /** `r1.n1..n4` / `r1.n1..r1.n4`: both ends cover the nodes of the range. */
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
    this.ref(r.from, covers);
    if (!to) return;
    if (to.parts.length === 1 && rack && !to.star) this.node(rack, to.parts[0], covers);
    else this.ref(to, covers);
  }

  /** An argument read as a name or a node set (references, ranges, lists); other kinds name nothing. */
  arg(a: Arg | undefined): void {
    if (!a) return;
    if (a.kind === 'ref') this.ref(a);
    else if (a.kind === 'range') this.range(a);
    else if (a.kind === 'list') for (const i of a.items) this.arg(i);
  }
}

/**
 * The reference table of one binding: each item's names recorded on first ask, against the
 * binder's declarations. `unbound`: the items the binder declared but did not bind (no name, or
 * a taken one), with the number of shared names declared before each: their uses were read
 * then, and see only those.
 */
export class LazyNameTable implements NameTable {
  private readonly built = new Map<string, NameOccurrence[][]>();

  constructor(
    private readonly trees: ReadonlyMap<string, SourceFile>,
    private readonly declaredFiles: ReadonlySet<string>,
    private readonly symbols: ReadonlyMap<string, DeclaredName>,
    private readonly unbound: ReadonlyMap<TopLevel, number>,
  ) {}

  itemNames(file: string, index: number): readonly NameOccurrence[] {
    let lists = this.built.get(file);
    if (!lists) this.built.set(file, (lists = []));
    return (lists[index] ??= this.record(file, index));
  }

  private record(file: string, index: number): NameOccurrence[] {
    const item = this.declaredFiles.has(file) ? this.trees.get(file)?.items[index] : undefined;
    if (!item || item.kind !== 'block') return [];
    const limit = this.unbound.get(item);
    const kindOf = (name: string): SharedKind | undefined => {
      const s = this.symbols.get(name);
      return s && (limit === undefined || s.order < limit) ? s.kind : undefined;
    };
    const r = new NameRecorder(kindOf);
    recordItem(r, item, limit !== undefined);
    return r.list;
  }
}

/** The names of a top-level block in the order the binder reads them: its own name, then those in its body. */
function recordItem(r: NameRecorder, block: Block, unbound: boolean): void {
  const word = block.name?.kind === 'word' ? block.name : null;
  switch (block.blockKind) {
    case 'rack':
      if (word) r.declName(word, 'rack');
      if (unbound || !word) recordNodeNames(r, word?.text ?? null, block);
      else recordRackNames(r, word.text, block);
      return;
    case 'sds': case 'tenant': case 'container':
      if (word) r.declName(word, block.blockKind);
      if (block.blockKind !== 'tenant') recordBodyNames(r, block);
      return;
    case 'scenario':
      if (!block.name) return;
      r.declScenario(block.name.span, block.name.kind === 'word' ? block.name.text : block.name.value);
      recordBodyNames(r, block);
      return;
    case 'defaults': case 'fabric': case 'node':
      return;
  }
}

/** A bound rack's nodes, each named node with its devices (`disk NAME`). */
function recordRackNames(r: NameRecorder, rack: string, block: Block): void {
  for (const m of block.members) {
    if (m.kind !== 'block' || m.blockKind !== 'node' || !m.name || m.name.kind !== 'word') continue;
    const declared = r.declNodes(rack, m);
    for (const p of m.members) {
      const a0 = p.kind === 'property' && p.name.text === 'disk' ? p.args[0] : undefined;
      if (a0?.kind === 'ref' && a0.parts.length === 1 && a0.star === null) r.declDevice(rack, declared, a0.parts[0]);
    }
  }
}

/** The names a rack that is not bound (no name, or a duplicate one) declares: its nodes and, in a named rack, their devices. */
function recordNodeNames(r: NameRecorder, rack: string | null, block: Block): void {
  for (const m of block.members) {
    if (m.kind !== 'block' || m.blockKind !== 'node') continue;
    const nodes = r.declNodes(rack ?? '', m);
    if (rack === null) continue;
    for (const p of m.members) {
      const a0 = p.kind === 'property' && p.name.text === 'disk' ? p.args[0] : undefined;
      if (a0?.kind === 'ref' && a0.parts.length === 1 && !a0.star) r.declDevice(rack, nodes, a0.parts[0]);
    }
  }
}

/** The names the binder reads in an SDS, a container or a scenario: node sets, peers, devices, tenants, targets, event subjects. */
function recordBodyNames(r: NameRecorder, block: Block): void {
  for (const m of block.members) {
    if (m.kind !== 'property') continue;
    const name = m.name.text;
    if (block.blockKind === 'sds' && name === 'nodes') for (const a of m.args) r.arg(a);
    else if (block.blockKind === 'container' && (name === 'talks' || name === 'io' || name === 'colocate' || name === 'tenant')) r.arg(m.args[0]);
    else if (block.blockKind === 'container' && name === 'place') recordPlaceNames(r, m);
    else if (block.blockKind === 'scenario' && name === 'at') recordEventNames(r, m);
  }
}

/** The target of `place on TARGET`, read as one even when `on` is missing (`place r1` names `r1`). */
function recordPlaceNames(r: NameRecorder, p: Property): void {
  const a0 = p.args[0];
  if (!(a0?.kind === 'ref' && a0.parts.length === 1 && !a0.star && a0.parts[0].text === 'on')) r.arg(a0);
  r.arg(p.args[1]);
}

/** The names an event reads: its subject (a node set or a container) and the SDS a node joins. */
function recordEventNames(r: NameRecorder, p: Property): void {
  const kind = p.args[1]?.kind === 'ref' && p.args[1].parts.length === 1 ? p.args[1].parts[0].text : '';
  if (!isOneOf(EVENT_KINDS, kind)) return;
  r.arg(p.args[2]);
  if (EVENT_SYNTAX[kind].to === 'sds') r.arg(p.args[4]);
}
