// No eval or Function constructor in what ships: every built bundle in dist/ (ours and the
// third-party code bundled into it: vscode-languageclient/-server, d3, monaco, yaml, ...) is
// scanned for code that compiles strings. This suite runs after the build; the lint rules
// (test/unit/security/lint-rules.test.ts) keep our own sources clean, this keeps dependencies honest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const dist = resolve(__dirname, '../../dist');

/** Code that turns a string into code. */
const PATTERNS: readonly [string, RegExp][] = [
  ['eval(', /\beval\s*\(/g],
  ['["eval"]', /\[\s*["'`]eval["'`]\s*\]/g],
  ['new Function', /\bnew\s+Function\b/g],
  ['Function("...")', /(?<![.\w$])(?<!\bnew\s+)Function\s*\(\s*["'`]/g],
  ['a string timer', /\b(?:setTimeout|setInterval)\s*\(\s*["'`]/g],
];

/**
 * Known, reviewed exceptions (bundle, pattern, why): none today. A dependency that starts to
 * compile strings fails this test; add it here only with the reason it cannot run (for example,
 * a branch the bundle never takes), or better, replace the dependency.
 */
const EXCEPTIONS: readonly { bundle: string; pattern: string; why: string }[] = [];

function bundles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...bundles(p));
    else if (/\.(c|m)?js$/.test(name)) out.push(p);
  }
  return out;
}

test('no built bundle compiles strings into code (eval, new Function, string timers)', () => {
  const files = bundles(dist).map((f) => relative(dist, f));
  for (const expected of ['cli.js', 'server/node.js', 'server/simulator-worker.js', 'server/browser.js', 'client/extension.js', 'media/preview.js']) {
    assert.ok(files.includes(expected), `dist/${expected} exists (run the build first): scanned ${files.join(', ')}`);
  }
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(dist, file), 'utf8');
    for (const [name, re] of PATTERNS) {
      for (const m of text.matchAll(re)) {
        if (EXCEPTIONS.some((e) => e.bundle === file && e.pattern === name)) continue;
        const at = m.index ?? 0;
        found.push(`dist/${file} at ${at}: ${name}: …${text.slice(Math.max(0, at - 60), at + 60).replace(/\s+/g, ' ')}…`);
      }
    }
  }
  assert.deepEqual(found, [], `code that compiles strings in the bundles:\n${found.join('\n')}`);
});

test('the scan finds what it looks for', () => {
  // The patterns on samples of each thing they forbid, and on look-alikes they must let pass.
  const hits = (s: string): string[] => PATTERNS.filter(([, re]) => new RegExp(re.source).test(s)).map(([n]) => n);
  assert.deepEqual(hits('x=eval("1")'), ['eval(']);
  assert.deepEqual(hits('window["eval"](s)'), ['["eval"]']);
  assert.deepEqual(hits('new Function("a","return a")'), ['new Function']);
  assert.deepEqual(hits('f=Function("return this")()'), ['Function("...")']);
  assert.deepEqual(hits("setTimeout('tick()',5)"), ['a string timer']);
  assert.deepEqual(hits('retrieval(x); medieval (y); s.Function("x"); isFunction(f); setTimeout(f, 5); kind:"Function"'), []);
});
