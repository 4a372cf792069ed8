import type { ScenarioEvent } from '../model/types';
import { evacuate, freeMemory, leastLoaded, newTally, startReplica, stopReplica, type MoveTally } from './deployment';
import type { EngineState } from './state';
import { unknownEvent } from './exhaustive';
import { vcpusFor } from './world';

/*
 * Scenario events on one SDS: a failure evacuates its node, a join makes the node usable, a
 * scale event starts or stops replicas, a load event adds or removes vCPUs. An event the SDS
 * cannot hold (memory) is not applied: the run stops before it.
 */

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
    st.hop = null;
  }
  return true;
}

export function applyEvent(st: EngineState, event: ScenarioEvent, tally: MoveTally): boolean {
  const w = st.w;
  switch (event.kind) {
    case 'fail': {
      const n = w.localOf.get(event.node);
      if (n === undefined || !w.alive[n]) return true;
      return evacuate(w, n, tally);
    }
    case 'add': {
      const n = w.localOf.get(event.node);
      if (n === undefined || event.sds !== w.sds) return true;
      w.alive[n] = 1;
      return true;
    }
    case 'scale': {
      const c = w.cModel.indexOf(event.container);
      if (c < 0) return true;
      const before = w.cReplicas[c];
      const after = Math.min(event.replicas, w.cReplicasMax[c]);
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
    case 'load': {
      const c = w.cModel.indexOf(event.container);
      if (c < 0) return true;
      const next = Math.min(w.cVcpusMax[c], vcpusFor(w.model.containers[event.container].cpuLimit, event.load));
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
    default:
      return unknownEvent(event);
  }
}

/** A vCPU that starts now: no history of stalls yet. */
function freshVcpu(st: EngineState, vcpu: number): void {
  st.w.vRate[vcpu] = st.cfg.rho;
  st.vStall[vcpu] = 0;
  st.vStallRemote[vcpu] = -1;
}
