// Real documents of the examples (placement, simulation, facts), computed once per test process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UpdateMessage } from '../../../media/preview/messages';
import { realUpdate, type RealOptions } from './real';

const cache = new Map<string, UpdateMessage>();
export const EXAMPLES = join(__dirname, '../../../examples');

export function example(name: string, o: RealOptions = {}): UpdateMessage {
  const key = `${name}\u0000${JSON.stringify(o)}`;
  let m = cache.get(key);
  if (!m) {
    const path = join(EXAMPLES, `${name}.topo`);
    cache.set(key, (m = realUpdate(readFileSync(path, 'utf8'), path, o)));
  }
  return structuredClone(m);
}

export function exampleText(name: string): string {
  return readFileSync(join(EXAMPLES, `${name}.topo`), 'utf8');
}
