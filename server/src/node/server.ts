import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { startServer, type AnalysisOutcome, type SimulationOutcome } from '../server/server';
import { NodeFileHost } from './fileHost';
import { heapTrimmer } from './heap';

interface WorkerMessage<T> {
  readonly type: string;
  readonly fraction?: number;
  readonly message?: string;
  readonly outcome?: T;
}

/**
 * Runs one job in a fresh worker thread and resolves with its outcome; `signal.cancelled` (polled)
 * terminates the worker at once and rejects with an Error named 'Cancelled'.
 */
function inWorker<T>(workerFile: string, job: unknown, signal: { cancelled: boolean }, what: string, progress?: (fraction: number, message: string) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (!existsSync(workerFile)) return reject(new Error(`the ${what} worker ${workerFile} is missing`));
    const worker = new Worker(workerFile);
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      void worker.terminate();
      fn();
    };
    const cancelled = (): Error => Object.assign(new Error(`${what} cancelled by a newer run`), { name: 'Cancelled' });
    const poll = setInterval(() => { if (signal.cancelled) finish(() => reject(cancelled())); }, 10);
    worker.on('message', (m: WorkerMessage<T>) => {
      if (m.type === 'progress') progress?.(m.fraction ?? 0, m.message ?? '');
      else if (m.type === 'result' && m.outcome) finish(() => resolve(m.outcome!));
      else if (m.type === 'error') finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(signal.cancelled ? cancelled() : new Error(`${what} worker exited (${code})`))));
    worker.postMessage(job);
  });
}

/**
 * The Node language server: stdio (`--stdio`) or IPC (`--node-ipc`), chosen by the arguments
 * vscode-languageclient or an editor passes. Simulations, sizing and comparisons run in worker
 * threads; a newer one terminates the older (termination is immediate).
 */
export function startNodeServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const simulatorFile = join(__dirname, 'simulator-worker.js');
  const analysisFile = join(__dirname, 'analysis-worker.js');
  startServer(connection, {
    checked: heapTrimmer(),
    makeHost: (overlay, root, virtualRoots) => new NodeFileHost(root, overlay, virtualRoots),
    simulate: (job, signal, progress) => inWorker<SimulationOutcome>(simulatorFile, job, signal, 'simulation', progress),
    analyze: (job, signal) => inWorker<AnalysisOutcome>(analysisFile, job, signal, job.kind === 'size' ? 'sizing' : 'comparison'),
  });
}
