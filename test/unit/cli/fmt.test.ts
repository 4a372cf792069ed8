// `topo fmt`: the editor's formatter from the command line. Over the examples, the fixtures, the
// fuzz regressions and generated and mutated programs: formatting through the CLI is idempotent,
// keeps every comment and every token, never touches a file it cannot format; --check and
// --diff write nothing; a write is atomic and keeps permissions, links and byte order marks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatText } from '../../../server/src/core/ide/format';
import { lex } from '../../../server/src/core/syntax/lexer';
import { replaceFile } from '../../../server/src/cli/fmt';
import { corpus, REPO, runIn } from './corpus';

const TRAILING = /[ \t]+$/;

function comments(text: string): string[] {
  return lex(text.replace(/^\ufeff/, '')).comments.map((c) => c.text.replace(TRAILING, ''));
}

function tokens(text: string): string[] {
  const t = lex(text.replace(/^\ufeff/, ''));
  const out: string[] = [];
  for (let i = 0; i < t.count; i++) out.push(text.replace(/^\ufeff/, '').slice(t.start[i], t.end[i]));
  return out;
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'topo-fmt-'));
}

function write(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
}

test('over the corpus: topo fmt is idempotent, keeps every comment and token, and leaves files with syntax errors byte for byte', async () => {
  const cases = corpus({ generated: 150, mutated: 150 });
  let formatted = 0;
  let refused = 0;
  let changed = 0;
  for (const c of cases) {
    const dir = scratch();
    try {
      write(dir, { [c.main]: c.files[c.main] });
      const path = join(dir, c.main);
      const before = readFileSync(path, 'utf8'); // as the disk holds it (a lone surrogate is written as U+FFFD)
      const mtime = statSync(path).mtimeMs;
      const r = await runIn(dir, ['fmt', c.main]);
      const after = readFileSync(path, 'utf8');
      if (formatText(before.replace(/^\ufeff/, ''), path, { insertSpaces: true, tabSize: 2 }) === null) {
        refused++;
        assert.equal(r.code, 1, `${c.name}: ${r.err}`);
        assert.equal(after, before, `${c.name}: a file that cannot be formatted was changed`);
        assert.equal(statSync(path).mtimeMs, mtime, `${c.name}: a file that cannot be formatted was written`);
        assert.match(r.err, /: error T10\d: |could not keep/, c.name);
        continue;
      }
      formatted++;
      assert.equal(r.code, 0, `${c.name}: ${r.err}`);
      if (after !== before) {
        changed++;
        assert.equal(r.out, `${c.main}\n`, c.name);
      } else {
        assert.equal(r.out, '', c.name);
      }
      assert.deepEqual(comments(after), comments(before), `${c.name}: comments`);
      assert.deepEqual(tokens(after), tokens(before), `${c.name}: tokens`);
      const again = await runIn(dir, ['fmt', '--check', c.main]);
      assert.equal(again.code, 0, `${c.name}: not idempotent: ${again.out}${again.err}`);
      assert.equal(readFileSync(path, 'utf8'), after);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  assert.ok(formatted > 100 && refused > 20 && changed > 50, `formatted ${formatted}, changed ${changed}, refused ${refused} of ${cases.length}`);
});

test('the repository\'s examples are formatted (topo fmt --check examples)', async () => {
  const r = await runIn(REPO, ['fmt', '--check', 'examples']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.equal(r.out, '');
});

const MESSY = 'rack r1 {\n    node n1..n2 { cores 8   memory 32GiB }   # two nodes\n\n\n\n  }\n# the app\ncontainer a { cpu 1 memory 1GiB place on r1 }';

test('--check lists the files that are not formatted and writes nothing; exit 1, 0 when all are formatted', async () => {
  const dir = scratch();
  try {
    const good = formatText(MESSY, 'x', { insertSpaces: true, tabSize: 2 });
    assert.ok(good);
    write(dir, { 'a.topo': MESSY, 'sub/b.topo': MESSY, 'sub/ok.topo': good, 'node_modules/c.topo': MESSY, '.hidden/d.topo': MESSY, 'notes.txt': MESSY });
    const r = await runIn(dir, ['fmt', '--check', '.']);
    assert.equal(r.code, 1);
    assert.equal(r.out, 'a.topo\nsub/b.topo\n');
    assert.match(r.err, /these 2 files are not formatted: run `topo fmt` on them/);
    assert.equal(readFileSync(join(dir, 'a.topo'), 'utf8'), MESSY);
    assert.equal((await runIn(dir, ['fmt', '--check', 'sub/ok.topo'])).code, 0);
    assert.equal((await runIn(dir, ['fmt', '--check', 'empty-dir-that-does-not-exist.topo'])).code, 2);
    mkdirSync(join(dir, 'empty'));
    const none = await runIn(dir, ['fmt', 'empty']);
    assert.equal(none.code, 2);
    assert.match(none.err, /no \.topo file in the folder empty/);
    assert.equal((await runIn(dir, ['fmt'])).code, 2);
    assert.equal((await runIn(dir, ['fmt', '--write', 'a.topo'])).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--diff prints a unified diff that patch applies to give the formatted file; nothing is written', async () => {
  const dir = scratch();
  try {
    write(dir, { 'a.topo': MESSY, 'crlf.topo': MESSY.replace(/\n/g, '\r\n') });
    const r = await runIn(dir, ['fmt', '--diff', 'a.topo']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^--- a\.topo\n\+\+\+ a\.topo\n@@ -1,\d+ \+1,\d+ @@\n/);
    assert.match(r.out, /\\ No newline at end of file\n/);
    assert.equal(readFileSync(join(dir, 'a.topo'), 'utf8'), MESSY);
    writeFileSync(join(dir, 'a.diff'), r.out);
    const p = spawnSync('patch', ['-s', '-o', join(dir, 'patched.topo'), join(dir, 'a.topo'), join(dir, 'a.diff')], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    assert.equal(readFileSync(join(dir, 'patched.topo'), 'utf8'), formatText(MESSY, 'a.topo', { insertSpaces: true, tabSize: 2 }));
    const both = await runIn(dir, ['fmt', '--check', '--diff', 'a.topo', 'crlf.topo']);
    assert.equal(both.code, 1);
    assert.equal((both.out.match(/^--- /gm) ?? []).length, 2);
    assert.equal(readFileSync(join(dir, 'crlf.topo'), 'utf8'), MESSY.replace(/\n/g, '\r\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writing: atomic (no temporary file left), permissions, symbolic links, CRLF and a byte order mark are kept', async () => {
  const dir = scratch();
  try {
    write(dir, { 'a.topo': MESSY, 'crlf.topo': MESSY.replace(/\n/g, '\r\n'), 'bom.topo': `\ufeff${MESSY}`, 'real/target.topo': MESSY });
    chmodSync(join(dir, 'a.topo'), 0o640);
    symlinkSync(join(dir, 'real/target.topo'), join(dir, 'link.topo'));
    const r = await runIn(dir, ['fmt', 'a.topo', 'crlf.topo', 'bom.topo', 'link.topo', 'real/target.topo']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'a.topo\ncrlf.topo\nbom.topo\nlink.topo\n', 'the link and its target are one file, formatted once');
    const lf = formatText(MESSY, 'a.topo', { insertSpaces: true, tabSize: 2 });
    assert.equal(readFileSync(join(dir, 'a.topo'), 'utf8'), lf);
    assert.equal(statSync(join(dir, 'a.topo')).mode & 0o777, 0o640);
    assert.equal(readFileSync(join(dir, 'crlf.topo'), 'utf8'), lf?.replace(/\n/g, '\r\n'));
    assert.equal(readFileSync(join(dir, 'bom.topo'), 'utf8'), `\ufeff${lf}`);
    assert.ok(lstatSync(join(dir, 'link.topo')).isSymbolicLink(), 'the link was replaced by a file');
    assert.equal(readFileSync(join(dir, 'real/target.topo'), 'utf8'), lf);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
    assert.deepEqual(readdirSync(join(dir, 'real')).filter((f) => f.endsWith('.tmp')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that changed while it was formatted is not overwritten', () => {
  const dir = scratch();
  try {
    write(dir, { 'a.topo': 'edited meanwhile\n' });
    const problem = replaceFile(join(dir, 'a.topo'), MESSY, 'formatted\n');
    assert.match(problem ?? '', /changed while it was being formatted/);
    assert.equal(readFileSync(join(dir, 'a.topo'), 'utf8'), 'edited meanwhile\n');
    assert.deepEqual(readdirSync(dir), ['a.topo']);
    assert.equal(replaceFile(join(dir, 'a.topo'), 'edited meanwhile\n', 'formatted\n'), null);
    assert.equal(readFileSync(join(dir, 'a.topo'), 'utf8'), 'formatted\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
