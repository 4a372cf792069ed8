import type { PlacementResult, SimulationResult } from '../../server/src/core/result';
import type { Policy } from '../../server/src/core/model/types';

export type { PlacementResult, SimulationResult, Policy };
export { simulatedNothing } from '../../server/src/core/result';

export const POLICIES: readonly Policy[] = ['static', 'page', 'vcpu', 'cost'];

/** Host -> preview: new data. */
export interface UpdateMessage {
  readonly type: 'update';
  readonly placement: PlacementResult;
  readonly simulation: SimulationResult | null;
  /** Per policy, for the comparison view. */
  readonly results?: Readonly<Partial<Record<Policy, SimulationResult>>>;
  readonly scenarios: readonly string[];
  readonly source?: { readonly file: string };
}

/** Host -> preview: the container under the editor cursor (empty string clears). */
export interface HighlightMessage {
  readonly type: 'highlight';
  readonly container: string;
}

export type IncomingMessage = UpdateMessage | HighlightMessage;

/** Preview -> host. */
export type OutgoingMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal'; readonly kind: 'container' | 'node'; readonly name: string }
  | { readonly type: 'simulate'; readonly scenario: string | null; readonly policy: Policy }
  | { readonly type: 'export'; readonly format: 'svg' | 'png'; readonly data: string };

export type Post = (msg: OutgoingMessage) => void;
