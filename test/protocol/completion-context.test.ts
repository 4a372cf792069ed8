// Completion finds its context from the syntax tree and the schema (issue 16) and suggests what
// fits at each place (issue 18), through the real protocol: the bundled server over stdio.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { find, TestClient, type LspTextEdit, type Position } from './client';

interface CompletionItem { label: string; kind?: number; detail?: string; sortText?: string; textEdit?: LspTextEdit; insertText?: string }
interface CodeAction { title: string; isPreferred?: boolean; edit?: { changes: Record<string, LspTextEdit[]> } }

const PROPERTY = 10;
const DEPLOYMENT = `rack r1 {
  latency 2us
  node n1..n4 { cores 32 memory 256GiB disk nvme0 2TB }
  node n5 { cores 32 memory 256GiB role spare }
}

rack r2 {
  node m1..m8 { cores 16 memory 64GiB }
}

sds pod1 {
  nodes r1.n1..n4
}

container api {
  replicas 2
  cpu 2
  memory 4GiB
  place on pod1
}

container cache {
  cpu 1
  memory 8GiB
  place on r2
}
`;

let c: TestClient;
let caps: Record<string, unknown>;
let dir: string;
let n = 0;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'topo-completion-'));
  c = new TestClient();
  caps = (await c.initialize(pathToFileURL(dir).href)).capabilities;
});
after(async () => {
  await c.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Completion with `typed` inserted after `after` in the deployment (or in `text`), at its end. */
async function completeAt(after: string, typed: string, text = DEPLOYMENT, name = `doc${++n}.topo`): Promise<{ items: CompletionItem[]; at: Position; text: string }> {
  const i = text.indexOf(after);
  assert.ok(i >= 0, after);
  const full = text.slice(0, i + after.length) + typed + text.slice(i + after.length);
  const uri = pathToFileURL(join(dir, name)).href;
  c.open(uri, full);
  await c.until(`diagnostics of ${name}`, () => c.lastDiagnostics(uri));
  const at = find(full, after + typed, after.length + typed.length);
  const r = await c.request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', { textDocument: { uri }, position: at });
  const items = Array.isArray(r) ? r : r.items;
  // as VS Code shows them: by sortText, then label
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  return { items: sorted, at, text: full };
}
const labels = async (after: string, typed: string): Promise<string[]> => (await completeAt(after, typed)).items.map((x) => x.label);

test('the server opens completion on digits too (units after a number), besides `.` and space', () => {
  const triggers = (caps.completionProvider as { triggerCharacters: string[] }).triggerCharacters;
  for (const ch of ['.', ' ', '0', '4', '9']) assert.ok(triggers.includes(ch), `trigger ${JSON.stringify(ch)}`);
});

test('after `talks C weight ` typical weights, no property keywords; after `place on …, ` node references and targets', async () => {
  const weight = (await completeAt('container api {\n', '  talks cache weight ')).items;
  assert.ok(!weight.some((x) => x.kind === PROPERTY), 'no property keywords');
  assert.equal(weight[0]?.label, '10%', 'the usual weight first (the schema\'s typical value)');
  assert.ok(weight.every((x) => /^\d+%$/.test(x.label)), weight.map((x) => x.label).join(' '));
  const list = (await completeAt('container cache {\n', '  place on r2.m1..m4, ')).items;
  assert.ok(!list.some((x) => x.kind === PROPERTY), 'no property keywords');
  const ls = list.map((x) => x.label);
  assert.ok(ls.includes('r2.m5') && ls.includes('r1') && ls.includes('r2'), ls.join(' '));
  assert.ok(!ls.includes('r1.n5'), 'not the spare');
  assert.ok(!ls.includes('r2.m1') && !ls.includes('r2.m4'), 'not the nodes the list already names');
});

test('typical values with units per the schema\'s unit kind after latency, bandwidth, nic, disk, tick, duration, replicas, seed, image', async () => {
  const rack = 'rack r1 {\n';
  const node = '  node n1..n4 { cores 32 memory 256GiB disk nvme0 2TB }\n';
  const cases: [string, string, string, RegExp][] = [
    [rack, '  bandwidth ', '100Gbps', /^\d+Gbps$/],
    [node, '  node n9 { cores 4 nic ', '25Gbps', /^\d+Gbps$/],
    [node, '  node n9 { cores 4 disk nvme0 ', '2TB', /^\d+[GT]B$/],
    [node, '  node n9 { cores 4 disk ', 'nvme0', /^nvme0$/],
    ['container api {\n', '  replicas ', '2', /^\d+$/],
    ['container api {\n', '  image ', '"registry/app:1.0"', /^".*"$/],
  ];
  const latency = await labels('rack r2 {\n', '  latency ');
  assert.equal(latency[0], '2us', latency.join(' '));
  assert.ok(latency.includes('1us') && latency.every((l) => /^\d+(ns|us|ms)$/.test(l)), latency.join(' '));
  for (const [after, typed, first, all] of cases) {
    const ls = await labels(after, typed);
    assert.equal(ls[0], first, `${typed}: ${ls.join(' ')}`);
    assert.ok(ls.every((l) => all.test(l)), `${typed}: ${ls.join(' ')}`);
  }
  const defaults = 'defaults {\n  tick 10ms\n}\n';
  const tick = (await completeAt('defaults {\n', '  duration ', defaults)).items.map((x) => x.label);
  assert.equal(tick[0], '30s', tick.join(' '));
  const seed = (await completeAt('defaults {\n', '  seed ', defaults)).items.map((x) => x.label);
  assert.deepEqual(seed, ['1']);
  const tickItems = (await completeAt('defaults {\n', '  tick ', 'defaults {\n}\n')).items.map((x) => x.label);
  assert.equal(tickItems[0], '10ms', tickItems.join(' '));
});

test('range ends: `node m1..` offers ends that make a new range; `nodes r1.n1..` neither the start nor the spare', async () => {
  const header = await labels('  node m1..m8 { cores 16 memory 64GiB }\n', '  node x1..');
  assert.deepEqual(header, ['x2', 'x4', 'x8', 'x16', 'x32']);
  assert.deepEqual(await labels('  node m1..m8 { cores 16 memory 64GiB }\n', '  node m9..'), ['m10', 'm12', 'm16', 'm24', 'm40']);
  const clash = await labels('  node m1..m8 { cores 16 memory 64GiB }\n', '  node m7..');
  assert.deepEqual(clash, [], 'm7..m8 already exist: no end makes a new range');
  const sds = await labels('sds pod1 {\n  nodes r1.n1..n4\n', '  nodes r1.n1..');
  assert.deepEqual(sds, ['n2', 'n3', 'n4']);
});

test('a number that needs a unit: one item per unit, the number kept, the typical unit first', async () => {
  const { items, at } = await completeAt('container api {\n', '  memory 4');
  assert.equal(items[0]?.label, '4GiB');
  assert.ok(items.some((x) => x.label === '4MiB') && !items.some((x) => x.label.endsWith('ms')));
  assert.deepEqual(items[0].textEdit?.range, { start: { line: at.line, character: at.character - 1 }, end: at }, 'replaces the number');
  assert.equal(items[0].textEdit?.newText, '4GiB');
  assert.equal((await labels('rack r2 {\n', '  latency 2'))[0], '2us');
});

test('import paths: the .topo files of the workspace, relative to the file, not the file itself nor one already imported', async () => {
  mkdirSync(join(dir, 'lib'), { recursive: true });
  writeFileSync(join(dir, 'common.topo'), 'rack shared { node s1 { cores 4 memory 8GiB } }\n');
  writeFileSync(join(dir, 'lib', 'net.topo'), 'fabric { latency 10us }\n');
  writeFileSync(join(dir, 'notes.txt'), 'not topo\n');
  const { items } = await completeAt('import "', '', 'import ""\n', 'main.topo');
  const ls = items.map((x) => x.label);
  assert.ok(ls.includes('common.topo') && ls.includes('lib/net.topo'), ls.join(' '));
  assert.ok(!ls.includes('main.topo') && !ls.some((l) => l.endsWith('.txt')), ls.join(' '));
  const second = await completeAt('import "lib/net.topo"\nimport "', '', 'import "lib/net.topo"\nimport ""\n', 'third.topo');
  const ls2 = second.items.map((x) => x.label);
  assert.ok(ls2.includes('common.topo') && !ls2.includes('lib/net.topo'), `already imported: ${ls2.join(' ')}`);
  const sub = await completeAt('import "', '', 'import ""\n', 'lib/inner.topo');
  assert.ok(sub.items.map((x) => x.label).includes('../common.topo'), sub.items.map((x) => x.label).join(' '));
});

test('missing-unit quick fixes: the unit that makes the value typical first and preferred, the others listed', async () => {
  const text = 'rack r1 {\n  latency 2\n  node n1 { cores 8 memory 8GiB }\n}\n';
  const uri = pathToFileURL(join(dir, `fix${++n}.topo`)).href;
  c.open(uri, text);
  const published = await c.until('diagnostics', () => c.lastDiagnostics(uri));
  const d = published.diagnostics.find((x) => x.code === 'T300');
  assert.ok(d, 'T300 for `latency 2`');
  assert.match(d.message, /write `2us`, or `2ns`, `2ms`/);
  const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
  const titles = actions.map((a) => a.title).filter((t) => t.startsWith('Add the unit'));
  assert.deepEqual(titles, ['Add the unit: 2us', 'Add the unit: 2ns', 'Add the unit: 2ms']);
  assert.equal(actions.find((a) => a.title === 'Add the unit: 2us')?.isPreferred, true);
});
