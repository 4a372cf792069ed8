// Semantic-token deltas over the real protocol: after an edit, the delta the server sends turns
// the tokens it sent before into exactly the tokens a full request gives for the new text.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TestClient } from './client';

const SPEC = readFileSync(resolve(__dirname, '../../examples/spec-example.topo'), 'utf8');

interface Tokens { resultId?: string; data: number[] }
interface Delta { resultId?: string; edits: { start: number; deleteCount: number; data?: number[] }[] }

let c: TestClient;
let caps: Record<string, unknown>;
before(async () => { c = new TestClient(); caps = (await c.initialize()).capabilities; });
after(async () => { await c.stop(); });

function applyDelta(data: readonly number[], d: Delta): number[] {
  const out = [...data];
  for (const e of [...d.edits].sort((a, b) => b.start - a.start)) out.splice(e.start, e.deleteCount, ...(e.data ?? []));
  return out;
}

test('the server offers semantic-token deltas, and each delta gives the new tokens', async () => {
  assert.deepEqual((caps.semanticTokensProvider as { full: unknown }).full, { delta: true });
  const uri = 'file:///work/deltas/spec.topo';
  c.open(uri, SPEC);
  await c.until('diagnostics', () => c.lastDiagnostics(uri));
  const textDocument = { uri };
  let sent = await c.request<Tokens>('textDocument/semanticTokens/full', { textDocument });
  assert.ok(sent.resultId, 'a full result has an id');
  assert.ok(sent.data.length > 100);
  const lines = SPEC.split('\n');
  const edits: [number, string][] = [[lines.findIndex((l) => l.includes('replicas')), ' # more'], [3, '\n'], [lines.length - 2, ' container extra { cpu 1 memory 1GiB }']];
  let small = 0;
  for (const [line, text] of edits) {
    c.edit(uri, [line, lines[line].length], [line, lines[line].length], text);
    const answer: Delta | Tokens = await c.request<Delta | Tokens>('textDocument/semanticTokens/full/delta', { textDocument, previousResultId: sent.resultId });
    assert.ok('edits' in answer, `a delta, not full tokens: ${JSON.stringify(answer).slice(0, 200)}`);
    const delta: Delta = answer;
    const full = await c.request<Tokens>('textDocument/semanticTokens/full', { textDocument });
    assert.deepEqual(applyDelta(sent.data, delta), full.data, `the delta after editing line ${line} gives the new tokens`);
    if (delta.edits.reduce((n: number, e) => n + (e.data?.length ?? 0), 0) < full.data.length / 4) small++;
    sent = full;
  }
  assert.equal(small, edits.length, 'each delta is a small part of the tokens');
  // unchanged text: an empty delta; an unknown previous id: full tokens
  const same = await c.request<Delta>('textDocument/semanticTokens/full/delta', { textDocument, previousResultId: sent.resultId });
  assert.deepEqual(same.edits, []);
  const unknown = await c.request<Tokens>('textDocument/semanticTokens/full/delta', { textDocument, previousResultId: 'nope' });
  assert.deepEqual(unknown.data, sent.data);
});
