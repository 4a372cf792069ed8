import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkText } from '../../../server/src/core/check';
import { findFixtures } from '../fixture-format';
import { seeded as rng } from '../../seeded';

const repo = resolve(__dirname, '../../..');
const sources = [
  ...(existsSync(join(repo, 'examples')) ? findFixtures(join(repo, 'examples')) : []),
  ...findFixtures(join(repo, 'test/fixtures')),
].map((f) => readFileSync(f, 'utf8'));

const PIECES = ['{', '}', '..', '.', ',', ';', '"', '#', '*', '-', '0', '1.5', 'GiB', '%', 'm', '\n', ' ', 'node', 'rack', 'sds', 'container',
  'scenario', 'place on', 'talks', 'at 5s fail', 'r1.*', 'n1..n9', 'memory', 'cores', 'cpu request', 'limit', '\u00e9', '\ud83d\ude00', '\r\n', '\t'];

function mutate(text: string, r: () => number): string {
  let t = text;
  const edits = 1 + Math.floor(r() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (t.length + 1));
    const op = r();
    if (op < 0.3) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 12)); // delete a run
    else if (op < 0.6) t = t.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + t.slice(at); // insert a token
    else if (op < 0.75) t = t.slice(0, at); // truncate
    else if (op < 0.9) { // duplicate a slice
      const from = Math.floor(r() * t.length);
      t = t.slice(0, at) + t.slice(from, from + Math.floor(r() * 40)) + t.slice(at);
    } else t = t.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + t.slice(at); // any character
  }
  return t;
}

test('thousands of mutated and truncated files never throw and give valid ranges', () => {
  assert.ok(sources.length > 5);
  const r = rng(20261122);
  let diagnostics = 0;
  const runs = 4000;
  for (let i = 0; i < runs; i++) {
    const base = sources[i % sources.length];
    const text = mutate(base, r);
    let result;
    try {
      result = checkText(text, '/ws/mutant.topo');
    } catch (e) {
      assert.fail(`input #${i} threw ${(e as Error).stack}\n--- input ---\n${text}`);
    }
    for (const d of result.diagnostics) {
      diagnostics++;
      const len = result.trees.get(d.file)?.text.length ?? -1;
      assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= len, `input #${i}: ${d.code} has an invalid range ${JSON.stringify(d.span)} in a text of ${len}\n${text}`);
      assert.ok(d.message.length > 0);
      for (const rel of d.related) {
        const rl = result.trees.get(rel.location.file)?.text.length ?? -1;
        assert.ok(rel.location.span.start >= 0 && rel.location.span.end <= rl && rel.location.span.start <= rel.location.span.end, `input #${i}: related range out of bounds`);
      }
      const c = text.charCodeAt(d.span.start);
      assert.ok(!(c >= 0xdc00 && c <= 0xdfff), `input #${i}: a range starts inside a surrogate pair`);
    }
  }
  assert.ok(diagnostics > runs / 2, 'mutations produce diagnostics');
});

test('the same text always gives the same result', () => {
  for (const text of sources) {
    const a = checkText(text, '/ws/a.topo');
    const b = checkText(text, '/ws/a.topo');
    assert.deepEqual(JSON.parse(JSON.stringify(a.model)), JSON.parse(JSON.stringify(b.model)));
    assert.deepEqual(a.diagnostics, b.diagnostics);
  }
});
