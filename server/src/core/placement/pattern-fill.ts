/**
 * Pattern fill: a second try, after the greedy tight pack and the bounded exact search, at placing
 * ordinary replicas (no `spread`, no `colocate`) that the greedy pack left out. It fills the
 * nodes one at a time, each with the pattern (how many replicas of each kind it takes) of
 * largest total weight that fits, found by a small branch-and-bound search over the kinds.
 * The weights start as the replicas' sizes (the sum of their demands relative to the
 * largest node's budgets); when a round leaves replicas out, the kinds left over weigh more in
 * the next (sequential value correction, as in cutting-stock heuristics), so the rounds steer
 * the scarce room towards what is hard to place. The weights change by what is left after the
 * fewest nodes the sums allow, so that adding nodes at the end never turns "fits" into "does not"
 * (sizing relies on that when it searches over counts). It answers "everything fits, like this"
 * or "not found within the budget". Deterministic: no randomness, no clocks.
 */

import { networkOf, nicOf, type PackItem, type PackNode } from './pack';

const EPS = 1e-9;
/** Rounds of weight correction. */
const ROUNDS = 40;
/** Search steps of one node's pattern. */
const NODE_STEPS = 4000;

interface Kind {
  readonly demand: Float64Array;
  readonly members: readonly PackItem[];
  readonly eligible: ReadonlySet<number>;
  readonly count: number;
}

/** The budgets counted: five when some item requests network, else four (the NIC then decides nothing). */
function dimensionsOf(items: readonly PackItem[]): number {
  return items.some((it) => it.replicas > 0 && networkOf(it) > 0) ? 5 : 4;
}

function kindsOf(items: readonly PackItem[], dims: number): Kind[] {
  const byKey = new Map<string, { demand: Float64Array; members: PackItem[]; eligible: Set<number>; count: number }>();
  const listIds = new Map<readonly number[], number>();
  for (const it of items) {
    if (it.replicas <= 0) continue;
    let e = listIds.get(it.eligible);
    if (e === undefined) { e = listIds.size; listIds.set(it.eligible, e); }
    const demand = Float64Array.of(it.cpuRequest, it.memoryRequest, it.cpuLimit, it.memoryLimit, networkOf(it)).subarray(0, dims);
    const key = `${demand.join(',')},${e}`;
    const k = byKey.get(key);
    if (k) { k.members.push(it); k.count += it.replicas; continue; }
    byKey.set(key, { demand, members: [it], eligible: new Set(it.eligible), count: it.replicas });
  }
  return [...byKey.values()];
}

function budgetsOf(nd: PackNode, dims: number): Float64Array {
  return Float64Array.of(nd.cpu, nd.memory, nd.cpuAllowance, nd.memoryAllowance, nicOf(nd)).subarray(0, dims);
}

/**
 * The pattern of largest weight that fits in `room`: depth-first over `order` (kinds by weight,
 * heaviest first), most replicas first, pruned by the best weight per unit of each budget.
 */
function bestPattern(kinds: readonly Kind[], order: readonly number[], left: Int32Array, weight: Float64Array, room: Float64Array, steps: { n: number }): Int32Array {
  const m = order.length;
  const D = room.length;
  // ratio[j * D + d]: the largest weight per unit of budget d among order[j..]
  const ratio = new Float64Array((m + 1) * D);
  for (let j = m - 1; j >= 0; j--) {
    const k = kinds[order[j]];
    for (let d = 0; d < D; d++) ratio[j * D + d] = Math.max(ratio[(j + 1) * D + d], k.demand[d] > EPS ? weight[order[j]] / k.demand[d] : Infinity);
  }
  const best = new Int32Array(kinds.length);
  const cur = new Int32Array(kinds.length);
  let bestValue = -1;
  const r = Float64Array.from(room);
  const visit = (j: number, value: number): void => {
    if (value > bestValue + EPS) { bestValue = value; best.set(cur); }
    if (j >= m || steps.n <= 0) return;
    let ub = Infinity;
    for (let d = 0; d < D; d++) { const q = ratio[j * D + d]; if (q !== Infinity) ub = Math.min(ub, r[d] * q); }
    if (value + ub <= bestValue + EPS) return;
    steps.n--;
    const i = order[j], k = kinds[i];
    let most = left[i];
    for (let d = 0; d < D; d++) if (k.demand[d] > EPS) most = Math.min(most, Math.floor((r[d] + EPS) / k.demand[d]));
    for (let c = most; c >= 0; c--) {
      for (let d = 0; d < D; d++) r[d] -= c * k.demand[d];
      cur[i] = c;
      visit(j + 1, value + c * weight[i]);
      cur[i] = 0;
      for (let d = 0; d < D; d++) r[d] += c * k.demand[d];
      if (steps.n <= 0) break;
    }
  };
  visit(0, 0);
  return best;
}

/**
 * One round: every node in turn takes its best pattern. The counts placed per node and kind, or
 * null when replicas are left; `left` then says how many of each were left after the first
 * `horizon` nodes. `budget` pays for the search on those nodes, `tail` on the others.
 */
function round(nodes: readonly PackNode[], kinds: readonly Kind[], weight: Float64Array, left: Int32Array, horizon: number, budget: { n: number }, tail: { n: number }): Int32Array[] | null {
  const rest = Int32Array.from(kinds, (k) => k.count);
  left.set(rest);
  let total = kinds.reduce((s, k) => s + k.count, 0);
  const taken: Int32Array[] = [];
  for (let x = 0; x < nodes.length && total > 0; x++) {
    const room = budgetsOf(nodes[x], kinds[0].demand.length);
    const order: number[] = [];
    for (let i = 0; i < kinds.length; i++) if (rest[i] > 0 && kinds[i].eligible.has(x) && kinds[i].demand.every((v, d) => v <= room[d] + EPS)) order.push(i);
    order.sort((a, b) => weight[b] - weight[a] || a - b);
    // the first `horizon` nodes and the rest pay from budgets of their own, so that the rounds do not depend on the nodes after them
    const pays = x < horizon ? budget : tail;
    const steps = { n: Math.min(NODE_STEPS, pays.n) };
    const before = steps.n;
    const p = order.length && steps.n > 0 ? bestPattern(kinds, order, rest, weight, room, steps) : new Int32Array(kinds.length);
    pays.n -= before - steps.n;
    for (let i = 0; i < kinds.length; i++) { rest[i] -= p[i]; total -= p[i]; }
    taken.push(p);
    if (x < horizon) left.set(rest);
  }
  return total === 0 ? taken : null;
}

/** Node index per replica of each container when every replica fits, else null (also when the budget of search steps runs out first). */
export function patternFill(nodes: readonly PackNode[], items: readonly PackItem[], budget: number): Map<number, Int32Array> | null {
  const dims = dimensionsOf(items);
  const kinds = kindsOf(items, dims);
  if (kinds.length === 0) return new Map();
  const scale = new Float64Array(dims);
  for (const nd of nodes) budgetsOf(nd, dims).forEach((v, d) => { scale[d] = Math.max(scale[d], v); });
  const weight = Float64Array.from(kinds, (k) => k.demand.reduce((s, v, d) => s + (scale[d] > EPS ? v / scale[d] : 0), 0) + EPS);
  const left = new Int32Array(kinds.length);
  const steps = { n: budget };
  const tail = { n: budget };
  // The weights change by what is left after the first `horizon` nodes, the fewest the sums allow:
  // the rounds then do not depend on the nodes after those, so where nodes are only added at the
  // end (sizing tries counts so), what fits on some nodes also fits on more.
  let horizon = 0;
  for (let d = 0; d < dims; d++) {
    const need = kinds.reduce((s, k) => s + k.count * k.demand[d], 0);
    if (need > EPS) horizon = Math.max(horizon, scale[d] > EPS ? Math.ceil(need / scale[d] - EPS) : nodes.length);
  }
  horizon = Math.min(nodes.length, Math.max(1, horizon));
  for (let r = 0; r < ROUNDS && steps.n > 0 && tail.n > 0; r++) {
    const taken = round(nodes, kinds, weight, left, horizon, steps, tail);
    if (taken) return arrangement(kinds, taken);
    // the kinds left over weigh more next round, in proportion to the share of them left out
    for (let i = 0; i < kinds.length; i++) if (left[i] > 0) weight[i] *= 1 + left[i] / kinds[i].count;
  }
  return null;
}

/** From counts per node and kind to a node per replica of each container (members of a kind in order). */
function arrangement(kinds: readonly Kind[], taken: readonly Int32Array[]): Map<number, Int32Array> {
  const out = new Map<number, Int32Array>();
  kinds.forEach((k, i) => {
    const slots: number[] = [];
    taken.forEach((p, x) => { for (let c = 0; c < p[i]; c++) slots.push(x); });
    let s = 0;
    for (const it of k.members) { out.set(it.container, Int32Array.from(slots.slice(s, s + it.replicas))); s += it.replicas; }
  });
  return out;
}
