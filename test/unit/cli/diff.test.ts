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

/** Where each replica runs (`container#replica` → node), read from a check's placement. */
function places(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of checkText(text).placement.targets) for (const n of t.nodes) for (const r of n.replicas) out.set(`${r.container}#${r.replica}`, n.ref);
  return out;
}

/** The example with the packing of its first rack that holds replicas turned the other way (`tight` <-> `spread`); null without one. */
function otherPacking(text: string): { text: string; rack: string } | null {
  const c = checkText(text);
  const t = c.placement.targets.find((x) => x.kind === 'rack' && x.nodes.some((n) => n.replicas.length > 0));
  const rack = t && c.model.racks.find((r) => r.name === t.target);
  if (!rack) return null;
  const mode = (rack.pack ?? c.model.defaults.pack) === 'tight' ? 'spread' : 'tight';
  const open = text.indexOf('{', rack.block.span.start);
  const body = rack.at.pack ? `${text.slice(0, rack.at.pack.span.start)}${mode}${text.slice(rack.at.pack.span.end)}` : `${text.slice(0, open + 1)}\n  pack ${mode}${text.slice(open + 1)}`;
  return { text: body, rack: rack.name };
}

for (const file of topoFiles(join(REPO, 'examples'))) {
  const name = file.slice(REPO.length + 1);
  const v1 = readFileSync(file, 'utf8');
  const v2 = otherPacking(v1);
  test(`topo diff on ${name} with its first rack packed the other way: the moved replicas are those the two placements put on different nodes`, { skip: !v2 && 'no rack holds replicas (an SDS places none on nodes)' }, async () => {
    if (!v2) return;
    const dir = repo(v1);
    try {
      writeFileSync(join(dir, 'deploy.topo'), v2.text);
      const d = await diffJson(dir, 'HEAD:deploy.topo', 'deploy.topo');
      const a = places(v1), b = places(v2.text);
      const expected = [...a].filter(([k, n]) => b.get(k) !== n).map(([k, n]) => `${k} ${n} -> ${b.get(k) ?? 'none'}`).sort();
      assert.ok(expected.length > 0, `packing ${v2.rack} the other way moves nothing: not a test of moves`);
      assert.deepEqual(d.moves.map((m) => `${m.container}#${m.replica} ${m.from ?? 'none'} -> ${m.to ?? 'none'}`).sort(), expected);
      // the same nodes and requests: only where the replicas run changed
      const target = d.targets.find((t) => t.name === v2.rack);
      assert.ok(target?.before && target.after);
      assert.deepEqual([target.before.nodes, target.before.requested], [target.after.nodes, target.after.requested]);
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
