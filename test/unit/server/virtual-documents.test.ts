import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UriMap } from '../../../server/src/server/uris';
import { NodeFileHost } from '../../../server/src/node/fileHost';
import { checkProgram } from '../../../server/src/core/check';

test('documents of virtual workspaces map under /<scheme>/ and are never read from the local disk', () => {
  const uris = new UriMap();
  assert.equal(uris.path('file:///home/me/a.topo'), '/home/me/a.topo');
  assert.deepEqual(uris.virtualRoots(), []);
  const root = uris.path('vscode-vfs://github/me/repo');
  assert.equal(root, '/vscode-vfs/github/me/repo');
  assert.equal(uris.path('vscode-vfs://github/me/repo/app.topo'), '/vscode-vfs/github/me/repo/app.topo');
  assert.deepEqual(uris.virtualRoots(), ['/vscode-vfs/']);
  assert.equal(uris.uri('/vscode-vfs/github/me/repo/app.topo'), 'vscode-vfs://github/me/repo/app.topo');

  // A real directory standing where a virtual path points: the host must not read it.
  const disk = mkdtempSync(join(tmpdir(), 'topo-virtual-'));
  try {
    const fake = `${disk}/`;
    mkdirSync(join(disk, 'repo'));
    writeFileSync(join(disk, 'repo', 'hw.topo'), 'rack r1 { node n1 { cores 8 memory 32GiB } }\n');
    const app = join(disk, 'repo', 'app.topo');
    const text = 'import "hw.topo"\ncontainer web { cpu 1 memory 1GiB place on r1 }\n';
    const onDisk = checkProgram(app, new NodeFileHost(join(disk, 'repo'), new Map([[app, text]])), { rootText: text });
    assert.deepEqual(onDisk.diagnostics.map((d) => d.code), [], 'a file: document reads its import from disk');
    const virtual = checkProgram(app, new NodeFileHost(join(disk, 'repo'), new Map([[app, text]]), [fake]), { rootText: text });
    assert.deepEqual(virtual.diagnostics.map((d) => d.code).sort(), ['T200', 'T204'], 'a virtual document sees only open documents');
    const withOpen = new Map([[app, text], [join(disk, 'repo', 'hw.topo'), 'rack r1 { node n1 { cores 8 memory 32GiB } }\n']]);
    assert.deepEqual(checkProgram(app, new NodeFileHost(join(disk, 'repo'), withOpen, [fake]), { rootText: text }).diagnostics, [], 'an open import resolves');
  } finally {
    rmSync(disk, { recursive: true, force: true });
  }
});
