import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { completion } from '../../../server/src/core/ide/index';
import { parseFile } from '../../../server/src/core/syntax/parser';
import { BLOCK_SNIPPETS, DECLARATION_KEYWORDS, PROPERTIES } from '../../../server/src/core/syntax/schema';
import { snap } from './helpers';

/**
 * Snippets come from the server only, in the context where they are valid (issue 16): the
 * manifest contributes none (a static snippet answers everywhere, so `ra` offered `rack` three
 * times and `sds` inside a container), and each one the server offers writes valid syntax.
 */

/** A snippet body with each placeholder replaced by its default (`${1:r1}` -> `r1`, `${2|a,b|}` -> `a`). */
function expand(body: string): string {
  return body.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '');
}

test('the extension contributes no static snippets: the server\'s are the only ones', () => {
  const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { contributes: Record<string, unknown> };
  assert.equal(pkg.contributes.snippets, undefined);
});

test('`ra` at the top level offers `rack` once as a keyword and once as a whole block', () => {
  const { s, offset } = snap('ra|');
  const items = completion(s, offset);
  assert.equal(items.filter((x) => x.label === 'rack').length, 1, 'one `rack` keyword');
  const rackSnippets = items.filter((x) => x.snippet && x.insertText?.startsWith('rack '));
  assert.deepEqual(rackSnippets.map((x) => [x.label, x.kind]), [['rack { … }', 'snippet']]);
  for (const k of DECLARATION_KEYWORDS) {
    assert.equal(items.filter((x) => x.kind === 'snippet' && x.insertText === BLOCK_SNIPPETS[k]).length, 1, `one ${k} snippet`);
  }
});

test('inside a container: only its properties, nothing block-level', () => {
  for (const text of ['container api {\n  |\n}\n', 'rack r1 { node n1 { cores 1 memory 1GiB } }\ncontainer api {\n  replicas 2\n  |\n}\n', 'container api { s| }']) {
    const { s, offset } = snap(text);
    const items = completion(s, offset);
    assert.ok(items.length > 0, text);
    const own = new Set(PROPERTIES.container.map((p) => p.name));
    assert.deepEqual(items.filter((x) => !own.has(x.label)).map((x) => x.label), [], text);
    assert.ok(!items.some((x) => x.kind === 'snippet'), text);
  }
});

test('inside a rack: its properties and the `node` block, not the top-level declarations', () => {
  const { s, offset } = snap('rack r1 {\n  |\n}\n');
  const labels = completion(s, offset).map((x) => x.label);
  assert.deepEqual(labels, ['latency', 'bandwidth', 'pack', 'node']);
});

test('every snippet the server offers, its placeholders at their defaults, is valid syntax', () => {
  for (const [kind, body] of Object.entries(BLOCK_SNIPPETS)) {
    const text = kind === 'node' ? `rack r1 {\n${expand(body)}\n}\n` : `${expand(body)}\n`;
    const { diagnostics } = parseFile(text, '/s.topo');
    assert.deepEqual(diagnostics.map((d) => d.message), [], `${kind}: ${text}`);
  }
  for (const [kind, specs] of Object.entries(PROPERTIES)) {
    for (const p of specs) {
      const line = expand(p.snippet);
      const text = kind === 'node' ? `rack r1 { node n1 { ${line} } }\n` : `${kind}${kind === 'defaults' || kind === 'fabric' ? '' : ' x'} { ${line} }\n`;
      const { diagnostics } = parseFile(text, '/s.topo');
      assert.deepEqual(diagnostics.map((d) => d.message), [], `${kind}.${p.name}: ${text}`);
      assert.ok(line.startsWith(`${p.name} `), `${kind}.${p.name}'s snippet writes the property`);
    }
  }
});

test('a property\'s choice snippet and its syntax offer exactly its values (a new value appears in both)', () => {
  const sorted = (w: Iterable<string>): string[] => [...w].sort();
  for (const [kind, specs] of Object.entries(PROPERTIES)) {
    for (const p of specs) {
      if (!p.values) continue;
      const offered = /\$\{\d+\|([^|]*)\|\}/.exec(p.snippet)?.[1].split(',');
      assert.deepEqual(sorted(offered ?? []), sorted(p.values), `${kind}.${p.name} snippet`);
      const written = new RegExp(`^${p.name} ([a-z|]+)`).exec(p.syntax)?.[1].split('|');
      assert.deepEqual(sorted(written ?? []), sorted(p.values), `${kind}.${p.name} syntax`);
    }
  }
  const policy = /policy \$\{\d+\|([^|]*)\|\}/.exec(BLOCK_SNIPPETS.defaults)?.[1].split(',');
  assert.deepEqual(sorted(policy ?? []), sorted(PROPERTIES.defaults.find((p) => p.name === 'policy')?.values ?? []), 'the defaults block snippet');
});
