import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { hover } from '../../../server/src/core/ide/index';
import type { BlockKind } from '../../../server/src/core/syntax/ast';
import { PROPERTIES, writtenDefault } from '../../../server/src/core/syntax/schema';

/**
 * Issue 16: each property's default is data of the schema (written as a user writes it), and the
 * binder reads it from there: a program without the property binds as one that writes the default.
 */

const GiB = 1024 ** 3;

/** A program with every kind of block, `line` added to the block of `kind`. */
function program(kind: BlockKind | null, line = ''): string {
  const at = (k: BlockKind): string => (kind === k ? `\n  ${line}\n` : '');
  return `defaults {${at('defaults')}}
fabric {${at('fabric')}}
rack r1 {${at('rack')}
  node n1..n4 { cores 32 memory 256GiB disk nvme0 2TB${kind === 'node' ? ` ${line}` : ''} }
}
rack r2 { node m1 { cores 32 memory 256GiB } }
sds pod1 {
  nodes r1.n1..n4${at('sds')}}
container db { cpu 1 memory 1GiB place on pod1 }
container api {
  cpu 1
  memory 1GiB
  place on pod1${at('container')}}
scenario "s" {${at('scenario')}}
`;
}

function modelOf(text: string): string {
  const r = checkText(text);
  assert.deepEqual(r.diagnostics.filter((d) => /^T[123]/.test(d.code)).map((d) => d.message), [], text);
  // a value read from the file is number x unit (`10us` is 10 x 1e-6, one ulp from 10e-6): compare to 12 digits
  return JSON.stringify(r.model, (key, value: unknown) => {
    if (key === 'at' || key === 'nameAt' || key === 'block') return undefined;
    return typeof value === 'number' && Number.isFinite(value) ? Number(value.toPrecision(12)) : value;
  });
}

test('a property left out binds as its schema default written out', () => {
  const without = modelOf(program(null));
  let checked = 0;
  for (const [block, specs] of Object.entries(PROPERTIES) as [BlockKind, (typeof PROPERTIES)[BlockKind]][]) {
    for (const spec of specs) {
      const d = writtenDefault(spec);
      if (d === undefined) continue;
      assert.equal(modelOf(program(block, `${spec.name} ${d}`)), without, `${block} \`${spec.name} ${d}\``);
      checked++;
    }
  }
  // talks/io weights are defaults of a sub-keyword after a name: checked below
  assert.ok(checked >= 20, `only ${checked} defaults`);
  const weightless = modelOf(program('container', 'talks db'));
  assert.equal(modelOf(program('container', 'talks db weight 10%')), weightless);
});

test('the defaults are the ones the language reference states (hand-written values)', () => {
  const m = checkText(program(null)).model;
  assert.deepEqual(
    { cpu: m.defaults.cpuRatio, memory: m.defaults.memoryRatio, policy: m.defaults.policy, seed: m.defaults.seed, duration: m.defaults.duration, tick: m.defaults.tick, threshold: m.defaults.localityThreshold, headroom: m.defaults.headroom, pack: m.defaults.pack },
    { cpu: 1, memory: 1, policy: 'cost', seed: 1, duration: 30, tick: 0.01, threshold: 0.8, headroom: 1, pack: 'spread' },
  );
  assert.deepEqual([m.racks[0].latency, m.racks[0].bandwidth, m.fabric.latency, m.fabric.bandwidth], [2e-6, 100e9 / 8, 10e-6, 400e9 / 8]);
  assert.deepEqual([m.nodes[0].nic, m.nodes[0].role], [25e9 / 8, 'active']);
  const sds = m.sdses[0];
  assert.deepEqual([sds.reserveCores, sds.reserveMemory, sds.granularity, sds.overheadVcpu, sds.overheadChunk], [1, 4 * GiB, 2 * 1024 ** 2, 20e-6, 5e-6]);
  const api = m.containers[1];
  assert.deepEqual([api.replicas, api.load, api.skew, api.writes, api.priority], [1, 0.5, 0.8, 0.3, 'normal']);
  const talks = checkText(program('container', 'talks db')).model.containers[1].talks;
  assert.equal(talks[0].weight, 0.1);
});

test('every default the schema holds is the one its doc (hover, completion) states', () => {
  for (const [block, specs] of Object.entries(PROPERTIES) as [BlockKind, (typeof PROPERTIES)[BlockKind]][]) {
    for (const spec of specs) {
      if (spec.default !== undefined) assert.ok(spec.values?.includes(spec.default), `${block} ${spec.name}: default \`${spec.default}\` is not one of its values`);
      const d = writtenDefault(spec);
      if (d === undefined) continue;
      const said = d.split(' ').filter((w) => !(spec.keys && w in spec.keys));
      for (const w of said) assert.ok(spec.doc.includes(w), `${block} ${spec.name}: the doc does not say the default \`${d}\` (${spec.doc})`);
    }
  }
});

test('hover on a sub-keyword shows its default from the schema', () => {
  const text = program('sds', 'reserve cores 2 memory 8GiB').replace('place on pod1}', 'place on pod1\n  talks db weight 20%\n}');
  const s = { file: '/work/main.topo', text, check: checkText(text) };
  const at = (needle: string) => hover(s, text.indexOf(needle) + 1)?.contents ?? '';
  assert.match(at('cores 2'), /default `1`/);
  assert.match(at('memory 8GiB'), /default `4GiB`/);
  assert.match(at('weight 20%'), /Default `10%`/);
});
