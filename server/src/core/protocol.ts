// Topo's own messages, declared once (in the spirit of rust-analyzer's lsp_ext.rs): the LSP
// extensions between the language server and the extension, and the messages between the preview
// and its host (the extension's webview panel, or the playground page). Plain data and method
// names only, so the server, the client, the playground and the preview all import it; each side
// hands the method to its own LSP library.
import type { DiffResult } from './diff';
import type { ProgramFacts } from './facts';
import type { Policy } from './model/types';
import type { PlacementResult, SimulationResult } from './result';

/** A request of Topo's own: its method, with its params and result as (phantom) types. */
export interface RequestType<P, R> {
  readonly method: string;
  /** Never set: carries the types. */
  readonly _types?: readonly [P, R];
}

/** A notification of Topo's own: its method, with its params as a (phantom) type. */
export interface NotificationType<P> {
  readonly method: string;
  /** Never set: carries the type. */
  readonly _types?: readonly [P];
}

// ---------------------------------------------------------------- server <-> extension

/** What a simulation of a file gives: its result, or why there is none; with the placement and facts of the same text. */
export type SimulationPayload =
  | { readonly result: SimulationResult; readonly placement: PlacementResult; readonly facts: ProgramFacts }
  | { readonly result: null; readonly placement: PlacementResult; readonly facts: ProgramFacts; readonly reason: string };

export interface SimulateParams {
  /** An open document. */
  readonly uri: string;
  /** A scenario of the file (absent: the base deployment). */
  readonly scenario?: string;
  /** Overrides the file's policies. */
  readonly policy?: Policy;
  readonly seed?: number;
}

/** Client -> server: simulate an open file now (the preview's pickers, the commands). */
export const SimulateRequest: RequestType<SimulateParams, SimulationPayload> = { method: 'topo/simulate' };

export type SimulationResultParams = SimulationPayload & { readonly uri: string };

/** Server -> client: the simulation a save started (or why there is none). */
export const SimulationResultNotification: NotificationType<SimulationResultParams> = { method: 'topo/simulationResult' };

export interface CompareVersionsParams {
  /** An open document: the version after (its current text). */
  readonly uri: string;
  /** The version before: the same file's older text (its imports are read as they are now). */
  readonly oldText: string;
  /** How to name the version before (`HEAD:deploy.topo`). */
  readonly oldLabel: string;
}

/** Client -> server: what the current text changes against an older one ("Topo: Compare with HEAD"); run off the typing path. */
export const CompareVersionsRequest: RequestType<CompareVersionsParams, DiffResult> = { method: 'topo/compareVersions' };

/**
 * The sizing lens's command (workspace/executeCommand; the server answers with workspace/applyEdit):
 * rewrite a target's node range to its sized count. Arguments: the document's uri, its version
 * and the target's key (`rack:r1`, `sds:big`).
 */
export const APPLY_SIZING_COMMAND = 'topo.applySizing';
export type ApplySizingArguments = [uri: string, version: number, key: string];

// ---------------------------------------------------------------- host <-> preview

/** What a preview's `reveal` can name. */
export const REVEAL_KINDS = ['container', 'node', 'sds', 'rack'] as const;
export type RevealKind = (typeof REVEAL_KINDS)[number];
export const EXPORT_FORMATS = ['svg', 'png', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Host -> preview: new data. */
export interface UpdateMessage {
  readonly type: 'update';
  readonly placement: PlacementResult;
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
  /** "Compare with HEAD": what the current text changes (the preview opens its changes view). */
  readonly changes?: DiffResult;
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

/** Host -> preview: what the preview accepts (media/preview/validate.ts checks each). */
export type PreviewIncoming = UpdateMessage | HighlightMessage | StaleMessage;

/**
 * Extension -> preview: "Export Placement as SVG" from the palette. The preview does not take it
 * (not a PreviewIncoming: its validator rejects it), so the extension shows a hint after a while.
 */
export interface ExportRequestMessage {
  readonly type: 'requestExport';
  readonly format: 'svg';
}

/** Preview -> host (the extension validates each: client/src/webviewMessages.ts). */
export type PreviewOutgoing =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal'; readonly kind: RevealKind; readonly name: string }
  /** A place in the previewed file itself (a diagnostic): zero-based line and character. */
  | { readonly type: 'revealLine'; readonly line: number; readonly character: number }
  | { readonly type: 'simulate'; readonly scenario: string | null; readonly policy: Policy }
  | { readonly type: 'export'; readonly format: ExportFormat; readonly data: string };
