// The extension's behaviour, shared by the Node entry (extension.ts) and the web entry
// (extension.web.ts): they differ only in how the language client reaches the server.
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
import { simulatedNothing, type PlacementResult, type SimulationResult } from '../../server/src/core/result';
import type { ProgramFacts } from '../../server/src/core/facts';
import { registerInteropCommands } from './interopCommands';
import { PreviewManager } from './previewPanel';
import { SimulationStore } from './simulations';
import { LocalityStatus } from './statusBar';
import { scenarioNames } from './topoText';
import { POLICIES, type Policy } from './webviewMessages';

export type ClientFactory = (options: LanguageClientOptions) => BaseLanguageClient;

/** What the extension exports (tests read it through `extension.exports`). */
export interface TopoApi {
  /** The text of the Topo status bar item, '' when it is hidden. */
  statusText(): string;
  /** The latest simulation of a file (uri string), if any. */
  lastSimulation(uri: string): SimulationResult | null | undefined;
  /** The per-policy results of the latest "Compare Policies" of a file. */
  lastComparison(uri: string): Partial<Record<Policy, SimulationResult>> | undefined;
  /** Open previews and how many updates each received. */
  previews(): { uri: string; updates: number; visible: boolean }[];
  /** Resolves once the language server is running. */
  serverReady(): Promise<void>;
  /** How many times the server died and was restarted. */
  serverRestarts(): number;
}

interface SimulationNotification {
  uri: string;
  result: SimulationResult | null;
  placement?: PlacementResult | null;
  /** Optional: why there is no result (e.g. errors). */
  reason?: string;
  facts?: ProgramFacts | null;
}

/** `topo/simulate` answers a SimulationResult; a server may also send the placement beside it. */
function unpackSimulation(r: unknown): { result: SimulationResult | null; placement?: PlacementResult; reason?: string; facts?: ProgramFacts } {
  if (r && typeof r === 'object' && 'result' in r) {
    const o = r as { result: SimulationResult | null; placement?: PlacementResult | null; reason?: unknown; facts?: ProgramFacts | null };
    return { result: o.result, placement: o.placement ?? undefined, reason: typeof o.reason === 'string' ? o.reason : undefined, facts: o.facts ?? undefined };
  }
  return { result: (r as SimulationResult | null) ?? null };
}

function isTopo(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && doc.languageId === 'topo';
}

function config() {
  const c = vscode.workspace.getConfiguration('topo');
  return {
    simulateOnSave: c.get<boolean>('simulateOnSave', true),
    defaultPolicy: c.get<Policy>('defaultPolicy', 'cost'),
    maxMillis: c.get<number>('simulation.maxMillis', 2000),
  };
}

/** The `topo.*` settings as plain JSON, for the server's initializationOptions. */
function settingsForServer() {
  const c = vscode.workspace.getConfiguration('topo');
  return {
    simulateOnSave: c.get<boolean>('simulateOnSave', true),
    defaultPolicy: c.get<Policy>('defaultPolicy', 'cost'),
    localityThreshold: c.get<number>('localityThreshold', 0.8),
    inlayHints: { enabled: c.get<boolean>('inlayHints.enabled', true) },
    simulation: { maxMillis: c.get<number>('simulation.maxMillis', 2000) },
  };
}

/** `serverModule`: the bundle the client starts; checked first so a missing one is named in the error. */
export function activateTopo(context: vscode.ExtensionContext, makeClient: ClientFactory, serverModule: vscode.Uri): TopoApi {
  const output = vscode.window.createOutputChannel('Topo', { log: true });
  const log = (line: string) => output.info(line);
  const store = new SimulationStore();
  const status = new LocalityStatus(store);
  context.subscriptions.push(output, store, status);
  void vscode.commands.executeCommand('setContext', 'topo.activated', true);

  // ------------------------------------------------------------------ language client
  let restarts = 0;
  let toldAboutRestart = false;
  const recent: number[] = [];
  const errorHandler = {
    error: (_e: Error, _m: unknown, count: number | undefined): ErrorHandlerResult => ({
      action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
      handled: false,
    }),
    closed: (): CloseHandlerResult => {
      const now = Date.now();
      recent.push(now);
      while (recent.length && recent[0] < now - 3 * 60_000) recent.shift();
      if (recent.length > 5) {
        log('the language server died 6 times in 3 minutes; not restarting it');
        void vscode.window.showErrorMessage('The Topo language server keeps stopping and was not restarted. See the "Topo" output.', 'Restart', 'Show Output').then((pick) => {
          if (pick === 'Restart') void vscode.commands.executeCommand('topo.restartServer');
          if (pick === 'Show Output') output.show();
        });
        return { action: CloseAction.DoNotRestart, handled: true };
      }
      restarts++;
      log('the language server stopped unexpectedly; restarting it');
      if (!toldAboutRestart) {
        toldAboutRestart = true;
        void vscode.window.showWarningMessage('The Topo language server stopped unexpectedly and was restarted.');
      }
      return { action: CloseAction.Restart, handled: true };
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'topo' }],
    outputChannel: output,
    synchronize: { configurationSection: 'topo' },
    initializationOptions: { settings: settingsForServer() },
    errorHandler,
  };
  const client = makeClient(clientOptions);
  let started: Promise<void> = Promise.resolve();
  const subscribeNotifications = () => {
    context.subscriptions.push(client.onNotification('topo/simulationResult', (n: SimulationNotification) => {
      if (!n || typeof n.uri !== 'string') return;
      store.setResult(n.uri, n.result ?? null, n.placement ?? null, n.reason, n.facts ?? null);
    }));
  };
  const start = async () => {
    try {
      try {
        await vscode.workspace.fs.stat(serverModule);
      } catch {
        throw new Error(`the server bundle ${vscode.workspace.asRelativePath(serverModule)} is missing from the extension (${serverModule.toString()})`);
      }
      await client.start();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      log(`the language server could not start: ${msg}`);
      void vscode.window.showErrorMessage(`Topo: the language server could not start (${msg}).`, 'Show Output').then((p) => { if (p) output.show(); });
      throw e;
    }
  };
  subscribeNotifications();
  started = start();
  started.catch(() => undefined);
  context.subscriptions.push({ dispose: () => { void client.stop(); } });

  // ------------------------------------------------------------------ simulations
  async function request(uri: vscode.Uri, params: { scenario?: string; policy?: Policy; seed?: number }): Promise<SimulationResult | null> {
    await started;
    const done = store.begin(uri.toString());
    try {
      const raw = await client.sendRequest('topo/simulate', { uri: uri.toString(), ...params });
      return unpackSimulation(raw).result;
    } finally {
      done();
    }
  }

  async function simulate(uri: vscode.Uri, scenario: string | null, policy: Policy | undefined): Promise<SimulationResult | null> {
    const done = store.begin(uri.toString());
    try {
      await started;
      const raw = await client.sendRequest('topo/simulate', { uri: uri.toString(), ...(scenario ? { scenario } : {}), ...(policy ? { policy } : {}) });
      const { result, placement, reason, facts } = unpackSimulation(raw);
      store.setResult(uri.toString(), result, placement, result ? undefined : reason ?? 'the file has errors', facts);
      return result;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      log(`simulation of ${uri.toString()} failed: ${msg}`);
      void vscode.window.showErrorMessage(`Topo: the simulation failed: ${msg}`);
      return null;
    } finally {
      done();
    }
  }

  const previews = new PreviewManager(context.extensionUri, store, {
    simulate: async (uri, scenario, policy) => { await simulate(uri, scenario, policy); },
    log,
  });
  context.subscriptions.push(previews);

  function activeTopoUri(arg?: unknown): vscode.Uri | undefined {
    if (arg instanceof vscode.Uri) return arg;
    const doc = vscode.window.activeTextEditor?.document;
    if (isTopo(doc)) return doc.uri;
    const visible = vscode.window.visibleTextEditors.find((e) => isTopo(e.document));
    if (visible) return visible.document.uri;
    void vscode.window.showInformationMessage('Topo: open a .topo file first.');
    return undefined;
  }

  async function openPreview(uri: vscode.Uri): Promise<void> {
    previews.show(uri);
    const s = store.peek(uri.toString());
    if (!s?.placement || s.simulation === undefined) await simulate(uri, null, undefined);
  }

  function announce(result: SimulationResult | null, uri: vscode.Uri): void {
    if (!result) {
      void vscode.window.showWarningMessage('Topo: the file was not simulated (fix its errors first).');
      return;
    }
    if (previews.get(uri)) return; // the open preview shows it
    if (simulatedNothing(result)) {
      void vscode.window.showInformationMessage('Topo: nothing to simulate: no container with replicas runs on an SDS, a rack or a node set.');
      return;
    }
    const pct = Math.round(result.summary.locality * 100);
    void vscode.window.showInformationMessage(
      `Topo: predicted locality ${pct}% (policy ${result.input.policy}${result.input.scenario ? `, scenario "${result.input.scenario}"` : ''}).`,
      'Open Preview',
    ).then((pick) => { if (pick) void openPreview(uri); });
  }

  // ------------------------------------------------------------------ commands
  const register = (id: string, fn: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  register('topo.openPreview', async (arg) => {
    const uri = activeTopoUri(arg);
    if (uri) await openPreview(uri);
  });
  register('topo.runSimulation', async (arg) => {
    const uri = activeTopoUri(arg);
    if (!uri) return;
    const r = await simulate(uri, null, undefined);
    announce(r, uri);
  });
  register('topo.runScenario', async (arg, picked) => {
    const uri = activeTopoUri(arg);
    if (!uri) return;
    const doc = await vscode.workspace.openTextDocument(uri);
    const names = scenarioNames(doc.getText());
    if (!names.length) {
      void vscode.window.showInformationMessage('Topo: this file declares no scenario. Add one with the "scenario" snippet.');
      return;
    }
    const name = typeof picked === 'string' && names.includes(picked)
      ? picked
      : await vscode.window.showQuickPick(names, { title: 'Topo: Run Scenario', placeHolder: 'Scenario to simulate' });
    if (!name) return;
    const r = await simulate(uri, name, undefined);
    announce(r, uri);
  });
  register('topo.comparePolicies', async (arg) => {
    const uri = activeTopoUri(arg);
    if (!uri) return;
    const results: Partial<Record<Policy, SimulationResult>> = {};
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Topo: comparing policies', cancellable: true }, async (progress, token) => {
      for (const policy of POLICIES) {
        if (token.isCancellationRequested) return;
        progress.report({ message: policy, increment: 100 / POLICIES.length });
        try {
          const r = await request(uri, { policy });
          if (r) results[policy] = r;
        } catch (e) {
          log(`policy ${policy} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    });
    if (!Object.keys(results).length) {
      void vscode.window.showWarningMessage('Topo: no policy could be simulated (fix the file\'s errors first).');
      return;
    }
    store.setComparison(uri.toString(), results);
    await openPreview(uri);
  });
  register('topo.exportSvg', async (arg) => {
    const uri = activeTopoUri(arg);
    if (!uri) return;
    await openPreview(uri);
    previews.get(uri)?.requestExport();
  });
  register('topo.restartServer', async () => {
    log('restarting the language server on request');
    recent.length = 0;
    try {
      if (client.state === State.Running) await client.stop();
      started = start();
      await started;
      void vscode.window.showInformationMessage('Topo: language server restarted.');
    } catch (e) {
      void vscode.window.showErrorMessage(`Topo: could not restart the language server: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  registerInteropCommands(context, output);

  // ------------------------------------------------------------------ save -> simulation
  context.subscriptions.push(vscode.workspace.onDidSaveTextDocument((doc) => {
    if (!isTopo(doc) || !config().simulateOnSave) return;
    // The server simulates on save and notifies; show the spinner meanwhile.
    store.expectOnSave(doc.uri.toString(), config().maxMillis + 5000);
  }));
  context.subscriptions.push(vscode.workspace.onDidCloseTextDocument((doc) => {
    if (isTopo(doc) && !previews.get(doc.uri)) store.forget(doc.uri.toString());
  }));

  return {
    statusText: () => status.text,
    lastSimulation: (uri) => store.peek(uri)?.simulation,
    lastComparison: (uri) => store.peek(uri)?.results,
    previews: () => previews.describe(),
    serverReady: () => started,
    serverRestarts: () => restarts,
  };
}
