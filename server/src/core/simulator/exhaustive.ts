import type { ScenarioEvent } from '../model/types';

/**
 * The `default:` of a switch over every event kind: `event` has type never there, so a kind the
 * switch leaves out is a compile error at that switch (and, should one reach it at run time
 * anyway, an error naming it rather than a silent guess).
 */
export function unknownEvent(event: never): never {
  throw new Error(`the simulator does not know the event kind ${(event as ScenarioEvent).kind}`);
}
