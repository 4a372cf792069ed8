// Run by memory.test.ts in a child process with --expose-gc: parses the bench's 10,000-line
// deployment, then N incremental edits (a replicas digit changed, or a space typed at the end of
// a line, as the bench types), and prints the heap in use after a full GC at edit 100 and at N.
import { generateDeployment } from '../../../bench/generate';
import { ProgramChecker } from '../../../server/src/core/incremental';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const lines = generateDeployment().split('\n');
const candidates: number[] = [];
lines.forEach((l, i) => { if (/replicas \d/.test(l)) candidates.push(i); });
let seed = 7;
const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const file = '/work/bench/deployment.topo';
const checker = new ProgramChecker();
const heap = (): number => { gc(); gc(); return process.memoryUsage().heapUsed; };
const n = Number(process.argv[2] ?? 400);
let at100 = 0;
for (let i = 1; i <= n; i++) {
  const line = candidates[Math.floor(random() * candidates.length)];
  const m = /replicas (\d)/.exec(lines[line]);
  if (m && i % 2 === 0) lines[line] = lines[line].slice(0, m.index + m[0].length - 1) + String((Number(m[1]) % 3) + 1) + lines[line].slice(m.index + m[0].length);
  else lines[line] += ' ';
  checker.parse(lines.join('\n'), file);
  if (i === 100) at100 = heap();
}
console.log(JSON.stringify({ at100, atEnd: heap(), incremental: checker.stats.incremental, whole: checker.stats.whole }));
