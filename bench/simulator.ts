// Mobility simulator benchmarks: hot-loop speed (sampled accesses per second), the language
// spec's example, and a generated 96-node SDS with 2,000 containers for 60 simulated seconds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../server/src/core/check';
import { simulate } from '../server/src/core/simulator/index';
import type { Model } from '../server/src/core/model/types';

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

export async function benchSimulator(): Promise<string[]> {
  const lines: string[] = [];
  const specPath = join(__dirname, '../examples/spec-example.topo');
  const spec = checkText(readFileSync(specPath, 'utf8'), specPath).model;
  simulate(spec, {}); // warm-up (JIT)
  const specRuns = [0, 1, 2].map(() => time(() => simulate(spec, { now: () => performance.now() })));
  const best = specRuns.reduce((a, b) => (b[1] < a[1] ? b : a));
  const r = best[0];
  lines.push(`spec example (base, cost, ${r.input.duration}s simulated): ${best[1].toFixed(0)} ms wall, ${(r.summary.sampledAccesses ?? 0).toLocaleString('en')} sampled accesses, locality ${(r.summary.locality * 100).toFixed(1)}% (aim < 200 ms)`);
  // hot loop: a longer run of the spec example so setup is negligible
  const [long, ms] = time(() => simulate(spec, { duration: 60, budgetMs: 60000 }));
  const rate = (long.summary.sampledAccesses ?? 0) / (ms / 1000);
  lines.push(`hot loop: ${(rate / 1e6).toFixed(1)} M sampled accesses/s (spec example, 60s simulated, ${(long.summary.sampledAccesses ?? 0).toLocaleString('en')} samples in ${ms.toFixed(0)} ms; aim > 20 M/s)`);
  for (const p of ['static', 'page', 'vcpu'] as const) {
    const [pr, pms] = time(() => simulate(spec, { policy: p, duration: 60, budgetMs: 60000 }));
    lines.push(`  ${p}: ${(((pr.summary.sampledAccesses ?? 0) / (pms / 1000)) / 1e6).toFixed(1)} M/s`);
  }
  const [model, checkMs] = time((): Model => checkText(generatedSdsText(), '/work/generated.topo').model);
  const [big, bigMs] = time(() => simulate(model, { now: () => performance.now() }));
  const t502 = big.diagnostics.find((d) => d.code === 'T502');
  lines.push(`generated 96-node SDS, 2,000 containers, 60s simulated: ${bigMs.toFixed(0)} ms wall (check ${checkMs.toFixed(0)} ms), ${(big.summary.sampledAccesses ?? 0).toLocaleString('en')} samples, locality ${(big.summary.locality * 100).toFixed(1)}% (aim < 3 s)`);
  lines.push(`  ${t502 ? `T502: ${t502.message}` : 'not coarsened'}`);
  return lines;
}
