// Issue 20 in the editor, over LSP stdio against the built server: the sizing code lenses
// (computed in a worker, resolved lazily, refreshed when a result arrives, cancelled by an edit),
// their quick fix and command, and topo/compareVersions.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyEdits, find, TestClient, type LspTextEdit, type Range } from './client';

const BIN = resolve(__dirname, '../../bin/topo.js');
const SPEC = readFileSync(resolve(__dirname, '../../examples/spec-example.topo'), 'utf8');

interface Lens { range: Range; data?: unknown; command?: { title: string; command: string; arguments?: unknown[] } }
interface Action { title: string; kind?: string; edit?: { changes?: Record<string, LspTextEdit[]> } }
interface SizeJson { targets: { name: string; kind: string; now: { nodes: number }; needed: { nodes: number } | null; reason: string | null }[] }

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** `topo size --format json` (or another command) on a text written to a fresh folder: the CLI is the independent reading. */
function cli(args: string[], files: Record<string, string>): { code: number; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'topo-lens-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout };
}

/** Runs `body` with a started server (lens refreshes supported), stopped afterwards whatever happens. */
async function withClient(body: (c: TestClient) => Promise<void>, settings: Record<string, unknown> = {}): Promise<void> {
  const c = new TestClient();
  c.settings = { simulation: { maxMillis: 1500 }, ...settings };
  await c.initialize('file:///work', { codeLens: { refreshSupport: true } });
  try {
    await body(c);
  } finally {
    await c.stop();
  }
}

const lenses = (c: TestClient, uri: string): Promise<Lens[]> => c.request<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
const resolveLens = (c: TestClient, l: Lens): Promise<Lens> => c.request<Lens>('codeLens/resolve', l);

/** The lenses once sizing of the current text is done (a refresh arrived after `refreshes`), resolved. */
async function sizedLenses(c: TestClient, uri: string, refreshes: number): Promise<Lens[]> {
  await lenses(c, uri); // starts sizing
  await c.until('a codeLens refresh', () => c.codeLensRefreshes > refreshes, 30_000);
  const ls = await lenses(c, uri);
  return Promise.all(ls.map((l) => resolveLens(c, l)));
}

test('sizing lenses: one per rack and SDS, unresolved at once, then refreshed and resolved to what `topo size` gives', async () => {
  await withClient(async (c) => {
    const uri = 'file:///work/spec.topo';
    c.open(uri, SPEC);
    const first = await lenses(c, uri);
    assert.deepEqual(first.map((l) => l.range.start.line), [find(SPEC, 'sds pod1').line, find(SPEC, 'rack r2').line]);
    assert.ok(first.every((l) => l.command === undefined), 'lenses come unresolved: the answer does not wait for sizing');
    const early = await resolveLens(c, first[0]);
    const done = await sizedLenses(c, uri, 0);
    const expected = (JSON.parse(cli(['size', 'a.topo', '--format', 'json'], { 'a.topo': SPEC }).out) as SizeJson).targets;
    assert.deepEqual(done.map((l) => l.command?.title), expected.map((t) => `needs ${t.needed!.nodes} of ${t.now.nodes} nodes · decided by ${t.reason}`));
    assert.deepEqual(done.map((l) => l.command?.title), ['needs 3 of 4 nodes · decided by memory', 'needs 7 of 8 nodes · decided by headroom']);
    // sizing takes a worker start and a search: the first resolve came before it ended, or already had it
    assert.ok(early.command?.title === 'sizing…' || early.command?.title === done[0].command?.title, early.command?.title);
  });
});

test('an edit makes the lenses stale ("updating…") until the new text is sized; a quick edit burst sizes the last text only', async () => {
  await withClient(async (c) => {
    const uri = 'file:///work/spec.topo';
    c.open(uri, SPEC);
    const before = await sizedLenses(c, uri, 0);
    const refreshes = c.codeLensRefreshes;
    const at = find(SPEC, 'm1..m8', 4);
    c.edit(uri, [at.line, at.character], [at.line, at.character + 2], 'm9'); // m1..m9
    await lenses(c, uri);
    const stale = await resolveLens(c, before[1]);
    assert.equal(stale.command?.title, 'needs 7 of 8 nodes · decided by headroom (updating…)');
    c.edit(uri, [at.line, at.character], [at.line, at.character + 2], 'm12'); // m1..m12 before the first run ends
    const now = await sizedLenses(c, uri, refreshes);
    assert.equal(now[1].command?.title, 'needs 7 of 12 nodes · decided by headroom');
  });
});

test('the quick fix on a rack rewrites its node range to the sized count; the result checks with no new error; the lens command applies the same edit', async () => {
  await withClient(async (c) => {
    const uri = 'file:///work/spec.topo';
    c.open(uri, SPEC);
    const ls = await sizedLenses(c, uri, 0);
    const rackAt = find(SPEC, 'rack r2');
    const actions = await c.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: rackAt, end: rackAt }, context: { diagnostics: [] } });
    const fix = actions.find((a) => a.title.startsWith('Resize rack r2'));
    assert.ok(fix, actions.map((a) => a.title).join('; '));
    assert.equal(fix.title, 'Resize rack r2 to 7 nodes (sized; it has 8)');
    const fixed = applyEdits(SPEC, fix.edit!.changes![uri]);
    assert.ok(fixed.includes('node m1..m7 { cores 16 memory 64GiB }'));
    assert.equal(fixed.replace('m1..m7', 'm1..m8'), SPEC, 'only the range changes');
    const checked = JSON.parse(cli(['check', 'a.topo', '--format', 'json'], { 'a.topo': fixed }).out) as { diagnostics: { severity: string }[] };
    assert.deepEqual(checked.diagnostics.filter((d) => d.severity === 'error'), []);
    // the SDS pod1 (n1..n4, a spare n5 declared apart) is one range too
    const sds = ls[0];
    assert.equal(sds.command?.command, 'topo.applySizing');
    await c.request('workspace/executeCommand', { command: sds.command!.command, arguments: sds.command!.arguments });
    await c.until('an applyEdit', () => c.appliedEdits.length > 0);
    const sdsFixed = applyEdits(SPEC, c.appliedEdits[0].edit.changes![uri]);
    assert.ok(sdsFixed.includes('node n1..n3 {') && sdsFixed.includes('nodes r1.n1..n3\n'), sdsFixed.slice(0, 400));
    const sdsChecked = JSON.parse(cli(['check', 'a.topo', '--format', 'json'], { 'a.topo': sdsFixed }).out) as { diagnostics: { severity: string }[] };
    assert.deepEqual(sdsChecked.diagnostics.filter((d) => d.severity === 'error'), []);
  });
});

const SMALL = `rack r1 { node n1..n7 { cores 8 memory 32GiB price 1000 } }
container api { replicas 16 cpu 4 memory 8GiB place on r1 }
`;

test('a rack that needs more: "needs N of 7 nodes · costs … more", and the fix grows the range until the T4xx errors are gone', async () => {
  await withClient(async (c) => {
    const uri = 'file:///work/small.topo';
    c.open(uri, SMALL);
    const [lens] = await sizedLenses(c, uri, 0);
    const size = (JSON.parse(cli(['size', 'a.topo', '--format', 'json'], { 'a.topo': SMALL }).out) as SizeJson).targets[0];
    // 16 replicas x 4 cores on 8-core nodes: 2 a node, 8 nodes; headroom 1 adds one: 9
    assert.equal(size.needed?.nodes, 9);
    assert.equal(lens.command?.title, `needs 9 of 7 nodes · decided by ${size.reason} · costs 2,000 more`);
    const at = find(SMALL, 'rack r1');
    const actions = await c.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [] } });
    const fix = actions.find((a) => a.title.startsWith('Resize rack r1'));
    assert.ok(fix);
    const fixed = applyEdits(SMALL, fix.edit!.changes![uri]);
    assert.ok(fixed.startsWith('rack r1 { node n1..n9 {'));
    const before = JSON.parse(cli(['check', 'a.topo', '--format', 'json'], { 'a.topo': SMALL }).out) as { diagnostics: { code: string; severity: string }[] };
    assert.ok(before.diagnostics.some((d) => d.severity === 'error' && d.code.startsWith('T4')), 'the file as written does not fit');
    const checked = JSON.parse(cli(['check', 'a.topo', '--format', 'json'], { 'a.topo': fixed }).out) as { diagnostics: { severity: string }[] };
    assert.deepEqual(checked.diagnostics.filter((d) => d.severity === 'error'), []);
  });
});

test('a file with other errors is not sized: the lens says why; topo.codeLens.sizing false turns the lenses off', async () => {
  await withClient(async (c) => {
    const uri = 'file:///work/bad.topo';
    const text = SMALL.replace('place on r1', 'place on r1\n  colocate nosuch');
    c.open(uri, text);
    const [lens] = await sizedLenses(c, uri, 0);
    assert.match(lens.command?.title ?? '', /^not sized: fix the error T\d{3} first$/);
    assert.equal(lens.command?.command, '');
  });
  await withClient(async (off) => {
    const uri = 'file:///work/small.topo';
    off.open(uri, SMALL);
    await off.diagnosticsOf(uri, 1);
    assert.deepEqual(await lenses(off, uri), []);
  }, { codeLens: { sizing: false } });
});

interface Diff { old: string; new: string; targets: { name: string; before: { nodes: number } | null; after: { nodes: number } | null }[]; moves: { container: string; replica: number; from: string | null; to: string | null }[]; diagnostics: { gained: { code: string }[]; lost: { code: string }[] }; containers: { name: string; changed: boolean }[] }

test('topo/compareVersions: the current text against an older one, as `topo diff` gives it', async () => {
  await withClient(async (c) => {
    const uri = 'file:///work/spec.topo';
    const after = SPEC.replace('node m1..m8', 'node m1..m6');
    c.open(uri, after);
    const d = await c.request<Diff>('topo/compareVersions', { uri, oldText: SPEC, oldLabel: 'HEAD:spec.topo' });
    assert.equal(d.old, 'HEAD:spec.topo');
    assert.equal(d.new, 'spec.topo');
    const r2 = d.targets.find((t) => t.name === 'r2');
    assert.deepEqual([r2?.before?.nodes, r2?.after?.nodes], [8, 6]);
    const cliDiff = JSON.parse(cli(['diff', 'old.topo', 'new.topo', '--format', 'json'], { 'old.topo': SPEC, 'new.topo': after }).out) as Diff;
    assert.deepEqual(d.targets, cliDiff.targets);
    assert.deepEqual(d.moves, cliDiff.moves);
    assert.ok(d.moves.every((m) => m.from?.startsWith('r2.') || m.to?.startsWith('r2.') || m.from === 'pod1'), JSON.stringify(d.moves));
    assert.deepEqual(d.diagnostics.gained.map((x) => x.code), cliDiff.diagnostics.gained.map((x) => x.code));
    assert.deepEqual(d.containers.map((x) => [x.name, x.changed]), cliDiff.containers.map((x) => [x.name, x.changed]));
    await assert.rejects(c.request('topo/compareVersions', { uri: 'file:///work/none.topo', oldText: '', oldLabel: 'x' }), /not an open document/);
  });
});
