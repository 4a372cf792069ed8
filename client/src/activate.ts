// The extension's behaviour, shared by the Node entry (extension.ts) and the web entry
// (extension.web.ts): they differ only in how the language client reaches the server.
import * as vscode from 'vscode';
import type { SimulationResult } from '../../server/src/core/result';
import type { Policy } from '../../server/src/core/model/types';
import { compareWithHead, type GitShowFallback } from './compareWithHead';
import type { DiffResult } from '../../server/src/core/diff';
import { registerInteropCommands } from './interopCommands';
import { TopoClient, type ClientFactory } from './languageClient';
import { PreviewManager } from './previewPanel';
import { SimulationStore } from './simulations';
import { LocalityStatus } from './statusBar';
import { registerSimulationCommands, type Simulator } from './simulationCommands';

export type { ClientFactory };

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
  /** The last "Compare with HEAD" of a file (uri string), if any. */
  lastChanges(uri: string): DiffResult | undefined;
}

/** What differs between the Node and web hosts beyond the language client. */
export interface HostFeatures {
  /** Reads a file at HEAD with `git` when the git extension is not available (Node only). */
  readonly gitShow?: GitShowFallback;
}

function isTopo(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && doc.languageId === 'topo';
}

/** Simulations through the server: results land in the store (and its spinner turns meanwhile). */
function simulator(client: TopoClient, store: SimulationStore, log: (line: string) => void): Simulator {
  return {
    async request(uri, params) {
      await client.started;
      const done = store.begin(uri.toString());
      try {
        return (await client.simulate({ uri: uri.toString(), ...params })).result;
      } finally {
        done();
      }
    },
    async simulate(uri, scenario, policy) {
      const done = store.begin(uri.toString());
      try {
        const p = await client.simulate({ uri: uri.toString(), ...(scenario ? { scenario } : {}), ...(policy ? { policy } : {}) });
        store.setResult(uri.toString(), p.result, p.placement, p.result ? undefined : p.reason, p.facts);
        return p.result;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        log(`simulation of ${uri.toString()} failed: ${msg}`);
        void vscode.window.showErrorMessage(`Topo: the simulation failed: ${msg}`);
        return null;
      } finally {
        done();
      }
    },
  };
}

/** The save-triggered run is the server's: show the spinner until its notification; forget closed files. */
function followDocuments(context: vscode.ExtensionContext, store: SimulationStore, previews: PreviewManager): void {
  context.subscriptions.push(vscode.workspace.onDidSaveTextDocument((doc) => {
    const c = vscode.workspace.getConfiguration('topo');
    if (!isTopo(doc) || !c.get<boolean>('simulateOnSave', true)) return;
    // The server simulates on save and notifies; show the spinner meanwhile.
    store.expectOnSave(doc.uri.toString(), c.get<number>('simulation.maxMillis', 2000) + 5000);
  }));
  context.subscriptions.push(vscode.workspace.onDidCloseTextDocument((doc) => {
    if (isTopo(doc) && !previews.get(doc.uri)) store.forget(doc.uri.toString());
  }));
}

/** `serverModule`: the bundle the client starts; checked first so a missing one is named in the error. */
export function activateTopo(context: vscode.ExtensionContext, makeClient: ClientFactory, serverModule: vscode.Uri, host: HostFeatures = {}): TopoApi {
  const output = vscode.window.createOutputChannel('Topo', { log: true });
  const log = (line: string) => output.info(line);
  const store = new SimulationStore();
  const status = new LocalityStatus(store);
  context.subscriptions.push(output, store, status);
  void vscode.commands.executeCommand('setContext', 'topo.activated', true);

  const client = new TopoClient(makeClient, serverModule, output, store, context.subscriptions);
  context.subscriptions.push(client);
  const sim = simulator(client, store, log);
  const previews = new PreviewManager(context.extensionUri, store, {
    simulate: async (uri, scenario, policy) => { await sim.simulate(uri, scenario, policy); },
    log,
  });
  context.subscriptions.push(previews);

  registerSimulationCommands(context, { sim, store, previews, isTopo, log });
  context.subscriptions.push(vscode.commands.registerCommand('topo.restartServer', async () => {
    log('restarting the language server on request');
    try {
      await client.restart();
      void vscode.window.showInformationMessage('Topo: language server restarted.');
    } catch (e) {
      void vscode.window.showErrorMessage(`Topo: could not restart the language server: ${e instanceof Error ? e.message : String(e)}`);
    }
  }));
  const changes = new Map<string, DiffResult>();
  context.subscriptions.push(vscode.commands.registerCommand('topo.compareWithHead', async (arg: unknown) => {
    const doc = arg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(arg) : vscode.window.activeTextEditor?.document;
    if (!isTopo(doc)) { void vscode.window.showInformationMessage('Topo: open a .topo file first.'); return; }
    const diff = await compareWithHead(doc.uri, {
      fallback: host.gitShow,
      compare: (uri, oldText, oldLabel) => client.compareVersions({ uri: uri.toString(), oldText, oldLabel }),
      show: async (uri, d) => {
        previews.showChanges(uri, d);
        const s = store.peek(uri.toString());
        if (!s?.placement) await sim.simulate(uri, null, undefined);
      },
      log,
    });
    if (diff) changes.set(doc.uri.toString(), diff);
  }));
  registerInteropCommands(context, output);
  followDocuments(context, store, previews);

  return {
    statusText: () => status.text,
    lastSimulation: (uri) => store.peek(uri)?.simulation,
    lastComparison: (uri) => store.peek(uri)?.results,
    previews: () => previews.describe(),
    serverReady: () => client.started,
    serverRestarts: () => client.restarts,
    lastChanges: (uri) => changes.get(uri),
  };
}
