// `topo lsp --stdio` (bin/topo.js, the server docs/editors.md gives to Neovim, Helix and Emacs)
// simulates like the extension's server: on save, and on request (issue 15: its worker was
// looked for beside dist/cli.js and never found).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { TestClient } from './client';

const clients: TestClient[] = [];
after(async () => { for (const c of clients) await c.stop(); });

const FILE = [
  'defaults { threshold locality 99% duration 2s }',
  'rack r1 { node n1..n4 { cores 16 memory 64GiB } }',
  'sds pod1 { nodes r1.n1..n4 }',
  'container big { cpu 24 memory 150GiB place on pod1 }',
  'scenario "lose one" { at 1s fail r1.n4 }',
  '',
].join('\n');

test('topo lsp --stdio: a save brings the simulation result and its T5xx; topo/simulate answers', async () => {
  const c = new TestClient([resolve(__dirname, '../../bin/topo.js'), 'lsp', '--stdio']);
  clients.push(c);
  await c.initialize();
  const uri = 'file:///work/cli-lsp-sim.topo';
  c.open(uri, FILE);
  await c.until('diagnostics', () => c.lastDiagnostics(uri));
  assert.deepEqual(c.lastDiagnostics(uri)?.diagnostics.map((d) => d.code), []);
  c.save(uri);
  const sim = await c.until('topo/simulationResult', () => c.simulations.find((s) => s.uri === uri), 60_000);
  assert.equal(sim.reason, undefined, `no result: ${sim.reason}; server stderr:\n${c.stderr}`);
  assert.ok(sim.result && sim.result.summary.locality > 0 && sim.result.summary.locality < 0.99, JSON.stringify(sim.result?.summary));
  const t500 = await c.until('T500 after the save', () => c.lastDiagnostics(uri)?.diagnostics.find((d) => d.code === 'T500'), 30_000);
  assert.match(t500.message, /predicted locality of big/);
  const r = await c.request<{ result: { input: { policy: string; scenario: string | null }; summary: { locality: number } } }>('topo/simulate', { uri, policy: 'static', scenario: 'lose one' });
  assert.equal(r.result.input.policy, 'static');
  assert.equal(r.result.input.scenario, 'lose one');
  assert.ok(r.result.summary.locality > 0 && r.result.summary.locality <= 1);
  assert.doesNotMatch(c.stderr, /simulator worker .* is missing/);
});
