// Kubernetes import: spread from topologySpreadConstraints and anti-affinity, one container per
// pod, and a note for every value import fills in (issue 15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { checkText } from '../../../server/src/core/check';
import type { Container, Model } from '../../../server/src/core/model/types';
import { exportKubernetes } from '../../../server/src/core/interop/exportKubernetes';
import { importKubernetes } from '../../../server/src/core/interop/importKubernetes';

const REAL = join(import.meta.dirname, '../../../../shared/realworld');

/** A Deployment `app` (labels app=app) with the pod spec fields given. */
function deployment(name: string, replicas: number, pod: Record<string, unknown>): string {
  return stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `${name}:1`, resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }], ...pod } } },
  });
}

function nodes(zones: number, perZone: number): string {
  const docs: string[] = [];
  for (let z = 1; z <= zones; z++) {
    for (let n = 1; n <= perZone; n++) {
      docs.push(stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: `z${z}n${n}`, labels: { 'topology.kubernetes.io/zone': `zone-${z}`, 'kubernetes.io/hostname': `z${z}n${n}` } }, status: { allocatable: { cpu: '16', memory: '64Gi' } } }));
    }
  }
  return docs.join('---\n');
}

function spreadLine(text: string, container: string): string | undefined {
  const block = new RegExp(`^container ${container} \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(text)?.[1] ?? '';
  return /^ {2}(spread .*)$/m.exec(block)?.[1];
}

function byName(model: Model, name: string): Container {
  const c = model.containers.find((x) => x.name === name);
  assert.ok(c, `container ${name} in ${model.containers.map((x) => x.name).join(', ')}`);
  return c;
}

const own = { matchLabels: { app: 'app' } };
const tsc = (topologyKey: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: own, ...extra });
const anti = (mode: 'required' | 'preferred', topologyKey: string, labelSelector: unknown = own): Record<string, unknown> => ({
  podAntiAffinity: mode === 'required'
    ? { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey, labelSelector }] }
    : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey, labelSelector } }] },
});

test('spread: each constraint maps to the Topo spread that means the same, with a note where it does not quite', () => {
  const cases: { pod: Record<string, unknown>; spread: string | undefined; note?: RegExp }[] = [
    { pod: { topologySpreadConstraints: [tsc('kubernetes.io/hostname')] }, spread: 'spread nodes even' },
    { pod: { topologySpreadConstraints: [tsc('topology.kubernetes.io/zone')] }, spread: 'spread racks even' },
    { pod: { topologySpreadConstraints: [tsc('topology.kubernetes.io/rack')] }, spread: 'spread racks even' },
    { pod: { topologySpreadConstraints: [tsc('kubernetes.io/hostname', { maxSkew: 3 })] }, spread: 'spread nodes even', note: /maxSkew 3 imported as `spread nodes even`, which keeps the replica counts of any two nodes within one of each other \(stricter than 3\)/ },
    { pod: { topologySpreadConstraints: [tsc('kubernetes.io/hostname', { whenUnsatisfiable: 'ScheduleAnyway' })] }, spread: 'spread nodes even', note: /ScheduleAnyway is a preference; Topo checks `spread nodes even` as a rule/ },
    { pod: { topologySpreadConstraints: [tsc('kubernetes.io/hostname', { minDomains: 3 })] }, spread: 'spread nodes even', note: /minDomains has no Topo equivalent/ },
    { pod: { topologySpreadConstraints: [tsc('example.com/power-feed')] }, spread: undefined, note: /over `example\.com\/power-feed`, which is neither a node nor a rack label; ignored/ },
    { pod: { topologySpreadConstraints: [tsc('kubernetes.io/hostname', { labelSelector: { matchLabels: { app: 'other' } } })] }, spread: undefined, note: /labelSelector does not select its own pods/ },
    { pod: { topologySpreadConstraints: [tsc('topology.kubernetes.io/region')] }, spread: 'spread racks even', note: /over regions .* imported as over racks/ },
    { pod: { topologySpreadConstraints: [tsc('kubernetes.io/hostname'), tsc('topology.kubernetes.io/zone')] }, spread: 'spread racks even', note: /also spread nodes even \(topologySpreadConstraints\[0\]\); a Topo container has one spread: kept `spread racks even`/ },
    { pod: { affinity: anti('required', 'kubernetes.io/hostname') }, spread: 'spread nodes' },
    { pod: { affinity: anti('required', 'topology.kubernetes.io/zone') }, spread: 'spread racks' },
    { pod: { affinity: anti('required', 'kubernetes.io/hostname'), topologySpreadConstraints: [tsc('topology.kubernetes.io/zone')] }, spread: 'spread nodes', note: /also spread racks even .*kept `spread nodes`/ },
    { pod: { affinity: anti('preferred', 'kubernetes.io/hostname') }, spread: 'spread nodes even', note: /preferred pod anti-affinity .* imported as `spread nodes even`/ },
    { pod: { affinity: anti('required', 'kubernetes.io/hostname', { matchLabels: { app: 'db' } }) }, spread: undefined, note: /pod anti-affinity to other pods has no Topo equivalent/ },
    { pod: { affinity: anti('required', 'kubernetes.io/hostname', { matchExpressions: [{ key: 'app', operator: 'In', values: ['app', 'x'] }] }) }, spread: 'spread nodes' },
  ];
  for (const [i, c] of cases.entries()) {
    const r = importKubernetes([{ path: 'a.yaml', text: deployment('app', 4, c.pod) }]);
    assert.deepEqual(r.errors, [], `case ${i}`);
    assert.equal(spreadLine(r.text, 'app'), c.spread, `case ${i}: ${JSON.stringify(c.pod)}\n${r.text}`);
    const spreadNotes = r.notes.filter((n) => /spread|anti-affinity|maxSkew|ScheduleAnyway|minDomains|regions|topology/.test(n.message));
    if (c.note) assert.ok(spreadNotes.some((n) => c.note!.test(n.message)), `case ${i}: ${spreadNotes.map((n) => n.message).join('\n')}`);
    else assert.deepEqual(spreadNotes.map((n) => n.message), [], `case ${i}: an exact mapping needs no note`);
  }
});

test('maxSkew 1 over zones with more replicas than racks: `spread racks even`, no false T405 (issue 15)', () => {
  const r = importKubernetes([{ path: 'nodes.yaml', text: nodes(2, 3) }, { path: 'app.yaml', text: deployment('app', 6, { topologySpreadConstraints: [tsc('topology.kubernetes.io/zone')] }) }]);
  assert.deepEqual(r.errors, []);
  assert.equal(spreadLine(r.text, 'app'), 'spread racks even');
  const diags = checkText(r.text).diagnostics;
  assert.deepEqual(diags.map((d) => `${d.code} ${d.message}`), []);
});

test('a pod is one container: every replica keeps its sidecar; requests and limits as the scheduler counts them', () => {
  const text = stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop' },
    spec: {
      replicas: 3, selector: { matchLabels: { app: 'shop' } },
      template: {
        metadata: { labels: { app: 'shop' } },
        spec: {
          overhead: { cpu: '250m', memory: '120Mi' },
          initContainers: [
            { name: 'migrate', image: 'migrate:1', resources: { requests: { cpu: '3', memory: '512Mi' }, limits: { cpu: '3', memory: '512Mi' } } },
            { name: 'mesh', image: 'envoy:1', restartPolicy: 'Always', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
          ],
          containers: [
            { name: 'web', image: 'web:2', resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } } },
            { name: 'log', image: 'fluent:1', resources: { requests: { cpu: '200m', memory: '256Mi' } } },
          ],
        },
      },
    },
  });
  const r = importKubernetes([{ path: 'shop.yaml', text }]);
  assert.deepEqual(r.errors, []);
  const model = checkText(r.text).model;
  assert.deepEqual(model.containers.map((c) => c.name), ['shop']);
  const shop = byName(model, 'shop');
  assert.equal(shop.replicas, 3);
  assert.equal(shop.image, 'web:2');
  // by hand: cpu requests: running = web 1 + log 0.2 + mesh 0.1 = 1.3; init migrate 3 (before the
  // sidecar, so alone) -> max(1.3, 3) = 3; + overhead 0.25 = 3.25. Limits: web 2 + log 0.2 (= its
  // request) + mesh 0.2 = 2.4; init 3 -> 3 + 0.25 = 3.25.
  // memory requests: 2048 + 256 + 64 = 2368 MiB vs init 512 -> 2368 + 120 = 2488 MiB; limits
  // 4096 + 256 + 128 = 4480 -> + 120 = 4600 MiB.
  assert.deepEqual([Math.round(shop.cpuRequest * 1000), Math.round(shop.cpuLimit * 1000)], [3250, 3250]);
  assert.deepEqual([shop.memoryRequest / 2 ** 20, shop.memoryLimit / 2 ** 20], [2488, 4600]);
  const merged = r.notes.find((n) => n.message.startsWith('Deployment shop: the pod\'s 4 containers'));
  assert.ok(merged, r.notes.map((n) => n.message).join('\n'));
  assert.match(merged.message, /migrate \(migrate:1\) \[init\], mesh \(envoy:1\) \[sidecar\], web \(web:2\), log \(fluent:1\) imported as one Topo container shop with their requests and limits summed; init containers count/);
  const filled = r.notes.find((n) => n.message.startsWith('Deployment shop: filled in'));
  assert.equal(filled?.message, 'Deployment shop: filled in log: cpu limit 200m = its request (no limit; Topo needs one), memory limit 256MiB = its request (no limit; Topo needs one)');
  assert.match(r.text, /# Deployment shop: one pod of 4 containers, imported as one container:\n# {3}migrate migrate:1 \(init\)\n# {3}mesh envoy:1 \(sidecar\)\n# {3}web web:2\n# {3}log fluent:1\n/);
});

test('a colocated sidecar is no longer placed with one replica only: three replicas, each with its sidecar, on three nodes', () => {
  // the old import made `colocate` of the second container to the first; now one container per pod
  const pod = {
    affinity: anti('required', 'kubernetes.io/hostname', { matchLabels: { app: 'api' } }),
    containers: [
      { name: 'api', image: 'api:1', resources: { requests: { cpu: '2', memory: '4Gi' } } },
      { name: 'proxy', image: 'proxy:1', resources: { requests: { cpu: '1', memory: '1Gi' } } },
    ],
  };
  const text = stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 3, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: pod } } });
  const r = importKubernetes([{ path: 'n.yaml', text: nodes(1, 4) }, { path: 'api.yaml', text }]);
  assert.deepEqual(r.errors, []);
  const res = checkText(r.text);
  assert.deepEqual(res.diagnostics.map((d) => `${d.code} ${d.message}`), []);
  const api = byName(res.model, 'api');
  assert.deepEqual([api.replicas, api.cpuRequest, api.memoryRequest, api.spread, api.colocate], [3, 3, 5 * 2 ** 30, 'nodes', null]);
  assert.ok(res.placement);
  const perNode = res.placement.targets.flatMap((tp) => tp.nodes).map((n) => n.replicas.filter((x) => x.container === 'api').length);
  assert.deepEqual(perNode.filter((k) => k > 0), [1, 1, 1]);
});

test('defaults import fills in are notes: limit = request, request = limit, replicas, volume claims, rollout surge, explicit zero', () => {
  const docs = [
    stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'plain' }, spec: { replicas: 2, selector: { matchLabels: { app: 'plain' } }, template: { metadata: { labels: { app: 'plain' } }, spec: { containers: [{ name: 'c', image: 'c:1', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] } } } }),
    stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'limited' }, spec: { selector: { matchLabels: { app: 'limited' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } }, template: { metadata: { labels: { app: 'limited' } }, spec: { containers: [{ name: 'c', image: 'c:1', resources: { limits: { cpu: '2', memory: '2Gi' } } }] } } } }),
    stringify({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'pg' }, spec: { replicas: 3, serviceName: 'pg', selector: { matchLabels: { app: 'pg' } }, template: { metadata: { labels: { app: 'pg' } }, spec: { containers: [{ name: 'pg', image: 'postgres:16', resources: { requests: { cpu: '0', memory: '1Gi' }, limits: { memory: '1Gi' } } }] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '100Gi' } } } }] } }),
  ];
  const r = importKubernetes([{ path: 'd.yaml', text: docs.join('---\n') }]);
  assert.deepEqual(r.errors, []);
  const msgs = r.notes.map((n) => n.message);
  const has = (re: RegExp): void => assert.ok(msgs.some((m) => re.test(m)), `${re}\n${msgs.join('\n')}`);
  has(/^Deployment plain: filled in cpu limit 500m = its request \(no limit; Topo needs one\), memory limit 1GiB = its request/);
  has(/^Deployment limited: filled in cpu request 2 = its limit \(as Kubernetes does\), memory request 2GiB = its limit \(as Kubernetes does\)$/);
  has(/^Deployment limited: no spec\.replicas; imported with replicas 1 \(the Kubernetes default/);
  has(/^Deployment limited: a rolling update runs up to maxSurge 2 extra pods at once; Topo does not count them/);
  has(/^Deployment plain: a rolling update runs up to maxSurge 25% \(the default\)/);
  has(/^StatefulSet pg: volumeClaimTemplates \(data 100Gi\) not imported: Topo models no volumes/);
  has(/^StatefulSet pg: spec\.serviceName has no Topo equivalent/);
  has(/^StatefulSet pg: filled in cpu limit 0 = its request .*cpu request 1m \(the pod requests 0; Topo needs more\)/);
  const model = checkText(r.text).model;
  assert.deepEqual([byName(model, 'pg').cpuRequest, byName(model, 'pg').cpuLimit], [0.001, 0.001]);
});

test('round trip keeps Topo names Kubernetes cannot hold (topo.dev/name)', () => {
  const before = checkText('rack r1 { node n1..n3 { cores 8 memory 32GiB } }\ncontainer Web_1 { replicas 2 cpu 1 memory 1GiB spread nodes place on r1 }\ncontainer api { cpu 1 memory 1GiB talks Web_1 place on r1 }\n').model;
  const r = importKubernetes(exportKubernetes(before).files);
  assert.deepEqual(r.errors, []);
  const after = checkText(r.text).model;
  assert.deepEqual(after.containers.map((c) => c.name).sort(), ['Web_1', 'api']);
  assert.equal(after.containers.find((c) => c.name === 'api')?.talks.map((t) => after.containers[t.container]?.name).join(), 'Web_1');
  assert.equal(byName(after, 'Web_1').spread, 'nodes');
});

test('real-world: online-boutique with a spread constraint and a sidecar added imports and checks clean', (t) => {
  const p = join(REAL, 'online-boutique.k8s.yaml');
  if (!existsSync(p)) return t.skip(`${p} absent`);
  const docs = parseAllDocuments(readFileSync(p, 'utf8')).map((d) => d.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
  const frontend = docs.find((d) => d?.kind === 'Deployment' && d.metadata.name === 'frontend');
  assert.ok(frontend);
  frontend.spec.replicas = 5;
  const pod = frontend.spec.template.spec;
  pod.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: frontend.spec.template.metadata.labels } }];
  const server = pod.containers[0];
  pod.containers.push({ name: 'proxy', image: 'envoyproxy/envoy:v1.30', resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } } });
  const text = docs.filter(Boolean).map((d) => stringify(d)).join('---\n');
  const r = importKubernetes([{ path: 'online-boutique+.yaml', text }]);
  assert.deepEqual(r.errors, []);
  assert.equal(spreadLine(r.text, 'frontend'), 'spread nodes even');
  const model = checkText(r.text).model;
  assert.equal(model.containers.length, 12);
  const fe = byName(model, 'frontend');
  const req = (q: string): number => (q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000);
  assert.equal(Math.round(fe.cpuRequest * 1000), req(server.resources.requests.cpu) + 50);
  assert.equal(fe.replicas, 5);
  assert.deepEqual(checkText(r.text).diagnostics.map((d) => `${d.code} ${d.message}`), []);
});
