import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main';
import type { CliIo } from '../../../server/src/cli/io';
import type { PlacementResult } from '../../../server/src/core/result';

async function place(files: Record<string, string>, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'topo-place-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    let out = '', err = '';
    const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: dir };
    const code = await main(args, io);
    return { code, out, err };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const GOOD = `defaults { oversubscribe cpu 2.0 headroom 0 }
rack r2 { node m1..m3 { cores 16 memory 64GiB } }
container api { replicas 3 cpu request 500m limit 2 memory 1GiB spread nodes place on r2 }
container cache { replicas 2 cpu 2 memory 16GiB place on r2 }
`;

test('topo place --format json prints the PlacementResult', async () => {
  const r = await place({ 'a.topo': GOOD }, ['place', 'a.topo', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as PlacementResult;
  assert.equal(doc.version, '1');
  assert.equal(doc.file, 'a.topo');
  assert.equal(doc.targets.length, 1);
  const t = doc.targets[0];
  assert.equal(t.target, 'r2');
  assert.deepEqual(t.containers, ['api', 'cache']);
  assert.equal(t.nodes.length, 3);
  assert.equal(t.nodes.reduce((s, n) => s + n.replicas.length, 0), 5);
  assert.deepEqual(t.nodes[0].capacity, { cpu: 16, memory: 64 * 1024 ** 3 });
  assert.deepEqual(t.nodes[0].allowance, { cpu: 32, memory: 64 * 1024 ** 3 });
});

test('topo place prints a table per target and node by default', async () => {
  const r = await place({ 'a.topo': GOOD }, ['place', 'a.topo']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^rack r2 \(pack spread\): capacity 48c\/192GiB/m);
  assert.match(r.out, /r2\.m1 +active +16c\/64GiB/);
  assert.match(r.out, /api/);
});

test('topo place exits 1 and explains when replicas do not fit', async () => {
  const r = await place({ 'a.topo': 'defaults { headroom 0 }\nrack r1 { node n1 { cores 4 memory 8GiB } }\ncontainer big { cpu 2 memory 16GiB place on r1 }\n' }, ['place', 'a.topo']);
  assert.equal(r.code, 1);
  assert.match(r.err, /T403/);
  assert.match(r.out, /UNPLACED big#0/);
});

test('topo place without a file is a usage error', async () => {
  const r = await place({}, ['place']);
  assert.equal(r.code, 2);
  assert.match(r.err, /usage: topo place FILE/);
});
