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

test('documentSymbols carry details from the model and the range as selection', async () => {
  const { SPEC_EXAMPLE, snap, slice } = await import('./helpers');
  const { s } = snap(SPEC_EXAMPLE);
  const syms = documentSymbols(s);
  assert.deepEqual(syms.map((x) => x.kind), ['defaults', 'rack', 'rack', 'sds', 'container', 'container', 'container', 'scenario']);
  const r1 = syms[1];
  assert.equal(r1.detail, '5 nodes');
  assert.deepEqual(r1.children.map((c) => [c.name, c.detail, slice(s, c.selectionSpan)]), [
    ['n1..n4', '32 cores · 256GiB', 'n1..n4'],
    ['n5', '32 cores · 256GiB · spare', 'n5'],
  ]);
  assert.equal(syms[5].detail, '6 × 500m cpu, 1GiB → r2');
});

test('workspaceSymbols matches substrings and in-order letters across programs, each file once', async () => {
  const { workspaceSymbols } = await import('../../../server/src/core/ide/index');
  const { SPEC_EXAMPLE } = await import('./helpers');
  const a = checkText(SPEC_EXAMPLE, '/work/a.topo');
  const b = checkText('container apx {\n}\n', '/work/b.topo');
  assert.deepEqual(workspaceSymbols([a, b, a], 'ap').map((x) => x.name), ['api', 'apx']);
  assert.deepEqual(workspaceSymbols([a], 'anl').map((x) => x.name), ['analytics']);
  const n = workspaceSymbols([a], 'm1..');
  assert.equal(n[0].kind, 'node');
  assert.equal(n[0].container, 'r2');
  assert.equal(workspaceSymbols([a], '').length, 10);
  assert.deepEqual(workspaceSymbols([a], 'zzz'), []);
});

test('selectionRanges grow from word to value to property to block to file', async () => {
  const { selectionRanges } = await import('../../../server/src/core/ide/index');
  const { SPEC_EXAMPLE, snap, slice } = await import('./helpers');
  const { s } = snap(SPEC_EXAMPLE);
  const o = s.text.indexOf('nodes r1.n1..n4') + 10;
  const [chain] = selectionRanges(s, [o]);
  assert.deepEqual(chain.slice(0, 4).map((sp) => slice(s, sp)), ['n1', 'r1.n1', 'r1.n1..n4', 'nodes r1.n1..n4']);
  assert.equal(slice(s, chain[chain.length - 1]), s.text);
  assert.ok(slice(s, chain[chain.length - 2]).startsWith('sds pod1 {'));
  for (let i = 1; i < chain.length; i++) assert.ok(chain[i].start <= chain[i - 1].start && chain[i - 1].end <= chain[i].end);
  const [inner] = selectionRanges(s, [s.text.indexOf('cores 32 memory 256GiB disk') + 2]);
  assert.deepEqual(inner.slice(0, 2).map((sp) => slice(s, sp)), ['cores', 'cores 32']);
  assert.ok(slice(s, inner[3]).startsWith('node n1..n4'));
  assert.ok(slice(s, inner[5]).startsWith('rack r1'));
});
