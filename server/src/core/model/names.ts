import type { Arg, Block, RangeRef, Ref, SourceFile, TopLevel, Word } from '../syntax/ast';
import type { Span } from '../text';
import { expandNameRange } from './ranges';

/**
 * The reference table the binder emits while it binds (as rust-analyzer's hir and Bicep's
 * semantic model do): every word the binder reads as a name, declaration or use, with the
 * symbol keys it stands for. The ide layer (references, rename, hover, semantic tokens, inlay
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

/** Per file, per top-level item (its index in the tree's `items`): the names in it, in binding order. */
export type NameTable = ReadonlyMap<string, readonly (readonly NameOccurrence[])[]>;

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

/** Collects the table as the binder reads names. `at` selects the top-level item being bound. */
export class NameRecorder {
  private readonly table = new Map<string, NameOccurrence[][]>();
  private readonly itemIndex = new Map<TopLevel, number>();
  private current: NameOccurrence[] = [];
  /** The key heads of the rack last asked for (a rack's nodes come one after another). */
  private heads = { rack: '', node: 'node:.', dev: 'dev:.' };

  constructor(trees: ReadonlyMap<string, SourceFile>, private readonly kindOf: (name: string) => SharedKind | undefined) {
    for (const [file, tree] of trees) {
      this.table.set(file, tree.items.map(() => []));
      tree.items.forEach((item, i) => this.itemIndex.set(item, i));
    }
  }

  /** Records into the table of this top-level item from now on. */
  at(file: string, item: TopLevel): void {
    const i = this.itemIndex.get(item);
    this.current = i === undefined ? [] : this.table.get(file)?.[i] ?? [];
  }

  result(): NameTable {
    return this.table;
  }

  private headsOf(rack: string): { node: string; dev: string } {
    if (this.heads.rack !== rack) this.heads = { rack, node: `node:${rack}.`, dev: `dev:${rack}.` };
    return this.heads;
  }

  private push(o: Occurrence): void {
    if (o.span.end > o.span.start) this.current.push(o);
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
