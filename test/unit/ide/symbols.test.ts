import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { documentSymbols, foldingRanges } from '../../../server/src/core/ide/symbols';

const file = '/work/main.topo';
const text = '# a\n# b\nrack r1 {\n  node n1 {\n    cores 4\n  }\n}\ncontainer web {\n}\n';

test('documentSymbols nests nodes under racks', () => {
  const s = { file, text, check: checkText(text, file) };
  const syms = documentSymbols(s);
  assert.deepEqual(syms.map((x) => [x.name, x.kind]), [['r1', 'rack'], ['web', 'container']]);
  assert.deepEqual(syms[0].children.map((x) => [x.name, x.kind]), [['n1', 'node']]);
});

test('foldingRanges folds multi-line blocks and comment runs', () => {
  const s = { file, text, check: checkText(text, file) };
  assert.deepEqual(foldingRanges(s), [
    { startLine: 0, endLine: 1, kind: 'comment' },
    { startLine: 2, endLine: 6, kind: 'region' },
    { startLine: 3, endLine: 5, kind: 'region' },
    { startLine: 7, endLine: 8, kind: 'region' },
  ]);
});
