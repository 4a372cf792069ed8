import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../../server/src/core/check';
import type { Container, Model } from '../../../server/src/core/model/types';
import { importCompose } from '../../../server/src/core/interop/importCompose';
import { importKubernetes } from '../../../server/src/core/interop/importKubernetes';
import { formatBytesTopo, formatCpuTopo } from '../../../server/src/core/interop/quantity';

const FIX = join(import.meta.dirname, '../../fixtures/interop');
const REAL = join(import.meta.dirname, '../../../../shared/realworld');
const read = (name: string): { path: string; text: string } => ({ path: name, text: readFileSync(join(FIX, name), 'utf8') });

function checked(text: string): Model {
  const r = checkText(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => `${d.code} ${d.message}`), [], text);
  return r.model;
}

function byName(model: Model, name: string): Container {
  const c = model.containers.find((x) => x.name === name);
  assert.ok(c, `container ${name} in ${model.containers.map((x) => x.name).join(', ')}`);
  return c;
}

test('every workload kind maps to containers with exact resources, spread, colocate, priority, talks', () => {
  const r = importKubernetes([read('workloads.k8s.yaml')]);
  assert.deepEqual(r.errors, []);
  const model = checkText(r.text).model; // one intended T303 (see the next test)
  const web = byName(model, 'web');
  assert.equal(web.replicas, 3);
  assert.equal(web.cpuRequest, 0.5);
  assert.equal(web.cpuLimit, 1.5);
  assert.equal(web.memoryRequest, 123 * 2 ** 20);
  assert.equal(web.memoryLimit, 2 * 2 ** 30);
  assert.equal(web.spread, 'nodes');
  assert.equal(web.priority, 'high');
  assert.equal(web.image, 'example/web:1');
  assert.deepEqual(web.talks.map((t) => model.containers[t.container]?.name).sort(), ['api', 'cache']);
  assert.match(r.text, /container web \{[^}]*\n {2}spread nodes even\n/); // maxSkew 1: counts within one, not one per node
  const db = byName(model, 'db');
  assert.deepEqual([db.replicas, db.cpuRequest, db.cpuLimit, db.memoryRequest, db.memoryLimit, db.spread], [2, 2, 4, 2e9, 2e9, 'racks']);
  const agent = byName(model, 'agent');
  assert.deepEqual([agent.replicas, agent.cpuRequest, agent.memoryRequest, agent.cpuLimit], [1, 0.1, 128974848, 0.1]);
  assert.ok(r.notes.some((n) => /DaemonSet agent: one replica per node, but no nodes/.test(n.message)));
  const api = byName(model, 'api');
  assert.deepEqual([api.replicas, api.cpuRequest, api.cpuLimit, api.memoryRequest], [4, 1, 2, 129e6]);
  // memory limit 1Ki below the request 129e6 is a real problem the check reports (T303)
  // -> the import keeps it; see the diagnostic test below.
  // a two-container pod is one container (every replica keeps its sidecar), resources summed:
  // redis 250m/256Mi (limits = requests, noted) + exporter (nothing stated: the defaults, noted)
  const cache = byName(model, 'cache');
  assert.equal(model.containers[cache.colocate?.container ?? -1]?.name, 'api');
  assert.deepEqual([Math.round(cache.cpuRequest * 1000), Math.round(cache.cpuLimit * 1000), cache.memoryRequest, cache.memoryLimit], [350, 350, 384 * 2 ** 20, 384 * 2 ** 20]);
  assert.equal(cache.image, 'redis:7');
  assert.ok(r.notes.some((n) => /^Pod cache: the pod's 2 containers redis \(redis:7\), exporter \(example\/exporter:1\) imported as one Topo container cache with their requests and limits summed/.test(n.message)), r.notes.map((n) => n.message).join('\n'));
  assert.ok(r.notes.some((n) => /^Pod cache: filled in redis: cpu limit 250m = its request .*; exporter: cpu 100m \(a default: none stated; Kubernetes reserves nothing for it\)/.test(n.message)));
  const migrate = byName(model, 'migrate');
  assert.deepEqual([migrate.replicas, migrate.cpuRequest, migrate.cpuLimit, migrate.memoryRequest], [2, 0.3, 0.3, 64 * 2 ** 20]);
  assert.equal(byName(model, 'report').replicas, 1);
  const prio = r.notes.find((n) => n.message.includes('priorityClassName business-critical'));
  assert.ok(prio);
  assert.equal(prio.file, 'workloads.k8s.yaml');
  assert.equal(prio.line, 16);
  assert.equal(prio.column, 26);
  assert.ok(r.notes.some((n) => /placeholder rack/.test(n.message)));
  assert.match(r.text, /# PLACEHOLDER/);
  assert.ok(r.notes.some((n) => /assumed allowance/.test(n.message)));
  assert.match(r.text, /# ports: \[\{"containerPort":80\}\]\ncontainer web \{/);
  assert.ok(r.notes.some((n) => n.message === 'Deployment web container web: ports has no Topo equivalent; kept as a comment' && n.line === 22 && n.column === 18));
});

test('a limit below its request is kept and reported by the check (T303), not hidden', () => {
  const r = importKubernetes([read('workloads.k8s.yaml')]);
  const diags = checkText(r.text).diagnostics;
  assert.ok(diags.some((d) => d.code === 'T303'), diags.map((d) => d.code).join(','));
  assert.ok(diags.every((d) => d.code === 'T303'), diags.map((d) => `${d.code} ${d.message}`).join('\n'));
});

test('a node dump becomes racks by zone, ranges collapse, DaemonSets get one replica per node', () => {
  const r = importKubernetes([read('nodes.k8s.yaml'), read('workloads.k8s.yaml')]);
  assert.deepEqual(r.errors, []);
  assert.match(r.text, /rack zone-a \{\n {2}node w1\.\.w2 \{ cores 16 memory 64GiB \}\n\}/);
  assert.match(r.text, /rack zone-b \{\n {2}node w3 \{ cores 16 memory 64GiB \}\n {2}node w4 \{ cores 15 memory 60GiB \}/);
  assert.ok(r.notes.some((n) => n.message.includes('rounded down')));
  const result = checkText(r.text);
  assert.deepEqual(result.diagnostics.map((d) => d.code), ['T303']); // only the fixture's real problem
  const model = result.model;
  assert.equal(model.racks.length, 2);
  assert.equal(model.nodes.length, 4);
  assert.equal(byName(model, 'agent').replicas, 4);
  assert.ok(!r.notes.some((n) => /placeholder/.test(n.message)));
});

test('malformed YAML gives errors with file, line and column', () => {
  const r = importKubernetes([read('malformed.k8s.yaml')]);
  assert.ok(r.errors.length > 0);
  const e = r.errors[0];
  assert.ok(e);
  assert.equal(e.file, 'malformed.k8s.yaml');
  assert.ok(e.line >= 6, JSON.stringify(e));
  assert.ok(e.column >= 1);
  assert.match(e.message, /malformed YAML/);
  const c = importCompose(read('malformed.compose.yaml'));
  assert.ok(c.errors.length > 0);
  assert.equal(c.errors[0]?.file, 'malformed.compose.yaml');
});

test('invalid objects are errors at the bad value', () => {
  const r = importKubernetes([read('invalid.k8s.yaml')]);
  assert.equal(r.errors.length, 1);
  assert.deepEqual({ ...r.errors[0], message: '' }, { file: 'invalid.k8s.yaml', line: 10, column: 30, message: '' });
  assert.match(r.errors[0]?.message ?? '', /invalid CPU quantity `lots`/);
});

test('unsupported kinds are noted, not failed', () => {
  const r = importKubernetes([read('unsupported.k8s.yaml')]);
  assert.deepEqual(r.errors, []);
  assert.ok(r.notes.some((n) => n.message.startsWith('Service api')));
  assert.ok(r.notes.some((n) => n.message.startsWith('ConfigMap settings has no Topo equivalent') && n.line === 6));
  assert.ok(r.notes.some((n) => n.message.startsWith('Widget w has no Topo equivalent') && n.line === 11));
  checked(r.text);
});

test('Compose: resources, replicas, depends_on and links as talks, the rest kept as comments', () => {
  const r = importCompose(read('app.compose.yaml'));
  assert.deepEqual(r.errors, []);
  const model = checked(r.text);
  const web = byName(model, 'web');
  assert.deepEqual([web.replicas, web.cpuRequest, web.cpuLimit, web.memoryRequest, web.memoryLimit], [2, 0.25, 0.5, 256 * 2 ** 20, 512 * 2 ** 20]);
  assert.deepEqual(web.talks.map((t) => model.containers[t.container]?.name), ['api']);
  assert.deepEqual(byName(model, 'api').talks.map((t) => model.containers[t.container]?.name), ['db']);
  assert.match(r.text, /# ports: \["80:80"\]/);
  assert.match(r.text, /# healthcheck: /);
  assert.match(r.text, /# volumes: \["data:\/var\/lib\/postgresql\/data"\]/);
  assert.match(r.text, /# Compose top-level `volumes`/);
  assert.ok(r.notes.some((n) => n.message === 'service db: `volumes` has no Topo equivalent; kept as a comment' && n.line === 17 && n.column === 14));
  assert.ok(r.notes.some((n) => /service api: no deploy.resources; using defaults/.test(n.message)));
});

test('real-world: online-boutique imports to a file that checks clean', (t) => {
  const p = join(REAL, 'online-boutique.k8s.yaml');
  if (!existsSync(p)) return t.skip(`${p} absent`);
  const r = importKubernetes([{ path: p, text: readFileSync(p, 'utf8') }]);
  assert.deepEqual(r.errors, []);
  const diags = checkText(r.text).diagnostics;
  assert.deepEqual(diags.map((d) => `${d.code} ${d.message}`), []);
  const model = checkText(r.text).model;
  assert.equal(model.containers.length, 12);
  const checkout = byName(model, 'checkoutservice');
  assert.equal(checkout.talks.length, 6);
  assert.deepEqual([checkout.cpuRequest, checkout.memoryLimit], [0.1, 128 * 2 ** 20]);
});

test('real-world: every Compose sample imports to a file that checks clean', (t) => {
  const dir = join(REAL, 'compose');
  if (!existsSync(dir)) return t.skip(`${dir} absent`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length > 0);
  for (const f of files) {
    const r = importCompose({ path: f, text: readFileSync(join(dir, f), 'utf8') });
    assert.deepEqual(r.errors, [], f);
    assert.deepEqual(checkText(r.text).diagnostics.map((d) => `${d.code} ${d.message}`), [], f);
    assert.ok(r.notes.length > 0, f);
  }
});

test('Compose: the v2 keys mem_limit, mem_reservation, cpus, cpu_quota/cpu_period are imported; notes say only what was filled in (issue 15)', () => {
  const r = importCompose(read('v2.compose.yaml'));
  assert.deepEqual(r.errors, []);
  const model = checked(r.text);
  const res = (name: string): number[] => { const c = byName(model, name); return [c.cpuRequest, c.cpuLimit, c.memoryRequest, c.memoryLimit]; };
  assert.deepEqual(res('db'), [2, 2, 4 * 2 ** 30, 8 * 2 ** 30]);
  assert.deepEqual(res('search'), [2, 4, 32 * 2 ** 30, 32 * 2 ** 30]);
  assert.deepEqual(res('cache'), [0.1, 0.1, 2 ** 30, 2 ** 30]);
  assert.deepEqual(res('worker'), [1.5, 1.5, 256 * 2 ** 20, 512 * 2 ** 20]);
  assert.deepEqual(res('same'), [0.5, 0.5, 128 * 2 ** 20, 128 * 2 ** 20]);
  const of = (svc: string): string[] => r.notes.filter((n) => n.message.startsWith(`service ${svc}:`)).map((n) => n.message);
  // nothing says "defaults" where values were given
  assert.ok(!r.notes.some((n) => /using defaults/.test(n.message)), r.notes.map((n) => n.message).join('\n'));
  assert.deepEqual(of('db'), ['service db: filled in cpu request 2 = its limit (no reservation; Topo counts requests)']);
  assert.deepEqual(of('search'), []);
  assert.ok(of('cache').some((m) => /cpu_shares 512 is a relative weight .* not imported/.test(m)), of('cache').join('\n'));
  assert.ok(of('cache').some((m) => /filled in cpu 100m \(a default: none stated\); memory request 1GiB = its limit/.test(m)), of('cache').join('\n'));
  assert.ok(of('worker').some((m) => /cpu_quota 150000 per cpu_period 100000 imported as a cpu limit of 1500m/.test(m)), of('worker').join('\n'));
  assert.match(r.text, /# cpu_shares: 512\ncontainer cache \{/);
  const conflict = importCompose(read('v2-conflict.compose.yaml'));
  assert.equal(conflict.errors.length, 1);
  assert.match(conflict.errors[0]?.message ?? '', /`mem_limit: 2g` and `deploy\.resources\.limits\.memory: 1g` differ; Compose refuses/);
  assert.deepEqual([conflict.errors[0]?.line, conflict.errors[0]?.column], [4, 16]);
});

test('Compose: every service without resources gets one note, and each filled-in value it names is the value imported', () => {
  for (const f of ['app.compose.yaml', 'v2.compose.yaml']) {
    const r = importCompose(read(f));
    const model = checked(r.text);
    const text = readFileSync(join(FIX, f), 'utf8');
    for (const c of model.containers) {
      const notes = r.notes.filter((n) => n.message.startsWith(`service ${c.name}: filled in`) || n.message.startsWith(`service ${c.name}: no deploy.resources; using defaults`));
      const block = text.slice(text.indexOf(`  ${c.name}:`)).split(/\n {2}\S/)[0];
      const stated = /cpus|cpu_quota|memory|mem_limit|mem_reservation/.test(block);
      if (!stated) assert.equal(notes.length, 1, `${f} ${c.name}: ${notes.map((n) => n.message).join('; ')}`);
      for (const n of notes) {
        for (const m of n.message.matchAll(/(cpu|memory) (request|limit) (\S+) = its/g)) {
          const field = `${m[1]}${m[2] === 'request' ? 'Request' : 'Limit'}` as 'cpuRequest' | 'cpuLimit' | 'memoryRequest' | 'memoryLimit';
          const shown = m[1] === 'cpu' ? formatCpuTopo(Math.round(c[field] * 1000)) : formatBytesTopo(c[field]);
          assert.equal(m[3], shown, `${f} ${c.name}: ${n.message}`);
        }
        for (const m of n.message.matchAll(/(cpu|memory) (\S+) \(a default/g)) {
          const [req, lim] = m[1] === 'cpu' ? [formatCpuTopo(Math.round(c.cpuRequest * 1000)), formatCpuTopo(Math.round(c.cpuLimit * 1000))] : [formatBytesTopo(c.memoryRequest), formatBytesTopo(c.memoryLimit)];
          assert.deepEqual([req, lim], [m[2], m[2]], `${f} ${c.name}: ${n.message}`);
        }
      }
    }
  }
});

test('Compose: deploy.placement.max_replicas_per_node 1 is `spread nodes`; other placement keys are noted', () => {
  const text = [
    'services:',
    '  web:',
    '    image: nginx',
    '    deploy:',
    '      replicas: 3',
    '      placement: { max_replicas_per_node: 1, constraints: ["node.role == worker"] }',
    '      resources: { reservations: { cpus: "1", memory: 1g } }',
    '',
  ].join('\n');
  const r = importCompose({ path: 'p.yaml', text });
  assert.deepEqual(r.errors, []);
  const web = byName(checked(r.text), 'web');
  assert.equal(web.spread, 'nodes');
  assert.ok(r.notes.some((n) => n.message === 'service web: deploy.placement.constraints has no Topo equivalent; kept as a comment'));
  assert.ok(!r.notes.some((n) => /max_replicas_per_node/.test(n.message)));
});

test('real-world: minecraft (deploy limit 1.5G only) imports its memory and says exactly what was filled in', (t) => {
  const p = join(REAL, 'compose', 'minecraft.compose.yaml');
  if (!existsSync(p)) return t.skip(`${p} absent`);
  const r = importCompose({ path: 'minecraft.compose.yaml', text: readFileSync(p, 'utf8') });
  const mc = byName(checked(r.text), 'minecraft');
  assert.deepEqual([mc.memoryRequest, mc.memoryLimit], [1536 * 2 ** 20, 1536 * 2 ** 20]);
  const notes = r.notes.filter((n) => n.message.startsWith('service minecraft: filled in') || /using defaults/.test(n.message)).map((n) => n.message);
  assert.deepEqual(notes, ['service minecraft: filled in cpu 100m (a default: none stated); memory request 1536MiB = its limit (no reservation; Topo counts requests)']);
});
