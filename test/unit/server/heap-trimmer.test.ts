// The Node server returns memory once edits pause: after a burst of garbage-making work, one
// full collection when it has been idle for the pause, and none while the work goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const HEAP = resolve(__dirname, '../../../server/src/node/heap.ts');

interface Outcome { before: number; after: number; forced: number }

/** Runs `script` in a fresh Node with `checked` (a trimmer with a 200 ms pause) and `keep`; `counted`: the trimmer's collections are counted in `forced`. */
function run(script: string, counted: boolean): Outcome {
  const code = `
    const { heapTrimmer } = require(${JSON.stringify(HEAP)});
    let forced = 0;
    const checked = ${counted ? 'heapTrimmer(200, () => { forced++; })' : 'heapTrimmer(200)'};
    const keep = [];
    ${script}
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Outcome;
}

test('after a pause, a heap grown well above what is live is collected', () => {
  const r = run(`
    // like checks of a large file, each keeping the last one's result until the next
    for (let i = 0; i < 16; i++) { keep[i % 2] = Array.from({ length: 200000 }, (_, k) => ({ k, s: 'x' + k })); checked(); }
    keep.length = 0;
    const before = process.memoryUsage().heapUsed;
    setTimeout(() => console.log(JSON.stringify({ before, after: process.memoryUsage().heapUsed, forced: 0 })), 500);
  `, false);
  assert.ok(r.after < r.before / 2, `heap used ${(r.before / 2 ** 20).toFixed(0)} MiB before the pause, ${(r.after / 2 ** 20).toFixed(0)} MiB after`);
});

test('no collection while the work goes on (each check re-arms the pause), one after it', () => {
  const r = run(`
    let i = 0;
    const t = setInterval(() => { keep[i++ % 2] = Array.from({ length: 200000 }, (_, k) => ({ k })); checked(); }, 20);
    setTimeout(() => {
      clearInterval(t);
      const during = forced;
      setTimeout(() => console.log(JSON.stringify({ before: during, after: forced, forced })), 500);
    }, 800);
  `, true);
  assert.equal(r.before, 0, 'no collection while checks come every 20 ms');
  assert.equal(r.after, 1, 'one collection after the pause');
});
