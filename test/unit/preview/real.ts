// Real documents for the preview: the core's placement, simulation (base deployment, and each
// policy for the comparison view) and facts of a .topo text, as the language server sends them.
import { checkText } from '../../../server/src/core/check';
import { programFacts } from '../../../server/src/core/facts';
import { simulate } from '../../../server/src/core/simulator/index';
import type { Policy } from '../../../server/src/core/model/types';
import type { SimulationResult } from '../../../server/src/core/result';
import type { UpdateMessage } from '../../../media/preview/messages';

const POLICIES: readonly Policy[] = ['static', 'page', 'vcpu', 'cost'];

export interface RealOptions {
  /** Also simulate each policy (the comparison view). */
  readonly compare?: boolean;
  /** The scenario to simulate (default: the base deployment). */
  readonly scenario?: string | null;
  readonly budgetMs?: number;
}

export function realUpdate(text: string, path: string, o: RealOptions = {}): UpdateMessage {
  const check = checkText(text, path);
  const texts = new Map([...check.trees].map(([f, t]) => [f, t.text] as [string, string]));
  const run = (policy?: Policy): SimulationResult => simulate(check.model, { scenario: o.scenario ?? null, policy, texts, placement: check.placement, budgetMs: o.budgetMs ?? 1500, now: () => performance.now() });
  const simulation = run();
  const results = o.compare ? Object.fromEntries(POLICIES.map((p) => [p, p === simulation.input.policy ? simulation : run(p)])) : undefined;
  return {
    type: 'update', placement: check.placement!, simulation, ...(results ? { results } : {}),
    scenarios: check.model.scenarios.map((s) => s.name), source: { file: path }, facts: programFacts(check),
  };
}
