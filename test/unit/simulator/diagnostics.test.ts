import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, simulateAll, SimulationCancelled } from '../../../server/src/core/simulator/index';
import { LineIndex } from '../../../server/src/core/text';
import { PATH, example, modelOf, sdsText } from './helpers';

const twoNodes = (extra = ''): string => sdsText(2, `container a {
  cpu 4
  memory 16GiB
  workingset 16GiB skew 0 writes 30%
  place on pod
}
${extra}`);

test('T500 when a container locality is under the threshold, with the range of its name', () => {
  const text = twoNodes();
  const model = modelOf(text);
  const r = simulate(model, { policy: 'static', texts: new Map([[PATH, text]]) });
  const d = r.diagnostics.find((x) => x.code === 'T500');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.equal(d.subject, 'a');
  assert.equal(d.file, PATH);
  const li = new LineIndex(text);
  const start = li.offset(d.range.start);
  assert.equal(text.slice(start, li.offset(d.range.end)), 'a');
  // under cost the same container is local enough: no T500
  assert.equal(simulate(model, { policy: 'cost', duration: 10 }).diagnostics.filter((x) => x.code === 'T500').length, 0);
});

test('T501 on the fail event when the survivors cannot hold the memory; absorbed false', () => {
  const text = sdsText(2, `container a {
  cpu 2
  memory 100GiB
  workingset 20GiB
  place on pod
}
scenario "lose" {
  at 1s fail r1.n2
}`, { memory: '64GiB', duration: '2s' });
  const model = modelOf(text);
  const r = simulate(model, { scenario: 'lose', texts: new Map([[PATH, text]]) });
  assert.equal(r.events.length, 1);
  assert.equal(r.events[0].absorbed, false);
  const d = r.diagnostics.find((x) => x.code === 'T501');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.equal(d.subject, 'fail r1.n2 at 1s');
  const li = new LineIndex(text);
  assert.match(text.slice(li.offset(d.range.start), li.offset(d.range.end)), /fail r1\.n2/);
  // the base deployment has no T501
  assert.equal(simulate(model, {}).diagnostics.filter((x) => x.code === 'T501').length, 0);
});

test('T502 when the run is coarsened to its budget; the message names chunk size and sample rate', () => {
  const model = modelOf(twoNodes());
  const r = simulate(model, { policy: 'cost', budgetMs: 1 });
  const d = r.diagnostics.find((x) => x.code === 'T502');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.match(d.message, /chunks of 2MiB in pod, 4 sampled accesses per vCPU per tick instead of 32/);
  // a longer run on the same budget also merges ticks
  const long = simulate(model, { policy: 'cost', budgetMs: 1, duration: 60 });
  assert.match(long.diagnostics.find((x) => x.code === 'T502')?.message ?? '', /ticks of [0-9.]+ ms instead of 10 ms/);
  assert.ok(long.input.tick > 0.01);
  assert.equal(simulate(model, { policy: 'cost' }).diagnostics.filter((x) => x.code === 'T502').length, 0);
});

test('T503 when a container\'s memory moves back and forth (page over a slow fabric); not for a slowdown without moves (static)', () => {
  const text = sdsText(4, `container a {
  cpu 4
  memory 16GiB
  workingset 16GiB skew 0 writes 50%
  place on pod
}`, { bandwidth: '1Gbps' });
  const r = simulate(modelOf(text), { policy: 'page' });
  const d = r.diagnostics.find((x) => x.code === 'T503');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.equal(d.subject, 'a');
  assert.ok(r.containers[0].slowdown! > 2);
  assert.match(d.message, /[1-9]\d* moves/);
  // `static` moves nothing: remote accesses slow it down, but that is not thrashing.
  const still = simulate(modelOf(text), { policy: 'static' });
  assert.ok(still.containers[0].slowdown! > 2);
  assert.equal(still.diagnostics.filter((x) => x.code === 'T503').length, 0);
});

test('cancellation throws SimulationCancelled; progress reports rising fractions ending at 1', () => {
  const model = modelOf(twoNodes());
  let calls = 0;
  assert.throws(() => simulate(model, { isCancelled: () => ++calls > 5 }), (e: unknown) => e instanceof SimulationCancelled && e.cancelled);
  const seen: number[] = [];
  simulate(model, { onProgress: (f) => seen.push(f) });
  assert.ok(seen.length >= 10);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1]);
  assert.equal(seen[seen.length - 1], 1);
});

test('wallMillis comes from the host clock, 0 without one', () => {
  const model = modelOf(twoNodes());
  assert.equal(simulate(model, {}).summary.wallMillis, 0);
  let t = 100;
  assert.equal(simulate(model, { now: () => (t += 25) }).summary.wallMillis, 25);
});

test('simulateAll runs the base deployment and every scenario; result fields are filled', () => {
  const { model } = example('spec-example');
  const all = simulateAll(model, {});
  assert.deepEqual(all.map((r) => r.input.scenario), [null, 'lose a node']);
  const r = all[1];
  assert.equal(r.version, '1');
  assert.equal(r.timeline.t.length, r.timeline.locality.length);
  assert.equal(r.timeline.t.length, r.timeline.networkBytes.length);
  assert.deepEqual(r.events.map((e) => [e.kind, e.target, e.absorbed]), [['fail', 'r1.n3', true], ['add', 'r1.n5', true]]);
  assert.ok(r.nodes.find((n) => n.ref === 'r1.n3')?.failed);
  assert.deepEqual(r.containers.map((c) => c.name), ['analytics', 'api', 'cache']);
  const edge = r.edges.find((e) => e.from === 'api' && e.to === 'cache');
  assert.ok(edge && edge.weight === 0.3 && edge.locality >= 0 && edge.locality <= 1);
  // spread nodes: 6 api replicas over 8 nodes, 2 cache replicas: not all api-cache traffic is local
  assert.ok(edge.locality < 1);
});

test('the sampling rate: doubling it from the default changes locality by at most 1 point', () => {
  const { model } = example('spec-example');
  const a = simulate(model, { sampleRate: 1 });
  const b = simulate(model, { sampleRate: 2, budgetMs: 5000 });
  assert.ok(Math.abs(a.summary.locality - b.summary.locality) <= 0.01, `${a.summary.locality} vs ${b.summary.locality}`);
});
