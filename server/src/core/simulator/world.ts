import type { Model, Policy, ScenarioEvent } from '../model/types';
import { BandCache } from './bands';
import { LinkCosts } from './costs';
import { SlotTable } from './slots';

/**
 * One software-defined server as the simulator sees it, flattened into typed arrays: its nodes
 * (local indices 0..K-1: its members, then nodes that `add` events bring), the containers placed
 * on it, their replicas and vCPUs, and the *regions* of memory they touch, each cut into
 * popularity bands (bands.ts). Sizes cover every replica and vCPU any event of the run starts.
 * Every SDS is simulated on its own (its own world, random stream, ticks and coarsening), so
 * that unrelated content of a file cannot change its results.
 */

/** Region kinds. */
export const REGION_PRIVATE = 0;
export const REGION_SHARED = 1;
export const REGION_IO = 2;
/** Memory requested beyond the working set: allocated, never accessed (it moves only with its node's failure). */
export const REGION_BULK = 3;

/** Access entries of a container: where a share of its accesses goes. */
export const ENTRY_PRIVATE = 0;
export const ENTRY_SHARED = 1;
export const ENTRY_IO = 2;
/** A peer or a device outside this SDS: always over the network. */
export const ENTRY_NET = 3;

export function vcpusFor(cpuLimit: number, load: number): number {
  return Math.max(1, Math.ceil(cpuLimit * load - 1e-9));
}

/** The working set of one replica, bytes (the file's `workingset`, else the memory request). */
export function workingSetOf(model: Model, container: number): number {
  const k = model.containers[container];
  const ws = k.workingSet > 0 ? k.workingSet : k.memoryRequest > 0 ? k.memoryRequest : k.memoryLimit;
  return Math.max(1, ws);
}

export function sdsOfContainer(model: Model, container: number): number {
  const t = model.containers[container].target;
  return t && t.kind === 'sds' ? t.sds : -1;
}

/** `talks` declarations of the whole file, declaration order. */
export interface Edge {
  readonly from: number;
  readonly to: number;
  readonly weight: number;
}

export function edgesOf(model: Model): Edge[] {
  const out: Edge[] = [];
  for (const k of model.containers) for (const t of k.talks) out.push({ from: k.id, to: t.container, weight: t.weight });
  return out;
}

export interface SdsWorld {
  readonly model: Model;
  readonly sds: number;
  readonly policy: Policy;
  readonly costs: LinkCosts;
  /** Bytes per chunk (the SDS's granularity). */
  readonly chunkBytes: number;
  // ------------------------------------------------ nodes (local index)
  readonly nodeCount: number;
  readonly nodeId: Int32Array;
  readonly localOf: ReadonlyMap<number, number>;
  /** Cores less the reserve: vCPUs up to this many run at full speed. */
  readonly usable: Float64Array;
  /** Memory less the reserve, bytes. */
  readonly memCap: Float64Array;
  readonly alive: Uint8Array;
  readonly memUsed: Float64Array;
  /** vCPUs on each node now. */
  readonly vcpusOn: Float64Array;
  /**
   * Runnable demand on each node: the sum of its vCPUs' demands (the share of its time a vCPU is
   * not stalled on memory, from its last tick). Time slicing is this over the usable cores: a
   * stalled vCPU does not hold a core.
   */
  readonly load: Float64Array;
  // ------------------------------------------------ containers (local index)
  readonly containerCount: number;
  readonly cModel: Int32Array;
  readonly cReplicasMax: Int32Array;
  readonly cReplicas: Int32Array;
  readonly cVcpusMax: Int32Array;
  readonly cVcpus: Int32Array;
  readonly cWrites: Float64Array;
  readonly cFirstReplica: Int32Array;
  readonly cEntryOff: Int32Array;
  readonly cEntryCount: Int32Array;
  /** Share of accesses that leave the SDS (NET entries): never local, never moved. */
  readonly cNetShare: Float64Array;
  // ------------------------------------------------ access entries
  readonly entKind: Uint8Array;
  /** The region (SHARED, IO), or -1 for PRIVATE (the replica's own) and NET. */
  readonly entRegion: Int32Array;
  readonly entProb: Float64Array;
  /** Which side of the region the container is (0 or 1). */
  readonly entSide: Uint8Array;
  /** NET: the rack the traffic goes to (-1: across the fabric). */
  readonly entNetRack: Int32Array;
  /** SHARED and NET-to-a-peer: the index into the file's edges, else -1. */
  readonly entEdge: Int32Array;
  // ------------------------------------------------ replicas
  readonly replicaCount: number;
  readonly rContainer: Int32Array;
  readonly rIndex: Int32Array;
  readonly rPrivate: Int32Array;
  readonly rBulk: Int32Array;
  readonly rVcpu0: Int32Array;
  readonly rActive: Uint8Array;
  // ------------------------------------------------ vCPUs
  readonly vcpuCount: number;
  readonly vReplica: Int32Array;
  readonly vContainer: Int32Array;
  readonly vNode: Int32Array;
  readonly vActive: Uint8Array;
  /** Tick of the last move (hysteresis). */
  readonly vLastMove: Int32Array;
  /** Real accesses per simulated second, as of the last tick (a stalled vCPU issues fewer). */
  readonly vRate: Float64Array;
  /** Share of its time a vCPU wants a core (not stalled), as of its last tick. */
  readonly vDemand: Float64Array;
  // ------------------------------------------------ regions
  readonly regionCount: number;
  readonly regKind: Uint8Array;
  readonly regChunks: Float64Array;
  readonly regBand0: Int32Array;
  readonly regBands: Int32Array;
  /** A pinned region's node (an io buffer on its device's node), else -1. */
  readonly regPinned: Int32Array;
  /** The replica of a PRIVATE or BULK region, else -1. */
  readonly regReplica: Int32Array;
  /** Local container of each side (side 1 only for SHARED), else -1. */
  readonly regSide0: Int32Array;
  readonly regSide1: Int32Array;
  /** SHARED: the edge. */
  readonly regEdge: Int32Array;
  // ------------------------------------------------ bands
  readonly bandCount: number;
  readonly bandRegion: Int32Array;
  /** Chunks in the band. */
  readonly bandSize: Float64Array;
  /** First rank (chunk index within the region). */
  readonly bandStart: Float64Array;
  /** Share of the region's accesses from side s: bandMass[band * 2 + s]. */
  readonly bandMass: Float64Array;
  /** Where the chunks are. */
  readonly slots: SlotTable;
}

/** Model node ids that belong to SDS s over the run: its members in declaration order, then nodes `add`ed to it. */
export function sdsNodeIds(model: Model, sdsIndex: number, events: readonly ScenarioEvent[]): number[] {
  const ids = [...model.sdses[sdsIndex].nodes];
  for (const e of events) if (e.kind === 'add' && e.sds === sdsIndex && !ids.includes(e.node)) ids.push(e.node);
  return ids;
}

export function buildSdsWorld(model: Model, sdsIndex: number, policy: Policy, events: readonly ScenarioEvent[], edges: readonly Edge[]): SdsWorld {
  const sds = model.sdses[sdsIndex];
  const chunkBytes = Math.max(4096, sds.granularity);
  // nodes
  const ids = sdsNodeIds(model, sdsIndex, events);
  const K = ids.length;
  const nodeId = Int32Array.from(ids);
  const localOf = new Map(ids.map((id, i) => [id, i]));
  const usable = new Float64Array(K);
  const memCap = new Float64Array(K);
  const alive = new Uint8Array(K);
  ids.forEach((id, i) => {
    const n = model.nodes[id];
    usable[i] = Math.max(0, n.cores - sds.reserveCores);
    memCap[i] = Math.max(0, n.memory - sds.reserveMemory);
    alive[i] = n.sds === sdsIndex && n.role === 'active' ? 1 : 0;
  });
  const costs = new LinkCosts(model, nodeId, chunkBytes, sds.overheadVcpu, sds.overheadChunk);

  // containers on this SDS, declaration order
  const mine = model.containers.filter((k) => sdsOfContainer(model, k.id) === sdsIndex).map((k) => k.id);
  const C = mine.length;
  const localC = new Map(mine.map((id, i) => [id, i]));
  const cModel = Int32Array.from(mine);
  const cReplicasMax = new Int32Array(C);
  const cReplicas = new Int32Array(C);
  const cVcpus = new Int32Array(C);
  const cVcpusMax = new Int32Array(C);
  const cWrites = Float64Array.from(mine, (id) => model.containers[id].writes);
  mine.forEach((id, i) => {
    const k = model.containers[id];
    cReplicas[i] = Math.max(0, k.replicas);
    cReplicasMax[i] = cReplicas[i];
    cVcpus[i] = vcpusFor(k.cpuLimit, k.load);
    cVcpusMax[i] = cVcpus[i];
  });
  for (const e of events) {
    const i = e.kind === 'scale' || e.kind === 'load' ? localC.get(e.container) : undefined;
    if (i === undefined) continue;
    if (e.kind === 'scale') cReplicasMax[i] = Math.max(cReplicasMax[i], e.replicas);
    if (e.kind === 'load') cVcpusMax[i] = Math.max(cVcpusMax[i], vcpusFor(model.containers[e.container].cpuLimit, e.load));
  }

  const bands = new BandCache();
  // columns that grow as regions are added (a million replicas make two million regions: no JS arrays)
  const regKind = new Column(Uint8Array);
  const regChunks = new Column(Float64Array);
  const regBand0 = new Column(Int32Array);
  const regBands = new Column(Int32Array);
  const regPinned = new Column(Int32Array);
  const regReplica = new Column(Int32Array);
  const regSide0 = new Column(Int32Array);
  const regSide1 = new Column(Int32Array);
  const regEdge = new Column(Int32Array);
  const bandRegion = new Column(Int32Array);
  const bandSize = new Column(Float64Array);
  const bandStart = new Column(Float64Array);
  const bandMass = new Column(Float64Array);
  const addRegion = (kind: number, chunks: number, skew0: number, skew1: number | null, pinned: number, replica: number, side0: number, side1: number, edge: number): number => {
    const r = regKind.length;
    regKind.push(kind);
    regChunks.push(chunks);
    regPinned.push(pinned);
    regReplica.push(replica);
    regSide0.push(side0);
    regSide1.push(side1);
    regEdge.push(edge);
    regBand0.push(bandRegion.length);
    if (kind === REGION_BULK) {
      bandRegion.push(r); bandSize.push(chunks); bandStart.push(0); bandMass.push(0); bandMass.push(0);
      regBands.push(1);
      return r;
    }
    const n = Math.max(1, Math.ceil(chunks));
    const edgeSkew = Math.max(skew0, skew1 ?? 0);
    const e = bands.edgesOf(n, edgeSkew);
    const m0 = bands.massesOf(n, edgeSkew, skew0);
    const m1 = skew1 === null ? null : bands.massesOf(n, edgeSkew, skew1);
    for (let b = 0; b + 1 < e.length; b++) {
      bandRegion.push(r);
      bandSize.push(e[b + 1] - e[b]);
      bandStart.push(e[b]);
      bandMass.push(m0[b]);
      bandMass.push(m1 ? m1[b] : 0);
    }
    regBands.push(e.length - 1);
    return r;
  };

  // shared regions (one per `talks` edge within this SDS) and their sizes
  const sharedBytes = new Float64Array(C);
  const edgeRegion = new Map<number, number>();
  edges.forEach((e, i) => {
    const a = localC.get(e.from);
    const b = localC.get(e.to);
    if (a === undefined || b === undefined || a === b) return;
    const bytes = e.weight * Math.min(workingSetOf(model, e.from), workingSetOf(model, e.to));
    sharedBytes[a] += bytes;
    sharedBytes[b] += bytes;
    const chunks = Math.max(1, Math.ceil(bytes / chunkBytes));
    edgeRegion.set(i, addRegion(REGION_SHARED, chunks, model.containers[e.from].skew, model.containers[e.to].skew, -1, -1, a, b, i));
  });

  // access entries per container
  const entKind: number[] = [];
  const entRegion: number[] = [];
  const entProb: number[] = [];
  const entSide: number[] = [];
  const entNetRack: number[] = [];
  const entEdge: number[] = [];
  const cEntryOff = new Int32Array(C);
  const cEntryCount = new Int32Array(C);
  const cNetShare = new Float64Array(C);
  const rackOfTarget = (container: number): number => {
    const t = model.containers[container].target;
    if (!t) return -1;
    if (t.kind === 'nodes') return t.nodes.length ? model.nodes[t.nodes[0]].rack : -1;
    if (t.kind === 'rack') return t.rack;
    const first = model.sdses[t.sds].nodes[0];
    return first === undefined ? -1 : model.nodes[first].rack;
  };
  mine.forEach((id, c) => {
    const k = model.containers[id];
    type Row = { kind: number; region: number; p: number; side: number; rack: number; edge: number };
    const rows: Row[] = [];
    edges.forEach((e, i) => {
      if (e.from !== id && e.to !== id) return;
      const peer = e.from === id ? e.to : e.from;
      if (peer === id) return;
      const region = edgeRegion.get(i);
      if (region !== undefined) rows.push({ kind: ENTRY_SHARED, region, p: e.weight, side: e.from === id ? 0 : 1, rack: -1, edge: i });
      else rows.push({ kind: ENTRY_NET, region: -1, p: e.weight, side: 0, rack: rackOfTarget(peer), edge: i });
    });
    for (const io of k.io) {
      const local = localOf.get(io.node);
      if (local !== undefined && model.nodes[io.node].sds === sdsIndex) {
        const region = addRegion(REGION_IO, 1, 0, null, local, -1, c, -1, -1);
        rows.push({ kind: ENTRY_IO, region, p: io.weight, side: 0, rack: -1, edge: -1 });
      } else {
        rows.push({ kind: ENTRY_NET, region: -1, p: io.weight, side: 0, rack: model.nodes[io.node].rack, edge: -1 });
      }
    }
    let sum = 0;
    for (const row of rows) sum += row.p;
    const scale = sum > 1 ? 1 / sum : 1;
    cEntryOff[c] = entKind.length;
    const priv = Math.max(0, 1 - sum * scale);
    entKind.push(ENTRY_PRIVATE); entRegion.push(-1); entProb.push(priv); entSide.push(0); entNetRack.push(-1); entEdge.push(-1);
    for (const row of rows) {
      entKind.push(row.kind); entRegion.push(row.region); entProb.push(row.p * scale); entSide.push(row.side); entNetRack.push(row.rack); entEdge.push(row.edge);
      if (row.kind === ENTRY_NET) cNetShare[c] += row.p * scale;
    }
    cEntryCount[c] = rows.length + 1;
  });

  // replicas, their private and bulk regions, and vCPUs
  let R = 0;
  let V = 0;
  const cFirstReplica = new Int32Array(C);
  for (let c = 0; c < C; c++) { cFirstReplica[c] = R; R += cReplicasMax[c]; V += cReplicasMax[c] * cVcpusMax[c]; }
  const rContainer = new Int32Array(R);
  const rIndex = new Int32Array(R);
  const rPrivate = new Int32Array(R);
  const rBulk = new Int32Array(R);
  const rVcpu0 = new Int32Array(R);
  const vReplica = new Int32Array(V);
  const vContainer = new Int32Array(V);
  let r = 0;
  let v = 0;
  for (let c = 0; c < C; c++) {
    const id = mine[c];
    const k = model.containers[id];
    const ws = workingSetOf(model, id);
    const privChunks = Math.max(1, Math.ceil(Math.max(chunkBytes, ws - sharedBytes[c]) / chunkBytes));
    const request = k.memoryRequest > 0 ? k.memoryRequest : k.memoryLimit;
    const bulk = Math.max(0, request - ws) / chunkBytes;
    for (let i = 0; i < cReplicasMax[c]; i++, r++) {
      rContainer[r] = c;
      rIndex[r] = i;
      rPrivate[r] = addRegion(REGION_PRIVATE, privChunks, k.skew, null, -1, r, c, -1, -1);
      rBulk[r] = addRegion(REGION_BULK, bulk, 0, null, -1, r, c, -1, -1);
      rVcpu0[r] = v;
      for (let j = 0; j < cVcpusMax[c]; j++, v++) { vReplica[v] = r; vContainer[v] = c; }
    }
  }

  const regionCount = regKind.length;
  const regBandsArr = regBands.done();
  const kinds = regKind.done();
  const side0 = regSide0.done();
  // room for the nodes a region is likely on (it grows when it needs more)
  const initialCap = (reg: number): number => {
    const kind = kinds[reg];
    if (kind === REGION_IO || kind === REGION_BULK) return 1;
    if (kind === REGION_PRIVATE) return Math.min(K, Math.min(8, cVcpusMax[side0[reg]]));
    return Math.min(K, 4);
  };
  return {
    model, sds: sdsIndex, policy, costs, chunkBytes,
    nodeCount: K, nodeId, localOf, usable, memCap, alive, memUsed: new Float64Array(K), vcpusOn: new Float64Array(K), load: new Float64Array(K),
    containerCount: C, cModel, cReplicasMax, cReplicas, cVcpusMax, cVcpus, cWrites, cFirstReplica, cEntryOff, cEntryCount, cNetShare,
    entKind: Uint8Array.from(entKind), entRegion: Int32Array.from(entRegion), entProb: Float64Array.from(entProb), entSide: Uint8Array.from(entSide),
    entNetRack: Int32Array.from(entNetRack), entEdge: Int32Array.from(entEdge),
    replicaCount: R, rContainer, rIndex, rPrivate, rBulk, rVcpu0, rActive: new Uint8Array(R),
    vcpuCount: V, vReplica, vContainer, vNode: new Int32Array(V).fill(-1), vActive: new Uint8Array(V), vLastMove: new Int32Array(V).fill(-(1 << 30)), vRate: new Float64Array(V), vDemand: new Float64Array(V).fill(1),
    regionCount, regKind: kinds, regChunks: regChunks.done(), regBand0: regBand0.done(), regBands: regBandsArr,
    regPinned: regPinned.done(), regReplica: regReplica.done(), regSide0: side0, regSide1: regSide1.done(), regEdge: regEdge.done(),
    bandCount: bandRegion.length, bandRegion: bandRegion.done(), bandSize: bandSize.done(), bandStart: bandStart.done(), bandMass: bandMass.done(),
    slots: new SlotTable(regBandsArr, initialCap),
  };
}

type TypedArray = Uint8Array | Int32Array | Float64Array;

/** A typed array that grows as values are pushed (by doubling); done() gives the filled part. */
class Column<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(private readonly make: { new (n: number): T }) {
    this.data = new make(64);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}
