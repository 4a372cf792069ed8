import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import type { DiffResult } from '../../core/diff';
import { APPLY_SIZING_COMMAND, CompareVersionsRequest, type CompareVersionsParams } from '../../core/protocol';
import type { ServerEnv } from '../env';
import type { SizingLenses } from '../sizingLenses';
import type { Workspace } from '../workspace';

function readCompareParams(raw: unknown): CompareVersionsParams {
  const p = (raw ?? {}) as Record<string, unknown>;
  return { uri: typeof p.uri === 'string' ? p.uri : '', oldText: typeof p.oldText === 'string' ? p.oldText : '', oldLabel: typeof p.oldLabel === 'string' && p.oldLabel ? p.oldLabel : 'before' };
}

/** textDocument/codeLens and codeLens/resolve (the sizing lenses), their command, and topo/compareVersions. */
export function registerSizing(connection: Connection, ws: Workspace, sizing: SizingLenses, env: ServerEnv): void {
  connection.onCodeLens(ws.safe('codeLens', (p: lsp.CodeLensParams) => sizing.lenses(p.textDocument.uri), []));
  connection.onCodeLensResolve((lens) => ws.safe('codeLensResolve', (l: lsp.CodeLens) => sizing.resolve(l), lens)(lens));
  connection.onExecuteCommand(async (p) => {
    if (p.command === APPLY_SIZING_COMMAND) await sizing.apply(p.arguments);
  });
  connection.onRequest(CompareVersionsRequest.method, async (raw: unknown): Promise<DiffResult> => {
    const p = readCompareParams(raw);
    const o = ws.open.get(p.uri);
    if (!o) throw new Error(`topo/compareVersions: ${p.uri || 'no uri given'} is not an open document`);
    const root = ws.rootFor(o);
    const shown = o.path.startsWith(`${root}/`) ? o.path.slice(root.length + 1) : o.path;
    const outcome = await env.analyze({ kind: 'diff', root: o.path, overlay: [...ws.overlay()], workspaceRoot: root, virtualRoots: ws.uris.virtualRoots(), oldText: p.oldText, oldLabel: p.oldLabel, newLabel: shown }, { cancelled: false });
    if (outcome.kind !== 'diff') throw new Error('topo/compareVersions: the worker answered something else');
    return outcome.diff;
  });
}
