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
