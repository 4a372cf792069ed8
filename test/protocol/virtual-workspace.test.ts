// What package.json says of virtual workspaces (virtualWorkspaces.description), on the real
// server: files are checked and simulated from the open editors; an import of a file that is not
// open is not found (T204), and resolves once that file is open.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient } from './client';

const c = new TestClient();
after(() => c.stop());

test('a virtual workspace (vscode-vfs:) is served from its open documents only', async () => {
  const root = 'vscode-vfs://github/acme/deploy';
  await c.initialize(root);
  const app = `${root}/app.topo`;
  const hw = `${root}/hw.topo`;
  c.open(app, 'import "hw.topo"\ncontainer web { cpu 1 memory 1GiB place on r1 }\n');
  const missing = await c.until('T204 for the import', () => c.lastDiagnostics(app)?.diagnostics.find((d) => d.code === 'T204'));
  assert.match(missing.message, /import not found: `hw\.topo`/);
  c.open(hw, 'rack r1 {\n  node n1 { cores 8 memory 32GiB }\n}\n');
  await c.until('the import resolved from the open editor', () => c.lastDiagnostics(app)?.diagnostics.length === 0);
  c.save(app);
  const sim = await c.until('a simulation of the open documents', () => c.simulations.find((s) => s.uri === app), 30_000);
  assert.ok(sim.result, `simulated: ${sim.reason ?? ''}`);
  c.close(hw);
  await c.until('T204 again once the imported file is closed', () => c.lastDiagnostics(app)?.diagnostics.some((d) => d.code === 'T204'));
});
