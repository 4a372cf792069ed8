import type { Model, Policy, ScenarioEvent } from '../model/types';
import { SamplerCache } from './sampler';

/**
 * The simulated world of software-defined servers, flattened into typed arrays: nodes, chunks,
 * vCPUs, replicas and the per-container table of regions that accesses are drawn from.
 * Built once per run (sizes cover every replica and vCPU any scenario event may start).
 */

export const RING = 16;
export const NO_NODE = -1;

/** Region kinds a container's access can go to. */
export const REGION_PRIVATE = 0;
export const REGION_SHARED = 1;
export const REGION_IO = 2;
/** Traffic to a peer or device outside this SDS: always over the network. */
export const REGION_NET = 3;

export interface WorldLimits {
  /** Upper bound on the number of chunks; larger working sets get larger chunks. */
  readonly maxChunks: number;
}

export interface SharedRegion {
  readonly from: number;
  readonly to: number;
  readonly base: number;
  readonly n: number;
}

export interface World {
  readonly model: Model;
  readonly policy: Policy;
  /** Bytes per chunk actually simulated (granularity, possibly coarsened). Per SDS. */
  readonly chunkBytes: Float64Array;
  /** Multiplier applied to each SDS's granularity (1 when not coarsened). */
  readonly chunkScale: Int32Array;
  // nodes
  readonly nodeCount: number;
  readonly nodeSds: Int32Array;
  readonly nodeAlive: Uint8Array;
  readonly nodeUsable: Float64Array;
  readonly nodeMemCap: Float64Array;
  readonly nodeMemUsed: Float64Array;
  readonly nodeVcpus: Int32Array;
  readonly nodeRack: Int32Array;
  readonly sdsNodes: number[][];
  // chunks
  readonly chunkCount: number;
  readonly chunkSds: Int32Array;
  readonly owner: Int32Array;
  /** Up to 3 read copies per chunk (besides the owner), -1 when empty. */
  readonly copies: Int32Array;
  /**
   * Per chunk, 4 ints side by side (one cache line for what the hot loop reads together):
   * last write tick, last move tick, last vCPU that touched it, tick of that touch.
   */
  readonly meta: Int32Array;
  readonly pinned: Uint8Array;
  // replicas (SDS containers only)
  readonly replicaCount: number;
  readonly rContainer: Int32Array;
  readonly rIndex: Int32Array;
  readonly rActive: Uint8Array;
  readonly rPrivBase: Int32Array;
  readonly rPrivN: Int32Array;
  /** Bytes allocated beyond the working set, and how many of them are on which node. */
  readonly rBulk: Float64Array;
  readonly rBulkOn: BulkPlacement;
  /** First vCPU of each replica; vCPUs of a replica are contiguous. */
  readonly rVcpuBase: Int32Array;
  readonly rVcpuMax: Int32Array;
  // vCPUs
  readonly vcpuCount: number;
  readonly vNode: Int32Array;
  readonly vActive: Uint8Array;
  readonly vReplica: Int32Array;
  readonly vContainer: Int32Array;
  readonly vLastMove: Int32Array;
  readonly ring: Int32Array;
  readonly ringPos: Uint8Array;
  // containers
  readonly cSds: Int32Array;
  readonly cFirstReplica: Int32Array;
  readonly cMaxReplicas: Int32Array;
  readonly cReplicas: Int32Array;
  readonly cVcpus: Int32Array;
  readonly cWrites: Float64Array;
  readonly cRegOff: Int32Array;
  readonly cRegCount: Int32Array;
  // regions (flattened; PRIVATE rows have base -1: the replica's own region is used)
  readonly regP: Float64Array;
  readonly regKind: Uint8Array;
  readonly regBase: Int32Array;
  readonly regN: Int32Array;
  readonly regTab: Int32Array;
  /** Index into `edges` for SHARED and NET-to-peer rows, -1 otherwise. */
  readonly regEdge: Int32Array;
  /** For NET rows: the remote node used for the cost (-1: the fabric). */
  readonly regNode: Int32Array;
  // samplers, flattened alias tables
  readonly tabOff: Int32Array;
  readonly tabProb: Float64Array;
  readonly tabAlias: Int32Array;
  /** `talks` declarations, declaration order: from, to, weight. */
  readonly edges: readonly { readonly from: number; readonly to: number; readonly weight: number }[];
  readonly sharedRegions: readonly SharedRegion[];
}

export function vcpusFor(cpuLimit: number, load: number): number {
  return Math.max(1, Math.ceil(cpuLimit * load - 1e-9));
}

/** The working set of one replica, bytes (the file's `workingset`, else the memory request). */
export function workingSetOf(model: Model, c: number): number {
  const k = model.containers[c];
  const ws = k.workingSet > 0 ? k.workingSet : k.memoryRequest > 0 ? k.memoryRequest : k.memoryLimit;
  return Math.max(1, ws);
}

export function sdsOfContainer(model: Model, c: number): number {
  const t = model.containers[c].target;
  return t && t.kind === 'sds' ? t.sds : -1;
}

/**
 * Where each replica's memory beyond its working set lies: per replica, a short list of
 * (node, bytes) kept in node order (first touch puts it on one node, spilling on a few more).
 * A dense replicas x nodes table was 8 GB for a million replicas in a file of a thousand nodes.
 */
export class BulkPlacement {
  private node = new Int32Array(0);
  private bytes = new Float64Array(0);
  private next = new Int32Array(0);
  private free = -1;
  private used = 0;
  private readonly head: Int32Array;

  constructor(replicas: number) {
    this.head = new Int32Array(replicas).fill(-1);
  }

  /** Adds bytes of replica r on node n. */
  add(r: number, n: number, b: number): void {
    let prev = -1;
    let e = this.head[r];
    while (e >= 0 && this.node[e] < n) { prev = e; e = this.next[e]; }
    if (e >= 0 && this.node[e] === n) { this.bytes[e] += b; return; }
    const x = this.alloc();
    this.node[x] = n;
    this.bytes[x] = b;
    this.next[x] = e;
    if (prev < 0) this.head[r] = x;
    else this.next[prev] = x;
  }

  /** Removes replica r's bytes on node n and returns them (0 when none). */
  take(r: number, n: number): number {
    let prev = -1;
    for (let e = this.head[r]; e >= 0; prev = e, e = this.next[e]) {
      if (this.node[e] !== n) continue;
      const b = this.bytes[e];
      if (prev < 0) this.head[r] = this.next[e];
      else this.next[prev] = this.next[e];
      this.release(e);
      return b;
    }
    return 0;
  }

  /** Calls fn for each node of replica r with its bytes, in node order. */
  forEach(r: number, fn: (n: number, b: number) => void): void {
    for (let e = this.head[r]; e >= 0; e = this.next[e]) fn(this.node[e], this.bytes[e]);
  }

  /** Empties replica r's list, calling fn for each entry first. */
  clear(r: number, fn: (n: number, b: number) => void): void {
    for (let e = this.head[r]; e >= 0;) {
      const after = this.next[e];
      fn(this.node[e], this.bytes[e]);
      this.release(e);
      e = after;
    }
    this.head[r] = -1;
  }

  private alloc(): number {
    if (this.free >= 0) {
      const x = this.free;
      this.free = this.next[x];
      return x;
    }
    if (this.used === this.node.length) {
      const size = Math.max(64, this.node.length * 2);
      const node = new Int32Array(size);
      node.set(this.node);
      const bytes = new Float64Array(size);
      bytes.set(this.bytes);
      const next = new Int32Array(size);
      next.set(this.next);
      this.node = node;
      this.bytes = bytes;
      this.next = next;
    }
    return this.used++;
  }

  private release(e: number): void {
    this.next[e] = this.free;
    this.free = e;
  }
}

export function buildWorld(model: Model, policy: Policy, events: readonly ScenarioEvent[], limits: WorldLimits): World {
  const N = model.nodes.length;
  const C = model.containers.length;
  const S = model.sdses.length;

  // nodes: SDS members are alive when active; spares and `add`ed nodes join on their event
  const nodeSds = new Int32Array(N).fill(-1);
  const nodeAlive = new Uint8Array(N);
  const nodeUsable = new Float64Array(N);
  const nodeMemCap = new Float64Array(N);
  const nodeRack = new Int32Array(N);
  const sdsNodes: number[][] = model.sdses.map(() => []);
  for (const n of model.nodes) nodeRack[n.id] = n.rack;
  for (const s of model.sdses) {
    for (const id of s.nodes) {
      const n = model.nodes[id];
      nodeSds[id] = s.id;
      nodeUsable[id] = Math.max(0, n.cores - s.reserveCores);
      nodeMemCap[id] = Math.max(0, n.memory - s.reserveMemory);
      if (n.role === 'active') {
        nodeAlive[id] = 1;
        sdsNodes[s.id].push(id);
      }
    }
  }
  for (const n of model.nodes) if (n.sds === null) { nodeUsable[n.id] = n.cores; nodeMemCap[n.id] = n.memory; }

  // maximum replicas and vCPUs per container over the scenario
  const cSds = new Int32Array(C).fill(-1);
  const cMaxReplicas = new Int32Array(C);
  const cReplicas = new Int32Array(C);
  const cVcpus = new Int32Array(C);
  const maxVcpus = new Int32Array(C);
  for (const k of model.containers) {
    cSds[k.id] = sdsOfContainer(model, k.id);
    cReplicas[k.id] = Math.max(0, k.replicas);
    cMaxReplicas[k.id] = Math.max(0, k.replicas);
    cVcpus[k.id] = vcpusFor(k.cpuLimit, k.load);
    maxVcpus[k.id] = cVcpus[k.id];
  }
  for (const e of events) {
    if (e.kind === 'scale') cMaxReplicas[e.container] = Math.max(cMaxReplicas[e.container], e.replicas);
    if (e.kind === 'load') maxVcpus[e.container] = Math.max(maxVcpus[e.container], vcpusFor(model.containers[e.container].cpuLimit, e.load));
  }

  // edges and shared-region sizes (weight x smaller working set, part of both working sets)
  const edges: { from: number; to: number; weight: number }[] = [];
  for (const k of model.containers) for (const t of k.talks) edges.push({ from: k.id, to: t.container, weight: t.weight });
  const sharedBytes = new Float64Array(C);
  for (const e of edges) {
    if (cSds[e.from] < 0 || cSds[e.from] !== cSds[e.to] || e.from === e.to) continue;
    const b = e.weight * Math.min(workingSetOf(model, e.from), workingSetOf(model, e.to));
    sharedBytes[e.from] += b;
    sharedBytes[e.to] += b;
  }

  // chunk size per SDS, coarsened until the chunk count fits
  const chunkScale = new Int32Array(S).fill(1);
  const chunkBytes = new Float64Array(S);
  for (const s of model.sdses) chunkBytes[s.id] = Math.max(4096, s.granularity);
  const countChunks = (): number => {
    let total = 0;
    for (let c = 0; c < C; c++) {
      const s = cSds[c];
      if (s < 0) continue;
      const priv = Math.max(chunkBytes[s], workingSetOf(model, c) - sharedBytes[c]);
      total += cMaxReplicas[c] * Math.ceil(priv / chunkBytes[s]);
      total += model.containers[c].io.length;
    }
    for (const e of edges) {
      const s = cSds[e.from];
      if (s < 0 || s !== cSds[e.to] || e.from === e.to) continue;
      total += Math.max(1, Math.ceil((e.weight * Math.min(workingSetOf(model, e.from), workingSetOf(model, e.to))) / chunkBytes[s]));
    }
    return total;
  };
  let total = countChunks();
  while (total > limits.maxChunks) {
    for (let s = 0; s < S; s++) { chunkScale[s] *= 2; chunkBytes[s] *= 2; }
    const next = countChunks();
    if (next >= total) {
      // Every region is one chunk already (a chunk per replica at least): larger chunks change nothing.
      for (let s = 0; s < S; s++) { chunkScale[s] /= 2; chunkBytes[s] /= 2; }
      break;
    }
    total = next;
  }

  const owner = new Int32Array(total).fill(NO_NODE);
  const chunkSds = new Int32Array(total).fill(-1);
  const copies = new Int32Array(total * 3).fill(NO_NODE);
  const meta = new Int32Array(total * 4).fill(-1 << 30);
  for (let i = 0; i < total; i++) meta[i * 4 + 2] = -1;
  const pinned = new Uint8Array(total);

  // replicas and vCPUs
  let R = 0;
  let V = 0;
  const cFirstReplica = new Int32Array(C).fill(-1);
  for (let c = 0; c < C; c++) {
    if (cSds[c] < 0) continue;
    cFirstReplica[c] = R;
    R += cMaxReplicas[c];
    V += cMaxReplicas[c] * maxVcpus[c];
  }
  const rContainer = new Int32Array(R);
  const rIndex = new Int32Array(R);
  const rActive = new Uint8Array(R);
  const rPrivBase = new Int32Array(R);
  const rPrivN = new Int32Array(R);
  const rBulk = new Float64Array(R);
  const rBulkOn = new BulkPlacement(R);
  const rVcpuBase = new Int32Array(R);
  const rVcpuMax = new Int32Array(R);
  const vNode = new Int32Array(V).fill(NO_NODE);
  const vActive = new Uint8Array(V);
  const vReplica = new Int32Array(V);
  const vContainer = new Int32Array(V);
  const vLastMove = new Int32Array(V).fill(-1 << 30);
  const ring = new Int32Array(V * RING).fill(NO_NODE);
  const ringPos = new Uint8Array(V);

  let next = 0;
  let r = 0;
  let v = 0;
  for (let c = 0; c < C; c++) {
    const s = cSds[c];
    if (s < 0) continue;
    const k = model.containers[c];
    const ws = workingSetOf(model, c);
    const priv = Math.max(chunkBytes[s], ws - sharedBytes[c]);
    const n = Math.ceil(priv / chunkBytes[s]);
    for (let i = 0; i < cMaxReplicas[c]; i++, r++) {
      rContainer[r] = c;
      rIndex[r] = i;
      rPrivBase[r] = next;
      rPrivN[r] = n;
      for (let j = 0; j < n; j++) chunkSds[next + j] = s;
      next += n;
      rBulk[r] = Math.max(0, (k.memoryRequest > 0 ? k.memoryRequest : k.memoryLimit) - ws);
      rVcpuBase[r] = v;
      rVcpuMax[r] = maxVcpus[c];
      for (let j = 0; j < maxVcpus[c]; j++, v++) {
        vReplica[v] = r;
        vContainer[v] = c;
      }
    }
  }

  // region tables per container
  const cache = new SamplerCache();
  const tables: { prob: Float64Array; alias: Int32Array }[] = [];
  const tableIndex = new Map<unknown, number>();
  const tableOf = (n: number, skew: number): number => {
    const t = cache.get(n, skew);
    let i = tableIndex.get(t);
    if (i === undefined) {
      i = tables.length;
      tables.push(t);
      tableIndex.set(t, i);
    }
    return i;
  };
  type Row = { p: number; kind: number; base: number; n: number; tab: number; edge: number; node: number };
  const rows: Row[][] = [];
  const sharedRegions: SharedRegion[] = [];
  const sharedOfEdge = new Int32Array(edges.length).fill(-1);
  edges.forEach((e, i) => {
    const s = cSds[e.from];
    if (s < 0 || s !== cSds[e.to] || e.from === e.to) return;
    const n = Math.max(1, Math.ceil((e.weight * Math.min(workingSetOf(model, e.from), workingSetOf(model, e.to))) / chunkBytes[s]));
    sharedOfEdge[i] = sharedRegions.length;
    sharedRegions.push({ from: e.from, to: e.to, base: next, n });
    for (let j = 0; j < n; j++) chunkSds[next + j] = s;
    next += n;
  });
  for (let c = 0; c < C; c++) rows.push([]);
  edges.forEach((e, i) => {
    if (e.from === e.to) return;
    for (const [me, peer] of [[e.from, e.to], [e.to, e.from]] as const) {
      if (cSds[me] < 0) continue;
      const sr = sharedOfEdge[i];
      if (sr >= 0) {
        const reg = sharedRegions[sr];
        rows[me].push({ p: e.weight, kind: REGION_SHARED, base: reg.base, n: reg.n, tab: tableOf(reg.n, model.containers[me].skew), edge: i, node: -1 });
      } else if (me === e.from) {
        // a peer outside this SDS: its share of traffic crosses the network
        const pt = model.containers[peer].target;
        const node = pt && pt.kind === 'nodes' && pt.nodes.length ? pt.nodes[0] : -1;
        rows[me].push({ p: e.weight, kind: REGION_NET, base: -1, n: 0, tab: -1, edge: i, node });
      }
    }
  });
  for (let c = 0; c < C; c++) {
    const s = cSds[c];
    if (s < 0) continue;
    for (const io of model.containers[c].io) {
      if (nodeSds[io.node] === s || model.sdses[s].nodes.includes(io.node)) {
        const base = next++;
        chunkSds[base] = s;
        pinned[base] = 1;
        rows[c].push({ p: io.weight, kind: REGION_IO, base, n: 1, tab: tableOf(1, 0), edge: -1, node: io.node });
      } else {
        rows[c].push({ p: io.weight, kind: REGION_NET, base: -1, n: 0, tab: -1, edge: -1, node: io.node });
      }
    }
  }
  // normalise: the private region takes what is left (at least 0); cumulative probabilities
  const cRegOff = new Int32Array(C);
  const cRegCount = new Int32Array(C);
  const flat: Row[] = [];
  for (let c = 0; c < C; c++) {
    if (cSds[c] < 0) continue;
    const list = rows[c];
    let sum = 0;
    for (const row of list) sum += row.p;
    const scale = sum > 1 ? 1 / sum : 1;
    const priv = Math.max(0, 1 - sum * scale);
    cRegOff[c] = flat.length;
    let acc = 0;
    for (const row of list) {
      acc += row.p * scale;
      flat.push({ ...row, p: acc });
    }
    const r0 = cFirstReplica[c];
    const n = cMaxReplicas[c] > 0 ? rPrivN[r0] : 1;
    // the private row catches every draw the others did not take (priv may be 0: then none do)
    void priv;
    flat.push({ p: 2, kind: REGION_PRIVATE, base: -1, n, tab: tableOf(n, model.containers[c].skew), edge: -1, node: -1 });
    cRegCount[c] = list.length + 1;
  }
  const regP = Float64Array.from(flat, (x) => x.p);
  const regKind = Uint8Array.from(flat, (x) => x.kind);
  const regBase = Int32Array.from(flat, (x) => x.base);
  const regN = Int32Array.from(flat, (x) => x.n);
  const regTab = Int32Array.from(flat, (x) => x.tab);
  const regEdge = Int32Array.from(flat, (x) => x.edge);
  const regNode = Int32Array.from(flat, (x) => x.node);
  const tabOff = new Int32Array(tables.length);
  let tsize = 0;
  tables.forEach((t, i) => { tabOff[i] = tsize; tsize += t.prob.length; });
  const tabProb = new Float64Array(tsize);
  const tabAlias = new Int32Array(tsize);
  tables.forEach((t, i) => { tabProb.set(t.prob, tabOff[i]); tabAlias.set(t.alias, tabOff[i]); });

  return {
    model, policy, chunkBytes, chunkScale,
    nodeCount: N, nodeSds, nodeAlive, nodeUsable, nodeMemCap, nodeMemUsed: new Float64Array(N), nodeVcpus: new Int32Array(N), nodeRack, sdsNodes,
    chunkCount: total, chunkSds, owner, copies, meta, pinned,
    replicaCount: R, rContainer, rIndex, rActive, rPrivBase, rPrivN, rBulk, rBulkOn, rVcpuBase, rVcpuMax,
    vcpuCount: V, vNode, vActive, vReplica, vContainer, vLastMove, ring, ringPos,
    cSds, cFirstReplica, cMaxReplicas, cReplicas, cVcpus, cWrites: Float64Array.from(model.containers, (k) => k.writes),
    cRegOff, cRegCount, regP, regKind, regBase, regN, regTab, regEdge, regNode,
    tabOff, tabProb, tabAlias, edges, sharedRegions,
  };
}
