// `node bin/topo.js export k8s` as a user runs it (issue 15: export overwrote its own output).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { topo } from './cli';

test('two racks that both have a node db1: one file and one Deployment per node, selected by rack and node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-cli-export-'));
  try {
    writeFileSync(join(dir, 'dup.topo'), [
      'rack ra { node db1 { cores 32 memory 384GiB } }',
      'rack rb { node db1 { cores 32 memory 384GiB } }',
      'container pa { replicas 3 cpu 4 memory 64GiB place on ra.db1 }',
      'container pb { replicas 3 cpu 4 memory 64GiB place on rb.db1 }',
      '',
    ].join('\n'));
    const r = topo(dir, ['export', 'k8s', 'dup.topo', '--out', 'k8s']);
    assert.equal(r.code, 0, r.err);
    const wrote = r.out.trim().split('\n');
    assert.deepEqual([...wrote].sort(), ['wrote k8s/nodes-ra-db1.yaml', 'wrote k8s/nodes-rb-db1.yaml', 'wrote k8s/priorityclasses.yaml']);
    assert.equal(new Set(wrote).size, wrote.length, 'no file written twice');
    assert.deepEqual(readdirSync(join(dir, 'k8s')).sort(), ['nodes-ra-db1.yaml', 'nodes-rb-db1.yaml', 'priorityclasses.yaml']);
    const deployments = readdirSync(join(dir, 'k8s')).flatMap((f) => parseAllDocuments(readFileSync(join(dir, 'k8s', f), 'utf8')).map((d) => d.toJS() as Record<string, any>)) // eslint-disable-line @typescript-eslint/no-explicit-any
      .filter((o) => o.kind === 'Deployment');
    const selectors = Object.fromEntries(deployments.map((d) => [d.metadata.name, d.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]]));
    assert.deepEqual(selectors, {
      pa: { key: 'topo.dev/node', operator: 'In', values: ['ra.db1'] },
      pb: { key: 'topo.dev/node', operator: 'In', values: ['rb.db1'] },
    });
    // again: every file exists, nothing is touched without --force (exit 2)
    const again = topo(dir, ['export', 'k8s', 'dup.topo', '--out', 'k8s']);
    assert.equal(again.code, 2);
    assert.match(again.err, /exists; use --force to overwrite it \(and 2 more files\)/);
    // --out naming a file is a usage error, not a crash
    const onFile = topo(dir, ['export', 'k8s', 'dup.topo', '--out', 'dup.topo']);
    assert.equal(onFile.code, 2);
    assert.match(onFile.err, /--out dup\.topo is a file; give a folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
