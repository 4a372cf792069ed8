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
  assert.equal(d.severity, 'error');
  // the run stops there: the figures cover the time before it, in a state that can exist
  assert.match(d.message, /the scenario stops there, its figures cover the first 1s/);
  assert.equal(r.summary.simulatedSeconds, 1);
  assert.equal(r.timeline.t[r.timeline.t.length - 1] < 1, true);
  for (const n of r.nodes) assert.ok(n.memoryUsed <= n.memory, `${n.ref} ${n.memoryUsed}`);
  assert.equal(r.nodes.find((n) => n.ref === 'r1.n2')!.failed, false, 'never failed: the run stopped before');
  // the base deployment has no T501
  assert.equal(simulate(model, {}).diagnostics.filter((x) => x.code === 'T501').length, 0);
});

test('T501 for a scale event that does not fit; later events are not reached', () => {
  const text = sdsText(2, `container a {
  cpu 2
  memory 20GiB
  place on pod
}
scenario grow {
  at 1s scale a to 7
  at 2s scale a to 2
}`, { memory: '64GiB', duration: '3s' });
  const r = simulate(modelOf(text), { scenario: 'grow', texts: new Map([[PATH, text]]) });
  assert.deepEqual(r.events.map((e) => [e.absorbed, e.reached]), [[false, true], [false, false]]);
  assert.match(r.diagnostics.find((x) => x.code === 'T501')?.message ?? '', /scaling a to 7 at 1s does not fit/);
  assert.equal(r.containers[0].replicas, 1);
});

test('T502 when an SDS is coarsened to its budget; the message says how, and what the interval became', () => {
  const model = modelOf(twoNodes());
  const r = simulate(model, { policy: 'page', budgetMs: 1, texts: new Map([[PATH, twoNodes()]]) });
  const d = r.diagnostics.find((x) => x.code === 'T502');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.equal(d.subject, 'pod');
  assert.match(d.message, /the simulation of pod was coarsened to stay within its share of the 1 ms budget: ticks of [0-9.]+ ms instead of 10 ms; its steady-state locality is [0-9.]+% ± [0-9.]+ points and its slowdown [0-9.]+x ± [0-9.]+% \(95%\)/);
  assert.ok(r.input.tick > 0.01);
  // vcpu samples: fewer of them first
  const v = simulate(model, { policy: 'vcpu', budgetMs: 1 });
  assert.match(v.diagnostics.find((x) => x.code === 'T502')?.message ?? '', /8 sampled accesses per vCPU per tick instead of 32/);
  assert.equal(simulate(model, { policy: 'cost' }).diagnostics.filter((x) => x.code === 'T502').length, 0);
});

test('T503 when a container runs more than twice as slow as alone, naming the cause: moves back and forth, remote memory', () => {
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
  assert.match(d.message, /a thrashes: its memory and vCPUs move back and forth \([0-9,]+ moves in the second half of the run\), so it runs [0-9.]+x slower than alone/);
  // static moves nothing: its remote accesses slow it down, and the message says that instead
  const still = simulate(modelOf(text), { policy: 'static' });
  assert.ok(still.containers[0].slowdown! > 2);
  assert.match(still.diagnostics.find((x) => x.code === 'T503')?.message ?? '', /a runs [0-9.]+x slower than alone: 50% of its memory accesses wait for another node/);
  // a container at 1.5x is not reported
  const fast = simulate(modelOf(text.replace('1Gbps', '400Gbps').replace('writes 50%', 'writes 50%\n  load 25%')), { policy: 'cost' });
  assert.equal(fast.diagnostics.filter((x) => x.code === 'T503').length, 0, JSON.stringify(fast.containers));
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
  assert.equal(r.version, '2');
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
