// The simulator's web worker: check the text (parse, bind, capacity analysis, placement), then
// simulate the asked scenario and policy, then (for the comparison view) the other policies.
// A newer request supersedes an older one between policies.
import { checkText } from '../../server/src/core/check';
import { programFacts } from '../../server/src/core/facts';
import type { Model, Policy } from '../../server/src/core/model/types';
import type { SimulationResult } from '../../server/src/core/result';
import type { Location } from '../../server/src/core/text';
import { simulate } from '../../server/src/core/simulator/index';
import { comparePolicies } from '../../server/src/core/compare';
import type { NameLocation, SimulateAnswer, SimulateRequest } from './simulatorProtocol';

/** What this worker uses of its global scope (a DedicatedWorkerGlobalScope; the DOM's Window has the same two members). */
interface WorkerScope {
  onmessage: ((e: MessageEvent<SimulateRequest>) => void) | null;
  postMessage(m: SimulateAnswer): void;
}
const scope: WorkerScope = self;
let latest = 0;

const loc = (at: Location): NameLocation => ({ file: at.file, start: at.span.start, end: at.span.end });
const tick = (): Promise<void> => new Promise((ok) => setTimeout(ok, 0));

function declarations(model: Model): SimulateAnswer['declarations'] {
  const byName = <T extends { readonly nameAt: Location }>(items: readonly T[], name: (x: T) => string): Record<string, NameLocation> =>
    Object.fromEntries(items.map((x) => [name(x), loc(x.nameAt)]));
  return {
    container: byName(model.containers, (c) => c.name),
    node: byName(model.nodes, (n) => n.ref),
    sds: byName(model.sdses, (x) => x.name),
    rack: byName(model.racks, (r) => r.name),
  };
}

async function run(req: SimulateRequest): Promise<void> {
  const t0 = performance.now();
  const check = checkText(req.text, req.path);
  const { model } = check;
  const placement = check.placement;
  const scenarios = model.scenarios.map((s) => s.name);
  const scenario = req.scenario !== null && scenarios.includes(req.scenario) ? req.scenario : null;
  const scenarioPolicy = model.scenarios.find((s) => s.name === scenario)?.policy ?? null;
  // What the simulator will pick when no policy is asked (it reports the one it used in input.policy).
  let policy: Policy = req.policy ?? scenarioPolicy ?? (model.sdses.length === 1 ? model.sdses[0].policy : model.defaults.policy);
  const options = { now: () => performance.now(), texts: new Map([[req.path, req.text]]), placement };
  const errors = check.diagnostics.filter((d) => d.severity === 'error').length;
  const results: Partial<Record<Policy, SimulationResult>> = {};
  const base = { type: 'result' as const, id: req.id, placement, scenarios, declarations: declarations(model), errors, facts: programFacts(check) };
  let simulation: SimulationResult | null = null;
  try {
    simulation = simulate(model, { ...options, scenario, policy: req.policy ?? undefined });
    policy = simulation.input.policy;
    results[policy] = simulation;
  } catch (e) {
    scope.postMessage({ ...base, policy, done: true, simulation: null, results, millis: performance.now() - t0, note: `the simulator failed: ${String(e)}` });
    return;
  }
  const answer = (results: Partial<Record<Policy, SimulationResult>>, done: boolean): void =>
    scope.postMessage({ ...base, policy, done, simulation, results, millis: performance.now() - t0 });
  answer({ ...results }, !req.compare);
  if (!req.compare) return;
  const chosen = policy;
  await comparePolicies((p) => simulate(model, { ...options, scenario, policy: p }), {
    skip: [chosen],
    initial: results,
    stop: async () => { await tick(); return req.id !== latest; },
    ran: (_p, so, done) => answer(so, done),
  });
}

scope.onmessage = (e) => {
  if (e.data?.type !== 'run') return;
  latest = e.data.id;
  void run(e.data);
};
