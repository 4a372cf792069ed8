import type { Property } from './ast';
import type { PropertySpec } from './schema';

/** Whether every bare word among the property's arguments is one the schema gives it (a value, modifier or sub-keyword, or a name it takes first). */
export function onlyItsWords(spec: PropertySpec, p: Property): boolean {
  const own = new Set([...(spec.values ?? []), ...(spec.modifiers ?? []), ...Object.keys(spec.keys ?? {})]);
  for (let i = 0; i < p.args.length; i++) {
    const a = p.args[i];
    if (a.kind !== 'ref' || a.parts.length !== 1 || (spec.takesName === true && i === 0)) continue;
    const word = a.parts[0].text;
    if (!own.has(word)) return false;
    // a sub-keyword that takes a name (`place on TARGET`) reads the next word as that name, whatever it is
    if (spec.keys?.[word] === null) i++;
  }
  return true;
}
