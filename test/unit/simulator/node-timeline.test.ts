import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../../server/src/core/simulator/index';
import { modelOf } from './helpers';

test('packed nodes have a utilisation series too: constant between events, empty after their failure, load changes shown', () => {
  const model = modelOf(`defaults {
  duration 10s
  headroom 0
}
rack r1 {
  node n1..n2 { cores 8 memory 32GiB }
}
container web {
  replicas 2
  cpu 4
  memory 8GiB
  load 50%
  place on r1
}
scenario churn {
  at 4s load web 100%
  at 6s fail r1.n2
}
`);
  const base = simulate(model, {});
  const n1 = base.nodeTimeline?.find((n) => n.ref === 'r1.n1');
  assert.ok(n1, `r1.n1 in the node timeline: ${JSON.stringify(base.nodeTimeline?.map((n) => n.ref))}`);
  assert.equal(n1.cpuUtil.length, base.timeline.t.length);
  // One replica of 4 cores at 50% load on 8 cores: 25%, the whole run; 8GiB of memory.
  assert.ok(n1.cpuUtil.every((u) => Math.abs(u - 0.25) < 1e-9), JSON.stringify(n1.cpuUtil.slice(0, 5)));
  assert.ok(n1.memoryUsed.every((m) => m === 8 * 2 ** 30));

  const run = simulate(model, { scenario: 'churn' });
  const at = (ref: string, t: number) => {
    const row = run.nodeTimeline!.find((n) => n.ref === ref)!;
    const i = run.timeline.t.findIndex((x) => x >= t);
    return { cpu: row.cpuUtil[i], memory: row.memoryUsed[i] };
  };
  assert.ok(Math.abs(at('r1.n1', 2).cpu - 0.25) < 1e-9, 'before the load change');
  assert.ok(Math.abs(at('r1.n1', 5).cpu - 0.5) < 1e-9, 'full load after 4s');
  // (without `spread nodes`, which would forbid it, n2's replica restarts on n1)
  assert.equal(run.events.find((e) => e.kind === 'fail')?.absorbed, true);
  assert.equal(at('r1.n2', 8).memory, 0, 'nothing on the failed node');
  assert.equal(at('r1.n2', 8).cpu, 0);
});
