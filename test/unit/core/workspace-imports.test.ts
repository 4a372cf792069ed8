// Imports cannot leave the workspace (T204), whatever the path says (`../`, absolute, a symbolic
// link to a file or to a folder outside), on a real file system through the Node file host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkProgram, type CheckResult } from '../../../server/src/core/check';
import { NodeFileHost } from '../../../server/src/node/fileHost';

const NODE = '{ node n1 { cores 4 memory 8GiB } }';
let base = '';
let ws = '';
let outside = '';

before(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'topo-imports-')));
  ws = join(base, 'ws');
  outside = join(base, 'outside');
  mkdirSync(join(ws, 'sub', 'deeper'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.topo'), `rack secret ${NODE}\n`);
  writeFileSync(join(ws, 'hw.topo'), `rack inside ${NODE}\n`);
  symlinkSync(join(outside, 'secret.topo'), join(ws, 'sub', 'link.topo')); // a file link leading out
  symlinkSync(outside, join(ws, 'out')); // a folder link leading out
  symlinkSync(join(ws, 'hw.topo'), join(ws, 'sub', 'alias.topo')); // a link that stays inside
  symlinkSync('.', join(ws, 'loop')); // a folder that contains itself
  symlinkSync(ws, join(base, 'ws-link')); // the workspace opened through a link
});
after(() => rmSync(base, { recursive: true, force: true }));

function check(rel: string, text: string, root = ws): CheckResult {
  const file = join(root, rel);
  writeFileSync(file, text);
  return checkProgram(file, new NodeFileHost(root));
}

const codes = (r: CheckResult): string[] => r.diagnostics.map((d) => d.code);
const racks = (r: CheckResult): string[] => r.model.racks.map((x) => x.name);

test('`../` out of the workspace is T204, and nothing outside is read', () => {
  for (const path of ['../outside/secret.topo', 'sub/../../outside/secret.topo', 'sub/deeper/../../../outside/secret.topo', `${outside}/secret.topo`]) {
    const r = check('main.topo', `import "${path}"\nrack r1 ${NODE}\n`);
    assert.deepEqual(codes(r), ['T204'], path);
    assert.match(r.diagnostics[0].message, /outside the workspace/, path);
    assert.doesNotMatch(r.diagnostics[0].message, /symbolic link/, path);
    assert.deepEqual(racks(r), ['r1'], `${path}: the outside file was not loaded`);
    assert.equal(r.trees.size, 1);
  }
});

test('`../` that stays inside the workspace is fine', () => {
  const r = check('sub/deeper/app.topo', `import "../../hw.topo"\ncontainer c { cpu 1 memory 1GiB place on inside }\n`);
  assert.deepEqual(codes(r), []);
  assert.deepEqual(racks(r), ['inside']);
});

test('a symbolic link to a file outside the workspace is T204 and says so', () => {
  const r = check('main.topo', `import "sub/link.topo"\nrack r1 ${NODE}\n`);
  assert.deepEqual(codes(r), ['T204']);
  assert.match(r.diagnostics[0].message, /outside the workspace .*a symbolic link leads outside/);
  assert.deepEqual(racks(r), ['r1']);
});

test('a symbolic link to a folder outside the workspace is T204', () => {
  const r = check('main.topo', `import "out/secret.topo"\nrack r1 ${NODE}\n`);
  assert.deepEqual(codes(r), ['T204']);
  assert.match(r.diagnostics[0].message, /outside the workspace .*symbolic link/);
  assert.deepEqual(racks(r), ['r1']);
});

test('a symbolic link that stays inside is followed; the same file reached twice is loaded once', () => {
  const r = check('main.topo', 'import "sub/alias.topo"\nimport "hw.topo"\ncontainer c { cpu 1 memory 1GiB place on inside }\n');
  assert.deepEqual(codes(r), [], r.diagnostics.map((d) => d.message).join('\n'));
  assert.deepEqual(racks(r), ['inside']);
});

test('a workspace opened through a symbolic link still holds its own files', () => {
  const linked = join(base, 'ws-link');
  const r = check('main2.topo', 'import "hw.topo"\ncontainer c { cpu 1 memory 1GiB place on inside }\n', linked);
  assert.deepEqual(codes(r), []);
  const out = check('main3.topo', 'import "../outside/secret.topo"\n', linked);
  assert.deepEqual(codes(out), ['T204']);
});

test('a folder link that contains itself is one cyclic import (T204), not a chain of copies', () => {
  const r = check('a.topo', `import "loop/a.topo"\nrack r1 ${NODE}\n`);
  assert.deepEqual(codes(r), ['T204'], r.diagnostics.map((d) => `${d.code} ${d.message}`).slice(0, 3).join('\n'));
  assert.match(r.diagnostics[0].message, /cyclic import: a\.topo -> a\.topo .*symbolic link/);
  assert.equal(r.trees.size, 1);
});

test('a -> b -> a on disk is a cycle (T204) naming the chain', () => {
  writeFileSync(join(ws, 'b.topo'), `import "c.topo"\nrack rb ${NODE}\n`);
  writeFileSync(join(ws, 'c.topo'), `import "a2.topo"\nrack rc ${NODE}\n`);
  const r = check('a2.topo', `import "b.topo"\nrack ra ${NODE}\n`);
  assert.deepEqual(codes(r), ['T204']);
  assert.match(r.diagnostics[0].message, /cyclic import: a2\.topo -> b\.topo -> c\.topo -> a2\.topo/);
  assert.equal(r.diagnostics[0].file, join(ws, 'c.topo'));
  assert.deepEqual(racks(r).sort(), ['ra', 'rb', 'rc']);
});

test('a folder, a missing file and an empty path are T204 "not found", not a crash', () => {
  const r = check('main.topo', 'import "sub"\nimport "nope.topo"\nimport ""\n');
  assert.deepEqual(codes(r), ['T204', 'T204', 'T204']);
  assert.match(r.diagnostics[0].message, /not found/);
  assert.match(r.diagnostics[1].message, /not found/);
  assert.match(r.diagnostics[2].message, /empty import path/);
});

test('without a workspace root, the importing file\'s folder is the limit', () => {
  const file = join(ws, 'sub', 'alone.topo');
  writeFileSync(file, 'import "../hw.topo"\n');
  const r = checkProgram(file, new NodeFileHost(undefined));
  assert.deepEqual(codes(r), ['T204']);
  assert.match(r.diagnostics[0].message, /outside the workspace/);
});
