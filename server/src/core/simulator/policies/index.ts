import type { Policy } from '../../model/types';
import { costPolicy } from './cost';
import { pagePolicy } from './page';
import { staticPolicy } from './static';
import type { PolicyModule } from './types';
import { vcpuPolicy } from './vcpu';

/** Every policy of the language, each in its own module: a new policy fails to compile until it has one. */
export const POLICY_MODULES: Readonly<Record<Policy, PolicyModule>> = {
  static: staticPolicy,
  page: pagePolicy,
  vcpu: vcpuPolicy,
  cost: costPolicy,
};

export type { ExactMiss, Outcome, PolicyModule } from './types';
export { EXACT_CAPTURE, EXACT_COPY, EXACT_MOVE_VCPU, EXACT_REMOTE, newOutcome } from './types';
