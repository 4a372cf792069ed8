// The web-worker entry of the language server (bundled to dist/server/browser.js), for the
// playground and VS Code for the Web. Same server; files are the open documents only, and
// simulations run inline in this worker between messages, with the same time budget.
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { startServer } from '../server/server';
import { MemoryHost } from '../core/host';
import { checkProgram } from '../core/check';
import { simulate } from '../core/simulator/index';
import type { SimulationResult } from '../core/result';

declare const self: DedicatedWorkerGlobalScope;

const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
startServer(connection, {
  makeHost: (overlay, root) => new MemoryHost(overlay, root),
  simulate: async (job, signal, progress) => {
    const texts = new Map(job.overlay);
    const check = checkProgram(job.root, new MemoryHost(texts, job.workspaceRoot), { rootText: texts.get(job.root) });
    const fileTexts = new Map([...check.trees].map(([f, t]) => [f, t.text] as [string, string]));
    const names: (string | null)[] = job.all ? [null, ...check.model.scenarios.map((s) => s.name)] : [job.scenario];
    const runs: SimulationResult[] = [];
    for (let i = 0; i < names.length; i++) {
      await new Promise((r) => setTimeout(r, 0)); // let newer edits and cancellations in
      if (signal.cancelled) throw Object.assign(new Error('simulation cancelled by a newer run'), { name: 'Cancelled' });
      runs.push(simulate(check.model, {
        scenario: names[i], policy: job.policy, defaultPolicy: job.defaultPolicy, seed: job.seed, texts: fileTexts, placement: check.placement, now: () => performance.now(),
        budgetMs: job.budgetMs / names.length, isCancelled: () => signal.cancelled,
        onProgress: (f) => progress((i + f) / names.length, names[i] ?? 'base deployment'),
      }));
    }
    return { result: runs[0], runs, placement: check.placement ?? null };
  },
});
