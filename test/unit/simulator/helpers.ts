import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../../server/src/core/check';
import type { Model } from '../../../server/src/core/model/types';

export const PATH = '/work/sim.topo';

/** Checks a .topo text and returns its model; fails the test when the file has errors. */
export function modelOf(text: string): Model {
  const r = checkText(text, PATH);
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
export function sdsText(nodes: number, body: string, opts: { cores?: number; memory?: string; policy?: string; duration?: string; bandwidth?: string } = {}): string {
  return `defaults {
  duration ${opts.duration ?? '4s'}
}
rack r1 {
  latency 2us
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
