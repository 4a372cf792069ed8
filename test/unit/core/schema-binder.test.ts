import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import type { BlockKind } from '../../../server/src/core/syntax/ast';
import { PROPERTIES } from '../../../server/src/core/syntax/schema';

/**
 * Every property the schema declares is read by the binder (issue 16: the schema is the
 * vocabulary): written with a value of the wrong kind, each one gets a diagnostic on that value.
 * A property added to syntax/schema.ts that the binder does not read fails here, by name.
 */

function wrapped(block: BlockKind, line: string): string {
  switch (block) {
    case 'node': return `rack r1 {\n  node n1 {\n    cores 1\n    memory 1GiB\n    ${line}\n  }\n}\n`;
    case 'defaults': case 'fabric': return `${block} {\n  ${line}\n}\n`;
    case 'scenario': return `scenario s {\n  ${line}\n}\n`;
    default: return `${block} x {\n  ${line}\n}\n`;
  }
}

test('the binder reads every property of the schema: a value of the wrong kind is reported on it', () => {
  for (const [block, specs] of Object.entries(PROPERTIES) as [BlockKind, typeof PROPERTIES[BlockKind]][]) {
    for (const p of specs) {
      const value = p.name === 'image' ? '5' : '"wrong"';
      const text = wrapped(block, `${p.name} ${value}`);
      const at = text.indexOf(`${p.name} ${value}`) + p.name.length + 1;
      const { diagnostics } = checkText(text, '/w.topo');
      const onValue = diagnostics.filter((d) => d.span.start <= at && at < d.span.end);
      assert.ok(onValue.length > 0, `${block}.${p.name}: nothing reported on \`${value}\` (${diagnostics.map((d) => d.code).join(', ') || 'no diagnostics'})`);
    }
  }
});
