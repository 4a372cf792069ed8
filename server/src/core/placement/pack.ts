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

  const { order, rank } = orderItems(items, size);
  const outcomes = new Map<number, ItemOutcome>();
  const placedOf = new Map<number, Int32Array>();
  const doneOf = new Map<number, number>();
  for (const it of order) { placedOf.set(it.container, new Int32Array(it.replicas).fill(-1)); doneOf.set(it.container, 0); }
  const place = (it: PackItem, x: number): void => {
    const k = doneOf.get(it.container)!;
    placedOf.get(it.container)![k] = x;
    doneOf.set(it.container, k + 1);
    take(residual, x, it, 1);
    counts[x]++;
    const own = hostMap(it.container);
    own.set(x, (own.get(x) ?? 0) + 1);
  };
  const finish = (it: PackItem, candidates: readonly number[]): void => {
    const unplaced = it.replicas - doneOf.get(it.container)!;
    const reason = unplaced > 0 ? whyNot(nodes, residual, it, candidates, candidates.some((x) => fitsIn(nodes, x, it))) : null;
    outcomes.set(it.container, { container: it.container, nodes: placedOf.get(it.container)!, reason, unplaced });
  };
  // Containers in a colocate relation (either side) go item by item, the followed one first.
  const coloc = new Set<number>();
  for (const it of items) if (it.colocate !== null) { coloc.add(it.container); coloc.add(it.colocate); }

  for (let i = 0; i < order.length;) {
    const r = rank.get(order[i].container)!;
    let j = i;
    while (j < order.length && rank.get(order[j].container) === r) j++;
    const phase = order.slice(i, j);
    i = j;
    for (const it of phase) {
      if (!coloc.has(it.container)) continue;
      const candidates = candidatesOf(it, hosts);
      firstFit(nodes, residual, it, candidates, hostMap(it.container), (x) => place(it, x));
      finish(it, candidates);
    }
    const rest = phase.filter((it) => !coloc.has(it.container));
    binCentric(nodes, residual, rest, hostMap, place);
    for (const it of rest) finish(it, it.eligible);
  }

  if ((options.improveBudget ?? 0) > 0) improve(nodes, order, outcomes, residual, counts, hosts, options.improveBudget ?? 0);

  let usedNodes = 0;
  for (let i = 0; i < n; i++) if (counts[i] > 0) usedNodes++;
  return { items: items.map((it) => outcomes.get(it.container)!), residual, usedNodes };
}

function candidatesOf(it: PackItem, hosts: ReadonlyMap<number, ReadonlyMap<number, number>>): readonly number[] {
  if (it.colocate === null) return it.eligible;
  const peer = hosts.get(it.colocate);
  const allowed = new Set(it.eligible);
  return peer ? [...peer.keys()].filter((x) => allowed.has(x)).sort((a, b) => a - b) : [];
}

/** Item-centric first fit over `candidates` in order (used for colocated containers). */
function firstFit(nodes: readonly PackNode[], residual: Float64Array, it: PackItem, candidates: readonly number[], own: ReadonlyMap<number, number>, place: (x: number) => void): void {
  const racks = new Map<number, number>();
  if (it.spread === 'racks') for (const [node, c] of own) racks.set(nodes[node].rack, (racks.get(nodes[node].rack) ?? 0) + c);
  let start = 0;
  for (let r = 0; r < it.replicas; r++) {
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
    if (chosen < 0) return; // every later replica is identical and finds nothing either
    place(chosen);
    if (it.spread === 'racks') racks.set(nodes[chosen].rack, (racks.get(nodes[chosen].rack) ?? 0) + 1);
  }
}

/**
 * Bin-centric packing (the "dot product" heuristic for vector bin packing): nodes are filled one
 * at a time, in order; each step puts on the node the replica that fits and whose demand vector
 * best matches what the node has left (largest dot product of demand and residual, both
 * relative to the node's budgets), so CPU-heavy and memory-heavy containers end up sharing nodes.
 */
function binCentric(
  nodes: readonly PackNode[], residual: Float64Array, list: readonly PackItem[],
  hostMap: (c: number) => Map<number, number>, place: (it: PackItem, x: number) => void,
): void {
  // Containers of identical shape and eligibility (and no spread) are one kind: the choice below
  // only looks at shapes, and members are used up in order, so the result is the same, faster.
  const kindsByKey = new Map<string, { group: number; members: PackItem[] }>();
  const eligibleIds = new Map<readonly number[], number>();
  for (const it of list) {
    if (it.replicas <= 0 || it.eligible.length === 0) continue;
    let e = eligibleIds.get(it.eligible);
    if (e === undefined) { e = eligibleIds.size; eligibleIds.set(it.eligible, e); }
    const key = it.spread ? `s${it.container}` : `${it.cpuRequest},${it.memoryRequest},${it.cpuLimit},${it.memoryLimit},${e}`;
    const kind = kindsByKey.get(key);
    if (kind) kind.members.push(it); else kindsByKey.set(key, { group: e, members: [it] });
  }
  const kinds = [...kindsByKey.values()].map((k) => k.members);
  const m = kinds.length;
  if (m === 0) return;
  const n = nodes.length;
  // Flat arrays: this loop runs (replicas + nodes) x kinds times.
  const cr = new Float64Array(m), mr = new Float64Array(m), cl = new Float64Array(m), ml = new Float64Array(m);
  const remaining = new Int32Array(m);
  const member = new Int32Array(m); // index of the member in use
  const memberLeft = new Int32Array(m); // replicas left of that member
  const racksOf: (Map<number, number> | null)[] = [];
  const spreadOf = new Uint8Array(m); // 0 none, 1 nodes, 2 racks
  let total = 0;
  for (let k = 0; k < m; k++) {
    const it = kinds[k][0];
    spreadOf[k] = it.spread === 'nodes' ? 1 : it.spread === 'racks' ? 2 : 0;
    cr[k] = it.cpuRequest; mr[k] = it.memoryRequest; cl[k] = it.cpuLimit; ml[k] = it.memoryLimit;
    remaining[k] = kinds[k].reduce((sum, x) => sum + x.replicas, 0);
    total += remaining[k];
    memberLeft[k] = it.replicas;
    let racks: Map<number, number> | null = null;
    if (it.spread === 'racks') {
      racks = new Map();
      for (const [x, c] of hostMap(it.container)) racks.set(nodes[x].rack, (racks.get(nodes[x].rack) ?? 0) + c);
    }
    racksOf.push(racks);
  }
  // Kinds by eligibility group, and the groups each node is in: a node only looks at kinds that may use it.
  const groupKinds: number[][] = Array.from({ length: eligibleIds.size }, () => []);
  [...kindsByKey.values()].forEach((kind, k) => groupKinds[kind.group].push(k));
  const nodeGroups: number[][] = Array.from({ length: n }, () => []);
  for (const [eligible, e] of eligibleIds) for (const x of eligible) nodeGroups[x].push(e);
  const fitting = new Int32Array(m);
  for (let x = 0; x < n && total > 0; x++) {
    const nd = nodes[x];
    const w0 = nd.cpu > 0 ? 1 / (nd.cpu * nd.cpu) : 0, w1 = nd.memory > 0 ? 1 / (nd.memory * nd.memory) : 0;
    const w2 = nd.cpuAllowance > 0 ? 1 / (nd.cpuAllowance * nd.cpuAllowance) : 0, w3 = nd.memoryAllowance > 0 ? 1 / (nd.memoryAllowance * nd.memoryAllowance) : 0;
    const b = x * 4;
    // Kinds that may use this node and have replicas left; the node only gets fuller, so the list only shrinks.
    let count = 0;
    const groups = nodeGroups[x];
    for (const e of groups) {
      const ks = groupKinds[e];
      let w = 0;
      for (let a = 0; a < ks.length; a++) { const k = ks[a]; if (remaining[k] > 0) { ks[w++] = k; fitting[count++] = k; } }
      ks.length = w;
    }
    if (groups.length > 1) fitting.subarray(0, count).sort(); // declaration order decides ties
    while (count > 0) {
      const r0 = residual[b] + EPS, r1 = residual[b + 1] + EPS, r2 = residual[b + 2] + EPS, r3 = residual[b + 3] + EPS;
      let best = -1;
      let bestScore = -1;
      let kept = 0;
      for (let a = 0; a < count; a++) {
        const k = fitting[a];
        if (cr[k] > r0 || mr[k] > r1 || cl[k] > r2 || ml[k] > r3 || remaining[k] === 0) continue;
        if (spreadOf[k] === 1 && (hostMap(kinds[k][member[k]].container).get(x) ?? 0) > 0) continue;
        if (spreadOf[k] === 2 && (racksOf[k]!.get(nd.rack) ?? 0) > 0) continue;
        fitting[kept++] = k;
        const score = cr[k] * r0 * w0 + mr[k] * r1 * w1 + cl[k] * r2 * w2 + ml[k] * r3 * w3;
        if (score > bestScore) { bestScore = score; best = k; }
      }
      count = kept;
      if (best < 0) break;
      place(kinds[best][member[best]], x);
      const racks = racksOf[best];
      if (racks) racks.set(nd.rack, (racks.get(nd.rack) ?? 0) + 1);
      remaining[best]--;
      if (--memberLeft[best] === 0 && remaining[best] > 0) { member[best]++; memberLeft[best] = kinds[best][member[best]].replicas; }
      total--;
    }
  }
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
function orderItems(items: readonly PackItem[], size: (it: PackItem) => number): { order: PackItem[]; rank: Map<number, number> } {
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
  return { order: out, rank };
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
