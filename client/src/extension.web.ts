// Web entry of the extension (VS Code for the Web): the language server is the bundled
// dist/server/browser.js, run in a web worker.
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { activateTopo, type TopoApi } from './activate';

export function activate(context: vscode.ExtensionContext): TopoApi {
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server', 'browser.js');
  return activateTopo(context, (options) => new LanguageClient('topo', 'Topo Language Server', new Worker(serverMain.toString(true)), options), serverMain);
}

export function deactivate(): void {
  // The client is stopped through context.subscriptions.
}
