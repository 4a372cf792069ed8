// A worker thread that checks and simulates one file, off the language server's main thread.
import { parentPort } from 'node:worker_threads';
import { checkProgram } from '../core/check';
import { simulate } from '../core/simulator/index';
import { NodeFileHost } from './fileHost';
import type { SimulationJob } from '../server/server';
import type { SimulationResult } from '../core/result';

parentPort?.on('message', (job: SimulationJob) => {
  try {
    const texts = new Map(job.overlay);
    const host = new NodeFileHost(job.workspaceRoot, texts, job.virtualRoots);
    const check = checkProgram(job.root, host, { rootText: texts.get(job.root) });
    const fileTexts = new Map<string, string>();
    for (const [f, t] of check.trees) fileTexts.set(f, t.text);
    const names: (string | null)[] = job.all ? [null, ...check.model.scenarios.map((s) => s.name)] : [job.scenario];
    const runs: SimulationResult[] = [];
    const started = performance.now();
    names.forEach((scenario, i) => {
      // Share the time budget among the runs; each one coarsens (T502) rather than overruns.
      const left = Math.max(50, job.budgetMs - (performance.now() - started));
      runs.push(simulate(check.model, {
        scenario, policy: job.policy, defaultPolicy: job.defaultPolicy, seed: job.seed, texts: fileTexts, placement: check.placement, now: () => performance.now(),
        budgetMs: left / (names.length - i),
        onProgress: (f) => parentPort?.postMessage({ type: 'progress', fraction: (i + f) / names.length, message: scenario ?? 'base deployment' }),
      }));
    });
    parentPort?.postMessage({ type: 'result', outcome: { result: runs[0], runs, placement: check.placement ?? null } });
  } catch (e) {
    parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
