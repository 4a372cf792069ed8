import type { EventKind } from '../syntax/words';
import { formatDuration, formatPercent } from './units';
import type { Model, ScenarioEvent } from './types';

/**
 * What each scenario event kind carries besides its time and place, and how it reads in prose
 * (a scenario's hover). A new `EventKind` (syntax/words.ts) must get an entry in both; the
 * binder reads it (model/binder.ts, `eventReaders`) and the simulator runs it
 * (simulator/events.ts, `EVENT_MODULES`).
 */
interface Fields {
  readonly fail: { readonly node: number };
  readonly add: { readonly node: number; readonly sds: number };
  readonly scale: { readonly container: number; readonly replicas: number };
  readonly load: { readonly container: number; readonly load: number };
}
export type EventFields = { readonly [K in EventKind]: Fields[K] };

/** The event of kind K. */
export type EventOf<K extends EventKind> = Extract<ScenarioEvent, { readonly kind: K }>;

/** One line of a scenario's hover per event, after its time: `` `r1.n1` fails ``. */
const PROSE: { readonly [K in EventKind]: (model: Model, e: EventOf<K>) => string } = {
  fail: (model, e) => `\`${model.nodes[e.node]?.ref}\` fails`,
  add: (model, e) => `\`${model.nodes[e.node]?.ref}\` joins \`${model.sdses[e.sds]?.name}\``,
  scale: (model, e) => `\`${model.containers[e.container]?.name}\` scales to ${e.replicas}`,
  load: (model, e) => `\`${model.containers[e.container]?.name}\` load ${formatPercent(e.load)}`,
};

function proseOf<K extends EventKind>(kind: K): (model: Model, e: EventOf<K>) => string {
  return PROSE[kind];
}

/** `- 5s: `r1.n1` fails`: an event as a scenario's hover lists it. */
export function describeEvent(model: Model, e: ScenarioEvent): string {
  return `- ${formatDuration(e.t)}: ${proseOf(e.kind)(model, e)}`;
}
