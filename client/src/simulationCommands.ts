// The simulation commands: Open Preview, Run Simulation, Run Scenario, Compare Policies, Export SVG.
import * as vscode from 'vscode';
import { comparePolicies } from '../../server/src/core/compare';
import type { Policy } from '../../server/src/core/model/types';
import { simulatedNothing, type SimulationResult } from '../../server/src/core/result';
import type { PreviewManager } from './previewPanel';
import type { SimulationStore } from './simulations';
import { scenarioNames } from './topoText';

/** Simulations through the language server. */
export interface Simulator {
  /** One run, its result only (the store is not told). */
  request(uri: vscode.Uri, params: { scenario?: string; policy?: Policy; seed?: number }): Promise<SimulationResult | null>;
  /** One run whose result lands in the store; null (and a message) when it failed or the file has errors. */
  simulate(uri: vscode.Uri, scenario: string | null, policy: Policy | undefined): Promise<SimulationResult | null>;
}

interface Deps {
  readonly sim: Simulator;
  readonly store: SimulationStore;
  readonly previews: PreviewManager;
  readonly isTopo: (doc: vscode.TextDocument | undefined) => doc is vscode.TextDocument;
  readonly log: (line: string) => void;
}

export function registerSimulationCommands(context: vscode.ExtensionContext, { sim, store, previews, isTopo, log }: Deps): void {

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
    if (!s?.placement || s.simulation === undefined) await sim.simulate(uri, null, undefined);
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

  async function runScenario(uri: vscode.Uri, picked: unknown): Promise<void> {
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
    announce(await sim.simulate(uri, name, undefined), uri);
  }

  async function compare(uri: vscode.Uri): Promise<void> {
    const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Topo: comparing policies', cancellable: true }, (progress, token) =>
      comparePolicies((policy) => sim.request(uri, { policy }), {
        stop: () => token.isCancellationRequested,
        starting: (policy, _i, count) => progress.report({ message: policy, increment: 100 / count }),
        failed: (policy, e) => log(`policy ${policy} failed: ${e instanceof Error ? e.message : String(e)}`),
      }));
    if (!Object.keys(results).length) {
      void vscode.window.showWarningMessage('Topo: no policy could be simulated (fix the file\'s errors first).');
      return;
    }
    store.setComparison(uri.toString(), results);
    await openPreview(uri);
  }

  const register = (id: string, fn: (uri: vscode.Uri, ...rest: unknown[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, (arg: unknown, ...rest: unknown[]) => {
      const uri = activeTopoUri(arg);
      return uri ? fn(uri, ...rest) : undefined;
    }));
  register('topo.openPreview', (uri) => openPreview(uri));
  register('topo.runSimulation', async (uri) => announce(await sim.simulate(uri, null, undefined), uri));
  register('topo.runScenario', (uri, picked) => runScenario(uri, picked));
  register('topo.comparePolicies', (uri) => compare(uri));
  register('topo.exportSvg', async (uri) => {
    await openPreview(uri);
    previews.get(uri)?.requestExport();
  });
}
