// Hosts the placement preview: one webview panel per .topo file (reused when open), fed only
// the placement and simulation results; every message it posts back is validated first.
import * as vscode from 'vscode';
import type { DiffResult } from '../../server/src/core/diff';
import type { SimulationResult } from '../../server/src/core/result';
import type { SimulationStore } from './simulations';
import { containerAt, findDeclaration, scenarioNames } from './topoText';
import { missingBundleHtml, makeNonce, previewHtml } from './webviewHtml';
import { pngBytes, validateWebviewMessage, type ExportFormat, type Policy, type RevealKind, type WebviewMessage } from './webviewMessages';

export const PREVIEW_VIEW_TYPE = 'topo.preview';

export interface PreviewHost {
  /** Runs a simulation for the file (the preview's pickers); results land in the store. */
  simulate(uri: vscode.Uri, scenario: string | null, policy: Policy): Promise<void>;
  log(line: string): void;
}

function basename(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** Comparison results without the per-node and per-container series the comparison view does not read. */
function slim(r: SimulationResult): SimulationResult {
  const { nodeTimeline: _n, containerTimeline: _c, ...rest } = r;
  return rest;
}

class PreviewPanel implements vscode.Disposable {
  private ready = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  private lastHighlight = '';
  /** The document version the shown results are of is older: the preview was told (once per result). */
  private toldStale = false;
  private pendingExport: ReturnType<typeof setTimeout> | undefined;
  /** The number of update messages posted (tests read it through the API). */
  updates = 0;
  /** The last "Compare with HEAD" of this file, sent with every update (the changes view). */
  changes: DiffResult | undefined;

  constructor(
    readonly uri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly store: SimulationStore,
    private readonly host: PreviewHost,
    onDispose: () => void,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icons', 'topo-preview.svg');
    this.subscriptions.push(
      panel.onDidDispose(() => { onDispose(); this.dispose(); }),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      store.onDidChange((u) => { if (u === uri.toString()) void this.post(); }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.followCursorSoon(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => { if (e) this.followCursor(e); }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.document.uri.toString() === uri.toString() && e.contentChanges.length) this.edited(); }),
    );
    void this.load();
  }

  private async load(): Promise<void> {
    const media = vscode.Uri.joinPath(this.extensionUri, 'dist', 'media');
    const webview = this.panel.webview;
    for (const f of ['preview.js', 'preview.css']) {
      try {
        await vscode.workspace.fs.stat(vscode.Uri.joinPath(media, f));
      } catch {
        webview.html = missingBundleHtml(webview.cspSource, `dist/media/${f}`);
        return;
      }
    }
    webview.html = previewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.css')).toString(),
      nonce: makeNonce(),
      title: `Topo Placement: ${basename(this.uri)}`,
    });
  }

  private async receive(raw: unknown): Promise<void> {
    const v = validateWebviewMessage(raw);
    if (!v.ok) {
      this.host.log(`preview: ignored an invalid message (${v.reason})`);
      return;
    }
    try {
      await this.handle(v.message);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.host.log(`preview: ${v.message.type} failed: ${msg}`);
      void vscode.window.showErrorMessage(`Topo: ${msg}`);
    }
  }

  private async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        await this.post(true);
        this.lastHighlight = '';
        const active = vscode.window.activeTextEditor;
        if (active) this.followCursor(active);
        return;
      }
      case 'reveal':
        return revealDeclaration(this.uri, m.kind, m.name);
      case 'revealLine':
        return revealLine(this.uri, m.line, m.character);
      case 'simulate':
        return this.host.simulate(this.uri, m.scenario, m.policy);
      case 'export':
        if (this.pendingExport) clearTimeout(this.pendingExport);
        this.pendingExport = undefined;
        return this.saveExport(m.format, m.data);
    }
  }

  /** What the last update carried: the same objects are not sent again (a simulation starting changes the store too). */
  private lastPosted: readonly unknown[] = [];

  /** Sends the file's current data; nothing until the webview said it is ready and a placement exists. */
  async post(force = false): Promise<void> {
    if (!this.ready) return;
    const s = this.store.peek(this.uri.toString());
    if (!s?.placement) return;
    const posted = [s.placement, s.simulation, s.results, s.facts, s.reason];
    if (!force && posted.every((x, i) => x === this.lastPosted[i])) return;
    this.lastPosted = posted;
    let text = '';
    try {
      text = (await vscode.workspace.openTextDocument(this.uri)).getText();
    } catch { /* a deleted file still shows its last result */ }
    const results = s.results ? Object.fromEntries(Object.entries(s.results).map(([k, r]) => [k, slim(r)])) : undefined;
    const ok = await this.panel.webview.postMessage({
      type: 'update',
      placement: s.placement,
      simulation: s.simulation ?? null,
      ...(results ? { results } : {}),
      scenarios: scenarioNames(text),
      source: { file: this.uri.scheme === 'file' ? this.uri.fsPath : this.uri.toString() },
      ...(s.facts ? { facts: s.facts } : {}),
      ...(s.simulation ? {} : { reason: s.reason ?? 'not simulated yet' }),
      ...(this.changes ? { changes: this.changes } : {}),
    });
    if (ok) {
      this.updates++;
      this.toldStale = false;
    }
  }

  /** The file changed: what the preview shows is an earlier text's until the next result (it keeps it, marked stale). */
  private edited(): void {
    if (!this.ready || this.toldStale) return;
    this.toldStale = true;
    void this.panel.webview.postMessage({ type: 'stale', reason: 'the file was edited since; save to simulate it' });
  }

  private cursorTimer: ReturnType<typeof setTimeout> | undefined;

  /** Cursor moves come in bursts (typing, arrow keys): highlight after a short pause. */
  private followCursorSoon(editor: vscode.TextEditor): void {
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => { this.cursorTimer = undefined; this.followCursor(editor); }, 120);
  }

  private followCursor(editor: vscode.TextEditor): void {
    if (!this.ready || editor.document.uri.toString() !== this.uri.toString()) return;
    const container = containerAt(editor.document.getText(), editor.document.offsetAt(editor.selection.active));
    if (container === this.lastHighlight) return;
    this.lastHighlight = container;
    void this.panel.webview.postMessage({ type: 'highlight', container });
  }

  /** "Topo: Export Placement as SVG" from the palette: ask the webview for its current view. */
  requestExport(): void {
    void this.panel.webview.postMessage({ type: 'requestExport', format: 'svg' });
    if (this.pendingExport) clearTimeout(this.pendingExport);
    this.pendingExport = setTimeout(() => {
      this.pendingExport = undefined;
      void vscode.window.showInformationMessage('Topo: use the "Export SVG" button in the placement preview to save the current view.');
    }, 3000);
  }

  private async saveExport(format: ExportFormat, data: string): Promise<void> {
    const stem = basename(this.uri).replace(/\.topo$/, '');
    const dir = vscode.Uri.joinPath(this.uri, '..');
    const filters: Record<ExportFormat, Record<string, string[]>> = { svg: { 'SVG image': ['svg'] }, png: { 'PNG image': ['png'] }, csv: { 'CSV table': ['csv'] } };
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(dir, `${stem}-${format === 'csv' ? 'table' : 'placement'}.${format}`),
      filters: filters[format],
      saveLabel: `Export ${format.toUpperCase()}`,
      title: format === 'csv' ? 'Topo: Export Table' : 'Topo: Export Placement',
    });
    if (!target) return;
    const bytes = format === 'png' ? pngBytes(data) : new TextEncoder().encode(data);
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Topo: saved ${target.scheme === 'file' ? target.fsPath : target.toString()}`);
  }

  dispose(): void {
    if (this.pendingExport) clearTimeout(this.pendingExport);
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    for (const d of this.subscriptions) d.dispose();
    this.subscriptions.length = 0;
  }
}

export class PreviewManager implements vscode.Disposable {
  private readonly panels = new Map<string, PreviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: SimulationStore,
    private readonly host: PreviewHost,
  ) {}

  /** Opens (or reveals) the preview of `uri` beside the editor. */
  show(uri: vscode.Uri): PreviewPanel {
    const key = uri.toString();
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      `Placement: ${basename(uri)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        retainContextWhenHidden: true,
        enableFindWidget: false,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'media')],
      },
    );
    const p = new PreviewPanel(uri, panel, this.extensionUri, this.store, this.host, () => this.panels.delete(key));
    this.panels.set(key, p);
    return p;
  }

  /** Opens the preview of `uri` on its changes view with a comparison ("Compare with HEAD"). */
  showChanges(uri: vscode.Uri, diff: DiffResult): void {
    const p = this.show(uri);
    p.changes = diff;
    void p.post(true);
  }

  get(uri: vscode.Uri): PreviewPanel | undefined {
    return this.panels.get(uri.toString());
  }

  /** Uris (strings) with an open preview, and how many updates each received. */
  describe(): { uri: string; updates: number; visible: boolean }[] {
    return [...this.panels.values()].map((p) => ({ uri: p.uri.toString(), updates: p.updates, visible: p.panel.visible }));
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
  }
}

function symbolRange(symbols: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined, name: string): vscode.Range | undefined {
  for (const s of symbols ?? []) {
    if (s.name === name) return 'selectionRange' in s ? s.selectionRange : s.location.range;
    if ('children' in s) {
      const r = symbolRange(s.children, name);
      if (r) return r;
    }
  }
  return undefined;
}

/** Shows a place of the previewed file (a diagnostic's line; clamped to the file as it is now). */
export async function revealLine(uri: vscode.Uri, line: number, character: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const pos = doc.validatePosition(new vscode.Position(line, character));
  const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString())?.viewColumn ?? vscode.ViewColumn.One;
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, selection: new vscode.Range(pos, pos), preserveFocus: false });
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Finds a declaration (this file first, then the workspace) and shows it. */
export async function revealDeclaration(uri: vscode.Uri, kind: RevealKind, name: string): Promise<void> {
  let doc = await vscode.workspace.openTextDocument(uri);
  let range: vscode.Range | undefined;
  const span = findDeclaration(doc.getText(), kind, name);
  if (span) range = new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
  if (!range) {
    // Declared in an imported file: ask the language server's workspace symbols.
    const bare = kind === 'node' ? name.slice(name.lastIndexOf('.') + 1) : name;
    const found = await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', bare);
    const hit = found?.find((s) => s.name === bare || s.name === name);
    if (hit) {
      doc = await vscode.workspace.openTextDocument(hit.location.uri);
      range = hit.location.range;
    } else {
      const symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', uri);
      range = symbolRange(symbols, name);
    }
  }
  if (!range) {
    void vscode.window.showInformationMessage(`Topo: no declaration of ${kind} "${name}" found.`);
    return;
  }
  const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString())?.viewColumn ?? vscode.ViewColumn.One;
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, selection: range, preserveFocus: false });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
