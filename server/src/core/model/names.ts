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

/** Collects the table as the binder reads names. `at` selects the top-level item being bound. */
export class NameRecorder {
  private readonly table = new Map<string, NameOccurrence[][]>();
  private readonly itemIndex = new Map<TopLevel, number>();
  private current: NameOccurrence[] = [];

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

  private push(o: NameOccurrence): void {
    if (o.span.end > o.span.start) this.current.push(o);
  }

  /** A declaration of a rack, SDS or container. */
  declName(w: Word, kind: SharedKind): void {
    this.push({ span: w.span, kind, keys: [`name:${w.text}`], decl: true });
  }

  declScenario(span: Span, name: string): void {
    this.push({ span, kind: 'scenario', keys: [`scn:${name}`], decl: true });
  }

  /** `node n1` or `node n1..n8` in rack `rack`; returns the node names it declares as written. */
  declNodes(rack: string, b: Block): string[] {
    if (!b.name || b.name.kind !== 'word') return [];
    if (b.rangeEnd) {
      const e = expandNameRange(b.name.text, b.rangeEnd.text);
      const names = 'names' in e ? e.names : [];
      const keys = names.map((n) => `node:${rack}.${n}`);
      this.push({ span: b.name.span, kind: 'node', keys, decl: true, inRangeDecl: true });
      this.push({ span: b.rangeEnd.span, kind: 'node', keys, decl: true, inRangeDecl: true });
      return names;
    }
    this.push({ span: b.name.span, kind: 'node', keys: [`node:${rack}.${b.name.text}`], decl: true });
    return [b.name.text];
  }

  /** `disk NAME` on the nodes of a declaration. */
  declDevice(rack: string, nodes: readonly string[], w: Word): void {
    this.push({ span: w.span, kind: 'device', keys: nodes.map((n) => `dev:${rack}.${n}.${w.text}`), decl: true });
  }

  /** A single word in the shared namespace of racks, SDSes and containers. */
  name(w: Word, expected?: 'rack'): void {
    this.push({ span: w.span, kind: this.kindOf(w.text) ?? null, expected, keys: [`name:${w.text}`], decl: false });
  }

  private node(rack: string, w: Word, covers?: readonly string[]): void {
    this.push({ span: w.span, kind: 'node', keys: [`node:${rack}.${w.text}`], decl: false, covers });
  }

  /** `web`, `r1`, `r1.n2`, `r1.n2.dev`, `r1.*` as a reference to a name, a rack, a node or a device. */
  ref(ref: Ref, covers?: readonly string[]): void {
    const [a, b, c] = ref.parts;
    if (!a) return;
    if (ref.parts.length === 1 && !ref.star) return this.name(a);
    this.name(a, 'rack');
    if (b) this.node(a.text, b, covers);
    if (b && c) this.push({ span: c.span, kind: 'device', keys: [`dev:${a.text}.${b.text}.${c.text}`], decl: false });
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
