// A quick fix never introduces an error: every fix offered on every fixture and example is
// applied, the program is checked again, and no error code occurs more often than before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { checkProgram, type CheckResult } from '../../../server/src/core/check';
import * as ide from '../../../server/src/core/ide/index';
import { NodeFileHost } from '../../../server/src/node/fileHost';
import { MemoryHost } from '../../../server/src/core/host';
import { addedErrors } from '../../fuzz/invariants';
import { findFixtures } from '../fixture-format';

const root = resolve(__dirname, '../../fixtures');
const files = [...findFixtures(root), ...findFixtures(join(root, '../../examples'))];

function recheck(file: string, before: CheckResult, text: string): CheckResult {
  const all = new Map<string, string>();
  for (const [f, t] of before.trees) all.set(f, t.text);
  all.set(file, text);
  return checkProgram(file, new MemoryHost(all, dirname(file)), { rootText: text });
}

test('no quick fix of a fixture or an example adds an error', () => {
  let applied = 0;
  const broken: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const before = checkProgram(file, new NodeFileHost(dirname(file)), { rootText: text });
    const s = { file, text, check: before, simulation: null };
    for (const d of before.diagnostics.filter((x) => x.file === file)) {
      for (const a of ide.codeActions(s, d.span, [d]).filter((x) => x.kind === 'quickfix')) {
        if (a.edits.some((e) => e.file !== file)) continue;
        const after = recheck(file, before, ide.applyEdits(text, a.edits));
        applied++;
        const added = addedErrors(before, after);
        if (added.length) broken.push(`${file}: "${a.title}" (on ${d.code}) adds ${added.join('; ')}`);
      }
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(applied >= 30, `${applied} fixes applied`);
});

/** Applies every quick fix of `text` and returns what each adds (title -> added errors), and the titles. */
function fixesOf(text: string): { titles: string[]; added: string[] } {
  const file = '/work/main.topo';
  const before = checkProgram(file, new MemoryHost(new Map([[file, text]]), '/work'), { rootText: text });
  const s = { file, text, check: before, simulation: null };
  const titles: string[] = [];
  const added: string[] = [];
  for (const d of before.diagnostics) {
    for (const a of ide.codeActions(s, d.span, [d]).filter((x) => x.kind === 'quickfix')) {
      titles.push(a.title);
      const more = addedErrors(before, recheck(file, before, ide.applyEdits(text, a.edits)));
      if (more.length) added.push(`"${a.title}" adds ${more.join('; ')}`);
    }
  }
  return { titles, added };
}

test('issue 15: "Place on r1" is not offered when every active node of r1 is in an SDS (only a spare is free)', () => {
  const r = fixesOf(`rack r1 { node n1..n4 { cores 32 memory 256GiB } node n5 { cores 32 memory 256GiB role spare } }
rack r2 { node m1..m2 { cores 16 memory 64GiB } }
sds pod { nodes r1.n1..n4 }
container a { cpu 1 memory 1GiB place on r2 }
container b { cpu 1 memory 1GiB }
`);
  assert.ok(!r.titles.includes('Place on `r1`'), r.titles.join('\n'));
  assert.ok(r.titles.includes('Place on `pod`') && r.titles.includes('Place on `r2`'), r.titles.join('\n'));
  assert.deepEqual(r.added, []);
});

test('issue 21: "Place on" is offered only where the network requests fit the NICs (an SDS with no node has none)', () => {
  // 2001 replicas: more than the analysis re-places to check its fixes, so the offer itself must know.
  // b asks 2001 x 10Mbps = 20.01Gbps: pod's two nodes have 2 x 25 = 50Gbps; slow's 2 x 10 = 20Gbps, short;
  // r3's node m1 has 100Gbps but a takes 80 of it (20 left, short); empty has no node (0Gbps)
  const r = fixesOf(`rack r1 { node n1..n2 { cores 32 memory 256GiB nic 25Gbps } node s1..s2 { cores 32 memory 256GiB nic 10Gbps } }
rack r3 { node m1 { cores 32 memory 256GiB nic 100Gbps } }
sds pod { nodes r1.n1..n2 }
sds slow { nodes r1.s1..s2 }
sds empty { }
container a { cpu 1 memory 1GiB network 80Gbps place on r3 }
container b { cpu 0.01 memory 1MiB network 10Mbps replicas 2001 }
`);
  assert.ok(r.titles.includes('Place on `pod`'), r.titles.join('\n'));
  for (const t of ['Place on `slow`', 'Place on `empty`', 'Place on `r3`']) assert.ok(!r.titles.includes(t), `${t} offered:\n${r.titles.join('\n')}`);
  assert.deepEqual(r.added, []);
});

test('issue 15: "Add `nodes`" does not take the spare a scenario adds later, nor nodes containers are packed onto', () => {
  const r = fixesOf(`rack r1 { node n1..n4 { cores 32 memory 256GiB } node n5 { cores 32 memory 256GiB role spare } }
rack r2 { node m1..m2 { cores 16 memory 64GiB } }
sds pod { }
container db { cpu 4 memory 64GiB place on pod }
container web { cpu 1 memory 1GiB place on r2 }
scenario s { at 5s add r1.n5 to pod }
`);
  assert.ok(r.titles.includes('Add `nodes r1.n1..n4`'), r.titles.join('\n'));
  assert.deepEqual(r.added, []);
});

test('issue 15: "Change to" on an `add` of an unknown node only suggests a node that may join', () => {
  const r = fixesOf(`rack r1 { node n1..n4 { cores 32 memory 256GiB } node n5 { cores 32 memory 256GiB role spare } }
sds pod { nodes r1.n1..n4 }
container db { cpu 4 memory 64GiB place on pod }
scenario s { at 5s add r1.n6 to pod }
`);
  assert.deepEqual(r.titles, ['Change to `n5`']);
  assert.deepEqual(r.added, []);
});
