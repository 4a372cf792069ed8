// Every editing feature of the language server, through the real protocol: the bundled server
// is spawned over stdio and spoken to as an editor would (see client.ts).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyEdits, find, textIn, TestClient, type LspTextEdit, type Position, type Range } from './client';

const SPEC = readFileSync(resolve(__dirname, '../../examples/spec-example.topo'), 'utf8');

interface CompletionItem { label: string; kind?: number; detail?: string; documentation?: { kind: string; value: string }; insertText?: string; insertTextFormat?: number; textEdit?: LspTextEdit }
interface Hover { contents: { kind: string; value: string }; range?: Range }
interface Location { uri: string; range: Range }
interface WorkspaceEdit { changes: Record<string, LspTextEdit[]> }
interface CodeAction { title: string; kind?: string; isPreferred?: boolean; edit?: WorkspaceEdit; diagnostics?: { code: string }[] }
interface DocumentSymbol { name: string; kind: number; detail?: string; range: Range; selectionRange: Range; children?: DocumentSymbol[] }
interface InlayHint { position: Position; label: string }

let c: TestClient;
let caps: Record<string, unknown>;
let n = 0;
before(async () => {
  c = new TestClient();
  caps = (await c.initialize()).capabilities;
});
after(async () => { await c.stop(); });

/** Opens a fresh document (a new uri each time) and waits for its first diagnostics. */
async function opened(text: string, name = `doc${++n}.topo`): Promise<string> {
  const uri = `file:///work/features/${name}`;
  c.open(uri, text);
  await c.until(`diagnostics of ${name}`, () => c.lastDiagnostics(uri));
  return uri;
}

const doc = (uri: string) => ({ textDocument: { uri } });

async function complete(text: string, at: Position): Promise<CompletionItem[]> {
  const uri = await opened(text);
  const r = await c.request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', { ...doc(uri), position: at });
  return Array.isArray(r) ? r : r.items;
}

/** The spec example with `typed` inserted after `after`, and the position right after it. */
function typing(after: string, typed: string): { text: string; at: Position } {
  const i = SPEC.indexOf(after);
  assert.ok(i >= 0, after);
  const cut = i + after.length;
  const text = SPEC.slice(0, cut) + typed + SPEC.slice(cut);
  return { text, at: find(text, after + typed, after.length + typed.length) };
}

async function labelsWhileTyping(after: string, typed: string): Promise<string[]> {
  const { text, at } = typing(after, typed);
  return (await complete(text, at)).map((x) => x.label);
}

test('initialize advertises every feature', () => {
  {
    for (const k of ['completionProvider', 'hoverProvider', 'definitionProvider', 'referencesProvider', 'documentHighlightProvider', 'renameProvider',
      'documentSymbolProvider', 'workspaceSymbolProvider', 'foldingRangeProvider', 'selectionRangeProvider', 'semanticTokensProvider',
      'documentFormattingProvider', 'documentRangeFormattingProvider', 'codeActionProvider', 'inlayHintProvider']) assert.ok(caps[k], `${k} is advertised`);
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.deepEqual((caps.textDocumentSync as { change: number }).change, 2, 'incremental sync');
  }
});

test('completion: declaration keywords and block snippets at the top level', async () => {
  const items = await complete('ra', { line: 0, character: 2 });
  for (const k of ['import', 'defaults', 'rack', 'fabric', 'sds', 'container', 'scenario']) assert.ok(items.some((x) => x.label === k && x.kind === 14), `keyword ${k}`);
  const snippet = items.find((x) => x.kind === 15 && x.label.startsWith('container'));
  assert.ok(snippet, 'a container snippet');
  assert.equal(snippet.insertTextFormat, 2, 'snippets use the snippet syntax');
  assert.match(snippet.textEdit?.newText ?? snippet.insertText ?? '', /place on/);
  const rack = items.find((x) => x.label === 'rack');
  assert.deepEqual(rack?.textEdit?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }, 'replaces the partial word');
  assert.equal(rack?.documentation?.kind, 'markdown');
  assert.match(rack?.documentation?.value ?? '', /rack/);
});

test('completion: the properties of the block at the cursor that are not given yet, with documentation', async () => {
  const { text, at } = typing('container api {\n', '  ');
  const items = await complete(text, at);
  assert.deepEqual(items.map((x) => x.label), ['image', 'load', 'workingset', 'skew', 'writes', 'talks', 'io', 'colocate', 'tenant', 'network', 'priority']);
  const talks = items.find((x) => x.label === 'talks');
  assert.equal(talks?.kind, 10);
  assert.equal(talks?.detail, 'talks CONTAINER [weight PERCENT]');
  assert.match(talks?.documentation?.value ?? '', /Repeatable/);
  assert.deepEqual(await labelsWhileTyping('rack r1 {\n', '  node n9 { cores 4 '), ['memory', 'nic', 'disk', 'role', 'price', 'power']);
});

test('completion: values, targets of the right kind, nodes after RACK., devices after RACK.NODE., containers after talks', async () => {
  assert.deepEqual(await labelsWhileTyping('sds pod1 {\n', '  policy '), ['static', 'page', 'vcpu', 'cost']);
  assert.deepEqual(await labelsWhileTyping('rack r1 {\n', '  node n9 { cores 1 memory 1GiB role '), ['active', 'spare']);
  assert.deepEqual(await labelsWhileTyping('container api {\n', '  place on '), ['pod1', 'r1', 'r2']);
  assert.deepEqual(await labelsWhileTyping('container api {\n', '  place on r1.'), ['n1', 'n2', 'n3', 'n4', 'n5', '*']);
  assert.deepEqual(await labelsWhileTyping('container api {\n', '  io r1.n2.'), ['nvme0']);
  assert.deepEqual(await labelsWhileTyping('container api {\n', '  talks '), ['analytics', 'cache']);
  assert.deepEqual(await labelsWhileTyping('container api {\n', '  colocate ca'), ['analytics', 'cache']);
  assert.deepEqual(await labelsWhileTyping('scenario "lose a node" {\n', '  at 5s add r1.n5 to '), ['pod1']);
});

test('completion: units of the property\'s kind right after a number', async () => {
  // issue 18: one item per unit with the number kept, the typical unit first (they were `GiB`, `s`, `ms`… in table order)
  const { text, at } = typing('container api {\n', '  memory 4');
  const items = await complete(text, at);
  assert.ok(items.some((x) => x.label === '4GiB' && x.kind === 11), '4GiB offered');
  assert.ok(!items.some((x) => x.label === '4ms'), 'no durations for memory');
  assert.deepEqual(await labelsWhileTyping('container api {\n', '  cpu 4'), ['4m']);
  assert.deepEqual(await labelsWhileTyping('rack r1 {\n', '  latency 4'), ['4us', '4ns', '4ms', '4s', '4min', '4h', '4d', '4y']);
});

test('hover: a node\'s capacity, a target\'s requests and allowance with utilisation, a container\'s totals', async () => {
  const uri = await opened(SPEC);
  const hover = async (needle: string, delta = 0, nth = 0) => (await c.request<Hover | null>('textDocument/hover', { ...doc(uri), position: find(SPEC, needle, delta, nth) }));
  const node = await hover('r1.n3', 4);
  assert.ok(node, 'hover on a node reference');
  assert.equal(node.contents.kind, 'markdown');
  assert.match(node.contents.value, /32 cores · 256GiB/);
  assert.match(node.contents.value, /in SDS `pod1`/);
  assert.equal(textIn(SPEC, node.range!), 'n3');
  const sds = await hover('sds pod1', 5);
  assert.match(sds!.contents.value, /capacity \| 124 cores \| 992GiB/);
  assert.match(sds!.contents.value, /allowance \| 248 cores \| 992GiB/);
  assert.match(sds!.contents.value, /requests \| 24 \(19% of capacity\) \| 600GiB \(60%\)/);
  const api = await hover('container api', 11);
  assert.match(api!.contents.value, /6 replicas/);
  assert.equal(await hover('# Two racks', 3), null, 'nothing on a comment');
});

test('hover: after a simulation, a container\'s predicted locality and where its memory sits', async () => {
  const uri = await opened(SPEC);
  c.save(uri);
  await c.until('the simulation', () => c.simulations.find((s) => s.uri === uri && s.result), 30_000);
  const h = await c.request<Hover | null>('textDocument/hover', { ...doc(uri), position: find(SPEC, 'container analytics', 12) });
  assert.match(h!.contents.value, /locality/i);
  assert.match(h!.contents.value, /r1\.n\d/);
});

test('definition, references and document highlights of a container, across files', async () => {
  const hw = 'rack r1 {\n  node n1..n4 { cores 16 memory 64GiB }\n}\n';
  const hwUri = await opened(hw, 'nav-hw.topo');
  const app = 'import "nav-hw.topo"\ncontainer cache { cpu 1 memory 1GiB place on r1 }\ncontainer api {\n  cpu 1\n  memory 1GiB\n  talks cache\n  colocate cache\n  place on r1\n}\n';
  const uri = await opened(app, 'nav-app.topo');
  const defs = await c.request<Location[]>('textDocument/definition', { ...doc(uri), position: find(app, 'talks cache', 7) });
  assert.deepEqual(defs.map((d) => [d.uri, textIn(app, d.range)]), [[uri, 'cache']]);
  assert.deepEqual(defs[0].range.start, find(app, 'cache {'));
  const rackDef = await c.request<Location[]>('textDocument/definition', { ...doc(uri), position: find(app, 'place on r1', 9) });
  assert.equal(rackDef[0].uri, hwUri, 'the rack is declared in the imported file');
  assert.equal(textIn(hw, rackDef[0].range), 'r1');
  const refs = await c.request<Location[]>('textDocument/references', { ...doc(uri), position: find(app, 'cache {'), context: { includeDeclaration: true } });
  assert.equal(refs.length, 3);
  assert.ok(refs.every((r) => r.uri === uri && textIn(app, r.range) === 'cache'));
  const noDecl = await c.request<Location[]>('textDocument/references', { ...doc(uri), position: find(app, 'cache {'), context: { includeDeclaration: false } });
  assert.equal(noDecl.length, 2);
  const hl = await c.request<{ range: Range; kind: number }[]>('textDocument/documentHighlight', { ...doc(uri), position: find(app, 'colocate cache', 10) });
  assert.deepEqual(hl.map((h) => h.kind).sort(), [2, 2, 3], 'one write (the declaration) and two reads');
});

test('rename: every reference changes; declared names and range members are refused with a reason', async () => {
  const text = 'rack r1 {\n  node n1..n4 { cores 16 memory 64GiB }\n  node solo { cores 8 memory 32GiB }\n}\ncontainer cache { cpu 1 memory 1GiB place on r1 }\ncontainer api { cpu 1 memory 1GiB talks cache colocate cache place on r1.solo }\n';
  const uri = await opened(text);
  const prep = await c.request<{ range: Range; placeholder: string } | null>('textDocument/prepareRename', { ...doc(uri), position: find(text, 'talks cache', 7) });
  assert.equal(prep?.placeholder, 'cache');
  const edit = await c.request<WorkspaceEdit>('textDocument/rename', { ...doc(uri), position: find(text, 'talks cache', 7), newName: 'redis' });
  const renamed = applyEdits(text, edit.changes[uri]);
  assert.equal(renamed, text.replaceAll('cache', 'redis'));
  const node = await c.request<WorkspaceEdit>('textDocument/rename', { ...doc(uri), position: find(text, 'r1.solo', 4), newName: 'single' });
  assert.equal(applyEdits(text, node.changes[uri]), text.replaceAll('solo', 'single'));
  await assert.rejects(c.request('textDocument/rename', { ...doc(uri), position: find(text, 'talks cache', 7), newName: 'api' }), /api/);
  await assert.rejects(c.request('textDocument/rename', { ...doc(uri), position: find(text, 'talks cache', 7), newName: 'not a name' }), /identifier|name/i);
  // A node declared by a range has no name of its own to rename.
  const inRange = 'rack r1 {\n  node n1..n4 { cores 16 memory 64GiB }\n}\ncontainer web { cpu 1 memory 1GiB place on r1.n2 }\n';
  const u2 = await opened(inRange);
  await assert.rejects(c.request('textDocument/rename', { ...doc(u2), position: find(inRange, 'r1.n2', 4), newName: 'x2' }), /range/);
});

test('document symbols (racks > nodes, SDS, containers, scenarios) and workspace symbols', async () => {
  const uri = await opened(SPEC, 'symbols-spec.topo');
  const syms = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', doc(uri));
  const top = syms.map((s) => s.name);
  for (const name of ['r1', 'r2', 'pod1', 'analytics', 'api', 'cache', 'lose a node']) assert.ok(top.includes(name), `${name} in the outline: ${top.join(', ')}`);
  const r1 = syms.find((s) => s.name === 'r1')!;
  assert.equal(r1.kind, 3);
  assert.ok((r1.children ?? []).some((ch) => ch.kind === 13 && /n1/.test(ch.name)), 'nodes under their rack');
  assert.equal(syms.find((s) => s.name === 'analytics')!.kind, 23);
  assert.equal(textIn(SPEC, syms.find((s) => s.name === 'pod1')!.selectionRange), 'pod1');
  const ws = await c.request<{ name: string; kind: number; location: Location }[]>('workspace/symbol', { query: 'analy' });
  const hit = ws.find((w) => w.name === 'analytics' && w.location.uri === uri);
  assert.ok(hit, `analytics found: ${JSON.stringify(ws.map((w) => w.name))}`);
  assert.equal(textIn(SPEC, hit.location.range), 'analytics');
});

test('folding ranges (blocks, comment runs) and selection ranges (word > value > property > block > file)', async () => {
  const uri = await opened(SPEC);
  const folds = await c.request<{ startLine: number; endLine: number; kind?: string }[]>('textDocument/foldingRange', doc(uri));
  const rack = find(SPEC, 'rack r1 {').line;
  assert.ok(folds.some((f) => f.startLine === rack && SPEC.split('\n')[f.endLine + 1]?.trim() === '}' || (f.startLine === rack && SPEC.split('\n')[f.endLine].trim() === '}')), 'the rack block folds');
  assert.ok(folds.some((f) => f.kind === 'comment' && f.startLine === 0), 'the leading comment run folds');
  const [sel] = await c.request<{ range: Range; parent?: unknown }[]>('textDocument/selectionRange', { ...doc(uri), positions: [find(SPEC, 'limit 2GiB', 7)] });
  const chain: string[] = [];
  for (let s: { range: Range; parent?: unknown } | undefined = sel; s; s = s.parent as typeof s) chain.push(textIn(SPEC, s.range));
  assert.equal(chain[0], 'GiB', 'the unit is the innermost word');
  assert.equal(chain[1], '2GiB', 'then the value');
  assert.ok(chain.includes('memory request 1GiB limit 2GiB'), `the property is a step: ${JSON.stringify(chain)}`);
  assert.ok(chain.some((s) => s.startsWith('container api {')), 'the block is a step');
  for (let i = 1; i < chain.length; i++) assert.ok(chain[i].length >= chain[i - 1].length && chain[i].includes(chain[i - 1]), 'each step contains the previous one');
});

test('semantic tokens: declarations and references by kind, units, keywords', async () => {
  const text = 'rack r1 {\n  node n1 { cores 4 memory 8GiB }\n}\nsds pod1 { nodes r1.n1 }\ncontainer web { cpu 1 memory 1GiB place on pod1 }\n';
  const uri = await opened(text);
  const { legend } = caps.semanticTokensProvider as { legend: { tokenTypes: string[]; tokenModifiers: string[] } };
  const { data } = await c.request<{ data: number[] }>('textDocument/semanticTokens/full', doc(uri));
  assert.equal(data.length % 5, 0);
  const lines = text.split('\n');
  const tokens: { text: string; type: string; mods: string[] }[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    tokens.push({ text: lines[line].slice(char, char + data[i + 2]), type: legend.tokenTypes[data[i + 3]], mods: legend.tokenModifiers.filter((_, b) => (data[i + 4] >> b) & 1) });
  }
  const of = (t: string, k = 0) => tokens.filter((x) => x.text === t)[k];
  assert.deepEqual(of('pod1', 0), { text: 'pod1', type: 'sds', mods: ['declaration'] });
  assert.equal(of('pod1', 1).type, 'sds');
  assert.ok(!of('pod1', 1).mods.includes('declaration'), 'a reference is not a declaration');
  assert.equal(of('web').type, 'container');
  assert.equal(of('r1', 1).type, 'rack');
  assert.equal(of('GiB').type, 'unit');
  assert.equal(of('rack').type, 'keyword');
});

test('formatting: canonical, idempotent, comments kept, meaning unchanged; range formatting touches only the range', async () => {
  const messy = '# top\nrack r1\n{\nnode n1..n2 {   cores 16    memory 64GiB }   # two nodes\n      }\n\n\n\ncontainer web {\n        cpu 1\n   memory   1GiB\nplace on r1\n}';
  const uri = await opened(messy);
  const before = c.lastDiagnostics(uri)!.diagnostics.map((d) => d.code);
  const opts = { tabSize: 2, insertSpaces: true };
  const edits = await c.request<LspTextEdit[]>('textDocument/formatting', { ...doc(uri), options: opts });
  const formatted = applyEdits(messy, edits);
  assert.equal(formatted, '# top\nrack r1 {\n  node n1..n2 { cores 16 memory 64GiB } # two nodes\n}\n\ncontainer web {\n  cpu 1\n  memory 1GiB\n  place on r1\n}\n'.replace(' # two nodes', '   # two nodes'));
  c.edit(uri, [0, 0], [messy.split('\n').length, 0], formatted);
  await c.until('re-checked', () => c.lastDiagnostics(uri)?.version === c.version(uri));
  assert.deepEqual(c.lastDiagnostics(uri)!.diagnostics.map((d) => d.code), before, 'the same diagnostics: meaning unchanged');
  assert.deepEqual(await c.request<LspTextEdit[]>('textDocument/formatting', { ...doc(uri), options: opts }), [], 'idempotent');
  // Range formatting: only the container's lines.
  const u2 = await opened(messy);
  const range = { start: find(messy, 'container web'), end: find(messy, 'place on r1', 11) };
  const rEdits = await c.request<LspTextEdit[]>('textDocument/rangeFormatting', { ...doc(u2), range, options: opts });
  const partly = applyEdits(messy, rEdits);
  assert.ok(partly.startsWith('# top\nrack r1\n{\nnode n1..n2 {   cores 16    memory 64GiB }'), 'text before the range is untouched');
  assert.match(partly, /container web \{\n {2}cpu 1\n {2}memory 1GiB\n {2}place on r1\n\}/);
  // Text with a syntax error is left alone rather than guessed at.
  const u3 = await opened('rack r1 {\n   node n1 { cores 4 memory "8GiB }\n');
  assert.deepEqual(await c.request<LspTextEdit[]>('textDocument/formatting', { ...doc(u3), options: opts }), []);
});

/** Code actions at a diagnostic with `code`, after waiting for it. */
async function fixesFor(uri: string, code: string): Promise<{ actions: CodeAction[]; range: Range }> {
  const d = await c.until(code, () => c.lastDiagnostics(uri)?.diagnostics.find((x) => x.code === code));
  const actions = await c.request<CodeAction[]>('textDocument/codeAction', { ...doc(uri), range: d.range, context: { diagnostics: [d] } });
  return { actions, range: d.range };
}

test('code actions: quick fixes for T104, T200 and T300 that remove the diagnostic', async () => {
  const text = 'rack r1 {\n  node n1 { cores 8 memory 32GiB }\n}\ncontainer cache { cpu 1 memory 1GiB place on r1 }\ncontainer web {\n  cpu 1\n  memroy 1GiB\n  talks cahce\n  place on r1\n}\ncontainer db {\n  cpu 1\n  memory 4\n  place on r1\n}\n';
  const uri = await opened(text);
  const cases: [string, RegExp, string][] = [['T104', /memory/, 'memroy'], ['T200', /cache/, 'cahce'], ['T300', /GiB/, 'memory 4']];
  let fixed = text;
  for (const [code, title, word] of cases) {
    const { actions } = await fixesFor(uri, code);
    const fix = actions.find((a) => a.kind === 'quickfix' && title.test(a.title));
    assert.ok(fix, `${code}: a quick fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.diagnostics?.[0]?.code, code);
    assert.ok(text.includes(word));
    fixed = applyEdits(fixed, fix.edit!.changes[uri]);
  }
  c.edit(uri, [0, 0], [text.split('\n').length, 0], fixed);
  await c.until('the fixes remove every diagnostic', () => { const l = c.lastDiagnostics(uri); return l?.version === c.version(uri) && l.diagnostics.length === 0; });
  assert.match(fixed, /memory 1GiB\n {2}talks cache\n/);
  assert.match(fixed, /memory 4GiB/);
});

test('code actions: capacity quick fixes (T4xx) and the node range refactorings', async () => {
  const over = 'rack r1 {\n  node n1..n2 { cores 8 memory 32GiB }\n}\ncontainer api {\n  replicas 6\n  cpu 4\n  memory 4GiB\n  place on r1\n}\n';
  const uri = await opened(over);
  const { actions } = await fixesFor(uri, 'T400');
  assert.ok(actions.some((a) => a.kind === 'quickfix' && /replicas/.test(a.title)), JSON.stringify(actions.map((a) => a.title)));
  const ranged = 'rack r1 {\n  node n1..n3 { cores 8 memory 32GiB }\n}\n';
  const u2 = await opened(ranged);
  const at = find(ranged, 'n1..n3', 1);
  const refactors = await c.request<CodeAction[]>('textDocument/codeAction', { ...doc(u2), range: { start: at, end: at }, context: { diagnostics: [] } });
  const expand = refactors.find((a) => a.title.startsWith('Expand'));
  assert.ok(expand && expand.kind?.startsWith('refactor'), JSON.stringify(refactors.map((a) => [a.title, a.kind])));
  const expanded = applyEdits(ranged, expand.edit!.changes[u2]);
  assert.equal((expanded.match(/node n\d \{ cores 8 memory 32GiB \}/g) ?? []).length, 3);
  const u3 = await opened(expanded);
  const at3 = find(expanded, 'node n2', 6);
  const back = (await c.request<CodeAction[]>('textDocument/codeAction', { ...doc(u3), range: { start: at3, end: at3 }, context: { diagnostics: [] } })).find((a) => a.title.startsWith('Collapse'));
  assert.ok(back, 'collapse offered on identical numbered nodes');
  assert.equal(applyEdits(expanded, back.edit!.changes[u3]), ranged);
});

test('inlay hints: utilisation after place on, locality after a simulated container; off by setting', async () => {
  const uri = await opened(SPEC);
  const all = { start: { line: 0, character: 0 }, end: { line: SPEC.split('\n').length, character: 0 } };
  const hints = await c.request<InlayHint[]>('textDocument/inlayHint', { ...doc(uri), range: all });
  const after = (needle: string) => hints.find((h) => h.position.line === find(SPEC, needle).line && h.position.character === find(SPEC, needle, needle.length).character)?.label;
  assert.equal(after('place on pod1'), ' +24 cores · +600GiB · pod1 24/124 cores · 600GiB/992GiB');
  c.save(uri);
  await c.until('the simulation', () => c.simulations.find((s) => s.uri === uri && s.result), 30_000);
  const later = await c.request<InlayHint[]>('textDocument/inlayHint', { ...doc(uri), range: all });
  const name = find(SPEC, 'container analytics', 19);
  assert.match(later.find((h) => h.position.line === name.line && h.position.character === name.character)?.label ?? '', /^ \d+(\.\d)?% local$/);
  c.configure({ simulation: { maxMillis: 1500 }, inlayHints: { enabled: false } });
  await c.until('hints turned off', async () => (await c.request<InlayHint[]>('textDocument/inlayHint', { ...doc(uri), range: all })).length === 0 || undefined);
  c.configure({ simulation: { maxMillis: 1500 } });
  await c.until('hints back on', async () => (await c.request<InlayHint[]>('textDocument/inlayHint', { ...doc(uri), range: all })).length > 0 || undefined);
});

test('inlay hints on a tenant: where its replicas run and its VMs after its name, its requests against its quota after `quota`', async () => {
  // two 8-core nodes, one store (tenant shop, vm) and one batch on each: two VMs of 1 core and 2GiB;
  // shop requests 2 x 3 = 6 of its 8 cores and 2 x 8 = 16 of its 32GiB
  const text = 'defaults { headroom 0 }\nrack r1 {\n  node n1..n2 { cores 8 memory 32GiB }\n}\ntenant shop {\n  isolation vm\n  overhead cpu 1 memory 2GiB\n  quota cpu 8 memory 32GiB\n}\n'
    + 'container store {\n  tenant shop\n  replicas 2\n  cpu 3\n  memory 8GiB\n  place on r1\n}\ncontainer batch {\n  replicas 2\n  cpu 3\n  memory 8GiB\n  place on r1\n}\n';
  const uri = await opened(text, 'tenant-hints.topo');
  const all = { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } };
  const hints = await c.request<InlayHint[]>('textDocument/inlayHint', { ...doc(uri), range: all });
  const after = (needle: string) => hints.find((h) => h.position.line === find(text, needle).line && h.position.character === find(text, needle, needle.length).character)?.label;
  assert.equal(after('tenant shop'), ' 2 replicas on 2 nodes · 2 VMs, +2 cores · +4GiB');
  assert.equal(after('quota cpu 8 memory 32GiB'), ' uses 6/8 cores · 16GiB/32GiB');
});

test('settings: simulate on save off, and the default policy', async () => {
  const uri = await opened(SPEC);
  c.configure({ simulation: { maxMillis: 1500 }, simulateOnSave: false, defaultPolicy: 'vcpu' });
  await new Promise((r) => setTimeout(r, 200));
  const before = c.simulations.filter((s) => s.uri === uri).length;
  c.save(uri);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(c.simulations.filter((s) => s.uri === uri).length, before, 'no simulation on save when it is turned off');
  const policyOf = async (u: string) => (await c.request<{ result: { input: { policy: string } } }>('topo/simulate', { uri: u })).result.input.policy;
  assert.equal(await policyOf(uri), 'cost', 'the file\'s own `policy cost` wins over the setting');
  const plain = await opened('rack r1 { node n1..n2 { cores 8 memory 32GiB } }\nsds pod { nodes r1.* }\ncontainer db { cpu 2 memory 40GiB place on pod }\n');
  assert.equal(await policyOf(plain), 'vcpu', 'the setting applies to a file that sets no policy');
  c.configure({ simulation: { maxMillis: 1500 } });
});

test('settings: the locality threshold quietens T500 below the file\'s own; the time budget coarsens (T502)', async () => {
  const analytics = readFileSync(resolve(__dirname, '../../examples/analytics-sds.topo'), 'utf8');
  const uri = await opened(analytics, 'threshold.topo');
  const simulated = async (): Promise<string[]> => {
    const before = c.simulations.filter((s) => s.uri === uri).length;
    c.save(uri);
    await c.until('a simulation', () => c.simulations.filter((s) => s.uri === uri && s.result).length > before, 30_000);
    return (await c.until('T5xx published', () => { const l = c.lastDiagnostics(uri); return l && l.diagnostics.some((d) => /^T5/.test(d.code)) && l; })).diagnostics.map((d) => d.code);
  };
  assert.ok((await simulated()).includes('T500'), 'the example has a container under its 70% threshold');
  c.configure({ simulation: { maxMillis: 1500 }, localityThreshold: 0.2 });
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(!(await simulated()).includes('T500'), 'under a 20% threshold nothing is reported');
  c.configure({ simulation: { maxMillis: 100 } });
  await new Promise((r) => setTimeout(r, 200));
  await simulated();
  const t502 = c.lastDiagnostics(uri)!.diagnostics.find((d) => d.code === 'T502');
  assert.ok(t502, 'T502 under a 100 ms budget');
  const budget = Number(/within its (?:share of the )?(\d+) ms budget/.exec(t502.message)?.[1]);
  assert.ok(budget > 0 && budget <= 100, `the run was held to the 100 ms setting: ${t502.message}`);
  c.configure({ simulation: { maxMillis: 1500 } });
});
