import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, format } from '../../../server/src/core/ide/format';

const OPTIONS = { tabSize: 2, insertSpaces: true };

function topoFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...topoFiles(p));
    else if (p.endsWith('.topo')) out.push(p);
  }
  return out;
}

test('format re-indents by brace depth, trims and collapses blank lines', () => {
  const text = 'rack r1 {\nnode n1 {   \n      cores 4\n}\n\n\n\n  }\n';
  const out = applyEdits(text, format(text, '/a.topo', OPTIONS));
  assert.equal(out, 'rack r1 {\n  node n1 {\n    cores 4\n  }\n\n}\n');
});

test('format skips files with syntax errors', () => {
  assert.deepEqual(format('rack r1 {\n   node {{\n', '/a.topo', OPTIONS), []);
});

test('format is idempotent and whitespace-only over examples and fixtures', () => {
  const files = [...topoFiles('examples'), ...topoFiles('test/fixtures')];
  assert.ok(files.length > 0);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const once = applyEdits(text, format(text, f, OPTIONS));
    assert.equal(once.replace(/\s+/g, ''), text.replace(/\s+/g, ''), `${f}: non-whitespace changed`);
    const twice = applyEdits(once, format(once, f, OPTIONS));
    assert.equal(twice, once, `${f}: not idempotent`);
  }
});
