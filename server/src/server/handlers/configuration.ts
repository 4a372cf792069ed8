import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import { readSettings } from '../settings';
import type { Workspace } from '../workspace';
import { SEMANTIC_MODIFIERS, SEMANTIC_TYPES } from '../ideApi';
import { APPLY_SIZING_COMMAND } from '../../core/protocol';

/** Everything the server answers (each feature has its handler in this folder). */
export const CAPABILITIES: lsp.ServerCapabilities = {
  textDocumentSync: { openClose: true, change: 2, save: { includeText: false } },
  codeActionProvider: { codeActionKinds: ['quickfix', 'refactor', 'refactor.rewrite'] },
  executeCommandProvider: { commands: [APPLY_SIZING_COMMAND] },
  codeLensProvider: { resolveProvider: true },
  // Digits too: VS Code does not open quick suggestions inside a number, and the units after one (`4` -> `4GiB`) are completion items.
  completionProvider: { triggerCharacters: ['.', ' ', '"', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], resolveProvider: false },
  hoverProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  documentHighlightProvider: true,
  renameProvider: { prepareProvider: true },
  documentSymbolProvider: true,
  workspaceSymbolProvider: true,
  foldingRangeProvider: true,
  selectionRangeProvider: true,
  semanticTokensProvider: { legend: { tokenTypes: [...SEMANTIC_TYPES], tokenModifiers: [...SEMANTIC_MODIFIERS] }, full: { delta: true } },
  documentFormattingProvider: true,
  documentRangeFormattingProvider: true,
  inlayHintProvider: true,
};

/** initialize (the capabilities, the settings sent along, the workspace root) and the `topo` settings after it. */
export function registerConfiguration(connection: Connection, ws: Workspace): void {
  let configurationPull = false;
  let lensesOn = ws.settings.sizingLenses;

  connection.onInitialize((params) => {
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    ws.settings = readSettings(init?.settings);
    lensesOn = ws.settings.sizingLenses;
    configurationPull = params.capabilities.workspace?.configuration === true;
    ws.codeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? null;
    if (folder) ws.root = ws.uris.path(folder);
    return { capabilities: CAPABILITIES, serverInfo: { name: 'topo', version: '0.1.0' } };
  });

  // topo.codeLens.sizing was turned on or off: the client asks for the lenses again
  const refreshLenses = (): void => {
    if (lensesOn === ws.settings.sizingLenses) return;
    lensesOn = ws.settings.sizingLenses;
    if (ws.codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  };

  const pullSettings = async (): Promise<void> => {
    try {
      const [section] = (await connection.sendRequest('workspace/configuration', { items: [{ section: 'topo' }] })) as unknown[];
      ws.settings = readSettings(section); // the whole section: a key it lacks is back at its default
      refreshLenses();
    } catch {
      // keep the settings we have
    }
  };

  connection.onInitialized(() => {
    if (configurationPull) void pullSettings();
  });

  connection.onDidChangeConfiguration((p) => {
    const pushed = (p.settings as { topo?: unknown } | null)?.topo;
    if (pushed) { ws.settings = readSettings(pushed); refreshLenses(); }
    else if (configurationPull) void pullSettings();
  });
}
