// The simulator the worker runs. Until server/src/core/simulator/index.ts exists this module says
// so (null); media/playground/build.mjs swaps it for the core's simulator when it does.
import type { Model, Policy } from '../../server/src/core/model/types';
import type { PlacementResult, SimulationResult } from '../../server/src/core/result';

/** The subset of the simulator's SimulateOptions the playground passes. */
export interface PlaygroundSimulateOptions {
  readonly scenario?: string | null;
  /** Absent: the scenario's, the single SDS's or the file's policy. */
  readonly policy?: Policy;
  readonly now?: () => number;
  /** File texts, to give diagnostics line ranges. */
  readonly texts?: ReadonlyMap<string, string>;
  readonly placement?: PlacementResult;
}

export type SimulateFn = (model: Model, options: PlaygroundSimulateOptions) => SimulationResult;

export const simulate: SimulateFn | null = null;
