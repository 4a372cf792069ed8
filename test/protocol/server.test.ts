import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TestClient } from './client';

const example = readFileSync(resolve(__dirname, '../../examples/analytics-sds.topo'), 'utf8');
const clients: TestClient[] = [];
after(async () => { for (const c of clients) await c.stop(); });

async function started(): Promise<TestClient> {
  const c = new TestClient();
  clients.push(c);
  await c.initialize();
  return c;
}

test('diagnostics appear while typing, on the exact range, and clear when fixed and on close', async () => {
  const c = await started();
  const uri = 'file:///work/typing.topo';
  c.open(uri, 'rack r1 {\n  node n1 { cores 8 memory 32GiB }\n}\n');
  await c.until('first diagnostics', () => c.lastDiagnostics(uri));
  assert.deepEqual(c.lastDiagnostics(uri)!.diagnostics, []);
  c.edit(uri, [1, 29], [1, 32], 'Gb'); // memory 32Gb: unknown unit
  const d = await c.until('T103', () => c.lastDiagnostics(uri)?.diagnostics.find((x) => x.code === 'T103'));
  assert.deepEqual(d.range, { start: { line: 1, character: 29 }, end: { line: 1, character: 31 } });
  assert.match(d.message, /unknown unit `Gb`/);
  c.edit(uri, [1, 29], [1, 31], 'GiB');
  await c.until('cleared', () => c.lastDiagnostics(uri)?.diagnostics.length === 0 && c.lastDiagnostics(uri)!.version === 3);
  c.close(uri);
  await c.until('cleared on close', () => { const l = c.lastDiagnostics(uri); return l && l.version === undefined && l.diagnostics.length === 0; });
});

test('an importing file is re-checked when the imported file changes', async () => {
  const c = await started();
  const hw = 'file:///work/hw.topo';
  const app = 'file:///work/app.topo';
  c.open(hw, 'rack r1 {\n  node n1 { cores 8 memory 32GiB }\n}\n');
  c.open(app, 'import "hw.topo"\ncontainer web { cpu 1 memory 1GiB place on r1 }\n');
  await c.until('app clean', () => c.lastDiagnostics(app)?.diagnostics.length === 0);
  c.edit(hw, [0, 5], [0, 7], 'r9'); // rename the rack: app's `place on r1` breaks
  const d = await c.until('T200 in the importer', () => c.lastDiagnostics(app)?.diagnostics.find((x) => x.code === 'T200'));
  assert.match(d.message, /unknown target `r1`/);
});

test('capacity diagnostics (T4xx) come with quick fixes as code actions that remove them', async () => {
  const c = await started();
  const uri = 'file:///work/over.topo';
  const text = 'rack r1 {\n  node n1..n2 { cores 8 memory 32GiB }\n}\ncontainer api {\n  replicas 6\n  cpu 4\n  memory 4GiB\n  place on r1\n}\n';
  c.open(uri, text);
  const diag = await c.until('a T4xx', () => c.lastDiagnostics(uri)?.diagnostics.find((x) => /^T4/.test(x.code)));
  const actions = await c.request<{ title: string; edit: { changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> } }[]>('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
  assert.ok(actions.length > 0, 'a quick fix is offered');
  const lower = actions.find((a) => /replicas/i.test(a.title)) ?? actions[0];
  const edits = lower.edit.changes[uri];
  assert.ok(edits && edits.length > 0);
  // Apply the edits (back to front) and send the whole text as a new version.
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let fixed = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) fixed = fixed.slice(0, offset(e.range.start)) + e.newText + fixed.slice(offset(e.range.end));
  c.edit(uri, [0, 0], [lines.length, 0], fixed);
  await c.until('no more T4xx errors', () => { const l = c.lastDiagnostics(uri); return l && l.version === 2 && !l.diagnostics.some((x) => /^T4/.test(x.code) && x.code !== 'T404' && x.code !== 'T402'); });
});

test('saving runs the simulator: result notification, progress, and T5xx diagnostics', async () => {
  const c = await started();
  const uri = 'file:///work/examples/analytics-sds.topo';
  c.open(uri, example);
  await c.until('diagnostics', () => c.lastDiagnostics(uri));
  c.save(uri);
  const sim = await c.until('simulation', () => c.simulations.find((s) => s.uri === uri && s.result), 30_000);
  assert.ok(sim.result!.summary.locality > 0 && sim.result!.summary.locality <= 1);
  assert.ok(c.progress.length >= 2, 'work-done progress was reported');
});

test('a file with errors is not simulated; the client is told why', async () => {
  const c = await started();
  const uri = 'file:///work/broken.topo';
  c.open(uri, 'rack r1 { node n1 { cores 8 memory 32GiB } }\ncontainer c { cpu 1 memory 1GiB place on nowhere }\n');
  await c.until('diagnostics', () => c.lastDiagnostics(uri));
  c.save(uri);
  const s = await c.until('notification', () => c.simulations.find((x) => x.uri === uri));
  assert.equal(s.result, null);
  assert.match(s.reason ?? '', /errors/);
});

test('a newer save cancels the older run: one result, for the newer text', async () => {
  const c = await started();
  const uri = 'file:///work/examples/cancel.topo';
  c.open(uri, example);
  await c.until('diagnostics', () => c.lastDiagnostics(uri));
  c.save(uri);
  c.edit(uri, [0, 0], [0, 0], '# edited\n');
  c.save(uri);
  await c.until('a result', () => c.simulations.find((s) => s.uri === uri && s.result), 30_000);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(c.simulations.filter((s) => s.uri === uri && s.result).length, 1, 'the cancelled run sent nothing');
});

test('topo/simulate runs one simulation on request with a policy and scenario', async () => {
  const c = await started();
  const uri = 'file:///work/examples/request.topo';
  c.open(uri, example);
  const r = await c.request<{ result: { input: { policy: string; scenario: string | null }; summary: { locality: number } } }>('topo/simulate', { uri, policy: 'static', scenario: 'node failure during a query burst' });
  assert.equal(r.result.input.policy, 'static');
  assert.equal(r.result.input.scenario, 'node failure during a query burst');
  await assert.rejects(c.request('topo/simulate', { uri, scenario: 'no such scenario' }), /no scenario named/);
  await assert.rejects(c.request('topo/simulate', { uri: 'file:///not/open.topo' }), /not an open document/);
});

test('a requested simulation (no save) publishes its T5xx with the check\'s diagnostics; the answer carries the facts', async () => {
  const c = await started();
  const uri = 'file:///work/examples/requested-t5xx.topo';
  c.open(uri, example);
  await c.until('first diagnostics', () => c.lastDiagnostics(uri));
  const before = c.lastDiagnostics(uri)!.diagnostics.map((d) => d.code);
  assert.ok(!before.some((code) => code.startsWith('T5')), `no T5xx before any simulation: ${before.join(', ')}`);
  type Answer = {
    result: { diagnostics: { code: string; message: string; file: string; range: unknown }[] };
    facts: { containers: { name: string; image: string | null; talks: { to: string }[]; io: { node: string; device: string }[] }[]; diagnostics: { code: string; subject: { kind: string; name: string } }[] };
  };
  const r = await c.request<Answer>('topo/simulate', { uri });
  const expected = r.result.diagnostics.filter((d) => d.file === '/work/examples/requested-t5xx.topo').map((d) => `${d.code} ${d.message}`).sort();
  assert.ok(expected.length > 0, 'the example has simulator diagnostics (T500 on columnstore at least)');
  const published = await c.until('T5xx in the published diagnostics', () => {
    const l = c.lastDiagnostics(uri)?.diagnostics.filter((d) => d.code.startsWith('T5'));
    return l && l.length ? l : undefined;
  });
  assert.deepEqual(published.map((d) => `${d.code} ${d.message}`).sort(), expected);
  assert.ok(published.every((d) => d.codeDescription?.href.includes('#t5')), 'T5xx link their reference entry');
  // Another requested run of the same scenario replaces them (not duplicated).
  const second = await c.request<Answer>('topo/simulate', { uri, policy: 'static' });
  const expectedAgain = second.result.diagnostics.filter((d) => d.file === '/work/examples/requested-t5xx.topo').map((d) => `${d.code} ${d.message}`).sort();
  assert.notDeepEqual(expectedAgain, expected, 'the static run reports other T5xx than the cost run (else this step proves nothing)');
  const again = await c.until('the static run\'s T5xx published', () => {
    const l = c.lastDiagnostics(uri)?.diagnostics.filter((d) => d.code.startsWith('T5')).map((d) => `${d.code} ${d.message}`).sort();
    return l && JSON.stringify(l) === JSON.stringify(expectedAgain) ? l : undefined;
  });
  assert.deepEqual(again, expectedAgain, 'replaced, not appended');
  assert.equal(new Set(again).size, again.length, 'no diagnostic published twice');
  // An edit clears them (their ranges are the old text's).
  c.edit(uri, [0, 0], [0, 0], '# edited\n');
  await c.until('T5xx cleared by the edit', () => c.lastDiagnostics(uri)?.version === 2 && !c.lastDiagnostics(uri)!.diagnostics.some((d) => d.code.startsWith('T5')));
  // Facts: what the results do not say.
  const cs = new Map(r.facts.containers.map((x) => [x.name, x]));
  assert.equal(cs.get('columnstore')?.image, 'registry.local/analytics/columnstore:24.3');
  assert.deepEqual(cs.get('ingest')?.talks.map((t) => t.to), ['columnstore']);
  assert.deepEqual(cs.get('ingest')?.io, [{ node: 'analytics.n2', device: 'nvme0', weight: 0.25 }]);
});

test('the server keeps serving after malformed input of every kind', async () => {
  const c = await started();
  const uri = 'file:///work/junk.topo';
  c.open(uri, '\u0000\u0001{{{{}}}}"unterminated\n'.repeat(50) + 'x'.repeat(200_000));
  await c.until('diagnostics for junk', () => c.lastDiagnostics(uri));
  c.edit(uri, [99999, 5], [100000, 0], 'past the end'); // positions beyond the text
  c.edit(uri, [3, 10], [1, 0], ''); // reversed range
  await assert.rejects(c.request('topo/unknownMethod', {}));
  await c.request('textDocument/codeAction', { textDocument: { uri: 'file:///never/opened.topo' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } });
  await c.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: -5, character: -1 }, end: { line: 1e9, character: 1e9 } }, context: { diagnostics: [] } });
  const ok = 'file:///work/ok.topo';
  c.open(ok, 'rack r1 { node n1 { cores 8 memory 32GiB } }\n');
  await c.until('still serving', () => c.lastDiagnostics(ok));
  assert.equal(c.proc.exitCode, null, 'the server is alive');
});

test('`topo lsp --stdio` is the same server, for any editor with an LSP client', async () => {
  const c = new TestClient([resolve(__dirname, '../../bin/topo.js'), 'lsp', '--stdio']);
  clients.push(c);
  const { capabilities } = await c.initialize();
  assert.ok(capabilities.completionProvider && capabilities.hoverProvider);
  const uri = 'file:///work/cli-lsp.topo';
  c.open(uri, 'rack r1 { node n1 { cores 8 memory 32GiB } }\ncontainer web { cpu 1 memory 1GiB place on r2 }\n');
  const d = await c.until('T200 from `topo lsp`', () => c.lastDiagnostics(uri)?.diagnostics.find((x) => x.code === 'T200'));
  assert.match(d.message, /r2/);
});
