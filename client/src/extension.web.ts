// Web entry of the extension (VS Code for the Web): the language server is the bundled
// dist/server/browser.js, run in a web worker.
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { activateTopo, type TopoApi } from './activate';

/**
 * A worker that waits for the server script's URL, loads it, then hands it the messages that
 * arrived first (the client may send `initialize` before the script is read). Plain data, no eval:
 * the script is the extension's own bundle, loaded with importScripts.
 */
const BOOTSTRAP = `const early = [];
self.onmessage = (e) => {
  if (!(e.data && e.data.topoServerScript)) { early.push(e.data); return; }
  self.onmessage = null;
  importScripts(e.data.topoServerScript);
  for (const data of early) self.dispatchEvent(new MessageEvent('message', { data }));
};`;

/**
 * The language server's worker. An extension served over http(s) (vscode.dev, the marketplace)
 * or from file: can start it from its URL. Where the extension's files live on a remote
 * (`vscode-remote:`, e.g. code-server), workers cannot be created from them; the script is read
 * through the workspace file system and started from a blob.
 */
function serverWorker(script: vscode.Uri): Worker {
  if (script.scheme === 'https' || script.scheme === 'http' || script.scheme === 'file') return new Worker(script.toString(true));
  const worker = new Worker(URL.createObjectURL(new Blob([BOOTSTRAP], { type: 'application/javascript' })));
  vscode.workspace.fs.readFile(script).then(
    (bytes) => worker.postMessage({ topoServerScript: URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'application/javascript' })) }),
    (e: unknown) => void vscode.window.showErrorMessage(`Topo: could not read the language server ${script.toString(true)}: ${e instanceof Error ? e.message : String(e)}`),
  );
  return worker;
}

export function activate(context: vscode.ExtensionContext): TopoApi {
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server', 'browser.js');
  return activateTopo(context, (options) => new LanguageClient('topo', 'Topo Language Server', serverWorker(serverMain), options), serverMain);
}

export function deactivate(): void {
  // The client is stopped through context.subscriptions.
}
