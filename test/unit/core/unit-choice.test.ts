// Units a value written without one (or with an unknown one) most likely meant: the typical one first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { PROPERTIES, type UnitKind } from '../../../server/src/core/syntax/schema';
import { unitChoices } from '../../../server/src/core/model/unit-choice';

/** The fixes of the first diagnostic with `code`, as the text they give. */
function fixed(text: string, code: string): string[] {
  const d = checkText(text).diagnostics.find((x) => x.code === code);
  assert.ok(d, `${code} in ${JSON.stringify(checkText(text).diagnostics.map((x) => x.code))}`);
  return d.fixes.map((f) => {
    let out = text;
    for (const e of [...f.edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
    return out;
  });
}

test('issue 15: the preferred fix makes the value typical, Kubernetes suffixes mean what they mean in Kubernetes', () => {
  assert.equal(fixed('container a { cpu 1 memory 1GiB writes 0.3 }', 'T300')[0], 'container a { cpu 1 memory 1GiB writes 30% }');
  assert.equal(fixed('container a { cpu 1 memory 1GiB writes 0.3 }', 'T300')[1], 'container a { cpu 1 memory 1GiB writes 0.3% }');
  assert.equal(fixed('container a { cpu 1 memory 1GiB writes 30 }', 'T300')[0], 'container a { cpu 1 memory 1GiB writes 30% }');
  assert.equal(fixed('defaults { tick 10 }', 'T300')[0], 'defaults { tick 10ms }');
  assert.equal(fixed('defaults { duration 30 }', 'T300')[0], 'defaults { duration 30s }');
  assert.equal(fixed('rack r1 { latency 2 node n1 { cores 8 memory 8GiB } }', 'T300')[0], 'rack r1 { latency 2us node n1 { cores 8 memory 8GiB } }');
  assert.equal(fixed('container a { cpu 1 memory 512 }', 'T300')[0], 'container a { cpu 1 memory 512MiB }');
  assert.equal(fixed('rack r1 { node n1 { cores 8 memory 256 } }', 'T300')[0], 'rack r1 { node n1 { cores 8 memory 256GiB } }');
  assert.deepEqual(fixed('container a { cpu 1 memory 2G }', 'T103'), ['container a { cpu 1 memory 2GB }', 'container a { cpu 1 memory 2GiB }']);
  assert.deepEqual(fixed('container a { cpu 1 memory 512Mi }', 'T103'), ['container a { cpu 1 memory 512MiB }']);
  assert.deepEqual(fixed('container a { cpu 1 memory 4Gi }', 'T103'), ['container a { cpu 1 memory 4GiB }']);
  assert.deepEqual(fixed('container a { cpu 1 memory 100k }', 'T103'), ['container a { cpu 1 memory 100KB }', 'container a { cpu 1 memory 100KiB }']);
  assert.equal(fixed('defaults { tick 10msec }', 'T103')[0], 'defaults { tick 10ms }');
  assert.equal(fixed('rack r1 { bandwidth 100G node n1 { cores 8 memory 8GiB } }', 'T103')[0], 'rack r1 { bandwidth 100Gbps node n1 { cores 8 memory 8GiB } }');
});

test('for every property with typical values, a number in its typical range written without a unit gets a typical unit first', () => {
  let checked = 0;
  for (const [block, specs] of Object.entries(PROPERTIES)) {
    for (const spec of specs) {
      for (const [kind, t] of Object.entries(spec.typical ?? {})) {
        // a count has no unit to choose (its typical values are for completion: `replicas |`)
        if (!t || kind === 'count' || kind === 'ratio') continue;
        // the usual value, written in each unit of its kind that gives a round number
        const choices = unitChoices(kind as UnitKind, '1', 1, t);
        assert.ok(choices.length > 0, `${block} ${spec.name} ${kind}`);
        const first = choices[0];
        const inRange = (v: number) => v >= t.low * (1 - 1e-12) && v <= t.high * (1 + 1e-12);
        // a choice in range comes before any that is not
        const firstOut = choices.findIndex((c) => !inRange(c.canonical));
        const lastIn = choices.map((c) => inRange(c.canonical)).lastIndexOf(true);
        assert.ok(firstOut < 0 || lastIn < firstOut, `${block} ${spec.name}: ${choices.map((c) => c.text).join(', ')}`);
        assert.ok(first.text.startsWith('1'), first.text);
        checked++;
      }
    }
  }
  assert.ok(checked >= 15, `${checked} checked`);
});
