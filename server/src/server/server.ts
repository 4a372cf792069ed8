import type { Connection } from 'vscode-languageserver';
import type { ServerEnv } from './env';
import { registerCodeActions } from './handlers/codeActions';
import { registerCompletion } from './handlers/completion';
import { registerConfiguration } from './handlers/configuration';
import { registerDocuments } from './handlers/documents';
import { registerFormatting } from './handlers/format';
import { registerHover } from './handlers/hover';
import { registerInlayHints } from './handlers/inlayHints';
import { registerDefinition, registerHighlights, registerReferences } from './handlers/navigation';
import { registerFolding, registerSelectionRanges } from './handlers/ranges';
import { registerRename } from './handlers/rename';
import { registerSemanticTokens } from './handlers/semanticTokens';
import { registerDocumentSymbols, registerWorkspaceSymbols } from './handlers/symbols';
import { Simulations } from './simulation';
import { SizingLenses } from './sizingLenses';
import { registerSizing } from './handlers/sizing';
import { Workspace } from './workspace';

export type { AnalysisJob, AnalysisOutcome, ServerEnv, SimulationJob, SimulationOutcome } from './env';

/**
 * Starts the Topo language server on a connection. Everything but the transport and the file host
 * is here: the state (workspace.ts), the simulations (simulation.ts) and one handler per feature
 * (handlers/), each thin: convert LSP to the core's plain data, call the ide layer, convert back.
 */
export function startServer(connection: Connection, env: ServerEnv): void {
  const ws = new Workspace(connection, env);
  const simulations = new Simulations(connection, ws, env);
  const sizing = new SizingLenses(connection, ws, env);
  registerConfiguration(connection, ws);
  registerDocuments(connection, ws, simulations, sizing);
  simulations.register();
  registerCompletion(connection, ws);
  registerHover(connection, ws);
  registerDefinition(connection, ws);
  registerReferences(connection, ws);
  registerHighlights(connection, ws);
  registerRename(connection, ws);
  registerDocumentSymbols(connection, ws);
  registerWorkspaceSymbols(connection, ws);
  registerFolding(connection, ws);
  registerSelectionRanges(connection, ws);
  registerSemanticTokens(connection, ws);
  registerFormatting(connection, ws);
  registerCodeActions(connection, ws, sizing);
  registerSizing(connection, ws, sizing, env);
  registerInlayHints(connection, ws);
  connection.listen();
}
