// "Compare with HEAD"'s fallback reading (`git show HEAD:./NAME` when the git extension is not
// available) against real temporary git repositories: the committed text, not the working copy;
// and a plain message for each way there is none.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitShowHead } from '../../../client/src/gitShow';
import { headProblem } from '../../../client/src/gitHead';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function tempDir(): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), 'topo-git-')));
  dirs.push(d);
  return d;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd } });
}

test('gitShowHead: the text as committed at HEAD (not the working copy), labelled with its path in the repository', async () => {
  const repo = tempDir();
  git(repo, 'init', '-q');
  mkdirSync(join(repo, 'deploy', 'prod'), { recursive: true });
  const file = join(repo, 'deploy', 'prod', 'a b.topo');
  writeFileSync(file, 'rack r1 { node n1..n8 { cores 8 memory 32GiB } }\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'first');
  writeFileSync(file, 'rack r1 { node n1..n4 { cores 8 memory 32GiB } }\n');
  const r = await gitShowHead(file);
  assert.deepEqual(r, { ok: true, text: 'rack r1 { node n1..n8 { cores 8 memory 32GiB } }\n', label: 'HEAD:deploy/prod/a b.topo' });
  // a second commit moves HEAD
  git(repo, 'commit', '-q', '-am', 'second');
  const r2 = await gitShowHead(file);
  assert.ok(r2.ok && r2.text.includes('n1..n4'));
});

test('gitShowHead: a file never committed, a repository without commits, a folder outside any repository', async () => {
  const repo = tempDir();
  git(repo, 'init', '-q');
  writeFileSync(join(repo, 'new.topo'), 'x');
  assert.deepEqual(await gitShowHead(join(repo, 'new.topo')), { ok: false, problem: 'the repository has no commit yet' });
  writeFileSync(join(repo, 'old.topo'), 'y');
  git(repo, 'add', 'old.topo');
  git(repo, 'commit', '-q', '-m', 'one');
  assert.deepEqual(await gitShowHead(join(repo, 'new.topo')), { ok: false, problem: 'new.topo is not committed: there is no version of it at HEAD (commit it first)' });
  const outside = tempDir();
  writeFileSync(join(outside, 'c.topo'), 'z');
  // GIT_CEILING_DIRECTORIES is not set by the test: tmpdir must not itself be inside a repository
  const r = await gitShowHead(join(outside, 'c.topo'));
  assert.deepEqual(r, { ok: false, problem: 'c.topo is not in a git repository' });
});

test('headProblem reads the git extension\'s errors the same way', () => {
  assert.equal(headProblem('a.topo', "fatal: path 'x/a.topo' exists on disk, but not in 'HEAD'"), 'a.topo is not committed: there is no version of it at HEAD (commit it first)');
  assert.equal(headProblem('a.topo', "fatal: invalid object name 'HEAD'."), 'the repository has no commit yet');
  assert.equal(headProblem('a.topo', 'fatal: something else\nmore'), 'git could not read a.topo at HEAD: fatal: something else');
});
