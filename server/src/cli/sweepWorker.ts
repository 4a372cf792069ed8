// A worker thread of `topo sweep --jobs N`: checks the file once, then simulates the runs it is
// sent, one at a time, and posts each run's line back (bundled to dist/sweep-worker.js).
import { parentPort, workerData } from 'node:worker_threads';
import { checkFileArg } from './program';
import { programDigest, programFiles, runJob, type SweepJob } from './sweepRuns';

/** What the main thread gives each worker. */
export interface SweepWorkerData {
  readonly path: string;
  readonly cwd: string;
}

const data = workerData as SweepWorkerData;
const quiet = (): void => {};
const result = checkFileArg({ out: quiet, err: quiet, cwd: data.cwd }, data.path);
// the main thread refuses lines of another version of the file (one changed during the sweep)
const digest = programDigest(programFiles(data.path, result).files);

parentPort?.on('message', (job: SweepJob) => {
  try {
    parentPort?.postMessage({ type: 'run', digest, line: runJob(result, job) });
  } catch (e) {
    parentPort?.postMessage({ type: 'error', index: job.index, message: e instanceof Error ? e.message : String(e) });
  }
});
