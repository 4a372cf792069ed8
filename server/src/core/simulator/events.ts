import type { EventOf } from '../model/events';
import type { Model, ScenarioEvent } from '../model/types';
import type { EventKind } from '../syntax/words';
import { evacuate, freeMemory, leastLoaded, newTally, startReplica, stopReplica, type MoveTally } from './deployment';
import { fmtSeconds, pct } from './format';
import type { PackedEvents } from './packed';
import type { EngineState } from './state';
import { burst } from './traffic';
import { vcpusFor } from './world';

/*
 * Scenario events, one EventModule per kind: everything the simulator does for a kind is
 * here. On one SDS a failure evacuates its node, a join makes the node usable, a scale event
 * starts or stops replicas, a load event adds or removes vCPUs; an event the SDS cannot hold
 * (memory) is not applied: the run stops before it. On packed targets (packed.ts) replicas
 * restart elsewhere or start and stop by the placement engine's rules.
 */

/** What the simulator does for one event kind. */
export interface EventModule<K extends EventKind> {
  /** The node the event brings into SDS `sds` over the run (world.ts), or null. */
  readonly joins: (e: EventOf<K>, sds: number) => number | null;
  /** Raises the most replicas and vCPUs per replica a container of the SDS has over the run (world.ts); `local`: model id -> index. */
  readonly grows: (model: Model, e: EventOf<K>, local: ReadonlyMap<number, number>, most: { readonly replicas: Int32Array; readonly vcpus: Int32Array }) => void;
  /** Applies it to one SDS's engine; false when the SDS cannot absorb it (the run stops). */
  readonly apply: (st: EngineState, e: EventOf<K>, tally: MoveTally) => boolean;
  /** Applies it to the packed targets (racks, node sets). */
  readonly pack: (packed: PackedEvents, e: EventOf<K>) => void;
  /** The node it takes down, or null (report.ts: nodes that failed). */
  readonly fails: (e: EventOf<K>) => number | null;
  /** What it acts on, as the result's `events[].target` names it. */
  readonly target: (model: Model, e: EventOf<K>) => string;
  /** The event as a T5xx diagnostic's `subject` names it. */
  readonly subject: (model: Model, e: EventOf<K>) => string;
  /** Why the run stopped before it; `why`: what the packed targets said (replicas that found no node). */
  readonly notAbsorbed: (model: Model, e: EventOf<K>, why: string | undefined) => string;
}

const noNode = (): null => null;
const nothing = (): void => undefined;

const fail: EventModule<'fail'> = {
  joins: noNode,
  grows: nothing,
  apply: (st, e, tally) => {
    const n = st.w.localOf.get(e.node);
    if (n === undefined || !st.w.alive[n]) return true;
    return evacuate(st.w, n, tally);
  },
  pack: (packed, e) => packed.fail(e),
  fails: (e) => e.node,
  target: (model, e) => model.nodes[e.node].ref,
  subject: (model, e) => `fail ${model.nodes[e.node].ref} at ${e.t}s`,
  notAbsorbed: (model, e, why) => `when ${model.nodes[e.node].ref} fails at ${fmtSeconds(e.t)}, ${why ?? 'the surviving nodes cannot hold its memory'}`,
};

const add: EventModule<'add'> = {
  joins: (e, sds) => (e.sds === sds ? e.node : null),
  grows: nothing,
  apply: (st, e) => {
    const n = st.w.localOf.get(e.node);
    if (n === undefined || e.sds !== st.w.sds) return true;
    st.w.alive[n] = 1;
    return true;
  },
  pack: nothing, // a spare joins an SDS: nothing packed changes
  fails: noNode,
  target: (model, e) => model.nodes[e.node].ref,
  subject: (model, e) => `add ${model.nodes[e.node].ref} to ${model.sdses[e.sds].name} at ${e.t}s`,
  notAbsorbed: (model, e) => `${model.nodes[e.node].ref} cannot join ${model.sdses[e.sds].name} at ${fmtSeconds(e.t)}`,
};

const scale: EventModule<'scale'> = {
  joins: noNode,
  grows: (_model, e, local, most) => {
    const i = local.get(e.container);
    if (i !== undefined) most.replicas[i] = Math.max(most.replicas[i], e.replicas);
  },
  apply: (st, e) => scaleReplicas(st, e),
  pack: (packed, e) => packed.scale(e),
  fails: noNode,
  target: (model, e) => model.containers[e.container].name,
  subject: (model, e) => `scale ${model.containers[e.container].name} to ${e.replicas} at ${e.t}s`,
  notAbsorbed: (model, e, why) => `scaling ${model.containers[e.container].name} to ${e.replicas} at ${fmtSeconds(e.t)} does not fit ${why ?? 'its target'}`,
};

const load: EventModule<'load'> = {
  joins: noNode,
  grows: (model, e, local, most) => {
    const i = local.get(e.container);
    if (i !== undefined) most.vcpus[i] = Math.max(most.vcpus[i], vcpusFor(model.containers[e.container].cpuLimit, e.load));
  },
  apply: (st, e) => changeLoad(st, e),
  pack: (packed, e) => packed.load(e.container, e.load),
  fails: noNode,
  target: (model, e) => model.containers[e.container].name,
  subject: (model, e) => `load ${model.containers[e.container].name} ${pct(e.load)} at ${e.t}s`,
  notAbsorbed: (model, e) => `the load change of ${model.containers[e.container].name} at ${fmtSeconds(e.t)} does not fit its target`,
};

/** Every kind's module: a new `EventKind` without one is a compile error here. */
const EVENT_MODULES: { readonly [K in EventKind]: EventModule<K> } = { fail, add, scale, load };

/** The module of an event kind (`eventModule(e.kind).apply(st, e, tally)`). */
export function eventModule<K extends EventKind>(kind: K): EventModule<K> {
  return EVENT_MODULES[kind];
}

/** Applies the events due before `tick`. False when one is not absorbed: the run stops. */
export function applyEvents(st: EngineState, tick: number): boolean {
  const events = st.cfg.events;
  while (st.nextEvent < events.length && events[st.nextEvent].tick <= tick) {
    const e = events[st.nextEvent];
    const tally = newTally();
    if (!applyEvent(st, e.event, tally)) {
      st.notAbsorbed.push(e.index);
      return false;
    }
    st.nextEvent++;
    st.eventsChanged = true;
    st.ctx.dirty.bands.fill(1);
    st.due.fill(0x7fffffff);
    st.regionActive.fill(1);
    st.regionDirty.fill(1);
    st.exact?.reconcile();
    const b = st.rec.bucketOf(Math.min(e.event.t, st.cfg.ticks * st.cfg.dt - 1e-9));
    st.rec.vcpuMoves[b] += tally.vcpuMoves;
    st.rec.chunkMoves[b] += tally.chunkMoves;
    st.rec.bytes[b] += tally.bytes;
    const f = tally.flows;
    for (let k = 0; k + 2 < f.length; k += 3) burst(st.rec, st.w.nodeId[f[k]], st.w.nodeId[f[k + 1]], f[k + 2]);
    st.hop = null;
  }
  return true;
}

export function applyEvent(st: EngineState, event: ScenarioEvent, tally: MoveTally): boolean {
  return eventModule(event.kind).apply(st, event, tally);
}

function scaleReplicas(st: EngineState, e: EventOf<'scale'>): boolean {
  const w = st.w;
  const c = w.cModel.indexOf(e.container);
  if (c < 0) return true;
  const before = w.cReplicas[c];
  const after = Math.min(e.replicas, w.cReplicasMax[c]);
  if (after > before) {
    let bytes = 0;
    for (let i = before; i < after; i++) {
      const r = w.cFirstReplica[c] + i;
      bytes += (w.regChunks[w.rPrivate[r]] + w.regChunks[w.rBulk[r]]) * w.chunkBytes;
    }
    if (bytes > freeMemory(w) + 1) return false;
    for (let i = before; i < after; i++) {
      const r = w.cFirstReplica[c] + i;
      startReplica(w, r, w.cVcpus[c], null);
      for (let j = 0; j < w.cVcpus[c]; j++) freshVcpu(st, w.rVcpu0[r] + j);
    }
  }
  for (let i = before - 1; i >= after; i--) stopReplica(w, w.cFirstReplica[c] + i);
  w.cReplicas[c] = after;
  return true;
}

function changeLoad(st: EngineState, e: EventOf<'load'>): boolean {
  const w = st.w;
  const c = w.cModel.indexOf(e.container);
  if (c < 0) return true;
  const next = Math.min(w.cVcpusMax[c], vcpusFor(w.model.containers[e.container].cpuLimit, e.load));
  const before = w.cVcpus[c];
  for (let i = 0; i < w.cReplicas[c]; i++) {
    const v0 = w.rVcpu0[w.cFirstReplica[c] + i];
    for (let j = before; j < next; j++) {
      const n = leastLoaded(w);
      w.vActive[v0 + j] = 1;
      w.vNode[v0 + j] = n;
      freshVcpu(st, v0 + j);
      if (n >= 0) w.vcpusOn[n]++;
    }
    for (let j = next; j < before; j++) {
      const v = v0 + j;
      if (w.vActive[v] && w.vNode[v] >= 0) w.vcpusOn[w.vNode[v]]--;
      w.vActive[v] = 0;
      w.vNode[v] = -1;
    }
  }
  w.cVcpus[c] = next;
  return true;
}

/** A vCPU that starts now: no history of stalls yet. */
function freshVcpu(st: EngineState, vcpu: number): void {
  st.w.vRate[vcpu] = st.cfg.rho;
  st.vStall[vcpu] = 0;
  st.vStallRemote[vcpu] = -1;
}
