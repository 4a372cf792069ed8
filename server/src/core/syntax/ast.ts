import type { Span } from '../text';

/**
 * The syntax tree. Every node carries its exact span. The parser always returns a tree,
 * however broken the text: missing pieces are null, never absent nodes that crash a consumer.
 */

export type BlockKind = 'defaults' | 'rack' | 'node' | 'fabric' | 'sds' | 'tenant' | 'container' | 'scenario';

/** An identifier-like word: a name, a keyword or a sub-keyword (keywords are contextual). */
export interface Word {
  readonly kind: 'word';
  readonly text: string;
  readonly span: Span;
}

/** A number with its optional unit written right after it (`256GiB`, `500m`, `80%`, `-1`). */
export interface NumberLit {
  readonly kind: 'number';
  /** The numeric part as written (before the unit is applied). NaN when malformed (then T103 was reported). */
  readonly value: number;
  /** The unit text as written, '' when none. */
  readonly unit: string;
  readonly numberSpan: Span;
  /** Span of the unit; empty (start === end) when there is none. */
  readonly unitSpan: Span;
  readonly span: Span;
}

export interface StringLit {
  readonly kind: 'string';
  /** The value with escapes resolved. */
  readonly value: string;
  readonly terminated: boolean;
  readonly span: Span;
}

/** A dotted reference: `web`, `r1.n3`, `r1.n2.nvme0`, `r1.*` (then `star` is set). */
export interface Ref {
  readonly kind: 'ref';
  readonly parts: readonly Word[];
  /** The span of a trailing `*`, or null. */
  readonly star: Span | null;
  readonly span: Span;
}

/** `r1.n1..r1.n4` or `r1.n1..n4`. `to` is null when the text after `..` is missing. */
export interface RangeRef {
  readonly kind: 'range';
  readonly from: Ref;
  readonly to: Ref | null;
  readonly span: Span;
}

/** Comma-separated references or ranges: `r1.n1..n4, r2.*`. */
export interface ListRef {
  readonly kind: 'list';
  readonly items: readonly (Ref | RangeRef)[];
  readonly span: Span;
}

export type Arg = NumberLit | StringLit | Ref | RangeRef | ListRef;

/** A keyword-led property: `memory request 1GiB limit 2GiB`. Args are interpreted by the binder. */
export interface Property {
  readonly kind: 'property';
  readonly name: Word;
  readonly args: readonly Arg[];
  readonly span: Span;
}

export interface Block {
  readonly kind: 'block';
  readonly blockKind: BlockKind;
  readonly keyword: Word;
  /** The declared name: a word, or a string for scenarios. Null when missing. */
  readonly name: Word | StringLit | null;
  /** For `node n1..n8`: the end of the range (null otherwise, or when missing after `..`). */
  readonly rangeEnd: Word | null;
  /** Span of `..` in a node range, or null. */
  readonly rangeDots: Span | null;
  readonly open: Span | null;
  readonly close: Span | null;
  readonly members: readonly Member[];
  readonly span: Span;
}

export type Member = Property | Block;

export interface Import {
  readonly kind: 'import';
  readonly keyword: Word;
  readonly path: StringLit | null;
  readonly span: Span;
}

export type TopLevel = Import | Block;

export interface Comment {
  readonly span: Span;
  readonly text: string;
}

export interface SourceFile {
  readonly kind: 'file';
  readonly file: string;
  readonly text: string;
  readonly items: readonly TopLevel[];
  readonly comments: readonly Comment[];
  readonly span: Span;
}
