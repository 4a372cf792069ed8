import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkText } from '../../../server/src/core/check';
import { DIAGNOSTIC_SEVERITY, type Diagnostic } from '../../../server/src/core/diagnostics';
import type { TextEdit } from '../../../server/src/core/text';
import { findFixtures } from '../fixture-format';

const PATH = '/work/main.topo';

function apply(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) {
    assert.equal(e.file, PATH, 'edits stay in the file');
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  }
  return out;
}

const count = (ds: readonly Diagnostic[], code: string): number => ds.filter((d) => d.code === code).length;
const lower = (ds: readonly Diagnostic[]): string[] => ds.filter((d) => /^T[123]/.test(d.code)).map((d) => `${d.code} ${d.message}`);

/** Applies every fix of every T4xx diagnostic of `text` and checks that it removes one diagnostic of that code. */
function checkFixes(name: string, text: string): number {
  const before = checkText(text, PATH);
  let applied = 0;
  for (const d of before.diagnostics) {
    if (!d.code.startsWith('T4')) continue;
    for (const fix of d.fixes) {
      const fixed = apply(text, fix.edits);
      const after = checkText(fixed, PATH);
      assert.deepEqual(lower(after.diagnostics), lower(before.diagnostics), `${name}: "${fix.title}" keeps the file valid\n${fixed}`);
      assert.ok(count(after.diagnostics, d.code) < count(before.diagnostics, d.code),
        `${name}: "${fix.title}" removes the ${d.code}\n--- fixed text ---\n${fixed}\n--- still ---\n${after.diagnostics.map((x) => `${x.code} ${x.message}`).join('\n')}`);
      applied++;
    }
  }
  return applied;
}

test('every quick fix of the T4xx fixtures removes its diagnostic', () => {
  const dir = resolve(__dirname, '../../fixtures/T4xx');
  let applied = 0;
  for (const f of findFixtures(dir)) applied += checkFixes(f, readFileSync(f, 'utf8'));
  assert.ok(applied >= 10, `${applied} fixes applied`);
});

const CASES: Record<string, { text: string; titles: RegExp[] }> = {
  'ratio into a defaults block without oversubscribe': {
    text: 'defaults {\n  headroom 0\n}\nrack r2 { node m1..m2 { cores 16 memory 64GiB } }\ncontainer api { replicas 6 cpu request 500m limit 12 memory 1GiB place on r2 }\n',
    titles: [/oversubscribe cpu` of the defaults to 2\.3/],
  },
  'a whole defaults block when there is none, after the header comment': {
    text: '# header\n# more\n\nrack r2 {\n  node m1..m3 { cores 16 memory 64GiB }\n}\ncontainer api { replicas 4 cpu request 500m limit 20 memory 1GiB place on r2 }\n',
    titles: [/oversubscribe cpu` of the defaults to 2\.5/],
  },
  'cpu next to an existing memory ratio': {
    text: 'defaults { oversubscribe memory 1.0 headroom 0 }\nrack r2 { node m1..m2 { cores 16 memory 64GiB } }\ncontainer api { replicas 6 cpu request 500m limit 12 memory 1GiB place on r2 }\n',
    titles: [/oversubscribe cpu` of the defaults to 2\.3/],
  },
  'a one-line SDS block gets its own ratio': {
    text: 'defaults { headroom 0 }\nrack r1 { node n1..n2 { cores 16 memory 64GiB } }\nsds pod { nodes r1.* }\ncontainer api { replicas 4 cpu request 2 limit 10 memory 8GiB place on pod }\n',
    titles: [/oversubscribe cpu` of SDS `pod` to 1\.4/],
  },
  'move a too-large container to an SDS': {
    text: 'defaults { headroom 0 }\nrack r1 { node n1..n4 { cores 32 memory 256GiB } }\nrack r2 { node m1 { cores 16 memory 64GiB } }\nsds pod1 { nodes r1.* }\ncontainer big { memory 100GiB cpu 4 place on r2 }\n',
    titles: [/Move `big` to SDS `pod1`/],
  },
  'move off a full rack to an SDS, or lower replicas': {
    text: 'defaults { headroom 0 }\nrack r1 { node n1..n2 { cores 32 memory 256GiB } }\nrack r2 { node m1..m2 { cores 16 memory 64GiB } }\nsds pod1 { nodes r1.* }\ncontainer web { replicas 5 cpu 2 memory 40GiB place on r2 }\n',
    titles: [/Move `web` to SDS `pod1`/, /Lower `replicas` of `web` to 2/],
  },
  'colocate: place next to the peer': {
    text: 'defaults { headroom 0 }\nrack r1 { node n1 { cores 8 memory 32GiB } }\nrack r2 { node m1 { cores 8 memory 32GiB } }\ncontainer db { cpu 2 memory 8GiB place on r1 }\ncontainer app { cpu 1 memory 1GiB colocate db place on r2 }\n',
    titles: [/Place `app` on `r1`/],
  },
  'near-full SDS: raise the ratio past 90%': {
    text: 'defaults { oversubscribe memory 1.0 headroom 0 }\nrack r1 { node n1..n2 { cores 16 memory 64GiB } }\nsds pod {\n  nodes r1.*\n  oversubscribe cpu 1.0\n}\ncontainer db { memory 110GiB cpu 2 place on pod }\n',
    titles: [/oversubscribe memory` of SDS `pod` to 1\.1/],
  },
  'spread on one line: only the property is removed': {
    text: 'defaults { headroom 0 }\nrack r1 { node n1..n2 { cores 8 memory 32GiB } }\ncontainer api { replicas 3 cpu 1 memory 1GiB spread nodes place on r1 }\n',
    titles: [/Lower `replicas` of `api` to 2/, /Remove `spread nodes`/],
  },
};

for (const [name, { text, titles }] of Object.entries(CASES)) {
  test(`quick fix: ${name}`, () => {
    const all = checkText(text, PATH).diagnostics.flatMap((d) => d.fixes.map((f) => f.title));
    for (const t of titles) assert.ok(all.some((x) => t.test(x)), `${t} among ${JSON.stringify(all)}`);
    assert.ok(checkFixes(name, text) >= titles.length);
  });
}

test('every T4xx code of diagnostics.ts is produced by some T4xx fixture', () => {
  const dir = resolve(__dirname, '../../fixtures/T4xx');
  const seen = new Set<string>();
  for (const f of findFixtures(dir)) for (const d of checkText(readFileSync(f, 'utf8'), join(dir, 'x.topo')).diagnostics) seen.add(d.code);
  const all = Object.keys(DIAGNOSTIC_SEVERITY).filter((c) => /^T4/.test(c));
  assert.ok(all.length >= 8, 'diagnostics.ts lists the T4xx codes');
  const missing = all.filter((c) => !seen.has(c));
  assert.deepEqual(missing, []);
});

test('T405 offers "Remove spread" on a large model only when the replicas fit without it (by sums)', () => {
  // 3000 replicas: too many to place the model again, so the fix is checked by sums. 3000 x 1GiB on
  // one 2GiB node does not fit without spread either; 3000 x 10MiB on 64GiB does.
  const text = (memory: string, nodeMemory: string) => `rack r { node n { cores 8 memory ${nodeMemory} } }\ncontainer i { replicas 3000 cpu 1m memory ${memory} spread racks }\n`;
  const titles = (t: string): string[] => checkText(t, PATH).diagnostics.filter((d) => d.code === 'T405').flatMap((d) => d.fixes.map((f) => f.title));
  const short = titles(text('1GiB', '2GiB'));
  assert.ok(short.some((x) => /Lower `replicas`/.test(x)), JSON.stringify(short));
  assert.ok(!short.some((x) => /Remove `spread/.test(x)), JSON.stringify(short));
  assert.ok(titles(text('10MiB', '64GiB')).some((x) => /Remove `spread racks` from `i`/.test(x)));
});
