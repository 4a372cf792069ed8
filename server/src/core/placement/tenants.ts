/**
 * Tenant isolation as constraints of the packed targets (racks, node sets),
 * around the packing engine (pack.ts), which knows neither:
 *
 * - `dedicated` tenants get nodes of their own: each is packed alone first (tight) onto the
 *   nodes of its targets that others need least, and the nodes it uses leave every other
 *   tenant's eligible lists.
 * - A `vm` tenant that shares a node with another tenant pays one VM `overhead` there (request
 *   and limit), and a tenant's `oversubscribe` caps the allowance of the nodes that host it.
 *   Both depend on where replicas go, so the pack runs again with the nodes' budgets lowered by
 *   what the last pack needed, until what it needs is what was set aside (a few rounds; when it
 *   does not settle, once more with every node set aside for every tenant that may use it).
 * `network` requests are a budget of the packing engine itself (against each node's `nic`), so
 * every pack here honours them, a dedicated tenant's pack alone too.
 *
 * Without tenants other than `shared` ones, nothing changes.
 */

import type { Model, PackMode } from '../model/types';
import type { ItemOutcome, PackItem, PackNode, PackOutcome, UnplacedReason } from './pack';

const EPS = 1e-9;
const ROUNDS = 4;

/** What tenants did to the packed targets: per pack node, the VM overhead counted and the ratios allowed. */
export interface TenantPack {
  /** Per pack node: cores and bytes of VM overhead counted there. */
  readonly overheadCpu: Float64Array;
  readonly overheadMemory: Float64Array;
  /** Per pack node: the oversubscription ratios that hold there (the defaults' unless a tenant caps them). */
  readonly cpuRatio: Float64Array;
  readonly memoryRatio: Float64Array;
  /** Per pack node: the dedicated tenant it is set aside for, or -1. */
  readonly reservedFor: Int32Array;
}


/** The tenant of a container as the pack counts it: its index, or -1 for the default tenant. */
function tenantOf(model: Model, container: number): number {
  return model.containers[container]?.tenant ?? -1;
}

export function tenantsMatter(model: Model): boolean {
  return model.tenants.some((t) => t.isolation !== 'shared' || t.oversubscribe !== null);
}

/** The ratio caps of a tenant, or the defaults'. */
function capOf(model: Model, t: number): { cpu: number; memory: number } {
  const o = t >= 0 ? model.tenants[t]?.oversubscribe : null;
  return { cpu: o?.cpu ?? Infinity, memory: o?.memory ?? Infinity };
}

/**
 * Packs the items onto the nodes with tenant isolation. Returns the outcome (reason `isolation`
 * where isolation left replicas out), the items as packed (their
 * eligible lists without the nodes set aside for a dedicated tenant) and what tenants did to
 * each node.
 */
type PackFnOf<R> = (nodes: readonly PackNode[], items: readonly PackItem[], mode?: PackMode) => R;

interface Attempt<R> {
  readonly outcome: R;
  readonly items: readonly PackItem[];
  readonly nodes: readonly PackNode[];
  readonly vms: readonly number[][];
  readonly cpuRatio: Float64Array;
  readonly memoryRatio: Float64Array;
  readonly reservedFor: Int32Array;
  readonly short: Set<number>;
  /** Containers of a tenant kept apart that leave replicas out even alone on every node they may use, with the reason they do. */
  readonly intrinsic: ReadonlyMap<number, UnplacedReason>;
  readonly unplaced: number;
}

export function packWithTenants<R extends PackOutcome>(
  model: Model, nodes: readonly PackNode[], items: readonly PackItem[], packFn: PackFnOf<R>,
): { outcome: R; items: readonly PackItem[]; nodes: readonly PackNode[]; tenants: TenantPack } {
  const n = nodes.length;
  let best = attempt(model, nodes, items, packFn, (t) => model.tenants[t].isolation === 'dedicated');
  // Sharing may cost more than it saves (VM overhead, a tenant's cap on its neighbours): try those tenants on nodes of their own too.
  const separable = (t: number): boolean => model.tenants[t].isolation !== 'shared' || model.tenants[t].oversubscribe !== null;
  if (best.unplaced > 0 && model.tenants.some((t) => t.isolation === 'vm' || t.oversubscribe !== null)) {
    const apart = attempt(model, nodes, items, packFn, separable);
    if (apart.unplaced < best.unplaced) best = apart;
  }
  const placed = best.outcome.items;
  // Others that lost nodes to a tenant kept apart and leave replicas out, where they would all fit without isolation: short for isolation.
  const short = new Set(best.short);
  // Others left with no node at all by a tenant kept apart: isolation is why, whatever else is short too
  // (not a kept-apart container that fits nowhere even alone: its own reason is the one to give).
  placed.forEach((o, i) => {
    if (o.unplaced > 0 && best.items[i] !== items[i] && best.items[i].eligible.length === 0 && items[i].eligible.length > 0 && !best.intrinsic.has(o.container)) short.add(o.container);
  });
  if (placed.some((o, i) => o.unplaced > 0 && best.items[i] !== items[i] && !short.has(o.container))) {
    const free = packFn(nodes, items).items;
    placed.forEach((o, i) => { if (o.unplaced > 0 && best.items[i] !== items[i] && free[i].unplaced < o.unplaced) short.add(o.container); });
  }
  const overheadCpu = new Float64Array(n), overheadMemory = new Float64Array(n);
  for (let x = 0; x < n; x++) for (const t of best.vms[x]) { overheadCpu[x] += model.tenants[t].overhead.cpu; overheadMemory[x] += model.tenants[t].overhead.memory; }
  // (a container of a tenant kept apart that fits nowhere, even alone, has no nodes left in the pack: its own reason is the one to give)
  const reasonOf = (o: ItemOutcome): UnplacedReason | null => (o.unplaced > 0 && short.has(o.container) ? 'isolation'
    : o.unplaced > 0 && o.reason === 'no-nodes' ? best.intrinsic.get(o.container) ?? o.reason : o.reason);
  const withReasons = placed.map((o) => { const reason = reasonOf(o); return reason === o.reason ? o : { ...o, reason }; });
  return {
    outcome: { ...best.outcome, items: withReasons },
    items: best.items,
    nodes: best.nodes,
    tenants: { overheadCpu, overheadMemory, cpuRatio: best.cpuRatio, memoryRatio: best.memoryRatio, reservedFor: best.reservedFor },
  };
}

/** One way to pack: the tenants `apart` selects on nodes of their own, then VM overhead and caps settled round by round. */
function attempt<R extends PackOutcome>(model: Model, nodes: readonly PackNode[], items: readonly PackItem[], packFn: PackFnOf<R>, apart: (t: number) => boolean): Attempt<R> {
  const n = nodes.length;
  const base = { cpu: model.defaults.cpuRatio, memory: model.defaults.memoryRatio };
  const reservedFor = new Int32Array(n).fill(-1);
  const short = new Set<number>();
  const intrinsic = new Map<number, UnplacedReason>();
  const restricted = dedicate(model, nodes, items, reservedFor, { short, intrinsic }, packFn, apart);
  const tenantsOfItem = restricted.map((it) => tenantOf(model, it.container));
  const setAside = Array.from({ length: n }, () => new Set<number>());
  const capped = { cpu: new Float64Array(n).fill(base.cpu), memory: new Float64Array(n).fill(base.memory) };
  const budgets = (): PackNode[] => nodes.map((nd, x) => {
    let oc = 0, om = 0;
    for (const t of setAside[x]) { oc += model.tenants[t].overhead.cpu; om += model.tenants[t].overhead.memory; }
    return { ...nd, cpu: nd.cpu - oc, memory: nd.memory - om, cpuAllowance: nd.cpu * capped.cpu[x] - oc, memoryAllowance: nd.memory * capped.memory[x] - om };
  });
  let outcome = packFn(budgets(), restricted);
  // Tenants whose presence costs (VM overhead, a cap) stay on the nodes the first pack gave them, so those costs settle where they are.
  const costly = (t: number): boolean => t >= 0 && (model.tenants[t].isolation === 'vm' || model.tenants[t].oversubscribe !== null);
  const landed = new Map<number, Set<number>>();
  outcome.items.forEach((o, i) => {
    const t = tenantsOfItem[i];
    if (!costly(t)) return;
    const l = landed.get(t) ?? new Set<number>();
    for (const x of o.nodes) if (x >= 0) l.add(x);
    landed.set(t, l);
  });
  restricted.forEach((it, i) => {
    const l = landed.get(tenantsOfItem[i]);
    if (l && outcome.items[i].unplaced === 0) restricted[i] = { ...it, eligible: it.eligible.filter((x) => l.has(x)) };
  });
  let settled = false;
  for (let round = 0; round < ROUNDS && !settled; round++) {
    const need = needs(model, n, outcome.items, tenantsOfItem, base);
    settled = true;
    for (let x = 0; x < n; x++) {
      for (const t of need.vms[x]) if (!setAside[x].has(t)) { setAside[x].add(t); settled = false; }
      if (need.cpu[x] < capped.cpu[x] - EPS) { capped.cpu[x] = need.cpu[x]; settled = false; }
      if (need.memory[x] < capped.memory[x] - EPS) { capped.memory[x] = need.memory[x]; settled = false; }
    }
    if (!settled) outcome = packFn(budgets(), restricted);
  }
  if (!settled) {
    // every node set aside for every vm tenant that may share it, and capped by every tenant that may use it
    const mayUse: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
    restricted.forEach((it, i) => { for (const x of it.eligible) mayUse[x].add(tenantsOfItem[i]); });
    for (let x = 0; x < n; x++) {
      const ts = [...mayUse[x]];
      for (const t of ts) {
        if (t >= 0 && model.tenants[t].isolation === 'vm' && ts.length > 1) setAside[x].add(t);
        const c = capOf(model, t);
        capped.cpu[x] = Math.min(capped.cpu[x], c.cpu);
        capped.memory[x] = Math.min(capped.memory[x], c.memory);
      }
    }
    outcome = packFn(budgets(), restricted);
  }
  const final = needs(model, n, outcome.items, tenantsOfItem, base);
  const unplaced = outcome.items.reduce((s, o) => s + o.unplaced, 0);
  return { outcome, items: restricted, nodes: budgets(), vms: final.vms, cpuRatio: capped.cpu, memoryRatio: capped.memory, reservedFor, short, intrinsic, unplaced };
}

/** What a pack needs per node: the vm tenants that share it, and the smallest ratio caps of the tenants on it. */
function needs(model: Model, n: number, outcomes: readonly ItemOutcome[], tenantsOfItem: readonly number[], base: { cpu: number; memory: number }): { vms: number[][]; cpu: Float64Array; memory: Float64Array } {
  const present: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  outcomes.forEach((o, i) => { for (const x of o.nodes) if (x >= 0) present[x].add(tenantsOfItem[i]); });
  const vms: number[][] = [];
  const cpu = new Float64Array(n).fill(base.cpu), memory = new Float64Array(n).fill(base.memory);
  for (let x = 0; x < n; x++) {
    const ts = [...present[x]];
    vms.push(ts.length > 1 ? ts.filter((t) => t >= 0 && model.tenants[t].isolation === 'vm') : []);
    for (const t of ts) { const c = capOf(model, t); cpu[x] = Math.min(cpu[x], c.cpu); memory[x] = Math.min(memory[x], c.memory); }
  }
  return { vms, cpu, memory };
}

/**
 * Sets nodes aside for each dedicated tenant (highest priority first, then declaration order):
 * its items packed alone onto its eligible nodes not set aside yet, the nodes other tenants'
 * items depend on most tried last. Returns the items with their eligible lists restricted.
 * A dedicated tenant's container that fits alone on its target but not on what is left is
 * recorded in `short` (its replicas are then unplaced for isolation).
 */
function dedicate<R extends PackOutcome>(
  model: Model, nodes: readonly PackNode[], items: readonly PackItem[], reservedFor: Int32Array,
  found: { readonly short: Set<number>; readonly intrinsic: Map<number, UnplacedReason> }, packFn: PackFnOf<R>, apart: (t: number) => boolean,
): PackItem[] {
  const byTenant = new Map<number, number[]>();
  items.forEach((it, i) => {
    const t = tenantOf(model, it.container);
    if (t < 0 || !apart(t)) return;
    const l = byTenant.get(t);
    if (l) l.push(i); else byTenant.set(t, [i]);
  });
  if (byTenant.size === 0) return [...items];
  // How much the other items depend on each node: items pinned to few nodes weigh most.
  const pressure = new Float64Array(nodes.length);
  const rankOfTenant = (t: number): number => Math.max(...(byTenant.get(t) ?? []).map((i) => items[i].rank));
  const order = [...byTenant.keys()].sort((a, b) => rankOfTenant(b) - rankOfTenant(a) || a - b);
  const eligible = items.map((it) => [...it.eligible]);
  for (const t of order) {
    pressure.fill(0);
    items.forEach((it, i) => { if (tenantOf(model, it.container) !== t && eligible[i].length) for (const x of eligible[i]) pressure[x] += 1 / eligible[i].length; });
    const mine = byTenant.get(t) ?? [];
    const pool = [...new Set(mine.flatMap((i) => eligible[i]))].filter((x) => reservedFor[x] < 0).sort((a, b) => pressure[a] - pressure[b] || a - b);
    const solo = soloPack(nodes, items, mine, pool, packFn);
    const used = new Set<number>();
    solo.forEach((o) => { for (const x of o.nodes) if (x >= 0) used.add(x); });
    // short for isolation: fits alone on all of its target's nodes, not on those left to it
    const unplacedHere = solo.some((o) => o.unplaced > 0);
    if (unplacedHere) {
      const whole = soloPack(nodes, items, mine, [...new Set(mine.flatMap((i) => items[i].eligible))], packFn);
      mine.forEach((i, k) => {
        if (solo[k].unplaced > whole[k].unplaced) found.short.add(items[i].container);
        const why = whole[k].reason;
        if (whole[k].unplaced > 0 && why !== null) found.intrinsic.set(items[i].container, why);
      });
    }
    for (const x of used) reservedFor[x] = t;
    mine.forEach((i) => { eligible[i] = eligible[i].filter((x) => used.has(x)); });
    items.forEach((it, i) => { if (tenantOf(model, it.container) !== t) eligible[i] = eligible[i].filter((x) => !used.has(x)); });
  }
  // Others that lost nodes they could have used, and now leave replicas out, are short for isolation too (decided after the pack).
  return items.map((it, i) => (sameList(eligible[i], it.eligible) ? it : { ...it, eligible: eligible[i] }));
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The outcomes of some items packed alone (tight) on some nodes, in the order given. */
function soloPack<R extends PackOutcome>(nodes: readonly PackNode[], items: readonly PackItem[], which: readonly number[], pool: readonly number[], packFn: (nodes: readonly PackNode[], items: readonly PackItem[], mode?: PackMode) => R): readonly ItemOutcome[] {
  const local = new Map(pool.map((x, k) => [x, k]));
  const sub = pool.map((x) => nodes[x]);
  const subItems = which.map((i) => {
    const it = items[i];
    const colocate = it.colocate !== null && which.some((j) => items[j].container === it.colocate) ? it.colocate : null;
    return { ...it, colocate, eligible: it.eligible.filter((x) => local.has(x)).map((x) => local.get(x)!).sort((a, b) => a - b) };
  });
  const out = packFn(sub, subItems, 'tight');
  return out.items.map((o) => ({ ...o, nodes: o.nodes.map((k) => (k < 0 ? -1 : pool[k])) }));
}

/** The ratios an SDS allows with these containers on it: its own, capped by their tenants'. */
export function sdsRatios(model: Model, cpuRatio: number, memoryRatio: number, containers: readonly number[]): { cpu: number; memory: number } {
  let cpu = cpuRatio, memory = memoryRatio;
  for (const t of new Set(containers.map((id) => tenantOf(model, id)))) {
    const c = capOf(model, t);
    cpu = Math.min(cpu, c.cpu);
    memory = Math.min(memory, c.memory);
  }
  return { cpu, memory };
}
