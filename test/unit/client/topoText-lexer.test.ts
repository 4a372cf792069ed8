import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blocks, containerAt, scenarioNames } from '../../../client/src/topoText';
import { parseFile } from '../../../server/src/core/syntax/parser';

// The client reads the file with the core's lexer and parser (issue 16): a comment ends at a lone
// `\r` as it does at `\n` and `\r\n`, so the client and the server see the same declarations.
test('the client ends a comment at a lone \\r, as the lexer does', () => {
  for (const eol of ['\r', '\n', '\r\n']) {
    const text = `# a comment${eol}scenario a {${eol}}${eol}container web { # note${eol}  cpu 1${eol}}${eol}`;
    assert.deepEqual(scenarioNames(text), ['a'], JSON.stringify(eol));
    assert.equal(containerAt(text, text.indexOf('cpu')), 'web', JSON.stringify(eol));
    const server = parseFile(text, '/t.topo').tree.items.flatMap((i) => (i.kind === 'block' && i.name ? [`${i.blockKind} ${i.name.kind === 'string' ? i.name.value : i.name.text}`] : []));
    assert.deepEqual(blocks(text).map((b) => `${b.keyword} ${b.name}`), server, JSON.stringify(eol));
  }
});
