// Node entry of the extension (VS Code desktop, code-server): the language server is the
// bundled dist/server/node.js, started over IPC.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { activateTopo, type TopoApi } from './activate';
import { registerTopoTasks } from './tasks';
import { gitShowHead } from './gitShow';

/** Relative to the extension root; the e2e harness checks that a wrong path makes the suite fail. */
export const SERVER_MODULE = 'dist/server/node.js';

export function activate(context: vscode.ExtensionContext): TopoApi {
  const module = context.asAbsolutePath(SERVER_MODULE);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  context.subscriptions.push(registerTopoTasks(context));
  return activateTopo(context, (options) => new LanguageClient('topo', 'Topo Language Server', serverOptions, options), vscode.Uri.file(module), { gitShow: gitShowHead });
}

export function deactivate(): void {
  // The client is stopped through context.subscriptions.
}
