import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Namespace, ResourceQuota } from 'kubernetes-models/v1';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import { checkText } from '../../../server/src/core/check';
import type { Model } from '../../../server/src/core/model/types';
import { exportKubernetes } from '../../../server/src/core/interop/exportKubernetes';
import { importKubernetes } from '../../../server/src/core/interop/importKubernetes';

const EXAMPLES = join(import.meta.dirname, '../../../examples');

function modelOf(text: string): Model {
  const r = checkText(text);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return r.model;
}

function objects(files: { path: string; text: string }[]): Record<string, unknown>[] {
  return files.flatMap((f) => parseAllDocuments(f.text).flatMap((d) => {
    assert.deepEqual(d.errors, []);
    return [d.toJS() as Record<string, unknown>];
  }));
}

function validate(obj: Record<string, unknown>): void {
  const kinds: Record<string, new (o: never) => { validate(): void }> = { Deployment, Namespace, ResourceQuota, PriorityClass };
  const Ctor = kinds[String(obj.kind)];
  assert.ok(Ctor, `unexpected kind ${String(obj.kind)}`);
  new Ctor(obj as never).validate();
}

const SAMPLE = `
defaults { oversubscribe cpu 2.0 memory 1.5 }
rack r1 { node n1..n3 { cores 16 memory 64GiB } }
rack r2 { node m1..m3 { cores 16 memory 64GiB } }
sds big { nodes r2.m1..m3 reserve cores 1 memory 4GiB }
container web { image "web:1" replicas 3 cpu request 500m limit 1500m memory request 256MiB limit 1GiB spread nodes priority high place on r1 }
container side { replicas 3 cpu 250m memory 128MiB colocate web place on r1 talks web weight 25% talks db }
container db { image "pg:16" replicas 1 cpu 4 memory 16GiB priority low place on big }
container pinned { replicas 2 cpu 1 memory 1GiB place on r1.n1, r1.n2 spread nodes }
`;

test('every exported object validates against the Kubernetes schema', () => {
  for (const text of [SAMPLE, ...['microservices-rack.topo', 'multi-rack.topo', 'analytics-sds.topo', 'spec-example.topo'].map((f) => readFileSync(join(EXAMPLES, f), 'utf8'))]) {
    const model = checkText(text).model;
    const objs = objects(exportKubernetes(model).files);
    assert.ok(objs.some((o) => o.kind === 'Deployment'));
    for (const o of objs) validate(o);
  }
});

test('export: one manifest set per target, quota encodes the oversubscription allowance, affinity to labels', () => {
  const { files } = exportKubernetes(modelOf(SAMPLE));
  assert.deepEqual(files.map((f) => f.path).sort(), ['big.yaml', 'nodes-r1-n1-n2.yaml', 'priorityclasses.yaml', 'r1.yaml']);
  const objs = objects(files);
  const quota = (ns: string): unknown => objs.find((o) => o.kind === 'ResourceQuota' && (o.metadata as { namespace: string }).namespace === ns)?.spec;
  assert.deepEqual(quota('topo-r1'), { hard: { 'requests.cpu': '48', 'requests.memory': '192Gi', 'limits.cpu': '96', 'limits.memory': '288Gi' } });
  assert.deepEqual(quota('topo-big'), { hard: { 'requests.cpu': '45', 'requests.memory': '180Gi', 'limits.cpu': '90', 'limits.memory': '270Gi' } });
  const dep = (name: string): Record<string, unknown> => {
    const d = objs.find((o) => o.kind === 'Deployment' && (o.metadata as { name: string }).name === name);
    assert.ok(d, name);
    return d;
  };
  const db = JSON.stringify(dep('db'));
  assert.ok(db.includes('"key":"topo.dev/sds","operator":"In","values":["big"]'), db);
  assert.ok(JSON.stringify(dep('web')).includes('"key":"topology.kubernetes.io/zone","operator":"In","values":["r1"]'));
  assert.ok(JSON.stringify(dep('pinned')).includes('"key":"topo.dev/node","operator":"In","values":["r1.n1","r1.n2"]'));
  assert.ok(JSON.stringify(dep('web')).includes('"requests":{"cpu":"500m","memory":"256Mi"},"limits":{"cpu":"1500m","memory":"1Gi"}'));
});

test('round trip: export then import gives back the same containers', () => {
  for (const text of [SAMPLE, readFileSync(join(EXAMPLES, 'microservices-rack.topo'), 'utf8'), readFileSync(join(EXAMPLES, 'multi-rack.topo'), 'utf8')]) {
    const before = modelOf(text);
    const { files } = exportKubernetes(before);
    const imported = importKubernetes(files);
    assert.deepEqual(imported.errors, []);
    const after = checkText(imported.text).model;
    const summary = (m: Model): unknown[] => m.containers.map((c) => ({
      name: c.name, image: c.image, replicas: c.replicas, cpu: [c.cpuRequest, c.cpuLimit], memory: [c.memoryRequest, c.memoryLimit],
      spread: c.spread, talks: c.talks.map((t) => `${m.containers[t.container]?.name ?? '?'} ${Math.round(t.weight * 100)}`).sort(), colocate: c.colocate ? m.containers[c.colocate.container]?.name : null, priority: c.priority,
    })).sort((a, b) => String(a.name).localeCompare(String(b.name)));
    assert.deepEqual(summary(after), summary(before));
  }
});

test('`spread nodes` / `spread racks` (one replica per node / rack) export as required anti-affinity to the own pods', () => {
  const { files } = exportKubernetes(modelOf(SAMPLE + 'rack r3 { node k1 { cores 8 memory 32GiB } }\ncontainer zoned { replicas 2 cpu 1 memory 1GiB spread racks place on r1.n3, r3.k1 }\n'));
  const objs = objects(files);
  const spec = (name: string): Record<string, any> => (objs.find((o) => o.kind === 'Deployment' && (o.metadata as { name: string }).name === name) as Record<string, any>).spec.template.spec; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.deepEqual(spec('web').affinity.podAntiAffinity, { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'topo.dev/container': 'web' } }, topologyKey: 'kubernetes.io/hostname' }] });
  assert.deepEqual(spec('zoned').affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, 'topology.kubernetes.io/zone');
  assert.equal(spec('web').topologySpreadConstraints, undefined);
  for (const o of objs) validate(o);
});

test('`spread nodes even` / `spread racks even` export as a spread constraint with maxSkew 1, and import back the same', () => {
  const text = 'rack r1 { node n1..n3 { cores 8 memory 32GiB } }\nrack r2 { node n1..n3 { cores 8 memory 32GiB } }\n'
    + 'container web { replicas 5 cpu 1 memory 1GiB spread nodes even place on r1 }\ncontainer api { replicas 5 cpu 1 memory 1GiB spread racks even place on r1.*, r2.* }\n';
  const before = modelOf(text);
  const objs = objects(exportKubernetes(before).files);
  const spec = (name: string): Record<string, any> => (objs.find((o) => o.kind === 'Deployment' && (o.metadata as { name: string }).name === name) as Record<string, any>).spec.template.spec; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.deepEqual(spec('web').topologySpreadConstraints, [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { 'topo.dev/container': 'web' } } }]);
  assert.equal(spec('api').topologySpreadConstraints[0].topologyKey, 'topology.kubernetes.io/zone');
  assert.equal(spec('web').affinity.podAntiAffinity, undefined);
  for (const o of objs) validate(o);
  const imported = importKubernetes(exportKubernetes(before).files).text;
  assert.match(imported, /container web \{[^}]*\n {2}spread nodes even\n/);
  assert.match(imported, /container api \{[^}]*\n {2}spread racks even\n/);
  assert.deepEqual(checkText(imported).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
});
