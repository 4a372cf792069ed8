import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main';
import type { CliIo } from '../../../server/src/cli/io';
import { checkText } from '../../../server/src/core/check';

const FIX = join(import.meta.dirname, '../../fixtures/interop');

async function run(dir: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: dir };
  const code = await main(args, io);
  return { code, out, err };
}

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topo-interop-'));
  cpSync(FIX, join(dir, 'fx'), { recursive: true });
  return dir;
}

test('topo import k8s FILE prints a .topo that checks; notes on stderr with file:line:col', async () => {
  const dir = workdir();
  try {
    const r = await run(dir, ['import', 'k8s', 'fx/unsupported.k8s.yaml']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^fx\/unsupported\.k8s\.yaml:6:1: note: ConfigMap settings has no Topo equivalent/m);
    assert.deepEqual(checkText(r.out).diagnostics.filter((d) => d.severity === 'error'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('topo import k8s DIR reads every YAML file; malformed input exits 1 with file:line:col', async () => {
  const dir = workdir();
  try {
    mkdirSync(join(dir, 'good'));
    for (const f of ['nodes.k8s.yaml', 'workloads.k8s.yaml']) cpSync(join(FIX, f), join(dir, 'good', f));
    const ok = await run(dir, ['import', 'k8s', 'good', '--out', 'out.topo']);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(ok.out, '');
    assert.match(readFileSync(join(dir, 'out.topo'), 'utf8'), /rack zone-a/);
    const again = await run(dir, ['import', 'k8s', 'good', '--out', 'out.topo']);
    assert.equal(again.code, 2);
    assert.match(again.err, /out\.topo exists; use --force/);
    assert.equal((await run(dir, ['import', 'k8s', 'good', '--out', 'out.topo', '--force'])).code, 0);
    const bad = await run(dir, ['import', 'k8s', 'fx/malformed.k8s.yaml']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^fx\/malformed\.k8s\.yaml:\d+:\d+: error: malformed YAML/m);
    assert.equal(bad.out, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('topo import compose FILE; usage errors exit 2', async () => {
  const dir = workdir();
  try {
    const r = await run(dir, ['import', 'compose', 'fx/app.compose.yaml']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /container web \{/);
    assert.match(r.err, /fx\/app\.compose\.yaml:17:14: note: service db: `volumes` has no Topo equivalent/);
    assert.equal((await run(dir, ['import', 'compose', 'fx/malformed.compose.yaml'])).code, 1);
    assert.equal((await run(dir, ['import', 'yaml', 'x'])).code, 2);
    assert.equal((await run(dir, ['import', 'k8s'])).code, 2);
    assert.equal((await run(dir, ['import', 'compose', 'missing.yaml'])).code, 2);
    assert.equal((await run(dir, ['import', 'compose', 'fx'])).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('topo export k8s FILE --out DIR writes manifests and never overwrites without --force', async () => {
  const dir = workdir();
  try {
    writeFileSync(join(dir, 'a.topo'), 'rack r1 { node n1..n3 { cores 8 memory 32GiB } }\ncontainer web { replicas 2 cpu 1 memory 1GiB spread nodes }\n');
    const r = await run(dir, ['export', 'k8s', 'a.topo', '--out', 'k8s']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readdirSync(join(dir, 'k8s')).sort(), ['priorityclasses.yaml', 'r1.yaml']);
    assert.match(r.out, /wrote k8s\/r1\.yaml/);
    const again = await run(dir, ['export', 'k8s', 'a.topo', '--out', 'k8s']);
    assert.equal(again.code, 2);
    assert.match(again.err, /k8s\/(priorityclasses|r1)\.yaml exists; use --force/);
    assert.equal((await run(dir, ['export', 'k8s', 'a.topo', '--out', 'k8s', '--force'])).code, 0);
    writeFileSync(join(dir, 'bad.topo'), 'container web { replicas 2 cpu 1 memory 1GiB place on nowhere }\n');
    const bad = await run(dir, ['export', 'k8s', 'bad.topo', '--out', 'k9']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /T200/);
    assert.equal(existsSync(join(dir, 'k9')), false);
    assert.equal((await run(dir, ['export', 'helm', 'a.topo'])).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
