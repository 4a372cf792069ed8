import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, formatRange } from '../../../server/src/core/ide/index';
import { formatText } from '../../../server/src/core/ide/format';
import { parseFile } from '../../../server/src/core/syntax/parser';
import { lineStartAfter, lineStartAtOrBefore, wholeLinesAround } from '../../../server/src/core/syntax/lines';
import { corpus, randomEdit, seeded } from '../incremental/replay-edits';

const OPTIONS = { tabSize: 2, insertSpaces: true };
const F = '/ws/main.topo';

/** The text of each top-level declaration of a text, in order. */
function declarations(text: string): string[] {
  return parseFile(text, F).tree.items.map((i) => lf(text.slice(i.span.start, i.span.end)));
}

/** Line breaks as `\n` (range formatting leaves a line's break as it is; whole-file formatting makes them one kind). */
const lf = (s: string): string => s.replace(/\r\n?/g, '\n');

test('range formatting of one declaration formats it as the whole file would, and nothing else', () => {
  const r = seeded(5);
  let checked = 0;
  for (const { name, text: start } of corpus()) {
    for (let k = 0; k < 6; k++) {
      const text = k === 0 ? start : randomEdit(start, r);
      const canonical = formatText(text, F, OPTIONS);
      const items = parseFile(text, F).tree.items;
      if (canonical === null || items.length < 3) continue;
      const i = 1 + Math.floor(r() * (items.length - 2));
      const out = applyEdits(text, formatRange(text, F, items[i].span, OPTIONS));
      const got = declarations(out);
      const want = declarations(canonical);
      const before = declarations(text);
      assert.equal(got.length, before.length, `${name}: declarations lost`);
      assert.equal(got[i], want[i], `${name}: declaration ${i} is not formatted as in the whole file`);
      // the declarations that share a line with it are formatted with it; no other changes
      const lines = wholeLinesAround(text, items, lineStartAtOrBefore(text, items[i].span.start), lineStartAfter(text, items[i].span.end - 1));
      for (let j = 0; j < got.length; j++) {
        const sharesLines = items[j].span.end > lines.from && items[j].span.start < lines.to;
        if (!sharesLines && before[j] !== got[j]) assert.fail(`${name}: declaration ${j} changed by formatting declaration ${i}`);
      }
      assert.equal(lf(formatText(out, F, OPTIONS) ?? ''), lf(canonical), `${name}: formatting the rest does not give the canonical text`);
      checked++;
    }
  }
  assert.ok(checked > 40, `only ${checked} cases`);
});
