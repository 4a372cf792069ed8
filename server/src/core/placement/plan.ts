/**
 * Placement of a whole model: packed targets (racks, node sets) share one pack over every node
 * outside an SDS (so overlapping targets never double-book a node); SDS targets are filled as
 * one machine each. Then the failure headroom of every target is checked.
 */

import type { Container, Model } from '../model/types';
import { type PackItem, type PackNode, type UnplacedReason } from './pack';
import { packByComponent, packRemembered } from './memo';
import { groupTargets, largestFirst, rankOf, sdsNodeCapacity, validTarget, type TargetGroup } from './targets';

export interface Totals { cpu: number; memory: number }

export interface ContainerPlan {
  readonly container: number;
  readonly group: string;
  /** Model node id per replica (-1 unplaced); empty for an SDS target. */
  readonly nodes: readonly number[];
  readonly placed: number;
  readonly unplaced: number;
  readonly reason: UnplacedReason | null;
}

export interface HeadroomPlan {
  readonly failures: number;
  readonly ok: boolean;
  /** Model node ids lost (largest active first) and the spares that stood in. */
  readonly lost: readonly number[];
  readonly standIns: readonly number[];
  /** Per container: replicas that no longer fit after the loss (packed targets). */
  readonly short: ReadonlyMap<number, number>;
  /** Capacity left after the loss (for an SDS: what the totals are checked against). */
  readonly capacity: Totals;
}

export interface GroupPlan {
  readonly group: TargetGroup;
  readonly active: readonly number[];
  readonly spares: readonly number[];
  readonly capacity: Totals;
  readonly allowance: Totals;
  /** Demand: every replica of the target's containers. */
  readonly requested: Totals;
  readonly limited: Totals;
  readonly cpuRatio: number;
  readonly memoryRatio: number;
  readonly headroom: HeadroomPlan;
}

export interface Plan {
  readonly model: Model;
  readonly groups: readonly GroupPlan[];
  readonly containers: ReadonlyMap<number, ContainerPlan>;
  /** Model node id -> replicas placed there, as [container id, replica index]. */
  readonly onNode: ReadonlyMap<number, readonly (readonly [number, number])[]>;
  /** Nodes holding at least one replica. */
  readonly usedNodes: number;
}

export interface PlanOptions {
  /** Node-scan budget of the improvement pass. */
  readonly improveBudget?: number;
}

const DEFAULT_IMPROVE_BUDGET = 4_000_000;

export function planModel(model: Model, options: PlanOptions = {}): Plan {
  const { groups, keyOf } = groupTargets(model);
  const containers = new Map<number, ContainerPlan>();
  const onNode = new Map<number, [number, number][]>();
  const packed = groups.filter((g) => g.kind !== 'sds');
  const eligibleOf = new Map<number, readonly number[]>(); // container -> model node ids incl. spares
  for (const g of packed) for (const cid of g.containers) eligibleOf.set(cid, g.nodes);

  // ---- packed targets: one pack over every node outside an SDS that some target uses
  const poolIds = [...new Set(packed.flatMap((g) => g.nodes))].sort((a, b) => a - b);
  const local = new Map(poolIds.map((id, i) => [id, i]));
  const packNodes: PackNode[] = poolIds.map((id) => packNodeOf(model, id, model.defaults.cpuRatio, model.defaults.memoryRatio));
  const items: PackItem[] = [];
  for (const g of packed) {
    const eligible = g.nodes.filter((id) => model.nodes[id].role === 'active').map((id) => local.get(id)!);
    for (const cid of g.containers) items.push(itemOf(model, model.containers[cid], eligible, packedPeer(model, model.containers[cid])));
  }
  const outcome = packByComponent(packNodes, items, { improveBudget: options.improveBudget ?? DEFAULT_IMPROVE_BUDGET });
  for (const o of outcome.items) {
    const c = model.containers[o.container];
    const nodes: number[] = new Array(o.nodes.length);
    for (let r = 0; r < o.nodes.length; r++) nodes[r] = o.nodes[r] < 0 ? -1 : poolIds[o.nodes[r]];
    nodes.forEach((id, r) => {
      if (id < 0) return;
      let l = onNode.get(id);
      if (!l) { l = []; onNode.set(id, l); }
      l.push([c.id, r]);
    });
    containers.set(c.id, { container: c.id, group: keyOf.get(c.id)!, nodes, placed: c.replicas - o.unplaced, unplaced: o.unplaced, reason: o.reason });
  }
  for (const l of onNode.values()) l.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  // ---- SDS targets: one machine each, filled in priority then declaration order
  const plans: GroupPlan[] = [];
  // Spare nodes outside any SDS, by rack: they may stand in for a lost SDS node of their rack.
  const freeSpares = new Map<number, number[]>();
  for (const nd of model.nodes) {
    if (nd.role !== 'spare' || nd.sds !== null) continue;
    const l = freeSpares.get(nd.rack);
    if (l) l.push(nd.id); else freeSpares.set(nd.rack, [nd.id]);
  }
  for (const g of groups) {
    if (g.kind === 'sds') plans.push(planSds(model, g, containers, freeSpares));
    else plans.push(planPacked(model, g, containers, onNode, eligibleOf));
  }
  return { model, groups: plans, containers, onNode, usedNodes: outcome.usedNodes };
}

function packNodeOf(model: Model, id: number, cpuRatio: number, memoryRatio: number): PackNode {
  const n = model.nodes[id];
  return { id, rack: n.rack, cpu: n.cores, memory: n.memory, cpuAllowance: n.cores * cpuRatio, memoryAllowance: n.memory * memoryRatio };
}

/**
 * The colocate peer. A peer whose target did not resolve is ignored (its diagnostic is already
 * there); a peer on an SDS is kept: it hosts nothing in the pack, so the replicas stay unplaced
 * with reason `colocate`.
 */
function packedPeer(model: Model, c: Container): number | null {
  if (!c.colocate) return null;
  const peer = model.containers[c.colocate.container];
  if (!peer || peer.id === c.id || !peer.target || !validTarget(model, peer.target)) return null;
  return peer.id;
}

function itemOf(model: Model, c: Container, eligible: readonly number[], colocate: number | null): PackItem {
  return {
    container: c.id, replicas: Math.max(0, Math.floor(c.replicas)),
    cpuRequest: c.cpuRequest, memoryRequest: c.memoryRequest, cpuLimit: Math.max(c.cpuLimit, c.cpuRequest), memoryLimit: Math.max(c.memoryLimit, c.memoryRequest),
    eligible, spread: c.spread, colocate, rank: rankOf(c),
  };
}

function sum(model: Model, ids: readonly number[], f: (c: Container) => number): number {
  let s = 0;
  for (const id of ids) s += model.containers[id].replicas * f(model.containers[id]);
  return s;
}

function demand(model: Model, g: TargetGroup): { requested: Totals; limited: Totals } {
  return {
    requested: { cpu: sum(model, g.containers, (c) => c.cpuRequest), memory: sum(model, g.containers, (c) => c.memoryRequest) },
    limited: { cpu: sum(model, g.containers, (c) => Math.max(c.cpuLimit, c.cpuRequest)), memory: sum(model, g.containers, (c) => Math.max(c.memoryLimit, c.memoryRequest)) },
  };
}

/** Placement order on one target: priority (high first), then declaration order. */
export function placementOrder(model: Model, ids: readonly number[]): number[] {
  return [...ids].sort((a, b) => rankOf(model.containers[b]) - rankOf(model.containers[a]) || a - b);
}

function planSds(model: Model, g: TargetGroup, containers: Map<number, ContainerPlan>, freeSpares: ReadonlyMap<number, readonly number[]>): GroupPlan {
  const sds = model.sdses[g.ref];
  const active = g.nodes.filter((id) => model.nodes[id].role === 'active');
  const capOf = (ids: readonly number[]): Totals => {
    let cpu = 0, memory = 0;
    for (const id of ids) { const c = sdsNodeCapacity(model.nodes[id], sds.reserveCores, sds.reserveMemory); cpu += c.cpu; memory += c.memory; }
    return { cpu, memory };
  };
  const capacity = capOf(active);
  const allowance = { cpu: capacity.cpu * sds.cpuRatio, memory: capacity.memory * sds.memoryRatio };
  const { requested, limited } = demand(model, g);
  // Fill replica by replica: a replica that does not fit is unplaced, and so are the rest of its container.
  const used = { cpu: 0, memory: 0, cpuL: 0, memoryL: 0 };
  for (const cid of placementOrder(model, g.containers)) {
    const c = model.containers[cid];
    const lim = { cpu: Math.max(c.cpuLimit, c.cpuRequest), memory: Math.max(c.memoryLimit, c.memoryRequest) };
    let placed = 0;
    let reason: UnplacedReason | null = null;
    for (let r = 0; r < c.replicas; r++) {
      const reqOk = used.cpu + c.cpuRequest <= capacity.cpu + 1e-9 && used.memory + c.memoryRequest <= capacity.memory + 1e-9;
      const limOk = used.cpuL + lim.cpu <= allowance.cpu + 1e-9 && used.memoryL + lim.memory <= allowance.memory + 1e-9;
      if (!reqOk || !limOk) { reason = active.length === 0 ? 'no-nodes' : reqOk ? 'allowance' : 'capacity'; break; }
      used.cpu += c.cpuRequest; used.memory += c.memoryRequest; used.cpuL += lim.cpu; used.memoryL += lim.memory;
      placed++;
    }
    containers.set(cid, { container: cid, group: g.key, nodes: [], placed, unplaced: c.replicas - placed, reason });
  }
  // Headroom: lose the largest active nodes; spares of the SDS, or spares outside any SDS in its racks, stand in.
  const h = Math.max(0, Math.floor(model.defaults.headroom));
  const lost = h === 0 ? [] : largestFirst(model, active).slice(0, h);
  const racks = new Set(g.nodes.map((id) => model.nodes[id].rack));
  const spareCandidates = [
    ...g.nodes.filter((id) => model.nodes[id].role === 'spare'),
    ...[...racks].sort((a, b) => a - b).flatMap((r) => freeSpares.get(r) ?? []),
  ];
  const standIns = largestFirst(model, spareCandidates).slice(0, lost.length);
  const after = capOf([...active.filter((id) => !lost.includes(id)), ...standIns]);
  const ok = h === 0 || (requested.cpu <= after.cpu + 1e-9 && requested.memory <= after.memory + 1e-9);
  return {
    group: g, active, spares: g.nodes.filter((id) => model.nodes[id].role === 'spare'), capacity, allowance, requested, limited,
    cpuRatio: sds.cpuRatio, memoryRatio: sds.memoryRatio,
    headroom: { failures: h, ok, lost, standIns, short: new Map(), capacity: after },
  };
}

function planPacked(
  model: Model, g: TargetGroup, containers: ReadonlyMap<number, ContainerPlan>,
  onNode: ReadonlyMap<number, readonly (readonly [number, number])[]>, eligibleOf: ReadonlyMap<number, readonly number[]>,
): GroupPlan {
  const d = model.defaults;
  const active = g.nodes.filter((id) => model.nodes[id].role === 'active');
  const spares = g.nodes.filter((id) => model.nodes[id].role === 'spare');
  let cpu = 0, memory = 0;
  for (const id of active) { cpu += model.nodes[id].cores; memory += model.nodes[id].memory; }
  const { requested, limited } = demand(model, g);
  const h = Math.max(0, Math.floor(d.headroom));
  const headroom = h === 0
    ? { failures: 0, ok: true, lost: [], standIns: [], short: new Map<number, number>(), capacity: { cpu, memory } }
    : packedHeadroom(model, h, active, spares, containers, onNode, eligibleOf);
  return {
    group: g, active, spares, capacity: { cpu, memory }, allowance: { cpu: cpu * d.cpuRatio, memory: memory * d.memoryRatio },
    requested, limited, cpuRatio: d.cpuRatio, memoryRatio: d.memoryRatio, headroom,
  };
}

/**
 * Re-packs every replica now on the target's active nodes onto those nodes less the largest
 * `h`, with the target's spares standing in. Requests only (the spec: "all requests must still
 * fit"). Replicas elsewhere stay put and still count for spread and colocate.
 */
function packedHeadroom(
  model: Model, h: number, active: readonly number[], spares: readonly number[], containers: ReadonlyMap<number, ContainerPlan>,
  onNode: ReadonlyMap<number, readonly (readonly [number, number])[]>, eligibleOf: ReadonlyMap<number, readonly number[]>,
): HeadroomPlan {
  const lost = largestFirst(model, active).slice(0, h);
  const lostSet = new Set(lost);
  const standIns = largestFirst(model, spares).slice(0, lost.length);
  const pool = [...active.filter((id) => !lostSet.has(id)), ...standIns].sort((a, b) => a - b);
  const counts = new Map<number, number>();
  for (const id of active) for (const [cid] of onNode.get(id) ?? []) counts.set(cid, (counts.get(cid) ?? 0) + 1);
  const activeSet = new Set(active);
  // Outside nodes that hold replicas of the moved containers: zero capacity, never eligible.
  const outside = new Set<number>();
  for (const cid of counts.keys()) for (const id of containers.get(cid)?.nodes ?? []) if (id >= 0 && !activeSet.has(id)) outside.add(id);
  const ids = [...pool, ...[...outside].sort((a, b) => a - b)];
  const local = new Map(ids.map((id, i) => [id, i]));
  const nodes: PackNode[] = ids.map((id, i) => (i < pool.length ? packNodeOf(model, id, 1, 1) : { id, rack: model.nodes[id].rack, cpu: 0, memory: 0, cpuAllowance: 0, memoryAllowance: 0 }));
  const fixed: { container: number; node: number; count: number }[] = [];
  for (const cid of counts.keys()) for (const id of containers.get(cid)?.nodes ?? []) if (id >= 0 && !activeSet.has(id)) fixed.push({ container: cid, node: local.get(id)!, count: 1 });
  const items: PackItem[] = [];
  // Containers of one target share their eligible list: map each list once.
  const mapped = new Map<readonly number[], number[]>();
  const inPool = new Set(pool);
  for (const [cid, count] of counts) {
    const c = model.containers[cid];
    const own = eligibleOf.get(cid) ?? [];
    let eligible = mapped.get(own);
    if (!eligible) {
      eligible = own.filter((id) => inPool.has(id)).map((id) => local.get(id)!).sort((a, b) => a - b);
      mapped.set(own, eligible);
    }
    const peer = packedPeer(model, c);
    items.push({
      container: cid, replicas: count, cpuRequest: c.cpuRequest, memoryRequest: c.memoryRequest, cpuLimit: 0, memoryLimit: 0,
      eligible, spread: c.spread, colocate: peer !== null && counts.has(peer) ? peer : null, rank: rankOf(c),
    });
  }
  items.sort((a, b) => a.container - b.container);
  const out = packRemembered(nodes, items, { fixed, improveBudget: 0 });
  const short = new Map<number, number>();
  for (const o of out.items) if (o.unplaced > 0) short.set(o.container, o.unplaced);
  let cpu = 0, memory = 0;
  for (const id of pool) { cpu += model.nodes[id].cores; memory += model.nodes[id].memory; }
  return { failures: h, ok: short.size === 0, lost, standIns, short, capacity: { cpu, memory } };
}
