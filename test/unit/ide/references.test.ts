import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { applyEdits } from '../../../server/src/core/ide/format';
import { definition, documentHighlights, prepareRename, references, rename } from '../../../server/src/core/ide/index';
import type { IdeSnapshot } from '../../../server/src/core/ide/types';
import { FILE, SPEC_EXAMPLE, slice, snap } from './helpers';

const text = 'container db {\n}\ncontainer web {\n  talks db\n}\n';

function at(s: IdeSnapshot, needle: string, delta = 0): number {
  const i = s.text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return i + delta;
}

test('definition and references of a container name', () => {
  const { s } = snap(text);
  const use = text.indexOf('talks db') + 6;
  assert.deepEqual(definition(s, use), [{ file: FILE, span: { start: 10, end: 12 } }]);
  assert.deepEqual(references(s, use, true).map((l) => l.span.start), [10, use]);
  assert.deepEqual(references(s, 10, false).map((l) => l.span.start), [use]);
});

test('definition of a node reference goes to its range declaration; references include covering ranges', () => {
  const { s } = snap(SPEC_EXAMPLE);
  const use = at(s, 'fail r1.n3', 8);
  const defs = definition(s, use).map((l) => slice(s, l.span));
  assert.deepEqual(defs, ['n1..n4']);
  const refs = references(s, use, false).map((l) => slice(s, l.span));
  assert.deepEqual(refs, ['n3', 'n1..n4']);
  // the rack part of `r1.n3` is the rack
  assert.deepEqual(definition(s, at(s, 'fail r1.n3', 5)).map((l) => slice(s, l.span)), ['r1']);
  // devices
  assert.deepEqual(definition(s, at(s, 'nvme0 weight', 1)).map((l) => slice(s, l.span)), ['nvme0']);
  // scenarios are declarations only
  assert.equal(references(s, at(s, '"lose', 2), true).length, 1);
});

test('documentHighlights marks the declaration as write and uses as read', () => {
  const { s } = snap(text);
  assert.deepEqual(documentHighlights(s, 11).map((h) => h.kind), ['write', 'read']);
  assert.deepEqual(documentHighlights(s, 0), []);
});

test('rename edits every occurrence and refuses taken or invalid names', () => {
  const { s } = snap(text);
  const r = rename(s, 11, 'store');
  assert.ok('edits' in r);
  assert.equal(applyEdits(text, r.edits), text.replaceAll('db', 'store'));
  assert.match(('error' in rename(s, 11, 'web') ? (rename(s, 11, 'web') as { error: string }).error : ''), /already/);
  assert.ok('error' in rename(s, 11, '9x'));
  assert.ok('error' in rename(s, 11, 'x-'));
  assert.ok('error' in rename(s, 0, 'x'));
  assert.equal(prepareRename(s, 11)?.placeholder, 'db');
  assert.equal(prepareRename(s, 1), null);
});

test('renaming a rack renames every RACK. reference; a range member is refused with an explanation', () => {
  const { s } = snap(SPEC_EXAMPLE);
  const r = rename(s, at(s, 'rack r1', 6), 'east');
  assert.ok('edits' in r);
  const out = applyEdits(s.text, r.edits);
  assert.ok(out.includes('rack east {') && out.includes('nodes east.n1..n4') && out.includes('fail east.n3') && out.includes('io east.n2.nvme0'));
  assert.ok(!/\br1\b/.test(out));
  const before = checkText(s.text, FILE);
  const after = checkText(out, FILE);
  assert.deepEqual(after.diagnostics.map((d) => d.code), before.diagnostics.map((d) => d.code));
  const refused = rename(s, at(s, 'fail r1.n3', 8), 'n9');
  assert.ok('error' in refused);
  assert.match(refused.error, /range/);
  assert.match(refused.error, /n1\.\.n4/);
  // a single node named inside a range reference is refused too
  const { s: s2 } = snap('rack r {\n  node a1 { cores 1 memory 1GiB }\n  node a2 { cores 1 memory 1GiB }\n}\nsds p {\n  nodes r.a1..a2\n}\n');
  const e2 = rename(s2, s2.text.indexOf('a1'), 'b1');
  assert.ok('error' in e2 && /range/.test(e2.error));
  // a node not in any range renames cleanly, and a duplicate in the rack is refused
  const { s: s3 } = snap('rack r {\n  node a1 { cores 1 memory 1GiB }\n  node a2 { cores 1 memory 1GiB }\n}\nsds p {\n  nodes r.a1, r.a2\n}\n');
  const ok3 = rename(s3, s3.text.indexOf('a1'), 'b1');
  assert.ok('edits' in ok3);
  assert.ok(applyEdits(s3.text, ok3.edits).includes('nodes r.b1, r.a2'));
  assert.ok('error' in rename(s3, s3.text.indexOf('a1'), 'a2'));
});

test('rename works across an import, in both directions', () => {
  const lib = '/work/lib.topo';
  const libText = 'rack r1 {\n  node n1 { cores 8 memory 32GiB }\n}\nsds pod {\n  nodes r1.*\n}\n';
  const files = new Map([[lib, libText]]);
  const { s } = snap('import "lib.topo"\ncontainer web {\n  cpu 1\n  memory 1GiB\n  place on pod\n}\n', files);
  const r = rename(s, s.text.indexOf('on pod') + 4, 'cluster');
  assert.ok('edits' in r);
  const byFile = new Map<string, string>();
  for (const e of r.edits) byFile.set(e.file, '');
  assert.deepEqual([...byFile.keys()].sort(), [lib, FILE].sort());
  const newLib = applyEdits(libText, r.edits.filter((e) => e.file === lib));
  const newMain = applyEdits(s.text, r.edits.filter((e) => e.file === FILE));
  assert.ok(newLib.includes('sds cluster {'));
  assert.ok(newMain.includes('place on cluster'));
  assert.deepEqual(checkText(newMain, FILE, new Map([[lib, newLib]])).diagnostics.map((d) => d.code), []);
  // references from the main file reach the declaration in the import
  assert.deepEqual(definition(s, s.text.indexOf('on pod') + 4).map((l) => l.file), [lib]);
});

test('scenario names rename as strings', () => {
  const { s } = snap(SPEC_EXAMPLE);
  const r = rename(s, at(s, '"lose', 3), 'lose two');
  assert.ok('edits' in r);
  assert.ok(applyEdits(s.text, r.edits).includes('scenario "lose two" {'));
  assert.ok('error' in rename(s, at(s, '"lose', 3), 'a"b'));
});

test('renaming a device declared in a node range renames its uses on every node of the range', () => {
  const text = 'rack r {\n  node n1..n3 { cores 4 memory 8GiB disk nvme0 1TB }\n}\nsds p {\n  nodes r.n1..n3\n}\ncontainer a {\n  cpu 1\n  memory 1GiB\n  io r.n1.nvme0 weight 10%\n  io r.n2.nvme0 weight 10%\n  place on p\n}\n';
  const { s } = snap(text);
  assert.deepEqual(checkText(text, FILE).diagnostics.filter((d) => d.severity === 'error'), []);
  // from a use on n1 and from the declaration alike: n2's use follows, or the file breaks (T200)
  for (const from of [at(s, 'r.n1.nvme0', 6), at(s, 'nvme0 1TB', 1)]) {
    const r = rename(s, from, 'ssd');
    assert.ok('edits' in r, 'error' in r ? r.error : '');
    const out = applyEdits(text, r.edits);
    assert.equal(out, text.replaceAll('nvme0', 'ssd'));
    assert.deepEqual(checkText(out, FILE).diagnostics.filter((d) => d.severity === 'error'), []);
  }
});
