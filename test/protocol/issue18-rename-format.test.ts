// Issue 18 through the real protocol (the bundled server over stdio): node ranges rename as a
// whole, prepareRename refuses a range member with the reason, "Expand node range" then
// "Rewrite node range as a list" lets one node rename, and formatting works with a syntax error.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseError } from 'vscode-languageserver-protocol';
import { applyEdits, find, textIn, TestClient, type LspTextEdit, type Range } from './client';

interface WorkspaceEdit { changes: Record<string, LspTextEdit[]> }
interface CodeAction { title: string; kind?: string; edit?: WorkspaceEdit }

let c: TestClient;
let n = 0;
before(async () => {
  c = new TestClient();
  await c.initialize();
});
after(async () => { await c.stop(); });

async function opened(text: string): Promise<string> {
  const name = `issue18-${++n}.topo`;
  const uri = `file:///work/features/${name}`;
  c.open(uri, text);
  await c.until(`diagnostics of ${name}`, () => c.lastDiagnostics(uri));
  return uri;
}
const doc = (uri: string) => ({ textDocument: { uri } });

const PROGRAM = 'rack r1 {\n  node n1..n4 { cores 16 memory 64GiB disk nvme0 1TB }\n  node n5 { cores 16 memory 64GiB role spare }\n}\nsds pod1 {\n  nodes r1.n1..n4\n}\ncontainer db {\n  cpu 1\n  memory 1GiB\n  io r1.n2.nvme0 weight 20%\n  place on pod1\n}\nscenario "lose one" {\n  at 5s fail r1.n2\n}\n';

test('prepareRename on a range member answers RequestFailed with the reason', async () => {
  const uri = await opened(PROGRAM);
  await assert.rejects(
    c.request('textDocument/prepareRename', { ...doc(uri), position: find(PROGRAM, 'fail r1.n2', 9) }),
    (e: unknown) => {
      assert.ok(e instanceof ResponseError, String(e));
      assert.equal(e.code, -32803); // RequestFailed
      assert.match(e.message, /`r1\.n2` is declared by the node range `node n1\.\.n4`/);
      assert.match(e.message, /Rename the whole range at its declaration/);
      return true;
    },
  );
});

test('renaming the range n1..n4 to h1..h4 updates every reference', async () => {
  const uri = await opened(PROGRAM);
  const position = find(PROGRAM, 'n1..n4 {', 1);
  const prep = await c.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', { ...doc(uri), position });
  assert.equal(prep.placeholder, 'n1..n4');
  assert.equal(textIn(PROGRAM, prep.range), 'n1..n4');
  const edit = await c.request<WorkspaceEdit>('textDocument/rename', { ...doc(uri), position, newName: 'h1..h4' });
  assert.equal(applyEdits(PROGRAM, edit.changes[uri]), PROGRAM
    .replace('node n1..n4', 'node h1..h4')
    .replace('nodes r1.n1..n4', 'nodes r1.h1..h4')
    .replace('io r1.n2.nvme0', 'io r1.h2.nvme0')
    .replace('fail r1.n2', 'fail r1.h2'));
  await assert.rejects(c.request('textDocument/rename', { ...doc(uri), position, newName: 'h1' }), /another range `FIRST\.\.LAST` of 4 nodes/);
});

test('"Expand node range", then "Rewrite node range as a list", then a rename of one node', async () => {
  let text = 'rack r1 {\n  node n1..n2 { cores 8 memory 32GiB }\n}\nsds pod1 {\n  nodes r1.n1..n2\n}\n';
  let uri = await opened(text);
  const actions = async (at: string, delta: number): Promise<CodeAction[]> => {
    const p = find(text, at, delta);
    return c.request<CodeAction[]>('textDocument/codeAction', { ...doc(uri), range: { start: p, end: p }, context: { diagnostics: [] } });
  };
  const expand = (await actions('n1..n2 {', 1)).find((a) => a.title.startsWith('Expand node range'));
  assert.ok(expand?.edit);
  text = applyEdits(text, expand.edit.changes[uri]);
  uri = await opened(text);
  await assert.rejects(c.request('textDocument/prepareRename', { ...doc(uri), position: find(text, 'node n1', 6) }), /part of a node range reference \(`r1\.n1\.\.n2`\)/);
  const rewrite = (await actions('r1.n1..n2', 4)).find((a) => a.title.startsWith('Rewrite node range'));
  assert.ok(rewrite?.edit, 'a rewrite action');
  assert.equal(rewrite.kind, 'refactor.rewrite');
  text = applyEdits(text, rewrite.edit.changes[uri]);
  assert.ok(text.includes('nodes r1.n1, r1.n2'), text);
  uri = await opened(text);
  const position = find(text, 'node n1', 6);
  const prep = await c.request<{ placeholder: string }>('textDocument/prepareRename', { ...doc(uri), position });
  assert.equal(prep.placeholder, 'n1');
  const edit = await c.request<WorkspaceEdit>('textDocument/rename', { ...doc(uri), position, newName: 'head' });
  const renamed = applyEdits(text, edit.changes[uri]);
  assert.ok(renamed.includes('node head {') && renamed.includes('nodes r1.head, r1.n2'), renamed);
});

test('formatting with a syntax error formats the declarations that parsed, one property per line', async () => {
  const text = 'sds pod1 {\n    nodes r1.n1\n  reserve cores 1 memory 8GiB policy cost\n}\ncontainer broken {\n   cpu 1 memory "8GiB\n}\nrack r1 {\nnode n1 { cores 4 memory 16GiB }\n}\n';
  const uri = await opened(text);
  const opts = { tabSize: 2, insertSpaces: true };
  const edits = await c.request<LspTextEdit[]>('textDocument/formatting', { ...doc(uri), options: opts });
  const out = applyEdits(text, edits);
  assert.equal(out, 'sds pod1 {\n  nodes r1.n1\n  reserve cores 1 memory 8GiB\n  policy cost\n}\ncontainer broken {\n   cpu 1 memory "8GiB\n}\nrack r1 {\n  node n1 { cores 4 memory 16GiB }\n}\n');
  const u2 = await opened(out);
  assert.deepEqual(await c.request<LspTextEdit[]>('textDocument/formatting', { ...doc(u2), options: opts }), [], 'idempotent');
});
