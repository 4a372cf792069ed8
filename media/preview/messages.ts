// The messages between the preview and its host, with the documents they carry: declared once in
// server/src/core/protocol.ts (with the core's result.ts and facts.ts), re-exported here for the preview.
import type * as P from '../../server/src/core/protocol';

export type { PlacementResult, SimulationDiagnostic, NodeResult, EdgeResult, CpuMemory, ContainerResult, SimulationSummary, EventResult, SimulationResult } from '../../server/src/core/result';
export type { ProgramFacts, ContainerFacts, FactDiagnostic } from '../../server/src/core/facts';
export type { Policy } from '../../server/src/core/model/types';
export type { DiffResult, DiffPrediction, DiffTargetState } from '../../server/src/core/diff';
export type { UpdateMessage, HighlightMessage, StaleMessage, RevealKind } from '../../server/src/core/protocol';
export { simulatedNothing } from '../../server/src/core/result';
export { POLICIES } from '../../server/src/core/syntax/words';

/** Host -> preview. */
export type IncomingMessage = P.PreviewIncoming;
/** Preview -> host. */
export type OutgoingMessage = P.PreviewOutgoing;

export type Post = (msg: OutgoingMessage) => void;
