// The simulator the worker runs. Until server/src/core/simulator/index.ts exists this module says
// so (null); media/playground/build.mjs swaps it for the core's simulator when it does.
import type { Model, Policy } from '../../server/src/core/model/types';
import type { SimulationResult } from '../../server/src/core/result';

export type SimulateFn = (model: Model, options: { scenario?: string | null; policy?: Policy }) => SimulationResult;

export const simulate: SimulateFn | null = null;
