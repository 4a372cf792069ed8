import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completion, hover } from '../../../server/src/core/ide/index';
import { snap } from './helpers';

/**
 * One SDS capacity formula (issue 16): the placement's. A spare member holds nothing until a
 * scenario adds it, so completion's detail, hover's table and the placement all count the
 * active members only, each less the per-node reserve. Hand-computed: 3 active nodes of 32
 * cores and 256GiB, reserve 2 cores and 8GiB each: 90 cores and 744GiB (the spare's 30 cores
 * and 248GiB are not counted).
 */

const TEXT = `rack r1 {
  node n1..n3 { cores 32 memory 256GiB }
  node n4 { cores 32 memory 256GiB role spare }
}
sds pod1 {
  nodes r1.*
  reserve cores 2 memory 8GiB
}
container web {
  cpu 1
  memory 1GiB
  place on pod1
}
container api {
  cpu 1
  memory 1GiB
  place on |
}
`;

test('completion, hover and the placement give an SDS with a spare member the same capacity', () => {
  const { s, offset } = snap(TEXT);
  const placed = s.check.placement?.targets.find((t) => t.target === 'pod1');
  assert.deepEqual(placed?.capacity, { cpu: 90, memory: 744 * 1024 ** 3 });
  const item = completion(s, offset).find((x) => x.label === 'pod1');
  assert.equal(item?.detail, 'SDS · 4 nodes, 90 cores, 744GiB');
  const h = hover(s, s.text.indexOf('sds pod1') + 5);
  assert.match(h?.contents ?? '', /\| capacity \| 90 cores \| 744GiB \|/);
});
