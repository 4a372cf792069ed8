// Extension-host tests of the import and export commands (client/src/interopCommands.ts), on the
// manifests of test/vscode/workspace (copies of test/fixtures/interop files) and simple.topo.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TopoApi } from '../../../client/src/activate';
import type { ExportOutcome, ImportOutcome } from '../../../client/src/interopCommands';
import { checkText } from '../../../server/src/core/check';
import { exportKubernetes } from '../../../server/src/core/interop/exportKubernetes';
import { importCompose } from '../../../server/src/core/interop/importCompose';
import { importKubernetes } from '../../../server/src/core/interop/importKubernetes';
import { EXTENSION_ID } from './extension.spec';

const INTEROP_COMMANDS = {
  'topo.importKubernetes': 'Import Kubernetes Manifests...',
  'topo.importCompose': 'Import Docker Compose File...',
  'topo.exportKubernetes': 'Export to Kubernetes...',
};

function fileUri(...segments: string[]): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the suite needs the test workspace open as a folder');
  return vscode.Uri.joinPath(f.uri, ...segments);
}

async function readDisk(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function ready(): Promise<void> {
  const ext = vscode.extensions.getExtension<TopoApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  const a = ext.isActive ? ext.exports : await ext.activate();
  await a.serverReady();
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function codes(uri: vscode.Uri): string[] {
  return vscode.languages.getDiagnostics(uri)
    .filter((d) => d.source === undefined || /topo/i.test(d.source))
    .map((d) => (typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code)));
}

function untitledTopo(): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((d) => d.isUntitled && d.languageId === 'topo' && !d.isClosed);
}

/** Untitled documents hold unsaved text: revert and close them so nothing asks to save. */
async function closeUntitled(): Promise<void> {
  for (const doc of untitledTopo()) {
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

async function revertDirty(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty || doc.isUntitled) continue;
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
}

/**
 * The diagnostics of a document once the server has checked it: appends a probe container with
 * one known error (T200), waits for it, and returns every other code; then removes the probe.
 * So "no other codes" means the server checked the text and found nothing else, not that it has
 * not answered yet.
 */
async function codesBesideProbe(editor: vscode.TextEditor): Promise<string[]> {
  const doc = editor.document;
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  const probe = '\ncontainer e2e-probe {\n  cpu 1\n  memory 1GiB\n  place on no-such-target\n}\n';
  assert.ok(await editor.edit((b) => b.insert(end, probe)));
  const all = await waitFor('the probe\'s T200', () => {
    const c = codes(doc.uri);
    return c.includes('T200') ? c : undefined;
  });
  assert.ok(await editor.edit((b) => b.delete(new vscode.Range(end, doc.positionAt(doc.getText().length)))));
  const i = all.indexOf('T200');
  return [...all.slice(0, i), ...all.slice(i + 1)];
}

export function defineInteropSuite(): void {
  describe('Topo import and export', function () {
    this.timeout(90_000);

    afterEach(async () => {
      await revertDirty();
      await closeUntitled();
    });
    after(async () => {
      await vscode.workspace.fs.delete(fileUri('exported'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('contributes and registers the import and export commands in the Topo category', async () => {
      await ready();
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext);
      const contributed = (ext.packageJSON as { contributes: { commands: { command: string; title: string; category?: string }[] } }).contributes.commands;
      const all = new Set(await vscode.commands.getCommands(true));
      for (const [id, title] of Object.entries(INTEROP_COMMANDS)) {
        const c = contributed.find((x) => x.command === id);
        assert.ok(c, `${id} is not contributed`);
        assert.equal(c.title, title);
        assert.equal(c.category, 'Topo');
        assert.ok(all.has(id), `${id} is not registered`);
      }
    });

    it('imports a folder of Kubernetes manifests into an untitled topo document that checks with only the fixture\'s T303', async () => {
      await ready();
      const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('topo.importKubernetes', fileUri('k8s'));
      assert.ok(outcome, 'the command returned nothing');
      assert.deepEqual(outcome.errors, []);
      const doc = outcome.document;
      assert.ok(doc, 'no document opened');
      assert.ok(doc.isUntitled);
      assert.equal(doc.languageId, 'topo');
      assert.equal(vscode.window.activeTextEditor?.document, doc, 'the imported document is not the active editor');
      // Exactly the importer's text for the folder's two files, read in name order.
      const inputs = await Promise.all(['nodes.k8s.yaml', 'workloads.k8s.yaml'].map(async (n) => ({ path: `k8s/${n}`, text: await readDisk(fileUri('k8s', n)) })));
      const expected = importKubernetes(inputs);
      assert.equal(doc.getText(), expected.text);
      assert.match(doc.getText(), /^# Imported from Kubernetes manifests: k8s\/nodes\.k8s\.yaml, k8s\/workloads\.k8s\.yaml$/m);
      assert.match(doc.getText(), /^rack zone-a \{\n {2}node w1\.\.w2 \{ cores 16 memory 64GiB \}\n\}$/m);
      assert.match(doc.getText(), /^container web \{\n {2}image "example\/web:1"\n {2}replicas 3\n/m);
      // What was not mapped is reported with its place in the input.
      assert.deepEqual(outcome.notes, expected.notes);
      const prio = outcome.notes.find((n) => n.message.includes('priorityClassName business-critical'));
      assert.ok(prio, outcome.notes.map((n) => n.message).join('\n'));
      assert.deepEqual([prio.file, prio.line, prio.column], ['k8s/workloads.k8s.yaml', 16, 26]);
      assert.equal(outcome.message, `Topo: imported 7 containers and 2 racks from k8s. ${expected.notes.length} notes on what was not mapped exactly (kept as comments, defaulted or generated) in the "Topo" output.`);
      // The language server checks it: the only problem is the fixture's memory limit below its request.
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor);
      const t303 = await waitFor('T303 on the imported document', () => codes(doc.uri).includes('T303') && vscode.languages.getDiagnostics(doc.uri));
      assert.deepEqual(codes(doc.uri), ['T303']);
      assert.equal(doc.lineAt(t303[0].range.start.line).text.trim(), 'memory request 129MB limit 1KiB');
      assert.deepEqual(await codesBesideProbe(editor), ['T303']);
    });

    it('imports a Docker Compose file into an untitled topo document that checks clean', async () => {
      await ready();
      const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('topo.importCompose', fileUri('app.compose.yaml'));
      assert.ok(outcome?.document, `no document: ${outcome?.message}`);
      const expected = importCompose({ path: 'app.compose.yaml', text: await readDisk(fileUri('app.compose.yaml')) });
      assert.equal(outcome.document.getText(), expected.text);
      assert.match(outcome.document.getText(), /^container web \{\n {2}image "nginx:1\.27"\n {2}replicas 2\n[^}]*talks api\n\}$/m);
      assert.ok(outcome.notes.some((n) => n.file === 'app.compose.yaml' && /healthcheck/.test(n.message)), outcome.notes.map((n) => n.message).join('\n'));
      assert.match(outcome.message, /^Topo: imported 3 containers and 1 rack from app\.compose\.yaml\. \d+ notes /);
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document, outcome.document);
      assert.deepEqual(await codesBesideProbe(editor), []);
    });

    it('reports malformed YAML with file, line and column and opens no document', async () => {
      await ready();
      const before = untitledTopo().length;
      const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('topo.importKubernetes', fileUri('malformed.k8s.yaml'));
      assert.ok(outcome);
      assert.equal(outcome.document, undefined);
      assert.equal(outcome.errors.length, 1, JSON.stringify(outcome.errors));
      assert.deepEqual([outcome.errors[0].file, outcome.errors[0].line, outcome.errors[0].column], ['malformed.k8s.yaml', 7, 3]);
      assert.match(outcome.message, /^Topo: could not import malformed\.k8s\.yaml: malformed\.k8s\.yaml:7:3: malformed YAML: /);
      assert.equal(untitledTopo().length, before, 'an untitled document was opened for a failed import');
      // A Compose import of a folder is refused with a message, not a crash.
      const folder = await vscode.commands.executeCommand<ImportOutcome | undefined>('topo.importCompose', fileUri('k8s'));
      assert.ok(folder);
      assert.equal(folder.document, undefined);
      assert.match(folder.message, /k8s is a folder; pick a Compose file/);
    });

    it('exports simple.topo to a folder and never overwrites without confirmation', async () => {
      await ready();
      const folder = fileUri('exported', 'simple');
      await vscode.workspace.fs.delete(fileUri('exported'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
      const source = fileUri('simple.topo');
      const expected = exportKubernetes(checkText(await readDisk(source), source.path).model).files;
      const names = expected.map((f) => f.path);
      assert.deepEqual([...names].sort(), ['pod1.yaml', 'priorityclasses.yaml']);

      const first = await vscode.commands.executeCommand<ExportOutcome | undefined>('topo.exportKubernetes', source, { folder });
      assert.ok(first);
      assert.deepEqual([first.written, first.existing, first.cancelled], [names, [], false]);
      for (const f of expected) assert.equal(await readDisk(vscode.Uri.joinPath(folder, f.path)), f.text, `${f.path} differs from the core's export`);
      const pod1 = await readDisk(vscode.Uri.joinPath(folder, 'pod1.yaml'));
      assert.match(pod1, /^kind: Deployment$/m);
      assert.match(pod1, /^ {2}name: analytics$/m);
      assert.match(first.message, /^Topo: wrote 2 manifest files to exported\/simple: /);

      // Again, with the confirmation declined: every file is listed and none is touched.
      const edited = '# edited by hand\n';
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'pod1.yaml'), new TextEncoder().encode(edited));
      const declined = await vscode.commands.executeCommand<ExportOutcome | undefined>('topo.exportKubernetes', source, { folder, confirmOverwrite: 'cancel' });
      assert.ok(declined);
      assert.deepEqual([declined.written, declined.existing, declined.cancelled], [[], names, true]);
      assert.equal(await readDisk(vscode.Uri.joinPath(folder, 'pod1.yaml')), edited);

      // Confirmed: the files are replaced.
      const confirmed = await vscode.commands.executeCommand<ExportOutcome | undefined>('topo.exportKubernetes', source, { folder, confirmOverwrite: 'overwrite' });
      assert.ok(confirmed);
      assert.deepEqual([confirmed.written, confirmed.existing, confirmed.cancelled], [names, names, false]);
      assert.equal(await readDisk(vscode.Uri.joinPath(folder, 'pod1.yaml')), pod1);
    });

    it('exports two racks that both have a node db1 to two files, one Deployment each (issue 15)', async () => {
      await ready();
      const source = fileUri('exported-same-node-names.topo');
      const text = [
        'rack ra { node db1 { cores 32 memory 384GiB } }',
        'rack rb { node db1 { cores 32 memory 384GiB } }',
        'container pa { cpu 1 memory 1GiB place on ra.db1 }',
        'container pb { cpu 1 memory 1GiB place on rb.db1 }',
        '',
      ].join('\n');
      await vscode.workspace.fs.writeFile(source, new TextEncoder().encode(text));
      const folder = fileUri('exported', 'same-node-names');
      await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
      try {
        const r = await vscode.commands.executeCommand<ExportOutcome | undefined>('topo.exportKubernetes', source, { folder });
        assert.ok(r);
        assert.deepEqual([...r.written].sort(), ['nodes-ra-db1.yaml', 'nodes-rb-db1.yaml', 'priorityclasses.yaml'], r.message);
        const a = await readDisk(vscode.Uri.joinPath(folder, 'nodes-ra-db1.yaml'));
        const b = await readDisk(vscode.Uri.joinPath(folder, 'nodes-rb-db1.yaml'));
        assert.match(a, /^ {2}name: pa$/m);
        assert.match(a, /- ra\.db1$/m);
        assert.match(b, /^ {2}name: pb$/m);
        assert.match(b, /- rb\.db1$/m);
      } finally {
        await vscode.workspace.fs.delete(source, { useTrash: false }).then(undefined, () => undefined);
      }
    });

    it('exports the editor\'s unsaved text and refuses a file with errors', async () => {
      await ready();
      const doc = await vscode.workspace.openTextDocument(fileUri('simple.topo'));
      const editor = await vscode.window.showTextDocument(doc, { preview: false });
      const at = doc.getText().indexOf('replicas 2');
      assert.ok(at >= 0);
      assert.ok(await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'replicas 2'.length)), 'replicas 5')));
      const folder = fileUri('exported', 'unsaved');
      const r = await vscode.commands.executeCommand<ExportOutcome | undefined>('topo.exportKubernetes', undefined, { folder });
      assert.ok(r);
      assert.ok(r.written.includes('pod1.yaml'), r.message);
      assert.match(await readDisk(vscode.Uri.joinPath(folder, 'pod1.yaml')), /name: api\n[\s\S]*?replicas: 5\n/);

      const brokenFolder = fileUri('exported', 'broken');
      const broken = await vscode.commands.executeCommand<ExportOutcome | undefined>('topo.exportKubernetes', fileUri('broken.topo'), { folder: brokenFolder });
      assert.ok(broken);
      assert.deepEqual(broken.written, []);
      assert.match(broken.message, /^Topo: broken\.topo has 1 error; fix it before exporting \(broken\.topo:12:12 T200: /);
      assert.equal(await exists(brokenFolder), false, 'a folder was created for a file with errors');
    });
  });
}
