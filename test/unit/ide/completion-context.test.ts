import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completion } from '../../../server/src/core/ide/index';
import { PLACES } from '../../../server/src/core/ide/completion';
import { completionContext } from '../../../server/src/core/ide/completion-context';
import { alternativesOf, nextAfter } from '../../../server/src/core/ide/completion-grammar';
import { MemoryHost } from '../../../server/src/core/host';
import { PROPERTIES, type PropertySpec } from '../../../server/src/core/syntax/schema';
import type { BlockKind } from '../../../server/src/core/syntax/ast';
import { parseFile } from '../../../server/src/core/syntax/parser';
import { SPEC_EXAMPLE, snap } from './helpers';

function contextAt(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  let start = offset;
  while (start > 0 && /[A-Za-z0-9_%-]/.test(text[start - 1])) start--;
  return completionContext(parseFile(text, '/w/a.topo').tree, offset, start);
}
function labels(text: string, files?: Map<string, string>, file = '/work/main.topo'): string[] {
  const { s, offset } = snap(text, files, file);
  const host = new MemoryHost(new Map([...(files ?? new Map<string, string>()), [file, s.text]]), '/work');
  return completion({ ...s, host }, offset).map((x) => x.label);
}

test('every property\'s syntax line reads as a grammar whose places completion knows', () => {
  for (const [block, specs] of Object.entries(PROPERTIES) as [BlockKind, readonly PropertySpec[]][]) {
    for (const spec of specs) {
      const alts = alternativesOf(spec);
      assert.ok(alts.length > 0, `${block}.${spec.name}`);
      const keys = new Set<string>();
      for (const alt of alts) {
        for (const [k, p] of alt.keys) {
          keys.add(k);
          assert.ok(p.kind !== 'name' || p.place in PLACES, `${block}.${spec.name} ${k}: unknown place ${p.kind === 'name' ? p.place : ''}`);
        }
        for (const p of alt.positional) assert.ok(p.kind !== 'name' || p.place in PLACES, `${block}.${spec.name}: unknown place ${p.kind === 'name' ? p.place : ''} — add it to PLACES in completion.ts`);
      }
      for (const k of Object.keys(spec.keys ?? {})) assert.ok(keys.has(k), `${block}.${spec.name}: the syntax line \`${spec.syntax}\` does not show the sub-keyword ${k}`);
      if (spec.quantity) assert.ok(alts.some((a) => a.positional.some((p) => p.kind === 'quantity' && p.quantity === spec.quantity)), `${block}.${spec.name}: its quantity is a place of the syntax line`);
    }
  }
});

test('a new property needs no completion code: its syntax line and keys are its grammar', () => {
  const spec: PropertySpec = { name: 'mirror', syntax: 'mirror CONTAINER [lag DURATION]', doc: '', snippet: 'mirror ${1:name}', takesName: true, keys: { lag: { unit: 'duration', range: { describe: '' } } } };
  const [alt] = alternativesOf(spec);
  assert.deepEqual(alt.positional.map((p) => (p.kind === 'name' ? p.place : p.kind)), ['CONTAINER']);
  assert.deepEqual([...alt.keys.keys()], ['lag']);
  assert.equal(alt.keys.get('lag')?.kind, 'quantity');
});

test('the context comes from the tree: property, argument place, list, member, range end, header, strings and comments', () => {
  const c = 'rack r2 { node m1..m4 { cores 1 memory 1GiB } }\ncontainer web {\n';
  const place = contextAt(`${c}  place on r2.m1..m4, |\n}\n`);
  assert.equal(place.kind, 'argument');
  if (place.kind === 'argument') {
    assert.equal(place.property.name.text, 'place');
    assert.equal(place.at.kind, 'list-item');
    assert.deepEqual(place.next.pieces.map((p) => (p.kind === 'name' ? p.place : p.kind)), ['TARGET']);
  }
  const weight = contextAt(`${c}  talks api weight |\n}\n`);
  assert.ok(weight.kind === 'argument' && weight.next.pieces[0]?.kind === 'quantity' && weight.next.pieces[0].quantity.unit === 'percent');
  const member = contextAt(`${c}  place on r2.|\n}\n`);
  assert.ok(member.kind === 'argument' && member.at.kind === 'member' && member.at.parts.join('.') === 'r2');
  const range = contextAt(`${c}  place on r2.m1..|\n}\n`);
  assert.ok(range.kind === 'argument' && range.at.kind === 'range-end' && range.at.from.parts.map((p) => p.text).join('.') === 'r2.m1');
  const unit = contextAt(`${c}  memory 4|\n}\n`);
  assert.ok(unit.kind === 'argument' && unit.at.kind === 'unit' && unit.at.digits === '4');
  assert.equal(contextAt(`${c}  replicas 2\n  |\n}\n`).kind, 'statement');
  assert.equal(contextAt(`${c}  replicas 2 |\n}\n`).kind, 'argument');
  assert.equal(contextAt(`rack r {\n  node n1..|\n}\n`).kind, 'node-range-end');
  assert.equal(contextAt(`${c}  # talks |\n}\n`).kind, 'none');
  assert.equal(contextAt(`${c}  image "a |\n}\n`).kind, 'none');
  assert.equal(contextAt(`import "|"\n`).kind, 'import-path');
  assert.equal(contextAt(`import |\n`).kind, 'import-path');
  assert.equal(contextAt(`|`).kind, 'top-level');
  // a list goes on after a `,` at the end of a line, as the parser reads it
  const next = contextAt(`sds p {\n  nodes r2.m1,\n    |\n}\n`);
  assert.ok(next.kind === 'argument' && next.at.kind === 'list-item');
});

test('nextAfter reads the arguments against every way of writing the property', () => {
  const args = (text: string) => {
    const tree = parseFile(`container c {\n  ${text}\n}\n`, '/w/a.topo').tree;
    const b = tree.items[0];
    assert.ok(b.kind === 'block' && b.members[0]?.kind === 'property');
    return b.members[0].kind === 'property' ? b.members[0].args : [];
  };
  assert.deepEqual(nextAfter('container', 'cpu', args('cpu')).keys, ['request', 'limit']);
  assert.deepEqual(nextAfter('container', 'cpu', args('cpu request 1')).keys, ['limit']);
  assert.equal(nextAfter('container', 'cpu', args('cpu 2')).complete, true);
  assert.deepEqual(nextAfter('container', 'talks', args('talks api')).keys, ['weight']);
  assert.deepEqual(nextAfter('container', 'spread', args('spread nodes')).modifiers, ['even']);
  assert.equal(nextAfter('container', 'replicas', args('replicas x')).matched, false);
});

test('completion through the core: disk names, images in use, weights, valid range ends, import paths', () => {
  assert.deepEqual(labels('rack r { node n1 { cores 1 memory 1GiB disk nvme0 1TB disk | } }\n'), ['nvme1']);
  assert.deepEqual(labels('container a { image "nginx:1.25" }\ncontainer b {\n  image |\n}\n'), ['"nginx:1.25"', '"registry/app:1.0"']);
  const weight = labels('container a { cpu 1 }\ncontainer b {\n  talks a weight |\n}\n');
  assert.equal(weight[0], '2%'); // listed in increasing order, the usual (10%) sorted first by sortText
  assert.ok(weight.includes('10%') && weight.every((l) => l.endsWith('%')));
  const i = SPEC_EXAMPLE.indexOf('  nodes r1.n1..n4');
  assert.ok(i > 0);
  const spec = `${SPEC_EXAMPLE.slice(0, i)}  nodes r1.n1..|\n${SPEC_EXAMPLE.slice(i + '  nodes r1.n1..n4\n'.length)}`;
  assert.deepEqual(labels(spec), ['n2', 'n3', 'n4'], 'neither the start node n1 nor the spare n5');
  const files = new Map([['/work/common.topo', 'fabric { latency 10us }\n'], ['/work/lib/net.topo', ''], ['/work/lib/readme.md', ''], ['/elsewhere/x.topo', '']]);
  assert.deepEqual(labels('import "|"\n', files), ['common.topo', 'lib/net.topo']);
  assert.deepEqual(labels('import "common.topo"\nimport "|"\n', files), ['lib/net.topo']);
  assert.deepEqual(labels('import |\n', files), ['"common.topo"', '"lib/net.topo"']);
  assert.deepEqual(labels('import "|"\n', files, '/work/lib/a.topo'), ['net.topo', '../common.topo']);
});
