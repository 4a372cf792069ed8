import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { makeDiagnostic } from '../../../server/src/core/diagnostics';
import { codeActions } from '../../../server/src/core/ide/code-actions';

test('codeActions turns overlapping diagnostic fixes into quickfixes', () => {
  const file = '/work/main.topo';
  const text = 'rack r1 {}\n';
  const check = checkText(text, file);
  const d = makeDiagnostic('T101', { file, span: { start: 5, end: 7 } }, 'x', [], [
    { title: 'Rename', edits: [{ file, span: { start: 5, end: 7 }, newText: 'r2' }], preferred: true },
  ]);
  const s = { file, text, check };
  const hit = codeActions(s, { start: 6, end: 6 }, [d]);
  assert.equal(hit.length, 1);
  assert.equal(hit[0].title, 'Rename');
  assert.equal(hit[0].kind, 'quickfix');
  assert.equal(codeActions(s, { start: 9, end: 10 }, [d]).length, 0);
});
