// The `topo` task type: "check" (every .topo file of the workspace folder) and "simulate" (the
// file in the active editor), run by the CLI bundled with the extension (dist/cli.js) on the
// extension host's own Node, with the `$topo` problem matcher. In tasks.json:
//   { "type": "topo", "command": "simulate", "file": "examples/a.topo", "args": ["--scenario", "lose a node"] }
// (Only the desktop entry registers it: tasks run processes, which VS Code for the Web cannot.)
import * as vscode from 'vscode';

export const TASK_TYPE = 'topo';
/** The CLI in the extension, relative to its root. */
export const CLI_MODULE = 'dist/cli.js';
export const TASK_COMMANDS = ['check', 'simulate'] as const;
export type TaskCommand = (typeof TASK_COMMANDS)[number];

export interface TopoTaskDefinition extends vscode.TaskDefinition {
  readonly type: typeof TASK_TYPE;
  readonly command: TaskCommand;
  /** A file or folder, relative to the workspace folder; check: the folder itself, simulate: the active editor's file. */
  readonly file?: string;
  /** More arguments for the command (`--scenario NAME`, `--policy P`, `--format json`...). */
  readonly args?: readonly string[];
}

function isDefinition(d: vscode.TaskDefinition): d is TopoTaskDefinition {
  const args: unknown = d.args;
  return d.type === TASK_TYPE && (TASK_COMMANDS as readonly unknown[]).includes(d.command)
    && (d.file === undefined || typeof d.file === 'string')
    && (args === undefined || (Array.isArray(args) && args.every((a) => typeof a === 'string')));
}

/** The command line of a task, after the CLI module: `check .`, `simulate ${file}`. */
export function taskArguments(d: TopoTaskDefinition): string[] {
  const target = d.file ?? (d.command === 'check' ? '.' : '${file}');
  return [d.command, target, ...(d.args ?? [])];
}

function makeTask(cli: string, d: TopoTaskDefinition, scope: vscode.WorkspaceFolder): vscode.Task {
  const args = taskArguments(d);
  const cwd = scope.uri.fsPath;
  // The extension host's executable runs as plain Node with ELECTRON_RUN_AS_NODE (as the language client starts its server).
  const execution = new vscode.ProcessExecution(process.execPath, [cli, ...args], { cwd, env: { ELECTRON_RUN_AS_NODE: '1' } });
  const task = new vscode.Task(d, scope, d.command, 'topo', execution, '$topo');
  task.detail = `topo ${args.join(' ')}`;
  if (d.command === 'check') task.group = vscode.TaskGroup.Build;
  return task;
}

export function registerTopoTasks(context: vscode.ExtensionContext): vscode.Disposable {
  const cli = context.asAbsolutePath(CLI_MODULE);
  return vscode.tasks.registerTaskProvider(TASK_TYPE, {
    provideTasks(): vscode.Task[] {
      const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
      return folders.flatMap((f) => TASK_COMMANDS.map((command) => makeTask(cli, { type: TASK_TYPE, command }, f)));
    },
    resolveTask(task: vscode.Task): vscode.Task | undefined {
      if (!isDefinition(task.definition)) return undefined;
      const scope = task.scope;
      const folder = typeof scope === 'object' ? scope : vscode.workspace.workspaceFolders?.[0];
      return folder ? makeTask(cli, task.definition, folder) : undefined;
    },
  });
}
