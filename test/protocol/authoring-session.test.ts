// A scripted authoring session (issue 18): a realistic deployment typed from an empty file,
// character by character over `topo lsp --stdio`, asking for completion at every token boundary.
// At each «label» the item must be offered (and pass the editor's prefix filter); everywhere
// else the answer must be well formed.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient, type LspTextEdit } from './client';

interface CompletionItem { label: string; textEdit?: LspTextEdit }

const SESSION = `«import»import "«common.topo»common.topo"
«rack»rack r1 {
  «latency»latency «2us»2us
  «bandwidth»bandwidth «100Gbps»100Gbps
  «node»node n1..«n4»n4 { «cores»cores 32 «memory»memory 256«256GiB»GiB «disk»disk «nvme0»nvme0 «2TB»2TB }
  «node»node n5 { «cores»cores 32 «memory»memory 256«256GiB»GiB «role»role «spare»spare }
}
«rack»rack r2 {
  «node»node m1..«m8»m8 { «cores»cores 16 «memory»memory 64«64GiB»GiB }
}
«sds»sds pod1 {
  «nodes»nodes «r1»r1.«n1»n1..«n4»n4
  «reserve»reserve «cores»cores 1 «memory»memory «4GiB»4GiB
  «policy»policy «cost»cost
}
«container»container api {
  «replicas»replicas «2»2
  «cpu»cpu «request»request 500«500m»m «limit»limit 2
  «memory»memory «request»request «1GiB»1GiB «limit»limit «2GiB»2GiB
  «image»image «"registry/app:1.0"»"nginx:1.25"
  «place»place «on»on «pod1»pod1
}
«container»container web {
  «cpu»cpu 1
  «memory»memory 1«1GiB»GiB
  «talks»talks «api»api «weight»weight «10%»10%
  «place»place «on»on «r2»r2.«m1»m1..«m4»m4, «r2.m5»r2.m5
}
«scenario»scenario "lose a node" {
  «at»at «5s»5s «fail»fail «r1.n2»r1.n2
  «at»at 10«10s»s «add»add «r1.n5»r1.n5 «to»to «pod1»pod1
}
`;

let c: TestClient;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'topo-session-'));
  writeFileSync(join(dir, 'common.topo'), 'fabric {\n  latency 10us\n}\n');
  c = new TestClient();
  await c.initialize(pathToFileURL(dir).href);
});
after(async () => {
  await c.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('typing a deployment from an empty file, the expected item is offered at every step', async () => {
  const uri = pathToFileURL(join(dir, 'main.topo')).href;
  c.open(uri, '');
  let text = '';
  let line = 0;
  let character = 0;
  const missing: string[] = [];
  let asked = 0;
  const ask = async (expected: string | null): Promise<void> => {
    asked++;
    const r = await c.request<CompletionItem[] | { items: CompletionItem[] } | null>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    const items = r === null ? [] : Array.isArray(r) ? r : r.items;
    const lineText = text.slice(text.lastIndexOf('\n') + 1);
    for (const it of items) {
      const e = it.textEdit;
      if (!e) continue;
      assert.equal(e.range.start.line, line, `edit on the cursor's line at ${line}:${character}`);
      assert.ok(e.range.start.character <= character && e.range.end.character >= character, `edit contains the cursor at ${line}:${character}`);
    }
    if (expected === null) return;
    const offered = items.find((it) => {
      if (it.label !== expected) return false;
      // the editor keeps an item when the text it replaces so far is a prefix of it
      const typed = it.textEdit ? lineText.slice(it.textEdit.range.start.character, character) : '';
      return expected.toLowerCase().startsWith(typed.toLowerCase());
    });
    if (!offered) missing.push(`${JSON.stringify(expected)} after ${JSON.stringify(lineText)} (offered: ${items.slice(0, 12).map((x) => x.label).join(' ')})`);
  };
  const parts = SESSION.split(/«([^»]*)»/);
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 1) { await ask(parts[i]); continue; }
    for (const ch of parts[i]) {
      c.edit(uri, [line, character], [line, character], ch);
      text += ch;
      if (ch === '\n') { line++; character = 0; } else character++;
      if (ch === ' ' || ch === '\n' || ch === '.' || ch === ',') await ask(null);
    }
  }
  assert.deepEqual(missing, [], `${missing.length} of the expected items were not offered`);
  assert.ok(asked > 150, `completion asked at every token boundary (${asked} requests)`);
  // the file typed is the deployment it means: no errors left
  const final = await c.until('final diagnostics', () => { const d = c.lastDiagnostics(uri); return d && d.version === c.version(uri) ? d : undefined; });
  const errors = final.diagnostics.filter((d) => /^T[12]/.test(d.code));
  assert.deepEqual(errors.map((d) => `${d.code} ${d.message}`), []);
});
