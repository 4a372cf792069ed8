/**
 * The packing engine: places identical replicas of containers onto nodes, each replica on one
 * node, honouring four per-node budgets (CPU and memory requests against capacity, CPU and
 * memory limits against the allowance), `spread`, `colocate` and priority.
 *
 * Heuristic: first-fit decreasing. Containers are ordered by priority (high first), then by
 * their dominant share (the largest of their four demands relative to the pool's largest node),
 * largest first; a colocated container is placed right after the container it follows. Each
 * replica goes to the first eligible node (declaration order) that can hold it. A bounded local
 * improvement pass then tries to empty the least loaded nodes into the others, which lowers the
 * node count towards the lower bound. Everything is deterministic: no randomness, no clocks.
 */

import type { Spread } from '../model/types';

export interface PackNode {
  /** Model node id. */
  readonly id: number;
  readonly rack: number;
  readonly cpu: number;
  readonly memory: number;
  readonly cpuAllowance: number;
  readonly memoryAllowance: number;
}

export interface PackItem {
  /** Model container id (unique among items). */
  readonly container: number;
  readonly replicas: number;
  readonly cpuRequest: number;
  readonly memoryRequest: number;
  readonly cpuLimit: number;
  readonly memoryLimit: number;
  /** Indexes into the pack's node array, in preference (declaration) order. */
  readonly eligible: readonly number[];
  readonly spread: Spread | null;
  /** Container id whose nodes this one must share, or null. */
  readonly colocate: number | null;
  /** Higher is placed first. */
  readonly rank: number;
}

/** Why a replica could not be placed. */
export type UnplacedReason = 'node-size' | 'no-nodes' | 'spread' | 'colocate' | 'capacity' | 'allowance';

export interface ItemOutcome {
  readonly container: number;
  /** Node index per replica, -1 when unplaced. */
  readonly nodes: Int32Array;
  /** Reason of the first unplaced replica (all later ones share it), or null. */
  readonly reason: UnplacedReason | null;
  readonly unplaced: number;
}

/** Replicas already on nodes that this pack must respect (used by the headroom re-pack). */
export interface FixedLoad {
  readonly container: number;
  readonly node: number;
  readonly count: number;
}

export interface PackOptions {
  /** Replicas placed elsewhere beforehand, counted for spread and colocate (not for budgets). */
  readonly fixed?: readonly FixedLoad[];
  /** Node-scan budget of the improvement pass (0 turns it off). */
  readonly improveBudget?: number;
}

export interface PackOutcome {
  readonly items: readonly ItemOutcome[];
  /** Remaining budget per node: cpu request, memory request, cpu limit, memory limit. */
  readonly residual: Float64Array;
  readonly usedNodes: number;
}

const EPS = 1e-9;

export function pack(nodes: readonly PackNode[], items: readonly PackItem[], options: PackOptions = {}): PackOutcome {
  const n = nodes.length;
  const residual = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    residual[i * 4] = nodes[i].cpu;
    residual[i * 4 + 1] = nodes[i].memory;
    residual[i * 4 + 2] = nodes[i].cpuAllowance;
    residual[i * 4 + 3] = nodes[i].memoryAllowance;
  }
  const counts = new Int32Array(n); // replicas per node, for the improvement pass
  /** container id -> node index -> replica count. */
  const hosts = new Map<number, Map<number, number>>();
  const hostMap = (c: number): Map<number, number> => {
    let m = hosts.get(c);
    if (!m) { m = new Map(); hosts.set(c, m); }
    return m;
  };
  for (const f of options.fixed ?? []) {
    const m = hostMap(f.container);
    m.set(f.node, (m.get(f.node) ?? 0) + f.count);
  }

  let maxCpu = EPS, maxMem = EPS, maxCpuA = EPS, maxMemA = EPS;
  for (const nd of nodes) {
    maxCpu = Math.max(maxCpu, nd.cpu); maxMem = Math.max(maxMem, nd.memory);
    maxCpuA = Math.max(maxCpuA, nd.cpuAllowance); maxMemA = Math.max(maxMemA, nd.memoryAllowance);
  }
  const size = (it: PackItem): number =>
    Math.max(it.cpuRequest / maxCpu, it.memoryRequest / maxMem, it.cpuLimit / maxCpuA, it.memoryLimit / maxMemA);

  const order = orderItems(items, size);
  const outcomes = new Map<number, ItemOutcome>();

  for (const it of order) {
    const placed = new Int32Array(it.replicas).fill(-1);
    const own = hostMap(it.container);
    const racks = new Map<number, number>();
    if (it.spread === 'racks') for (const [node, c] of own) racks.set(nodes[node].rack, (racks.get(nodes[node].rack) ?? 0) + c);
    let candidates: readonly number[] = it.eligible;
    if (it.colocate !== null) {
      const peer = hosts.get(it.colocate);
      const allowed = new Set(it.eligible);
      candidates = peer ? [...peer.keys()].filter((x) => allowed.has(x)).sort((a, b) => a - b) : [];
    }
    const fitsEmpty = candidates.some((x) => fitsIn(nodes, x, it));
    let reason: UnplacedReason | null = null;
    let unplaced = 0;
    let start = 0;
    for (let r = 0; r < it.replicas; r++) {
      if (reason !== null) { unplaced++; continue; }
      let chosen = -1;
      for (let k = start; k < candidates.length; k++) {
        const x = candidates[k];
        const b = x * 4;
        if (residual[b] + EPS < it.cpuRequest || residual[b + 1] + EPS < it.memoryRequest || residual[b + 2] + EPS < it.cpuLimit || residual[b + 3] + EPS < it.memoryLimit) continue;
        if (it.spread === 'nodes' && (own.get(x) ?? 0) > 0) continue;
        if (it.spread === 'racks' && (racks.get(nodes[x].rack) ?? 0) > 0) continue;
        chosen = x;
        start = k;
        break;
      }
      if (chosen < 0) {
        reason = whyNot(nodes, residual, it, candidates, fitsEmpty);
        unplaced++;
        continue;
      }
      placed[r] = chosen;
      take(residual, chosen, it, 1);
      counts[chosen]++;
      own.set(chosen, (own.get(chosen) ?? 0) + 1);
      if (it.spread === 'racks') racks.set(nodes[chosen].rack, (racks.get(nodes[chosen].rack) ?? 0) + 1);
    }
    outcomes.set(it.container, { container: it.container, nodes: placed, reason, unplaced });
  }

  if ((options.improveBudget ?? 0) > 0) improve(nodes, order, outcomes, residual, counts, hosts, options.improveBudget ?? 0);

  let usedNodes = 0;
  for (let i = 0; i < n; i++) if (counts[i] > 0) usedNodes++;
  return { items: items.map((it) => outcomes.get(it.container)!), residual, usedNodes };
}

function take(residual: Float64Array, x: number, it: PackItem, sign: number): void {
  const b = x * 4;
  residual[b] -= sign * it.cpuRequest;
  residual[b + 1] -= sign * it.memoryRequest;
  residual[b + 2] -= sign * it.cpuLimit;
  residual[b + 3] -= sign * it.memoryLimit;
}

function fitsIn(nodes: readonly PackNode[], x: number, it: PackItem): boolean {
  const nd = nodes[x];
  return nd.cpu + EPS >= it.cpuRequest && nd.memory + EPS >= it.memoryRequest && nd.cpuAllowance + EPS >= it.cpuLimit && nd.memoryAllowance + EPS >= it.memoryLimit;
}

/** The reason a replica found no node: checked from the most specific to the most general. */
function whyNot(nodes: readonly PackNode[], residual: Float64Array, it: PackItem, candidates: readonly number[], fitsEmpty: boolean): UnplacedReason {
  if (it.eligible.length === 0) return 'no-nodes';
  if (it.colocate !== null && candidates.length === 0) return 'colocate';
  if (!fitsEmpty) return it.colocate !== null && it.eligible.some((x) => fitsIn(nodes, x, it)) ? 'colocate' : 'node-size';
  const room = (x: number, limits: boolean): boolean => {
    const b = x * 4;
    return residual[b] + EPS >= it.cpuRequest && residual[b + 1] + EPS >= it.memoryRequest &&
      (!limits || (residual[b + 2] + EPS >= it.cpuLimit && residual[b + 3] + EPS >= it.memoryLimit));
  };
  if (candidates.some((x) => room(x, true))) return it.spread ? 'spread' : 'colocate';
  if (it.colocate !== null && it.eligible.some((x) => room(x, true))) return 'colocate';
  if (candidates.some((x) => room(x, false))) return 'allowance';
  return 'capacity';
}

/**
 * Priority first, then dominant share (largest first), then declaration order; a container with
 * `colocate` comes right after the container it follows (which inherits its rank if higher).
 */
function orderItems(items: readonly PackItem[], size: (it: PackItem) => number): PackItem[] {
  const byId = new Map(items.map((it) => [it.container, it]));
  const rank = new Map(items.map((it) => [it.container, it.rank]));
  for (let pass = 0; pass < items.length && pass < 32; pass++) {
    let changed = false;
    for (const it of items) {
      if (it.colocate === null || !byId.has(it.colocate)) continue;
      const mine = rank.get(it.container)!;
      if (mine > rank.get(it.colocate)!) { rank.set(it.colocate, mine); changed = true; }
    }
    if (!changed) break;
  }
  const sizes = new Map(items.map((it) => [it.container, size(it)]));
  const sorted = [...items].sort((a, b) => rank.get(b.container)! - rank.get(a.container)! || sizes.get(b.container)! - sizes.get(a.container)! || a.container - b.container);
  const out: PackItem[] = [];
  const done = new Set<number>();
  const visiting = new Set<number>();
  const emit = (it: PackItem): void => {
    if (done.has(it.container) || visiting.has(it.container)) return;
    visiting.add(it.container);
    if (it.colocate !== null) { const peer = byId.get(it.colocate); if (peer) emit(peer); }
    visiting.delete(it.container);
    done.add(it.container);
    out.push(it);
  };
  for (const it of sorted) emit(it);
  return out;
}

/**
 * Tries to empty the least loaded used nodes by moving each of their replicas to another used
 * node (first fit). A node is emptied only if all its replicas move; otherwise nothing changes.
 * Replicas of containers with `spread` or `colocate` (either side) stay where they are.
 */
function improve(
  nodes: readonly PackNode[], order: readonly PackItem[], outcomes: Map<number, ItemOutcome>, residual: Float64Array,
  counts: Int32Array, hosts: Map<number, Map<number, number>>, budget: number,
): void {
  const pinned = new Set<number>();
  for (const it of order) {
    if (it.spread || it.colocate !== null) pinned.add(it.container);
    if (it.colocate !== null) pinned.add(it.colocate);
  }
  const itemsById = new Map(order.map((it) => [it.container, it]));
  // Which replicas sit on each node.
  const onNode = new Map<number, { item: PackItem; replica: number }[]>();
  for (const it of order) {
    const o = outcomes.get(it.container)!;
    for (let r = 0; r < o.nodes.length; r++) {
      const x = o.nodes[r];
      if (x < 0) continue;
      let l = onNode.get(x);
      if (!l) { l = []; onNode.set(x, l); }
      l.push({ item: it, replica: r });
    }
  }
  const load = (x: number): number => {
    const nd = nodes[x];
    const b = x * 4;
    return Math.max(1 - residual[b] / Math.max(nd.cpu, EPS), 1 - residual[b + 1] / Math.max(nd.memory, EPS));
  };
  const used = [...onNode.keys()].sort((a, b) => load(a) - load(b) || b - a);
  const closed = new Uint8Array(nodes.length); // emptied nodes receive nothing
  let work = 0;
  for (const victim of used) {
    if (work > budget) break;
    const list = onNode.get(victim) ?? [];
    if (list.length === 0 || list.some((e) => pinned.has(e.item.container))) continue;
    const moves: { item: PackItem; replica: number; to: number }[] = [];
    closed[victim] = 1;
    let ok = true;
    for (const e of list) {
      let to = -1;
      for (const x of e.item.eligible) {
        work++;
        if (closed[x] || counts[x] === 0) continue;
        const b = x * 4;
        if (residual[b] + EPS < e.item.cpuRequest || residual[b + 1] + EPS < e.item.memoryRequest || residual[b + 2] + EPS < e.item.cpuLimit || residual[b + 3] + EPS < e.item.memoryLimit) continue;
        to = x;
        break;
      }
      if (to < 0) { ok = false; break; }
      take(residual, to, e.item, 1);
      moves.push({ ...e, to });
    }
    if (!ok) {
      for (const m of moves) take(residual, m.to, m.item, -1);
      closed[victim] = 0;
      continue;
    }
    for (const m of moves) {
      take(residual, victim, m.item, -1);
      counts[victim]--;
      counts[m.to]++;
      outcomes.get(m.item.container)!.nodes[m.replica] = m.to;
      const h = hosts.get(m.item.container)!;
      h.set(victim, (h.get(victim) ?? 0) - 1);
      if (h.get(victim)! <= 0) h.delete(victim);
      h.set(m.to, (h.get(m.to) ?? 0) + 1);
      const dest = onNode.get(m.to)!;
      dest.push({ item: itemsById.get(m.item.container)!, replica: m.replica });
    }
    onNode.set(victim, []);
  }
}
