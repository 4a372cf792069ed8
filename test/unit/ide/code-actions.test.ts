import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { makeDiagnostic } from '../../../server/src/core/diagnostics';
import { applyEdits, codeActions } from '../../../server/src/core/ide/index';
import { FILE, SPEC_EXAMPLE, meaning, snap } from './helpers';

test('codeActions turns overlapping diagnostic fixes into quickfixes', () => {
  const text = 'rack r1 {}\n';
  const check = checkText(text, FILE);
  const d = makeDiagnostic('T101', { file: FILE, span: { start: 5, end: 7 } }, 'x', [], [
    { title: 'Rename', edits: [{ file: FILE, span: { start: 5, end: 7 }, newText: 'r2' }], preferred: true },
  ]);
  const s = { file: FILE, text, check };
  const hit = codeActions(s, { start: 6, end: 6 }, [d]);
  assert.equal(hit.length, 1);
  assert.equal(hit[0].title, 'Rename');
  assert.equal(hit[0].kind, 'quickfix');
  assert.equal(hit[0].preferred, true);
  assert.equal(codeActions(s, { start: 9, end: 10 }, [d]).length, 0);
});

test('the core quick fixes (spelling, missing unit) fix their diagnostics', () => {
  for (const [text, code] of [
    ['rack r1 {\n  node n1 { cores 4 memroy 8GiB }\n}\n', 'T104'],
    ['rack r1 {\n  node n1 { cores 4 memory 8 }\n}\n', 'T300'],
    ['rack r1 {\n  node n1 { cores 4 memory 8GiB }\n}\ncontainer c {\n  place on r2\n}\n', 'T200'],
  ] as const) {
    const { s } = snap(text);
    const d = s.check.diagnostics.find((x) => x.code === code);
    assert.ok(d, `${code} reported`);
    const actions = codeActions(s, d.span, s.check.diagnostics).filter((a) => a.kind === 'quickfix');
    assert.ok(actions.length > 0, `${code} has a quick fix`);
    const fixed = applyEdits(text, actions[0].edits);
    assert.ok(!checkText(fixed, FILE).diagnostics.some((x) => x.code === code), `${code} gone after the fix: ${fixed}`);
  }
});

test('expand node range writes one block per node and keeps the meaning', () => {
  const { s } = snap(SPEC_EXAMPLE);
  const at = s.text.indexOf('node n1..n4') + 6;
  const a = codeActions(s, { start: at, end: at }, []).find((x) => x.title.startsWith('Expand'));
  assert.ok(a);
  const out = applyEdits(s.text, a.edits);
  assert.ok(out.includes('  node n1 { cores 32 memory 256GiB disk nvme0 2TB }\n  node n2 { cores 32 memory 256GiB disk nvme0 2TB }\n'));
  assert.ok(!out.includes('n1..n4 {'));
  const after = checkText(out, FILE);
  assert.equal(meaning(after), meaning(s.check));
  assert.deepEqual(after.diagnostics.map((d) => d.code), s.check.diagnostics.map((d) => d.code));
  // and collapsing them again gives the original text back
  const s2 = { file: FILE, text: out, check: after };
  const at2 = out.indexOf('node n3') + 6;
  const c = codeActions(s2, { start: at2, end: at2 }, []).find((x) => x.title.startsWith('Collapse'));
  assert.ok(c);
  assert.match(c.title, /4 identical nodes/);
  assert.equal(applyEdits(out, c.edits), s.text);
});

test('collapse only takes identical, consecutive, numbered blocks and keeps multi-line layout', () => {
  const text = 'rack r {\n  node a01 {\n    cores 8\n    memory 16GiB\n  }\n  node a02 {\n    cores 8\n    memory 16GiB\n  }\n  node a03 {\n    cores 8   memory 16GiB\n  }\n  node a04 {\n    cores 9\n    memory 16GiB\n  }\n}\n';
  const { s } = snap(text);
  const at = text.indexOf('a02');
  const c = codeActions(s, { start: at, end: at }, []).find((x) => x.title.startsWith('Collapse'));
  assert.ok(c);
  const out = applyEdits(text, c.edits);
  assert.ok(out.startsWith('rack r {\n  node a01..a03 {\n    cores 8\n    memory 16GiB\n  }\n  node a04 {'));
  assert.equal(meaning(checkText(out, FILE)), meaning(s.check));
  // a04 differs: no collapse offered from it alone
  const at4 = text.indexOf('a04');
  assert.equal(codeActions(s, { start: at4, end: at4 }, []).filter((x) => x.title.startsWith('Collapse')).length, 0);
  // a comment between blocks prevents collapsing across it (it would be lost)
  const withComment = 'rack r {\n  node n1 { cores 1 memory 1GiB }\n  # keep me\n  node n2 { cores 1 memory 1GiB }\n}\n';
  const w = snap(withComment);
  assert.equal(codeActions(w.s, { start: withComment.indexOf('n1'), end: withComment.indexOf('n1') }, []).filter((x) => x.title.startsWith('Collapse')).length, 0);
  // names that do not form a range (n1, n3) are not collapsed
  const gap = snap('rack r {\n  node n1 { cores 1 memory 1GiB }\n  node n3 { cores 1 memory 1GiB }\n}\n');
  assert.equal(codeActions(gap.s, { start: 20, end: 20 }, []).filter((x) => x.title.startsWith('Collapse')).length, 0);
});

test('code actions never throw on broken text', () => {
  const { s } = snap('rack r { node n1..n { cores\n node n2 { } node n3 {');
  for (let i = 0; i <= s.text.length; i++) codeActions(s, { start: i, end: i }, s.check.diagnostics);
});
