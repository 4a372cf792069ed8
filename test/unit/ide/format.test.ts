import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../../server/src/core/check';
import { applyEdits, format, formatRange } from '../../../server/src/core/ide/index';
import { meaning } from './helpers';
import { seeded as rng } from '../../seeded';

const OPTIONS = { tabSize: 2, insertSpaces: true };
const F = '/work/a.topo';

function topoFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...topoFiles(p));
    else if (p.endsWith('.topo')) out.push(p);
  }
  return out.sort();
}

function fmt(text: string, options = OPTIONS): string {
  return applyEdits(text, format(text, F, options));
}

test('format re-indents, trims, collapses blank lines and puts braces in place', () => {
  assert.equal(fmt('rack r1 {\nnode n1 {   \n      cores 4\n}\n\n\n\n  }\n'), 'rack r1 {\n  node n1 {\n    cores 4\n  }\n}\n');
  assert.equal(
    fmt('rack r1\n{\n  node n1..n4 {cores 32   memory 256GiB}\n  node n5 { cores 1\n memory 2GiB }   # tail\n}\n\n\n# end'),
    'rack r1 {\n  node n1..n4 { cores 32 memory 256GiB }\n  node n5 {\n    cores 1\n    memory 2GiB\n  }   # tail\n}\n\n# end\n',
  );
  assert.equal(fmt('sds p {\n  nodes r1.n1 .. n4 ,r2.*   ,  r3.n1\n}\ncontainer c { cpu 1 ; memory 2GiB }'), 'sds p {\n  nodes r1.n1..n4, r2.*, r3.n1\n}\ncontainer c { cpu 1; memory 2GiB }\n');
  assert.equal(fmt('container c {\n  memory 600GiB            # aligned\n     # own line\n}\n'), 'container c {\n  memory 600GiB            # aligned\n  # own line\n}\n');
  assert.equal(fmt('rack r {\n\tnode n { cores 1 memory 1GiB }\n}\n', { tabSize: 4, insertSpaces: true }), 'rack r {\n    node n { cores 1 memory 1GiB }\n}\n');
  assert.equal(fmt('rack r {\n  node n { cores 1 memory 1GiB }\n}\n', { tabSize: 4, insertSpaces: false }), 'rack r {\n\tnode n { cores 1 memory 1GiB }\n}\n');
  assert.equal(fmt('rack r {\r\n    node n { cores 1 memory 1GiB }\r\n}\r\n'), 'rack r {\r\n  node n { cores 1 memory 1GiB }\r\n}\r\n');
  // spacing is canonical: one space between tokens, whatever the author wrote
  assert.equal(fmt('container c { cpu   request 1    limit 2     memory 1GiB }\n'), 'container c { cpu request 1 limit 2 memory 1GiB }\n');
  // strings and comments are kept exactly
  assert.equal(fmt('container c {\n image   "a  b #c"   #  x  y  \n}\n'), 'container c {\n  image "a  b #c"   #  x  y\n}\n');
  assert.deepEqual(format('rack r {\n  node n { cores 1 memory 1GiB }\n}\n', F, OPTIONS), []);
});

test('format returns minimal edits, not a whole-document replace', () => {
  const text = 'rack r {\n  node n1 { cores 1 memory 1GiB }\n     node n2 { cores 1 memory 1GiB }\n  node n3 { cores 1 memory 1GiB }\n}\n';
  const edits = format(text, F, OPTIONS);
  assert.equal(edits.length, 1);
  assert.equal(text.slice(edits[0].span.start, edits[0].span.end), '     node n2 { cores 1 memory 1GiB }');
});

test('format leaves text with syntax errors alone', () => {
  assert.deepEqual(format('rack r1 {\n   node {{\n', F, OPTIONS), []);
  assert.deepEqual(format('container c {\n    image "open\n}\n', F, OPTIONS), []);
  assert.deepEqual(format('rack r {\n    node n { cores 1.x }\n}\n', F, OPTIONS), []);
});

test('formatRange only touches the lines of the range', () => {
  const text = 'rack r {\n      node n1 { cores 1 memory 1GiB }\n      node n2 { cores 1 memory 1GiB }\n}\n';
  const second = text.indexOf('node n2');
  const out = applyEdits(text, formatRange(text, F, { start: second, end: second + 3 }, OPTIONS));
  assert.equal(out, 'rack r {\n      node n1 { cores 1 memory 1GiB }\n  node n2 { cores 1 memory 1GiB }\n}\n');
});

test('format is idempotent and keeps the meaning over every example and fixture', () => {
  const files = [...topoFiles('examples'), ...topoFiles('test/fixtures')];
  assert.ok(files.length >= 20);
  let changed = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const once = fmt(text);
    if (once !== text) changed++;
    assert.equal(once.replace(/\s+/g, ''), text.replace(/\s+/g, ''), `${f}: non-whitespace changed`);
    assert.equal(fmt(once), once, `${f}: not idempotent`);
    for (const options of [{ tabSize: 4, insertSpaces: true }, { tabSize: 2, insertSpaces: false }]) {
      const other = applyEdits(text, format(text, f, options));
      assert.equal(applyEdits(other, format(other, f, options)), other, `${f}: not idempotent with ${JSON.stringify(options)}`);
    }
    const before = checkText(text, f);
    const after = checkText(once, f);
    assert.equal(meaning(after), meaning(before), `${f}: model changed`);
    assert.deepEqual(after.diagnostics.map((d) => d.code), before.diagnostics.map((d) => d.code), `${f}: diagnostics changed`);
  }
  assert.ok(changed >= 0);
});

const PIECES = [' ', '  ', '\n', '\n\n\n', '\t', '{', '}', '.', '..', ',', ';', '*', '#', '"', 'x', '4', '4GiB', 'node ', 'rack ', ' \n  '];

test('format never throws, never loses text and stays idempotent on a few hundred mutated inputs', () => {
  const sources = [...topoFiles('examples'), ...topoFiles('test/fixtures').slice(0, 12)].map((f) => readFileSync(f, 'utf8'));
  const next = rng(42);
  let formatted = 0;
  for (let k = 0; k < 300; k++) {
    let text = sources[k % sources.length];
    const edits = 1 + Math.floor(next() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(next() * (text.length + 1));
      const r = next();
      if (r < 0.35) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 6)); // delete
      else if (r < 0.7) text = text.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)] + text.slice(at); // insert
      else { // whitespace change only
        const ws = [' ', '', '\n', '   ', '\n\n'][Math.floor(next() * 5)];
        text = text.slice(0, at).replace(/[ \t]*$/, ws) + text.slice(at).replace(/^[ \t]*/, '');
      }
    }
    const edits1 = format(text, F, OPTIONS);
    const once = applyEdits(text, edits1);
    assert.equal(once.replace(/\s+/g, ''), text.replace(/\s+/g, ''), `mutation ${k}: non-whitespace changed`);
    if (edits1.length) {
      formatted++;
      assert.equal(fmt(once), once, `mutation ${k}: not idempotent`);
      const before = checkText(text, F);
      const after = checkText(once, F);
      assert.equal(meaning(after), meaning(before), `mutation ${k}: model changed`);
      assert.deepEqual(after.diagnostics.map((d) => d.code), before.diagnostics.map((d) => d.code), `mutation ${k}: diagnostics changed`);
    }
    const mid = Math.floor(text.length / 2);
    const ranged = applyEdits(text, formatRange(text, F, { start: mid, end: mid + 40 }, OPTIONS));
    assert.equal(ranged.replace(/\s+/g, ''), text.replace(/\s+/g, ''), `mutation ${k}: range format changed text`);
  }
  assert.ok(formatted > 20, `only ${formatted} mutated inputs were formattable`);
});
