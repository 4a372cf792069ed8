// `node bin/topo.js import` as a user runs it, then `topo check` on what it wrote (issue 15:
// Compose v2 keys ignored, maxSkew 1 as one-per-rack, sidecars with one replica only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { topo } from './cli';

const FIX = resolve(__dirname, '../fixtures/interop');

function block(text: string, container: string): string {
  return new RegExp(`^container ${container} \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(text)?.[1] ?? '';
}

test('topo import compose: mem_limit, mem_reservation, cpus are imported and the notes say what was filled in', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-cli-import-'));
  try {
    copyFileSync(join(FIX, 'v2.compose.yaml'), join(dir, 'v2.compose.yaml'));
    const r = topo(dir, ['import', 'compose', 'v2.compose.yaml', '--out', 'v2.topo']);
    assert.equal(r.code, 0, r.err);
    const text = readFileSync(join(dir, 'v2.topo'), 'utf8');
    assert.match(block(text, 'db'), /cpu request 2 limit 2\n {2}memory request 4GiB limit 8GiB\n/);
    assert.match(block(text, 'search'), /cpu request 2 limit 4\n {2}memory request 32GiB limit 32GiB\n/);
    assert.match(r.err, /^v2\.compose\.yaml:\d+:\d+: note: service db: filled in cpu request 2 = its limit \(no reservation; Topo counts requests\)$/m);
    assert.doesNotMatch(r.err, /service (db|search|worker|same): .*using defaults/);
    const check = topo(dir, ['check', 'v2.topo']);
    assert.equal(check.code, 0, check.out);
    assert.match(check.out, /1 file checked: 0 errors, 0 warnings/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('topo import k8s: maxSkew 1 over zones is `spread racks even`, a two-container pod one container per replica', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-cli-import-'));
  try {
    const nodes = [1, 2].flatMap((z) => [1, 2, 3].map((n) => stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: `z${z}n${n}`, labels: { 'topology.kubernetes.io/zone': `zone-${z}` } }, status: { allocatable: { cpu: '16', memory: '64Gi' } } })));
    const web = stringify({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: {
        replicas: 6, selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
            containers: [
              { name: 'web', image: 'web:1', resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } } },
              { name: 'envoy', image: 'envoy:1', resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
            ],
          },
        },
      },
    });
    writeFileSync(join(dir, 'cluster.yaml'), [...nodes, web].join('---\n'));
    const r = topo(dir, ['import', 'k8s', 'cluster.yaml', '--out', 'cluster.topo']);
    assert.equal(r.code, 0, r.err);
    const text = readFileSync(join(dir, 'cluster.topo'), 'utf8');
    assert.deepEqual([...text.matchAll(/^container (\S+)/gm)].map((m) => m[1]), ['web']);
    assert.match(block(text, 'web'), /replicas 6\n {2}cpu request 1250m limit 2500m\n {2}memory request 2304MiB limit 2304MiB\n/);
    assert.match(block(text, 'web'), /^ {2}spread racks even$/m);
    assert.match(r.err, /note: Deployment web: the pod's 2 containers web \(web:1\), envoy \(envoy:1\) imported as one Topo container web/);
    writeFileSync(join(dir, 'checked.topo'), text);
    const check = topo(dir, ['check', 'checked.topo']);
    assert.equal(check.code, 0, check.out);
    assert.match(check.out, /0 errors, 0 warnings/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
