import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main';
import type { CliIo } from '../../../server/src/cli/io';
import type { SimulationResult } from '../../../server/src/core/result';

const ROOT = join(__dirname, '../../..');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: ROOT };
  const code = await main(['simulate', ...args], io);
  return { code, out, err };
}

test('topo simulate --format json prints the document for a scenario, policy and seed', async () => {
  const r = await run(['examples/spec-example.topo', '--scenario', 'lose a node', '--policy', 'page', '--seed', '7', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as SimulationResult;
  assert.equal(doc.version, '1');
  assert.deepEqual([doc.input.file, doc.input.scenario, doc.input.policy, doc.input.seed], ['examples/spec-example.topo', 'lose a node', 'page', 7]);
  assert.equal(doc.events.length, 2);
});

test('topo simulate text: summary, containers, nodes, events', async () => {
  const r = await run(['examples/spec-example.topo', '--scenario', 'lose a node']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^examples\/spec-example\.topo: scenario "lose a node", policy cost/);
  assert.match(r.out, /\n {2}container +replicas +target +locality/);
  assert.match(r.out, /\n {2}analytics +1 +pod1 /);
  assert.match(r.out, /\n {2}r1\.n3 +pod1 .*FAILED/);
  assert.match(r.out, /\n {2}5s +fail +r1\.n3 +yes/);
});

test('topo simulate --compare: four policies side by side; json keyed by policy', async () => {
  const t = await run(['examples/spec-example.topo', '--compare']);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /\n {2} +static +page +vcpu +cost\n {2}locality /);
  const j = await run(['examples/spec-example.topo', '--compare', '--format', 'json']);
  const doc = JSON.parse(j.out) as Record<string, SimulationResult>;
  assert.deepEqual(Object.keys(doc), ['static', 'page', 'vcpu', 'cost']);
  assert.ok(doc.cost.summary.locality > doc.static.summary.locality);
});

test('topo simulate exit codes: 2 for usage, 1 when the file has errors', async () => {
  assert.equal((await run([])).code, 2);
  assert.equal((await run(['examples/spec-example.topo', '--policy', 'fast'])).code, 2);
  assert.equal((await run(['examples/spec-example.topo', '--seed', 'x'])).code, 2);
  const bad = await run(['examples/spec-example.topo', '--scenario', 'nope']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /no scenario named "nope"; the file has "lose a node"/);
  const dir = mkdtempSync(join(tmpdir(), 'topo-sim-'));
  const file = join(dir, 'broken.topo');
  writeFileSync(file, 'rack r1 {\n  node n1 { cores -3 }\n}\n');
  const r = await run([file]);
  assert.equal(r.code, 1);
  assert.match(r.err, /not simulated: the file has errors/);
  assert.equal(r.out, '');
});
