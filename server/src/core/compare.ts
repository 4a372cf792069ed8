// "Compare policies": simulate the same file under each policy in turn and collect the results,
// for the extension's command, the playground's comparison view and the CLI's `simulate --compare`.
import type { Policy } from './model/types';
import { POLICIES } from './syntax/schema';

export type Comparison<R> = Partial<Record<Policy, R>>;

export interface CompareHooks<R> {
  /** Policies already simulated (their results are in `initial`): not run again. */
  readonly skip?: readonly Policy[];
  readonly initial?: Comparison<R>;
  /** Asked before each run: true stops the comparison (cancelled, superseded); the results so far are returned. */
  stop?(): boolean | Promise<boolean>;
  /** Before a run: its place among the runs to do. */
  starting?(policy: Policy, index: number, count: number): void;
  /** A run that threw: it is left out and the others go on. */
  failed?(policy: Policy, error: unknown): void;
  /** After each run, with the results so far (a run that gave null is not among them); `last` for the final one. */
  ran?(policy: Policy, results: Comparison<R>, last: boolean): void;
}

/** Runs each policy (in POLICIES order, less `skip`) and returns the results by policy; a run that gives null or throws is left out. */
export async function comparePolicies<R>(run: (policy: Policy) => Promise<R | null> | R | null, hooks: CompareHooks<R> = {}): Promise<Comparison<R>> {
  const results: Comparison<R> = { ...hooks.initial };
  const todo = POLICIES.filter((p) => !hooks.skip?.includes(p));
  for (const [i, policy] of todo.entries()) {
    if (await hooks.stop?.()) break;
    hooks.starting?.(policy, i, todo.length);
    try {
      const r = await run(policy);
      if (r !== null) results[policy] = r;
    } catch (e) {
      hooks.failed?.(policy, e);
      continue;
    }
    hooks.ran?.(policy, { ...results }, i === todo.length - 1);
  }
  return results;
}
