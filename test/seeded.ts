/**
 * The seeded generator of the tests and benchmarks (mulberry32): floats in [0, 1), the same
 * sequence for a seed on every machine, so a fixed-seed test tries the same inputs every run.
 * (The simulator has its own, server/src/core/simulator/rng.ts; the fuzzer its own too.)
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
