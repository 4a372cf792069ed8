import type { Model, Policy, ScenarioEvent } from '../model/types';
import { eventModule } from './events';
import { LinkCosts } from './costs';
import { RegionTable, REGION_BULK, REGION_IO, REGION_PRIVATE, REGION_SHARED } from './regions';
import { SlotTable } from './slots';

/**
 * One software-defined server as the simulator sees it, flattened into typed arrays: its nodes
 * (local indices 0..K-1: its members, then nodes that `add` events bring), the containers placed
 * on it, their replicas and vCPUs, and the *regions* of memory they touch, each cut into
 * popularity bands (bands.ts). Sizes cover every replica and vCPU any event of the run starts.
 * Every SDS is simulated on its own (its own world, random stream, ticks and coarsening), so
 * that unrelated content of a file cannot change its results.
 */

export { REGION_BULK, REGION_IO, REGION_PRIVATE, REGION_SHARED } from './regions';

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
  for (const e of events) {
    const node = eventModule(e.kind).joins(e, sdsIndex);
    if (node !== null && !ids.includes(node)) ids.push(node);
  }
  return ids;
}

/**
 * The most replicas and vCPUs per replica each container of `local` (model id -> index) has
 * over the run: its own, or more when an event scales it or raises its load.
 */
export function runSizes(model: Model, events: readonly ScenarioEvent[], local: ReadonlyMap<number, number>): { replicas: Int32Array; vcpus: Int32Array } {
  const replicas = new Int32Array(local.size);
  const vcpus = new Int32Array(local.size);
  for (const [id, i] of local) {
    const k = model.containers[id];
    replicas[i] = Math.max(0, k.replicas);
    vcpus[i] = vcpusFor(k.cpuLimit, k.load);
  }
  for (const e of events) eventModule(e.kind).grows(model, e, local, { replicas, vcpus });
  return { replicas, vcpus };
}

/** The SDS's nodes (local index): its members, then the nodes `add` events bring. */
function sdsNodes(model: Model, sdsIndex: number, events: readonly ScenarioEvent[]) {
  const sds = model.sdses[sdsIndex];
  const ids = sdsNodeIds(model, sdsIndex, events);
  const K = ids.length;
  const usable = new Float64Array(K);
  const memCap = new Float64Array(K);
  const alive = new Uint8Array(K);
  ids.forEach((id, i) => {
    const n = model.nodes[id];
    usable[i] = Math.max(0, n.cores - sds.reserveCores);
    memCap[i] = Math.max(0, n.memory - sds.reserveMemory);
    alive[i] = n.sds === sdsIndex && n.role === 'active' ? 1 : 0;
  });
  return { nodeCount: K, nodeId: Int32Array.from(ids), localOf: new Map(ids.map((id, i) => [id, i])), usable, memCap, alive };
}

/** The containers placed on the SDS (local index, declaration order) and their sizes now and at most. */
function sdsContainers(model: Model, sdsIndex: number, events: readonly ScenarioEvent[]) {
  const mine = model.containers.filter((k) => sdsOfContainer(model, k.id) === sdsIndex).map((k) => k.id);
  const localC = new Map(mine.map((id, i) => [id, i]));
  const most = runSizes(model, events, localC);
  return {
    mine,
    localC,
    containerCount: mine.length,
    cModel: Int32Array.from(mine),
    cReplicas: Int32Array.from(mine, (id) => Math.max(0, model.containers[id].replicas)),
    cReplicasMax: most.replicas,
    cVcpus: Int32Array.from(mine, (id) => vcpusFor(model.containers[id].cpuLimit, model.containers[id].load)),
    cVcpusMax: most.vcpus,
    cWrites: Float64Array.from(mine, (id) => model.containers[id].writes),
  };
}

type Nodes = ReturnType<typeof sdsNodes>;
type Containers = ReturnType<typeof sdsContainers>;

/** One shared region per `talks` edge within the SDS; the bytes each container shares, and the region of each edge. */
function sharedRegions(model: Model, edges: readonly Edge[], cs: Containers, chunkBytes: number, regions: RegionTable) {
  const sharedBytes = new Float64Array(cs.containerCount);
  const edgeRegion = new Map<number, number>();
  edges.forEach((e, i) => {
    const a = cs.localC.get(e.from);
    const b = cs.localC.get(e.to);
    if (a === undefined || b === undefined || a === b) return;
    const bytes = e.weight * Math.min(workingSetOf(model, e.from), workingSetOf(model, e.to));
    sharedBytes[a] += bytes;
    sharedBytes[b] += bytes;
    const chunks = Math.max(1, Math.ceil(bytes / chunkBytes));
    edgeRegion.set(i, regions.add(REGION_SHARED, chunks, model.containers[e.from].skew, model.containers[e.to].skew, -1, -1, a, b, i));
  });
  return { sharedBytes, edgeRegion };
}

/** The rack a container's target is in (its first node's), -1 when it has none. */
function rackOfTarget(model: Model, container: number): number {
  const t = model.containers[container].target;
  if (!t) return -1;
  if (t.kind === 'nodes') return t.nodes.length ? model.nodes[t.nodes[0]].rack : -1;
  if (t.kind === 'rack') return t.rack;
  const first = model.sdses[t.sds].nodes[0];
  return first === undefined ? -1 : model.nodes[first].rack;
}

interface EntryRow { kind: number; region: number; p: number; side: number; rack: number; edge: number }

/** One container's access entries besides its private one: its `talks` edges and its `io` devices (whose buffers become regions). */
function entryRows(model: Model, sdsIndex: number, id: number, c: number, edges: readonly Edge[], edgeRegion: ReadonlyMap<number, number>, nodes: Nodes, regions: RegionTable): EntryRow[] {
  const rows: EntryRow[] = [];
  edges.forEach((e, i) => {
    if (e.from !== id && e.to !== id) return;
    const peer = e.from === id ? e.to : e.from;
    if (peer === id) return;
    const region = edgeRegion.get(i);
    if (region !== undefined) rows.push({ kind: ENTRY_SHARED, region, p: e.weight, side: e.from === id ? 0 : 1, rack: -1, edge: i });
    else rows.push({ kind: ENTRY_NET, region: -1, p: e.weight, side: 0, rack: rackOfTarget(model, peer), edge: i });
  });
  for (const io of model.containers[id].io) {
    const local = nodes.localOf.get(io.node);
    if (local !== undefined && model.nodes[io.node].sds === sdsIndex) {
      const region = regions.add(REGION_IO, 1, 0, null, local, -1, c, -1, -1);
      rows.push({ kind: ENTRY_IO, region, p: io.weight, side: 0, rack: -1, edge: -1 });
    } else {
      rows.push({ kind: ENTRY_NET, region: -1, p: io.weight, side: 0, rack: model.nodes[io.node].rack, edge: -1 });
    }
  }
  return rows;
}

/** Every container's access entries: its private working set first, then the rows, scaled to sum to at most 1. */
function accessEntries(model: Model, sdsIndex: number, edges: readonly Edge[], edgeRegion: ReadonlyMap<number, number>, nodes: Nodes, cs: Containers, regions: RegionTable) {
  const C = cs.containerCount;
  const entKind: number[] = [];
  const entRegion: number[] = [];
  const entProb: number[] = [];
  const entSide: number[] = [];
  const entNetRack: number[] = [];
  const entEdge: number[] = [];
  const cEntryOff = new Int32Array(C);
  const cEntryCount = new Int32Array(C);
  const cNetShare = new Float64Array(C);
  cs.mine.forEach((id, c) => {
    const rows = entryRows(model, sdsIndex, id, c, edges, edgeRegion, nodes, regions);
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
  return {
    cEntryOff, cEntryCount, cNetShare,
    entKind: Uint8Array.from(entKind), entRegion: Int32Array.from(entRegion), entProb: Float64Array.from(entProb), entSide: Uint8Array.from(entSide),
    entNetRack: Int32Array.from(entNetRack), entEdge: Int32Array.from(entEdge),
  };
}

/** Every replica any event of the run starts, its private and bulk regions, and its vCPUs. */
function replicasAndVcpus(model: Model, cs: Containers, sharedBytes: Float64Array, chunkBytes: number, regions: RegionTable) {
  const C = cs.containerCount;
  let R = 0;
  let V = 0;
  const cFirstReplica = new Int32Array(C);
  for (let c = 0; c < C; c++) { cFirstReplica[c] = R; R += cs.cReplicasMax[c]; V += cs.cReplicasMax[c] * cs.cVcpusMax[c]; }
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
    const id = cs.mine[c];
    const k = model.containers[id];
    const ws = workingSetOf(model, id);
    const privChunks = Math.max(1, Math.ceil(Math.max(chunkBytes, ws - sharedBytes[c]) / chunkBytes));
    const request = k.memoryRequest > 0 ? k.memoryRequest : k.memoryLimit;
    const bulk = Math.max(0, request - ws) / chunkBytes;
    for (let i = 0; i < cs.cReplicasMax[c]; i++, r++) {
      rContainer[r] = c;
      rIndex[r] = i;
      rPrivate[r] = regions.add(REGION_PRIVATE, privChunks, k.skew, null, -1, r, c, -1, -1);
      rBulk[r] = regions.add(REGION_BULK, bulk, 0, null, -1, r, c, -1, -1);
      rVcpu0[r] = v;
      for (let j = 0; j < cs.cVcpusMax[c]; j++, v++) { vReplica[v] = r; vContainer[v] = c; }
    }
  }
  return {
    cFirstReplica,
    replicaCount: R, rContainer, rIndex, rPrivate, rBulk, rVcpu0, rActive: new Uint8Array(R),
    vcpuCount: V, vReplica, vContainer, vNode: new Int32Array(V).fill(-1), vActive: new Uint8Array(V), vLastMove: new Int32Array(V).fill(-(1 << 30)), vRate: new Float64Array(V), vDemand: new Float64Array(V).fill(1),
  };
}

/** The regions' and bands' columns, and the slot table over them (room for the nodes a region is likely on; it grows when it needs more). */
function regionColumns(regions: RegionTable, nodeCount: number, cVcpusMax: Int32Array) {
  const regBands = regions.regBands.done();
  const regKind = regions.regKind.done();
  const regSide0 = regions.regSide0.done();
  const initialCap = (reg: number): number => {
    const kind = regKind[reg];
    if (kind === REGION_IO || kind === REGION_BULK) return 1;
    if (kind === REGION_PRIVATE) return Math.min(nodeCount, Math.min(8, cVcpusMax[regSide0[reg]]));
    return Math.min(nodeCount, 4);
  };
  return {
    regionCount: regions.regionCount, regKind, regChunks: regions.regChunks.done(), regBand0: regions.regBand0.done(), regBands,
    regPinned: regions.regPinned.done(), regReplica: regions.regReplica.done(), regSide0, regSide1: regions.regSide1.done(), regEdge: regions.regEdge.done(),
    bandCount: regions.bandCount, bandRegion: regions.bandRegion.done(), bandSize: regions.bandSize.done(), bandStart: regions.bandStart.done(), bandMass: regions.bandMass.done(),
    slots: new SlotTable(regBands, initialCap),
  };
}

export function buildSdsWorld(model: Model, sdsIndex: number, policy: Policy, events: readonly ScenarioEvent[], edges: readonly Edge[]): SdsWorld {
  const sds = model.sdses[sdsIndex];
  const chunkBytes = Math.max(4096, sds.granularity);
  const nodes = sdsNodes(model, sdsIndex, events);
  const costs = new LinkCosts(model, nodes.nodeId, chunkBytes, sds.overheadVcpu, sds.overheadChunk);
  const cs = sdsContainers(model, sdsIndex, events);
  // regions in this order: shared (per edge), io (per container), then private and bulk (per replica)
  const regions = new RegionTable();
  const { sharedBytes, edgeRegion } = sharedRegions(model, edges, cs, chunkBytes, regions);
  const entries = accessEntries(model, sdsIndex, edges, edgeRegion, nodes, cs, regions);
  const replicas = replicasAndVcpus(model, cs, sharedBytes, chunkBytes, regions);
  const K = nodes.nodeCount;
  return {
    model, sds: sdsIndex, policy, costs, chunkBytes,
    ...nodes, memUsed: new Float64Array(K), vcpusOn: new Float64Array(K), load: new Float64Array(K),
    containerCount: cs.containerCount, cModel: cs.cModel, cReplicasMax: cs.cReplicasMax, cReplicas: cs.cReplicas, cVcpusMax: cs.cVcpusMax, cVcpus: cs.cVcpus, cWrites: cs.cWrites,
    ...entries,
    ...replicas,
    ...regionColumns(regions, K, cs.cVcpusMax),
  };
}
