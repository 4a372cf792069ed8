import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkProgram } from '../../../server/src/core/check';
import { MemoryHost } from '../../../server/src/core/host';
import { checkWithAsyncReads } from '../../../client/src/programLoader';

/** A reader over a map that records every call (and can fail). */
function reader(files: Record<string, string>, fail: ReadonlySet<string> = new Set()) {
  const calls: string[] = [];
  const read = async (path: string): Promise<string | undefined> => {
    calls.push(path);
    await new Promise((r) => setTimeout(r, 1));
    if (fail.has(path)) throw new Error(`EACCES ${path}`);
    return files[path];
  };
  return { calls, read };
}

const summary = (r: ReturnType<typeof checkProgram>) => ({
  files: [...r.trees.keys()],
  racks: r.model.racks.map((x) => x.name),
  containers: r.model.containers.map((c) => `${c.name} on ${JSON.stringify(c.target)}`),
  diagnostics: r.diagnostics.map((d) => `${d.file} ${d.code} ${d.span.start}-${d.span.end} ${d.message}`),
});

describe('checkWithAsyncReads', () => {
  const files = {
    '/ws/main.topo': 'import "hw/racks.topo"\nimport "apps.topo"\ncontainer web { cpu 2 memory 4GiB talks db place on r2 }\n',
    '/ws/hw/racks.topo': 'import "more.topo"\nrack r1 { node n1..n2 { cores 8 memory 32GiB } }\n',
    '/ws/hw/more.topo': 'rack r2 { node n1 { cores 16 memory 64GiB } }\n',
    '/ws/apps.topo': 'import "hw/more.topo"\ncontainer db { cpu 4 memory 8GiB place on r1 }\n',
  };

  it('follows nested and shared imports and gives what the synchronous check gives', async () => {
    const { calls, read } = reader(files);
    const root = '/ws/main.topo';
    const { result, read: attempted } = await checkWithAsyncReads(root, files[root], read, '/ws');
    const expected = checkProgram(root, new MemoryHost(new Map(Object.entries(files)), '/ws'), { rootText: files[root] });
    assert.deepEqual(summary(result), summary(expected));
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.deepEqual(summary(result).racks, ['r2', 'r1']); // declaration order: imports first
    assert.deepEqual(summary(result).containers.map((c) => c.split(' ')[0]), ['db', 'web']);
    // Each imported file read once (more.topo is imported twice), the root not at all.
    assert.deepEqual([...calls].sort(), ['/ws/apps.topo', '/ws/hw/more.topo', '/ws/hw/racks.topo']);
    assert.deepEqual([...attempted].sort(), [...calls].sort());
  });

  it('uses the root text it is given, not the reader', async () => {
    const { calls, read } = reader({ '/ws/main.topo': 'container stale { cpu 1 memory 1GiB }' });
    const { result } = await checkWithAsyncReads('/ws/main.topo', 'rack r1 { node n1 { cores 2 memory 4GiB } }\ncontainer fresh { cpu 1 memory 1GiB place on r1 }', read, '/ws');
    assert.deepEqual(result.model.containers.map((c) => c.name), ['fresh']);
    assert.deepEqual(calls, []);
  });

  it('reports missing, unreadable and cyclic imports as T204 and does not read outside the workspace', async () => {
    const { calls, read } = reader({
      '/ws/a.topo': 'import "b.topo"\n',
      '/ws/b.topo': 'import "a.topo"\n',
      '/outside.topo': 'rack x { node n1 { cores 1 memory 1GiB } }',
    }, new Set(['/ws/locked.topo']));
    const text = 'import "a.topo"\nimport "gone.topo"\nimport "locked.topo"\nimport "../outside.topo"\n';
    const { result } = await checkWithAsyncReads('/ws/main.topo', text, read, '/ws');
    const t204 = result.diagnostics.filter((d) => d.code === 'T204').map((d) => d.message);
    assert.equal(t204.length, 4, t204.join('\n'));
    assert.ok(t204.some((m) => /cyclic import: a\.topo -> b\.topo -> a\.topo/.test(m)), t204.join('\n'));
    assert.ok(t204.some((m) => /import not found: `gone\.topo`/.test(m)));
    assert.ok(t204.some((m) => /import not found: `locked\.topo`/.test(m)));
    assert.ok(t204.some((m) => /`\.\.\/outside\.topo` is outside the workspace/.test(m)));
    assert.ok(!calls.includes('/outside.topo'), 'read a file outside the workspace');
    assert.equal(result.model.racks.length, 0);
    assert.deepEqual([...calls].sort(), ['/ws/a.topo', '/ws/b.topo', '/ws/gone.topo', '/ws/locked.topo']);
  });

  it('without a workspace root, the root file\'s folder is the limit', async () => {
    const { calls, read } = reader({ '/ws/sub/hw.topo': 'rack r1 { node n1 { cores 2 memory 4GiB } }', '/ws/hw.topo': '' });
    const { result } = await checkWithAsyncReads('/ws/sub/main.topo', 'import "hw.topo"\nimport "../hw.topo"\n', read);
    assert.deepEqual(result.model.racks.map((r) => r.name), ['r1']);
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['T204']);
    assert.deepEqual(calls, ['/ws/sub/hw.topo']);
  });
});
