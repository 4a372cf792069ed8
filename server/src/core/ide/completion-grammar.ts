import type { Arg } from '../syntax/ast';
import type { BlockKind } from '../syntax/ast';
import { PROPERTIES, type PropertySpec, type Quantity } from '../syntax/schema';
import { UNIT_KINDS, isOneOf, type UnitKind } from '../syntax/words';

/**
 * What each property's arguments are, derived from its schema entry (syntax/schema.ts): the
 * `syntax` line names the places (`talks CONTAINER [weight PERCENT]`, `disk NAME BYTES`,
 * `place on TARGET`; an upper-case word is a place, a place named after a unit kind is a
 * quantity), `keys`, `values`, `modifiers` and `quantity` give the words and units. Completion
 * reads the arguments written so far against it, so a new property needs no completion code.
 */

/** One argument place. */
export type Piece =
  /** A word that must be written (`on`, an event kind, `to`). */
  | { readonly kind: 'literal'; readonly word: string }
  /** One of the enumeration's words (`policy cost`). */
  | { readonly kind: 'enum'; readonly words: readonly string[] }
  /** A number of a unit kind. */
  | { readonly kind: 'quantity'; readonly place: string; readonly quantity: Quantity }
  /** A name, reference or string: `CONTAINER`, `TARGET`, `NODESET`, `NAME`, `STRING`... */
  | { readonly kind: 'name'; readonly place: string };

/** One way of writing the property (`cpu CPU` or `cpu request CPU limit CPU`). */
export interface Alternative {
  /** Places in order, right after the property name. */
  readonly positional: readonly Piece[];
  /** Sub-keywords, in any order after the positional places, each followed by its place. */
  readonly keys: ReadonlyMap<string, Piece>;
  /** Optional words after the positional places (`spread nodes even`). */
  readonly modifiers: readonly string[];
}

/** What may come next after the arguments written so far. */
export interface Next {
  /** Places one of which comes next (a value, a name, a required word). */
  readonly pieces: readonly Piece[];
  /** Sub-keywords that may come next. */
  readonly keys: readonly string[];
  /** Optional words that may come next. */
  readonly modifiers: readonly string[];
  /** Some way of writing the property is complete with what is written. */
  readonly complete: boolean;
  /** Some way of writing the property reads what is written. */
  readonly matched: boolean;
  /** The literal words matched so far (an event kind tells what its places name). */
  readonly literals: readonly string[];
}

const QUANTITY_PLACES: ReadonlySet<string> = new Set(UNIT_KINDS.map((k) => k.toUpperCase()));

function placePiece(spec: PropertySpec, place: string, quantity: Quantity | null | undefined): Piece {
  if (QUANTITY_PLACES.has(place)) {
    const unit = place.toLowerCase() as UnitKind;
    return { kind: 'quantity', place, quantity: quantity && quantity.unit === unit ? quantity : spec.quantity?.unit === unit ? spec.quantity : { unit, range: { describe: '' } } };
  }
  return { kind: 'name', place };
}

/**
 * The alternatives of a `syntax` line. An alternative that does not start with the property's
 * name continues the first one's places before its first word (`at DURATION fail NODE | add
 * NODE to SDS`: `add` also follows `at DURATION`).
 */
export function alternativesOf(spec: PropertySpec): Alternative[] {
  const texts = spec.syntax.split(' | ');
  const out: Alternative[] = [];
  let prefix: Piece[] = [];
  texts.forEach((text, i) => {
    const words = text.replace(/[[\]]/g, '').split(/\s+/).filter((w) => w !== '');
    const own = words[0] === spec.name;
    const positional: Piece[] = own ? [] : [...prefix];
    const keys = new Map<string, Piece>();
    const modifiers: string[] = [];
    for (let j = own ? 1 : 0; j < words.length; j++) {
      const w = words[j];
      if (spec.keys && Object.prototype.hasOwnProperty.call(spec.keys, w)) {
        const place = words[j + 1] ?? '';
        keys.set(w, placePiece(spec, place, spec.keys[w]));
        j++;
      } else if (spec.values && (w.includes('|') || spec.values.includes(w))) {
        positional.push({ kind: 'enum', words: spec.values });
      } else if (spec.modifiers?.includes(w)) {
        modifiers.push(w);
      } else if (/^[A-Z][A-Z.]*$/.test(w)) {
        if (keys.size > 0) break; // a place after the keys: not a shape this reader knows
        positional.push(placePiece(spec, w, spec.quantity));
      } else {
        positional.push({ kind: 'literal', word: w });
      }
    }
    if (i === 0) {
      const firstLiteral = positional.findIndex((p) => p.kind === 'literal');
      prefix = firstLiteral >= 0 ? positional.slice(0, firstLiteral) : [];
    }
    out.push({ positional, keys, modifiers });
  });
  return out;
}

const GRAMMAR = new Map<BlockKind, Map<string, readonly Alternative[]>>();
for (const kind of Object.keys(PROPERTIES) as BlockKind[]) {
  GRAMMAR.set(kind, new Map(PROPERTIES[kind].map((p) => [p.name, alternativesOf(p)])));
}

export function alternatives(block: BlockKind, property: string): readonly Alternative[] {
  return GRAMMAR.get(block)?.get(property) ?? [];
}

/** The argument as one plain word (`on`, `weight`, `cost`), or undefined. */
export function wordOf(arg: Arg): string | undefined {
  return arg.kind === 'ref' && arg.parts.length === 1 && arg.star === null ? arg.parts[0].text : undefined;
}

function fits(piece: Piece, arg: Arg): boolean {
  switch (piece.kind) {
    case 'literal': return wordOf(arg) === piece.word;
    case 'enum': { const w = wordOf(arg); return w !== undefined && piece.words.includes(w); }
    case 'quantity': return arg.kind === 'number';
    case 'name': return piece.place === 'STRING' ? arg.kind === 'string' : arg.kind !== 'number' && arg.kind !== 'string';
  }
}

interface State { readonly next: Piece[]; readonly keys: string[]; readonly modifiers: string[]; readonly complete: boolean; readonly literals: string[] }

/** Reads `args` against one alternative: what may follow, or null when they do not fit it. */
function readAlternative(alt: Alternative, args: readonly Arg[]): State | null {
  let pos = 0;
  const used = new Set<string>();
  const usedModifiers = new Set<string>();
  const literals: string[] = [];
  let pending: Piece | null = null;
  for (const a of args) {
    if (pending) {
      if (!fits(pending, a)) return null;
      pending = null;
      continue;
    }
    if (pos < alt.positional.length) {
      const p = alt.positional[pos];
      if (!fits(p, a)) return null;
      if (p.kind === 'literal') literals.push(p.word);
      pos++;
      continue;
    }
    const w = wordOf(a);
    const keyed = w !== undefined && !used.has(w) ? alt.keys.get(w) : undefined;
    if (w !== undefined && keyed) {
      used.add(w);
      pending = keyed;
      continue;
    }
    if (w !== undefined && alt.modifiers.includes(w) && !usedModifiers.has(w)) {
      usedModifiers.add(w);
      continue;
    }
    return null;
  }
  if (pending) return { next: [pending], keys: [], modifiers: [], complete: false, literals };
  if (pos < alt.positional.length) return { next: [alt.positional[pos]], keys: [], modifiers: [], complete: false, literals };
  const keys = [...alt.keys.keys()].filter((k) => !used.has(k));
  const modifiers = used.size === 0 ? alt.modifiers.filter((m) => !usedModifiers.has(m)) : [];
  return { next: [], keys, modifiers, complete: true, literals };
}

/** What may come after `args` in the property `property` of a `block` block, over all its alternatives. */
export function nextAfter(block: BlockKind, property: string, args: readonly Arg[]): Next {
  const pieces: Piece[] = [];
  const keys: string[] = [];
  const modifiers: string[] = [];
  const literals: string[] = [];
  let complete = false;
  let matched = false;
  const seen = new Set<string>();
  for (const alt of alternatives(block, property)) {
    const st = readAlternative(alt, args);
    if (!st) continue;
    matched = true;
    complete ||= st.complete;
    for (const p of st.next) {
      const id = p.kind === 'literal' ? `l:${p.word}` : p.kind === 'enum' ? `e:${p.words.join(',')}` : `${p.kind}:${p.place}`;
      if (!seen.has(id)) { seen.add(id); pieces.push(p); }
    }
    for (const k of st.keys) if (!keys.includes(k)) keys.push(k);
    for (const m of st.modifiers) if (!modifiers.includes(m)) modifiers.push(m);
    for (const l of st.literals) if (!literals.includes(l)) literals.push(l);
  }
  return { pieces, keys, modifiers, complete, matched, literals };
}

export { isOneOf };
