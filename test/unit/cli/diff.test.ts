// `topo diff OLD NEW`: capacity per target, diagnostics gained and lost, moved replicas and
// predicted locality, between two files or a git revision and a file (`git show`, in a
// temporary repository). Expected deltas are computed from the model, not from the diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { checkText } from '../../../server/src/core/check';
import { schemaFileName } from '../../../server/src/cli/documents';
import type { DiffResult } from '../../../server/src/cli/diff';
import { SCHEMA_DIR } from '../../../scripts/schemas';
import { REPO, runIn, topoFiles } from './corpus';

const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(join(SCHEMA_DIR, schemaFileName('diff')), 'utf8')) as object);

function repo(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'topo-diff-'));
  const git = (...args: string[]): void => { execFileSync('git', args, { cwd: dir, stdio: 'pipe' }); };
  git('init', '-q');
  writeFileSync(join(dir, 'deploy.topo'), text);
  git('add', 'deploy.topo');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'v1');
  return dir;
}

async function diffJson(cwd: string, a: string, b: string): Promise<DiffResult> {
  const r = await runIn(cwd, ['diff', a, b, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as DiffResult;
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
  return doc;
}

/** The example with its first placed container's replicas raised by one. */
function oneMore(text: string): { text: string; container: string; replicas: number; cpu: number; target: string } {
  const m = checkText(text).model;
  const c = m.containers.find((x) => x.target !== null && x.at.replicas !== undefined);
  assert.ok(c && c.at.replicas);
  const at = c.at.replicas.span;
  return { text: `${text.slice(0, at.start)}replicas ${c.replicas + 1}${text.slice(at.end)}`, container: c.name, replicas: c.replicas, cpu: c.cpuRequest, target: c.target?.kind ?? '' };
}

for (const file of topoFiles(join(REPO, 'examples'))) {
  const name = file.slice(REPO.length + 1);
  test(`topo diff HEAD:deploy.topo deploy.topo on ${name} with one more replica: the new replica, the requested delta, nothing lost`, async () => {
    const v1 = readFileSync(file, 'utf8');
    const v2 = oneMore(v1);
    const dir = repo(v1);
    try {
      const same = await diffJson(dir, 'HEAD:deploy.topo', 'deploy.topo');
      assert.deepEqual(same.moves, []);
      assert.deepEqual(same.diagnostics, { gained: [], lost: [] });
      for (const t of same.targets) assert.deepEqual(t.before, t.after);
      for (const c of same.containers) {
        assert.deepEqual(c.before, c.after, `${c.name}: the simulation is not deterministic`);
        assert.equal(c.changed, false, c.name);
      }
      writeFileSync(join(dir, 'deploy.topo'), v2.text);
      const d = await diffJson(dir, 'HEAD:deploy.topo', 'deploy.topo');
      const added = d.moves.filter((x) => x.from === null);
      assert.deepEqual(added.map((x) => [x.container, x.replica]), [[v2.container, v2.replicas]]);
      const delta = d.targets.map((t) => (t.after?.requested.cpu ?? 0) - (t.before?.requested.cpu ?? 0)).filter((x) => Math.abs(x) > 1e-9);
      assert.ok(delta.length >= 1 && delta.every((x) => Math.abs(x - v2.cpu) < 1e-9), `deltas ${delta.join(', ')}, expected ${v2.cpu}`);
      assert.deepEqual(d.moves.filter((x) => x.to === null), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('topo diff: a change that overfills a rack gains its T400; the reverse diff loses it', async () => {
  const v1 = 'defaults { headroom 0 }\nrack r1 { node n1..n2 { cores 8 memory 32GiB } }\ncontainer a { replicas 2 cpu 1 memory 1GiB place on r1 }\n';
  const dir = repo(v1);
  try {
    writeFileSync(join(dir, 'new.topo'), v1.replace('replicas 2 cpu 1', 'replicas 20 cpu 1'));
    const d = await diffJson(dir, 'deploy.topo', 'new.topo');
    assert.deepEqual(d.diagnostics.gained.map((x) => [x.code, x.file]), [['T400', 'new.topo']]);
    assert.deepEqual(d.diagnostics.lost, []);
    const back = await diffJson(dir, 'new.topo', 'deploy.topo');
    assert.deepEqual(back.diagnostics.lost.map((x) => x.code), ['T400']);
    assert.equal(d.containers[0].after, null, 'a version with errors is not simulated');
    const text = await runIn(dir, ['diff', 'deploy.topo', 'new.topo']);
    assert.match(text.out, /diagnostics: 1 gained, 0 lost\n {2}\+ new\.topo:3:\d+: error T400: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('topo diff: an unknown revision, a missing file or one version is a usage error naming it', async () => {
  const dir = repo('rack r1 { node n1 { cores 8 memory 32GiB } }\n');
  try {
    const r = await runIn(dir, ['diff', 'nope~9:deploy.topo', 'deploy.topo']);
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read nope~9:deploy\.topo from git: fatal/);
    const m = await runIn(dir, ['diff', 'missing.topo', 'deploy.topo']);
    assert.equal(m.code, 2);
    assert.match(m.err, /cannot read missing\.topo: no such file/);
    assert.equal((await runIn(dir, ['diff', 'deploy.topo'])).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
