// Extension-host tests of the `topo` task type (client/src/tasks.ts) and the `$topo` problem
// matcher: the provided "check" and "simulate" tasks run the bundled CLI, end with its exit
// code, and the matcher turns its output into problems at the CLI's positions.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { CheckDocument } from '../../../server/src/cli/documents';
import { EXTENSION_ID } from './extension.spec';

function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the suite needs the test workspace open as a folder');
  return f;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs a task and resolves with its process's exit code. */
async function run(task: vscode.Task): Promise<number | undefined> {
  let code: number | undefined | null = null;
  const sub = vscode.tasks.onDidEndTaskProcess((e) => {
    if (e.execution.task.name === task.name && e.execution.task.definition.command === task.definition.command) code = e.exitCode;
  });
  try {
    await vscode.tasks.executeTask(task);
    return await waitFor(`the ${task.name} task to end`, () => (code === null ? undefined : { code })).then((x) => x.code);
  } finally {
    sub.dispose();
  }
}

function topoTasks(): Thenable<vscode.Task[]> {
  return vscode.tasks.fetchTasks({ type: 'topo' });
}

export function defineTasksSuite(): void {
  describe('Topo tasks and problem matcher', function () {
    this.timeout(120_000);
    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('provides "check" and "simulate" tasks of type topo with the $topo problem matcher', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext);
      const tasks = await topoTasks();
      const names = tasks.map((t) => t.name).sort();
      assert.deepEqual(names, ['check', 'simulate']);
      for (const t of tasks) {
        assert.equal(t.source, 'topo');
        assert.deepEqual(t.problemMatchers, ['$topo']);
        assert.equal((t.scope as vscode.WorkspaceFolder).uri.toString(), folder().uri.toString());
      }
      assert.equal(tasks.find((t) => t.name === 'check')?.group?.id, vscode.TaskGroup.Build.id);
    });

    it('the check task runs topo check on the folder: exit 1 on its errors, problems where the CLI puts them', async () => {
      const check = (await topoTasks()).find((t) => t.name === 'check');
      assert.ok(check);
      const code = await run(check);
      // What the bundled CLI says about the same folder, as JSON.
      const cli = ext().extensionPath;
      const r = spawnSync(process.execPath, [`${cli}/dist/cli.js`, 'check', '.', '--format', 'json'], { cwd: folder().uri.fsPath, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
      const doc = JSON.parse(r.stdout) as CheckDocument;
      assert.equal(code, r.status);
      assert.equal(code, 1, 'the test workspace has files with errors');
      const expected = doc.diagnostics.map((d) => `${d.file}:${d.range.start.line}:${d.range.start.character}:${d.code}`).sort();
      const problems = (): string[] => vscode.languages.getDiagnostics().flatMap(([uri, ds]) => ds.filter((d) => d.source === 'topo-cli').map((d) => {
        const code = typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
        return `${vscode.workspace.asRelativePath(uri, false)}:${d.range.start.line}:${d.range.start.character}:${code}`;
      })).sort();
      await waitFor(`the problem matcher's problems (${expected.join(', ')})`, () => problems().length >= expected.length).catch((e: Error) => {
        throw new Error(`${e.message}; found ${problems().join(', ') || 'none'}`);
      });
      assert.deepEqual(problems(), expected);
      assert.ok(expected.some((e) => e.startsWith('broken.topo:') && e.endsWith(':T200')), expected.join(', '));
    });

    it('the simulate task simulates the file in the active editor (exit 0)', async () => {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder().uri, 'simple.topo'));
      await vscode.window.showTextDocument(doc);
      const simulate = (await topoTasks()).find((t) => t.name === 'simulate');
      assert.ok(simulate);
      assert.equal(await run(simulate), 0);
    });

    it('a task of tasks.json resolves: simulate a named file with more arguments', async () => {
      const dir = vscode.Uri.joinPath(folder().uri, '.vscode');
      const tasksJson = vscode.Uri.joinPath(dir, 'tasks.json');
      const label = 'simulate simple.topo under page';
      await vscode.workspace.fs.createDirectory(dir);
      await vscode.workspace.fs.writeFile(tasksJson, new TextEncoder().encode(JSON.stringify({
        version: '2.0.0',
        tasks: [{ type: 'topo', command: 'simulate', file: 'simple.topo', args: ['--policy', 'page'], label, problemMatcher: ['$topo'] }],
      })));
      try {
        const deadline = Date.now() + 60_000;
        let task: vscode.Task | undefined;
        while (!task && Date.now() < deadline) {
          task = (await topoTasks()).find((t) => t.name === label);
          if (!task) await new Promise((r) => setTimeout(r, 250));
        }
        assert.ok(task, 'the task of tasks.json was not resolved');
        assert.equal(await run(task), 0);
      } finally {
        await vscode.workspace.fs.delete(dir, { recursive: true });
      }
    });
  });
}

function ext(): vscode.Extension<unknown> {
  const e = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(e);
  return e;
}
