import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { codeActions, prepareRename, rename, renameTarget } from '../../../server/src/core/ide/index';
import type { IdeSnapshot } from '../../../server/src/core/ide/types';
import type { TextEdit } from '../../../server/src/core/text';
import { FILE } from './helpers';

/** Issue 18: node ranges rename as a whole; where a rename cannot work it is refused before a name is typed. */

function snapOf(text: string): IdeSnapshot {
  return { file: FILE, text, check: checkText(text, FILE) };
}

function apply(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

const at = (text: string, needle: string, delta = 0): number => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return i + delta;
};

const PROGRAM = `rack r1 {
  node n1..n4 { cores 32 memory 256GiB disk nvme0 2TB }
  node n5 { cores 32 memory 256GiB role spare }
}
sds pod1 {
  nodes r1.n1..n4
}
container db {
  cpu 1
  memory 1GiB
  io r1.n2.nvme0 weight 20%
  place on pod1
}
container web { cpu 1 memory 1GiB place on r1.n1..r1.n3 }
scenario "lose one" {
  at 5s fail r1.n2
  at 6s add r1.n5 to pod1
}
`;

test('prepareRename on a word of `node n1..n4` offers the whole range', () => {
  const s = snapOf(PROGRAM);
  for (const needle of ['n1..n4 {', 'n4 {']) {
    const t = prepareRename(s, at(PROGRAM, needle, 1));
    assert.ok(t, needle);
    assert.equal(t.placeholder, 'n1..n4');
    assert.equal(PROGRAM.slice(t.span.start, t.span.end), 'n1..n4');
  }
});

test('renaming the range n1..n4 -> h1..h4 renames every reference, single, device and range ones', () => {
  const s = snapOf(PROGRAM);
  const r = rename(s, at(PROGRAM, 'n1..n4 {', 1), 'h1..h4');
  assert.ok('edits' in r, 'error' in r ? r.error : '');
  const out = apply(PROGRAM, r.edits);
  assert.equal(out, PROGRAM
    .replace('node n1..n4', 'node h1..h4')
    .replace('nodes r1.n1..n4', 'nodes r1.h1..h4')
    .replace('io r1.n2.nvme0', 'io r1.h2.nvme0')
    .replace('place on r1.n1..r1.n3', 'place on r1.h1..r1.h3')
    .replace('fail r1.n2', 'fail r1.h2'));
  // the renamed program binds to the same model, node names aside
  const before = checkText(PROGRAM, FILE);
  const after = checkText(out, FILE);
  assert.deepEqual(after.diagnostics.map((d) => d.code), before.diagnostics.map((d) => d.code));
  assert.deepEqual(after.model.nodes.map((n) => n.ref), ['r1.h1', 'r1.h2', 'r1.h3', 'r1.h4', 'r1.n5']);
  assert.deepEqual(after.model.sdses[0].nodes, before.model.sdses[0].nodes);
  assert.equal(JSON.stringify(after.placement), JSON.stringify(before.placement).replace(/(r1\.|\.\.)n([1-4])\b/g, '$1h$2'));
});

test('a range rename is refused with a reason: not a range, another count, a taken name, a reference beyond the range', () => {
  const s = snapOf(PROGRAM);
  const o = at(PROGRAM, 'n1..n4 {', 1);
  const err = (name: string): string => {
    const r = rename(s, o, name);
    assert.ok('error' in r, `${name} was accepted`);
    return r.error;
  };
  assert.match(err('h1'), /node range: rename it to another range `FIRST\.\.LAST` of 4 nodes \(e\.g\. `h1\.\.h4`\)/);
  assert.match(err('h1..h3'), /names 3 nodes and `n1\.\.n4` declares 4/);
  assert.match(err('n2..n5'), /already has a node `n5`/);
  assert.match(err('h4..h1'), /backwards/);
  // a reference naming n1..n5 spans two declarations: renaming one would change what it names
  const wide = PROGRAM.replace('place on r1.n1..r1.n3', 'place on r1.n3..n5');
  const r = rename(snapOf(wide), at(wide, 'n1..n4 {', 1), 'h1..h4');
  assert.ok('error' in r);
  assert.match(r.error, /`r1\.n3\.\.n5` also names nodes outside `n1\.\.n4`/);
});

test('renameTarget refuses a single member of a range with the reason; prepareRename gives null there', () => {
  const s = snapOf(PROGRAM);
  for (const needle of ['fail r1.n2', 'io r1.n2']) {
    const o = at(PROGRAM, needle, needle.indexOf('n2') + 1);
    const t = renameTarget(s, o);
    assert.ok(t && 'error' in t, needle);
    assert.match(t.error, /declared by the node range `node n1\.\.n4`/);
    assert.match(t.error, /Rename the whole range at its declaration/);
    assert.equal(prepareRename(s, o), null);
  }
  // a node of its own and the rack still rename
  const n5 = renameTarget(s, at(PROGRAM, 'node n5', 6));
  assert.ok(n5 && 'placeholder' in n5 && n5.placeholder === 'n5');
});

test('"Expand node range", then "Rewrite node range as a list", then a rename of one node works', () => {
  const text = 'rack r1 {\n  node n1..n2 { cores 8 memory 32GiB }\n}\nsds pod1 {\n  nodes r1.n1..n2\n}\n';
  let s = snapOf(text);
  const expand = codeActions(s, { start: at(text, 'n1..n2 {'), end: at(text, 'n1..n2 {') }, []).find((a) => a.title.startsWith('Expand node range'));
  assert.ok(expand);
  const expanded = apply(text, expand.edits);
  s = snapOf(expanded);
  const o = at(expanded, 'node n1', 6);
  const refused = renameTarget(s, o);
  assert.ok(refused && 'error' in refused);
  assert.match(refused.error, /part of a node range reference \(`r1\.n1\.\.n2`\).*"Rewrite node range as a list"/);
  const rewrite = codeActions(s, { start: at(expanded, 'r1.n1..n2', 4), end: at(expanded, 'r1.n1..n2', 4) }, []).find((a) => a.title.startsWith('Rewrite node range'));
  assert.ok(rewrite);
  assert.equal(rewrite.title, 'Rewrite node range `r1.n1..n2` as a list of 2 nodes');
  const listed = apply(expanded, rewrite.edits);
  assert.ok(listed.includes('nodes r1.n1, r1.n2'), listed);
  assert.deepEqual(checkText(listed, FILE).model.sdses[0].nodes, checkText(text, FILE).model.sdses[0].nodes);
  s = snapOf(listed);
  const r = rename(s, at(listed, 'node n1', 6), 'head');
  assert.ok('edits' in r, 'error' in r ? r.error : '');
  const out = apply(listed, r.edits);
  assert.ok(out.includes('node head {') && out.includes('nodes r1.head, r1.n2'), out);
  assert.deepEqual(checkText(out, FILE).diagnostics.filter((d) => d.severity === 'error'), []);
});
