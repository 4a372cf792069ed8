import type { Arg, Property } from './ast';
import type { PropertySpec } from './schema';

/** Whether every bare word among the property's arguments is one the schema gives it (a value, modifier or sub-keyword, or a name it takes first). */
export function onlyItsWords(spec: PropertySpec, p: Property): boolean {
  const own = new Set([...(spec.values ?? []), ...(spec.modifiers ?? []), ...Object.keys(spec.keys ?? {})]);
  return p.args.every((a, i) => a.kind !== 'ref' || a.parts.length !== 1 || own.has(a.parts[0].text) || (spec.takesName === true && i === 0) || (i > 0 && isKeyBefore(spec, p.args[i - 1])));
}

/** A name follows a sub-keyword that takes one (`place on TARGET`). */
function isKeyBefore(spec: PropertySpec, prev: Arg): boolean {
  return prev.kind === 'ref' && prev.parts.length === 1 && spec.keys?.[prev.parts[0].text] === null;
}
