// Issue 15 (placement, analysis, binder checks and messages) through the real interfaces: the
// built CLI as a process (`node bin/topo.js check|place`) and the language server over stdio.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyEdits, find, TestClient, type LspTextEdit, type Range } from './client';

const BIN = resolve(__dirname, '../../bin/topo.js');

interface Json { diagnostics: { code: string; message: string; severity: string; range: Range; relatedInformation: { message: string }[] }[] }
interface Placement { targets: { target: string; kind: string; pack?: string; headroom: { ok: boolean; status?: string; lost: string[]; short?: { container: string; replicas: number; cause: string }[] }; nodes: { ref: string; replicas: { container: string }[] }[] }[] }

/** Runs the CLI on one file written to a fresh folder. */
function topo(args: string[], text: string): { code: number; out: string; err: string } {
  const dir = mkdtempSync(join(tmpdir(), 'topo-issue15-'));
  try {
    writeFileSync(join(dir, 'a.topo'), text);
    const r = spawnSync(process.execPath, [BIN, ...args.map((a) => (a === 'FILE' ? 'a.topo' : a))], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const check = (text: string): Json['diagnostics'] => JSON.parse(topo(['check', 'FILE', '--format', 'json'], text).out).diagnostics as Json['diagnostics'];
const place = (text: string): Placement => JSON.parse(topo(['place', 'FILE', '--format', 'json'], text).out) as Placement;
const codes = (text: string): string[] => check(text).map((d) => d.code);
const lineOf = (text: string, r: Range): string => text.split('\n')[r.start.line].slice(r.start.character, r.end.character);

// ---------------------------------------------------------------- 1. headroom

const REPRO = `rack r2 { node m1..m8 { cores 16 memory 64GiB } }
container api { replicas 6 cpu 500m memory 1GiB spread nodes place on r2 }
container web { replicas 3 cpu 250m memory 512MiB place on r2.m1..m4 }
`;

test('T404: the issue\'s repro is clean in check and ok in place (it warned with web\'s target and numbers)', () => {
  assert.deepEqual(codes(REPRO), []);
  const p = place(REPRO);
  assert.deepEqual(p.targets.map((t) => [t.target, t.headroom.status, t.headroom.ok]), [['r2', 'ok', true], ['r2.m1..m4', 'ok', true]]);
  // and without m1, as the issue says, it packs cleanly as well
  assert.deepEqual(codes(REPRO.replace('m1..m8', 'm2..m8').replace('r2.m1..m4', 'r2.m2..m4')), []);
});

test('T404: check and place agree; the message names the cause (pinning, spread, capacity) and the container\'s own target', () => {
  const pinned = 'rack r1 { node n1..n3 { cores 8 memory 32GiB } }\ncontainer db { cpu 2 memory 4GiB place on r1.n2 }\ncontainer web { replicas 2 cpu 1 memory 1GiB place on r1 }\n';
  const [d] = check(pinned);
  assert.equal(d.code, 'T404');
  assert.equal(lineOf(pinned, d.range), 'r1.n2');
  assert.match(d.message, /^If `r1\.n2` fails \(no spare stands in\), `db` no longer fits: it runs only on node set `r1\.n2`, and no node of it is left/);
  const pp = place(pinned);
  assert.deepEqual(pp.targets.map((t) => [t.target, t.headroom.ok, t.headroom.short]), [['r1.n2', false, [{ container: 'db', replicas: 1, cause: 'pinned' }]], ['r1', true, []]]);
  const text = topo(['place', 'FILE'], pinned).out;
  assert.match(text, /^nodes r1\.n2 \(pack spread\): .*headroom 1: NOT ok \(losing r1\.n2\)$/m);
  assert.match(text, /headroom short: db loses 1 replica \(pinned\)/);

  const spread = 'rack r2 { node m1..m4 { cores 16 memory 64GiB } }\ncontainer api { replicas 4 cpu 500m memory 1GiB spread nodes place on r2 }\n';
  const [s] = check(spread);
  assert.equal(s.code, 'T404');
  assert.equal(lineOf(spread, s.range), 'nodes', 'on `spread nodes`, the cause');
  assert.match(s.message, /with `spread nodes` each replica needs a node of its own, and 3 nodes are left that can hold one/);
  assert.deepEqual(place(spread).targets[0].headroom.short, [{ container: 'api', replicas: 1, cause: 'spread' }]);
  assert.deepEqual(codes(spread.replace('spread nodes', 'spread nodes even')), [], '`even` lets two replicas share a node after a loss');

  const capacity = 'rack r1 { node n1..n3 { cores 8 memory 32GiB } }\ncontainer web { replicas 3 cpu 4 memory 24GiB place on r1 }\n';
  const [k] = check(capacity);
  assert.match(k.message, /1 of 3 replicas of `web` no longer fit on rack `r1`: its 2 nodes left have 16 cores and 64GiB, and the containers placed on it request 12 cores and 72GiB/);

  // one node and nothing to fail over to: neither check nor place claims a shortfall
  const one = 'rack r1 { node n1 { cores 8 memory 32GiB } }\ncontainer web { cpu 4 memory 4GiB place on r1 }\n';
  assert.deepEqual(codes(one), []);
  assert.match(topo(['place', 'FILE'], one).out, /headroom 1: not checked \(one node, nothing to fail over to\)/);
});

// ---------------------------------------------------------------- 2, 3. binder checks

test('add of an active node that containers are packed onto is T202 on the event; failing twice, joining twice, scale to 0', () => {
  const text = `rack r1 { node n1..n4 { cores 32 memory 256GiB } node n5 { cores 32 memory 256GiB role spare } }
rack r2 { node m1..m8 { cores 16 memory 64GiB } }
sds pod { nodes r1.n1..n4 }
container db { cpu 8 memory 64GiB place on pod }
container api { replicas 6 cpu 500m memory 1GiB spread nodes place on r2 }
scenario s {
  at 1s fail r1.n2
  at 2s fail r1.n2
  at 3s add r2.m1 to pod
  at 4s add r1.n5 to pod
  at 5s add r1.n5 to pod
  at 6s scale api to 0
}
`;
  const r = topo(['check', 'FILE', '--format', 'json'], text);
  assert.equal(r.code, 1);
  const ds = (JSON.parse(r.out) as Json).diagnostics;
  assert.deepEqual(ds.map((d) => [d.code, lineOf(text, d.range)]), [['T202', 'r1.n2'], ['T202', 'r2.m1'], ['T202', 'r1.n5'], ['T306', '0']]);
  assert.match(ds[0].message, /already fails at 1s/);
  assert.match(ds[1].message, /only a spare \(`role spare`\) or a node no container is placed on can join an SDS\. Spares: `r1\.n5`/);
  assert.match(ds[2].message, /already joins `pod` at 4s/);
  assert.equal(ds[3].severity, 'warning');
  // an active node no container uses may join
  assert.deepEqual(codes(text.replace(/ {2}at [1-6]s.*\n/g, '').replace('}\n', '}\nrack r3 { node x1 { cores 8 memory 32GiB } }\n').replace('scenario s {', 'scenario s {\n  at 3s add r3.x1 to pod')), []);
});

test('replicas 0, cpu 0, memory 0GiB are T302; a node twice in a set is T305 on the repeat', () => {
  const text = 'rack r1 { node n1..n4 { cores 8 memory 32GiB } }\nsds pod { nodes r1.n1..n3, r1.n2 }\ncontainer a { replicas 0 cpu 0 memory 0GiB place on pod }\n';
  const ds = check(text);
  assert.deepEqual(ds.map((d) => [d.code, lineOf(text, d.range)]), [['T305', 'r1.n2'], ['T302', '0'], ['T302', '0'], ['T302', '0GiB']]);
});

// ---------------------------------------------------------------- 5, 6. pack and spread even

test('topo place balances by default and says so; `pack tight` fills one node; `spread nodes even` keeps counts within one', () => {
  const text = 'defaults { headroom 0 }\nrack r1 { node n1..n4 { cores 16 memory 64GiB } }\ncontainer api { replicas 4 cpu 2 memory 4GiB place on r1 }\ncontainer cache { cpu 2 memory 8GiB place on r1 }\n';
  const spread = place(text).targets[0];
  assert.equal(spread.pack, 'spread');
  assert.deepEqual(spread.nodes.map((n) => n.replicas.length), [2, 1, 1, 1]);
  assert.match(topo(['place', 'FILE'], text).out, /^rack r1 \(pack spread\): /m);
  const tight = place(text.replace('headroom 0', 'headroom 0 pack tight')).targets[0];
  assert.equal(tight.pack, 'tight');
  assert.deepEqual(tight.nodes.map((n) => n.replicas.length), [5, 0, 0, 0]);
  const even = 'defaults { headroom 0 }\nrack r1 { node n1..n4 { cores 16 memory 64GiB } }\ncontainer api { replicas 10 cpu 1 memory 1GiB spread nodes even place on r1 }\n';
  assert.deepEqual(codes(even), [], 'more replicas than nodes is fine with `even`');
  assert.deepEqual(place(even).targets[0].nodes.map((n) => n.replicas.length), [3, 3, 2, 2]);
  const forced = even.replace('container api', 'container big { cpu 14 memory 8GiB place on r1.n1 }\ncontainer api').replace('replicas 10', 'replicas 12');
  const [d] = check(forced);
  assert.equal(d.code, 'T405');
  assert.match(d.message, /`spread nodes even` cannot hold for `api`: its 12 replicas over the 4 nodes of `r1` would be 3 per node, but only 11 fit that way/);
});

// ---------------------------------------------------------------- 7. messages

test('unit fixes prefer the unit that makes the value typical; Kubernetes suffixes; numbers as written; the reserve on its value; both scales', () => {
  const fixText = (text: string, code: string): string => check(text).find((d) => d.code === code)?.message ?? '';
  assert.match(fixText('container a { cpu 1 memory 1GiB writes 0.3 }', 'T300'), /write `30%` \(`0\.3` as a fraction\), or `0\.3%`/);
  assert.match(fixText('defaults { tick 10 }', 'T300'), /write `10ms`/);
  assert.match(fixText('rack r1 { latency 2 node n1 { cores 8 memory 8GiB } }', 'T300'), /write `2us`/);
  assert.match(fixText('container a { cpu 1 memory 2G }', 'T103'), /in Kubernetes `2G` means 2 gigabytes \(10\^9 bytes\), which is `2GB` here.*write `2GB` or `2GiB`/);
  assert.match(fixText('container a { cpu 1 memory 512Mi }', 'T103'), /`512Mi` is Kubernetes for 512 mebibytes.*write `512MiB`/);
  assert.match(fixText('container a { cpu 99999999999999999999999 memory 1GiB }', 'T302'), /^`99999999999999999999999` is out of range for `cpu`: it must be more than 0 cores \(at least `1m`\) and at most 1000000; leave `cpu` out for a container that requests none$/);
  const reserve = 'rack r1 { node n1..n4 { cores 32 memory 256GiB } }\nsds pod { nodes r1.* reserve cores 64 }\ncontainer db { cpu 8 memory 100GiB place on pod }\n';
  const ds = check(reserve);
  assert.deepEqual(ds.map((d) => [d.code, lineOf(reserve, d.range)]), [['T302', '64']], 'on the reserve value, and no T400 built on it');
  assert.match(ds[0].relatedInformation[0].message, /`r1\.n1` … `r1\.n4`, each: 32 cores/);
  const decimal = 'rack r1 { node n1..n2 { cores 32 memory 256GB } }\nsds pod { nodes r1.* reserve memory 0GiB }\ncontainer db { cpu 8 memory 600GB place on pod }\n';
  assert.match(fixText(decimal, 'T400'), /SDS `pod` has 476\.84GiB \(512GB\) of memory/);
});

// ---------------------------------------------------------------- 4. quick fixes over the protocol, hover

let c: TestClient;
before(async () => {
  c = new TestClient([BIN, 'lsp', '--stdio']);
  await c.initialize();
});
after(async () => { await c.stop(); });

interface CodeAction { title: string; kind?: string; edit?: { changes: Record<string, LspTextEdit[]> } }

async function actionsOf(name: string, text: string, code: string): Promise<{ uri: string; titles: string[]; actions: CodeAction[] }> {
  const uri = `file:///work/issue15/${name}.topo`;
  c.open(uri, text);
  const d = await c.until(code, () => c.lastDiagnostics(uri)?.diagnostics.find((x) => x.code === code));
  const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
  return { uri, titles: actions.map((a) => a.title), actions };
}

test('language server: the issue\'s quick fixes that created an error are not offered, and those offered leave no new error', async () => {
  const placeOn = await actionsOf('place-on', 'rack r1 { node n1..n4 { cores 32 memory 256GiB } node n5 { cores 32 memory 256GiB role spare } }\nrack r2 { node m1..m2 { cores 16 memory 64GiB } }\nsds pod { nodes r1.n1..n4 }\ncontainer a { cpu 1 memory 1GiB place on r2 }\ncontainer b { cpu 1 memory 1GiB }\n', 'T304');
  assert.deepEqual(placeOn.titles, ['Place on `pod`', 'Place on `r2`']);
  const nodes = await actionsOf('add-nodes', 'rack r1 { node n1..n4 { cores 32 memory 256GiB } node n5 { cores 32 memory 256GiB role spare } }\nsds pod { }\ncontainer db { cpu 4 memory 64GiB place on pod }\nscenario s { at 5s add r1.n5 to pod }\n', 'T304');
  assert.deepEqual(nodes.titles, ['Add `nodes r1.n1..n4`']);
  const text = 'rack r1 { node n1..n4 { cores 32 memory 256GiB } node n5 { cores 32 memory 256GiB role spare } }\nsds pod { nodes r1.n1..n4 }\ncontainer db { cpu 4 memory 64GiB place on pod }\nscenario s { at 5s add r1.n6 to pod }\n';
  const rename = await actionsOf('add-rename', text, 'T200');
  assert.deepEqual(rename.titles, ['Change to `n5`']);
  const fixed = applyEdits(text, rename.actions[0].edit!.changes[rename.uri]);
  c.edit(rename.uri, [0, 0], [text.split('\n').length, 0], fixed);
  await c.diagnosticsOf(rename.uri, c.version(rename.uri));
  assert.deepEqual(c.lastDiagnostics(rename.uri)!.diagnostics.map((d) => d.code), [], 'no T202 after the fix');
});

test('language server: hover shows `256GB = 238.42GiB`, and the new words', async () => {
  const text = 'defaults { pack tight }\nrack r1 { node n1 { cores 8 memory 256GB } }\ncontainer a { replicas 2 cpu 1 memory 1GiB spread nodes even place on r1 }\n';
  const uri = 'file:///work/issue15/hover.topo';
  c.open(uri, text);
  await c.until('diagnostics', () => c.lastDiagnostics(uri));
  const hover = async (needle: string, delta: number): Promise<string> => (await c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: find(text, needle, delta) }))?.contents.value ?? '';
  assert.match(await hover('256GB', 1), /^`256GB` = 238\.42GiB = 256,000,000,000 bytes/);
  assert.match(await hover('even', 1), /counts differ by at most one/);
  assert.match(await hover('tight', 1), /as few nodes/);
});
