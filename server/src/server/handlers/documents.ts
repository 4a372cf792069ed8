import type { Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { OpenDocument, Workspace } from '../workspace';
import type { Simulations } from '../simulation';
import type { SizingLenses } from '../sizingLenses';

/** textDocument/didOpen, didChange, didClose and didSave. */
export function registerDocuments(connection: Connection, ws: Workspace, simulations: Simulations, sizing: SizingLenses): void {
  connection.onDidOpenTextDocument(({ textDocument: t }) => {
    const o: OpenDocument = { doc: TextDocument.create(t.uri, t.languageId, t.version, t.text), path: ws.uris.path(t.uri), simulationDiagnostics: new Map() };
    ws.open.set(t.uri, o);
    // Every open file is checked again: an import of this file may have been missing until now
    // (in a virtual workspace or the web, open files are the only files), or read from the disk.
    ws.recheckAll();
  });

  connection.onDidChangeTextDocument(({ textDocument: t, contentChanges }) => {
    const o = ws.open.get(t.uri);
    if (!o) return;
    o.doc = TextDocument.update(o.doc, contentChanges, t.version);
    o.simulationDiagnostics.clear();
    sizing.edited(t.uri);
    ws.recheckAffected(o.path);
  });

  connection.onDidCloseTextDocument(({ textDocument: t }) => {
    const o = ws.open.get(t.uri);
    if (!o) return;
    if (o.run) o.run.signal.cancelled = true;
    if (o.publishTimer) clearTimeout(o.publishTimer);
    ws.open.delete(t.uri);
    sizing.closed(t.uri);
    ws.forgetParse(o.path);
    void connection.sendDiagnostics({ uri: t.uri, diagnostics: [] });
    ws.recheckAffected(o.path);
  });

  connection.onDidSaveTextDocument(({ textDocument: t }) => {
    const o = ws.open.get(t.uri);
    if (!o || !ws.settings.simulateOnSave) return;
    void simulations.run(o, { scenario: null, all: true }).catch(() => undefined);
  });
}
