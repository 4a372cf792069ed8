import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../../server/src/core/check';
import type { Model, Policy } from '../../../server/src/core/model/types';
import { seeded } from '../../seeded';

export const PATH = '/work/sim.topo';
export const POLICIES: readonly Policy[] = ['static', 'page', 'vcpu', 'cost'];

/** Checks a .topo text and returns its model; fails the test when the file has errors. */
export function modelOf(text: string, path = PATH): Model {
  const r = checkText(text, path);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`fixture has errors: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return r.model;
}

export const EXAMPLES = ['spec-example', 'analytics-sds', 'microservices-rack', 'multi-rack'];

export function example(name: string): { model: Model; text: string; path: string } {
  const path = join(__dirname, '../../../examples', `${name}.topo`);
  const text = readFileSync(path, 'utf8');
  return { model: checkText(text, path).model, text, path };
}

/** An SDS of `nodes` equal nodes with the given containers' text. */
export function sdsText(nodes: number, body: string, opts: { cores?: number; memory?: string; policy?: string; duration?: string; bandwidth?: string; latency?: string } = {}): string {
  return `defaults {
  duration ${opts.duration ?? '4s'}
}
rack r1 {
  latency ${opts.latency ?? '2us'}
  bandwidth ${opts.bandwidth ?? '100Gbps'}
  node ${nodes === 1 ? 'n1' : `n1..n${nodes}`} { cores ${opts.cores ?? 8} memory ${opts.memory ?? '64GiB'} }
}
sds pod {
  nodes ${nodes === 1 ? 'r1.n1' : `r1.n1..n${nodes}`}
  policy ${opts.policy ?? 'cost'}
}
${body}
`;
}

export interface GeneratedCase {
  readonly name: string;
  readonly text: string;
  readonly model: Model;
}

export const FABRICS = { fast: { bandwidth: '100Gbps', latency: '2us' }, slow: { bandwidth: '1Gbps', latency: '50us' } } as const;

/**
 * The generated suite (fixed seeds): one to sixteen nodes, fast and slow fabrics, uniform and
 * skewed working sets, read-mostly and write-heavy containers, one to three containers of which
 * some share memory (`talks`). Sizes keep every case within its SDS's memory and cores within
 * twice the usable cores (some are CPU-overloaded on purpose).
 */
export function generatedSuite(): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  let seed = 1;
  for (const nodes of [1, 2, 4, 8, 16]) {
    for (const fabric of ['fast', 'slow'] as const) {
      for (const skew of [0, 1.1]) {
        for (const writes of [5, 70]) {
          const r = seeded(seed++);
          const k = 1 + Math.floor(r() * 3);
          const cores = 8;
          const body: string[] = [];
          for (let i = 0; i < k; i++) {
            const cpu = 1 + Math.floor(r() * Math.min(8, nodes * 3));
            const ws = [1, 2, 4, 8][Math.floor(r() * 4)];
            const talks = i > 0 && r() < 0.6 ? `\n  talks c${i - 1} weight ${[10, 30, 60][Math.floor(r() * 3)]}%` : '';
            body.push(`container c${i} {\n  cpu ${cpu}\n  load ${[50, 100][Math.floor(r() * 2)]}%\n  memory ${ws}GiB\n  workingset ${ws}GiB skew ${skew} writes ${writes}%${talks}\n  place on pod\n}`);
          }
          const text = sdsText(nodes, body.join('\n'), { cores, memory: '64GiB', duration: '3s', ...FABRICS[fabric] });
          out.push({ name: `${nodes} nodes, ${fabric} fabric, skew ${skew}, writes ${writes}%, ${k} containers`, text, model: modelOf(text) });
        }
      }
    }
  }
  return out;
}
