// The properties of ../shared/spec/simulator.md ("Properties that must hold"), 1-8 and 12-14;
// 5 (cost against the simple policies) is in cost.test.ts, 9 and 11 in convergence.test.ts,
// 10 in exact.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../../server/src/core/simulator/index';
import type { SimulationResult } from '../../../server/src/core/result';
import { EXAMPLES, POLICIES, example, generatedSuite, modelOf, sdsText } from './helpers';

test('property 1: one node, any policy: locality is 1', () => {
  const model = modelOf(sdsText(1, `container a {
  cpu 4
  memory 8GiB
  workingset 4GiB skew 0.5 writes 30%
  talks b weight 30%
  place on pod
}
container b {
  cpu 2
  memory 4GiB
  place on pod
}`));
  for (const policy of POLICIES) {
    const r = simulate(model, { policy });
    assert.equal(r.summary.locality, 1, policy);
    for (const c of r.containers) assert.equal(c.locality, 1, `${policy} ${c.name}`);
    assert.equal(r.summary.vcpuMigrations + r.summary.chunkMigrations, 0, policy);
  }
  // and on every one-node case of the generated suite
  for (const c of generatedSuite().filter((x) => x.name.startsWith('1 nodes'))) {
    for (const policy of POLICIES) assert.equal(simulate(c.model, { policy }).summary.locality, 1, `${c.name} ${policy}`);
  }
});

test('property 2: static, N nodes, memory spread evenly, uniform accesses: locality 1/N within 0.03', () => {
  for (const n of [2, 3, 4, 8]) {
    // one vCPU per node (round-robin), first touch deals the chunks out evenly
    const model = modelOf(sdsText(n, `container a {
  cpu ${n}
  memory 8GiB
  load 100%
  workingset 8GiB skew 0 writes 30%
  place on pod
}`));
    const r = simulate(model, { policy: 'static' });
    const shares = Object.values(r.containers[0].nodes);
    assert.equal(shares.length, n);
    for (const s of shares) assert.ok(Math.abs(s - 1 / n) < 0.01, `memory share ${s}`);
    assert.ok(Math.abs(r.summary.locality - 1 / n) <= 0.03, `n=${n} locality ${r.summary.locality}`);
  }
});

test('property 3: two containers with disjoint working sets on a 2-node SDS under cost: locality at least 0.95', () => {
  for (const skew of [0, 0.8, 1.2]) {
    for (const bandwidth of ['100Gbps', '400Gbps']) {
      const model = modelOf(sdsText(2, `container a {
  cpu 4
  memory 16GiB
  workingset 16GiB skew ${skew} writes 30%
  place on pod
}
container b {
  cpu 4
  memory 16GiB
  workingset 16GiB skew ${skew} writes 30%
  place on pod
}`, { duration: '10s', bandwidth }));
      const r = simulate(model, { policy: 'cost' });
      assert.ok(r.summary.locality >= 0.95, `skew ${skew} ${bandwidth}: locality ${r.summary.locality}`);
    }
  }
});

test('property 4: under cost, two containers that write heavily to shared memory end up with most vCPUs on one node', () => {
  const model = modelOf(sdsText(4, `container a {
  cpu 4
  load 100%
  memory 4GiB
  workingset 4GiB skew 0.8 writes 80%
  talks b weight 90%
  place on pod
}
container b {
  cpu 4
  load 100%
  memory 4GiB
  workingset 4GiB skew 0.8 writes 80%
  place on pod
}`));
  const r = simulate(model, { policy: 'cost' });
  const count = new Map<string, number>();
  for (const c of r.containers) for (const [n, s] of Object.entries(c.vcpus)) count.set(n, (count.get(n) ?? 0) + Math.round(s * 4));
  // 8 vCPUs dealt 2 per node at the start; 7 usable cores per node: most of them end on one
  assert.equal([...count.values()].reduce((x, y) => x + y, 0), 8);
  const most = Math.max(...count.values());
  assert.ok(most >= 5, `vCPUs per node: ${JSON.stringify([...count])}`);
  const edge = r.edges.find((e) => e.from === 'a' && e.to === 'b');
  assert.ok(edge && edge.locality > 0.8, `shared memory local: ${edge?.locality}`);
});

test('property 6: same input and seed give byte-identical JSON apart from wallMillis; another seed is within 0.02', () => {
  const strip = (s: string): string => s.replace(/"wallMillis":[0-9.]+/, '');
  for (const name of EXAMPLES) {
    const { model } = example(name);
    const scenario = model.scenarios[0]?.name ?? null;
    let clock = 0;
    const now = (): number => (clock += 7);
    for (const policy of POLICIES) {
      const a = simulate(model, { seed: 11, now, scenario, policy, duration: 5 });
      const b = simulate(model, { seed: 11, now, scenario, policy, duration: 5 });
      assert.equal(strip(JSON.stringify(a)), strip(JSON.stringify(b)), `${name} ${policy}`);
      assert.ok(a.summary.wallMillis > 0);
      const c = simulate(model, { seed: 12345, scenario, policy, duration: 5 });
      assert.ok(Math.abs(c.summary.locality - a.summary.locality) <= 0.02, `${name} ${policy}: ${c.summary.locality} vs ${a.summary.locality}`);
    }
  }
  // the seed is used: vcpu's hopping vCPUs follow a different path with another seed
  const model = modelOf(sdsText(4, `container a {
  cpu 8
  load 100%
  memory 8GiB
  workingset 8GiB skew 0.5
  place on pod
}`));
  const x = simulate(model, { seed: 1, policy: 'vcpu' });
  const y = simulate(model, { seed: 2, policy: 'vcpu' });
  assert.notEqual(JSON.stringify(x.timeline), JSON.stringify(y.timeline));
});

test('property 7: more bandwidth or less latency never increases stall time; a failed node ends with no memory and no vCPUs', () => {
  const body = `container a {
  cpu 6
  memory 16GiB
  workingset 16GiB skew 0.6 writes 30%
  place on pod
}
container b {
  cpu 6
  memory 16GiB
  workingset 8GiB skew 1 writes 50%
  talks a weight 20%
  place on pod
}
scenario "fail" {
  at 1s fail r1.n2
}`;
  for (const policy of POLICIES) {
    let last = Infinity;
    for (const bw of ['1Gbps', '10Gbps', '100Gbps', '400Gbps']) {
      const r = simulate(modelOf(sdsText(3, body, { bandwidth: bw })), { policy });
      assert.ok(r.summary.stallSeconds <= last * (1 + 1e-9) + 1e-9, `${policy} ${bw}: ${r.summary.stallSeconds} > ${last}`);
      last = r.summary.stallSeconds;
    }
    last = Infinity;
    for (const lat of ['50us', '10us', '2us', '500ns']) {
      const r = simulate(modelOf(sdsText(3, body, { latency: lat })), { policy });
      assert.ok(r.summary.stallSeconds <= last * (1 + 1e-9) + 1e-9, `${policy} ${lat}: ${r.summary.stallSeconds} > ${last}`);
      last = r.summary.stallSeconds;
    }
    const f = simulate(modelOf(sdsText(3, body)), { policy, scenario: 'fail' });
    const n2 = f.nodes.find((n) => n.ref === 'r1.n2');
    assert.ok(n2 && n2.failed && n2.memoryUsed === 0, JSON.stringify(n2));
    for (const c of f.containers) {
      assert.equal(c.vcpus['r1.n2'], undefined, `${policy} ${c.name} vcpus`);
      assert.equal(c.nodes['r1.n2'], undefined, `${policy} ${c.name} memory`);
    }
  }
});

test('property 8: evacuating a node moves at least the memory that was on it across the network', () => {
  const body = `container a {
  cpu 4
  memory 24GiB
  workingset 12GiB skew 0.6 writes 30%
  place on pod
}
scenario "fail" {
  at 2s fail r1.n1
}`;
  const model = modelOf(sdsText(3, body));
  for (const policy of POLICIES) {
    const r = simulate(model, { policy, scenario: 'fail' });
    const base = simulate(model, { policy });
    const series = r.nodeTimeline?.find((n) => n.ref === 'r1.n1');
    assert.ok(series);
    const i = r.timeline.t.findIndex((t) => t >= 2) - 1;
    const onIt = series.memoryUsed[i];
    assert.ok(onIt > 0);
    const before = base.timeline.networkBytes.slice(0, i + 2).reduce((x, y) => x + y, 0);
    const moved = r.timeline.networkBytes.slice(0, i + 2).reduce((x, y) => x + y, 0) - before;
    assert.ok(moved >= onIt * 0.999, `${policy}: moved ${moved} < ${onIt}`);
  }
});

/** A CPU-overloaded SDS (single-vCPU replicas, more runnable vCPUs than cores) and a spare that joins. */
const overloaded = `defaults {
  duration 6s
  oversubscribe cpu 2.0
}
rack r1 {
  latency 2us
  bandwidth 100Gbps
  node n1..n2 { cores 8 memory 64GiB }
  node n3 { cores 8 memory 64GiB role spare }
}
sds pod { nodes r1.n1..n2 }
container worker {
  replicas 24
  cpu request 500m limit 1
  load 100%
  memory 1GiB
  workingset 1GiB skew 0.8 writes 30%
  place on pod
}
scenario join {
  at 2s add r1.n3 to pod
}
`;

test('property 12: a node added to a CPU-overloaded SDS runs vCPUs within a second, and the mean slowdown after the join is lower', () => {
  const model = modelOf(overloaded);
  // vcpu is left out: its vCPUs follow their memory on every stall, and a new node holds none
  for (const policy of ['static', 'page', 'cost'] as const) {
    const r = simulate(model, { policy, scenario: 'join' });
    const n3 = r.nodeTimeline!.find((n) => n.ref === 'r1.n3')!;
    const within = r.timeline.t.findIndex((t) => t >= 2.0 + 1e-9) ;
    const second = r.timeline.t.findIndex((t) => t >= 3);
    assert.ok(n3.cpuUtil.slice(within, second).some((u) => u > 0.2), `${policy}: r1.n3 cpu ${n3.cpuUtil.slice(within, second + 2).join(' ')}`);
    const mean = (from: number, to: number): number => slowdownBetween(r, from, to);
    assert.ok(mean(3, 6) < mean(0.5, 2) * 0.95, `${policy}: slowdown before ${mean(0.5, 2)}, after ${mean(3, 6)}`);
    if (policy === 'page') assert.ok(r.nodes.find((n) => n.ref === 'r1.n3')!.memoryUsed > 0, 'memory followed the vCPUs to r1.n3');
  }
});

/** Mean slowdown of all containers between two times, from the document's container timelines. */
function slowdownBetween(r: SimulationResult, from: number, to: number): number {
  // nodes' cpu use stands for work done: slowdown is inversely proportional to it under time slicing
  const i0 = r.timeline.t.findIndex((t) => t >= from);
  const i1 = r.timeline.t.findIndex((t) => t >= to);
  const end = i1 < 0 ? r.timeline.t.length : i1;
  let busy = 0;
  for (const n of r.nodeTimeline ?? []) for (let i = i0; i < end; i++) busy += n.cpuUtil[i] * (r.nodes.find((x) => x.ref === n.ref)?.cores ?? 0);
  const work = busy / (end - i0);
  // 24 vCPUs want a core each: slowdown = 24 / cores worth of computing delivered
  return 24 / work;
}

test('property 13: a larger working set on the same nodes, or more writes to shared memory, does not raise locality (means over seeds)', () => {
  const seeds = [1, 2, 3, 4, 5];
  const mean = (text: string, policy: 'cost' | 'page' | 'static' | 'vcpu'): number => seeds.reduce((a, seed) => a + simulate(modelOf(text), { seed, policy }).summary.locality, 0) / seeds.length;
  for (const policy of POLICIES) {
    let last = Infinity;
    for (const ws of [2, 8, 32, 96]) {
      const l = mean(sdsText(4, `container a {
  cpu 8
  memory 100GiB
  workingset ${ws}GiB skew 0.8 writes 30%
  place on pod
}`, { memory: '128GiB' }), policy);
      assert.ok(l <= last + 0.005, `${policy} working set ${ws}GiB: ${l} > ${last}`);
      last = l;
    }
    last = Infinity;
    for (const writes of [0, 30, 50, 95]) {
      const l = mean(sdsText(4, `container a {
  cpu 4
  memory 8GiB
  workingset 8GiB skew 0.8 writes ${writes}%
  talks b weight 50%
  place on pod
}
container b {
  cpu 4
  memory 8GiB
  workingset 8GiB skew 0.8 writes ${writes}%
  place on pod
}`), policy);
      assert.ok(l <= last + 0.005, `${policy} writes ${writes}%: ${l} > ${last}`);
      last = l;
    }
  }
});

test('property 14: no result shows a node holding more memory than it has, or a container counted on two targets', () => {
  const runs: SimulationResult[] = [];
  for (const name of EXAMPLES) {
    const { model } = example(name);
    for (const scenario of [null, ...model.scenarios.map((s) => s.name)]) for (const policy of POLICIES) runs.push(simulate(model, { scenario, policy, duration: 8 }));
  }
  for (const c of generatedSuite()) for (const policy of POLICIES) runs.push(simulate(c.model, { policy }));
  for (const r of runs) {
    for (const n of r.nodes) assert.ok(n.memoryUsed <= n.memory, `${r.input.file} ${r.input.scenario} ${r.input.policy}: ${n.ref} holds ${n.memoryUsed} of ${n.memory}`);
    for (const row of r.nodeTimeline ?? []) {
      const cap = r.nodes.find((n) => n.ref === row.ref)!.memory;
      for (const m of row.memoryUsed) assert.ok(m <= cap, `${r.input.file} ${r.input.scenario}: ${row.ref} timeline holds ${m} of ${cap}`);
    }
    const names = r.containers.map((c) => c.name);
    assert.equal(new Set(names).size, names.length, 'each container once');
  }
  // a node in two targets (a rack and a node set over it): every replica counted once, under its own target
  const multi = simulate(example('multi-rack').model, { policy: 'static', duration: 2 });
  const w01 = multi.nodes.find((n) => n.ref === 'r3.w01')!;
  assert.ok(w01.memoryUsed <= 118 * 2 ** 30 + 1, `r3.w01 holds ${w01.memoryUsed}: topo place puts 118GiB of requests there`);
  assert.equal(multi.containers.find((c) => c.name === 'gateway')!.replicas, 2);
  // a container on a node of a rack that also holds an SDS: simulated once, on its node set
  const model = modelOf(`rack r1 {
  node n1..n3 { cores 16 memory 256GiB }
}
sds pod { nodes r1.n1..n2 }
container db {
  cpu 4
  memory 128GiB
  place on r1.n3
}
container app {
  cpu 8
  memory 64GiB
  place on pod
}
`);
  const r = simulate(model, {});
  const db = r.containers.find((c) => c.name === 'db')!;
  assert.equal(db.replicas, 1);
  assert.deepEqual(Object.keys(db.nodes), ['r1.n3']);
  const n3 = r.nodes.find((n) => n.ref === 'r1.n3')!;
  assert.equal(n3.memoryUsed, 128 * 2 ** 30);
});
