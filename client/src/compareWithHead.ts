// "Topo: Compare with HEAD": the file as committed, read through the built-in git extension's API
// (`vscode.git`, getAPI(1), repository.show) or, only when that extension is not available,
// through `git show` (the Node host passes it in); then the server compares the two texts
// (topo/compareVersions, off the typing path) and the preview opens its changes view.
import * as vscode from 'vscode';
import type { DiffResult } from '../../server/src/core/diff';
import { headProblem, type HeadText } from './gitHead';

/** The little of the git extension's API (extensions/git/src/api/git.d.ts) this uses. */
interface GitRepository {
  readonly rootUri: vscode.Uri;
  show(ref: string, path: string): Promise<string>;
}
interface GitApi {
  getRepository(uri: vscode.Uri): GitRepository | null;
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

export type GitShowFallback = (fsPath: string) => Promise<HeadText>;

function name(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** The git extension's API, or null when it is not installed, disabled, or fails to start. */
async function gitApi(): Promise<GitApi | null> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) return null;
  try {
    const exports = ext.isActive ? ext.exports : await ext.activate();
    return exports.enabled ? exports.getAPI(1) : null;
  } catch {
    return null;
  }
}

/** The document's text at HEAD, or why there is none. */
export async function readHead(uri: vscode.Uri, fallback: GitShowFallback | undefined): Promise<HeadText> {
  if (uri.scheme !== 'file') return { ok: false, problem: `${name(uri)} is not a local file (${uri.scheme}:), so it has no git history here` };
  const api = await gitApi();
  if (!api) {
    if (fallback) return fallback(uri.fsPath);
    return { ok: false, problem: 'the built-in git extension is not available' };
  }
  const repo = api.getRepository(uri);
  if (!repo) return { ok: false, problem: `${name(uri)} is not in a git repository (or the git extension has not opened it)` };
  const rel = uri.path.slice(repo.rootUri.path.replace(/\/$/, '').length + 1);
  try {
    return { ok: true, text: await repo.show('HEAD', uri.fsPath), label: `HEAD:${rel}` };
  } catch (e) {
    const err = e as { stderr?: unknown; message?: unknown };
    return { ok: false, problem: headProblem(name(uri), typeof err.stderr === 'string' ? err.stderr : typeof err.message === 'string' ? err.message : String(e)) };
  }
}

export interface CompareDeps {
  readonly fallback: GitShowFallback | undefined;
  readonly compare: (uri: vscode.Uri, oldText: string, oldLabel: string) => Promise<DiffResult>;
  readonly show: (uri: vscode.Uri, diff: DiffResult) => Promise<void>;
  readonly log: (line: string) => void;
}

/** The command: reads HEAD, compares, opens the preview's changes view; says plainly why not. */
export async function compareWithHead(uri: vscode.Uri, deps: CompareDeps): Promise<DiffResult | null> {
  const head = await readHead(uri, deps.fallback);
  if (!head.ok) {
    void vscode.window.showWarningMessage(`Topo: cannot compare with HEAD: ${head.problem}.`);
    return null;
  }
  try {
    const diff = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Topo: comparing ${name(uri)} with HEAD` }, () => deps.compare(uri, head.text, head.label));
    await deps.show(uri, diff);
    return diff;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    deps.log(`compare with HEAD of ${uri.toString()} failed: ${msg}`);
    void vscode.window.showErrorMessage(`Topo: the comparison failed: ${msg}`);
    return null;
  }
}
