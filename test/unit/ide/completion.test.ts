import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completion } from '../../../server/src/core/ide/index';
import type { CompletionItem } from '../../../server/src/core/ide/types';
import { SPEC_EXAMPLE, snap } from './helpers';

/** Completion labels with `typed` inserted after `after` in the spec example (the cursor at its end). */
function inExample(after: string, typed: string): CompletionItem[] {
  const i = SPEC_EXAMPLE.indexOf(after);
  assert.ok(i >= 0, after);
  const at = i + after.length;
  const { s, offset } = snap(`${SPEC_EXAMPLE.slice(0, at)}${typed}|${SPEC_EXAMPLE.slice(at)}`);
  return completion(s, offset);
}
function labels(after: string, typed: string): string[] {
  return inExample(after, typed).map((x) => x.label);
}
function at(text: string): string[] {
  const { s, offset } = snap(text);
  return completion(s, offset).map((x) => x.label);
}

test('top level: declaration keywords and block snippets, replacing the partial word', () => {
  const { s, offset } = snap('ra|');
  const items = completion(s, offset);
  for (const k of ['import', 'defaults', 'rack', 'fabric', 'sds', 'container', 'scenario']) assert.ok(items.some((x) => x.label === k && x.kind === 'keyword'), k);
  const snippet = items.find((x) => x.kind === 'snippet' && x.label.startsWith('container'));
  assert.ok(snippet?.snippet && snippet.insertText?.includes('place on'));
  assert.deepEqual(items[0].replace, { start: 0, end: 2 });
  assert.ok(items.find((x) => x.label === 'rack')?.documentation?.includes('rack'));
  assert.deepEqual(labels('\n}\n\nrack r1 {', ' '), ['pack', 'node']); // right after `{`: inside the block
});

test('start of a line inside each block kind: the properties not yet given, with docs', () => {
  assert.deepEqual(labels('defaults {\n', '  '), ['policy', 'seed', 'tick', 'threshold', 'headroom', 'pack', 'energy', 'lifetime']);
  assert.deepEqual(labels('rack r1 {\n', '  '), ['pack', 'node']);
  assert.deepEqual(labels('sds pod1 {\n', '  '), ['oversubscribe', 'granularity', 'overhead']);
  assert.deepEqual(labels('container api {\n', '  '), ['image', 'load', 'workingset', 'skew', 'writes', 'talks', 'io', 'colocate', 'tenant', 'network', 'priority']);
  assert.deepEqual(labels('scenario "lose a node" {\n', '  '), ['duration', 'seed', 'policy', 'at']);
  assert.deepEqual(at('fabric {\n  |\n}\n'), ['latency', 'bandwidth']);
  assert.deepEqual(at('rack r {\n  node n1 {\n    cores 4\n    |\n  }\n}\n'), ['memory', 'nic', 'disk', 'role', 'price', 'power']);
  const talks = inExample('container api {\n', '  ').find((x) => x.label === 'talks');
  assert.ok(talks?.documentation?.includes('Repeatable'));
  assert.equal(talks?.detail, 'talks CONTAINER [weight PERCENT]');
  assert.ok(talks?.snippet);
  // the property being typed is not hidden by itself
  assert.ok(labels('container cache {\n', '  plac').includes('place') === false); // cache has place already
  assert.ok(at('container c {\n  plac|\n}\n').includes('place'));
});

test('values: enums, sub-keywords and targets of the right kind', () => {
  assert.deepEqual(labels('container api {\n', '  priority '), ['low', 'normal', 'high']);
  assert.deepEqual(labels('container api {\n', '  spread '), ['nodes', 'racks']);
  assert.deepEqual(labels('sds pod1 {\n', '  policy '), ['static', 'page', 'vcpu', 'cost']);
  assert.deepEqual(labels('rack r1 {\n', '  node n9 { cores 1 memory 1GiB role '), ['active', 'spare']);
  assert.deepEqual(labels('container api {\n', '  cpu '), ['request', 'limit']);
  assert.deepEqual(labels('container api {\n', '  cpu request 1 '), ['limit']);
  assert.deepEqual(labels('sds pod1 {\n', '  reserve '), ['cores', 'memory']);
  assert.deepEqual(labels('defaults {\n', '  oversubscribe cpu 2 '), ['memory']);
  assert.deepEqual(labels('defaults {\n', '  threshold '), ['locality']);
  assert.deepEqual(labels('container api {\n', '  place '), ['on']);
  assert.deepEqual(labels('container api {\n', '  place on '), ['pod1', 'r1', 'r2']);
  assert.match(inExample('container api {\n', '  place on ')[0].detail ?? '', /SDS · 4 nodes, 124 cores, 992GiB/);
  assert.deepEqual(labels('container api {\n', '  place on r1.'), ['n1', 'n2', 'n3', 'n4', 'n5', '*']);
  // issue 18: only ends that make a valid range (`n1..n1` is no range)
  assert.deepEqual(labels('container api {\n', '  place on r1.n1..'), ['n2', 'n3', 'n4', 'n5']);
  assert.deepEqual(labels('container api {\n', '  io r1.n2.'), ['nvme0']);
  assert.ok(labels('container api {\n', '  io ').includes('r1.n1.nvme0'));
  assert.deepEqual(labels('container api {\n', '  talks '), ['analytics', 'cache']);
  assert.deepEqual(labels('container api {\n', '  talks cache '), ['weight']);
  assert.deepEqual(labels('container api {\n', '  colocate ca'), ['analytics', 'cache']);
  assert.deepEqual(labels('sds pod1 {\n', '  nodes r2.'), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', '*']);
  assert.deepEqual(labels('sds pod1 {\n', '  nodes '), ['r1', 'r2']);
});

test('range ends stop at the first missing node, and for an SDS at a spare or another SDS\'s node', () => {
  const rack = 'rack r {\n  node n1..n3 { cores 4 memory 8GiB }\n  node n5 { cores 4 memory 8GiB }\n  node n6 { cores 4 memory 8GiB role spare }\n  node n7 { cores 4 memory 8GiB }\n  node n01..n03 { cores 4 memory 8GiB }\n}\n';
  // n4 is missing: n1..n5 would name it, so the ends after n1 are n2 and n3 only
  assert.deepEqual(at(`${rack}container c { place on r.n1..| }\n`), ['n2', 'n3']);
  assert.deepEqual(at(`${rack}container c { place on r.n5..| }\n`), ['n6', 'n7']);
  // for an SDS's nodes the spare n6 stops the walk; leading zeros are kept (n01..n03)
  assert.deepEqual(at(`${rack}sds p { nodes r.n5..| }\n`), []);
  assert.deepEqual(at(`${rack}sds p { nodes r.n01..| }\n`), ['n02', 'n03']);
  assert.deepEqual(at(`${rack}sds q { nodes r.n2 }\nsds p { nodes r.n1..| }\n`), []);
});

test('scenario events: kinds, nodes, spares after add, SDS after to, containers after scale/load', () => {
  const sc = 'scenario "lose a node" {\n';
  assert.deepEqual(labels(sc, '  at 5s '), ['fail', 'add', 'scale', 'load']);
  assert.deepEqual(labels(sc, '  at 5s add '), ['r1.n5']);
  assert.deepEqual(labels(sc, '  at 5s add r1.n5 '), ['to']);
  assert.deepEqual(labels(sc, '  at 5s add r1.n5 to '), ['pod1']);
  assert.deepEqual(labels(sc, '  at 5s scale '), ['analytics', 'api', 'cache']);
  assert.deepEqual(labels(sc, '  at 5s scale api '), ['to']);
  assert.deepEqual(labels(sc, '  at 5s load '), ['analytics', 'api', 'cache']);
  assert.ok(labels(sc, '  at 5s fail ').includes('r1.n3'));
  assert.ok(!labels(sc, '  at 5s fail ').includes('r1.n5'));
  assert.deepEqual(labels(sc, '  at 5s fail r1.'), ['n1', 'n2', 'n3', 'n4', 'n5']);
});

test('units right after a number: only the kind the property takes, the number kept, the typical unit first', () => {
  // issue 18: one item per unit with the number kept (`4GiB`), ranked as the missing-unit fix ranks them
  const c = 'container api {\n';
  assert.equal(labels(c, '  memory 4')[0], '4GiB');
  assert.ok(labels(c, '  memory 4').includes('4MiB'));
  assert.ok(!labels(c, '  memory 4').some((l) => l.endsWith('ms')));
  assert.deepEqual(labels(c, '  cpu 4'), ['4m']);
  assert.deepEqual(labels(c, '  load 4'), ['4%']);
  assert.deepEqual(labels(c, '  talks cache weight 4'), ['4%']);
  assert.deepEqual(labels(c, '  replicas 4'), []);
  assert.deepEqual(labels('rack r1 {\n', '  latency 4'), ['4us', '4ns', '4ms', '4s', '4min', '4h', '4d', '4y']);
  assert.ok(labels('rack r1 {\n', '  node n9 { cores 4 nic 2').includes('2Gbps'));
  assert.deepEqual(labels('scenario "lose a node" {\n', '  at 5'), ['5s', '5min', '5h', '5ms', '5us', '5ns', '5d', '5y']);
  assert.deepEqual(labels('scenario "lose a node" {\n', '  at 5s load api 5'), ['5%']);
  assert.equal(labels('defaults {\n', '  tick 10')[0], '10ms');
  assert.deepEqual(labels('container api {\n', '  memory 1.5').slice(0, 2), ['1.5GiB', '1.5GB']);
  const items = inExample(c, '  memory 4Gi');
  const gib = items.find((x) => x.label === '4GiB');
  const start = SPEC_EXAMPLE.indexOf(c) + c.length + '  memory '.length;
  assert.deepEqual(gib?.replace, { start, end: start + 3 }, 'replaces the number written so far');
  assert.equal(gib?.kind, 'unit');
  assert.ok(items.every((x, i) => i === 0 || (x.sortText ?? '') > (items[i - 1].sortText ?? '')), 'sorted as ranked');
});

test('after a complete value on a shared line, the remaining properties', () => {
  assert.deepEqual(labels('rack r1 {\n', '  node n9 { cores 4 '), ['memory', 'nic', 'disk', 'role', 'price', 'power']);
  assert.deepEqual(labels('rack r1 {\n', '  node n9 { cores '), []); // a number comes next
  // issue 18: `image ` offers a string (the schema's example), no property keywords
  assert.deepEqual(labels('container api {\n', '  image '), ['"registry/app:1.0"']);
  assert.ok(labels('container api {\n', '  replicas 2 wo').includes('workingset'));
});

test('half-typed files with syntax errors still complete', () => {
  assert.deepEqual(at('container x {\n  place on |'), []); // no targets declared
  assert.deepEqual(at('rack r1 { node n1 { cores 4 memory 8GiB } }\ncontainer x {\n  place on |'), ['r1']);
  assert.deepEqual(at('rack r1 { node n1 { cores 4x memory } }\ncontainer x {\n  spread |\n'), ['nodes', 'racks']);
  assert.ok(at('rack r1 {\n  node n1 { cores 4 memory 8GiB }\n  node n2 {\n    |\n').includes('cores'));
  assert.deepEqual(at('container a {\n  talks \ncontainer b {\n  colocate |\n}\n'), ['a']);
  assert.ok(at('container c {\n  }\n}\n|').includes('rack'));
  assert.deepEqual(at('rack |'), []);
  assert.deepEqual(at('container api {\n  # place on |\n}\n'), []);
  assert.deepEqual(at('container api {\n  image "place on |\n}\n'), []);
});

test('completion never throws at any offset of broken text', () => {
  const texts = [SPEC_EXAMPLE.slice(0, 700), 'rack r1 { node n1..n { cores 4x\ncontainer c { place on r1.n1..n9, talks', '}}}{{{ "x\n.. , * ;', ''];
  for (const t of texts) {
    const { s } = snap(t.replace(/\|/g, ''));
    for (let i = 0; i <= s.text.length; i++) completion(s, i);
    completion(s, -5);
    completion(s, s.text.length + 5);
  }
});

test('completion knows the words of `pack` and `spread ... even`', () => {
  assert.deepEqual(at('defaults {\n  pack |\n}\n'), ['spread', 'tight']);
  assert.deepEqual(at('rack r {\n  pack |\n}\n'), ['spread', 'tight']);
  assert.deepEqual(at('container c {\n  spread nodes |\n}\n'), ['even']);
  assert.deepEqual(at('container c {\n  spread |\n}\n'), ['nodes', 'racks']);
});
