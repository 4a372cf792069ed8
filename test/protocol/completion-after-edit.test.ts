// Completion sent right after an edit is answered from the new text bound (an
// incremental reparse, then the binder), without waiting for the check: the items
// must be those for the new text, as after the check settles.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TestClient, find } from './client';

const SPEC = readFileSync(resolve(__dirname, '../../examples/spec-example.topo'), 'utf8');

interface Item { label: string; textEdit?: { range: { start: { line: number; character: number } } } }

let c: TestClient;
before(async () => { c = new TestClient(); await c.initialize(); });
after(async () => { await c.stop(); });

const labels = (r: Item[] | { items: Item[] }): string[] => (Array.isArray(r) ? r : r.items).map((i) => i.label).sort();

test('completion right after edits equals completion once the check has settled', async () => {
  const uri = 'file:///work/after-edit/spec.topo';
  c.open(uri, SPEC);
  await c.until('diagnostics', () => c.lastDiagnostics(uri));
  const textDocument = { uri };
  // Lines inserted above shift every offset below: completion must use the new positions.
  c.edit(uri, [0, 0], [0, 0], '# a comment\n# another\n\n');
  let text = '# a comment\n# another\n\n' + SPEC;
  const api = find(text, 'container api {');
  // A new property line typed in `api`, then completion at its end, at once.
  const line = api.line + 1;
  c.edit(uri, [line, 0], [line, 0], '  place on \n');
  text = text.split('\n').map((l, i) => (i === line ? `  place on \n${l}` : l)).join('\n');
  const at = { line, character: '  place on '.length };
  const quick = labels(await c.request<Item[] | { items: Item[] }>('textDocument/completion', { textDocument, position: at }));
  await c.diagnosticsOf(uri, c.version(uri));
  const settled = labels(await c.request<Item[] | { items: Item[] }>('textDocument/completion', { textDocument, position: at }));
  assert.ok(settled.length > 0 && settled.includes('r1'), `targets offered after \`place on \`: ${settled.join(', ')}`);
  assert.deepEqual(quick, settled);
  // A property keyword at the start of a new line in the block, right after typing it.
  c.edit(uri, [line, 0], [line, '  place on '.length], '  ta');
  const quick2 = labels(await c.request<Item[] | { items: Item[] }>('textDocument/completion', { textDocument, position: { line, character: 4 } }));
  await c.diagnosticsOf(uri, c.version(uri));
  const settled2 = labels(await c.request<Item[] | { items: Item[] }>('textDocument/completion', { textDocument, position: { line, character: 4 } }));
  assert.ok(settled2.includes('talks'), settled2.join(', '));
  assert.deepEqual(quick2, settled2);
});
