import type { ScenarioEvent } from '../model/types';
import { Rng } from './rng';
import * as W from './world';
import { vcpusFor, type World } from './world';

// local copies: imported bindings may be getters once bundled, too slow for the hot loop
const NO_NODE = W.NO_NODE;
const REGION_IO = W.REGION_IO;
const REGION_NET = W.REGION_NET;
const REGION_PRIVATE = W.REGION_PRIVATE;
const REGION_SHARED = W.REGION_SHARED;
const RING = W.RING;

/** Thrown when `isCancelled` says a newer run replaced this one. */
export class SimulationCancelled extends Error {
  readonly cancelled = true;
  constructor() {
    super('simulation cancelled');
  }
}

/** Real (cache-missing) memory accesses one busy vCPU issues per simulated second. */
export const ACCESSES_PER_VCPU_SECOND = 1e6;
/** Bytes of one remote access without moving anything (a cache line). */
export const LINE_BYTES = 64;
/** Bytes of processor state moved with a vCPU. */
export const VCPU_STATE_BYTES = 6400;

export interface EngineConfig {
  readonly seed: number;
  /** Seconds per simulated tick (possibly coarsened). */
  readonly tick: number;
  readonly ticks: number;
  /** Sampled accesses per running vCPU per tick. */
  readonly samples: number;
  /** Events with the tick they happen at. */
  readonly events: readonly { readonly tick: number; readonly event: ScenarioEvent }[];
  readonly fabricLatency: number;
  readonly fabricBandwidth: number;
  readonly rackLatency: Float64Array;
  readonly rackBandwidth: Float64Array;
  /** Number of timeline buckets and ticks per bucket. */
  readonly buckets: number;
  readonly ticksPerBucket: number;
  readonly isCancelled?: () => boolean;
  readonly onProgress?: (fraction: number) => void;
  /** Hook for packed containers: called after each event (their locality is analytic). */
  readonly onEvent?: (event: ScenarioEvent, tick: number) => void;
  /** Analytic locality of packed containers for this tick: [local, samples] added to the totals. */
  readonly packedSamples?: () => readonly [number, number];
}

export interface EngineStats {
  stallSeconds: number;
  /** Sampled accesses drawn in the hot loop. */
  sampled: number;
  vcpuMigrations: number;
  chunkMigrations: number;
  replications: number;
  networkBytes: number;
  /** Steady state (second half) per container. */
  readonly cLocal: Float64Array;
  readonly cSamples: Float64Array;
  readonly cStall: Float64Array;
  readonly cCompute: Float64Array;
  readonly cContended: Float64Array;
  /** Per edge (steady state) accesses to its shared region and how many were local. */
  readonly eLocal: Float64Array;
  readonly eSamples: Float64Array;
  /** Per container: steady-state moves of its vCPUs and chunks (thrash detection). */
  readonly cMoves: Float64Array;
  // per bucket
  readonly bLocal: Float64Array;
  readonly bSamples: Float64Array;
  readonly bVcpuMig: Float64Array;
  readonly bChunkMig: Float64Array;
  readonly bNet: Float64Array;
  readonly bNodeCpu: Float64Array;
  readonly bNodeMem: Float64Array;
  readonly bCLocal: Float64Array;
  readonly bCSamples: Float64Array;
  /** Per node: time-averaged busy cores. */
  readonly nodeBusy: Float64Array;
  /** Per event: whether it was absorbed (memory fitted). */
  readonly absorbed: boolean[];
  /** Steady-state locality (mean of per-tick locality over the second half). */
  steadyLocality: number;
  /** Per container, per edge sample counts are meaningful only when > 0. */
}

/** Runs one simulation over a built world. Mutates the world. */
export function runEngine(w: World, cfg: EngineConfig): EngineStats {
  const C = w.model.containers.length;
  const N = w.nodeCount;
  const B = cfg.buckets;
  const st: EngineStats = {
    stallSeconds: 0, sampled: 0, vcpuMigrations: 0, chunkMigrations: 0, replications: 0, networkBytes: 0,
    cLocal: new Float64Array(C), cSamples: new Float64Array(C), cStall: new Float64Array(C), cCompute: new Float64Array(C), cContended: new Float64Array(C),
    eLocal: new Float64Array(w.edges.length), eSamples: new Float64Array(w.edges.length), cMoves: new Float64Array(C),
    bLocal: new Float64Array(B), bSamples: new Float64Array(B), bVcpuMig: new Float64Array(B), bChunkMig: new Float64Array(B), bNet: new Float64Array(B),
    bNodeCpu: new Float64Array(B * N), bNodeMem: new Float64Array(B * N), bCLocal: new Float64Array(B * C), bCSamples: new Float64Array(B * C),
    nodeBusy: new Float64Array(N), absorbed: [], steadyLocality: 1,
  };
  const rng = new Rng(cfg.seed);
  const { owner, copies, meta, pinned, vNode, vActive, vReplica, vContainer, vLastMove, ring, ringPos } = w;
  const { nodeVcpus, nodeUsable, nodeMemUsed, nodeMemCap, nodeAlive, nodeRack, chunkSds, chunkBytes } = w;
  const { cRegOff, regP, regKind, regBase, regN, regTab, regEdge, regNode, tabOff, tabProb, tabAlias, rPrivBase, cWrites } = w;
  const policy = w.policy;
  const tick = cfg.tick;
  const S = cfg.samples;
  const perSample = (ACCESSES_PER_VCPU_SECOND * tick) / S;
  const hyst = Math.max(2, Math.round(0.05 / tick));
  const half = Math.floor(cfg.ticks / 2);

  const rackLatency = cfg.rackLatency;
  const rackBandwidth = cfg.rackBandwidth;
  const fabricLatency = cfg.fabricLatency;
  const fabricBandwidth = cfg.fabricBandwidth;
  const latency = (a: number, b: number): number => (a >= 0 && b >= 0 && nodeRack[a] === nodeRack[b] ? rackLatency[nodeRack[a]] : fabricLatency);
  const bandwidth = (a: number, b: number): number => (a >= 0 && b >= 0 && nodeRack[a] === nodeRack[b] ? rackBandwidth[nodeRack[a]] : fabricBandwidth);
  const cLocal = st.cLocal;
  const cSamples = st.cSamples;
  const bCLocal = st.bCLocal;
  const bCSamples = st.bCSamples;
  const eLocal = st.eLocal;
  const eSamples = st.eSamples;

  // ------------------------------------------------------------ helpers for placement
  const mostFree = (s: number, exclude: number): number => {
    let best = NO_NODE;
    let free = -Infinity;
    for (const n of w.sdsNodes[s]) {
      if (n === exclude || !nodeAlive[n]) continue;
      const f = nodeMemCap[n] - nodeMemUsed[n];
      if (f > free) { free = f; best = n; }
    }
    return best;
  };
  const leastLoaded = (s: number, exclude: number): number => {
    let best = NO_NODE;
    let load = Infinity;
    for (const n of w.sdsNodes[s]) {
      if (n === exclude || !nodeAlive[n] || nodeUsable[n] <= 0) continue;
      const l = (nodeVcpus[n] + 1) / nodeUsable[n];
      if (l < load) { load = l; best = n; }
    }
    return best;
  };
  /** First-touch: on `n` when it has room, else on the node with the most free memory. */
  const placeBytes = (s: number, n: number, bytes: number): number => {
    if (n >= 0 && nodeAlive[n] && nodeMemCap[n] - nodeMemUsed[n] >= bytes) return n;
    const m = mostFree(s, -1);
    return m >= 0 ? m : n;
  };
  const startReplica = (r: number, vcpus: number, initial: number[] | null): void => {
    const c = w.rContainer[r];
    const s = w.cSds[c];
    w.rActive[r] = 1;
    for (let j = 0; j < vcpus; j++) {
      const v = w.rVcpuBase[r] + j;
      const n = initial ? initial.shift() ?? leastLoaded(s, -1) : leastLoaded(s, -1);
      vActive[v] = 1;
      vNode[v] = n;
      if (n >= 0) nodeVcpus[n]++;
    }
    // first touch: the replica's vCPUs touch its chunks in turn
    const base = rPrivBase[r];
    const cb = chunkBytes[s];
    for (let j = 0; j < w.rPrivN[r]; j++) {
      const v = w.rVcpuBase[r] + (j % vcpus);
      const n = placeBytes(s, vNode[v], cb);
      owner[base + j] = n;
      if (n >= 0) nodeMemUsed[n] += cb;
    }
    spillBytes(r, s, vNode[w.rVcpuBase[r]], w.rBulk[r], -1);
  };
  /**
   * Allocates `bytes` of replica r's untouched memory: on `first` as far as it has room, the
   * rest on the nodes with the most free memory. Returns false when the SDS had no room left
   * (the remainder is then over-committed on the node with the most free memory).
   */
  const spillBytes = (r: number, s: number, first: number, bytes: number, exclude: number): boolean => {
    let left = bytes;
    if (first >= 0 && nodeAlive[first] && first !== exclude) {
      const take = Math.max(0, Math.min(left, nodeMemCap[first] - nodeMemUsed[first]));
      w.rBulkOn.add(r, first, take);
      nodeMemUsed[first] += take;
      left -= take;
    }
    for (let guard = 0; left > 0 && guard < w.sdsNodes[s].length + 1; guard++) {
      const n = mostFree(s, exclude);
      if (n < 0) return false;
      const room = nodeMemCap[n] - nodeMemUsed[n];
      const take = room > 0 ? Math.min(left, room) : left;
      w.rBulkOn.add(r, n, take);
      nodeMemUsed[n] += take;
      left -= take;
      if (room < take) return false;
    }
    return left <= 0;
  };
  const stopReplica = (r: number): void => {
    const s = w.cSds[w.rContainer[r]];
    w.rActive[r] = 0;
    for (let j = 0; j < w.rVcpuMax[r]; j++) {
      const v = w.rVcpuBase[r] + j;
      if (vActive[v] && vNode[v] >= 0) nodeVcpus[vNode[v]]--;
      vActive[v] = 0;
    }
    const base = rPrivBase[r];
    for (let j = 0; j < w.rPrivN[r]; j++) freeChunk(base + j, chunkBytes[s]);
    w.rBulkOn.clear(r, (n, b) => { nodeMemUsed[n] -= b; });
  };
  const dropCopies = (ch: number, cb: number): void => {
    for (let k = ch * 3; k < ch * 3 + 3; k++) {
      if (copies[k] >= 0) { nodeMemUsed[copies[k]] -= cb; copies[k] = NO_NODE; }
    }
  };
  const freeChunk = (ch: number, cb: number): void => {
    if (owner[ch] >= 0) nodeMemUsed[owner[ch]] -= cb;
    owner[ch] = NO_NODE;
    dropCopies(ch, cb);
  };

  // ------------------------------------------------------------ initial deployment
  // vCPUs dealt round-robin over each SDS's nodes weighted by usable cores (smooth weighted
  // round-robin), containers in declaration order; then memory by first touch.
  for (let s = 0; s < w.sdsNodes.length; s++) {
    const nodes = w.sdsNodes[s];
    const weights = nodes.map((n) => nodeUsable[n]);
    const total = weights.reduce((a, b) => a + b, 0);
    const current = nodes.map(() => 0);
    // Equal whole weights deal plain round-robin (what the loop below computes, in O(1) a vCPU
    // instead of O(nodes): a million vCPUs on a 2,000-node SDS took seconds).
    const even = nodes.length > 0 && total > 0 && weights.every((x) => x === weights[0] && Number.isInteger(x));
    let turn = 0;
    const deal = (): number => {
      if (nodes.length === 0) return NO_NODE;
      if (total <= 0) return nodes[0];
      if (even) return nodes[turn++ % nodes.length];
      let best = 0;
      for (let i = 0; i < nodes.length; i++) {
        current[i] += weights[i];
        if (current[i] > current[best]) best = i;
      }
      current[best] -= total;
      return nodes[best];
    };
    const order: number[] = [];
    for (let c = 0; c < C; c++) {
      if (w.cSds[c] !== s) continue;
      for (let i = 0; i < w.cReplicas[c]; i++) order.push(w.cFirstReplica[c] + i);
    }
    const dealt = order.map((r) => Array.from({ length: w.cVcpus[w.rContainer[r]] }, () => deal()));
    order.forEach((r, i) => startReplica(r, w.cVcpus[w.rContainer[r]], dealt[i]));
  }
  // shared regions: first touched by the declaring container's first vCPU; io buffers pinned
  for (const reg of w.sharedRegions) {
    const s = w.cSds[reg.from];
    const r0 = w.cFirstReplica[reg.from];
    const n0 = w.cReplicas[reg.from] > 0 ? vNode[w.rVcpuBase[r0]] : NO_NODE;
    for (let j = 0; j < reg.n; j++) {
      const n = placeBytes(s, n0, chunkBytes[s]);
      owner[reg.base + j] = n;
      if (n >= 0) nodeMemUsed[n] += chunkBytes[s];
    }
  }
  for (let k = 0; k < regKind.length; k++) {
    if (regKind[k] !== REGION_IO) continue;
    const ch = regBase[k];
    owner[ch] = regNode[k];
    nodeMemUsed[regNode[k]] += chunkBytes[chunkSds[ch]];
  }

  // ------------------------------------------------------------ events
  const evacuate = (f: number): boolean => {
    const s = w.nodeSds[f];
    let ok = true;
    nodeAlive[f] = 0;
    w.sdsNodes[s] = w.sdsNodes[s].filter((n) => n !== f);
    for (let v = 0; v < w.vcpuCount; v++) {
      if (!vActive[v] || vNode[v] !== f) continue;
      const n = leastLoaded(s, f);
      nodeVcpus[f]--;
      vNode[v] = n;
      if (n >= 0) {
        nodeVcpus[n]++;
        st.networkBytes += VCPU_STATE_BYTES;
        st.vcpuMigrations++;
      }
    }
    for (let ch = 0; ch < w.chunkCount; ch++) {
      const cb = chunkBytes[chunkSds[ch] < 0 ? 0 : chunkSds[ch]];
      for (let k = ch * 3; k < ch * 3 + 3; k++) if (copies[k] === f) { copies[k] = NO_NODE; nodeMemUsed[f] -= cb; }
      if (owner[ch] !== f) continue;
      const n = mostFree(s, f);
      if (n < 0 || nodeMemCap[n] - nodeMemUsed[n] < cb) ok = false;
      nodeMemUsed[f] -= cb;
      owner[ch] = n;
      if (n >= 0) nodeMemUsed[n] += cb;
      pinned[ch] = 0;
      st.networkBytes += cb;
      st.chunkMigrations++;
    }
    for (let r = 0; r < w.replicaCount; r++) {
      const b = w.rBulkOn.take(r, f);
      if (b <= 0) continue;
      nodeMemUsed[f] -= b;
      if (!spillBytes(r, s, -1, b, f)) ok = false;
      st.networkBytes += b;
    }
    nodeMemUsed[f] = 0;
    nodeVcpus[f] = 0;
    return ok;
  };
  const applyEvent = (e: ScenarioEvent, t: number): boolean => {
    switch (e.kind) {
      case 'fail':
        return w.nodeSds[e.node] >= 0 && nodeAlive[e.node] ? evacuate(e.node) : (nodeAlive[e.node] = 0, true);
      case 'add': {
        const n = e.node;
        const s = e.sds;
        if (w.nodeSds[n] < 0) {
          const sd = w.model.sdses[s];
          nodeUsable[n] = Math.max(0, w.model.nodes[n].cores - sd.reserveCores);
          nodeMemCap[n] = Math.max(0, w.model.nodes[n].memory - sd.reserveMemory);
        }
        w.nodeSds[n] = s;
        if (!nodeAlive[n]) { nodeAlive[n] = 1; w.sdsNodes[s].push(n); }
        return true;
      }
      case 'scale': {
        const c = e.container;
        if (w.cSds[c] < 0) { w.cReplicas[c] = e.replicas; return true; }
        const before = w.cReplicas[c];
        w.cReplicas[c] = Math.min(e.replicas, w.cMaxReplicas[c]);
        for (let i = before; i < w.cReplicas[c]; i++) startReplica(w.cFirstReplica[c] + i, w.cVcpus[c], null);
        for (let i = w.cReplicas[c]; i < before; i++) stopReplica(w.cFirstReplica[c] + i);
        return memoryFits(w.cSds[c]);
      }
      case 'load': {
        const c = e.container;
        const nv = vcpusFor(w.model.containers[c].cpuLimit, e.load);
        const before = w.cVcpus[c];
        w.cVcpus[c] = nv;
        if (w.cSds[c] < 0) return true;
        for (let i = 0; i < w.cReplicas[c]; i++) {
          const r = w.cFirstReplica[c] + i;
          for (let j = before; j < nv; j++) {
            const v = w.rVcpuBase[r] + j;
            const n = leastLoaded(w.cSds[c], -1);
            vActive[v] = 1;
            vNode[v] = n;
            if (n >= 0) nodeVcpus[n]++;
          }
          for (let j = nv; j < before; j++) {
            const v = w.rVcpuBase[r] + j;
            if (vActive[v] && vNode[v] >= 0) nodeVcpus[vNode[v]]--;
            vActive[v] = 0;
          }
        }
        void t;
        return true;
      }
    }
  };
  const memoryFits = (s: number): boolean => {
    for (const n of w.sdsNodes[s]) if (nodeMemUsed[n] > nodeMemCap[n] + 1) return false;
    return true;
  };

  // ------------------------------------------------------------ the ticks
  let ev = 0;
  const active: number[] = [];
  let activeV = new Int32Array(0);
  const rebuildActive = (): void => {
    active.length = 0;
    for (let v = 0; v < w.vcpuCount; v++) if (vActive[v] && vNode[v] >= 0) active.push(v);
    activeV = Int32Array.from(active);
  };
  rebuildActive();
  // the nodes of SDSes (ascending), for the per-tick node statistics: not every node of the file
  let sdsMembers: number[] = [];
  const rebuildMembers = (): void => {
    sdsMembers = [];
    for (let n = 0; n < N; n++) if (w.nodeSds[n] >= 0) sdsMembers.push(n);
  };
  rebuildMembers();
  let steadySum = 0;
  let steadyTicks = 0;
  const progressEvery = Math.max(1, Math.floor(cfg.ticks / 100));
  for (let t = 0; t < cfg.ticks; t++) {
    if (cfg.isCancelled && cfg.isCancelled()) throw new SimulationCancelled();
    const net0 = st.networkBytes;
    const vm0 = st.vcpuMigrations;
    const cm0 = st.chunkMigrations;
    let changed = false;
    while (ev < cfg.events.length && cfg.events[ev].tick <= t) {
      const e = cfg.events[ev++];
      st.absorbed.push(applyEvent(e.event, t));
      if (cfg.onEvent) cfg.onEvent(e.event, t);
      changed = true;
    }
    if (changed) { rebuildActive(); rebuildMembers(); }
    const steady = t >= half;
    const b = Math.min(B - 1, Math.floor(t / cfg.ticksPerBucket));
    let tickLocal = 0;
    let tickSamples = 0;
    const nv = activeV.length;
    st.sampled += nv * S;
    for (let i = 0; i < S; i++) {
      for (let q = 0; q < nv; q++) {
        const v = activeV[q];
        const c = vContainer[v];
        // pick the region
        const u = rng.float();
        let k = cRegOff[c];
        while (u >= regP[k]) k++;
        const kind = regKind[k];
        const a = vNode[v];
        if (kind === REGION_NET) {
          // traffic to a peer or device outside the SDS: never local, costs a network round trip
          const rn = regNode[k];
          const cost = perSample * (latency(a, rn) + LINE_BYTES / bandwidth(a, rn));
          st.stallSeconds += cost;
          st.networkBytes += perSample * LINE_BYTES;
          if (steady) { st.cStall[c] += cost; cSamples[c]++; if (regEdge[k] >= 0) eSamples[regEdge[k]]++; }
          else st.cStall[c] += cost;
          tickSamples++;
          bCSamples[b * C + c]++;
          continue;
        }
        const tb = tabOff[regTab[k]];
        const x = rng.float() * regN[k];
        const ix = x | 0;
        const rank = x - ix < tabProb[tb + ix] ? ix : tabAlias[tb + ix];
        const ch = (kind === REGION_PRIVATE ? rPrivBase[vReplica[v]] : regBase[k]) + rank;
        const write = rng.float() < cWrites[c];
        const o = owner[ch];
        let local = o === a;
        const ck = ch * 3;
        if (!write && !local) local = copies[ck] === a || copies[ck + 1] === a || copies[ck + 2] === a;
        if (write) {
          meta[ch * 4] = t;
          if (local && copies[ck] + copies[ck + 1] + copies[ck + 2] !== -3) {
            const cb = chunkBytes[chunkSds[ch]];
            dropCopies(ch, cb);
            st.networkBytes += LINE_BYTES;
          }
        }
        if (!local) stall(v, c, a, ch, o, write, t, steady);
        meta[ch * 4 + 2] = v;
        meta[ch * 4 + 3] = t;
        const rp = v * RING + ringPos[v];
        ring[rp] = owner[ch];
        ringPos[v] = (ringPos[v] + 1) & (RING - 1);
        if (local) tickLocal++;
        tickSamples++;
        if (steady) {
          cSamples[c]++;
          if (local) cLocal[c]++;
          if (kind === REGION_SHARED) {
            const e = regEdge[k];
            eSamples[e]++;
            if (local) eLocal[e]++;
          }
        }
        bCSamples[b * C + c]++;
        if (local) bCLocal[b * C + c]++;
      }
    }
    // compute time and contention
    for (let q = 0; q < nv; q++) {
      const v = activeV[q];
      const n = vNode[v];
      const c = vContainer[v];
      st.cCompute[c] += tick;
      st.cContended[c] += tick * Math.max(1, nodeVcpus[n] / Math.max(1e-9, nodeUsable[n]));
    }
    for (const n of sdsMembers) {
      const busy = nodeAlive[n] ? Math.min(nodeVcpus[n], nodeUsable[n]) : 0;
      st.nodeBusy[n] += busy / cfg.ticks;
      st.bNodeCpu[b * N + n] += busy / cfg.ticksPerBucket;
      st.bNodeMem[b * N + n] = nodeMemUsed[n];
    }
    if (cfg.packedSamples) {
      const [pl, ps] = cfg.packedSamples();
      tickLocal += pl;
      tickSamples += ps;
    }
    st.bLocal[b] += tickLocal;
    st.bSamples[b] += tickSamples;
    st.bVcpuMig[b] += st.vcpuMigrations - vm0;
    st.bChunkMig[b] += st.chunkMigrations - cm0;
    st.bNet[b] += st.networkBytes - net0;
    if (steady && tickSamples > 0) {
      // ticks where nothing runs (every node of the SDS failed) do not count
      steadySum += tickLocal / tickSamples;
      steadyTicks++;
    }
    if (cfg.onProgress && (t + 1) % progressEvery === 0) cfg.onProgress((t + 1) / cfg.ticks);
  }
  st.steadyLocality = steadyTicks > 0 ? steadySum / steadyTicks : 1;
  if (cfg.onProgress) cfg.onProgress(1);
  return st;

  // ------------------------------------------------------------ a stall: the policy decides
  function remote(c: number, a: number, b: number): void {
    const cost = perSample * (latency(a, b) + LINE_BYTES / bandwidth(a, b));
    st.stallSeconds += cost;
    st.cStall[c] += cost;
    st.networkBytes += perSample * LINE_BYTES;
  }
  function moveChunk(c: number, a: number, b: number, ch: number, cb: number, t: number, steady: boolean): void {
    const cost = latency(a, b) + cb / bandwidth(a, b);
    dropCopies(ch, cb);
    nodeMemUsed[b] -= cb;
    nodeMemUsed[a] += cb;
    owner[ch] = a;
    meta[ch * 4 + 1] = t;
    st.stallSeconds += cost;
    st.cStall[c] += cost;
    st.networkBytes += cb;
    st.chunkMigrations++;
    if (steady) st.cMoves[c]++;
  }
  function moveVcpu(v: number, c: number, a: number, b: number, t: number, steady: boolean): void {
    const cost = latency(a, b) + VCPU_STATE_BYTES / bandwidth(a, b);
    nodeVcpus[a]--;
    nodeVcpus[b]++;
    vNode[v] = b;
    vLastMove[v] = t;
    st.stallSeconds += cost;
    st.cStall[c] += cost;
    st.networkBytes += VCPU_STATE_BYTES;
    st.vcpuMigrations++;
    if (steady) st.cMoves[c]++;
  }
  function stall(v: number, c: number, a: number, ch: number, b: number, write: boolean, t: number, steady: boolean): void {
    const cb = chunkBytes[chunkSds[ch]];
    if (b < 0 || !nodeAlive[b]) {
      // an orphaned chunk (its node is gone and nothing took it): it comes to the vCPU
      owner[ch] = a;
      nodeMemUsed[a] += cb;
      return;
    }
    switch (policy) {
      case 'static':
        remote(c, a, b);
        return;
      case 'page':
        if (!pinned[ch] && nodeMemCap[a] - nodeMemUsed[a] >= cb) moveChunk(c, a, b, ch, cb, t, steady);
        else remote(c, a, b);
        return;
      case 'vcpu':
        moveVcpu(v, c, a, b, t, steady);
        return;
      case 'cost':
        costDecision(v, c, a, ch, b, write, t, cb, steady);
        return;
    }
  }

  /**
   * The `cost` policy: compares the benefit of moving the vCPU to the chunk with the benefit
   * of moving (or replicating) the chunk to the vCPU, in units of "accesses of the vCPU's
   * recent working set that become local", corrected for contention, memory pressure, sharing
   * and hysteresis. See docs/simulator.md.
   */
  function costDecision(v: number, c: number, a: number, ch: number, b: number, write: boolean, t: number, cb: number, steady: boolean): void {
    const roomA = nodeMemCap[a] - nodeMemUsed[a] >= cb;
    // (5) a read of a chunk that others read too and nobody wrote recently: replicate it,
    // the original stays (a chunk only this vCPU uses is better moved than copied)
    const other = meta[ch * 4 + 2];
    const sharedRead = other >= 0 && other !== v && vNode[other] !== a;
    if (!write && sharedRead && t - meta[ch * 4] > hyst && !pinned[ch] && roomA) {
      const ck = ch * 3;
      const slot = copies[ck] < 0 ? ck : copies[ck + 1] < 0 ? ck + 1 : copies[ck + 2] < 0 ? ck + 2 : -1;
      if (slot >= 0) {
        const cost = latency(a, b) + cb / bandwidth(a, b);
        copies[slot] = a;
        nodeMemUsed[a] += cb;
        st.stallSeconds += cost;
        st.cStall[c] += cost;
        st.networkBytes += cb;
        st.replications++;
        return;
      }
    }
    // (6) hysteresis: what moved within the window stays put
    const canChunk = !pinned[ch] && t - meta[ch * 4 + 1] > hyst && roomA;
    const canVcpu = t - vLastMove[v] > hyst && nodeUsable[b] > 0;
    if (!canChunk && !canVcpu) { remote(c, a, b); return; }
    // (1) the vCPU's recent working set: how much of it is on a and on b
    let onA = 0;
    let onB = 0;
    const r0 = v * RING;
    for (let i = 0; i < RING; i++) {
      const n = ring[r0 + i];
      if (n === a) onA++;
      else if (n === b) onB++;
    }
    let gainVcpu = onB - onA;
    let gainChunk = 1;
    // (2) a chunk another vCPU on b uses right now, and that is being written: pull to it
    if (other >= 0 && other !== v && vNode[other] === b && t - meta[ch * 4 + 3] <= hyst) {
      if (t - meta[ch * 4] <= hyst) { gainVcpu += RING / 4; gainChunk -= RING / 4; }
      else gainChunk -= 1;
    }
    // (3) CPU load: time-slicing on b costs, leaving an overloaded a helps
    const loadB = (nodeVcpus[b] + 1) / nodeUsable[b];
    const loadA = nodeVcpus[a] / Math.max(1e-9, nodeUsable[a]);
    if (loadB > 1) gainVcpu -= RING * (loadB - 1) * 2;
    if (loadA > 1) gainVcpu += RING * Math.min(1, loadA - 1) / 2;
    // (4) free memory on a: a nearly full node takes chunks reluctantly
    if (nodeMemUsed[a] > 0.95 * nodeMemCap[a]) gainChunk -= 2;
    if (canVcpu && gainVcpu > gainChunk && gainVcpu > 0) moveVcpu(v, c, a, b, t, steady);
    else if (canChunk && gainChunk > 0) moveChunk(c, a, b, ch, cb, t, steady);
    else remote(c, a, b);
  }
}
