import test from 'node:test';
import assert from 'node:assert/strict';
import { validateMessage } from '../../../media/preview/validate';
import { update } from './dom';
import { SMALL, LARGE } from './generate';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

test('valid update and highlight messages pass, as clean copies', () => {
  const msg = update(SMALL, {}, true);
  const r = validateMessage(clone(msg));
  assert.equal(r.ok, true);
  if (r.ok) assert.deepEqual(JSON.parse(JSON.stringify(r.value)), JSON.parse(JSON.stringify(msg)));
  assert.equal(validateMessage(clone(update(LARGE))).ok, true);
  assert.deepEqual(validateMessage({ type: 'highlight', container: 'web' }), { ok: true, value: { type: 'highlight', container: 'web' } });
  const extra = { ...clone(msg), onload: 'alert(1)', placement: { ...clone(msg.placement), html: '<img>' } };
  const r2 = validateMessage(extra);
  assert.equal(r2.ok, true);
  if (r2.ok) {
    assert.equal('onload' in r2.value, false);
    assert.equal('html' in (r2.value as { placement: object }).placement, false);
  }
});

// Tests reach into arbitrary JSON to break it: `any` is the honest type here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function rejects(label: string, mutate: (m: Record<string, any>) => unknown, pattern: RegExp): void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const m = clone(update(SMALL)) as unknown as Record<string, any>;
  const out = mutate(m);
  const r = validateMessage(out === undefined ? m : out);
  assert.equal(r.ok, false, label);
  if (!r.ok) assert.match(r.error, pattern, label);
}

test('hostile and malformed messages are rejected with the reason', () => {
  rejects('not an object', () => 'update', /expected an object/);
  rejects('null', () => null, /expected an object/);
  rejects('array', () => [], /expected an object/);
  rejects('unknown type', () => ({ type: 'eval', code: '1' }), /unknown message type "eval"/);
  rejects('missing placement', (m) => { delete m.placement; }, /update\.placement: missing/);
  rejects('wrong version (a v1 simulation document)', (m) => { m.simulation.version = '1'; }, /version/);
  rejects('wrong version', (m) => { m.simulation.version = '3'; }, /version/);
  rejects('negative interval', (m) => { m.simulation.containers[0].localityError = -0.01; }, />= 0/);
  rejects('interval not a number', (m) => { m.simulation.summary.localityError = '0.5'; }, /finite number/);
  rejects('facts: bad code', (m) => { m.facts = { version: '1', file: 'x', containers: [], diagnostics: [{ code: 'X1', severity: 'error', message: 'm', file: 'x', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, subject: { kind: 'file', name: 'x' } }] }; }, /diagnostic code/);
  rejects('facts: talks weight over 1', (m) => { m.facts = { version: '1', file: 'x', diagnostics: [], containers: [{ name: 'a', image: null, replicas: 1, request: { cpu: 1, memory: 1 }, limit: { cpu: 1, memory: 1 }, priority: 'normal', talks: [{ to: 'b', weight: 3 }], io: [], file: 'x', line: 0 }] }; }, /0\.\.1/);
  rejects('facts: subject kind', (m) => { m.facts = { version: '1', file: 'x', containers: [], diagnostics: [{ code: 'T400', severity: 'error', message: 'm', file: 'x', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, subject: { kind: 'window', name: 'x' } }] }; }, /one of container/);
  rejects('stale without a reason', () => ({ type: 'stale' }), /reason: missing/);
  rejects('NaN locality', (m) => { m.simulation.summary.locality = NaN; }, /finite number/);
  rejects('locality > 1', (m) => { m.simulation.containers[0].locality = 7; }, /0\.\.1/);
  rejects('negative bytes', (m) => { m.simulation.nodes[0].memoryUsed = -1; }, />= 0/);
  rejects('string where number', (m) => { m.simulation.edges[0].weight = '5'; }, /finite number/);
  rejects('function in array', (m) => { m.scenarios = [() => 1]; }, /expected a string/);
  rejects('bad policy', (m) => { m.simulation.input.policy = 'yolo'; }, /one of static, page, vcpu, cost/);
  rejects('bad event kind', (m) => { m.simulation.events[0].kind = 'explode'; }, /one of fail/);
  rejects('timeline lengths', (m) => { m.simulation.timeline.locality.pop(); }, /differs from t/);
  rejects('decreasing time', (m) => { m.simulation.timeline.t[3] = -5; }, /must not decrease/);
  rejects('node series length', (m) => { m.simulation.nodeTimeline[0].cpuUtil.push(0.5); }, /series length/);
  rejects('results keyed by non-policy', (m) => { m.results = { hack: m.simulation }; }, /not a policy/);
  rejects('huge string', (m) => { m.source = { file: 'x'.repeat(100_000) }; }, /too long/);
  rejects('highlight number', () => ({ type: 'highlight', container: 3 }), /expected a string/);
  rejects('class instance', () => new (class { type = 'highlight'; container = 'x'; })(), /expected an object/);
  rejects('__proto__ key', (m) => JSON.parse(JSON.stringify(m).replace('"nodes":{', '"nodes":{"__proto__":0.5,')), /forbidden key __proto__/);
  rejects('constructor key', (m) => { m.simulation.containers[0].vcpus = { constructor: 0.1 }; }, /forbidden key constructor/);
  const deep: Record<string, unknown> = {};
  let cur = deep;
  for (let i = 0; i < 100_000; i++) cur = (cur.placement = {}) as Record<string, unknown>;
  rejects('deep nesting', () => ({ type: 'update', placement: deep }), /.+/);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('simulator v2 documents pass: intervals kept, a container with no replica (null locality) allowed', () => {
  const m = clone(update(SMALL)) as unknown as { simulation: { version: string; summary: Record<string, unknown>; containers: Record<string, unknown>[]; events: Record<string, unknown>[] } };
  m.simulation.version = '2';
  Object.assign(m.simulation.summary, { localityError: 0.006, slowdown: 1.31, slowdownError: 0.02, unknownField: 30 });
  Object.assign(m.simulation.containers[0]!, { locality: null, slowdown: null, localityError: 0, slowdownError: 0 });
  Object.assign(m.simulation.containers[1]!, { localityError: 0.01, slowdownError: 0.03 });
  m.simulation.events[0]!.reached = false;
  const r = validateMessage(m);
  assert.equal(r.ok, true, r.ok ? '' : r.error);
  if (!r.ok || r.value.type !== 'update') return;
  const s = r.value.simulation!;
  assert.equal(s.version, '2');
  assert.equal(s.summary.localityError, 0.006);
  assert.equal(s.summary.slowdown, 1.31);
  assert.equal(s.containers[0]!.locality, null);
  assert.equal(s.containers[1]!.localityError, 0.01);
  assert.equal(s.events[0]!.reached, false);
  // Fields the preview does not read are dropped.
  assert.equal('unknownField' in s.summary, false);
});

test('records come back without a prototype', () => {
  const m = clone(update(SMALL));
  const r = validateMessage(m);
  assert.equal(r.ok, true);
  if (r.ok && r.value.type === 'update') assert.equal(Object.getPrototypeOf(r.value.simulation!.containers[0]!.nodes), null);
});
