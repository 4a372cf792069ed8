import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { checkProgram, checkText } from '../../../server/src/core/check';
import { NodeFileHost } from '../../../server/src/node/fileHost';
import { findFixtures } from '../fixture-format';

const codes = (text: string): string[] => checkText(text).diagnostics.map((d) => d.code);

test('the message names the allowance, the ratio and what each container asks for', () => {
  const r = checkText(`defaults { oversubscribe cpu 2.0 headroom 0 }
rack r2 { node m1..m2 { cores 16 memory 64GiB } }
sds pod { nodes r2.* reserve cores 0 memory 0GiB }
container api { replicas 6 cpu request 1 limit 8 memory 1GiB place on pod }
container cache { replicas 3 cpu request 1 limit 8 memory 1GiB place on pod }`);
  const d = r.diagnostics.find((x) => x.code === 'T401');
  assert.ok(d, JSON.stringify(r.diagnostics.map((x) => x.code)));
  assert.match(d.message, /^SDS `pod` allows 64 cores of CPU limits \(32 cores x 2\.0\); containers placed there ask for 72 cores: api 6x8, cache 3x8\. Raise `oversubscribe cpu` to 2\.3/);
  assert.deepEqual(d.related.map((x) => x.message), ['`api`: 6 x 8 cores = 48 cores of CPU limits', '`cache`: 3 x 8 cores = 24 cores of CPU limits']);
  assert.equal(r.diagnostics.length, 1, 'T402 is not added to a T401 for the same resource');
});

test('colocate on the same SDS is fine; an SDS and a rack is T407', () => {
  const base = `defaults { headroom 0 }
rack r1 { node n1..n2 { cores 8 memory 32GiB } }
rack r2 { node m1 { cores 8 memory 32GiB } }
sds pod { nodes r1.* }
container d { cpu 1 memory 1GiB place on pod }
`;
  assert.deepEqual(codes(`${base}container c { cpu 1 memory 1GiB colocate d place on pod }`), []);
  assert.deepEqual(codes(`${base}container c { cpu 1 memory 1GiB colocate d place on r2 }`), ['T407']);
});

test('a target whose nodes all belong to an SDS has nothing to pack onto', () => {
  const r = checkText(`defaults { headroom 0 }
rack r1 { node n1..n2 { cores 8 memory 32GiB } }
sds pod { nodes r1.* }
container a { cpu 1 memory 1GiB place on r1 }`);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T400']);
  assert.match(r.diagnostics[0].message, /belong to SDS `pod`/);
});

test('nodes with invalid cores or memory (already a T3xx) get no capacity diagnostics', () => {
  assert.deepEqual(codes('rack r1 { node n1 { cores 0 memory 8GiB } }\ncontainer a { cpu 4 memory 64GiB place on r1 }'), ['T302']);
  assert.deepEqual(codes('rack r1 { node n1 { cores 4 } }\ncontainer a { cpu 4 memory 64GiB place on r1 }'), ['T304']);
});

test('a single-node target without spare gets no headroom warning; two nodes do', () => {
  assert.deepEqual(codes('rack r1 { node n1 { cores 8 memory 32GiB } }\ncontainer a { cpu 4 memory 4GiB place on r1 }'), []);
  assert.deepEqual(codes('rack r1 { node n1..n2 { cores 8 memory 32GiB } }\ncontainer a { replicas 2 cpu 6 memory 4GiB place on r1 }'), ['T404']);
});

test('priority decides which container is reported when a target is short', () => {
  const r = checkText(`defaults { headroom 0 }
rack r1 { node n1 { cores 8 memory 32GiB } }
container batch { cpu 6 memory 4GiB priority low place on r1 }
container api { cpu 6 memory 4GiB priority high place on r1 }`);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T400']);
  assert.match(r.diagnostics[0].message, /replicas of `batch`/);
});

test('no example produces a T4xx error', (t) => {
  const dir = resolve(__dirname, '../../../examples');
  if (!existsSync(dir)) { t.skip('no examples/ folder yet'); return; }
  const found: string[] = [];
  for (const file of findFixtures(dir)) {
    const result = checkProgram(file, new NodeFileHost(dirname(file)), { rootText: readFileSync(file, 'utf8') });
    for (const d of result.diagnostics) if (d.code.startsWith('T4') && d.severity === 'error') found.push(`${join(file)} ${d.code} ${d.message}`);
  }
  assert.deepEqual(found, []);
});

test('an SDS whose node set names an unknown node keeps the others and gives no capacity errors built on the gap', () => {
  const text = 'rack r1 { node n1..n4 { cores 32 memory 256GiB } }\nsds pod { nodes r1.n1..n3, r1.n9 }\ncontainer db { cpu 8 memory 600GiB place on pod }\nsds other { nodes r1.n2 }\n';
  const r = checkText(text);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T200', 'T207'], r.diagnostics.map((d) => d.message).join('\n'));
  assert.deepEqual(r.model.sdses[0].nodes.map((id) => r.model.nodes[id].ref), ['r1.n1', 'r1.n2', 'r1.n3']);
  assert.equal(r.model.sdses[0].nodesComplete, false);
  // Typing the set right: the SDS is whole again and its capacity is checked.
  const fixed = checkText(text.replace(', r1.n9', '').replace('memory 600GiB', 'memory 900GiB').replace('sds other { nodes r1.n2 }\n', ''));
  assert.deepEqual(fixed.diagnostics.map((d) => d.code), ['T400']);
  // An SDS with no nodes at all: T304 only.
  assert.deepEqual(checkText('rack r1 { node n1 { cores 4 memory 8GiB } }\nsds pod { }\ncontainer c { cpu 8 memory 1GiB place on pod }\n').diagnostics.map((d) => d.code), ['T304']);
});

test('a disk whose size is being typed is still declared: its uses do not turn into T200s', () => {
  const text = 'rack r1 { node n1 { cores 8 memory 32GiB disk nvme0 2T } }\ncontainer db { cpu 1 memory 1GiB io r1.n1.nvme0 weight 20% place on r1 }\n';
  assert.deepEqual(codes(text), ['T103']);
  assert.deepEqual(codes(text.replace('2T ', '2 ')), ['T300']);
});
