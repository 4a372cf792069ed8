import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { completion } from '../../../server/src/core/ide/completion';

const file = '/work/main.topo';
function at(text: string): string[] {
  const offset = text.indexOf('|');
  const t = text.slice(0, offset) + text.slice(offset + 1);
  return completion({ file, text: t, check: checkText(t, file) }, offset).map((i) => i.label);
}

test('completion offers declaration keywords at top level', () => {
  assert.ok(at('ra|').includes('rack'));
  assert.ok(at('ra|').includes('container'));
});

test('completion offers properties of the enclosing block and enum values', () => {
  const labels = at('defaults {\n  seed 1\n  |\n}\n');
  assert.ok(labels.includes('policy'));
  assert.ok(!labels.includes('seed'));
  assert.deepEqual(at('defaults {\n  policy |\n}\n').sort(), ['cost', 'page', 'static', 'vcpu']);
});

test('completion offers node names after RACK.', () => {
  assert.deepEqual(at('rack r1 {\n  node n1 {\n  }\n}\ncontainer c {\n  place on r1.|\n}\n'), ['n1']);
});
