// The playground's generated monarch tokenizer: its word classes agree with the TextMate grammar
// (two views of the same language), and monaco really tokenizes contextual keywords, names, units
// and errors as the parser reads them (in the built page, in Chromium).
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { topoWords } from '../../media/playground/language';
import { repo, startPlayground, type Playground } from './chromium';


test('the generated word classes match the TextMate grammar', () => {
  const grammar = readFileSync(join(repo, 'syntaxes/topo.tmLanguage.json'), 'utf8');
  const words = topoWords();
  const alternation = (scope: string): string[] => {
    const g = JSON.parse(grammar) as { repository: { property: { patterns: { match: string; name?: string }[] } } };
    const rule = g.repository.property.patterns.find((p) => p.name === scope);
    assert.ok(rule, `grammar rule ${scope}`);
    const m = /\)\(([a-z|]+)\)\(\?!/.exec(rule.match);
    assert.ok(m, `alternation in ${rule.match}`);
    return m[1].split('|').sort();
  };
  // Every property keyword of the grammar is a property or sub-keyword here, and vice versa.
  const grammarProps = new Set(alternation('keyword.other.property.topo'));
  const grammarArgs = new Set(alternation('keyword.other.argument.topo'));
  for (const p of words.properties) assert.ok(grammarProps.has(p), `property ${p} in the grammar`);
  for (const p of grammarProps) assert.ok(words.properties.includes(p), `grammar property ${p} generated`);
  for (const a of grammarArgs) assert.ok(words.arguments.includes(a) || words.nameTaking.includes(a), `grammar argument ${a} generated`);
  // Units: the grammar's number rule lists the same units.
  const numberRule = (JSON.parse(grammar) as { repository: { number: { patterns: { match: string }[] } } }).repository.number.patterns[0].match;
  const units = /\(\?:\(([^)]*)\)/.exec(numberRule)?.[1].split('|') ?? [];
  assert.deepEqual([...units].sort(), [...words.units].sort());
  // Enum values.
  for (const c of ['static', 'page', 'vcpu', 'cost', 'active', 'spare', 'low', 'normal', 'high', 'nodes', 'racks']) assert.ok(words.constants.includes(c), c);
  assert.deepEqual([...words.events], ['add', 'fail', 'load', 'scale']);
});

let playground: Playground | undefined;
let browser: Browser;
let base = '';

before(async () => {
  playground = await startPlayground();
  ({ browser, base } = playground);
});

after(() => playground?.close());

test('monaco tokenizes Topo like the parser reads it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base);
  await page.waitForSelector('body[data-editor="ready"]');
  const source = [
    'container memory {',
    '  talks memory weight 20%',
    '  cpu request 500m limit 2',
    '  place on r1.n1..n4',
    '  policy cost',
    '  memory 1.5XB # a bad unit',
    '  image "a\\"b"',
    '}',
    'scenario "lose n1" {',
    '  at 5s fail r1.n1',
    '}',
    'sds s {',
    '  policy vcpu',
    '  overhead vcpu 20us chunk 5us',
    '}',
  ].join('\n');
  const tokens = await page.evaluate((text) => {
    const { monaco } = (window as unknown as { topoPlayground: { monaco: typeof import('monaco-editor/editor/editor.api') } }).topoPlayground;
    const lines = text.split('\n');
    return monaco.editor.tokenize(text, 'topo').map((line, i) => line.map((t, j) => {
      const end = j + 1 < line.length ? line[j + 1].offset : lines[i].length;
      return [lines[i].slice(t.offset, end).trim(), t.type.replace(/\.topo$/, '')];
    }).filter(([s]) => s !== ''));
  }, source);
  const find = (line: number, word: string): string => tokens[line].find(([s]) => s === word)?.[1] ?? `(no token ${word})`;
  assert.equal(find(0, 'container'), 'keyword.declaration');
  assert.equal(find(0, 'memory'), 'entity.name', 'a container named memory');
  assert.equal(find(1, 'talks'), 'keyword.property');
  assert.equal(find(1, 'memory'), 'variable', 'talks takes a name');
  assert.equal(find(1, 'weight'), 'keyword.argument');
  assert.equal(find(1, '20'), 'number');
  assert.equal(find(1, '%'), 'unit');
  assert.equal(find(2, 'request'), 'keyword.argument');
  assert.equal(find(2, '500'), 'number');
  assert.equal(find(2, 'm'), 'unit');
  assert.equal(find(3, 'r1.n1..n4'), 'variable');
  assert.equal(find(4, 'cost'), 'constant');
  assert.equal(find(5, 'memory'), 'keyword.property');
  assert.equal(find(5, '1.5XB'), 'invalid');
  assert.equal(find(5, '# a bad unit'), 'comment');
  assert.equal(find(8, 'scenario'), 'keyword.declaration');
  assert.equal(find(9, 'at'), 'keyword.property');
  assert.equal(find(9, 'fail'), 'keyword.event');
  assert.equal(find(12, 'vcpu'), 'constant', 'a policy after `policy`');
  assert.equal(find(13, 'vcpu'), 'keyword.argument', 'a sub-keyword of `overhead`');
  assert.equal(find(13, 'chunk'), 'keyword.argument');
  assert.equal(find(9, 'r1.n1'), 'variable');
  await context.close();
});
