import { checkProgram } from '../core/check';
import type { FileHost } from '../core/host';
import type { SimulationResult } from '../core/result';
import { relateToBase, simulate } from '../core/simulator/index';
import type { SimulationJob, SimulationOutcome } from './env';

/** What the host running a job provides: its clock, progress reports and cancellation. */
export interface JobHooks {
  now(): number;
  progress(fraction: number, message: string): void;
  /** Checked by the simulator between ticks. */
  isCancelled?(): boolean;
  /** Awaited before each run (a web worker lets newer edits and cancellations in); may throw to stop. */
  between?(): Promise<void>;
}

/**
 * Checks the job's file and simulates it: the base deployment and every scenario, or the one asked.
 * The time budget is shared among the runs as they go; each coarsens (T502) rather than overruns.
 * The same for the Node simulator worker and the browser server.
 */
export async function runSimulationJob(job: SimulationJob, host: FileHost, hooks: JobHooks): Promise<SimulationOutcome> {
  const check = checkProgram(job.root, host, { rootText: job.overlay.find(([f]) => f === job.root)?.[1] });
  const texts = new Map([...check.trees].map(([f, t]) => [f, t.text] as [string, string]));
  const names: (string | null)[] = job.all ? [null, ...check.model.scenarios.map((s) => s.name)] : [job.scenario];
  const runs: SimulationResult[] = [];
  const started = hooks.now();
  for (let i = 0; i < names.length; i++) {
    if (hooks.between) await hooks.between();
    const left = Math.max(50, job.budgetMs - (hooks.now() - started));
    runs.push(simulate(check.model, {
      scenario: names[i], policy: job.policy, defaultPolicy: job.defaultPolicy, seed: job.seed, texts, placement: check.placement,
      now: hooks.now, budgetMs: left / (names.length - i), isCancelled: hooks.isCancelled,
      onProgress: (f) => hooks.progress((i + f) / names.length, names[i] ?? 'base deployment'),
    }));
  }
  // a scenario's diagnostics name the scenario and, in related information, the base run's figure
  const related = job.all ? relateToBase(runs) : runs;
  return { result: related[0], runs: related, placement: check.placement };
}
