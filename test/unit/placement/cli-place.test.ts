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

test('topo place counts the VM overhead placement charges in a target\'s totals, and says so', async () => {
  // Two 8-core nodes; spread puts one store (tenant shop, vm) and one batch on each, so each node
  // pays one VM: 1 core and 2GiB. Containers: 4 x 3 cores = 12 cores, 4 x 8GiB = 32GiB; with the
  // two VMs 14 cores and 36GiB, as requests and as limits (node rows: 3 + 3 + 1 = 7 cores, 18GiB).
  const text = `defaults { headroom 0 }
rack r1 {
  node n1..n2 { cores 8 memory 32GiB }
}
tenant shop {
  isolation vm
  overhead cpu 1 memory 2GiB
}
container store {
  tenant shop
  replicas 2
  cpu 3
  memory 8GiB
  place on r1
}
container batch {
  replicas 2
  cpu 3
  memory 8GiB
  place on r1
}
`;
  const r = await place({ 'a.topo': text }, ['place', 'a.topo']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^rack r1 \(pack spread\): capacity 16c\/64GiB, allowance 16c\/64GiB, requested 14c\/36GiB, limits 14c\/36GiB \(both incl\. 2c\/4GiB of VM overhead\); headroom not checked$/m);
  assert.match(r.out, /r1\.n1 +active +8c\/32GiB +7c\/18GiB/);
  // without the vm isolation there is no VM and nothing to add
  const shared = await place({ 'a.topo': text.replace('isolation vm', 'isolation shared') }, ['place', 'a.topo']);
  assert.match(shared.out, /requested 12c\/32GiB, limits 12c\/32GiB; headroom not checked$/m);
});
