// The extension-host suite: runs inside a real VS Code (test-electron) or code-server, against
// the `vscode` API, on the files of test/vscode/workspace (copied to a scratch folder first).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TopoApi } from '../../../client/src/activate';
import { codeReference } from '../../../server/src/core/reference';

export const EXTENSION_ID = 'topo-dev.topo';
const COMMANDS = ['topo.openPreview', 'topo.runSimulation', 'topo.comparePolicies', 'topo.runScenario', 'topo.exportSvg', 'topo.restartServer', 'topo.compareWithHead'];

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the suite needs the test workspace open as a folder');
  return f.uri;
}

function fileUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(), name);
}

async function open(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(name));
  return vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
}

/** Polls `probe` until it returns a value that is not undefined/false, or fails with `what`. */
async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

function diagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === undefined || /topo/i.test(d.source));
}

function rangeText(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

async function api(): Promise<TopoApi> {
  const ext = vscode.extensions.getExtension<TopoApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  const a = ext.isActive ? ext.exports : await ext.activate();
  try {
    await a.serverReady();
  } catch (e) {
    throw new Error(`the Topo language server did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  return a;
}

function position(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `"${needle}" not in ${doc.uri.path}`);
  return doc.positionAt(i + delta);
}

/** Pids of the language servers this extension host started (Linux /proc). */
function serverPids(): number[] {
  const mine = `--clientProcessId=${process.pid}`;
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      if (argv.includes(mine) && argv.some((a) => a.endsWith('dist/server/node.js'))) out.push(Number(d));
    } catch { /* exited */ }
  }
  return out;
}

async function revertDirty(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty || doc.isUntitled) continue;
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
}

export function defineSuite(): void {
  describe('Topo extension', function () {
    this.timeout(90_000);

    // A test that fails half-way may leave a document dirty; closing it would then wait on a
    // save dialog. Revert each dirty document before closing everything.
    afterEach(revertDirty);
    after(async () => {
      await revertDirty();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('activates when a .topo file is opened', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
      const editor = await open('simple.topo');
      assert.equal(editor.document.languageId, 'topo');
      await waitFor('the extension to activate', () => ext.isActive);
      await api();
    });

    it('registers every command', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
      await ext.activate();
      const all = new Set(await vscode.commands.getCommands(true));
      for (const c of COMMANDS) assert.ok(all.has(c), `command ${c} is not registered`);
    });

    it('reports diagnostics with codes and ranges for a broken file, and clears them when fixed', async () => {
      await api();
      const editor = await open('broken.topo');
      const uri = editor.document.uri;
      const diags = await waitFor('T200 on broken.topo', () => {
        const d = diagnostics(uri);
        return d.length ? d : undefined;
      });
      assert.deepEqual(diags.map((d) => `${codeOf(d)} ${rangeText(d.range)}`), ['T200 11:11-11:15']);
      assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Error);
      assert.match(diags[0].message, /pod2/);
      // the code is a link to its entry in the language reference (LSP codeDescription)
      const code = diags[0].code;
      assert.equal(typeof code === 'object' && code !== null ? code.target.toString(true) : undefined, codeReference('T200'));
      const ok = await editor.edit((b) => b.replace(diags[0].range, 'pod1'));
      assert.ok(ok);
      await waitFor('the diagnostics of broken.topo to clear', () => diagnostics(uri).length === 0);
    });

    it('completes the properties of the block at the cursor', async () => {
      await api();
      const editor = await open('completion.topo');
      const doc = editor.document;
      const labels = async (pos: vscode.Position) => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
        return new Set(list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)));
      };
      // The empty line inside `node n1..n2 { ... }`.
      const inNode = await labels(new vscode.Position(3, 4));
      for (const p of ['memory', 'nic', 'role']) assert.ok(inNode.has(p), `node completion lacks ${p}: ${[...inNode].join(', ')}`);
      assert.ok(!inNode.has('replicas'), 'node completion offers the container property replicas');
      // The empty line inside `container web { ... }`.
      const inContainer = await labels(new vscode.Position(9, 2));
      for (const p of ['memory', 'replicas', 'talks']) assert.ok(inContainer.has(p), `container completion lacks ${p}: ${[...inContainer].join(', ')}`);
      assert.ok(!inContainer.has('cores'), 'container completion offers the node property cores');
    });

    it('shows capacity on hover', async () => {
      await api();
      const editor = await open('simple.topo');
      const doc = editor.document;
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position(doc, 'place on pod1', 'place on '.length + 1));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /pod1/);
      assert.match(text, /\b\d+(\.\d+)?\s*cores\b|\bcores\W+\d+/i, `hover does not show the SDS's cores: ${text}`);
      assert.match(text, /\d+(\.\d+)?\s*(GiB|TiB)/, `hover does not show memory capacity: ${text}`);
    });

    it('renames a container and every reference to it', async () => {
      await api();
      const editor = await open('simple.topo');
      const doc = editor.document;
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, position(doc, 'container analytics', 'container '.length + 2), 'warehouse-db');
      assert.ok(edit, 'no rename edit');
      const edits = edit.get(doc.uri);
      assert.equal(edits.length, 2, `expected the declaration and the talks reference, got ${edits.map((e) => rangeText(e.range)).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(edit));
      const text = doc.getText();
      assert.doesNotMatch(text, /\banalytics\b/);
      assert.match(text, /container warehouse-db \{/);
      assert.match(text, /talks warehouse-db weight 30%/);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });

    it('formats a document', async () => {
      await api();
      const editor = await open('format.topo');
      const doc = editor.document;
      const words = (s: string) => s.split(/\s+/).filter(Boolean).join(' ');
      const before = words(doc.getText());
      const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
      assert.ok(edits && edits.length > 0, 'the formatter changed nothing on a badly formatted file');
      const we = new vscode.WorkspaceEdit();
      we.set(doc.uri, edits);
      assert.ok(await vscode.workspace.applyEdit(we));
      const after = doc.getText();
      assert.equal(words(after).replace(/\s*([{}])\s*/g, '$1'), before.replace(/\s*([{}])\s*/g, '$1'), 'formatting changed more than whitespace');
      let depth = 0;
      for (const line of after.split('\n')) {
        if (!line.trim()) continue;
        const closes = line.trim().startsWith('}') ? 1 : 0;
        const indent = line.length - line.trimStart().length;
        assert.equal(indent, 2 * (depth - closes), `wrong indentation: ${JSON.stringify(line)}\n${after}`);
        assert.doesNotMatch(line.trim(), / {2,}/, `runs of spaces left: ${JSON.stringify(line)}`);
        depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
      }
      const again = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
      assert.equal((again ?? []).filter((e) => doc.getText(e.range) !== e.newText).length, 0, 'formatting is not idempotent');
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });

    it('applies a quick fix for an overcommitted target and the diagnostic goes away', async () => {
      await api();
      const editor = await open('overcommitted.topo');
      const uri = editor.document.uri;
      const t400 = await waitFor('T400 on overcommitted.topo', () => diagnostics(uri).find((d) => codeOf(d) === 'T400'));
      assert.equal(rangeText(t400.range), '11:11-11:13');
      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, t400.range, vscode.CodeActionKind.QuickFix.value);
      const isAction = (a: vscode.CodeAction | vscode.Command): a is vscode.CodeAction => !('arguments' in a && typeof (a as vscode.Command).command === 'string');
      const fixes = actions.filter(isAction).filter((a) => (a.edit || a.command) && (!a.diagnostics?.length || a.diagnostics.some((d) => codeOf(d) === 'T400')));
      assert.ok(fixes.length > 0, `no quick fix for T400; actions: ${JSON.stringify(actions.map((a) => ({ title: a.title, keys: Object.keys(a) })))}`);
      const fix = fixes.find((f) => f.isPreferred) ?? fixes[0];
      if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit), `could not apply "${fix.title}"`);
      if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      await waitFor(`T400 to go after "${fix.title}"`, () => !diagnostics(uri).some((d) => codeOf(d) === 'T400'));
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });

    it('simulates on save and shows the locality in the status bar', async () => {
      const a = await api();
      const editor = await open('simple.topo');
      const uri = editor.document.uri.toString();
      await editor.edit((b) => b.insert(new vscode.Position(editor.document.lineCount, 0), '# saved by the end-to-end suite\n'));
      assert.ok(await editor.document.save(), 'save failed');
      const text = await waitFor('a locality in the status bar', () => (/^\$\(pulse\) \d{1,3}% local$/.test(a.statusText()) ? a.statusText() : undefined));
      const sim = a.lastSimulation(uri);
      assert.ok(sim, 'no simulation stored for simple.topo');
      assert.equal(text, `$(pulse) ${Math.round(sim.summary.locality * 100)}% local`);
      assert.ok(sim.containers.some((c) => c.name === 'analytics'));
    });

    it('opens the placement preview in a webview panel that receives the result', async () => {
      const a = await api();
      await open('simple.topo');
      await vscode.commands.executeCommand('topo.openPreview');
      await waitFor('a Topo preview tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('topo.preview')));
      const p = await waitFor('the preview to receive an update', () => a.previews().find((x) => x.uri.endsWith('/simple.topo') && x.updates > 0));
      assert.ok(p.updates >= 1);
      // Opening it again reuses the panel.
      await vscode.commands.executeCommand('topo.openPreview');
      assert.equal(a.previews().filter((x) => x.uri.endsWith('/simple.topo')).length, 1);
      // Editing and saving the file updates the open preview.
      const editor = await open('simple.topo');
      const before = a.previews().find((x) => x.uri.endsWith('/simple.topo'))!.updates;
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# edited by the test\n'));
      assert.ok(await editor.document.save(), 'the file saves');
      await waitFor('the preview to update after the save', () => (a.previews().find((x) => x.uri.endsWith('/simple.topo'))?.updates ?? 0) > before);
    });

    it('puts the T5xx of a simulation nobody saved for in Problems, like those of a save', async () => {
      const a = await api();
      const editor = await open('preview.topo');
      const uri = editor.document.uri;
      assert.ok(!diagnostics(uri).some((d) => codeOf(d).startsWith('T5')), 'no T5xx before any simulation');
      // A requested run (the command; the preview's Simulate sends the same request).
      await vscode.commands.executeCommand('topo.runSimulation', uri);
      const sim = a.lastSimulation(uri.toString());
      assert.ok(sim, 'the run has a result');
      const expected = sim.diagnostics.filter((d) => d.file === uri.fsPath).map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character} ${d.message}`).sort();
      assert.ok(expected.some((d) => d.startsWith('T500')), `the example's columnstore is under its threshold: ${expected.join('; ')}`);
      const got = await waitFor('the T5xx in Problems', () => {
        const t5 = diagnostics(uri).filter((d) => codeOf(d).startsWith('T5'));
        return t5.length === expected.length ? t5 : undefined;
      });
      assert.deepEqual(got.map((d) => `${codeOf(d)} ${d.range.start.line}:${d.range.start.character} ${d.message}`).sort(), expected);
      assert.equal(editor.document.isDirty, false, 'nothing was saved');
    });

    it('runs a scenario picked by name and compares the four policies', async () => {
      const a = await api();
      const editor = await open('simple.topo');
      const uri = editor.document.uri;
      await vscode.commands.executeCommand('topo.runScenario', uri, 'lose a node');
      const sim = a.lastSimulation(uri.toString());
      assert.ok(sim, 'no result for the scenario');
      assert.equal(sim.input.scenario, 'lose a node');
      assert.ok(sim.events.some((e) => e.kind === 'fail' && e.target === 'r1.n4'), `no fail event for r1.n4: ${JSON.stringify(sim.events)}`);
      await vscode.commands.executeCommand('topo.comparePolicies', uri);
      const results = a.lastComparison(uri.toString());
      assert.deepEqual(Object.keys(results ?? {}).sort(), ['cost', 'page', 'static', 'vcpu']);
      for (const [policy, r] of Object.entries(results ?? {})) assert.equal(r?.input.policy, policy);
    });

    it('restarts the language server when it dies', async function () {
      if (!existsSync('/proc/self/cmdline')) this.skip();
      const a = await api();
      const [pid] = await waitFor('the language server process', () => serverPids()[0] !== undefined && serverPids());
      const before = a.serverRestarts();
      process.kill(pid, 'SIGKILL');
      await waitFor('a restart', () => a.serverRestarts() === before + 1);
      const [next] = await waitFor('a new language server process', () => serverPids().filter((p) => p !== pid).length > 0 && serverPids());
      assert.notEqual(next, pid);
      // The restarted server works: a new error in a document is reported.
      const editor = await open('broken.topo');
      await editor.edit((b) => b.insert(new vscode.Position(editor.document.lineCount, 0), '\ncontainer extra {\n  cpu 1\n  memory 1GiB\n  place on nowhere\n}\n'));
      await waitFor('T200 from the restarted server', () => diagnostics(editor.document.uri).some((d) => codeOf(d) === 'T200' && editor.document.getText(d.range) === 'nowhere'));
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  });
}
