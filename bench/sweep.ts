// `topo sweep` speed-up: one sweep of an example through the built CLI (a process, as a user
// runs it) with --jobs 1 and with --jobs 2, in the same run; the ratio is the speed-up the
// worker threads give on 2 cores (less when other sessions share the machine). The two tables
// must be the same bytes.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '..');
const ARGS = ['sweep', 'examples/spec-example.topo', '--seeds', '8'];

function sweep(jobs: number): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(REPO, 'bin/topo.js'), ...ARGS, '--jobs', String(jobs)], { cwd: REPO, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`topo ${ARGS.join(' ')} --jobs ${jobs} failed: ${r.stderr}`);
  return { ms, out: r.stdout };
}

export function benchSweep(): string[] {
  if (!existsSync(join(REPO, 'dist/sweep-worker.js'))) return ['skipped: run `npm run build` first (the sweep runs the built CLI)'];
  const runs = 2 * 4 * 8;
  const one = [sweep(1), sweep(1)];
  const two = [sweep(2), sweep(2)];
  if (two.some((t) => t.out !== one[0].out) || one[1].out !== one[0].out) throw new Error('the --jobs 2 table differs from the --jobs 1 table');
  const best = (xs: { ms: number }[]): number => Math.min(...xs.map((x) => x.ms));
  const [t1, t2] = [best(one), best(two)];
  return [
    `topo ${ARGS.join(' ')} (${runs} runs), best of 2, ${availableParallelism()} cores here`,
    `--jobs 1: ${(t1 / 1000).toFixed(2)} s (${(t1 / runs).toFixed(0)} ms a run)`,
    `--jobs 2: ${(t2 / 1000).toFixed(2)} s: speed-up ${(t1 / t2).toFixed(2)}x on 2 cores against one (ideal 2x; tables identical)`,
    `load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores during the bench: above 2 other processes share the cores, and the speed-up shrinks toward 1x`,
  ];
}
