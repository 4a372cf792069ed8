import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { startServer, type SimulationOutcome } from '../server/server';
import { NodeFileHost } from './fileHost';
import { heapTrimmer } from './heap';

/**
 * The Node language server: stdio (`--stdio`) or IPC (`--node-ipc`), chosen by the arguments
 * vscode-languageclient or an editor passes. Simulations run in a worker thread; a newer one
 * terminates the older (cooperative checks are not needed: termination is immediate).
 */
export function startNodeServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const workerFile = join(__dirname, 'simulator-worker.js');
  startServer(connection, {
    checked: heapTrimmer(),
    makeHost: (overlay, root, virtualRoots) => new NodeFileHost(root, overlay, virtualRoots),
    simulate: (job, signal, progress) =>
      new Promise<SimulationOutcome>((resolve, reject) => {
        if (!existsSync(workerFile)) return reject(new Error(`the simulator worker ${workerFile} is missing`));
        const worker = new Worker(workerFile);
        let settled = false;
        const finish = (fn: () => void): void => {
          if (settled) return;
          settled = true;
          clearInterval(poll);
          void worker.terminate();
          fn();
        };
        const cancelled = (): Error => Object.assign(new Error('simulation cancelled by a newer run'), { name: 'Cancelled' });
        const poll = setInterval(() => { if (signal.cancelled) finish(() => reject(cancelled())); }, 10);
        worker.on('message', (m: { type: string; fraction?: number; message?: string; outcome?: SimulationOutcome }) => {
          if (m.type === 'progress') progress(m.fraction ?? 0, m.message ?? '');
          else if (m.type === 'result' && m.outcome) finish(() => resolve(m.outcome!));
          else if (m.type === 'error') finish(() => reject(new Error(m.message)));
        });
        worker.on('error', (e) => finish(() => reject(e)));
        worker.on('exit', (code) => finish(() => reject(signal.cancelled ? cancelled() : new Error(`simulator worker exited (${code})`))));
        worker.postMessage(job);
      }),
  });
}
