// The language client's life: its options (the `topo` settings for the server), the restart
// policy when the server dies, the server's notifications into the store, and start/restart.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  State,
  type BaseLanguageClient,
  type CloseHandlerResult,
  type ErrorHandlerResult,
  type LanguageClientOptions,
} from 'vscode-languageclient';
import { CompareVersionsRequest, SimulateRequest, SimulationResultNotification, type CompareVersionsParams, type SimulateParams, type SimulationPayload, type SimulationResultParams } from '../../server/src/core/protocol';
import type { DiffResult } from '../../server/src/core/diff';
import type { Policy } from '../../server/src/core/model/types';
import type { SimulationStore } from './simulations';

export type ClientFactory = (options: LanguageClientOptions) => BaseLanguageClient;

/** The `topo.*` settings as plain JSON, for the server's initializationOptions. */
function settingsForServer() {
  const c = vscode.workspace.getConfiguration('topo');
  return {
    simulateOnSave: c.get<boolean>('simulateOnSave', true),
    defaultPolicy: c.get<Policy>('defaultPolicy', 'cost'),
    localityThreshold: c.get<number>('localityThreshold', 0.8),
    inlayHints: { enabled: c.get<boolean>('inlayHints.enabled', true) },
    codeLens: { sizing: c.get<boolean>('codeLens.sizing', true) },
    simulation: { maxMillis: c.get<number>('simulation.maxMillis', 2000) },
  };
}

/** Restarts a server that died, unless it died 6 times in 3 minutes (then asks). */
class RestartPolicy {
  restarts = 0;
  private told = false;
  private readonly recent: number[] = [];

  constructor(private readonly output: vscode.LogOutputChannel) {}

  /** A restart on request starts the count again. */
  reset(): void {
    this.recent.length = 0;
  }

  readonly handler = {
    error: (_e: Error, _m: unknown, count: number | undefined): ErrorHandlerResult => ({
      action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
      handled: false,
    }),
    closed: (): CloseHandlerResult => this.closed(),
  };

  private closed(): CloseHandlerResult {
    const now = Date.now();
    this.recent.push(now);
    while (this.recent.length && this.recent[0] < now - 3 * 60_000) this.recent.shift();
    if (this.recent.length > 5) {
      this.output.info('the language server died 6 times in 3 minutes; not restarting it');
      void vscode.window.showErrorMessage('The Topo language server keeps stopping and was not restarted. See the "Topo" output.', 'Restart', 'Show Output').then((pick) => {
        if (pick === 'Restart') void vscode.commands.executeCommand('topo.restartServer');
        if (pick === 'Show Output') this.output.show();
      });
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.restarts++;
    this.output.info('the language server stopped unexpectedly; restarting it');
    if (!this.told) {
      this.told = true;
      void vscode.window.showWarningMessage('The Topo language server stopped unexpectedly and was restarted.');
    }
    return { action: CloseAction.Restart, handled: true };
  }
}

/** The running language client, as the rest of the extension uses it. */
export class TopoClient implements vscode.Disposable {
  private readonly client: BaseLanguageClient;
  private readonly policy: RestartPolicy;
  /** Settles when the server is running (or could not start). */
  started: Promise<void> = Promise.resolve();

  constructor(
    makeClient: ClientFactory,
    private readonly serverModule: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
    store: SimulationStore,
    subscriptions: vscode.Disposable[],
  ) {
    this.policy = new RestartPolicy(output);
    this.client = makeClient({
      documentSelector: [{ language: 'topo' }],
      outputChannel: output,
      synchronize: { configurationSection: 'topo' },
      initializationOptions: { settings: settingsForServer() },
      errorHandler: this.policy.handler,
    });
    subscriptions.push(this.client.onNotification(SimulationResultNotification.method, (n: SimulationResultParams) => {
      if (typeof n?.uri !== 'string') return;
      store.setResult(n.uri, n.result, n.placement, n.result ? undefined : n.reason, n.facts);
    }));
    this.started = this.start();
    this.started.catch(() => undefined);
  }

  get restarts(): number {
    return this.policy.restarts;
  }

  /** topo/simulate. */
  async simulate(params: SimulateParams): Promise<SimulationPayload> {
    await this.started;
    return this.client.sendRequest<SimulationPayload>(SimulateRequest.method, params);
  }

  /** topo/compareVersions. */
  async compareVersions(params: CompareVersionsParams): Promise<DiffResult> {
    await this.started;
    return this.client.sendRequest<DiffResult>(CompareVersionsRequest.method, params);
  }

  private async start(): Promise<void> {
    try {
      try {
        await vscode.workspace.fs.stat(this.serverModule);
      } catch {
        throw new Error(`the server bundle ${vscode.workspace.asRelativePath(this.serverModule)} is missing from the extension (${this.serverModule.toString()})`);
      }
      await this.client.start();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.output.info(`the language server could not start: ${msg}`);
      void vscode.window.showErrorMessage(`Topo: the language server could not start (${msg}).`, 'Show Output').then((p) => { if (p) this.output.show(); });
      throw e;
    }
  }

  /** "Topo: Restart Language Server". */
  async restart(): Promise<void> {
    this.policy.reset();
    if (this.client.state === State.Running) await this.client.stop();
    this.started = this.start();
    await this.started;
  }

  dispose(): void {
    void this.client.stop();
  }
}
