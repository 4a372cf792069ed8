// The CLI resolves imports against the importing file and limits them to the file's workspace,
// whatever the working directory (issue 15: `import "../x.topo"` worked from one folder and was
// T204 from another). The workspace: the nearest folder upwards with a .git or topo.json, else
// the file's own folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { topo } from './cli';

const HW = 'rack r1 { node n1..n3 { cores 8 memory 32GiB } }\n';
const APP = 'import "../hw/x.topo"\ncontainer web { replicas 2 cpu 1 memory 1GiB place on r1 }\n';

function layout(root: string, marker: 'topo.json' | '.git' | null): void {
  mkdirSync(join(root, 'hw'), { recursive: true });
  mkdirSync(join(root, 'app'), { recursive: true });
  if (marker === 'topo.json') writeFileSync(join(root, 'topo.json'), '{}\n');
  if (marker === '.git') mkdirSync(join(root, '.git'));
  writeFileSync(join(root, 'hw', 'x.topo'), HW);
  writeFileSync(join(root, 'app', 'a.topo'), APP);
}

/** True when a folder above `dir` already has a marker (then "no marker" cannot be tested there). */
function markedAbove(dir: string): boolean {
  for (let d = dirname(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git')) || existsSync(join(d, 'topo.json'))) return true;
    if (dirname(d) === d) return false;
  }
}

test('with a topo.json or .git above the file: the import resolves from every working directory', () => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'topo-cli-ws-')));
  try {
    for (const marker of ['topo.json', '.git'] as const) {
      const proj = join(tmp, marker === '.git' ? 'git' : 'json');
      layout(proj, marker);
      const file = join(proj, 'app', 'a.topo');
      for (const [cwd, arg] of [[proj, 'app/a.topo'], [join(proj, 'app'), 'a.topo'], [join(proj, 'hw'), '../app/a.topo'], [tmp, file], [parse(tmp).root, file]]) {
        const r = topo(cwd, ['check', arg]);
        assert.equal(r.code, 0, `${marker}: check ${arg} from ${cwd}:\n${r.out}${r.err}`);
        assert.match(r.out, /1 file checked: 0 errors, 0 warnings/);
      }
      // every command loads files the same way
      const place = topo(join(proj, 'app'), ['place', 'a.topo']);
      assert.equal(place.code, 0, place.err);
      assert.match(place.out, /rack r1 \(pack spread\):/);
      assert.equal(topo(join(proj, 'hw'), ['simulate', '../app/a.topo', '--format', 'json']).code, 0);
      assert.equal(topo(parse(tmp).root, ['export', 'k8s', file, '--out', join(tmp, `out-${marker}`)]).code, 0);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('without a marker the workspace is the file\'s folder: the same T204 from every working directory, saying why', (t) => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'topo-cli-ws-')));
  try {
    if (markedAbove(tmp)) return t.skip(`a folder above ${tmp} has a .git or topo.json`);
    const proj = join(tmp, 'bare');
    layout(proj, null);
    const file = join(proj, 'app', 'a.topo');
    const messages = new Set<string>();
    for (const [cwd, arg] of [[proj, 'app/a.topo'], [join(proj, 'app'), 'a.topo'], [tmp, file], [parse(tmp).root, file]]) {
      const r = topo(cwd, ['check', arg, '--format', 'json']);
      assert.equal(r.code, 1, `check ${arg} from ${cwd}: ${r.out}`);
      const ds = (JSON.parse(r.out) as { diagnostics: { code: string; message: string }[] }).diagnostics;
      assert.deepEqual(ds.map((d) => d.code).filter((c) => c === 'T204'), ['T204'], r.out);
      messages.add(ds.find((d) => d.code === 'T204')?.message ?? '');
    }
    assert.equal(messages.size, 1, [...messages].join('\n'));
    assert.match([...messages][0], /outside the workspace \(.*bare\/app\).*no folder above the file has a \.git or topo\.json.*put an empty topo\.json in the folder that holds both files/);
    // the fix the message gives works
    writeFileSync(join(proj, 'topo.json'), '');
    assert.equal(topo(join(proj, 'app'), ['check', 'a.topo']).code, 0);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
