// The quick fixes of issue 18: where a message spells out the fix, a code action applies it.
// Each case: the text, the code, the title of the fix, and the text after applying it; the
// code must be gone afterwards and no other error may appear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { applyEdits, codeActions } from '../../../server/src/core/ide/index';
import { FILE, snap } from './helpers';
import { FIX_CASES, RACK } from '../../issue18-fix-cases';

function errors(text: string): string[] {
  return checkText(text, FILE).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
}

for (const c of FIX_CASES) {
  test(c.name, () => {
    const { s } = snap(c.text);
    const d = s.check.diagnostics.find((x) => x.code === c.code);
    assert.ok(d, `${c.code} reported: ${s.check.diagnostics.map((x) => `${x.code} ${x.message}`).join('; ')}`);
    const actions = codeActions(s, d.span, s.check.diagnostics).filter((a) => a.kind === 'quickfix');
    const fix = actions.find((a) => c.title.test(a.title));
    assert.ok(fix, `a fix titled ${c.title} among: ${actions.map((a) => a.title).join(' | ')}`);
    const out = applyEdits(c.text, fix.edits);
    assert.equal(out, c.after);
    assert.deepEqual(errors(out), [], `no error left after "${fix.title}"`);
  });
}

test('T303 offers both ways, the lower request preferred', () => {
  const { s } = snap(`${RACK}container c {\n  cpu request 4 limit 2\n  memory 1GiB\n}\n`);
  const d = s.check.diagnostics.find((x) => x.code === 'T303');
  assert.ok(d);
  const titles = codeActions(s, d.span, s.check.diagnostics).filter((a) => a.kind === 'quickfix').map((a) => `${a.title}${a.preferred ? ' *' : ''}`);
  assert.deepEqual(titles, ['Lower the request to `2` *', 'Raise the limit to `4`']);
});

test('T301 names the units it offers, typical first', () => {
  const { s } = snap('rack r1 {\n  latency 2GiB\n  node n1 { cores 8 memory 16GiB }\n}\n');
  const d = s.check.diagnostics.find((x) => x.code === 'T301');
  assert.ok(d);
  assert.match(d.message, /; write `2us`, /);
});

// Messages of issue 18: each alternative in its own code span; a word after a complete property
// is an unknown property with the valid ones; T304 on a range names the whole range.
function diagnostic(text: string, code: string): { message: string; at: string } {
  const d = checkText(text, FILE).diagnostics.find((x) => x.code === code);
  assert.ok(d, `${code} reported in ${JSON.stringify(text)}`);
  return { message: d.message, at: text.slice(d.span.start, d.span.end) };
}

test('a hint with alternatives puts each in its own code span, as the block writes it', () => {
  assert.match(diagnostic(`${RACK}container c {\n  cpu\n}\n`, 'T100').message, /write it as `cpu 2` or `cpu request 500m limit 2`$/);
  assert.match(diagnostic('rack r1 {\n  node n1 { cores 8 memory }\n}\n', 'T100').message, /write it as `memory 256GiB`$/);
  assert.match(diagnostic(`${RACK}container c {\n  memory request\n}\n`, 'T100').message, /write it as `memory 4GiB` or `memory request 1GiB limit 2GiB`$/);
});

test('`gpu 4` after a complete property is an unknown property, listing the valid ones', () => {
  for (const text of ['rack r1 {\n  node n1 { cores 8 memory 8GiB gpu 4 }\n}\n', 'rack r1 {\n  node n1 { cores 8 memory 8GiB disk nvme0 1TiB gpu 4 }\n}\n']) {
    const d = diagnostic(text, 'T104');
    assert.equal(d.at, 'gpu');
    assert.equal(d.message, 'unknown property `gpu` in a node block. Valid here: cores, memory, nic, disk, role, price, power.');
  }
  const typo = diagnostic('rack r1 {\n  node n1 { cores 8 memory 8GiB nicc 25Gbps }\n}\n', 'T104');
  assert.match(typo.message, /Did you mean `nic`\?/);
});

test('T304 on a node range underlines the whole range', () => {
  assert.equal(diagnostic('rack r1 {\n  node n1..n4 { cores 8 }\n}\n', 'T304').at, 'n1..n4');
});

test('an unfinished `at` says what may follow once, and an event of a known kind shows its own form', () => {
  const sc = (body: string): string => `${RACK}container api {\n  cpu 1\n  memory 1GiB\n}\nscenario s {\n${body}\n}\n`;
  const codes = (text: string): string[] => checkText(text, FILE).diagnostics.map((d) => d.code);
  const bare = diagnostic(sc('  at 5s'), 'T100');
  assert.equal(bare.message, '`at` needs an event after the time: `fail NODE`, `add NODE to SDS`, `scale CONTAINER to COUNT` or `load CONTAINER PERCENT`, as in `at 5s fail r1.n3`');
  assert.deepEqual(codes(sc('  at 5s load')), ['T100'], 'one T100 for `at 5s load`, not one per missing part');
  assert.match(diagnostic(sc('  at 5s load'), 'T100').message, /needs the container whose load changes here: write it as `at 5s load api 80%`$/);
  assert.match(diagnostic(sc('  at 5s load api'), 'T100').message, /write it as `at 5s load api 80%`$/);
  assert.match(diagnostic(sc('  at 5s scale'), 'T100').message, /write it as `at 5s scale api to 10`$/);
});
