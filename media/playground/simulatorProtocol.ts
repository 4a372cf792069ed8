// Messages between the page and the simulator worker.
import type { PlacementResult, SimulationResult } from '../../server/src/core/result';
import type { Policy } from '../../server/src/core/model/types';
import type { ProgramFacts } from '../../server/src/core/facts';
import type { RevealKind } from '../../server/src/core/protocol';

export interface SimulateRequest {
  readonly type: 'run';
  readonly id: number;
  readonly text: string;
  readonly path: string;
  /** The scenario to simulate (null: the base deployment). */
  readonly scenario: string | null;
  /** The policy to simulate (null: the file's own). */
  readonly policy: Policy | null;
  /** Also simulate the other policies (for the comparison view), after the first answer. */
  readonly compare: boolean;
}

/** Where a declaration's name is, for the preview's "reveal". */
export interface NameLocation {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export interface SimulateAnswer {
  readonly type: 'result';
  readonly id: number;
  /** True for the last answer to this request. */
  readonly done: boolean;
  readonly placement: PlacementResult | null;
  readonly simulation: SimulationResult | null;
  readonly results: Partial<Record<Policy, SimulationResult>>;
  readonly scenarios: readonly string[];
  readonly policy: Policy;
  /** Where each name the preview can reveal is declared, by kind (nodes by their full `rack.node` name). */
  readonly declarations: Readonly<Record<RevealKind, Readonly<Record<string, NameLocation>>>>;
  /** Images, requests, talks, io, the check's diagnostics: for the preview. */
  readonly facts: ProgramFacts;
  /** Error-severity diagnostics of the check (the simulation may be partial). */
  readonly errors: number;
  readonly millis: number;
  /** Why there is no simulation (simulator missing, or it failed). */
  readonly note?: string;
}
