import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { checkProgram } from '../../../server/src/core/check';
import { LineIndex } from '../../../server/src/core/text';
import { NodeFileHost } from '../../../server/src/node/fileHost';
import { findFixtures, parseExpectations, rangeKey } from '../fixture-format';
import { DIAGNOSTIC_SEVERITY } from '../../../server/src/core/diagnostics';

const root = resolve(__dirname, '../../fixtures');
const fixtures = findFixtures(root);

function describe(file: string): { actual: string[]; expected: string[]; codes: Set<string> } {
  const text = readFileSync(file, 'utf8');
  const host = new NodeFileHost(dirname(file));
  const result = checkProgram(file, host, { rootText: text });
  const indexes = new Map<string, LineIndex>();
  const ix = (f: string) => {
    let i = indexes.get(f);
    if (!i) { i = new LineIndex(result.trees.get(f)?.text ?? ''); indexes.set(f, i); }
    return i;
  };
  const key = (f: string, span: { start: number; end: number }) => {
    const r = ix(f).range(span);
    const k = rangeKey(r.start.line, r.start.character, r.end.line, r.end.character);
    return f === file ? k : `${relative(dirname(file), f)}@${k}`;
  };
  const exp = parseExpectations(text);
  // Related locations are checked when the fixture lists them; otherwise only code and range.
  const expected = exp.map((e) => `${e.code} ${e.range}${e.related.length ? ` related ${e.related.join(' ')}` : ''}`).sort();
  const actualComparable = result.diagnostics.map((d) => {
    const e = exp.find((x) => x.code === d.code && x.range === key(d.file, d.span));
    const withRelated = e && e.related.length > 0;
    return `${d.code} ${key(d.file, d.span)}${withRelated ? ` related ${d.related.map((r) => key(r.location.file, r.location.span)).join(' ')}` : ''}`;
  }).sort();
  return { actual: actualComparable, expected, codes: new Set(result.diagnostics.map((d) => d.code)) };
}

const covered = new Set<string>();
for (const file of fixtures) {
  test(`fixture ${relative(root, file)}`, () => {
    const { actual, expected, codes } = describe(file);
    for (const c of codes) covered.add(c);
    assert.ok(expected.length > 0, 'a fixture must state what it expects');
    assert.deepEqual(actual, expected);
  });
}

test('every T1xx-T3xx code of the spec is produced by some fixture', () => {
  const all = Object.keys(DIAGNOSTIC_SEVERITY).filter((c) => /^T[123]/.test(c));
  const missing = all.filter((c) => !covered.has(c));
  assert.deepEqual(missing, []);
});

test('no example produces a T1xx-T3xx diagnostic', () => {
  const examples = findFixtures(join(root, '../../examples'));
  assert.ok(examples.length >= 3, 'at least three examples');
  for (const file of examples) {
    const text = readFileSync(file, 'utf8');
    const result = checkProgram(file, new NodeFileHost(dirname(file)), { rootText: text });
    const found = result.diagnostics.filter((d) => /^T[123]/.test(d.code)).map((d) => `${relative(root, file)} ${d.code} ${d.message}`);
    assert.deepEqual(found, []);
  }
});
