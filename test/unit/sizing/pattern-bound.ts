// A lower bound on the fewest identical nodes that hold replicas of a few kinds (vector bin
// packing): the LP relaxation of the pattern (configuration) formulation, solved by column
// generation with HiGHS. A pattern is how many replicas of each kind one node takes; the master
// LP is   min sum_p x_p  s.t.  sum_p a_ip x_p >= d_i,  x >= 0;   pricing finds the pattern of
// largest dual value by an exact bounded-knapsack DP over integer demands. The bound reported is
// Farley's: for any duals y >= 0, sum_i d_i y_i / max_p (y . a_p) <= LP <= optimum, so it stays
// valid whatever the LP solver's tolerances; rounded up (the optimum is a whole number).
import type { Highs } from 'highs';

export interface BoundKind {
  /** Integer demand per dimension (scaled by the caller so that every figure is whole). */
  readonly demand: readonly number[];
  readonly count: number;
}

export interface PatternBound {
  /** ceil of the best Farley bound found: no packing uses fewer nodes. */
  readonly bound: number;
  /** The LP value at the last iteration (an upper bound on the LP optimum until the pricing proves it). */
  readonly lp: number;
  readonly iterations: number;
}

/** The most valuable pattern under `value` (bounded knapsack over integer demands, exact). */
export function bestPattern(kinds: readonly BoundKind[], capacity: readonly number[], value: readonly number[]): { value: number; pattern: number[] } {
  const dims = capacity.length;
  const stride: number[] = [];
  let states = 1;
  for (let d = 0; d < dims; d++) { stride.push(states); states *= capacity[d] + 1; }
  const coord = (s: number, d: number): number => Math.floor(s / stride[d]) % (capacity[d] + 1);
  // layers[k][s]: best value of kinds 0..k-1 within the resources of state s
  const layers: Float64Array[] = [new Float64Array(states)];
  kinds.forEach((k, i) => {
    const prev = layers[i];
    const next = Float64Array.from(prev);
    const max = Math.min(k.count, ...capacity.map((c, d) => (k.demand[d] > 0 ? Math.floor(c / k.demand[d]) : Infinity)));
    if (value[i] > 0 && max > 0) {
      const shift = k.demand.reduce((s, v, d) => s + v * stride[d], 0);
      for (let s = 0; s < states; s++) {
        for (let c = 1; c <= max; c++) {
          let ok = true;
          for (let d = 0; d < dims; d++) if (coord(s, d) < c * k.demand[d]) { ok = false; break; }
          if (!ok) break;
          const v = prev[s - c * shift] + c * value[i];
          if (v > next[s]) next[s] = v;
        }
      }
    }
    layers.push(next);
  });
  const pattern = new Array<number>(kinds.length).fill(0);
  let s = states - 1;
  for (let i = kinds.length - 1; i >= 0; i--) {
    const k = kinds[i];
    const shift = k.demand.reduce((a, v, d) => a + v * stride[d], 0);
    for (let c = 0; ; c++) {
      if (Math.abs(layers[i][s - c * shift] + c * value[i] - layers[i + 1][s]) < 1e-9 * Math.max(1, layers[i + 1][s])) { pattern[i] = c; s -= c * shift; break; }
    }
  }
  return { value: layers[kinds.length][states - 1], pattern };
}

/** The pattern LP's bound by column generation (at most `maxIterations` LP solves). */
export function patternBound(highs: Highs, kinds: readonly BoundKind[], capacity: readonly number[], maxIterations = 300): PatternBound {
  for (const k of kinds) if (k.demand.some((v, d) => v > capacity[d])) throw new Error('a replica larger than the node: no packing exists');
  // start with one pattern per kind: as many of it as one node holds
  const patterns: number[][] = kinds.map((k, i) => {
    const p = new Array<number>(kinds.length).fill(0);
    p[i] = Math.max(1, Math.min(k.count, ...capacity.map((c, d) => (k.demand[d] > 0 ? Math.floor(c / k.demand[d]) : Infinity))));
    return p;
  });
  let best = 0, lp = Infinity, iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    const rows = kinds.map((k, i) => ` d${i}: ${patterns.map((p, j) => (p[i] ? `${p[i]} x${j}` : '')).filter(Boolean).join(' + ')} >= ${k.count}`);
    const s = highs.solve(`Minimize\n obj: ${patterns.map((_, j) => `x${j}`).join(' + ')}\nSubject To\n${rows.join('\n')}\nEnd\n`, { output_flag: false });
    if (s.Status !== 'Optimal') throw new Error(`pattern LP: ${s.Status}`);
    lp = s.ObjectiveValue;
    const y = s.Rows.map((r) => ('Dual' in r ? Math.max(0, r.Dual) : 0));
    const priced = bestPattern(kinds, capacity, y);
    const demand = kinds.reduce((a, k, i) => a + k.count * y[i], 0);
    if (priced.value > 0) best = Math.max(best, demand / priced.value);
    if (priced.value <= 1 + 1e-9 || patterns.some((p) => p.every((v, i) => v === priced.pattern[i]))) break;
    patterns.push(priced.pattern);
  }
  return { bound: Math.ceil(best - 1e-7), lp, iterations };
}
