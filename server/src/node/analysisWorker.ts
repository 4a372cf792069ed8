// A worker thread that sizes a file or compares two versions of it (the sizing lenses, "Compare
// with HEAD"), off the language server's main thread: the server terminates it when an edit
// makes its work stale.
import { parentPort } from 'node:worker_threads';
import { NodeFileHost } from './fileHost';
import type { AnalysisJob } from '../server/env';
import { runAnalysisJob } from '../server/analysisJob';

parentPort?.on('message', (job: AnalysisJob) => {
  try {
    const outcome = runAnalysisJob(job, (overlay) => new NodeFileHost(job.workspaceRoot, overlay, job.virtualRoots));
    parentPort?.postMessage({ type: 'result', outcome });
  } catch (e) {
    parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
