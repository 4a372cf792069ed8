/**
 * The packing engine: places identical replicas of containers onto nodes, each replica on one
 * node, honouring five per-node budgets (CPU and memory requests against capacity, CPU and
 * memory limits against the allowance, `network` requests against the NIC), `spread` (`even`
 * too), `colocate` and priority. Without network requests the NIC budget never decides
 * anything: results are those of the four other budgets alone.
 *
 * Two modes. `tight` packs onto as few nodes as it can (for sizing); `spread` balances the
 * replicas over the nodes. What fits is decided by the tight pack in both modes, so that no
 * check depends on the mode: `spread` is a balanced arrangement of the same replicas (a greedy
 * balanced placement when it places everything the tight one does, else the tight arrangement
 * with replicas moved to less loaded nodes).
 *
 * Tight heuristic: first-fit decreasing. Containers are ordered by priority (high first), then by
 * their dominant share (the largest of their demands relative to the pool's largest node),
 * largest first; a colocated container is placed right after the container it follows. Each
 * replica goes to the first eligible node (declaration order) that can hold it. A bounded local
 * improvement pass then tries to empty the least loaded nodes into the others, which lowers the
 * node count towards the lower bound. When the greedy pass leaves replicas out and none has
 * `spread` or `colocate`, a bounded exact search (exact-fit.ts), then a pattern fill
 * (pattern-fill.ts), may still place them all; what fits is then what they find. Everything is deterministic: no randomness, no clocks.
 */

import type { PackMode, Spread } from '../model/types';
import { exactFit, exactFitApplies, repairTail } from './exact-fit';
import { patternFill } from './pattern-fill';

export interface PackNode {
  /** Model node id. */
  readonly id: number;
  readonly rack: number;
  readonly cpu: number;
  readonly memory: number;
  readonly cpuAllowance: number;
  readonly memoryAllowance: number;
  /** Bytes per second the node's NIC carries for `network` requests (absent: no limit). */
  readonly nic?: number;
  /** The packing mode of the node's rack (packByComponent packs a component `spread` when all its nodes are). */
  readonly mode?: PackMode;
}

export interface PackItem {
  /** Model container id (unique among items). */
  readonly container: number;
  readonly replicas: number;
  readonly cpuRequest: number;
  readonly memoryRequest: number;
  readonly cpuLimit: number;
  readonly memoryLimit: number;
  /** Bytes per second each replica requests of its node's NIC (absent: none). */
  readonly network?: number;
  /** Indexes into the pack's node array, in preference (declaration) order. */
  readonly eligible: readonly number[];
  readonly spread: Spread | null;
  /** With `spread`: counts per node (rack) differ by at most one, instead of at most one each. */
  readonly even?: boolean;
  /** Container id whose nodes this one must share, or null. */
  readonly colocate: number | null;
  /** Higher is placed first. */
  readonly rank: number;
}

/** Why a replica could not be placed. */
export type UnplacedReason = 'node-size' | 'no-nodes' | 'spread' | 'colocate' | 'capacity' | 'allowance' | 'isolation' | 'network';

export interface ItemOutcome {
  readonly container: number;
  /** Node index per replica, -1 when unplaced. */
  readonly nodes: Int32Array;
  /** Reason of the first unplaced replica (all later ones share it), or null. */
  readonly reason: UnplacedReason | null;
  readonly unplaced: number;
}

export interface PackOptions {
  /** Node-scan budget of the improvement pass of the tight pack (0 turns it off). */
  readonly improveBudget?: number;
  /** `tight` (the default here) or `spread`. */
  readonly mode?: PackMode;
}

export interface PackOutcome {
  readonly items: readonly ItemOutcome[];
  /** Remaining budget per node, RESIDUAL_STRIDE numbers each: cpu request, memory request, cpu limit, memory limit, NIC. */
  readonly residual: Float64Array;
  readonly usedNodes: number;
}

const EPS = 1e-9;
/** Numbers per node in a residual: the five budgets. */
export const RESIDUAL_STRIDE = 5;
/** The bandwidth one replica of an item requests. */
export function networkOf(it: PackItem): number {
  return it.network ?? 0;
}
/** The NIC budget of a node (Infinity when it has none). */
export function nicOf(nd: PackNode): number {
  return nd.nic ?? Infinity;
}
/** Pattern tries of the exact search when the greedy pack leaves replicas out (a few milliseconds at most). */
const EXACT_FIT_BUDGET = 5_000;
/** Search steps of the pattern fill that follows it (tens of milliseconds at most). */
const PATTERN_FILL_BUDGET = 200_000;

export function pack(nodes: readonly PackNode[], items: readonly PackItem[], options: PackOptions = {}): PackOutcome {
  const tight = packTight(nodes, items, options.improveBudget ?? 0);
  if (options.mode !== 'spread') return tight;
  // What fits is the tight pack's; spread only arranges the same replicas differently.
  const anyUnplaced = tight.items.some((o) => o.unplaced > 0);
  const balancedNodes = anyUnplaced ? null : balanced(nodes, items);
  const arrangement = balancedNodes ?? rebalance(nodes, items, tight);
  const residual = residualOf(nodes, items, arrangement);
  return {
    items: tight.items.map((o) => ({ ...o, nodes: arrangement.get(o.container) ?? o.nodes })),
    residual,
    usedNodes: usedCount(nodes.length, arrangement),
  };
}

/**
 * Where the next replica of one container may go under its `spread`. Plain: at most one per
 * node (rack). `even` (Kubernetes' maxSkew 1, checked as the scheduler does, at each placement):
 * a replica may go to a domain whose count is the lowest of all domains that could hold one, so
 * the counts never differ by more than one; a domain without room keeps the others at most one
 * above it.
 */
class SpreadRule {
  private readonly counts = new Map<number, number>();
  /** `even`: the domains (node or rack ids) that could hold a replica, and how many are at each count. */
  private readonly domains = new Set<number>();
  private readonly atCount = new Map<number, number>();
  /** `even`: the lowest count among the domains. */
  min = 0;

  constructor(private readonly nodes: readonly PackNode[], private readonly it: PackItem) {
    if (it.spread && it.even) {
      for (const x of it.eligible) if (fitsIn(nodes, x, it)) this.domains.add(this.domain(x));
      this.atCount.set(0, this.domains.size);
    }
  }

  private domain(x: number): number {
    return this.it.spread === 'racks' ? this.nodes[x].rack : x;
  }

  allowed(x: number): boolean {
    if (!this.it.spread) return true;
    const d = this.domain(x);
    const c = this.counts.get(d) ?? 0;
    if (!this.it.even) return c === 0;
    return this.domains.has(d) && c === this.min;
  }

  placed(x: number): void {
    if (!this.it.spread) return;
    const d = this.domain(x);
    const c = this.counts.get(d) ?? 0;
    this.counts.set(d, c + 1);
    if (!this.it.even || !this.domains.has(d)) return;
    this.atCount.set(c, (this.atCount.get(c) ?? 0) - 1);
    this.atCount.set(c + 1, (this.atCount.get(c + 1) ?? 0) + 1);
    while ((this.atCount.get(this.min) ?? 0) === 0 && this.min < c + 1) this.min++;
  }

  removed(x: number): void {
    if (!this.it.spread) return;
    const d = this.domain(x);
    const c = this.counts.get(d) ?? 0;
    this.counts.set(d, c - 1);
    if (!this.it.even || !this.domains.has(d)) return;
    this.atCount.set(c, (this.atCount.get(c) ?? 0) - 1);
    this.atCount.set(c - 1, (this.atCount.get(c - 1) ?? 0) + 1);
    if (c - 1 < this.min) this.min = c - 1;
  }
}

/** The budgets of fresh nodes, RESIDUAL_STRIDE numbers each. */
export function initialResidual(nodes: readonly PackNode[]): Float64Array {
  const residual = new Float64Array(nodes.length * RESIDUAL_STRIDE);
  for (let i = 0; i < nodes.length; i++) {
    const b = i * RESIDUAL_STRIDE;
    residual[b] = nodes[i].cpu;
    residual[b + 1] = nodes[i].memory;
    residual[b + 2] = nodes[i].cpuAllowance;
    residual[b + 3] = nodes[i].memoryAllowance;
    residual[b + 4] = nicOf(nodes[i]);
  }
  return residual;
}

function hasRoom(residual: Float64Array, x: number, it: PackItem): boolean {
  const b = x * RESIDUAL_STRIDE;
  return residual[b] + EPS >= it.cpuRequest && residual[b + 1] + EPS >= it.memoryRequest && residual[b + 2] + EPS >= it.cpuLimit && residual[b + 3] + EPS >= it.memoryLimit && residual[b + 4] + EPS >= networkOf(it);
}

/** The largest finite NIC of the nodes, or 0 when none has one (network then weighs nothing in sizes). */
export function largestNic(nodes: readonly PackNode[]): number {
  let max = 0;
  for (const nd of nodes) { const v = nicOf(nd); if (Number.isFinite(v)) max = Math.max(max, v); }
  return max;
}

/** The size the tight pack orders by: the largest of an item's demands relative to the pool's largest node. */
function sizer(nodes: readonly PackNode[]): (it: PackItem) => number {
  let maxCpu = EPS, maxMem = EPS, maxCpuA = EPS, maxMemA = EPS;
  for (const nd of nodes) {
    maxCpu = Math.max(maxCpu, nd.cpu); maxMem = Math.max(maxMem, nd.memory);
    maxCpuA = Math.max(maxCpuA, nd.cpuAllowance); maxMemA = Math.max(maxMemA, nd.memoryAllowance);
  }
  const maxNic = largestNic(nodes);
  return (it) => {
    const s = Math.max(it.cpuRequest / maxCpu, it.memoryRequest / maxMem, it.cpuLimit / maxCpuA, it.memoryLimit / maxMemA);
    const net = networkOf(it);
    return net > 0 && maxNic > 0 ? Math.max(s, net / maxNic) : s;
  };
}

function packTight(nodes: readonly PackNode[], items: readonly PackItem[], improveBudget: number): PackOutcome {
  const n = nodes.length;
  const residual = initialResidual(nodes);
  const counts = new Int32Array(n); // replicas per node, for the improvement pass
  /** container id -> node index -> replica count. */
  const hosts = new Map<number, Map<number, number>>();
  const hostMap = (c: number): Map<number, number> => {
    let m = hosts.get(c);
    if (!m) { m = new Map(); hosts.set(c, m); }
    return m;
  };

  const { order, rank } = orderItems(items, sizer(nodes));
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
      firstFit(nodes, residual, it, candidates, (x) => place(it, x));
      finish(it, candidates);
    }
    // The rest in size order: runs of ordinary items bin by bin, `spread ... even` ones item by item (round by round) between them.
    const rest = phase.filter((it) => !coloc.has(it.container));
    for (let a = 0; a < rest.length;) {
      if (rest[a].spread && rest[a].even) {
        firstFit(nodes, residual, rest[a], rest[a].eligible, (x) => place(rest[a], x));
        finish(rest[a], rest[a].eligible);
        a++;
        continue;
      }
      let b = a;
      while (b < rest.length && !(rest[b].spread && rest[b].even)) b++;
      const run = rest.slice(a, b);
      binCentric(nodes, residual, run, place);
      for (const it of run) finish(it, it.eligible);
      a = b;
    }
  }

  let leftOut = false;
  for (const o of outcomes.values()) if (o.unplaced > 0) { leftOut = true; break; }
  if (leftOut && exactFitApplies(items)) {
    // The greedy pack left replicas out: a bounded exact search may still place them all.
    // Then pattern fill (pattern-fill.ts), which scales to many nodes; each runs only where the ones before found nothing.
    const found = exactFit(nodes, items, EXACT_FIT_BUDGET) ?? repairTail(nodes, items, new Map([...outcomes].map(([c, o]) => [c, o.nodes])), EXACT_FIT_BUDGET)
      ?? patternFill(nodes, items, PATTERN_FILL_BUDGET);
    if (found) return { items: items.map((it) => ({ container: it.container, nodes: found.get(it.container) ?? new Int32Array(0), reason: null, unplaced: 0 })), residual: residualOf(nodes, items, found), usedNodes: usedCount(n, found) };
  }
  if (improveBudget > 0) improve(nodes, order, outcomes, residual, counts, hosts, improveBudget);

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

/** Item-centric first fit over `candidates` in order (colocated containers, and `even` ones round by round). */
function firstFit(nodes: readonly PackNode[], residual: Float64Array, it: PackItem, candidates: readonly number[], place: (x: number) => void): void {
  const rule = new SpreadRule(nodes, it);
  if (it.spread && it.even) {
    // rounds over the candidates: each takes one more replica where its count is the lowest
    let done = 0;
    for (let progress = true; progress && done < it.replicas;) {
      progress = false;
      for (const x of candidates) {
        if (done >= it.replicas) break;
        if (!hasRoom(residual, x, it) || !rule.allowed(x)) continue;
        place(x);
        rule.placed(x);
        done++;
        progress = true;
      }
    }
    return;
  }
  let start = 0;
  for (let r = 0; r < it.replicas; r++) {
    let chosen = -1;
    for (let k = start; k < candidates.length; k++) {
      const x = candidates[k];
      if (!hasRoom(residual, x, it) || !rule.allowed(x)) continue;
      chosen = x;
      start = k;
      break;
    }
    if (chosen < 0) return; // every later replica is identical and finds nothing either
    place(chosen);
    rule.placed(chosen);
  }
}

/**
 * Bin-centric packing (the "dot product" heuristic for vector bin packing): nodes are filled one
 * at a time, in order; each step puts on the node the replica that fits and whose demand vector
 * best matches what the node has left (largest dot product of demand and residual, both
 * relative to the node's budgets), so CPU-heavy and memory-heavy containers end up sharing nodes.
 */
function binCentric(nodes: readonly PackNode[], residual: Float64Array, list: readonly PackItem[], place: (it: PackItem, x: number) => void): void {
  // Containers of identical shape and eligibility (and no spread) are one kind: the choice below
  // only looks at shapes, and members are used up in order, so the result is the same, faster.
  const kindsByKey = new Map<string, { group: number; members: PackItem[] }>();
  const eligibleIds = new Map<readonly number[], number>();
  for (const it of list) {
    if (it.replicas <= 0 || it.eligible.length === 0) continue;
    let e = eligibleIds.get(it.eligible);
    if (e === undefined) { e = eligibleIds.size; eligibleIds.set(it.eligible, e); }
    const key = it.spread ? `s${it.container}` : `${it.cpuRequest},${it.memoryRequest},${it.cpuLimit},${it.memoryLimit},${networkOf(it)},${e}`;
    const kind = kindsByKey.get(key);
    if (kind) kind.members.push(it); else kindsByKey.set(key, { group: e, members: [it] });
  }
  const kinds = [...kindsByKey.values()].map((k) => k.members);
  const m = kinds.length;
  if (m === 0) return;
  const n = nodes.length;
  // Flat arrays: this loop runs (replicas + nodes) x kinds times.
  const cr = new Float64Array(m), mr = new Float64Array(m), cl = new Float64Array(m), ml = new Float64Array(m), nw = new Float64Array(m);
  const remaining = new Int32Array(m);
  const member = new Int32Array(m); // index of the member in use
  const memberLeft = new Int32Array(m); // replicas left of that member
  const rules: (SpreadRule | null)[] = []; // a kind with spread is one container
  let total = 0;
  let withNetwork = false; // without network requests the NIC neither filters nor scores
  for (let k = 0; k < m; k++) {
    const it = kinds[k][0];
    rules.push(it.spread ? new SpreadRule(nodes, it) : null);
    cr[k] = it.cpuRequest; mr[k] = it.memoryRequest; cl[k] = it.cpuLimit; ml[k] = it.memoryLimit; nw[k] = networkOf(it);
    if (nw[k] > 0) withNetwork = true;
    remaining[k] = kinds[k].reduce((sum, x) => sum + x.replicas, 0);
    total += remaining[k];
    memberLeft[k] = it.replicas;
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
    const nic = nicOf(nd);
    const w4 = nic > 0 && Number.isFinite(nic) ? 1 / (nic * nic) : 0;
    const b = x * RESIDUAL_STRIDE;
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
      const r0 = residual[b] + EPS, r1 = residual[b + 1] + EPS, r2 = residual[b + 2] + EPS, r3 = residual[b + 3] + EPS, r4 = residual[b + 4] + EPS;
      let best = -1;
      let bestScore = -1;
      let kept = 0;
      for (let a = 0; a < count; a++) {
        const k = fitting[a];
        if (cr[k] > r0 || mr[k] > r1 || cl[k] > r2 || ml[k] > r3 || remaining[k] === 0) continue;
        if (withNetwork && nw[k] > r4) continue;
        const rule = rules[k];
        if (rule && !rule.allowed(x)) continue;
        fitting[kept++] = k;
        let score = cr[k] * r0 * w0 + mr[k] * r1 * w1 + cl[k] * r2 * w2 + ml[k] * r3 * w3;
        if (withNetwork && w4 > 0) score += nw[k] * r4 * w4;
        if (score > bestScore) { bestScore = score; best = k; }
      }
      count = kept;
      if (best < 0) break;
      place(kinds[best][member[best]], x);
      rules[best]?.placed(x);
      remaining[best]--;
      if (--memberLeft[best] === 0 && remaining[best] > 0) { member[best]++; memberLeft[best] = kinds[best][member[best]].replicas; }
      total--;
    }
  }
}

// ------------------------------------------------------------------ spread mode

/** How full a node would be with `add` more of an item: the busier of CPU and memory requests, as a share of capacity. */
function loadAfter(nodes: readonly PackNode[], residual: Float64Array, x: number, cpu: number, memory: number): number {
  const nd = nodes[x];
  const b = x * RESIDUAL_STRIDE;
  const fc = nd.cpu > 0 ? (nd.cpu - residual[b] + cpu) / nd.cpu : 0;
  const fm = nd.memory > 0 ? (nd.memory - residual[b + 1] + memory) / nd.memory : 0;
  return Math.max(fc, fm);
}

/** A binary min-heap of node indexes by key, ties by index (declaration order). */
class NodeHeap {
  private readonly ids: number[] = [];
  private readonly keys: number[] = [];

  get size(): number { return this.ids.length; }

  private less(i: number, j: number): boolean {
    return this.keys[i] < this.keys[j] - 1e-12 || (Math.abs(this.keys[i] - this.keys[j]) <= 1e-12 && this.ids[i] < this.ids[j]);
  }

  private swap(i: number, j: number): void {
    [this.ids[i], this.ids[j]] = [this.ids[j], this.ids[i]];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
  }

  push(id: number, key: number): void {
    this.ids.push(id); this.keys.push(key);
    for (let i = this.ids.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p); i = p;
    }
  }

  pop(): number {
    const top = this.ids[0];
    const lastId = this.ids.pop()!, lastKey = this.keys.pop()!;
    if (this.ids.length > 0) {
      this.ids[0] = lastId; this.keys[0] = lastKey;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < this.ids.length && this.less(l, m)) m = l;
        if (r < this.ids.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m); i = m;
      }
    }
    return top;
  }
}

/**
 * Balanced placement, as kube-scheduler's default scoring (LeastAllocated and
 * BalancedAllocation at equal weights, which together rank a node by the busier of its CPU and
 * memory shares): items in the tight pack's order, each replica onto the eligible node that
 * would be least full after it. Null when some replica finds no node (the caller then keeps
 * the tight pack's replicas and only moves them).
 */
function balanced(nodes: readonly PackNode[], items: readonly PackItem[]): Map<number, Int32Array> | null {
  const residual = initialResidual(nodes);
  const { order } = orderItems(items, sizer(nodes));
  const out = new Map<number, Int32Array>();
  for (const it of order) {
    const placed = new Int32Array(it.replicas).fill(-1);
    out.set(it.container, placed);
    if (it.replicas === 0) continue;
    let candidates: readonly number[] = it.eligible;
    if (it.colocate !== null) {
      const peer = new Set(out.get(it.colocate) ?? []);
      candidates = it.eligible.filter((x) => peer.has(x));
    }
    const rule = new SpreadRule(nodes, it);
    const even = it.spread !== null && it.even === true;
    const heap = new NodeHeap();
    const key = (x: number): number => loadAfter(nodes, residual, x, it.cpuRequest, it.memoryRequest);
    for (const x of candidates) if (hasRoom(residual, x, it)) heap.push(x, key(x));
    /** `even`: nodes barred until the lowest count rises (they wait, with room, one count above it). */
    let waiting: number[] = [];
    for (let r = 0; r < it.replicas; r++) {
      let chosen = -1;
      while (heap.size > 0) {
        const x = heap.pop();
        // a node without room stays so for the rest of this container; so does one barred by plain spread
        if (!hasRoom(residual, x, it)) continue;
        if (rule.allowed(x)) { chosen = x; break; }
        if (even) waiting.push(x);
      }
      if (chosen < 0) return null;
      placed[r] = chosen;
      take(residual, chosen, it, 1);
      const min = rule.min;
      rule.placed(chosen);
      if (hasRoom(residual, chosen, it)) { if (even && !rule.allowed(chosen)) waiting.push(chosen); else heap.push(chosen, key(chosen)); }
      if (even && rule.min !== min) { for (const x of waiting) heap.push(x, key(x)); waiting = []; }
    }
  }
  return out;
}

/** Work bound of the rebalancing moves (node scans). */
const REBALANCE_BUDGET = 2_000_000;

/**
 * The tight pack's arrangement with replicas moved, one at a time, from fuller nodes to emptier
 * eligible ones while that lowers the fuller of the two. Replicas of containers in a colocate
 * relation stay where they are; spread rules hold after every move.
 */
function rebalance(nodes: readonly PackNode[], items: readonly PackItem[], tight: PackOutcome): Map<number, Int32Array> {
  const arrangement = new Map<number, Int32Array>();
  tight.items.forEach((o) => arrangement.set(o.container, Int32Array.from(o.nodes)));
  const residual = residualOf(nodes, items, arrangement);
  const pinned = new Set<number>();
  for (const it of items) if (it.colocate !== null) { pinned.add(it.container); pinned.add(it.colocate); }
  let work = 0;
  for (let pass = 0; pass < 8 && work < REBALANCE_BUDGET; pass++) {
    let moved = false;
    for (const it of items) {
      if (pinned.has(it.container) || it.eligible.length < 2) continue;
      const where = arrangement.get(it.container)!;
      const rule = new SpreadRule(nodes, it);
      for (const x of where) if (x >= 0) rule.placed(x);
      for (let r = 0; r < where.length && work < REBALANCE_BUDGET; r++) {
        const a = where[r];
        if (a < 0) continue;
        const before = loadAfter(nodes, residual, a, 0, 0);
        take(residual, a, it, -1);
        rule.removed(a);
        let best = a;
        let bestLoad = before;
        for (const b of it.eligible) {
          work++;
          if (b === a || !hasRoom(residual, b, it) || !rule.allowed(b)) continue;
          const after = loadAfter(nodes, residual, b, it.cpuRequest, it.memoryRequest);
          if (after < bestLoad - 1e-9) { best = b; bestLoad = after; }
        }
        take(residual, best, it, 1);
        rule.placed(best);
        if (best !== a) { where[r] = best; moved = true; }
      }
    }
    if (!moved) break;
  }
  return arrangement;
}

function residualOf(nodes: readonly PackNode[], items: readonly PackItem[], arrangement: ReadonlyMap<number, Int32Array>): Float64Array {
  const residual = initialResidual(nodes);
  for (const it of items) for (const x of arrangement.get(it.container) ?? []) if (x >= 0) take(residual, x, it, 1);
  return residual;
}

function usedCount(n: number, arrangement: ReadonlyMap<number, Int32Array>): number {
  const used = new Uint8Array(n);
  let count = 0;
  for (const where of arrangement.values()) for (const x of where) if (x >= 0 && !used[x]) { used[x] = 1; count++; }
  return count;
}

function take(residual: Float64Array, x: number, it: PackItem, sign: number): void {
  const b = x * RESIDUAL_STRIDE;
  residual[b] -= sign * it.cpuRequest;
  residual[b + 1] -= sign * it.memoryRequest;
  residual[b + 2] -= sign * it.cpuLimit;
  residual[b + 3] -= sign * it.memoryLimit;
  const net = networkOf(it);
  if (net !== 0) residual[b + 4] -= sign * net;
}

/** Whether one replica fits on the empty node (with `network` false: leaving the NIC aside). */
function fitsIn(nodes: readonly PackNode[], x: number, it: PackItem, network = true): boolean {
  const nd = nodes[x];
  return nd.cpu + EPS >= it.cpuRequest && nd.memory + EPS >= it.memoryRequest && nd.cpuAllowance + EPS >= it.cpuLimit && nd.memoryAllowance + EPS >= it.memoryLimit &&
    (!network || nicOf(nd) + EPS >= networkOf(it));
}

/** The reason a replica found no node: checked from the most specific to the most general. */
function whyNot(nodes: readonly PackNode[], residual: Float64Array, it: PackItem, candidates: readonly number[], fitsEmpty: boolean): UnplacedReason {
  if (it.eligible.length === 0) return 'no-nodes';
  if (it.colocate !== null && candidates.length === 0) return 'colocate';
  if (!fitsEmpty) {
    if (it.colocate !== null && it.eligible.some((x) => fitsIn(nodes, x, it))) return 'colocate';
    // larger than every NIC, or than every node that has the CPU and memory for it: the bandwidth decides
    return networkOf(it) > 0 && candidates.some((x) => fitsIn(nodes, x, it, false)) ? 'network' : 'node-size';
  }
  const room = (x: number, limits: boolean, network: boolean): boolean => {
    const b = x * RESIDUAL_STRIDE;
    return residual[b] + EPS >= it.cpuRequest && residual[b + 1] + EPS >= it.memoryRequest &&
      (!limits || (residual[b + 2] + EPS >= it.cpuLimit && residual[b + 3] + EPS >= it.memoryLimit)) &&
      (!network || residual[b + 4] + EPS >= networkOf(it));
  };
  if (candidates.some((x) => room(x, true, true))) return it.spread ? 'spread' : 'colocate';
  if (it.colocate !== null && it.eligible.some((x) => room(x, true, true))) return 'colocate';
  // Without network requests the NIC always has room, and these two steps are the ones before and after.
  if (networkOf(it) > 0 && candidates.some((x) => room(x, true, false))) return 'network';
  if (candidates.some((x) => room(x, false, true))) return 'allowance';
  if (networkOf(it) > 0 && candidates.some((x) => room(x, false, false))) return 'network';
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
    const b = x * RESIDUAL_STRIDE;
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
        if (!hasRoom(residual, x, e.item)) continue;
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
