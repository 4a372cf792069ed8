// The status bar item shown for .topo editors: the predicted locality of the file after its
// last simulation, a spinner while one runs; clicking it opens the placement preview.
import * as vscode from 'vscode';
import type { SimulationStore } from './simulations';
import { simulatedNothing } from '../../server/src/core/result';

export class LocalityStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private tick: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly store: SimulationStore) {
    this.item = vscode.window.createStatusBarItem('topo.locality', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Topo Locality';
    this.item.command = 'topo.openPreview';
    this.subscriptions.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      store.onDidChange(() => this.render()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('topo.localityThreshold')) this.render(); }),
    );
    this.render();
  }

  /** The text currently shown ('' when hidden): exported to tests through the extension's API. */
  get text(): string {
    return this.visible ? this.item.text : '';
  }

  private visible = false;

  render(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'topo') {
      this.visible = false;
      this.item.hide();
      return;
    }
    const uri = doc.uri.toString();
    const s = this.store.peek(uri);
    const running = this.store.isRunning(uri);
    this.item.backgroundColor = undefined;
    if (running) {
      this.item.text = '$(sync~spin) Simulating…';
      this.item.tooltip = 'Topo: the mobility simulator is running for this file';
      this.ensureTick();
    } else if (s?.simulation && simulatedNothing(s.simulation)) {
      this.item.text = '$(pulse) Topo: nothing to simulate';
      this.item.tooltip = 'Topo: no container with replicas runs on an SDS, a rack or a node set in this file. Click to open the preview.';
    } else if (s?.simulation) {
      const sim = s.simulation;
      const pct = Math.round(sim.summary.locality * 100);
      this.item.text = `$(pulse) ${pct}% local`;
      const threshold = vscode.workspace.getConfiguration('topo').get<number>('localityThreshold', 0.8);
      if (sim.summary.locality < threshold) this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      const md = new vscode.MarkdownString(undefined, true);
      md.appendMarkdown(`**Topo** — predicted locality **${pct}%** (policy \`${sim.input.policy}\`${sim.input.scenario ? `, scenario "${sim.input.scenario}"` : ''})\n\n`);
      md.appendMarkdown(`stall ${sim.summary.stallSeconds.toFixed(2)} s · ${sim.summary.vcpuMigrations} vCPU migrations · ${sim.summary.chunkMigrations} chunk migrations\n\n`);
      md.appendMarkdown('Click to open the placement preview.');
      this.item.tooltip = md;
    } else {
      this.item.text = '$(pulse) Topo';
      this.item.tooltip = s?.reason ? `Topo: not simulated — ${s.reason}` : 'Topo: save the file (or run "Topo: Run Simulation") to predict locality. Click to open the preview.';
    }
    if (!running) this.stopTick();
    this.visible = true;
    this.item.show();
  }

  /** While a spinner shows, re-render every second so a save-spinner that times out goes away. */
  private ensureTick(): void {
    if (!this.tick) this.tick = setInterval(() => this.render(), 1000);
  }

  private stopTick(): void {
    if (this.tick) clearInterval(this.tick);
    this.tick = undefined;
  }

  dispose(): void {
    this.stopTick();
    for (const d of this.subscriptions) d.dispose();
  }
}
