// The web-worker entry of the language server (bundled to dist/server/browser.js), for the
// playground and VS Code for the Web. Same server; files are the open documents only, and
// simulations run inline in this worker between messages, with the same time budget.
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { startServer } from '../server/server';
import { MemoryHost } from '../core/host';
import { runSimulationJob } from '../server/simulationJob';
import { runAnalysisJob } from '../server/analysisJob';

declare const self: DedicatedWorkerGlobalScope;

/** Above this many lines the browser server does not size a file for its lenses (sizing would run inline). */
const BROWSER_SIZING_LINES = 2000;

const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
startServer(connection, {
  makeHost: (overlay, root) => new MemoryHost(overlay, root),
  simulate: (job, signal, progress) => runSimulationJob(job, new MemoryHost(new Map(job.overlay), job.workspaceRoot), {
    now: () => performance.now(),
    progress,
    isCancelled: () => signal.cancelled,
    between: async () => {
      await new Promise((r) => setTimeout(r, 0)); // let newer edits and cancellations in
      if (signal.cancelled) throw Object.assign(new Error('simulation cancelled by a newer run'), { name: 'Cancelled' });
    },
  }),
  // No threads here: the job runs after the messages already queued (edits, cancellations), then
  // whole, blocking the worker meanwhile; so large files are not sized in the background here.
  analyze: async (job, signal) => {
    await new Promise((r) => setTimeout(r, 0));
    if (signal.cancelled) throw Object.assign(new Error('sizing cancelled by a newer run'), { name: 'Cancelled' });
    const lines = job.overlay.find(([f]) => f === job.root)?.[1].split('\n').length ?? 0;
    if (job.kind === 'size' && lines > BROWSER_SIZING_LINES) return { kind: 'size', targets: null, reason: `not sized here: a file over ${BROWSER_SIZING_LINES} lines would block the editor in the browser (run topo size)` };
    return runAnalysisJob(job, (overlay) => new MemoryHost(overlay, job.workspaceRoot));
  },
});
