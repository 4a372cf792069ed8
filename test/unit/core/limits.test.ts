import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';

// Pathological inputs get a clear diagnostic and finish (the timeouts guard against hangs only).
const guard = { timeout: 30_000 };

test('100,000 nodes in one range: T203 naming the limit, nothing expanded', guard, () => {
  const r = checkText('rack r1 { node n1..n100000 { cores 4 memory 8GiB } }');
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T203']);
  assert.match(r.diagnostics[0].message, /100000 nodes in one range is more than the 10000 supported/);
  assert.equal(r.model.nodes.length, 0);
});

test('a 10 PiB node and a million replicas bind to exact numbers', guard, () => {
  const r = checkText('rack r1 { node n1 { cores 4 memory 10PiB } }\ncontainer c { replicas 1000000 cpu 1m memory 1MiB place on r1 }');
  assert.deepEqual(r.diagnostics.filter((d) => /^T[123]/.test(d.code)), []);
  assert.equal(r.model.nodes[0].memory, 10 * 1024 ** 5);
  assert.equal(r.model.containers[0].replicas, 1_000_000);
});

test('more replicas than the language allows is out of range', guard, () => {
  const r = checkText('rack r1 { node n1 { cores 4 memory 8GiB } }\ncontainer c { replicas 100000000 place on r1 }');
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T302']);
});

test('a 10 MB line is one diagnostic, not a crash', guard, () => {
  const text = `rack r1 { node n1 { cores 4 memory 8GiB } }\ncontainer c { image "${'x'.repeat(10 * 1024 * 1024)}" place on r1 bogus }`;
  const r = checkText(text);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T100'], 'the stray word after the target');
});

test('100,000 unmatched braces and deep junk give bounded diagnostics', guard, () => {
  const r = checkText(`${'{'.repeat(100_000)}\nrack r1 { node n1 { cores 4 memory 8GiB } }`);
  assert.ok(r.diagnostics.length >= 1 && r.diagnostics.length < 10, `${r.diagnostics.length} diagnostics`);
  const r2 = checkText('}'.repeat(100_000));
  assert.ok(r2.diagnostics.length > 0);
});

test('an enormous number is out of range, not Infinity', guard, () => {
  const r = checkText(`rack r1 { node n1 { cores ${'9'.repeat(400)} memory 8GiB } }`);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T302']);
});

test('a self-import is a cycle (T204)', guard, () => {
  const r = checkText('import "main.topo"\nrack r1 { node n1 { cores 4 memory 8GiB } }', '/w/main.topo');
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T204']);
  assert.match(r.diagnostics[0].message, /cyclic import: main.topo -> main.topo/);
});
