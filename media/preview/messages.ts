// The messages between the preview and its host, with the documents they carry: the core's
// (server/src/core/result.ts, facts.ts).
import type * as R from '../../server/src/core/result';
import type { ProgramFacts } from '../../server/src/core/facts';
import type { Policy } from '../../server/src/core/model/types';

export type { PlacementResult, SimulationDiagnostic, NodeResult, EdgeResult, CpuMemory } from '../../server/src/core/result';
export type { ProgramFacts, ContainerFacts, FactDiagnostic } from '../../server/src/core/facts';
export type { Policy };
export { simulatedNothing } from '../../server/src/core/result';

export const POLICIES: readonly Policy[] = ['static', 'page', 'vcpu', 'cost'];

// Simulator v2's documents (issue 14: intervals, null locality for a container that ran no
// replica, events the run never reached); the validator rejects other versions.
export type ContainerResult = R.ContainerResult;
export type SimulationSummary = R.SimulationSummary;
export type EventResult = R.EventResult;
export type SimulationResult = R.SimulationResult;

/** Host -> preview: new data. */
export interface UpdateMessage {
  readonly type: 'update';
  readonly placement: R.PlacementResult;
  /**
   * The latest simulation; null when there is none for this text (not simulated yet, or the file has
   * errors): the preview keeps showing the one before, marked stale, until a new one arrives.
   */
  readonly simulation: SimulationResult | null;
  /** Per policy, for the comparison view. */
  readonly results?: Readonly<Partial<Record<Policy, SimulationResult>>>;
  readonly scenarios: readonly string[];
  readonly source?: { readonly file: string };
  /** Images, requests, limits, talks, io and the check's diagnostics (server/src/core/facts.ts). */
  readonly facts?: ProgramFacts;
  /** Why `simulation` is null (shown beside the stale result). */
  readonly reason?: string;
}

/** Host -> preview: the container under the editor cursor (empty string clears). */
export interface HighlightMessage {
  readonly type: 'highlight';
  readonly container: string;
}

/** Host -> preview: the file was edited since the results shown were computed. */
export interface StaleMessage {
  readonly type: 'stale';
  readonly reason: string;
}

export type IncomingMessage = UpdateMessage | HighlightMessage | StaleMessage;

/** What a `reveal` can name. */
export type RevealKind = 'container' | 'node' | 'sds' | 'rack';

/** Preview -> host. */
export type OutgoingMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal'; readonly kind: RevealKind; readonly name: string }
  /** A place in the previewed file itself (a diagnostic): zero-based line and character. */
  | { readonly type: 'revealLine'; readonly line: number; readonly character: number }
  | { readonly type: 'simulate'; readonly scenario: string | null; readonly policy: Policy }
  | { readonly type: 'export'; readonly format: 'svg' | 'png' | 'csv'; readonly data: string };

export type Post = (msg: OutgoingMessage) => void;
