// `topo size` speed: each example, and a generated 2,000-node / 20,000-replica file (the one
// bench/placement.ts packs, with headroom 1), against one check of the same file in the same run
// (the reference: sizing places the model a dozen times), next to the goals.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../server/src/core/check';
import { sizeModel } from '../server/src/core/sizing/index';
import { instance } from './placement';

function timed<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

export function benchSize(): string[] {
  const out: string[] = [];
  const dir = join(__dirname, '../examples');
  const files: [string, string][] = readdirSync(dir).filter((f) => f.endsWith('.topo')).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
  files.push(['generated 2,000 nodes, 20,000 replicas', instance(11, 2000, 20000, 'balanced').text.replace('headroom 0', 'headroom 1')]);
  for (const [k, [name, text]] of files.entries()) {
    const check = timed(() => checkText(text, '/bench/size.topo'));
    const size = timed(() => sizeModel(check.value.model));
    const sims = size.value.reduce((s, t) => s + (t.simulations ?? 0), 0);
    // the goals: under 2 s an example, under 10 s the 2,000-node file (check and size, as `topo size` runs them)
    const goal = k === files.length - 1 ? 10_000 : 2_000;
    const total = check.ms + size.ms;
    out.push(`${name}: ${(total / 1000).toFixed(2)} s (goal < ${goal / 1000} s: ${total < goal ? 'met' : 'MISSED'}); check ${check.ms.toFixed(0)} ms, size ${size.ms.toFixed(0)} ms (${(size.ms / check.ms).toFixed(1)}x a check; ${size.value.length} targets, ${sims} simulator runs)`);
  }
  return out;
}
