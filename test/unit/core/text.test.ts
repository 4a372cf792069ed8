import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/core/text';
import { checkText } from '../../../server/src/core/check';
import { foldingRanges } from '../../../server/src/core/ide/index';

// Lines end at \n, \r\n or a lone \r, as in the Language Server Protocol: the server converts
// every position with LineIndex, so it must count lines as the client does.
test('LineIndex counts \\n, \\r\\n and a lone \\r as line breaks, as LSP does', () => {
  const text = 'a\nbb\r\nccc\rdddd\r\re';
  const ix = new LineIndex(text);
  assert.equal(ix.lineCount, 6);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((l) => ix.lineText(l)), ['a', 'bb', 'ccc', 'dddd', '', 'e']);
  assert.deepEqual(ix.position(text.indexOf('dddd')), { line: 3, character: 0 });
  assert.deepEqual(ix.position(text.length), { line: 5, character: 1 });
  assert.equal(ix.offset({ line: 3, character: 2 }), text.indexOf('dddd') + 2);
  // A character past the end of a line stops before its break, whichever it is.
  assert.equal(ix.offset({ line: 1, character: 99 }), text.indexOf('\r\n'));
  assert.equal(ix.offset({ line: 2, character: 99 }), text.indexOf('ccc') + 3);
  assert.equal(ix.offset({ line: 4, character: 9 }), text.lastIndexOf('\r'));
  for (let o = 0; o <= text.length; o++) {
    if (text[o - 1] === '\r' && text[o] === '\n') continue; // inside a \r\n: not a position
    assert.equal(ix.offset(ix.position(o)), o, `round trip of offset ${o}`);
  }
});

test('folding ranges count lines as LineIndex does', () => {
  const text = 'rack r1 {\r  node n1 { cores 4 memory 8GiB }\r}\r';
  const r = checkText(text);
  assert.deepEqual(foldingRanges({ file: '/work/main.topo', text, check: r }), [{ startLine: 0, endLine: 2, kind: 'region' }]);
});
