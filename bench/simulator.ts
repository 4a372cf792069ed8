// Mobility simulator benchmarks (issue 14), in one run so the ratios compare like with like:
// - the hot loop: `vcpu`'s sampled accesses per second and `--exact`'s real accesses per second,
//   next to a bare typed-array random-access loop using the same generator (aim: >= 1/3 of it);
// - examples/analytics-sds.topo at the default sampling with no coarsening, per policy
//   (aim: < 500 ms for the default policy);
// - a generated 96-node SDS with 2,000 containers for 60 simulated seconds at the default
//   budget (aim: < 1 s), with the confidence interval T502 reports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../server/src/core/check';
import { simulate } from '../server/src/core/simulator/index';
import { Rng } from '../server/src/core/simulator/rng';
import type { Model } from '../server/src/core/model/types';
import type { SimulationResult } from '../server/src/core/result';

/** A 96-node SDS with 2,000 containers (every tenth talks to its neighbour, some write-heavy). */
export function generatedSdsText(nodes = 96, containers = 2000, duration = 60): string {
  const out = [`defaults {\n  duration ${duration}s\n}`, `rack r1 {\n  latency 2us\n  bandwidth 100Gbps\n  node n1..n${nodes} { cores 64 memory 512GiB }\n}`, `sds big {\n  nodes r1.n1..n${nodes}\n  reserve cores 1 memory 8GiB\n  policy cost\n}`];
  for (let i = 0; i < containers; i++) {
    const talks = i % 10 === 9 ? `\n  talks c${i - 1} weight 20%` : '';
    out.push(`container c${i} {\n  cpu ${1 + (i % 4)}\n  memory ${4 + (i % 8)}GiB\n  workingset ${1 + (i % 4)}GiB skew ${(0.6 + (i % 5) * 0.1).toFixed(1)} writes ${10 + (i % 5) * 10}%${talks}\n  place on big\n}`);
  }
  return `${out.join('\n')}\n`;
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

function best<T>(runs: number, f: () => T): [T, number] {
  let out = time(f);
  for (let i = 1; i < runs; i++) {
    const next = time(f);
    if (next[1] < out[1]) out = next;
  }
  return out;
}

/** The reference: random reads and writes of a 8 MiB Float64Array, indices from the simulator's generator. */
function bareLoop(accesses: number): number {
  const size = 1 << 20;
  const cells = new Float64Array(size);
  const rng = new Rng(1);
  let sum = 0;
  const t0 = performance.now();
  for (let i = 0; i < accesses; i++) {
    const k = (rng.float() * size) | 0;
    sum += cells[k];
    cells[k] = sum * 1e-9;
  }
  const ms = performance.now() - t0;
  return sum >= 0 ? accesses / (ms / 1000) : 0;
}

function load(name: string): Model {
  const path = join(__dirname, '../examples', name);
  return checkText(readFileSync(path, 'utf8'), path).model;
}

const pct = (x: number, e: number): string => `${(x * 100).toFixed(1)}% ± ${(e * 100).toFixed(1)}`;
const mps = (n: number, ms: number): string => `${(n / (ms / 1000) / 1e6).toFixed(1)} M/s`;
/** A wall time as a ratio to the reference: how many million bare-loop accesses run in that time (machine-independent within a run). */
const inBare = (ms: number, bare: number): string => `= ${((ms / 1000) * bare / 1e6).toFixed(1)} M bare-loop accesses`;

function sampled(r: SimulationResult): number {
  return r.summary.sampledAccesses ?? 0;
}

export async function benchSimulator(): Promise<string[]> {
  const lines: string[] = [];
  const analytics = load('analytics-sds.topo');
  simulate(analytics, { policy: 'vcpu', duration: 2 }); // warm-up (JIT)
  const bare = Math.max(bareLoop(2e7), bareLoop(2e7));

  // hot loops: long enough that setup is negligible, never coarsened
  const [hop, hopMs] = best(2, () => simulate(analytics, { policy: 'vcpu', duration: 20, budgetMs: 1e6 }));
  const hopRate = sampled(hop) / (hopMs / 1000);
  const small = checkText(`rack r {\n  node n1..n2 { cores 8 memory 64GiB }\n}\nsds s {\n  nodes r.n1..n2\n  policy cost\n}\ncontainer a {\n  cpu 4\n  load 100%\n  memory 8GiB\n  workingset 4GiB skew 0.8 writes 20%\n  place on s\n}\n`, '/bench/exact.topo').model;
  const [ex, exMs] = best(2, () => simulate(small, { exact: true, duration: 2 }));
  const exRate = sampled(ex) / (exMs / 1000);
  lines.push(`bare typed-array random-access loop: ${(bare / 1e6).toFixed(1)} M accesses/s (the reference)`);
  lines.push(`hot loop, vcpu sampling (analytics-sds, 20s): ${mps(sampled(hop), hopMs)} = ${(hopRate / bare).toFixed(2)} of the bare loop (aim >= 0.33)`);
  lines.push(`hot loop, --exact (2 nodes, 4 vCPUs, 2s): ${mps(sampled(ex), exMs)} real accesses = ${(exRate / bare).toFixed(2)} of the bare loop`);

  // analytics-sds at the default sampling, no coarsening (budget out of the way), per policy
  for (const policy of ['cost', 'static', 'page', 'vcpu'] as const) {
    const [r, ms] = best(3, () => simulate(analytics, { policy, budgetMs: 1e6 }));
    const coarse = r.diagnostics.some((d) => d.code === 'T502') ? ' (T502!)' : '';
    lines.push(`analytics-sds ${policy.padEnd(6)} ${r.input.duration}s simulated: ${ms.toFixed(0)} ms wall ${inBare(ms, bare)}${coarse}, locality ${pct(r.summary.locality, r.summary.localityError)}, slowdown ${r.summary.slowdown.toFixed(3)}${policy === 'cost' ? ' (aim < 500 ms)' : ''}`);
  }
  const [spec, specMs] = best(3, () => simulate(load('spec-example.topo'), {}));
  lines.push(`spec example (cost, ${spec.input.duration}s simulated): ${specMs.toFixed(0)} ms wall ${inBare(specMs, bare)}, locality ${pct(spec.summary.locality, spec.summary.localityError)}`);

  const [model, checkMs] = time((): Model => checkText(generatedSdsText(), '/bench/generated.topo').model);
  const [big, bigMs] = time(() => simulate(model, {}));
  const t502 = big.diagnostics.find((d) => d.code === 'T502');
  lines.push(`generated 96-node SDS, 2,000 containers, 60s simulated (cost, default budget): ${bigMs.toFixed(0)} ms wall ${inBare(bigMs, bare)} (check ${checkMs.toFixed(0)} ms), locality ${pct(big.summary.locality, big.summary.localityError)}, slowdown ${big.summary.slowdown.toFixed(3)} ± ${big.summary.slowdownError.toFixed(3)} (aim < 1 s)`);
  lines.push(`  ${t502 ? `T502: ${t502.message}` : 'not coarsened'}`);
  return lines;
}
