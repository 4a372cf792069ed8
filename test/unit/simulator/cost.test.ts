// Property 5: `cost` is never worse than the best of `static`, `page` and `vcpu` on slowdown by
// more than 5%, on the examples and on every case of the generated suite, and it beats each of
// them somewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../../server/src/core/simulator/index';
import type { Model, Policy } from '../../../server/src/core/model/types';
import { EXAMPLES, example, generatedSuite } from './helpers';

type Slowdowns = Record<Policy, number>;

function slowdowns(model: Model, scenario: string | null = null): Slowdowns {
  const out = {} as Slowdowns;
  for (const policy of ['static', 'page', 'vcpu', 'cost'] as const) out[policy] = simulate(model, { policy, scenario }).summary.slowdown;
  return out;
}

function check(name: string, s: Slowdowns, beaten: Set<Policy>): void {
  const best = Math.min(s.static, s.page, s.vcpu);
  assert.ok(s.cost <= best * 1.05, `${name}: cost ${s.cost} against the best simple policy ${best} (${JSON.stringify(s)})`);
  for (const p of ['static', 'page', 'vcpu'] as const) if (s.cost < s[p] * 0.95) beaten.add(p);
}

test('property 5 on the examples (base deployment and every scenario): cost within 5% of the best simple policy', () => {
  const beaten = new Set<Policy>();
  for (const name of EXAMPLES) {
    const { model } = example(name);
    for (const scenario of [null, ...model.scenarios.map((x) => x.name)]) check(`${name} ${scenario ?? 'base'}`, slowdowns(model, scenario), beaten);
  }
});

test('property 5 on the generated suite (1 to 16 nodes, fast and slow fabrics, uniform and skewed, read-mostly and write-heavy): within 5%, and better than each simple policy somewhere', () => {
  const beaten = new Set<Policy>();
  const cases = generatedSuite();
  assert.ok(cases.length >= 40);
  for (const c of cases) check(c.name, slowdowns(c.model), beaten);
  assert.deepEqual([...beaten].sort(), ['page', 'static', 'vcpu']);
});
