import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../../server/src/core/simulator/index';
import type { Policy } from '../../../server/src/core/model/types';
import { EXAMPLES, example, modelOf, sdsText } from './helpers';

const POLICIES: Policy[] = ['static', 'page', 'vcpu', 'cost'];

test('property 1: one node, any policy: locality is 1', () => {
  const model = modelOf(sdsText(1, `container a {
  cpu 4
  memory 8GiB
  workingset 4GiB skew 0.5 writes 30%
  place on pod
}`));
  for (const policy of POLICIES) {
    const r = simulate(model, { policy });
    assert.equal(r.summary.locality, 1, policy);
    assert.equal(r.containers[0].locality, 1, policy);
  }
});

test('property 2: static, N nodes, memory spread evenly, skew 0: locality 1/N within 0.03', () => {
  for (const n of [2, 4]) {
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

test('property 3: two containers with disjoint working sets on a 2-node SDS under cost: locality >= 0.95', () => {
  const model = modelOf(sdsText(2, `container a {
  cpu 4
  memory 16GiB
  workingset 16GiB skew 0.8 writes 30%
  place on pod
}
container b {
  cpu 4
  memory 16GiB
  workingset 16GiB skew 0.8 writes 30%
  place on pod
}`, { duration: '10s' }));
  const r = simulate(model, { policy: 'cost' });
  assert.ok(r.summary.locality >= 0.95, `locality ${r.summary.locality}`);
});

test('property 4: under cost, two containers writing heavily to shared memory gather their vCPUs on one node', () => {
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
  // 8 vCPUs dealt 2 per node at the start; most of them must end on one node
  assert.equal([...count.values()].reduce((x, y) => x + y, 0), 8);
  const most = Math.max(...count.values());
  assert.ok(most >= 5, `vCPUs per node: ${JSON.stringify([...count])}`);
});

test('property 5: on the examples, cost is never worse than both page and vcpu by more than 0.02; cost beats static', () => {
  for (const name of EXAMPLES) {
    const { model } = example(name);
    const loc = Object.fromEntries(POLICIES.map((p) => [p, simulate(model, { policy: p }).summary.locality])) as Record<Policy, number>;
    assert.ok(loc.cost >= Math.min(loc.page, loc.vcpu) - 0.02, `${name}: ${JSON.stringify(loc)}`);
    if (model.sdses.length > 0) assert.ok(loc.cost > loc.static, `${name}: ${JSON.stringify(loc)}`);
    else assert.ok(loc.cost >= loc.static, `${name}: ${JSON.stringify(loc)}`);
  }
});

test('property 6: same input and seed give byte-identical JSON apart from wallMillis; another seed is within 0.02', () => {
  const { model } = example('spec-example');
  let clock = 0;
  const now = (): number => (clock += 7);
  const strip = (s: string): string => s.replace(/"wallMillis":[0-9.]+/, '');
  const a = simulate(model, { seed: 11, now, scenario: 'lose a node' });
  const b = simulate(model, { seed: 11, now, scenario: 'lose a node' });
  assert.equal(strip(JSON.stringify(a)), strip(JSON.stringify(b)));
  assert.ok(a.summary.wallMillis > 0);
  const c = simulate(model, { seed: 12345 });
  const d = simulate(model, { seed: 11 });
  assert.notEqual(JSON.stringify(c.timeline), JSON.stringify(d.timeline));
  assert.ok(Math.abs(c.summary.locality - d.summary.locality) <= 0.02, `${c.summary.locality} vs ${d.summary.locality}`);
});

test('property 7: more bandwidth never increases stall time; a failed node ends with no memory and no vCPUs', () => {
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
      assert.ok(r.summary.stallSeconds <= last + 1e-9, `${policy} ${bw}: ${r.summary.stallSeconds} > ${last}`);
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
  const r = simulate(model, { policy: 'static', scenario: 'fail' });
  const base = simulate(model, { policy: 'static' });
  const series = r.nodeTimeline?.find((n) => n.ref === 'r1.n1');
  assert.ok(series);
  const i = r.timeline.t.findIndex((t) => t >= 2) - 1;
  const onIt = series.memoryUsed[i];
  assert.ok(onIt > 0);
  const before = base.timeline.networkBytes.slice(0, i + 1).reduce((x, y) => x + y, 0);
  const moved = r.timeline.networkBytes.slice(0, i + 2).reduce((x, y) => x + y, 0) - before;
  assert.ok(moved >= onIt, `moved ${moved} < ${onIt}`);
});
