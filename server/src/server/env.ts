import type { FileHost } from '../core/host';
import type { Policy } from '../core/model/types';
import type { PlacementResult, SimulationResult } from '../core/result';

/** What the host of the server (Node or a web worker) provides. */
export interface ServerEnv {
  /** A FileHost that reads open documents from `overlay` and everything else from where the host keeps files. */
  /** `virtualRoots`: path prefixes of documents that are not local files (never read from disk). */
  makeHost(overlay: ReadonlyMap<string, string>, workspaceRoot: string | undefined, virtualRoots: readonly string[]): FileHost;
  /** Runs simulations of a file off the typing path. Rejects with an Error whose name is 'Cancelled' when cancelled. */
  simulate(request: SimulationJob, signal: { cancelled: boolean }, progress: (fraction: number, message: string) => void): Promise<SimulationOutcome>;
  /** Called after each check is published: a host may return memory once the edits pause (the Node server does). */
  checked?(): void;
}

export interface SimulationJob {
  readonly root: string;
  readonly overlay: [string, string][];
  readonly workspaceRoot: string | undefined;
  /** Path prefixes of documents that are not local files (see ServerEnv.makeHost). */
  readonly virtualRoots: readonly string[];
  /** Null: the base deployment and every scenario. A name: that scenario only. */
  readonly scenario: string | null;
  readonly all: boolean;
  /** Overrides the file's policies (a requested run). */
  readonly policy?: Policy;
  /** The `topo.defaultPolicy` setting: for files that set no policy. */
  readonly defaultPolicy?: Policy;
  readonly seed?: number;
  readonly budgetMs: number;
}

export interface SimulationOutcome {
  /** The base deployment's result (or the requested scenario's). */
  readonly result: SimulationResult;
  /** Every run (base first, then scenarios) when `all` was asked. */
  readonly runs: readonly SimulationResult[];
  readonly placement: PlacementResult;
}
