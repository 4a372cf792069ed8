import { checkText } from '../../../server/src/core/check';
import type { IdeSnapshot } from '../../../server/src/core/ide/types';

export const FILE = '/work/main.topo';

/** A snapshot of `text` (a `|` marks the cursor, removed) and the cursor offset. */
export function snap(textWithCursor: string, files: ReadonlyMap<string, string> = new Map(), file = FILE): { s: IdeSnapshot; offset: number } {
  const offset = textWithCursor.indexOf('|');
  const text = offset >= 0 ? textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1) : textWithCursor;
  return { s: { file, text, check: checkText(text, file, files) }, offset: Math.max(0, offset) };
}

/** The text of a span of the snapshot's file. */
export function slice(s: IdeSnapshot, span: { start: number; end: number }): string {
  return s.text.slice(span.start, span.end);
}

export const SPEC_EXAMPLE = `defaults {
  oversubscribe cpu 2.0 memory 1.0
  duration 20s
}

rack r1 {
  latency 2us
  bandwidth 100Gbps
  node n1..n4 { cores 32 memory 256GiB disk nvme0 2TB }
  node n5 { cores 32 memory 256GiB role spare }
}

rack r2 {
  node m1..m8 { cores 16 memory 64GiB }
}

sds pod1 {
  nodes r1.n1..n4
  reserve cores 1 memory 8GiB
  policy cost
}

container analytics {
  memory 600GiB            # larger than any node: only an SDS can hold it
  cpu 24
  workingset 400GiB skew 1.1 writes 10%
  io r1.n2.nvme0 weight 20%
  place on pod1
}

container api {
  replicas 6
  cpu request 500m limit 2
  memory request 1GiB limit 2GiB
  talks cache weight 30%
  spread nodes
  place on r2
}

container cache {
  replicas 2
  cpu 2
  memory 16GiB
  place on r2
}

scenario "lose a node" {
  at 5s fail r1.n3
  at 8s add r1.n5 to pod1
}
`;

const LOCATION_KEYS = new Set(['at', 'nameAt', 'block']);

/** The bound model as JSON without source locations (what a text means, not where). */
export function meaning(check: { model: unknown }): string {
  return JSON.stringify(check.model, (k, v: unknown) => (LOCATION_KEYS.has(k) ? undefined : v));
}
