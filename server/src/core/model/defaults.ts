import type { BlockKind } from '../syntax/ast';
import { propertySpec, type Quantity } from '../syntax/schema';
import { isOneOf } from '../syntax/words';
import { UNITS } from './units';

/**
 * The defaults of properties left out, read from the schema (syntax/schema.ts), where each is
 * written as a user would write it (`4GiB`, `10%`, `cost`): one table for the binder, hover and
 * the docs. A default the schema lacks is a programming error, caught when the binder loads.
 */

/** A value as written (`4GiB`, `1.0`, `10%`) in canonical units, as the binder reads it from a file. */
function canonical(q: Quantity, written: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)([A-Za-z%]*)$/.exec(written);
  if (!m) throw new Error(`schema: the default of ${what} (\`${written}\`) is not a number with a unit`);
  const value = Number(m[1]);
  const unit = m[2];
  if (q.unit === 'ratio' || q.unit === 'count') {
    if (unit !== '') throw new Error(`schema: the default of ${what} (\`${written}\`) takes no unit`);
    return value;
  }
  const factor = UNITS[q.unit][unit];
  if (factor === undefined) throw new Error(`schema: the default of ${what} (\`${written}\`) has no ${q.unit} unit`);
  // below one, divide by the whole reciprocal: `20us` is exactly 20e-6 (20 * 1e-6 is not)
  return factor < 1 ? value / Math.round(1 / factor) : value * factor;
}

/** The default of a property's quantity, or of one of its sub-keywords (`reserve cores`). */
export function defaultNumber(block: BlockKind, prop: string, key?: string): number {
  const spec = propertySpec(block, prop);
  const q = key === undefined ? spec?.quantity : spec?.keys?.[key];
  const what = `${block} ${prop}${key === undefined ? '' : ` ${key}`}`;
  if (!q || q.default === undefined) throw new Error(`schema: ${what} has no default`);
  return canonical(q, q.default, what);
}

/** The default of an enumerated property (`policy cost`), one of `values`. */
export function defaultChoice<T extends string>(block: BlockKind, prop: string, values: readonly T[]): T {
  const d = propertySpec(block, prop)?.default;
  if (d === undefined || !isOneOf(values, d)) throw new Error(`schema: ${block} ${prop} has no default among ${values.join(', ')}`);
  return d;
}
