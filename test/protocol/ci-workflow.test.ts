// docs/ci.md's GitHub Actions workflow, run as far as it can be offline: its `run:` steps that
// call `topo`, in order, with bash as Actions runs them (`bash -e -o pipefail`), on a copy of the
// examples, with `topo` on the PATH (the built CLI). Clean: every step passes and topo.sarif
// is valid SARIF with no result. Broken (an unformatted file, a file with errors): the steps
// fail or pass as the document says, and topo.sarif holds the errors for the upload step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const REPO = resolve(__dirname, '../..');

interface Step { name?: string; run?: string; uses?: string; if?: string; with?: Record<string, unknown> }
interface Workflow { permissions: Record<string, string>; jobs: Record<string, { steps: Step[] }> }

function workflow(): Workflow {
  const doc = readFileSync(join(REPO, 'docs/ci.md'), 'utf8');
  const blocks = [...doc.matchAll(/```yaml\n([^]*?)```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 1, 'docs/ci.md has one workflow');
  return parse(blocks[0]) as Workflow;
}

const steps = (): Step[] => Object.values(workflow().jobs)[0].steps;
const topoSteps = (): Step[] => steps().filter((s) => s.run !== undefined && /^topo /.test(s.run.trim()));

/** A folder with a `topo` on the PATH that runs the built CLI. */
function shim(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'topo'), `#!/bin/sh\nexec "${process.execPath}" "${join(REPO, 'bin/topo.js')}" "$@"\n`);
  chmodSync(join(bin, 'topo'), 0o755);
  return bin;
}

function runStep(step: Step, cwd: string, bin: string): { code: number | null; out: string; err: string } {
  const r = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', step.run ?? ''], {
    cwd, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` }, timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function sarifValidator() {
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object);
}

function repoCopy(): { dir: string; bin: string } {
  const dir = mkdtempSync(join(tmpdir(), 'topo-ci-'));
  const bin = shim(dir);
  const work = join(dir, 'repo');
  mkdirSync(join(work, '.git'), { recursive: true });
  for (const f of readdirSync(join(REPO, 'examples'))) copyFileSync(join(REPO, 'examples', f), join(work, f));
  return { dir, bin };
}

test('the workflow: checkout, node, install, then fmt --check, check --format github, check --format sarif, upload-sarif', () => {
  const w = workflow();
  assert.equal(w.permissions['security-events'], 'write');
  const s = steps();
  assert.deepEqual(s.map((x) => x.uses?.replace(/@.*/, '') ?? x.run?.trim().split(/\s+/).slice(0, 2).join(' ')),
    ['actions/checkout', 'actions/setup-node', 'npm install', 'topo fmt', 'topo check', 'topo check', 'github/codeql-action/upload-sarif']);
  const upload = s[s.length - 1];
  const sarifStep = topoSteps()[2];
  assert.match(sarifStep.run ?? '', new RegExp(`> ${String(upload.with?.sarif_file).replace('.', '\\.')} `));
  for (const x of s.slice(4)) assert.equal(x.if, '${{ !cancelled() }}', `${x.name}: runs after a failed formatting step`);
});

test('on clean files every topo step passes and topo.sarif is valid SARIF without results', () => {
  const { dir, bin } = repoCopy();
  try {
    const work = join(dir, 'repo');
    const codes = topoSteps().map((s) => runStep(s, work, bin));
    assert.deepEqual(codes.map((c) => c.code), [0, 0, 0], codes.map((c) => c.out + c.err).join('\n---\n'));
    assert.doesNotMatch(codes[1].out, /^::/m);
    const log = JSON.parse(readFileSync(join(work, 'topo.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.deepEqual(log.runs[0].results, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with an unformatted file and a file with errors: fmt and check fail, the SARIF step passes and holds the errors', () => {
  const { dir, bin } = repoCopy();
  try {
    const work = join(dir, 'repo');
    mkdirSync(join(work, 'team'));
    writeFileSync(join(work, 'team', 'messy.topo'), 'rack r9 {\n      node n1 { cores 4 memory 8GiB }\n}\n');
    writeFileSync(join(work, 'team', 'wrong.topo'), 'rack r1 {\n  node n1 { cores 8 memory 32GiB }\n}\ncontainer a { cpu 1 memory 1GiB place on r7 }\n');
    const [fmt, check, sarif] = topoSteps().map((s) => runStep(s, work, bin));
    assert.equal(fmt.code, 1);
    assert.equal(fmt.out, 'team/messy.topo\n');
    assert.equal(check.code, 1);
    assert.match(check.out, /^::error file=team\/wrong\.topo,line=4,col=\d+,endLine=4,endColumn=\d+,title=T200::/m);
    assert.equal(sarif.code, 0, sarif.err);
    const log = JSON.parse(readFileSync(join(work, 'topo.sarif'), 'utf8')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    assert.ok(sarifValidator()(log));
    assert.deepEqual(log.runs[0].results.map((r) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri]), [['T200', 'team/wrong.topo']]);
    // A usage problem still fails the SARIF step: topo's exit 2 is not let through.
    const none = runStep({ run: (topoSteps()[2].run ?? '').replace(' . ', ' missing-folder ') }, work, bin);
    assert.notEqual(none.code, 0, none.err);
    assert.match(none.err, /cannot read missing-folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
