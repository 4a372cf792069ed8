import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkText, checkProgram } from '../../../server/src/core/check';
import { NodeFileHost } from '../../../server/src/node/fileHost';
import { expandNameRange } from '../../../server/src/core/model/ranges';

const GiB = 1024 ** 3;
const codes = (text: string) => checkText(text).diagnostics.map((d) => d.code);

test('units become canonical values', () => {
  const r = checkText(`
defaults { duration 2min tick 5ms threshold locality 75% }
rack r1 { latency 3us bandwidth 200Gbps
  node n1 { cores 8 memory 32GiB nic 10Gbps disk d0 1TB }
}
container web { cpu request 250m limit 1 memory request 512MiB limit 1GiB load 40% place on r1 }`);
  assert.deepEqual(r.diagnostics, []);
  const m = r.model;
  assert.equal(m.defaults.duration, 120);
  assert.equal(m.defaults.tick, 0.005);
  assert.equal(m.defaults.localityThreshold, 0.75);
  assert.equal(m.racks[0].latency, 3e-6);
  assert.equal(m.racks[0].bandwidth, 25e9);
  assert.equal(m.nodes[0].memory, 32 * GiB);
  assert.equal(m.nodes[0].nic, 10e9 / 8);
  assert.deepEqual(m.nodes[0].disks.map((d) => [d.name, d.bytes]), [['d0', 1e12]]);
  const c = m.containers[0];
  assert.equal(c.cpuRequest, 0.25);
  assert.equal(c.cpuLimit, 1);
  assert.equal(c.memoryRequest, 512 * 1024 ** 2);
  assert.equal(c.workingSet, c.memoryRequest, 'the working set defaults to the memory request');
  assert.equal(c.load, 0.4);
});

test('node ranges keep leading zeros and expand in order', () => {
  assert.deepEqual(expandNameRange('n01', 'n03'), { names: ['n01', 'n02', 'n03'] });
  assert.deepEqual(expandNameRange('n8', 'n10'), { names: ['n8', 'n9', 'n10'] });
  assert.ok('error' in expandNameRange('n1', 'm3'));
  assert.ok('error' in expandNameRange('n5', 'n2'));
  assert.ok('error' in expandNameRange('n1', 'n200000'), 'an enormous range is refused, not expanded');
  const r = checkText('rack r1 { node n01..n12 { cores 4 memory 8GiB } }\nsds s { nodes r1.n01..n04, r1.n10 }');
  assert.deepEqual(r.diagnostics.map((d) => d.code), []);
  assert.deepEqual(r.model.sdses[0].nodes.map((i) => r.model.nodes[i].ref), ['r1.n01', 'r1.n02', 'r1.n03', 'r1.n04', 'r1.n10']);
  assert.equal(r.model.nodes[9].sds, 0, 'n10 is in the SDS');
  assert.equal(r.model.nodes[4].sds, null, 'n05 is not');
});

test('r1.* names every node of a rack; a list unions its items without repeats, and a repeat is T305', () => {
  const r = checkText('rack r1 { node a1..a3 { cores 4 memory 8GiB } }\nrack r2 { node b1 { cores 4 memory 8GiB } }\nsds s { nodes r1.*, r1.a2, r2.b1 }');
  // (before issue 15 a repeated node was silently dropped; it is a warning on the repeat now)
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T406', 'T305'], 'that the SDS spans two racks, and the repeat of `r1.a2`');
  assert.match(r.diagnostics[1].message, /`r1\.a2` is already in this node set \(from `r1\.\*`\)/);
  assert.deepEqual(r.model.sdses[0].nodes.map((i) => r.model.nodes[i].ref), ['r1.a1', 'r1.a2', 'r1.a3', 'r2.b1']);
});

test('keywords are contextual: a container called memory, a rack called node', () => {
  const r = checkText(`rack node { node n1 { cores 4 memory 8GiB } }
container memory { cpu 1 memory 1GiB place on node }
container web { cpu 1 memory 1GiB talks memory weight 20% colocate memory place on node }`);
  assert.deepEqual(r.diagnostics.map((d) => `${d.code} ${d.message}`), []);
  const web = r.model.containers[1];
  assert.equal(web.talks[0].container, 0);
  assert.equal(web.talks[0].weight, 0.2);
  assert.equal(web.colocate?.container, 0);
});

test('several properties share a line; `;` separates them too', () => {
  const r = checkText('rack r1 { node n1 { cores 4; memory 8GiB nic 1Gbps } }');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.model.nodes[0].cores, 4);
  assert.equal(r.model.nodes[0].nic, 1e9 / 8);
});

test('place on is implicit with exactly one SDS or packing rack, required otherwise', () => {
  const one = checkText('rack r1 { node n1..n2 { cores 4 memory 8GiB } }\nsds s { nodes r1.* }\ncontainer c { cpu 1 memory 1GiB }');
  assert.deepEqual(one.diagnostics, []);
  assert.equal(one.model.containers[0].target?.kind, 'sds');
  assert.equal(one.model.containers[0].targetImplicit, true);
  const two = checkText('rack r1 { node n1 { cores 4 memory 8GiB } }\nrack r2 { node n1 { cores 4 memory 8GiB } }\ncontainer c { cpu 1 memory 1GiB }');
  assert.deepEqual(two.diagnostics.map((d) => d.code), ['T304']);
  assert.equal(two.diagnostics[0].fixes.length, 2, 'one fix per possible target');
});

test('targets resolve to SDS, rack or node set; a container is the wrong kind', () => {
  const r = checkText(`rack r1 { node n1..n4 { cores 4 memory 8GiB } }
sds s { nodes r1.n1..n2 }
container a { cpu 1 memory 1GiB place on s }
container b { cpu 1 memory 1GiB place on r1 }
container c { cpu 1 memory 1GiB place on r1.n3..n4 }
container d { cpu 1 memory 1GiB place on a }`);
  const kinds = r.model.containers.map((c) => c.target?.kind ?? null);
  assert.deepEqual(kinds, ['sds', 'rack', 'nodes', null]);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T202']);
});

test('a typo gives one diagnostic with a suggestion and a fix, not a cascade', () => {
  const r = checkText(`rack r1 { node n1 { cores 4 memory 8GiB } }
container cache { cpu 1 memory 1GiB place on r1 }
container web { cpu 1 memory 1GiB talks cahce place on r1 }`);
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0];
  assert.equal(d.code, 'T200');
  assert.match(d.message, /Did you mean `cache`\?/);
  assert.equal(d.fixes[0].edits[0].newText, 'cache');
  const text = 'rack r1 {\n  node n1 { cores 4 memory 8GiB }\n  latncy 2us\n}\n';
  assert.deepEqual(codes(text), ['T104']);
  assert.match(checkText(text).diagnostics[0].message, /Did you mean `latency`\?/);
});

test('a missing brace is one T101, and later declarations still bind', () => {
  const r = checkText('rack r1 {\n  node n1 { cores 4 memory 8GiB }\n\ncontainer c { cpu 1 memory 1GiB place on r1 }\n');
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T101']);
  assert.equal(r.model.containers.length, 1);
  assert.equal(r.model.containers[0].target?.kind, 'rack');
});

test('a negative value is out of range (T302), not a syntax error', () => {
  assert.deepEqual(codes('rack r1 { node n1 { cores -4 memory 8GiB } }'), ['T302']);
});

test('missing unit offers fixes that add one', () => {
  const r = checkText('rack r1 { node n1 { cores 4 memory 8 } }');
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T300']);
  const fix = r.diagnostics[0].fixes[0];
  assert.equal(fix.edits[0].newText, 'GiB');
  assert.equal(fix.edits[0].span.start, fix.edits[0].span.end, 'inserted right after the number');
});

test('scenario events resolve and are sorted by time', () => {
  const r = checkText(`rack r1 { node n1..n3 { cores 4 memory 8GiB } node n4 { cores 4 memory 8GiB role spare } }
sds s { nodes r1.n1..n3 }
container c { cpu 1 memory 1GiB place on s }
scenario "what if" {
  at 8s add r1.n4 to s
  at 5s fail r1.n2
  at 9s scale c to 3
  at 10s load c 90%
}`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.model.scenarios[0].events.map((e) => [e.kind, e.t]), [['fail', 5], ['add', 8], ['scale', 9], ['load', 10]]);
});

test('imports: declarations of imported files come first; diamonds load once', () => {
  const files = new Map([
    ['/w/hw.topo', 'rack r1 { node n1 { cores 4 memory 8GiB } }'],
    ['/w/a.topo', 'import "hw.topo"\ncontainer a { cpu 1 memory 1GiB place on r1 }'],
    ['/w/b.topo', 'import "hw.topo"\ncontainer b { cpu 1 memory 1GiB place on r1 }'],
  ]);
  const r = checkText('import "a.topo"\nimport "b.topo"\ncontainer main { cpu 1 memory 1GiB talks a talks b place on r1 }', '/w/main.topo', files);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.model.containers.map((c) => c.name), ['a', 'b', 'main']);
  assert.equal(r.model.racks.length, 1);
  assert.equal(r.model.racks[0].nameAt.file, '/w/hw.topo');
});

test('imports cannot leave the workspace, symbolic links included (T204)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-ws-'));
  const ws = join(dir, 'ws');
  mkdirSync(ws);
  writeFileSync(join(dir, 'outside.topo'), 'rack x { node n1 { cores 1 memory 1GiB } }');
  symlinkSync(join(dir, 'outside.topo'), join(ws, 'link.topo'));
  writeFileSync(join(ws, 'main.topo'), 'import "link.topo"\nimport "../outside.topo"\n');
  const r = checkProgram(join(ws, 'main.topo'), new NodeFileHost(ws));
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T204', 'T204']);
  assert.match(r.diagnostics[0].message, /symbolic link/);
  assert.equal(r.model.racks.length, 0, 'nothing outside was read');
});

test('parsing keeps no global state: interleaved files give independent results', () => {
  const a = 'rack r1 { node n1 { cores 4 memory 8GiB } }';
  const b = 'rack r1 { node n1 { cores 4 memory 8GiB } }\nrack r1 { node n1 { cores 4 memory 8GiB } }';
  const first = checkText(a);
  checkText(b);
  assert.deepEqual(checkText(a).diagnostics, first.diagnostics);
  assert.deepEqual(codes(b), ['T201']);
});

test('a lone \\r is a line break, as editors count it: it ends a comment and separates properties', () => {
  const r = checkText('rack r1 {\r  node n1 { cores 4 # four\r memory 8GiB }\r}\rcontainer c { cpu 1\rmemory 1GiB place on r1 }\r');
  assert.deepEqual(r.diagnostics.map((d) => d.code), []);
  assert.equal(r.model.nodes[0].memory, 8 * 2 ** 30);
  assert.deepEqual(r.trees.get('/work/main.topo')!.comments.map((c) => c.text), ['# four']);
  const s = checkText('rack r1 { node n1 { cores 4 memory 8GiB } }\ncontainer c { image "a\r"\r}\r');
  const t102 = s.diagnostics.filter((d) => d.code === 'T102');
  assert.equal(t102.length, 2, 'each quote opens a string that ends at the line break');
  assert.equal(t102[0].span.end, s.trees.get('/work/main.topo')!.text.indexOf('\r'));
});

test('a load event above 100% says what load is and how to get more, on the value', () => {
  const text = 'rack r1 {\n  node n1 { cores 8 memory 16GiB }\n}\ncontainer db {\n  cpu 2\n  memory 1GiB\n  place on r1\n}\nscenario surge {\n  at 1s load db 150%\n}\n';
  const d = checkText(text).diagnostics.filter((x) => x.code === 'T302');
  assert.equal(d.length, 1);
  assert.deepEqual(d[0].span, { start: text.indexOf('150%'), end: text.indexOf('150%') + 4 });
  assert.match(d[0].message, /^`150%` is out of range for `at`: it must be from 0% to 100%, the share of its CPU limit the container uses \(for more, raise its `cpu` limit or add replicas: `scale db to N`\)$/);
});
