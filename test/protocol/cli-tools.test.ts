// topo fmt, the report formats and the versioned JSON through the built CLI as a process
// (node bin/topo.js), as a user or a CI step runs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../..');
const BIN = join(REPO, 'bin/topo.js');

function topo(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topo-cli-tools-'));
  writeFileSync(join(dir, 'topo.json'), '{}\n');
  return dir;
}

const MESSY = 'rack r1 {\n      node n1..n2 { cores 8   memory 32GiB }  # nodes\n}\ncontainer a { cpu 1 memory 1GiB place on r1 }\n';

test('topo fmt: --check lists and exits 1, --diff shows, plain fmt writes, then --check passes', () => {
  const dir = scratch();
  try {
    writeFileSync(join(dir, 'a.topo'), MESSY);
    const check = topo(dir, 'fmt', '--check', '.');
    assert.equal(check.code, 1);
    assert.equal(check.out, 'a.topo\n');
    const diff = topo(dir, 'fmt', '--diff', 'a.topo');
    assert.equal(diff.code, 0);
    assert.match(diff.out, /^--- a\.topo\n\+\+\+ a\.topo\n@@ -1,4 \+1,4 @@\n rack r1 \{\n- {6}node n1\.\.n2 \{ cores 8 {3}memory 32GiB \} {2}# nodes\n\+ {2}node n1\.\.n2 \{ cores 8 memory 32GiB \} {2}# nodes\n/);
    assert.equal(readFileSync(join(dir, 'a.topo'), 'utf8'), MESSY);
    const write = topo(dir, 'fmt', 'a.topo');
    assert.equal(write.code, 0, write.err);
    assert.equal(write.out, 'a.topo\n');
    assert.equal(topo(dir, 'fmt', '--check', 'a.topo').code, 0);
    writeFileSync(join(dir, 'b.topo'), 'rack r1 { node n1 { cores 8, } }\n');
    const bad = topo(dir, 'fmt', 'b.topo');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^b\.topo:1:\d+: error T100: .*\nb\.topo: not formatted: fix the syntax error first\n$/);
    assert.equal(readFileSync(join(dir, 'b.topo'), 'utf8'), 'rack r1 { node n1 { cores 8, } }\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('topo check and place --format json carry $schema and version; check --format sarif|github; usage errors exit 2', () => {
  const dir = scratch();
  try {
    copyFileSync(join(REPO, 'test/fixtures/T4xx/T405-spread.topo'), join(dir, 'spread.topo'));
    const json = topo(dir, 'check', 'spread.topo', '--format', 'json');
    assert.equal(json.code, 1);
    const doc = JSON.parse(json.out) as { $schema: string; version: string; diagnostics: { code: string }[] };
    assert.equal(doc.$schema, 'https://raw.githubusercontent.com/topo-dev/topo/main/schemas/check.v1.schema.json');
    assert.equal(doc.version, '1');
    assert.ok(doc.diagnostics.some((d) => d.code === 'T405'));
    const place = JSON.parse(topo(dir, 'place', 'spread.topo', '--format', 'json').out) as { $schema: string };
    assert.match(place.$schema, /\/schemas\/place\.v\d+\.schema\.json$/);
    const sarif = topo(dir, 'check', '.', '--format', 'sarif');
    assert.equal(sarif.code, 1);
    const log = JSON.parse(sarif.out) as { version: string; runs: { results: { ruleId: string; fixes?: unknown[] }[] }[] };
    assert.equal(log.version, '2.1.0');
    assert.ok(log.runs[0].results.some((r) => r.ruleId === 'T405' && (r.fixes?.length ?? 0) > 0));
    const gh = topo(dir, 'check', '.', '--format', 'github');
    assert.equal(gh.code, 1);
    assert.match(gh.out, /^::error file=spread\.topo,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=T405::/m);
    assert.equal(topo(dir, 'check', 'spread.topo', '--format', 'xml').code, 2);
    assert.equal(topo(dir, 'simulate', 'spread.topo', '--format', 'sarif', '--compare').code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('topo simulate --format github and sarif on an example; topo --version', () => {
  const sim = topo(REPO, 'simulate', 'examples/analytics-sds.topo', '--format', 'github');
  assert.equal(sim.code, 0, sim.err);
  const json = JSON.parse(topo(REPO, 'simulate', 'examples/analytics-sds.topo', '--format', 'json').out) as { diagnostics: { code: string }[] };
  const lines = sim.out.split('\n').filter(Boolean);
  assert.equal(lines.length, json.diagnostics.length);
  for (const [i, l] of lines.entries()) assert.match(l, new RegExp(`^::(warning|error) file=examples/analytics-sds\\.topo,line=\\d+,col=\\d+,endLine=\\d+,endColumn=\\d+,title=${json.diagnostics[i].code}::`));
  const sarif = JSON.parse(topo(REPO, 'simulate', 'examples/analytics-sds.topo', '--format', 'sarif').out) as { runs: { results: { ruleId: string }[] }[] };
  assert.deepEqual(sarif.runs[0].results.map((r) => r.ruleId), json.diagnostics.map((d) => d.code));
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  assert.equal(topo(REPO, '--version').out, `topo ${pkg.version}\n`);
});
