import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, format } from '../../../server/src/core/ide/index';
import { formatDeclarations } from '../../../server/src/core/ide/format';
import { corpus, randomEdit, seeded } from '../incremental/replay-edits';

/** Range and chunk edits leave a line's break as it is; the whole-file formatter makes them one kind. */
const lf = (s: string): string => s.replace(/\r\n?/g, '\n');

test('formatting declaration by declaration (remembered per declaration) gives the whole-file formatter\'s text', () => {
  const r = seeded(3);
  let cases = 0;
  let changed = 0;
  for (const { name, text: start } of corpus()) {
    for (let k = 0; k < 40; k++) {
      const text = k === 0 ? start : randomEdit(start, r);
      for (const options of [{ tabSize: 2, insertSpaces: true }, { tabSize: 4, insertSpaces: false }]) {
        const want = formatDeclarations(text, '/ws/main.topo', options) ?? text;
        // twice: the second time every declaration's layout is remembered
        for (let again = 0; again < 2; again++) {
          const got = applyEdits(text, format(text, '/ws/main.topo', options));
          assert.equal(lf(got), lf(want), `${name}, variant ${k}: ${JSON.stringify(text).slice(0, 400)}`);
        }
        if (want !== text) changed++;
        cases++;
      }
    }
  }
  assert.ok(changed > cases / 4, `only ${changed} of ${cases} texts needed formatting`);
});
