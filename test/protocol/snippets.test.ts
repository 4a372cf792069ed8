// Snippets through the real protocol (issue 16): the server is the only source of snippets, and it
// offers each where it is valid: one `rack` block at the top level, nothing block-level in a container.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient, type LspTextEdit, type Position } from './client';

interface CompletionItem { label: string; kind?: number; insertText?: string; insertTextFormat?: number; textEdit?: LspTextEdit }

const KEYWORD = 14;
const SNIPPET = 15;

let c: TestClient;
let n = 0;
before(async () => {
  c = new TestClient();
  await c.initialize();
});
after(async () => { await c.stop(); });

async function complete(text: string, at: Position): Promise<CompletionItem[]> {
  const uri = `file:///work/snippets/doc${++n}.topo`;
  c.open(uri, text);
  await c.until(`diagnostics of doc${n}`, () => c.lastDiagnostics(uri));
  const r = await c.request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', { textDocument: { uri }, position: at });
  return Array.isArray(r) ? r : r.items;
}

const insertOf = (x: CompletionItem): string => x.textEdit?.newText ?? x.insertText ?? x.label;

test('`ra` at the top level: one `rack` keyword and one `rack` block snippet', async () => {
  const items = await complete('ra', { line: 0, character: 2 });
  assert.deepEqual(items.filter((x) => x.label === 'rack').map((x) => x.kind), [KEYWORD]);
  const blocks = items.filter((x) => x.insertTextFormat === 2 && insertOf(x).startsWith('rack '));
  assert.equal(blocks.length, 1, 'one rack snippet');
  assert.equal(blocks[0].kind, SNIPPET);
  assert.match(insertOf(blocks[0]), /^rack \$\{1:r1\} \{\n\tnode /);
});

test('inside a container: its properties only, no declaration or block snippet', async () => {
  const items = await complete('container api {\n  replicas 2\n  \n}\n', { line: 2, character: 2 });
  const labels = items.map((x) => x.label);
  assert.ok(labels.includes('cpu') && labels.includes('place'), labels.join(' '));
  for (const bad of ['rack', 'sds', 'container', 'scenario', 'defaults', 'fabric', 'import', 'node', 'container-sds']) assert.ok(!labels.includes(bad), bad);
  assert.ok(!items.some((x) => x.kind === SNIPPET), 'no block snippet');
  assert.ok(!items.some((x) => /(^|[^$])\{/.test(insertOf(x))), 'nothing that writes a block');
});
