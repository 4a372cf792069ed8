import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import assert from 'node:assert/strict';
import { parseFile } from '../../../server/src/core/syntax/parser';
import { reparse, type ReparseStats } from '../../../server/src/core/syntax/reparse';
import { corpus, randomEdit, seeded } from './replay-edits';

const EDITS = Number(process.env.TOPO_REPLAY_EDITS ?? 100_000);

test(`incremental reparse equals a fresh parse after every one of ${EDITS} random edits`, () => {
  const texts = corpus();
  assert.ok(texts.length >= 40, `corpus has ${texts.length} texts`);
  const r = seeded(17);
  const stats: ReparseStats = { incremental: 0, whole: 0 };
  const perText = Math.ceil(EDITS / texts.length);
  let done = 0;
  for (const { name, text: start } of texts) {
    const file = '/ws/main.topo';
    let text = start;
    let prev = parseFile(text, file);
    for (let i = 0; i < perText && done < EDITS; i++, done++) {
      // every 4th edit goes back to the original text (an undo), so most edits happen on text that parses
      const next = i % 4 === 3 ? start : randomEdit(text, r);
      const got = reparse(prev, next, file, stats);
      const want = parseFile(next, file);
      if (!isDeepStrictEqual(got, want)) assert.deepStrictEqual(got, want, `${name}, edit ${i}: ${JSON.stringify(text)} -> ${JSON.stringify(next)}`);
      text = next;
      prev = got;
    }
  }
  assert.equal(done, EDITS);
  // The test must exercise the incremental path, not only its fallback.
  assert.ok(stats.incremental > EDITS * 0.25, `only ${stats.incremental} of ${EDITS} reparses were incremental (${stats.whole} whole)`);
  console.log(`reparse: ${stats.incremental} incremental, ${stats.whole} whole-file parses`);
});

test('a malformed number (T103) skips text like a syntax error: the file is parsed whole again', () => {
  // `.8..#` is one malformed number (not a comment), and recovery then skips `t` unreported; once
  // `.8..` is deleted, `#` starts a comment that a lone \r ends, and `t` is a T100 of its own
  const prev = parseFile('.8..#\rt', '/ws/main.topo');
  const stats: ReparseStats = { incremental: 0, whole: 0 };
  const next = reparse(prev, '#\rt', '/ws/main.topo', stats);
  assert.deepEqual(next, parseFile('#\rt', '/ws/main.topo'));
  assert.deepEqual(next.diagnostics.map((d) => `${d.code}@${d.span.start}`), ['T100@2']);
  assert.deepEqual(stats, { incremental: 0, whole: 1 });
});
