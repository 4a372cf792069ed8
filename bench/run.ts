// `npm run bench`: runs every bench/*.ts module's exported `bench*` functions in turn and prints
// their lines. `npm run bench -- parse placement` runs only modules whose file name matches.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { figureTable } from './figures';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_')).sort();
  console.log(`Topo benchmarks — node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}); numbers on a shared machine: compare ratios within one run`);
  for (const f of files) {
    if (only.length && !only.some((o) => f.includes(o))) continue;
    const mod = (await import(pathToFileURL(join(__dirname, f)).href)) as Record<string, unknown>;
    for (const [name, fn] of Object.entries(mod)) {
      if (!name.startsWith('bench') || typeof fn !== 'function') continue;
      console.log(`\n## ${f.replace(/\.ts$/, '')}: ${name}`);
      const lines = (await (fn as () => Promise<string[]> | string[])()) ?? [];
      for (const l of lines) console.log(`  ${l}`);
    }
  }
  const table = figureTable();
  if (table.length) {
    console.log(`\n## issue 17: the figures of this run next to their goals (load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
    for (const l of table) console.log(l);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
