import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// Issue 17: no unbounded growth across edits. A reparsed declaration's names were slices of the
// reparsed lines, themselves a slice of that version's whole text, so each edit kept a copy of the
// file alive (about 40 KiB of heap per edit on this file). Now the heap after a full GC stays put.
test('incremental reparses keep no old text alive: the heap after 100 and after 500 edits of a 10,000-line file is the same within 2 MiB', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'heap-probe.ts'), '500'], { encoding: 'utf8', timeout: 120_000 });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { at100: number; atEnd: number; incremental: number; whole: number };
  assert.equal(r.whole, 0, 'every edit was reparsed incrementally');
  assert.equal(r.incremental, 499); // the first parse is a fresh one
  const grew = (r.atEnd - r.at100) / 2 ** 20;
  assert.ok(grew < 2, `heap grew by ${grew.toFixed(1)} MiB over 400 edits`);
});
