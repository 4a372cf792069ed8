import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { definition, documentHighlights, prepareRename, references, rename } from '../../../server/src/core/ide/references';

const file = '/work/main.topo';
const text = 'container db {\n}\ncontainer web {\n  talks db\n}\n';

test('definition and references of a container name', () => {
  const s = { file, text, check: checkText(text, file) };
  const use = text.indexOf('talks db') + 6;
  assert.deepEqual(definition(s, use), [{ file, span: { start: 10, end: 12 } }]);
  assert.deepEqual(references(s, use, true).map((l) => l.span.start), [10, use]);
  assert.deepEqual(references(s, 10, false).map((l) => l.span.start), [use]);
});

test('documentHighlights marks the declaration as write and uses as read', () => {
  const s = { file, text, check: checkText(text, file) };
  assert.deepEqual(documentHighlights(s, 11).map((h) => h.kind), ['write', 'read']);
});

test('rename edits every occurrence and refuses taken or invalid names', () => {
  const s = { file, text, check: checkText(text, file) };
  const r = rename(s, 11, 'store');
  assert.ok('edits' in r);
  assert.equal(r.edits.length, 2);
  assert.ok('error' in rename(s, 11, 'web'));
  assert.ok('error' in rename(s, 11, '9x'));
  assert.equal(prepareRename(s, 11)?.placeholder, 'db');
});
