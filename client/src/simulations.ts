// What the client knows about each .topo file's latest placement and simulation, and whether a
// simulation is running. The status bar and the preview panels listen to it.
import * as vscode from 'vscode';
import type { PlacementResult, SimulationResult } from '../../server/src/core/result';
import type { ProgramFacts } from '../../server/src/core/facts';
import type { Policy } from './webviewMessages';

export interface FileState {
  placement?: PlacementResult;
  /** The latest simulation (on save or on request); null when the file could not be simulated. */
  simulation?: SimulationResult | null;
  /** Per-policy results from "Compare Policies". */
  results?: Partial<Record<Policy, SimulationResult>>;
  /** Why the latest simulation is missing (e.g. the file has errors). */
  reason?: string;
  /** What the results do not carry (images, requests, talks, io, the check's diagnostics), of the same text as `placement`. */
  facts?: ProgramFacts;
  /** Number of simulations in flight. */
  running: number;
  /** When the save-triggered spinner must stop even if no result arrives. */
  spinnerDeadline?: number;
}

export class SimulationStore implements vscode.Disposable {
  private readonly files = new Map<string, FileState>();
  private readonly changed = new vscode.EventEmitter<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Fires with the uri (string) whose state changed. */
  readonly onDidChange = this.changed.event;

  get(uri: string): FileState {
    let s = this.files.get(uri);
    if (!s) {
      s = { running: 0 };
      this.files.set(uri, s);
    }
    return s;
  }

  peek(uri: string): FileState | undefined {
    return this.files.get(uri);
  }

  /** A simulation started for `uri`; returns the function that marks it finished. */
  begin(uri: string): () => void {
    this.get(uri).running++;
    this.changed.fire(uri);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const s = this.get(uri);
      s.running = Math.max(0, s.running - 1);
      this.changed.fire(uri);
    };
  }

  /**
   * A save started a server-side simulation we only hear about through its notification: show
   * the spinner until the result arrives or `timeoutMs` passes (the server may skip the run).
   */
  expectOnSave(uri: string, timeoutMs: number): void {
    const previous = this.timers.get(uri);
    if (previous) clearTimeout(previous);
    const s = this.get(uri);
    s.spinnerDeadline = Date.now() + timeoutMs;
    this.changed.fire(uri);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      const st = this.get(uri);
      if (st.spinnerDeadline !== undefined) {
        st.spinnerDeadline = undefined;
        this.changed.fire(uri);
      }
    }, timeoutMs));
  }

  isRunning(uri: string): boolean {
    const s = this.files.get(uri);
    return !!s && (s.running > 0 || (s.spinnerDeadline !== undefined && s.spinnerDeadline > Date.now()));
  }

  /** A result arrived (from the on-save notification or a request). */
  setResult(uri: string, simulation: SimulationResult | null, placement?: PlacementResult | null, reason?: string, facts?: ProgramFacts | null): void {
    const s = this.get(uri);
    s.simulation = simulation;
    if (placement) s.placement = placement;
    if (facts) s.facts = facts;
    s.reason = simulation ? undefined : reason ?? 'the file was not simulated';
    s.spinnerDeadline = undefined;
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.changed.fire(uri);
  }

  setComparison(uri: string, results: Partial<Record<Policy, SimulationResult>>): void {
    this.get(uri).results = results;
    this.changed.fire(uri);
  }

  forget(uri: string): void {
    this.files.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.changed.dispose();
  }
}
