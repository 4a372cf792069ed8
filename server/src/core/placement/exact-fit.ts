/**
 * A bounded exact search for the case the greedy tight pack gets wrong: ordinary replicas (no
 * `spread`, no `colocate`) that the heuristic could not all place although an arrangement
 * exists. Vector bin packing is NP-hard, so the search is a depth-first one over nodes with a
 * budget: at each node it tries the patterns (how many replicas of each kind the node takes)
 * that fit, fullest first, and prunes a branch when what is left to place exceeds, in any of
 * the budgets (four, five with network requests), what the nodes left can hold. Nodes that are alike (same budgets, same
 * kinds may use them) take patterns in non-increasing order, so one arrangement is not tried in
 * every permutation. It answers "everything fits, like this" or "not found within the budget";
 * the caller keeps the greedy result then. Deterministic: no randomness, no clocks.
 */

import { networkOf, nicOf, type PackItem, type PackNode } from './pack';

const EPS = 1e-9;
const MAX_DEPTH = 4000;

/** Replicas of identical shape and eligibility: the search counts them, not which container they belong to. */
interface Kind {
  /** CPU and memory requests and limits, then (when some item requests it) network. */
  readonly demand: readonly number[];
  readonly members: readonly PackItem[];
  readonly eligible: ReadonlySet<number>;
  count: number;
}

/** The budgets the search counts: five when some item requests network, else four (the NIC then decides nothing). */
function dimensionsOf(items: readonly PackItem[]): number {
  return items.some((it) => it.replicas > 0 && networkOf(it) > 0) ? 5 : 4;
}

function kindsOf(items: readonly PackItem[], dims: number): Kind[] {
  const byKey = new Map<string, Kind>();
  for (const it of items) {
    if (it.replicas <= 0) continue;
    const demand = [it.cpuRequest, it.memoryRequest, it.cpuLimit, it.memoryLimit, networkOf(it)].slice(0, dims);
    const key = `${demand.join(',')},${it.eligible.join(' ')}`;
    const k = byKey.get(key);
    if (k) { (k.members as PackItem[]).push(it); k.count += it.replicas; continue; }
    byKey.set(key, { demand, members: [it], eligible: new Set(it.eligible), count: it.replicas });
  }
  return [...byKey.values()];
}

/** Whether the exact search applies: ordinary replicas only. */
export function exactFitApplies(items: readonly PackItem[]): boolean {
  return items.every((it) => it.spread === null && it.colocate === null);
}

/**
 * Node index per replica of each container when every replica fits, else null (also when the
 * budget of pattern tries runs out first).
 */
export function exactFit(nodes: readonly PackNode[], items: readonly PackItem[], budget: number): Map<number, Int32Array> | null {
  const n = nodes.length;
  // at least one kind: beyond this depth the search does not apply (checked before the kinds are made)
  if (n * 2 > MAX_DEPTH && items.some((it) => it.replicas > 0)) return null;
  const dims = dimensionsOf(items);
  const kinds = kindsOf(items, dims);
  const m = kinds.length;
  if (m === 0) return new Map();
  const D = [0, 1, 2, 3, 4].slice(0, dims);
  // The search recurses once per node and kind: beyond this it is not the tool (and the stack is not deep enough).
  if (n * (m + 1) > MAX_DEPTH) return null;
  const cap = (x: number): number[] => [nodes[x].cpu, nodes[x].memory, nodes[x].cpuAllowance, nodes[x].memoryAllowance, nicOf(nodes[x])].slice(0, dims);
  const caps = nodes.map((_, x) => cap(x));
  const usable = nodes.map((_, x) => kinds.map((k) => k.eligible.has(x) && k.demand.every((v, d) => v <= caps[x][d] + EPS)));
  // A kind no node can hold one replica of: nothing to search.
  if (kinds.some((k, i) => !usable.some((u) => u[i]))) return null;
  // What the nodes from x on can hold, per budget (for the prune), and which nodes are alike.
  const suffix = new Float64Array((n + 1) * dims);
  for (let x = n - 1; x >= 0; x--) { const c = caps[x]; for (const d of D) suffix[x * dims + d] = suffix[(x + 1) * dims + d] + c[d]; }
  const alike = nodes.map((nd, x) => x > 0 && caps[x].every((v, d) => v === caps[x - 1][d]) && usable[x].every((u, k) => u === usable[x - 1][k]));
  // Kinds largest first (dominant share of the largest node), so patterns fill with big items first.
  const largest = D.map((d) => Math.max(EPS, ...caps.map((c) => c[d])));
  const share = (k: Kind): number => Math.max(...k.demand.map((v, d) => v / largest[d]));
  const order = kinds.map((_, i) => i).sort((a, b) => share(kinds[b]) - share(kinds[a]) || a - b);

  const left = kinds.map((k) => k.count);
  const need = D.map((d) => kinds.reduce((s, k) => s + k.count * k.demand[d], 0));
  const taken: Int32Array[] = Array.from({ length: n }, () => new Int32Array(m));
  let tries = 0;

  const fitsRest = (x: number): boolean => need.every((v, d) => v <= suffix[x * dims + d] + EPS * (1 + v));
  const lexNotAbove = (a: Int32Array, b: Int32Array): boolean => {
    for (const k of order) { if (a[k] !== b[k]) return a[k] < b[k]; }
    return true;
  };

  /** Places what is left onto nodes x..n-1; true when everything is placed. */
  const onNode = (x: number): boolean => {
    if (left.every((c) => c === 0)) {
      for (let y = x; y < n; y++) taken[y].fill(0);
      return true;
    }
    if (x >= n || !fitsRest(x)) return false;
    const room = cap(x);
    const pattern = taken[x];
    pattern.fill(0);
    // Patterns by depth-first choice of counts, kind by kind in `order`, most of each first.
    const choose = (i: number): boolean => {
      if (++tries > budget) return false;
      if (i === m) {
        if (alike[x] && !lexNotAbove(pattern, taken[x - 1])) return false;
        return onNode(x + 1);
      }
      const k = order[i];
      const kind = kinds[k];
      let most = usable[x][k] ? left[k] : 0;
      for (const d of D) if (kind.demand[d] > EPS) most = Math.min(most, Math.floor((room[d] + EPS) / kind.demand[d]));
      for (let c = most; c >= 0; c--) {
        pattern[k] = c;
        left[k] -= c;
        for (const d of D) { room[d] -= c * kind.demand[d]; need[d] -= c * kind.demand[d]; }
        const done = choose(i + 1);
        left[k] += c;
        for (const d of D) { room[d] += c * kind.demand[d]; need[d] += c * kind.demand[d]; }
        if (done) return true;
        if (tries > budget) break;
      }
      pattern[k] = 0;
      return false;
    };
    return choose(0);
  };

  if (!onNode(0)) return null;
  return arrangement(kinds, taken);
}

/** The found counts per node and kind, handed out to the kind's containers in order. */
function arrangement(kinds: readonly Kind[], taken: readonly Int32Array[]): Map<number, Int32Array> {
  const out = new Map<number, Int32Array>();
  kinds.forEach((kind, k) => {
    let member = 0;
    let r = 0;
    const next = (): Int32Array => {
      const it = kind.members[member];
      let a = out.get(it.container);
      if (!a) { a = new Int32Array(it.replicas).fill(-1); out.set(it.container, a); }
      return a;
    };
    taken.forEach((row, x) => {
      for (let c = 0; c < row[k]; c++) {
        while (r >= kind.members[member].replicas) { member++; r = 0; }
        next()[r++] = x;
      }
    });
  });
  return out;
}

/**
 * When the whole problem is too large for the exact search, the greedy arrangement's weakest
 * part: the `k` least loaded nodes are emptied and their replicas, with the ones left out,
 * searched for exactly on those nodes (k = 4, 6, 8, 12 in turn). The other nodes keep what the
 * greedy pass gave them. A large-neighbourhood step: it finds an arrangement or says nothing.
 */
export function repairTail(nodes: readonly PackNode[], items: readonly PackItem[], greedy: ReadonlyMap<number, Int32Array>, budget: number): Map<number, Int32Array> | null {
  const load = new Float64Array(nodes.length);
  for (const it of items) {
    for (const x of greedy.get(it.container) ?? []) {
      if (x < 0) continue;
      const nd = nodes[x];
      const share = Math.max(it.cpuRequest / Math.max(nd.cpu, EPS), it.memoryRequest / Math.max(nd.memory, EPS), it.cpuLimit / Math.max(nd.cpuAllowance, EPS), it.memoryLimit / Math.max(nd.memoryAllowance, EPS));
      const net = networkOf(it);
      load[x] += net > 0 ? Math.max(share, net / Math.max(nicOf(nd), EPS)) : share;
    }
  }
  const byLoad = nodes.map((_, x) => x).sort((a, b) => load[a] - load[b] || b - a);
  for (const k of [4, 6, 8, 12]) {
    if (k > nodes.length) break;
    const released = byLoad.slice(0, k).sort((a, b) => a - b);
    const local = new Map(released.map((x, i) => [x, i]));
    const sub: PackItem[] = [];
    for (const it of items) {
      const where = greedy.get(it.container) ?? new Int32Array(0);
      let count = it.replicas - where.length;
      for (const x of where) if (x < 0 || local.has(x)) count++;
      if (count <= 0) continue;
      sub.push({ ...it, replicas: count, eligible: it.eligible.filter((x) => local.has(x)).map((x) => local.get(x)!) });
    }
    const found = exactFit(released.map((x) => nodes[x]), sub, budget);
    if (!found) continue;
    const out = new Map<number, Int32Array>();
    for (const it of items) {
      const where = greedy.get(it.container) ?? new Int32Array(0);
      const kept = [...where].filter((x) => x >= 0 && !local.has(x));
      const moved = [...(found.get(it.container) ?? [])].map((i) => released[i]);
      out.set(it.container, Int32Array.from([...kept, ...moved]));
    }
    return out;
  }
  return null;
}
