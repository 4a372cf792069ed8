import type { EngineState } from './state';
import * as worldm from './world';
// local copies: imported bindings are getters once transpiled (tsx, some bundles), too slow for the hot loops
const ENTRY_NET = worldm.ENTRY_NET;
const ENTRY_PRIVATE = worldm.ENTRY_PRIVATE;

/*
 * Touch rates: how often each node touches each region (accesses per second, per side),
 * from where the vCPUs are and how fast they access memory. Everything the bands do in a tick
 * follows from them.
 */

/**
 * Touch rates of every region from every node this tick (kind 0: the vCPUs' rates; kind 1:
 * the rates they would have serving every access that is not local remotely), split by the
 * share of the tick each vCPU spent on each node.
 */
export function computeRates(st: EngineState, kind: number): void {
  const { w } = st;
  const t = w.slots;
  for (let g = 0; g < w.regionCount; g++) {
    const cap = t.cap[g];
    const base = t.rateAt(g, kind, 0, 0);
    for (let i = 0; i < 2 * cap; i++) t.rate[base + i] = 0;
  }
  const rates = kind === 0 ? w.vRate : st.vRateRemote;
  const perNode = st.nodeAcc;
  for (let r = 0; r < w.replicaCount; r++) {
    if (!w.rActive[r]) continue;
    const nv = w.cVcpus[w.rContainer[r]];
    const v0 = w.rVcpu0[r];
    // the replica's vCPUs summed per node first: one pass over its regions per node
    const mark = ++st.stampValue;
    const stamp = st.stamp;
    const list = st.nodeList;
    let count = 0;
    for (let j = 0; j < nv; j++) {
      const v = v0 + j;
      if (!w.vActive[v]) continue;
      const rate = rates[v];
      const from = st.vFrom[v];
      const at = kind === 0 ? st.vAt[v] : 1;
      if (from >= 0 && at > 0) {
        if (stamp[from] !== mark) { stamp[from] = mark; perNode[from] = 0; list[count++] = from; }
        perNode[from] += rate * at;
      }
      const to = w.vNode[v];
      if (kind === 0 && at < 1 && to >= 0) {
        if (stamp[to] !== mark) { stamp[to] = mark; perNode[to] = 0; list[count++] = to; }
        perNode[to] += rate * (1 - at);
      }
    }
    for (let i = 0; i < count; i++) addReplicaRates(st, r, st.nodeList[i], perNode[st.nodeList[i]], kind);
  }
  if (kind === 0) noteRateChanges(st);
}

export function addRates(st: EngineState, vcpu: number, node: number, rate: number, kind: number): void {
  addReplicaRates(st, st.w.vReplica[vcpu], node, rate, kind);
}

export function addReplicaRates(st: EngineState, replica: number, node: number, rate: number, kind: number): void {
  const { w } = st;
  const t = w.slots;
  const c = w.rContainer[replica];
  const end = w.cEntryOff[c] + w.cEntryCount[c];
  for (let e = w.cEntryOff[c]; e < end; e++) {
    const kindOf = w.entKind[e];
    if (kindOf === ENTRY_NET) continue;
    const g = kindOf === ENTRY_PRIVATE ? w.rPrivate[replica] : w.entRegion[e];
    const s = t.ensure(g, node);
    t.rate[t.rateAt(g, kind, w.entSide[e], s)] += rate * w.entProb[e];
  }
}

/** Relative change of a touch rate below which a region's bands are not prepared again. */
export const RATE_TOLERANCE = 1e-3;

/** Marks the regions whose touch rates (kind 0) or slots changed since their bands were last prepared. */
export function noteRateChanges(st: EngineState): void {
  const t = st.w.slots;
  if (st.lastRates.length < t.rate.length) st.lastRates = new Float64Array(t.rate.length);
  const last = st.lastRates;
  for (let g = 0; g < st.w.regionCount; g++) {
    const base = t.rateAt(g, 0, 0, 0);
    const n = 2 * t.cap[g];
    let changed = st.regionSeen[g] !== t.version[g];
    for (let i = 0; i < n && !changed; i++) {
      const x = t.rate[base + i];
      const y = last[base + i];
      // a change of less than RATE_TOLERANCE (relative) leaves the region's bands as they were prepared
      if (Math.abs(x - y) > RATE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y))) changed = true;
    }
    st.regionSeen[g] = t.version[g];
    if (changed) {
      st.regionDirty[g] = 1;
      st.regionActive[g] = 1;
      for (let i = 0; i < n; i++) last[base + i] = t.rate[base + i];
    }
  }
}
