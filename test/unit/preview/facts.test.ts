// The facts the preview gets beside the results: taken from the model, each diagnostic with the
// declaration it is inside.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../../server/src/core/check';
import { programFacts } from '../../../server/src/core/facts';

const GiB = 1024 ** 3;

test('facts of analytics-sds: images, per-replica requests and limits, talks, io, name lines', () => {
  const path = join(__dirname, '../../../examples/analytics-sds.topo');
  const text = readFileSync(path, 'utf8');
  const f = programFacts(checkText(text, path));
  const by = new Map(f.containers.map((c) => [c.name, c]));
  assert.deepEqual([...by.keys()], ['columnstore', 'ingest', 'query-api', 'dashboards']);
  const q = by.get('query-api')!;
  assert.equal(q.image, 'registry.local/analytics/query-api:5.0');
  assert.equal(q.replicas, 4);
  assert.deepEqual(q.request, { cpu: 4, memory: 16 * GiB });
  assert.deepEqual(q.limit, { cpu: 8, memory: 24 * GiB });
  assert.deepEqual(by.get('dashboards')!.talks, [{ to: 'query-api', weight: 0.2 }]);
  assert.deepEqual(by.get('columnstore')!.io, [{ node: 'analytics.n1', device: 'nvme0', weight: 0.2 }]);
  assert.equal(by.get('columnstore')!.priority, 'high');
  const lines = text.split('\n');
  for (const c of f.containers) assert.match(lines[c.line]!, new RegExp(`^container ${c.name} \\{`));
});

test('a diagnostic concerns the innermost declaration around it', () => {
  const text = [
    'defaults { headroom 0 }',
    'rack r1 {',
    '  node n1..n2 { cores 8 memory 32GiB }',
    '  node big { cores 8 memory 32Gb }',
    '}',
    'sds s { nodes r1.n1..n2 policy sometimes }',
    'container web { replicas 4 cpu 2 memory 20GiB place on r1 }',
    'scenario x { at 1s fail r1.nowhere }',
  ].join('\n');
  const f = programFacts(checkText(text, '/work/s.topo'));
  const subjects = f.diagnostics.map((d) => `${d.code} ${d.subject.kind} ${d.subject.name} @${d.range.start.line}`);
  assert.ok(subjects.some((s) => /^T103 node r1\.big @3$/.test(s)), subjects.join('\n'));
  assert.ok(subjects.some((s) => /^T\d{3} sds s @5$/.test(s)), subjects.join('\n'));
  assert.ok(subjects.some((s) => /^T\d{3} scenario x @7$/.test(s)), subjects.join('\n'));
  assert.equal(f.diagnostics.length, checkText(text, '/work/s.topo').diagnostics.length);
});
