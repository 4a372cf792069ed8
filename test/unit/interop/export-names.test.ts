// Export names: unique, valid, bounded, and selectors that pick exactly the target's machines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Namespace, ResourceQuota } from 'kubernetes-models/v1';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import { checkText } from '../../../server/src/core/check';
import type { Model } from '../../../server/src/core/model/types';
import { duplicatePaths, exportKubernetes, type ExportFile } from '../../../server/src/core/interop/exportKubernetes';
import { isLabelValue, uniqueNames } from '../../../server/src/core/interop/k8sNames';
import { writeManifests } from '../../../server/src/cli/export';
import type { CliIo } from '../../../server/src/cli/io';
import { seeded } from '../../seeded';

type KObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function modelOf(text: string): Model {
  const r = checkText(text);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`), [], text);
  return r.model;
}

function objectsOf(f: ExportFile): KObject[] {
  return parseAllDocuments(f.text).map((d) => {
    assert.deepEqual(d.errors, [], f.path);
    return d.toJS() as KObject;
  });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function validate(o: KObject): void {
  const kinds: Record<string, new (o: never) => { validate(): void }> = { Deployment, Namespace, ResourceQuota, PriorityClass };
  const Ctor = kinds[String(o.kind)];
  assert.ok(Ctor, `unexpected kind ${String(o.kind)}`);
  new Ctor(o as never).validate();
}

/**
 * The cluster the export expects: every Topo node a Kubernetes node with the labels the files'
 * headers ask for (topo.dev/node=RACK.NODE, the rack's zone, the SDS). Returns, for each
 * Deployment, the Topo nodes its required node affinity selects.
 */
function selected(model: Model, files: readonly ExportFile[]): Map<string, string[]> {
  const objs = files.flatMap(objectsOf);
  // label the machines as the files' headers say (nothing else: the oracle knows no naming rule)
  const labels = new Map<number, Record<string, string>>(model.nodes.map((n) => [n.id, { 'kubernetes.io/hostname': n.name }]));
  for (const f of files) {
    for (const m of f.text.matchAll(/^# {3}kubectl label node <(?:each node of (rack|SDS) (\S+)|(\S+)'s name)> (\S+)=(\S+)$/gm)) {
      const [, kind, name, ref, key, value] = m;
      const ids = kind === 'rack' ? model.racks.find((r) => r.name === name)?.nodes ?? []
        : kind === 'SDS' ? model.sdses.find((x) => x.name === name)?.nodes ?? []
          : model.nodes.filter((n) => n.ref === ref).map((n) => n.id);
      assert.ok(ids.length > 0, m[0]);
      for (const id of ids) {
        const l = labels.get(id)!;
        assert.ok(l[key] === undefined || l[key] === value, `${m[0]}: ${model.nodes[id].ref} already has ${key}=${l[key]}`);
        l[key] = value;
      }
    }
  }
  const out = new Map<string, string[]>();
  for (const d of objs.filter((o) => o.kind === 'Deployment')) {
    const terms = d.spec.template.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    const match = (id: number): boolean => terms.length === 0 || terms.some((t: KObject) => t.matchExpressions.every((e: KObject) => e.operator === 'In' && e.values.includes(labels.get(id)![e.key])));
    out.set(`${d.metadata.namespace}/${d.metadata.name}`, model.nodes.filter((n) => match(n.id)).map((n) => n.ref));
  }
  return out;
}

test('two racks with a node db1 each: two files, two Deployments, each selecting its own machine (issue 15)', () => {
  const model = modelOf([
    'rack ra { node db1 { cores 32 memory 384GiB } }',
    'rack rb { node db1 { cores 32 memory 384GiB } }',
    'container pa { cpu 1 memory 1GiB place on ra.db1 }',
    'container pb { cpu 1 memory 1GiB place on rb.db1 }',
  ].join('\n'));
  const { files } = exportKubernetes(model);
  assert.deepEqual(files.map((f) => f.path).sort(), ['nodes-ra-db1.yaml', 'nodes-rb-db1.yaml', 'priorityclasses.yaml']);
  const deployments = files.flatMap(objectsOf).filter((o) => o.kind === 'Deployment');
  assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), ['pa', 'pb']);
  for (const o of files.flatMap(objectsOf)) validate(o);
  assert.deepEqual(Object.fromEntries(selected(model, files)), { 'topo-nodes-ra-db1/pa': ['ra.db1'], 'topo-nodes-rb-db1/pb': ['rb.db1'] });
  assert.match(files.find((f) => f.path === 'nodes-ra-db1.yaml')?.text ?? '', /^# Topo export of node set ra\.db1 .*\n# .*topo\.dev\/node.*\n# .*node name.*\n# {3}kubectl label node <ra\.db1's name> topo\.dev\/node=ra\.db1\n/);
});

test('a node set of 18 nodes gets a short file name (compact range), and a scattered one a bounded hashed name', () => {
  const model = modelOf([
    'rack ra { node w1..w18 { cores 16 memory 64GiB } }',
    'rack rb { node w1..w40 { cores 16 memory 64GiB } }',
    'container a { cpu 1 memory 1GiB place on ra.w1..w18 }',
    `container b { cpu 1 memory 1GiB place on ${Array.from({ length: 18 }, (_, i) => `rb.w${2 * i + 1}`).join(', ')} }`,
  ].join('\n'));
  const { files } = exportKubernetes(model);
  const paths = files.map((f) => f.path).sort();
  assert.equal(paths.length, 3);
  assert.ok(paths.includes('nodes-ra.yaml'), paths.join(', ')); // every node of ra: the node set `ra.*`
  const scattered = paths.find((p) => p.startsWith('nodes-rb-w1-rb-w3'));
  assert.ok(scattered, paths.join(', '));
  assert.match(scattered, /^[a-z0-9-]+-[0-9a-f]{8}\.yaml$/);
  for (const p of paths) assert.ok(p.length <= 63, p);
  for (const o of files.flatMap(objectsOf)) validate(o);
  const sel = selected(model, files);
  assert.deepEqual([...sel.values()].map((v) => v.length).sort((x, y) => x - y), [18, 18]);
});

test('names that Kubernetes would merge stay apart: case, `_` and `-`, reserved file names, long names', () => {
  const long = `r${'x'.repeat(70)}`;
  const model = modelOf([
    'rack Web { node n1..n2 { cores 8 memory 32GiB } }',
    'rack web { node n1..n2 { cores 8 memory 32GiB } }',
    'rack a_b { node n1 { cores 8 memory 32GiB } }',
    'rack a-b { node n1 { cores 8 memory 32GiB } }',
    'rack priorityclasses { node n1 { cores 8 memory 32GiB } }',
    'rack nodes-web-n1 { node n1 { cores 8 memory 32GiB } }',
    `rack ${long} { node n1 { cores 8 memory 32GiB } }`,
    `rack ${long}y { node n1 { cores 8 memory 32GiB } }`,
    'rack _r { node n1 { cores 8 memory 32GiB } }',
    'rack r { node n1 { cores 8 memory 32GiB } }',
    'container Api { cpu 1 memory 1GiB place on Web }',
    'container api { cpu 1 memory 1GiB place on Web talks Api colocate Api }',
    'container c1 { cpu 1 memory 1GiB place on web }',
    'container c2 { cpu 1 memory 1GiB place on a_b }',
    'container c3 { cpu 1 memory 1GiB place on a-b }',
    'container c4 { cpu 1 memory 1GiB place on priorityclasses }',
    'container c5 { cpu 1 memory 1GiB place on nodes-web-n1 }',
    'container c6 { cpu 1 memory 1GiB place on web.n1 }',
    `container c7 { cpu 1 memory 1GiB place on ${long} }`,
    `container c8 { cpu 1 memory 1GiB place on ${long}y }`,
    'container c9 { cpu 1 memory 1GiB place on _r.n1 }',
    'container c10 { cpu 1 memory 1GiB place on r.n1 }',
  ].join('\n'));
  const { files } = exportKubernetes(model);
  assert.deepEqual(duplicatePaths(files), []);
  assert.equal(new Set(files.map((f) => f.path.toLowerCase())).size, files.length);
  assert.equal(files.length, 1 + 11); // priority classes and one per target (8 racks, 3 node sets)
  assert.equal(files.filter((f) => f.path === 'priorityclasses.yaml').length, 1);
  const objs = files.flatMap(objectsOf);
  for (const o of objs) validate(o);
  const namespaces = objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name as string);
  assert.equal(new Set(namespaces).size, namespaces.length);
  for (const ns of namespaces) assert.ok(ns.length <= 63 && DNS_LABEL.test(ns), ns);
  const deps = objs.filter((o) => o.kind === 'Deployment');
  const depNames = deps.map((d) => d.metadata.name as string);
  assert.equal(new Set(depNames).size, depNames.length, depNames.join(', '));
  // colocate and talks name the exported container, not the Topo one
  const api = deps.find((d) => d.metadata.annotations?.['topo.dev/name'] === 'api') ?? deps.find((d) => d.metadata.name === 'api');
  const Api = deps.find((d) => d.metadata.annotations?.['topo.dev/name'] === 'Api');
  assert.ok(api && Api);
  assert.equal(api.spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels['topo.dev/container'], Api.metadata.name);
  assert.match(api.metadata.annotations['topo.dev/talks'], new RegExp(`^${Api.metadata.name} 10%$`));
  // every selector value is a valid label value, and each Deployment selects exactly its target's nodes
  for (const d of deps) for (const t of d.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms) for (const e of t.matchExpressions) for (const v of e.values) assert.ok(isLabelValue(v), v);
  const sel = selected(model, files);
  const byTopoName = (name: string): string[] => {
    const d = deps.find((x) => (x.metadata.annotations?.['topo.dev/name'] ?? x.metadata.name) === name);
    assert.ok(d, name);
    return sel.get(`${d.metadata.namespace}/${d.metadata.name}`) ?? [];
  };
  assert.deepEqual(byTopoName('c1'), ['web.n1', 'web.n2']);
  assert.deepEqual(byTopoName('Api'), ['Web.n1', 'Web.n2']);
  assert.deepEqual(byTopoName('c6'), ['web.n1']);
  assert.deepEqual(byTopoName('c9'), ['_r.n1']);
  assert.deepEqual(byTopoName('c10'), ['r.n1']);
});

test('random names over many files: paths, namespaces, Deployments and selector values never collide (seeded)', () => {
  const rnd = seeded(15);
  const parts = ['a', 'A', '_', '-', 'b', 'nodes', 'priorityclasses', 'x'.repeat(30), '1'];
  const ident = (): string => {
    let s = '';
    while (s.length < 1 + Math.floor(rnd() * 3)) s += parts[Math.floor(rnd() * parts.length)];
    s = /^[A-Za-z_]/.test(s) ? s : `a${s}`;
    return s.replace(/-+$/, '') || 'a';
  };
  for (let k = 0; k < 60; k++) {
    const racks = [...new Set(Array.from({ length: 2 + Math.floor(rnd() * 5) }, ident))];
    const lines = racks.map((r) => `rack ${r} { node n1..n3 { cores 64 memory 256GiB } }`);
    const containers = [...new Set(Array.from({ length: 2 + Math.floor(rnd() * 6) }, ident))].filter((c) => !racks.includes(c));
    containers.forEach((c, i) => {
      const r = racks[i % racks.length];
      const target = rnd() < 0.5 ? r : rnd() < 0.5 ? `${r}.n1` : `${r}.n1, ${racks[(i + 1) % racks.length]}.n2`;
      lines.push(`container ${c} { cpu 1 memory 1GiB place on ${target} }`);
    });
    const text = lines.join('\n');
    const r = checkText(text);
    if (r.diagnostics.some((d) => d.severity === 'error')) continue; // a name the language rejects
    const { files } = exportKubernetes(r.model);
    assert.deepEqual(duplicatePaths(files), [], text);
    const objs = files.flatMap(objectsOf);
    const ns = objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    assert.equal(new Set(ns).size, ns.length, text);
    const deps = objs.filter((o) => o.kind === 'Deployment');
    assert.equal(deps.length, containers.length, text);
    assert.equal(new Set(deps.map((d) => d.metadata.name)).size, deps.length, text);
    for (const o of objs) validate(o);
    for (const p of files.map((f) => f.path)) assert.ok(p.length <= 63 && /^[a-z0-9-]+\.yaml$/.test(p), p);
  }
});

test('uniqueNames does not depend on the order of the requests, and hashes only what is ambiguous or too long', () => {
  const reqs = [{ id: 'rack:Web', text: 'Web' }, { id: 'rack:web', text: 'web' }, { id: 'rack:db', text: 'db' }, { id: 'rack:long', text: 'l'.repeat(80) }];
  const a = uniqueNames(reqs, 40);
  const b = uniqueNames([...reqs].reverse(), 40);
  assert.deepEqual([...a].sort(), [...b].sort());
  assert.equal(a.get('rack:db'), 'db');
  assert.match(a.get('rack:Web') ?? '', /^web-[0-9a-f]{8}$/);
  assert.match(a.get('rack:web') ?? '', /^web-[0-9a-f]{8}$/);
  assert.notEqual(a.get('rack:Web'), a.get('rack:web'));
  assert.ok((a.get('rack:long') ?? '').length <= 40);
});

test('the writer refuses an export that would write one file twice: nothing written, exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-export-'));
  try {
    let err = '';
    const io: CliIo = { out: () => undefined, err: (t) => { err += t; }, cwd: dir };
    const code = writeManifests(io, join(dir, 'out'), [{ path: 'a.yaml', text: 'x' }, { path: 'b.yaml', text: 'y' }, { path: 'A.yaml', text: 'z' }], false);
    assert.equal(code, 1);
    assert.match(err, /would write out\/a\.yaml and out\/A\.yaml .*nothing written/);
    assert.equal(existsSync(join(dir, 'out')), false);
    assert.equal(writeManifests(io, join(dir, 'out'), [{ path: 'a.yaml', text: 'x' }, { path: 'b.yaml', text: 'y' }], false), 0);
    assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['a.yaml', 'b.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
