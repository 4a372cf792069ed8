// The preview's message validation against what a hostile frame can actually post: anything the
// structured clone algorithm carries (sparse arrays, Dates, Maps, typed arrays, BigInts, boxed
// primitives, own `__proto__` keys), oversized and mistyped values. Never a throw, never a pass.
import test from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS, validateMessage } from '../../../media/preview/validate';
import { update } from './dom';
import { SMALL } from './generate';

type Json = Record<string, unknown>;
const fresh = (): Json => structuredClone(update(SMALL)) as unknown as Json;
const at = (m: Json, path: string): Json => path.split('.').reduce<Json>((o, k) => o[k] as Json, m);

function rejected(label: string, m: unknown, pattern: RegExp = /./): void {
  // What a page's postMessage delivers: a structured clone of the value.
  const r = validateMessage(structuredClone(m));
  assert.equal(r.ok, false, `${label}: accepted`);
  if (!r.ok) assert.match(r.error, pattern, label);
}

test('sparse arrays (holes survive a structured clone) are rejected, not passed on with holes', () => {
  for (const [path, key] of [['simulation', 'containers'], ['simulation', 'nodes'], ['simulation', 'edges'], ['simulation.timeline', 't'], ['placement', 'targets'], ['', 'scenarios']] as const) {
    const m = fresh();
    const owner = path ? at(m, path) : m;
    const arr = owner[key] as unknown[];
    const holey = new Array<unknown>(Math.max(1, arr.length));
    if (arr.length > 1) holey[arr.length - 1] = arr[arr.length - 1];
    owner[key] = holey;
    rejected(`hole in ${path || 'message'}.${key}`, m, /\[0\]: expected/);
  }
});

test('structured-clone values of the wrong kind are rejected wherever they stand', () => {
  const swaps: [string, string, unknown][] = [
    ['simulation', 'summary', new Date(0)],
    ['simulation', 'containers', new Set([1])],
    ['simulation', 'nodes', new Float64Array(4)],
    ['simulation.summary', 'locality', 1n],
    ['simulation.summary', 'locality', new Number(0.5)],
    ['simulation.input', 'policy', new String('cost')],
    ['simulation.input', 'seed', new ArrayBuffer(8)],
    ['simulation.containers.0', 'nodes', new Map([['r1.n1', 1]])],
    ['simulation.containers.0', 'name', /web/],
    ['simulation.nodes.0', 'failed', new Boolean(false)],
    ['simulation.nodes.0', 'failed', 0],
    ['simulation.timeline', 't', { length: 3, 0: 0, 1: 1, 2: 2 }],
    ['', 'scenarios', 'lose a node'],
    ['', 'placement', null],
  ];
  for (const [path, key, value] of swaps) {
    const m = fresh();
    (path ? at(m, path) : m)[key] = value;
    rejected(`${path}.${key} = ${Object.prototype.toString.call(value)}`, m, /expected/);
  }
});

test('own `__proto__`, `prototype` and `constructor` keys pollute nothing and records refuse them', () => {
  // JSON.parse makes `__proto__` an own key, and the structured clone keeps it.
  const withProto = JSON.parse(JSON.stringify(fresh()).replace('"summary":{', '"summary":{"__proto__":{"polluted":true},')) as Json;
  const r = validateMessage(structuredClone(withProto));
  assert.equal(r.ok, true, 'a fixed-shape object drops unknown keys');
  if (r.ok) assert.equal(Object.prototype.hasOwnProperty.call((r.value as unknown as { simulation: Json }).simulation.summary, '__proto__'), false);
  const top = JSON.parse(JSON.stringify(fresh()).replace('{"type":"update"', '{"__proto__":{"polluted":true},"type":"update"')) as Json;
  assert.equal(validateMessage(structuredClone(top)).ok, true);
  for (const key of ['__proto__', 'prototype', 'constructor']) {
    const m = JSON.parse(JSON.stringify(fresh()).replace('"nodes":{', `"nodes":{${JSON.stringify(key)}:0.5,`)) as Json;
    rejected(`record key ${key}`, m, new RegExp(`forbidden key ${key}`));
  }
  assert.equal(({} as Json).polluted, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
});

test('limits: strings, arrays, timelines and records one past the limit are rejected, at the limit accepted', () => {
  const name = (n: number): Json => { const m = fresh(); m.source = { file: 'x'.repeat(n) }; return m; };
  assert.equal(validateMessage(name(LIMITS.string)).ok, true);
  rejected('string one past the limit', name(LIMITS.string + 1), /string too long/);
  const scenarios = fresh();
  scenarios.scenarios = Array.from({ length: 1001 }, (_, i) => `s${i}`);
  rejected('1001 scenarios', scenarios, /array longer than 1000/);
  const long = fresh();
  const tl = at(long, 'simulation.timeline');
  tl.t = new Array(LIMITS.samples + 1).fill(0);
  rejected('timeline past the sample limit', long, /array longer than 100000/);
  const keys = fresh();
  const nodes: Json = {};
  for (let i = 0; i <= LIMITS.recordKeys; i++) nodes[`n${i}`] = 0;
  at(keys, 'simulation.containers.0').nodes = nodes;
  rejected('record past the key limit', keys, /too many keys/);
});

test('wrong types at the top never throw and say what is wrong', () => {
  for (const m of [null, undefined, 0, 1n, 'update', true, [], [{ type: 'update' }], new Date(), new Map([['type', 'update']])]) {
    const r = validateMessage(m);
    assert.equal(r.ok, false, String(m));
    if (!r.ok) assert.match(r.error, /expected an object/);
  }
  for (const type of [1, ['update'], { toString: null }, null, 'Update', 'update '] as unknown[]) {
    const r = validateMessage({ type });
    assert.equal(r.ok, false, JSON.stringify(type));
    if (!r.ok) assert.match(r.error, /unknown message type/);
  }
  rejected('highlight with an object', { type: 'highlight', container: { name: 'web' } }, /expected a string/);
  rejected('highlight without container', { type: 'highlight' }, /missing/);
});
