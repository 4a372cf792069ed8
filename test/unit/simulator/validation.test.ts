// The validation page of docs/simulator.md: published qualitative results that the model
// reproduces, each on an analogous case. Numbers in comments are what the model gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../../server/src/core/simulator/index';
import type { SimulationResult } from '../../../server/src/core/result';
import type { Policy } from '../../../server/src/core/model/types';
import { EXAMPLES, POLICIES, example, generatedSuite, modelOf, sdsText } from './helpers';

/** Mean throughput per container (1 / slowdown): what a benchmark score measures. */
function throughput(r: SimulationResult): number {
  return r.containers.reduce((a, c) => a + 1 / c.slowdown!, 0) / r.containers.length;
}

// A 4-socket NUMA box as the model sees it: a remote access costs half a local one more
// (latency 500ns over a fast link; a local one is 1 us of computing per cache miss).
const box = (body: string): string => `defaults { duration 10s }
rack r1 {
  latency 500ns
  bandwidth 400Gbps
  node n1..n4 { cores 8 memory 64GiB }
}
${body}`;
const jvm = (i: number, target: string): string => `container jvm${i} {
  cpu 6
  load 100%
  memory 16GiB
  workingset 12GiB skew 0.8 writes 30%
  place on ${target}
}`;

test('AutoNUMA on SPECjbb2005 (LWN 581002): pinned >= automatic balancing >= none, about 0.93-0.96 and 0.72 of pinned', () => {
  // four JVMs on a four-node box; "pinned": each on a node of its own (an SDS of one node)
  const pinned = simulate(modelOf(box([0, 1, 2, 3].map((i) => `sds p${i} { nodes r1.n${i + 1} }\n${jvm(i, `p${i}`)}`).join('\n'))), {});
  const shared = modelOf(box(`sds box { nodes r1.n1..n4 }\n${[0, 1, 2, 3].map((i) => jvm(i, 'box')).join('\n')}`));
  const none = simulate(shared, { policy: 'static' });
  const automatic = simulate(shared, { policy: 'cost' });
  const p = throughput(pinned);
  const a = throughput(automatic) / p;
  const n = throughput(none) / p;
  // measured: automatic 0.93, none 0.74
  assert.ok(a >= 0.9 && a <= 1, `automatic balancing at ${a} of pinned`);
  assert.ok(n >= 0.65 && n <= 0.8, `no balancing at ${n} of pinned`);
  assert.ok(p >= throughput(automatic) && throughput(automatic) > throughput(none));
});

test('Carrefour (ASPLOS 2013): the adaptive policy is never more than 4% worse than the best fixed one', () => {
  let worst = 0;
  const cases = [
    ...EXAMPLES.flatMap((name) => { const { model } = example(name); return [null, ...model.scenarios.map((s) => s.name)].map((scenario) => ({ model, scenario })); }),
    ...generatedSuite().map((c) => ({ model: c.model, scenario: null })),
  ];
  for (const c of cases) {
    const s = Object.fromEntries(POLICIES.map((p) => [p, simulate(c.model, { policy: p, scenario: c.scenario }).summary.slowdown])) as Record<Policy, number>;
    worst = Math.max(worst, s.cost / Math.min(s.static, s.page, s.vcpu));
  }
  // measured: 1.00 (cost is never slower than the best fixed policy on these cases)
  assert.ok(worst <= 1.04, `worst ratio ${worst}`);
});

const pair = (writes: string, cpu: number): string => sdsText(2, `container a {
  cpu ${cpu}
  load 100%
  memory 8GiB
  workingset 8GiB skew 0.8 writes ${writes}
  talks b weight 60%
  place on pod
}
container b {
  cpu ${cpu}
  load 100%
  memory 8GiB
  workingset 8GiB skew 0.8 writes ${writes}
  place on pod
}`, { duration: '10s' });

test('read-mostly sharing is won by replication', () => {
  // two containers too large to share a node read the same memory
  const model = modelOf(pair('0%', 6));
  const r = Object.fromEntries(POLICIES.map((p) => [p, simulate(model, { policy: p })])) as Record<Policy, SimulationResult>;
  assert.ok(r.cost.summary.replications > 0);
  assert.ok(r.cost.edges[0].locality > 0.99, `shared reads local: ${r.cost.edges[0].locality}`);
  for (const p of ['static', 'page', 'vcpu'] as const) assert.ok(r.cost.summary.slowdown < r[p].summary.slowdown * 0.95, `${p} ${r[p].summary.slowdown} vs cost ${r.cost.summary.slowdown}`);
});

test('heavily written shared memory is won by bringing the threads together, not by copies', () => {
  const model = modelOf(pair('80%', 3));
  const r = Object.fromEntries(POLICIES.map((p) => [p, simulate(model, { policy: p })])) as Record<Policy, SimulationResult>;
  assert.equal(r.cost.summary.replications, 0);
  const nodes = new Map<string, number>();
  for (const c of r.cost.containers) for (const [n, s] of Object.entries(c.vcpus)) nodes.set(n, (nodes.get(n) ?? 0) + s * 3);
  assert.ok(Math.max(...nodes.values()) >= 5.5, `vCPUs per node ${JSON.stringify([...nodes])}`);
  for (const p of ['static', 'page', 'vcpu'] as const) assert.ok(r.cost.summary.slowdown < r[p].summary.slowdown * 0.95, `${p} ${r[p].summary.slowdown} vs cost ${r.cost.summary.slowdown}`);
});
