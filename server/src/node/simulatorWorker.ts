// A worker thread that checks and simulates one file, off the language server's main thread.
import { parentPort } from 'node:worker_threads';
import { NodeFileHost } from './fileHost';
import type { SimulationJob } from '../server/server';
import { runSimulationJob } from '../server/simulationJob';

parentPort?.on('message', (job: SimulationJob) => {
  const host = new NodeFileHost(job.workspaceRoot, new Map(job.overlay), job.virtualRoots);
  runSimulationJob(job, host, {
    now: () => performance.now(),
    progress: (fraction, message) => parentPort?.postMessage({ type: 'progress', fraction, message }),
  }).then(
    (outcome) => parentPort?.postMessage({ type: 'result', outcome }),
    (e: unknown) => parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
});
