// The unified diff of `topo fmt --diff`, checked against GNU diff and patch: patch applies it to
// give the new text exactly, and it changes as few lines as `diff --minimal` does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { unifiedDiff } from '../../../server/src/cli/unifiedDiff';

const text = fc.tuple(fc.array(fc.constantFrom('a', 'b', 'c', '', '  a', 'x y', '}'), { maxLength: 30 }), fc.boolean())
  .map(([lines, eol]) => (lines.length ? lines.join('\n') + (eol ? '\n' : '') : ''));

function changed(diff: string): number {
  return diff.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l)).length;
}

test('equal texts give no diff; labels and hunk headers as diff -u writes them', () => {
  assert.equal(unifiedDiff('a\n', 'a\n', 'f', 'f'), '');
  assert.equal(unifiedDiff('a\nb\n', 'a\nc\n', 'old', 'new'), '--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n');
  assert.equal(unifiedDiff('', 'x\n', 'f', 'f'), '--- f\n+++ f\n@@ -0,0 +1 @@\n+x\n');
  assert.equal(unifiedDiff('x', 'x\n', 'f', 'f'), '--- f\n+++ f\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n');
});

test('patch applies every diff to give the new text, and the diff is as small as diff --minimal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-udiff-'));
  try {
    fc.assert(fc.property(text, text, (a, b) => {
      const d = unifiedDiff(a, b, 'a.txt', 'a.txt');
      if (a === b) return d === '';
      writeFileSync(join(dir, 'a.txt'), a);
      writeFileSync(join(dir, 'b.txt'), b);
      writeFileSync(join(dir, 'p.diff'), d);
      const p = spawnSync('patch', ['-s', '-o', join(dir, 'out.txt'), join(dir, 'a.txt'), join(dir, 'p.diff')], { encoding: 'utf8' });
      assert.equal(p.status, 0, `patch failed: ${p.stdout}${p.stderr}\n${d}`);
      assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), b, d);
      const gnu = spawnSync('diff', ['--minimal', '-u', join(dir, 'a.txt'), join(dir, 'b.txt')], { encoding: 'utf8' });
      assert.equal(changed(d), changed(gnu.stdout), `${d}\nGNU:\n${gnu.stdout}`);
      return true;
    }), { numRuns: 150, seed: 22 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a diff past the edit bound is still correct (one replacement of the middle)', () => {
  const a = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n') + '\n';
  const b = Array.from({ length: 3000 }, (_, i) => `LINE ${i}`).join('\n') + '\n';
  const d = unifiedDiff(a, b, 'f', 'f');
  assert.equal(changed(d), 6000);
  const dir = mkdtempSync(join(tmpdir(), 'topo-udiff-'));
  try {
    writeFileSync(join(dir, 'a.txt'), a);
    writeFileSync(join(dir, 'p.diff'), d);
    assert.equal(spawnSync('patch', ['-s', '-o', join(dir, 'out.txt'), join(dir, 'a.txt'), join(dir, 'p.diff')]).status, 0);
    assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), b);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
