import { UsageError, type CliIo } from './io';
import { startNodeServer } from '../node/server';

export const LSP_USAGE = 'topo lsp --stdio';

/** `topo lsp --stdio`: the language server for any editor with an LSP client. Runs until the client exits. */
export function runLsp(args: string[], _io: CliIo): Promise<number> {
  if (!args.includes('--stdio') && !args.some((a) => a.startsWith('--node-ipc') || a.startsWith('--socket') || a.startsWith('--pipe'))) {
    throw new UsageError('choose a transport: --stdio');
  }
  startNodeServer();
  return new Promise<number>(() => undefined); // the connection ends the process when the client exits
}
