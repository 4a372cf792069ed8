// The messages between the preview and its host, with the documents they carry. The documents are
// the core's (server/src/core/result.ts, facts.ts); the preview reads a projection of them: the
// fields it draws, with the simulator v2 additions (issue 14: intervals, null locality for a
// container that ran no replica) optional so that it shows intervals where they exist.
import type * as R from '../../server/src/core/result';
import type { ProgramFacts } from '../../server/src/core/facts';
import type { Policy } from '../../server/src/core/model/types';

export type { PlacementResult, SimulationDiagnostic, NodeResult, EdgeResult, CpuMemory } from '../../server/src/core/result';
export type { ProgramFacts, ContainerFacts, FactDiagnostic } from '../../server/src/core/facts';
export type { Policy };

export const POLICIES: readonly Policy[] = ['static', 'page', 'vcpu', 'cost'];

/** What a container result must have for the preview; v2 fields optional. */
type ContainerV2 = {
  readonly locality: number | null;
  readonly slowdown: number | null;
  /** 95% confidence half-width (simulator v2). */
  readonly localityError?: number;
  readonly slowdownError?: number;
};
export type ContainerResult = Omit<R.ContainerResult, keyof ContainerV2> & ContainerV2;

type SummaryV1 = Pick<R.SimulationSummary, 'locality' | 'stallSeconds' | 'vcpuMigrations' | 'chunkMigrations' | 'replications' | 'networkBytes' | 'wallMillis'>;
export type SimulationSummary = SummaryV1 & {
  readonly localityError?: number;
  readonly slowdown?: number;
  readonly slowdownError?: number;
};

export type EventResult = Pick<R.EventResult, 't' | 'kind' | 'target' | 'absorbed'> & {
  /** False for an event the run never got to (simulator v2). */
  readonly reached?: boolean;
};

export type SimulationResult = Pick<R.SimulationResult, 'edges' | 'nodes' | 'timeline' | 'diagnostics' | 'nodeTimeline' | 'containerTimeline'> & {
  readonly version: '1' | '2';
  readonly input: Pick<R.SimulationInput, 'file' | 'seed' | 'policy' | 'duration' | 'tick' | 'scenario'>;
  readonly summary: SimulationSummary;
  readonly containers: readonly ContainerResult[];
  readonly events: readonly EventResult[];
};

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
