// The import and export commands: Kubernetes manifests or a Compose file in (a new untitled topo
// document), Kubernetes manifests out. The conversions are the core's pure functions
// (server/src/core/interop); files are read and written with vscode.workspace.fs so remote and
// virtual workspaces work. Each command returns what it did, for the extension-host tests.
import * as vscode from 'vscode';
import type { ImportResult, InteropMessage } from '../../server/src/core/interop/emit';
import { duplicatePaths, exportKubernetes } from '../../server/src/core/interop/exportKubernetes';
import { importCompose } from '../../server/src/core/interop/importCompose';
import { importKubernetes } from '../../server/src/core/interop/importKubernetes';
import {
  checkErrors,
  existingTargets,
  exportErrorMessage,
  formatInteropMessage,
  importDoneMessage,
  importErrorMessage,
  inputsLabel,
  manifestFiles,
  overwritePrompt,
} from './interopText';
import { checkWithAsyncReads } from './programLoader';

export const IMPORT_KUBERNETES = 'topo.importKubernetes';
export const IMPORT_COMPOSE = 'topo.importCompose';
export const EXPORT_KUBERNETES = 'topo.exportKubernetes';

/** What an import did. Undefined (instead) when the user cancelled the file dialog. */
export interface ImportOutcome {
  /** The new untitled topo document; absent when the input had errors. */
  readonly document?: vscode.TextDocument;
  readonly notes: readonly InteropMessage[];
  readonly errors: readonly InteropMessage[];
  /** The information or error message shown. */
  readonly message: string;
}

/**
 * The export command's optional second argument (the first is the .topo file): the target folder
 * (instead of the folder dialog) and the answer to the overwrite confirmation (instead of the
 * modal), for tests and callers that already asked.
 */
export interface ExportArgs {
  readonly folder?: vscode.Uri;
  readonly confirmOverwrite?: 'overwrite' | 'cancel';
}

export interface ExportOutcome {
  readonly folder?: vscode.Uri;
  /** Names (relative to the folder) written. */
  readonly written: readonly string[];
  /** Names that existed before, and that the confirmation listed. */
  readonly existing: readonly string[];
  readonly cancelled: boolean;
  /** The message shown ('' when the user cancelled a dialog). */
  readonly message: string;
}

class UserError extends Error {}

/** The largest file read, as the Node file host (server/src/node/fileHost.ts) allows. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  const st = await vscode.workspace.fs.stat(uri);
  if (st.size > MAX_FILE_BYTES) throw new UserError(`${display(uri)} is larger than ${MAX_FILE_BYTES / 2 ** 20} MiB`);
  return decoder.decode(await vscode.workspace.fs.readFile(uri));
}

function display(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The files to import: those given (a folder stands for its manifest files), each read once. */
async function readInputs(uris: readonly vscode.Uri[], allowFolders: boolean): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const uri of uris) {
    let st: vscode.FileStat;
    try {
      st = await vscode.workspace.fs.stat(uri);
    } catch (e) {
      throw new UserError(`cannot read ${display(uri)}: ${errorText(e)}`);
    }
    if (st.type & vscode.FileType.Directory) {
      if (!allowFolders) throw new UserError(`${display(uri)} is a folder; pick a Compose file`);
      const entries = await vscode.workspace.fs.readDirectory(uri);
      const names = manifestFiles(entries.map(([name, type]) => ({ name, isFile: (type & vscode.FileType.File) !== 0 })));
      if (names.length === 0) throw new UserError(`${display(uri)} holds no .yaml, .yml or .json file`);
      for (const n of names) {
        const file = vscode.Uri.joinPath(uri, n);
        out.push({ path: display(file), text: await readText(file) });
      }
    } else out.push({ path: display(uri), text: await readText(uri) });
  }
  return out;
}

/** Uris from a command's arguments: (uri), (uri, selectedUris) from the explorer, or ([uris]). */
function argUris(first: unknown, second: unknown): vscode.Uri[] | undefined {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : []);
  const selected = list(second);
  if (first instanceof vscode.Uri) return selected.length > 1 && selected.some((u) => u.toString() === first.toString()) ? selected : [first];
  const given = list(first);
  return given.length > 0 ? given : undefined;
}

function defaultFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

async function pickKubernetesInputs(): Promise<vscode.Uri[] | undefined> {
  // Windows and Linux dialogs cannot select files and folders at once: ask which first.
  const files = { label: '$(file) Manifest files...', description: 'one or more .yaml, .yml or .json files' };
  const folder = { label: '$(folder) A folder of manifests...', description: 'every .yaml, .yml and .json file in it' };
  const pick = await vscode.window.showQuickPick([files, folder], { title: 'Topo: Import Kubernetes Manifests', placeHolder: 'Import from' });
  if (!pick) return undefined;
  return vscode.window.showOpenDialog(pick === files
    ? { title: 'Kubernetes manifests to import', canSelectFiles: true, canSelectFolders: false, canSelectMany: true, defaultUri: defaultFolder(), openLabel: 'Import', filters: { 'Kubernetes manifests': ['yaml', 'yml', 'json'], 'All files': ['*'] } }
    : { title: 'Folder of Kubernetes manifests to import', canSelectFiles: false, canSelectFolders: true, canSelectMany: false, defaultUri: defaultFolder(), openLabel: 'Import' });
}

async function pickComposeFile(): Promise<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({ title: 'Docker Compose file to import', canSelectFiles: true, canSelectFolders: false, canSelectMany: false, defaultUri: defaultFolder(), openLabel: 'Import', filters: { 'Compose files': ['yaml', 'yml'], 'All files': ['*'] } });
}

/** Reads, converts and opens an import (a new untitled topo document), or says why not. */
async function runImport(output: vscode.LogOutputChannel, format: 'k8s' | 'compose', uris: readonly vscode.Uri[]): Promise<ImportOutcome> {
  const showOutput = (pick: string | undefined) => { if (pick) output.show(true); };
  let result: ImportResult;
  let label: string;
  try {
    const inputs = await readInputs(uris, format === 'k8s');
    label = inputsLabel(uris.map(display));
    if (format === 'k8s') result = importKubernetes(inputs);
    else {
      const [only, ...more] = inputs;
      if (!only || more.length > 0) throw new UserError('pick one Compose file');
      result = importCompose(only);
    }
  } catch (e) {
    const message = `Topo: could not import: ${errorText(e)}`;
    output.error(message);
    void vscode.window.showErrorMessage(message);
    return { notes: [], errors: [], message };
  }
  output.info(`import of ${label}: ${result.errors.length} error(s), ${result.notes.length} note(s)`);
  for (const e of result.errors) output.error(formatInteropMessage(e, 'error'));
  for (const n of result.notes) output.info(formatInteropMessage(n, 'note'));
  if (result.errors.length > 0) {
    const message = importErrorMessage(label, result.errors);
    void vscode.window.showErrorMessage(message, 'Show Output').then(showOutput);
    return { notes: result.notes, errors: result.errors, message };
  }
  const document = await vscode.workspace.openTextDocument({ language: 'topo', content: result.text });
  await vscode.window.showTextDocument(document, { preview: false });
  const message = importDoneMessage(label, result.text, result.notes);
  if (result.notes.length > 0) void vscode.window.showInformationMessage(message, 'Show Output').then(showOutput);
  else void vscode.window.showInformationMessage(message);
  return { document, notes: result.notes, errors: [], message };
}

/** Checks the file, converts it and writes its manifests to a folder (asking before overwriting). */
async function runExport(output: vscode.LogOutputChannel, arg: unknown, options: ExportArgs): Promise<ExportOutcome | undefined> {
  const none = (message: string, cancelled = false): ExportOutcome => ({ written: [], existing: [], cancelled, message });
  const active = vscode.window.activeTextEditor?.document;
  const uri = arg instanceof vscode.Uri ? arg : active?.languageId === 'topo' ? active.uri : undefined;
  if (!uri) {
    void vscode.window.showInformationMessage('Topo: open a .topo file to export first.');
    return undefined;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? await vscode.workspace.openTextDocument(uri);
  const readable = doc.uri.scheme !== 'untitled';
  const { result } = await checkWithAsyncReads(doc.uri.path, doc.getText(), async (path) => (readable ? readText(doc.uri.with({ path })) : undefined), vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.path);
  const errors = checkErrors(result, (path) => (readable ? display(doc.uri.with({ path })) : path));
  if (errors.length > 0) {
    const message = exportErrorMessage(display(doc.uri), errors);
    for (const e of errors) output.error(`export: ${e}`);
    void vscode.window.showErrorMessage(message, 'Show Problems').then((p) => { if (p) void vscode.commands.executeCommand('workbench.actions.view.problems'); });
    return none(message);
  }
  const { files } = exportKubernetes(result.model);
  // The same guarantee as `topo export`: never write one file of this export over another.
  const twice = duplicatePaths(files);
  if (twice.length > 0) {
    const message = `Topo: the export of ${display(doc.uri)} would write ${twice.join(' and ')} from different targets, one over the other; nothing was written. Please report this with the file.`;
    output.error(message);
    void vscode.window.showErrorMessage(message);
    return none(message);
  }
  if (files.length === 0) {
    const message = `Topo: ${display(doc.uri)} declares no container; there is nothing to export.`;
    void vscode.window.showInformationMessage(message);
    return none(message);
  }
  const folder = options.folder ?? (await vscode.window.showOpenDialog({
    title: 'Topo: folder for the Kubernetes manifests',
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: readable ? vscode.Uri.joinPath(doc.uri, '..') : defaultFolder(),
    openLabel: 'Export Here',
  }))?.[0];
  if (!folder) return none('', true);
  const present = new Set<string>();
  for (const f of files) if (await exists(vscode.Uri.joinPath(folder, f.path))) present.add(f.path);
  const existing = existingTargets(files, present);
  if (existing.length > 0) {
    const prompt = overwritePrompt(display(folder), existing);
    const answer = options.confirmOverwrite
      ?? ((await vscode.window.showWarningMessage(prompt.message, { modal: true, detail: prompt.detail }, 'Overwrite')) === 'Overwrite' ? 'overwrite' : 'cancel');
    if (answer !== 'overwrite') {
      output.info(`export to ${display(folder)} cancelled: ${existing.join(', ')} not overwritten`);
      return { folder, written: [], existing, cancelled: true, message: '' };
    }
  }
  const written: string[] = [];
  try {
    await vscode.workspace.fs.createDirectory(folder);
    for (const f of files) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, f.path), encoder.encode(f.text));
      written.push(f.path);
      output.info(`export: wrote ${display(vscode.Uri.joinPath(folder, f.path))}`);
    }
  } catch (e) {
    const message = `Topo: export stopped after ${written.length} of ${files.length} files: ${errorText(e)}`;
    output.error(message);
    void vscode.window.showErrorMessage(message);
    return { folder, written, existing, cancelled: false, message };
  }
  const message = `Topo: wrote ${written.length === 1 ? '1 manifest file' : `${written.length} manifest files`} to ${display(folder)}: ${written.join(', ')}.`;
  void vscode.window.showInformationMessage(message);
  return { folder, written, existing, cancelled: false, message };
}

export function registerInteropCommands(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): void {
  const register = (id: string, fn: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  register(IMPORT_KUBERNETES, async (first, second) => {
    const uris = argUris(first, second) ?? await pickKubernetesInputs();
    return uris?.length ? runImport(output, 'k8s', uris) : undefined;
  });
  register(IMPORT_COMPOSE, async (first, second) => {
    const uris = argUris(first, second) ?? await pickComposeFile();
    return uris?.length ? runImport(output, 'compose', uris) : undefined;
  });
  register(EXPORT_KUBERNETES, async (arg, options) => {
    const o = typeof options === 'object' && options !== null ? options as Record<string, unknown> : {};
    const args: ExportArgs = {
      folder: o.folder instanceof vscode.Uri ? o.folder : undefined,
      confirmOverwrite: o.confirmOverwrite === 'overwrite' || o.confirmOverwrite === 'cancel' ? o.confirmOverwrite : undefined,
    };
    return runExport(output, arg, args);
  });
}
