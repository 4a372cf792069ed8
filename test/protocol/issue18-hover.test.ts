// Issue 18's hovers through the language server over stdio: durations under a millisecond
// written out, plain numbers explained by their property, import paths naming their file.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { find, TestClient } from './client';

const dir = mkdtempSync(join(tmpdir(), 'topo-issue18-'));
const MAIN = `import "common.topo"
import "missing.topo"
defaults { tick 10ms }
rack r3 {
  latency 2us
  node x1 { cores 32 memory 8GiB }
}
container c {
  cpu request 2 limit 4
  memory 1GiB
  skew 1.2
  place on r3
}
`;
let c: TestClient;
const uri = pathToFileURL(join(dir, 'main.topo')).href;
before(async () => {
  writeFileSync(join(dir, 'common.topo'), 'rack r1 {\n  node n1..n4 { cores 32 memory 256GiB }\n}\nrack r2 {\n  node m1 { cores 8 memory 8GiB }\n}\ncontainer web { cpu 1 memory 1GiB place on r2 }\n');
  writeFileSync(join(dir, 'main.topo'), MAIN);
  c = new TestClient();
  await c.initialize(pathToFileURL(dir).href);
  c.open(uri, MAIN);
  await c.until('diagnostics', () => c.lastDiagnostics(uri));
});
after(async () => { await c.stop(); rmSync(dir, { recursive: true, force: true }); });

async function hoverAt(needle: string, delta = 0): Promise<string> {
  const h = await c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: find(MAIN, needle, delta) });
  return h?.contents.value ?? '';
}

test('language server: a duration under a millisecond is written out, with its unit named', async () => {
  assert.equal(await hoverAt('2us', 1), '`2us` = 0.000002 s (2 microseconds)');
  assert.equal(await hoverAt('10ms', 1), '`10ms` = 0.01 s (10 milliseconds)');
});

test('language server: a plain number says what its property makes of it', async () => {
  assert.match(await hoverAt('request 2', 8), /^`2` = 2 cores = 2,000m — `request` of \*\*cpu\*\*/);
  assert.match(await hoverAt('skew 1.2', 6), /^`1\.2` — \*\*skew\*\* \(`skew RATIO`\)\n\nZipf exponent/);
  assert.match(await hoverAt('cores 32', 6), /^`32` — \*\*cores\*\*.*\n\nPhysical cores of the node/);
});

test('language server: an import path names its file and what it declares, or that it is not loaded', async () => {
  assert.equal(await hoverAt('common.topo', 2), `\`common.topo\` — ${join(dir, 'common.topo')}\n\ndeclares 2 racks, 1 container`);
  assert.match(await hoverAt('missing.topo', 2), /^`missing\.topo` — .*missing\.topo: not loaded \(see the problem reported on this import\)$/);
});
