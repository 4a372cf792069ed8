/**
 * Placement of a whole model: packed targets (racks, node sets) share one pack over every node
 * outside an SDS (so overlapping targets never double-book a node); SDS targets are filled as
 * one machine each. Then the failure headroom of every target is checked.
 */

import type { ShortCause } from '../result';
import type { Container, Model } from '../model/types';
import type { PackMode } from '../model/types';
import { type ItemOutcome, type PackItem, type PackNode, type PackOutcome, type UnplacedReason } from './pack';
import { components, packByComponent } from './memo';
import { groupTargets, largestFirst, rankOf, sdsNodeCapacity, validTarget, type TargetGroup } from './targets';
import { packWithTenants, sdsRatios, tenantsMatter, type TenantPack } from './tenants';

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

export type { ShortCause };

/** Why the headroom pack left a replica out, from the packer's reason (pinned is decided before). */
const SHORT_CAUSE: Record<UnplacedReason, ShortCause> = {
  'node-size': 'node-size', spread: 'spread', colocate: 'colocate', network: 'network',
  'no-nodes': 'capacity', capacity: 'capacity', allowance: 'capacity', isolation: 'capacity',
};

export interface HeadroomShort {
  /** Replicas that no longer fit. */
  readonly replicas: number;
  readonly cause: ShortCause;
}

export interface HeadroomPlan {
  readonly failures: number;
  /** `off`: headroom 0; `single`: one active node and nothing that could take its place (not checked); `ok`; `short`. */
  readonly status: 'off' | 'single' | 'ok' | 'short';
  readonly ok: boolean;
  /** Model node ids lost (largest active first) and the spares that stood in. */
  readonly lost: readonly number[];
  readonly standIns: readonly number[];
  /** Per container (of this target or another one sharing its nodes): replicas that no longer fit after the loss, and why. */
  readonly short: ReadonlyMap<number, HeadroomShort>;
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
  /** How the target's nodes were packed (packed targets; `tight` for an SDS, which is one machine). */
  readonly pack: PackMode;
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
  /** What tenants did to the packed nodes (VM overhead, capped ratios), by model node id; absent when no tenant isolation or cap matters. */
  readonly tenants?: { readonly local: ReadonlyMap<number, number>; readonly pack: TenantPack };
}

export interface PlanOptions {
  /** Node-scan budget of the improvement pass. */
  readonly improveBudget?: number;
  /** Check failure headroom (default true; quick-fix verification only asks whether replicas fit). */
  readonly headroom?: boolean;
}

const DEFAULT_IMPROVE_BUDGET = 4_000_000;

export function planModel(model: Model, options: PlanOptions = {}): Plan {
  const { groups, keyOf } = groupTargets(model);
  const containers = new Map<number, ContainerPlan>();
  const onNode = new Map<number, [number, number][]>();
  const plain = packedWorld(model, groups);
  const packOptions = { improveBudget: options.improveBudget ?? DEFAULT_IMPROVE_BUDGET };
  const withTenants = tenantsMatter(model) ? packWithTenants(model, plain.nodes, plain.items, (ns, its, mode) => packByComponent(ns, its, mode ? { ...packOptions, mode } : packOptions)) : null;
  const world: PackedWorld = withTenants ? { ...plain, nodes: withTenants.nodes, items: withTenants.items } : plain;
  const outcome = withTenants ? withTenants.outcome : packByComponent(world.nodes, world.items, packOptions);
  world.items.forEach((item, i) => {
    const o = outcome.items[i];
    const c = model.containers[item.container];
    const nodes: number[] = new Array(o.nodes.length);
    for (let r = 0; r < o.nodes.length; r++) nodes[r] = o.nodes[r] < 0 ? -1 : world.poolIds[o.nodes[r]];
    nodes.forEach((id, r) => {
      if (id < 0) return;
      let l = onNode.get(id);
      if (!l) { l = []; onNode.set(id, l); }
      l.push([c.id, r]);
    });
    containers.set(c.id, { container: c.id, group: keyOf.get(c.id)!, nodes, placed: c.replicas - o.unplaced, unplaced: o.unplaced, reason: o.reason });
  });
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
  // the loss is packed as placement packs: from the plain budgets and eligible lists, with tenants when they matter
  const headroom = new PackedHeadroom(model, plain, outcome.items, withTenants !== null);
  const checkHeadroom = options.headroom !== false;
  for (const g of groups) {
    if (g.kind === 'sds') plans.push(planSds(model, g, containers, freeSpares, checkHeadroom));
    else plans.push(planPacked(model, g, world, outcome.modes, checkHeadroom ? headroom : null));
  }
  return { model, groups: plans, containers, onNode, usedNodes: outcome.usedNodes, ...(withTenants ? { tenants: { local: world.local, pack: withTenants.tenants } } : {}) };
}

/** The one pack of every packed target: every node outside an SDS that some target uses, and one item per container. */
interface PackedWorld {
  /** Model node ids, ascending; pack node i is poolIds[i]. */
  readonly poolIds: readonly number[];
  readonly local: ReadonlyMap<number, number>;
  readonly nodes: readonly PackNode[];
  readonly items: readonly PackItem[];
  /** Per container: the model node ids of its target (spares too). */
  readonly targetNodes: ReadonlyMap<number, readonly number[]>;
}

function packedWorld(model: Model, groups: readonly TargetGroup[]): PackedWorld {
  const packed = groups.filter((g) => g.kind !== 'sds');
  const poolIds = [...new Set(packed.flatMap((g) => g.nodes))].sort((a, b) => a - b);
  const local = new Map(poolIds.map((id, i) => [id, i]));
  const nodes: PackNode[] = poolIds.map((id) => packNodeOf(model, id, model.defaults.cpuRatio, model.defaults.memoryRatio));
  const items: PackItem[] = [];
  const targetNodes = new Map<number, readonly number[]>();
  for (const g of packed) {
    const eligible = g.nodes.filter((id) => model.nodes[id].role === 'active').map((id) => local.get(id)!);
    for (const cid of g.containers) {
      items.push(itemOf(model, model.containers[cid], eligible, packedPeer(model, model.containers[cid])));
      targetNodes.set(cid, g.nodes);
    }
  }
  return { poolIds, local, nodes, items, targetNodes };
}

/** The packing mode of a node: its rack's `pack`, else the defaults'. */
function modeOfNode(model: Model, id: number): PackMode {
  const n = model.nodes[id];
  return model.racks[n.rack]?.pack ?? model.defaults.pack;
}

/** A node as the pack sees it (also used by the simulator to start replicas during a scenario). */
export function packNodeOf(model: Model, id: number, cpuRatio: number, memoryRatio: number): PackNode {
  const n = model.nodes[id];
  return { id, rack: n.rack, cpu: n.cores, memory: n.memory, cpuAllowance: n.cores * cpuRatio, memoryAllowance: n.memory * memoryRatio, nic: n.nic, mode: modeOfNode(model, id) };
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

/** A container as the pack sees it (also used by the simulator to start replicas during a scenario). */
export function itemOf(model: Model, c: Container, eligible: readonly number[], colocate: number | null): PackItem {
  return {
    container: c.id, replicas: Math.max(0, Math.floor(c.replicas)),
    cpuRequest: c.cpuRequest, memoryRequest: c.memoryRequest, cpuLimit: Math.max(c.cpuLimit, c.cpuRequest), memoryLimit: Math.max(c.memoryLimit, c.memoryRequest),
    ...(c.network > 0 ? { network: c.network } : {}), eligible, spread: c.spread, even: c.spreadEven, colocate, rank: rankOf(c),
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

function planSds(model: Model, g: TargetGroup, containers: Map<number, ContainerPlan>, freeSpares: ReadonlyMap<number, readonly number[]>, checkHeadroom: boolean): GroupPlan {
  const sds = model.sdses[g.ref];
  const active = g.nodes.filter((id) => model.nodes[id].role === 'active');
  const capOf = (ids: readonly number[]): Totals => {
    let cpu = 0, memory = 0;
    for (const id of ids) { const c = sdsNodeCapacity(model.nodes[id], sds.reserveCores, sds.reserveMemory); cpu += c.cpu; memory += c.memory; }
    return { cpu, memory };
  };
  const capacity = capOf(active);
  const ratios = sdsRatios(model, sds.cpuRatio, sds.memoryRatio, g.containers);
  const allowance = { cpu: capacity.cpu * ratios.cpu, memory: capacity.memory * ratios.memory };
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
  const h = checkHeadroom ? Math.max(0, Math.floor(model.defaults.headroom)) : 0;
  const lost = h === 0 ? [] : largestFirst(model, active).slice(0, h);
  const racks = new Set(g.nodes.map((id) => model.nodes[id].rack));
  const spareCandidates = [
    ...g.nodes.filter((id) => model.nodes[id].role === 'spare'),
    ...[...racks].sort((a, b) => a - b).flatMap((r) => freeSpares.get(r) ?? []),
  ];
  const standIns = largestFirst(model, spareCandidates).slice(0, lost.length);
  const after = capOf([...active.filter((id) => !lost.includes(id)), ...standIns]);
  const fits = requested.cpu <= after.cpu + 1e-9 && requested.memory <= after.memory + 1e-9;
  // one active node and no spare to take its place: the file describes one machine; not checked
  const status = h === 0 ? 'off' : active.length <= 1 && standIns.length === 0 ? 'single' : fits ? 'ok' : 'short';
  return {
    group: g, active, spares: g.nodes.filter((id) => model.nodes[id].role === 'spare'), capacity, allowance, requested, limited,
    cpuRatio: ratios.cpu, memoryRatio: ratios.memory, pack: 'tight',
    headroom: { failures: h, status, ok: status !== 'short', lost, standIns, short: new Map(), capacity: after },
  };
}

function planPacked(model: Model, g: TargetGroup, world: PackedWorld, modes: readonly PackMode[], headroom: PackedHeadroom | null): GroupPlan {
  const d = model.defaults;
  const active = g.nodes.filter((id) => model.nodes[id].role === 'active');
  const spares = g.nodes.filter((id) => model.nodes[id].role === 'spare');
  let cpu = 0, memory = 0;
  for (const id of active) { cpu += model.nodes[id].cores; memory += model.nodes[id].memory; }
  const { requested, limited } = demand(model, g);
  const h = headroom ? Math.max(0, Math.floor(d.headroom)) : 0;
  const first = active.length ? world.local.get(active[0]) : undefined;
  const pack: PackMode = first !== undefined ? modes[first] : g.nodes.length ? modeOfNode(model, g.nodes[0]) : d.pack;
  return {
    group: g, active, spares, capacity: { cpu, memory }, allowance: { cpu: cpu * d.cpuRatio, memory: memory * d.memoryRatio },
    requested, limited, cpuRatio: d.cpuRatio, memoryRatio: d.memoryRatio, pack,
    headroom: h === 0 || !headroom
      ? { failures: 0, status: 'off', ok: true, lost: [], standIns: [], short: new Map(), capacity: { cpu, memory } }
      : headroom.of(g, h, active, spares),
  };
}

/**
 * Failure headroom of packed targets. For a target, its `h` largest active nodes are lost and
 * its spares stand in; then every container of the pack is placed again from scratch (tight:
 * whether replicas fit does not depend on the packing mode, nor on where they were before).
 * A container is short when fewer of its replicas fit than before the loss. Requests only
 * (the spec: "all requests must still fit"). Targets that lose the same nodes share the answer.
 * With tenants, the nodes left are packed with them (packWithTenants), as placement packs: a
 * `vm` tenant pays its overhead on each node it comes to share, a tenant's `oversubscribe` caps
 * the nodes it comes to, and a dedicated tenant keeps nodes of its own.
 */
class PackedHeadroom {
  private readonly memo = new Map<string, { short: Map<number, HeadroomShort> }>();
  /** The base pack's independent parts (computed when first needed): a loss re-packs only the parts it touches. */
  private parts: { readonly nodes: number[]; readonly items: number[] }[] | null = null;
  private partOfNode: Int32Array | null = null;
  private partOfItem: Int32Array | null = null;
  /** Per spare (pack index): the items whose target includes it (they may use it when it stands in). */
  private readonly takers = new Map<number, number[]>();

  constructor(
    private readonly model: Model,
    private readonly world: PackedWorld,
    private readonly base: readonly ItemOutcome[],
    private readonly withTenants: boolean,
  ) {}

  private split(): void {
    const parts = components(this.world.nodes, this.world.items);
    this.partOfNode = new Int32Array(this.world.nodes.length);
    this.partOfItem = new Int32Array(this.world.items.length);
    parts.forEach((p, k) => { for (const x of p.nodes) this.partOfNode![x] = k; for (const i of p.items) this.partOfItem![i] = k; });
    this.parts = parts;
    this.world.items.forEach((it, i) => {
      for (const id of this.world.targetNodes.get(it.container) ?? []) {
        if (this.model.nodes[id].role !== 'spare') continue;
        const x = this.world.local.get(id)!;
        const l = this.takers.get(x);
        if (l) l.push(i); else this.takers.set(x, [i]);
      }
    });
  }

  of(g: TargetGroup, h: number, active: readonly number[], spares: readonly number[]): HeadroomPlan {
    const model = this.model;
    const lost = largestFirst(model, active).slice(0, h);
    const standIns = largestFirst(model, spares).slice(0, lost.length);
    const left = [...active.filter((id) => !lost.includes(id)), ...standIns];
    let cpu = 0, memory = 0;
    for (const id of left) { cpu += model.nodes[id].cores; memory += model.nodes[id].memory; }
    const capacity = { cpu, memory };
    if (this.single(active, spares)) return { failures: h, status: 'single', ok: true, lost: [], standIns: [], short: new Map(), capacity };
    const key = `${lost.join(',')}|${standIns.join(',')}`;
    let found = this.memo.get(key);
    if (!found) { found = { short: this.repack(lost, standIns) }; this.memo.set(key, found); }
    const status = found.short.size > 0 ? 'short' : 'ok';
    return { failures: h, status, ok: status === 'ok', lost, standIns, short: found.short, capacity };
  }

  /** One active node, no spare, and no other node outside an SDS in its rack: nothing could take its place. */
  private single(active: readonly number[], spares: readonly number[]): boolean {
    if (active.length !== 1 || spares.length > 0) return false;
    const n = this.model.nodes[active[0]];
    return (this.model.racks[n.rack]?.nodes ?? []).every((id) => id === n.id || this.model.nodes[id].sds !== null);
  }

  /**
   * The nodes left packed with tenants. Where costly tenants land depends on the packing mode
   * (tight keeps a capped tenant on few nodes, spread makes a vm tenant share many), so when the
   * nodes' own modes (as placement packs) leave replicas out, tight is tried too; either
   * arrangement holds every constraint, and the one that leaves fewer out is the answer.
   */
  private tenantPack(nodes: readonly PackNode[], items: readonly PackItem[]): PackOutcome {
    const withMode = (mode: PackMode | undefined) => packWithTenants(this.model, nodes, items, (ns, its, m) => packByComponent(ns, its, { improveBudget: 0, ...(m ?? mode ? { mode: m ?? mode } : {}) })).outcome;
    const left = (o: PackOutcome): number => o.items.reduce((s, x) => s + x.unplaced, 0);
    const own = withMode(undefined);
    if (left(own) === 0) return own;
    const tight = withMode('tight');
    return left(tight) < left(own) ? tight : own;
  }

  private repack(lost: readonly number[], standIns: readonly number[]): Map<number, HeadroomShort> {
    const { world } = this;
    if (!this.parts) this.split();
    const lostLocal = new Set(lost.map((id) => world.local.get(id)!));
    const standInLocal = new Set(standIns.map((id) => world.local.get(id)!));
    // The parts the loss touches: those of the lost nodes and of the items a stand-in may take.
    const touched = new Set<number>();
    for (const x of lostLocal) touched.add(this.partOfNode![x]);
    for (const x of standInLocal) for (const i of this.takers.get(x) ?? []) touched.add(this.partOfItem![i]);
    const nodeIds = new Set<number>(standInLocal);
    const itemIds: number[] = [];
    for (const k of touched) { for (const x of this.parts![k].nodes) nodeIds.add(x); itemIds.push(...this.parts![k].items); }
    itemIds.sort((a, b) => a - b);
    const nodes = [...nodeIds].sort((a, b) => a - b);
    const sub = new Map(nodes.map((x, k) => [x, k]));
    // Items of one target share their eligible list: map each list once.
    const mapped = new Map<readonly number[], readonly number[]>();
    const items: PackItem[] = itemIds.map((i) => {
      const it = world.items[i];
      let eligible = mapped.get(it.eligible);
      if (!eligible) {
        const own = world.targetNodes.get(it.container) ?? [];
        const extra = own.map((id) => world.local.get(id)!).filter((x) => standInLocal.has(x));
        eligible = [...it.eligible.filter((x) => !lostLocal.has(x)), ...extra].sort((a, b) => a - b).map((x) => sub.get(x)!);
        mapped.set(it.eligible, eligible);
      }
      return { ...it, eligible };
    });
    const subNodes = nodes.map((x) => world.nodes[x]);
    const out = this.withTenants ? this.tenantPack(subNodes, items) : packByComponent(subNodes, items, { improveBudget: 0, mode: 'tight' });
    const short = new Map<number, HeadroomShort>();
    out.items.forEach((o, k) => {
      const i = itemIds[k];
      const more = o.unplaced - this.base[i].unplaced;
      if (more <= 0) return;
      const it = items[k];
      const cause: ShortCause = it.eligible.length === 0 && world.items[i].eligible.length > 0 ? 'pinned' : o.reason ? SHORT_CAUSE[o.reason] : 'capacity';
      short.set(it.container, { replicas: more, cause });
    });
    return short;
  }
}
