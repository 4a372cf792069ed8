import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TestClient, find } from './client';
import { codeReference, LANGUAGE_REFERENCE_URL, propertyReference } from '../../server/src/core/reference';
import { parseMarkdown } from '../unit/docs/markdown';

/** The server links every diagnostic code to its entry in docs/language.md (LSP `codeDescription`), and hover links to the reference. */

const anchors = new Set(parseMarkdown(readFileSync(resolve(__dirname, '../../docs/language.md'), 'utf8')).headings.map((h) => h.anchor));
const clients: TestClient[] = [];
after(async () => { for (const c of clients) await c.stop(); });

async function started(): Promise<TestClient> {
  const c = new TestClient();
  clients.push(c);
  await c.initialize();
  return c;
}

function landsInReference(href: string | undefined): void {
  assert.ok(href !== undefined && href.startsWith(`${LANGUAGE_REFERENCE_URL}#`), `href ${href}`);
  assert.ok(anchors.has(href.slice(LANGUAGE_REFERENCE_URL.length + 1)), `${href} names no heading of docs/language.md`);
}

test('published diagnostics, of the check and of the simulator, link to their code\'s entry', async () => {
  const c = await started();
  const uri = 'file:///work/links.topo';
  // T404 while typing; on save, T500: half of db's memory stays remote under `static`.
  const text = 'defaults { policy static }\nrack r1 {\n  node n1..n2 { cores 16 memory 64GiB }\n}\nsds pod1 { nodes r1.* }\ncontainer db {\n  cpu 4\n  memory 96GiB\n  workingset 96GiB skew 0\n}\n';
  c.open(uri, text);
  const typed = await c.until('T404', () => c.lastDiagnostics(uri)?.diagnostics.find((d) => d.code === 'T404'));
  assert.equal(typed.codeDescription?.href, codeReference('T404'));
  landsInReference(typed.codeDescription?.href);
  c.edit(uri, [7, 9], [7, 14], '64GiB'); // memory 64GiB: a T302 (working set over the limit) while typing
  const t302 = await c.until('T302', () => c.lastDiagnostics(uri)?.diagnostics.find((d) => d.code === 'T302'));
  assert.equal(t302.codeDescription?.href, codeReference('T302'));
  c.edit(uri, [7, 9], [7, 14], '96GiB');
  await c.until('T302 gone', () => { const l = c.lastDiagnostics(uri); return l && l.version === 3 && !l.diagnostics.some((d) => d.code === 'T302'); });
  c.save(uri);
  const simulated = await c.until('T500 after save', () => c.lastDiagnostics(uri)?.diagnostics.find((d) => d.code === 'T500'), 30_000);
  assert.equal(simulated.codeDescription?.href, codeReference('T500'));
  landsInReference(simulated.codeDescription?.href);
  for (const d of c.lastDiagnostics(uri)!.diagnostics) assert.equal(d.codeDescription?.href, codeReference(d.code as Parameters<typeof codeReference>[0]), d.code);
});

test('hover on a property links to its entry in the reference', async () => {
  const c = await started();
  const uri = 'file:///work/hover-link.topo';
  const text = 'rack r1 {\n  latency 2us\n  node n1 { cores 8 memory 32GiB }\n}\n';
  c.open(uri, text);
  await c.until('diagnostics', () => c.lastDiagnostics(uri));
  const h = await c.request<{ contents: { kind: string; value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: find(text, 'latency', 2) });
  assert.ok(h, 'a hover');
  const link = /\]\(([^)]+)\)/.exec(h.contents.value)?.[1];
  assert.equal(link, propertyReference('rack', 'latency'));
  landsInReference(link);
});
