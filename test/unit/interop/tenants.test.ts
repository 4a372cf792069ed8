import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import fc from 'fast-check';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Namespace, ResourceQuota } from 'kubernetes-models/v1';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import { RuntimeClass } from 'kubernetes-models/node.k8s.io/v1';
import { checkText } from '../../../server/src/core/check';
import type { Model } from '../../../server/src/core/model/types';
import { planModel } from '../../../server/src/core/placement/plan';
import { exportKubernetes } from '../../../server/src/core/interop/exportKubernetes';
import { importKubernetes } from '../../../server/src/core/interop/importKubernetes';

const EXAMPLE = readFileSync(join(import.meta.dirname, '../../../examples/tenants.topo'), 'utf8');

type KObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function modelOf(text: string): Model {
  const r = checkText(text);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`), []);
  return r.model;
}

function objects(files: { path: string; text: string }[]): KObject[] {
  return files.flatMap((f) => parseAllDocuments(f.text).map((d) => {
    assert.deepEqual(d.errors, []);
    return d.toJS() as KObject;
  }));
}

function validate(obj: KObject): void {
  const kinds: Record<string, new (o: never) => { validate(): void }> = { Deployment, Namespace, ResourceQuota, PriorityClass, RuntimeClass };
  const Ctor = kinds[String(obj.kind)];
  assert.ok(Ctor, `unexpected kind ${String(obj.kind)}`);
  new Ctor(obj as never).validate();
}

const find = (objs: KObject[], kind: string, name: string): KObject => {
  const o = objs.find((x) => x.kind === kind && x.metadata?.name === name);
  assert.ok(o, `${kind} ${name} not exported`);
  return o;
};

test('tenants export: every object validates against the Kubernetes schema', () => {
  const objs = objects(exportKubernetes(modelOf(EXAMPLE)).files);
  assert.ok(objs.some((o) => o.kind === 'RuntimeClass'));
  for (const o of objs) validate(o);
});

test('tenants export: a namespace and a requests quota per tenant, its workloads in it', () => {
  const objs = objects(exportKubernetes(modelOf(EXAMPLE)).files);
  for (const [tenant, cpu, memory] of [['retail', '40', '160Gi'], ['payments', '24', '96Gi'], ['audit', '16', '64Gi']] as const) {
    const ns = find(objs, 'Namespace', `topo-${tenant}`);
    assert.equal(ns.metadata.labels['topo.dev/tenant'], tenant);
    const quota = objs.find((o) => o.kind === 'ResourceQuota' && o.metadata.namespace === `topo-${tenant}`);
    assert.deepEqual(quota?.spec.hard, { 'requests.cpu': cpu, 'requests.memory': memory });
  }
  const nsOf = (name: string): string => find(objs, 'Deployment', name).metadata.namespace;
  assert.deepEqual(['storefront', 'search', 'checkout', 'ledger', 'trail', 'reports'].map(nsOf), ['topo-retail', 'topo-retail', 'topo-payments', 'topo-payments', 'topo-audit', 'topo-r2']);
  assert.equal(find(objs, 'Namespace', 'topo-payments').metadata.annotations['topo.dev/oversubscribe'], 'cpu 1.0 memory 1.0');
  assert.equal(find(objs, 'Deployment', 'ledger').metadata.annotations['topo.dev/network'], '500Mbps');
  assert.equal(find(objs, 'Deployment', 'search').metadata.annotations['topo.dev/network'], '4Gbps');
  // the target's node affinity stays on a tenant's pods
  assert.deepEqual(find(objs, 'Deployment', 'search').spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['r1'] }] }]);
});

test('tenants export: vm is a kata RuntimeClass with the overhead as podFixed, named by its pods', () => {
  const objs = objects(exportKubernetes(modelOf(EXAMPLE)).files);
  const rc = find(objs, 'RuntimeClass', 'topo-payments');
  assert.equal(rc.handler, 'kata');
  assert.deepEqual(rc.overhead, { podFixed: { cpu: '500m', memory: '1Gi' } });
  assert.equal(objs.filter((o) => o.kind === 'RuntimeClass').length, 1);
  for (const d of objs.filter((o) => o.kind === 'Deployment')) {
    const want = d.metadata.namespace === 'topo-payments' ? 'topo-payments' : undefined;
    assert.equal(d.spec.template.spec.runtimeClassName, want, d.metadata.name);
  }
});

test('tenants export: dedicated tolerates and requires the taint of exactly the nodes the placement gave it', () => {
  const model = modelOf(EXAMPLE);
  const { files } = exportKubernetes(model);
  const objs = objects(files);
  const pod = find(objs, 'Deployment', 'trail').spec.template.spec;
  assert.deepEqual(pod.tolerations, [{ key: 'topo.dev/tenant', operator: 'Equal', value: 'audit', effect: 'NoSchedule' }]);
  assert.deepEqual(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions, [
    { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['r2'] },
    { key: 'topo.dev/tenant', operator: 'In', values: ['audit'] },
  ]);
  for (const d of objs.filter((o) => o.kind === 'Deployment' && o.metadata.name !== 'trail')) assert.equal(d.spec.template.spec.tolerations, undefined, d.metadata.name);
  const trail = model.containers.find((c) => c.name === 'trail');
  assert.ok(trail);
  const placed = [...new Set(planModel(model).containers.get(trail.id)?.nodes ?? [])].map((id) => model.nodes[id]?.ref).sort();
  assert.equal(placed.length, 2);
  const text = files.find((f) => f.path === 'audit.yaml')?.text ?? '';
  const tainted = [...text.matchAll(/kubectl taint node <(\S+)'s name> topo\.dev\/tenant=audit:NoSchedule/g)].map((m) => m[1]).sort();
  const labelled = [...text.matchAll(/kubectl label node <(\S+)'s name> topo\.dev\/tenant=audit$/gm)].map((m) => m[1]).sort();
  assert.deepEqual(tainted, placed);
  assert.deepEqual(labelled, placed);
});

test('tenants round trip: export then import gives the same tenants, quotas, isolation, overhead, oversubscribe', () => {
  const before = modelOf(EXAMPLE);
  const r = importKubernetes(exportKubernetes(before).files);
  assert.deepEqual(r.errors, []);
  const after = modelOf(r.text);
  const tenants = (m: Model): unknown => m.tenants.map((t) => ({ name: t.name, isolation: t.isolation, overhead: t.overhead, quota: t.quota, oversubscribe: t.oversubscribe })).sort((a, b) => a.name.localeCompare(b.name));
  assert.deepEqual(tenants(after), tenants(before));
  const members = (m: Model): unknown => m.containers.map((c) => [c.name, c.tenant === null ? null : m.tenants[c.tenant]?.name, c.network]).sort();
  assert.deepEqual(members(after), members(before));
});

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: v1
kind: ResourceQuota
metadata: { name: compute, namespace: shop }
spec: { hard: { requests.cpu: "8", requests.memory: 32Gi, limits.cpu: "16", pods: "20" } }
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: { name: kata-fc }
handler: kata-fc
overhead: { podFixed: { cpu: 250m, memory: 160Mi } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: cart, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: cart } }
  template:
    metadata: { labels: { app: cart } }
    spec:
      runtimeClassName: kata-fc
      containers: [{ name: cart, resources: { requests: { cpu: "1", memory: 1Gi } } }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: vault, namespace: secure }
spec:
  replicas: 1
  selector: { matchLabels: { app: vault } }
  template:
    metadata: { labels: { app: vault } }
    spec:
      nodeSelector: { pool: secure }
      tolerations: [{ key: pool, operator: Equal, value: secure, effect: NoSchedule }]
      containers: [{ name: vault, resources: { requests: { cpu: "1", memory: 1Gi } } }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: loose, namespace: misc }
spec:
  replicas: 1
  selector: { matchLabels: { app: loose } }
  template:
    metadata: { labels: { app: loose } }
    spec:
      tolerations: [{ key: pool, operator: Equal, value: secure, effect: NoSchedule }]
      containers: [{ name: loose, resources: { requests: { cpu: "1", memory: 1Gi } } }]
`;

test('tenants import: quota, RuntimeClass and a tolerated taint the pods require become tenants', () => {
  const r = importKubernetes([{ path: 'cluster.yaml', text: MANIFESTS }]);
  assert.deepEqual(r.errors, []);
  const m = modelOf(r.text);
  const shop = m.tenants.find((t) => t.name === 'shop');
  assert.ok(shop, r.text);
  assert.equal(shop.isolation, 'vm');
  assert.deepEqual(shop.overhead, { cpu: 0.25, memory: 160 * 2 ** 20 });
  assert.deepEqual(shop.quota, { cpu: 8, memory: 32 * 2 ** 30 });
  const secure = m.tenants.find((t) => t.name === 'secure');
  assert.equal(secure?.isolation, 'dedicated');
  assert.equal(secure?.quota, null);
  // a toleration alone does not keep a tenant apart: `misc` is no tenant
  assert.deepEqual(m.tenants.map((t) => t.name).sort(), ['secure', 'shop']);
  const tenantOf = (name: string): string | undefined => {
    const c = m.containers.find((x) => x.name === name);
    return c && c.tenant !== null ? m.tenants[c.tenant]?.name : undefined;
  };
  assert.deepEqual(['cart', 'vault', 'loose'].map(tenantOf), ['shop', 'secure', undefined]);
  // the pod's requests stay the pod's: the RuntimeClass overhead is the tenant's, not added twice
  assert.equal(m.containers.find((c) => c.name === 'cart')?.cpuRequest, 1);
  const msgs = r.notes.map((n) => n.message);
  assert.ok(msgs.some((x) => /^ResourceQuota compute \(namespace shop\): limits\.cpu, pods have no Topo equivalent/.test(x)), msgs.join('\n'));
});

test('tenants export: names Kubernetes cannot hold still give valid, distinct objects that import back', () => {
  const text = `rack r1 { node n1..n4 { cores 8 memory 32GiB } }
tenant Pay_Ments { isolation vm overhead cpu 1 memory 2GiB quota cpu 8 }
tenant pay-ments { isolation dedicated quota memory 16GiB }
tenant priorityclasses { isolation shared }
container a { tenant Pay_Ments cpu 1 memory 1GiB place on r1 }
container b { tenant pay-ments cpu 1 memory 1GiB place on r1 }
container c { tenant priorityclasses cpu 1 memory 1GiB place on r1 }
container d { cpu 1 memory 1GiB place on r1 }
`;
  const before = modelOf(text);
  const { files } = exportKubernetes(before);
  const objs = objects(files);
  for (const o of objs) validate(o);
  const namespaces = objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name as string);
  assert.equal(new Set(namespaces).size, namespaces.length, namespaces.join());
  assert.equal(new Set(files.map((f) => f.path.toLowerCase())).size, files.length);
  const rc = objs.find((o) => o.kind === 'RuntimeClass');
  assert.equal(find(objs, 'Deployment', 'a').spec.template.spec.runtimeClassName, rc?.metadata.name);
  const r = importKubernetes(files);
  assert.deepEqual(r.errors, []);
  const after = modelOf(r.text);
  const tenants = (m: Model): unknown => m.tenants.map((t) => [t.name, t.isolation, t.quota]).sort();
  assert.deepEqual(tenants(after), tenants(before));
});

test('tenants round trip, generated: any tenants, quotas, caps and overheads validate on export and come back on import', () => {
  const tenant = fc.record({
    isolation: fc.constantFrom('shared', 'vm', 'dedicated'),
    quota: fc.option(fc.constantFrom('cpu 4', 'memory 16GiB', 'cpu 64 memory 512GiB', 'cpu 1500m memory 3GiB'), { nil: null }),
    oversubscribe: fc.option(fc.constantFrom('cpu 1.0', 'cpu 1.5 memory 1.0', 'memory 1.25'), { nil: null }),
    overhead: fc.option(fc.constantFrom('cpu 250m memory 512MiB', 'cpu 1', 'memory 2GiB'), { nil: null }),
  });
  const container = fc.record({ tenant: fc.option(fc.nat(3), { nil: null }), network: fc.option(fc.constantFrom('1Gbps', '500Mbps', '12Gbps', '100Kbps'), { nil: null }), rack: fc.constantFrom('r1', 'r2') });
  fc.assert(fc.property(fc.array(tenant, { minLength: 1, maxLength: 4 }), fc.array(container, { minLength: 1, maxLength: 5 }), (ts, cs) => {
    const lines = ['rack r1 { node n1..n6 { cores 16 memory 64GiB nic 25Gbps } }', 'rack r2 { node m1..m6 { cores 16 memory 64GiB nic 25Gbps } }'];
    ts.forEach((t, i) => lines.push(`tenant t${i} { isolation ${t.isolation}${t.quota ? ` quota ${t.quota}` : ''}${t.oversubscribe ? ` oversubscribe ${t.oversubscribe}` : ''}${t.overhead ? ` overhead ${t.overhead}` : ''} }`));
    cs.forEach((c, i) => lines.push(`container c${i} { cpu 1 memory 1GiB${c.tenant !== null && c.tenant < ts.length ? ` tenant t${c.tenant}` : ''}${c.network ? ` network ${c.network}` : ''} place on ${c.rack} }`));
    const before = checkText(lines.join('\n')).model;
    const { files } = exportKubernetes(before);
    const objs = objects(files);
    for (const o of objs) validate(o);
    const r = importKubernetes(files);
    assert.deepEqual(r.errors, []);
    const after = checkText(r.text).model;
    // `overhead` means something (and is exported) for `vm` only
    const shape = (m: Model): unknown => m.tenants.map((t) => ({ name: t.name, isolation: t.isolation, quota: t.quota, oversubscribe: t.oversubscribe, ...(t.isolation === 'vm' ? { overhead: t.overhead } : {}) })).sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(shape(after), shape(before));
    const members = (m: Model): unknown => m.containers.map((c) => [c.name, c.tenant === null ? null : m.tenants[c.tenant]?.name, c.network]).sort();
    assert.deepEqual(members(after), members(before));
  }), { numRuns: 60, seed: 21 });
});
