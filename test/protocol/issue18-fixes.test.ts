// Issue 18's quick fixes and messages through the language server over stdio: the server
// publishes the diagnostic, answers textDocument/codeAction with the fix, and after the edit
// publishes no error.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, TestClient, textIn, type LspTextEdit, type Published } from './client';
import { FIX_CASES, RACK } from '../issue18-fix-cases';

interface CodeAction { title: string; kind?: string; isPreferred?: boolean; edit?: { changes: Record<string, LspTextEdit[]> } }

let c: TestClient;
before(async () => {
  c = new TestClient();
  await c.initialize();
});
after(async () => { await c.stop(); });

let n = 0;
async function opened(text: string): Promise<{ uri: string; diagnostics: Published['diagnostics'] }> {
  const uri = `file:///work/issue18/f${n++}.topo`;
  c.open(uri, text);
  const p = await c.until('diagnostics', () => c.lastDiagnostics(uri));
  return { uri, diagnostics: p.diagnostics };
}

for (const fc of FIX_CASES) {
  test(`language server: ${fc.name}`, async () => {
    const { uri, diagnostics } = await opened(fc.text);
    const d = diagnostics.find((x) => x.code === fc.code);
    assert.ok(d, `${fc.code} published`);
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.kind === 'quickfix' && fc.title.test(a.title));
    assert.ok(fix?.edit, `a fix titled ${fc.title} among ${actions.map((a) => a.title).join(' | ')}`);
    const fixed = applyEdits(fc.text, fix.edit.changes[uri]);
    assert.equal(fixed, fc.after);
    const again = await opened(fixed);
    assert.deepEqual(again.diagnostics.map((x) => x.code), [], 'no diagnostic after the fix');
  });
}

test('language server: an unknown property after a complete one, and T304 on the whole range', async () => {
  const text = `${RACK.replace('node n1..n4 { cores 32 memory 256GiB }', 'node n1..n4 { cores 32 memory 8GiB gpu 4 }\n  node m1..m2 { cores 8 }')}container c {\n  cpu\n}\n`;
  const { diagnostics } = await opened(text);
  const t104 = diagnostics.find((x) => x.code === 'T104');
  assert.ok(t104);
  assert.equal(textIn(text, t104.range), 'gpu');
  assert.equal(t104.message, 'unknown property `gpu` in a node block. Valid here: cores, memory, nic, disk, role, price, power.');
  const t304 = diagnostics.find((x) => x.code === 'T304');
  assert.ok(t304);
  assert.equal(textIn(text, t304.range), 'm1..m2');
  const cpu = diagnostics.find((x) => x.code === 'T100');
  assert.ok(cpu);
  assert.match(cpu.message, /write it as `cpu 2` or `cpu request 500m limit 2`$/);
});

test('language server: inlay hints say what each container adds and each target\'s totals once, units as hover writes them', async () => {
  const text = 'rack r2 {\n  node m1..m8 { cores 16 memory 64GiB }\n}\ncontainer api {\n  replicas 6\n  cpu 500m\n  memory 1GiB\n  place on r2\n}\ncontainer web {\n  replicas 3\n  cpu 250m\n  memory 512MiB\n  place on r2.m1..m4\n}\ncontainer cache {\n  cpu 2\n  memory 16GiB\n  place on r2\n}\n';
  const { uri } = await opened(text);
  const hints = await c.request<{ label: string; position: { line: number } }[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 21, character: 0 } } });
  assert.deepEqual(hints.map((h) => [h.position.line, h.label.trim()]), [
    [7, '+3 cores · +6GiB · r2 5.75/128 cores · 23.5GiB/512GiB'],
    [13, '+0.75 cores · +1.5GiB · r2.m1..m4 4.25/64 cores · 20.5GiB/256GiB'],
    [18, '+2 cores · +16GiB'],
  ]);
});

test('language server: an unfinished `at` gets one message with the forms; a known kind shows its own', async () => {
  const text = `${RACK}container api {\n  cpu 1\n  memory 1GiB\n}\nscenario s {\n  at 5s\n  at 5s load\n}\n`;
  const { diagnostics } = await opened(text);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['T100', 8], ['T100', 9]]);
  assert.match(diagnostics[0].message, /^`at` needs an event after the time: `fail NODE`, `add NODE to SDS`, `scale CONTAINER to COUNT` or `load CONTAINER PERCENT`, as in `at 5s fail r1\.n3`$/);
  assert.match(diagnostics[1].message, /write it as `at 5s load api 80%`$/);
});
