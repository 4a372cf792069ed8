import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { definition, documentHighlights, references } from '../../../server/src/core/ide/references';

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
