import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_UNITS } from '../../../server/src/core/model/units';
import { CHILD_BLOCKS, DECLARATION_KEYWORDS, NAME_TAKING_WORDS, PROPERTIES, SUB_KEYWORDS } from '../../../server/src/core/syntax/schema';
import { EVENT_KINDS, EVENT_TO, PACK_MODES, POLICIES, PRIORITIES, ROLES, SPREAD_EVEN, SPREADS } from '../../../server/src/core/syntax/words';
import { generatedFiles, staleFiles } from '../../../scripts/vocabulary';

/**
 * The TextMate grammar (syntaxes/topo.tmLanguage.json) colours the words of the language
 * before the server answers; its keyword lists must be the schema's. scripts/vocabulary.ts
 * generates them (and package.json's policy setting) from the schema: a property, a value, an
 * event kind or a unit added to the schema without running it fails here, naming the file or the list.
 */

test('the grammar and package.json are what scripts/vocabulary.ts generates from the schema (run `npm run vocabulary`)', () => {
  assert.deepEqual(staleFiles(generatedFiles()), []);
});

const grammar = JSON.parse(readFileSync(join(resolve(__dirname, '../../..'), 'syntaxes/topo.tmLanguage.json'), 'utf8')) as {
  repository: Record<string, { patterns?: { name?: string; match?: string; begin?: string }[] }>;
};
const matches = Object.values(grammar.repository).flatMap((r) => (r.patterns ?? []).map((p) => ({ name: p.name, match: p.match ?? p.begin ?? '' })));

/** The words of the first `(a|b|c)` group after `prefix` in a match. */
function group(match: string, prefix: string): string[] {
  const at = match.indexOf(prefix);
  assert.ok(at >= 0, `no \`${prefix}\` in the grammar`);
  const m = /\((?:\?:)?([A-Za-z%|]+)\)/.exec(match.slice(at + prefix.length));
  assert.ok(m, `no word group after \`${prefix}\``);
  return m[1].split('|');
}

function ruleWith(prefix: string): string {
  const rule = matches.find((m) => m.match.includes(prefix));
  assert.ok(rule, `no grammar rule with \`${prefix}\``);
  return rule.match;
}

const sorted = (words: Iterable<string>): string[] => [...new Set(words)].sort();

/** The end of the look-behind of names (`(?<!\\btalks\\s|...)`) a rule starts with: the word group after it is the rule's. */
function afterNames(match: string): string {
  const m = /\(\?<!(?:\\b[a-z]+\\s\|?)+\)/.exec(match);
  assert.ok(m, `no look-behind of names in ${match.slice(0, 80)}`);
  return m[0];
}

test('the grammar\'s property keywords are the schema\'s properties', () => {
  const rule = matches.find((m) => m.name === 'keyword.other.property.topo');
  assert.ok(rule);
  const names = Object.values(PROPERTIES).flatMap((specs) => specs.map((p) => p.name));
  assert.deepEqual(sorted(group(rule.match, afterNames(rule.match))), sorted(names));
});

test('the grammar\'s enumerations and event kinds are the schema\'s', () => {
  const lists: [string, readonly string[]][] = [
    ['(policy)\\s+', POLICIES], ['(role)\\s+', ROLES], ['(priority)\\s+', PRIORITIES], ['(spread)\\s+', SPREADS], ['(pack)\\s+', PACK_MODES],
  ];
  for (const [prefix, words] of lists) assert.deepEqual(sorted(group(ruleWith(prefix), prefix)), sorted(words), prefix);
  assert.deepEqual(group(ruleWith('(spread)\\s+'), '(nodes|racks)'), [SPREAD_EVEN]);
  assert.deepEqual(sorted(group(ruleWith('(at)\\s+'), '[A-Za-z%]*)\\s+')), sorted(EVENT_KINDS));
});

test('the grammar\'s sub-keywords are the schema\'s', () => {
  const argument = matches.find((m) => m.name === 'keyword.other.argument.topo');
  assert.ok(argument);
  const keyed = group(ruleWith('(oversubscribe|reserve)'), '(oversubscribe|reserve)((?:\\s+');
  const threshold = group(ruleWith('(threshold)'), '(threshold)(?:\\s+');
  const inGrammar = [...group(argument.match, afterNames(argument.match)), ...keyed, ...threshold];
  const inSchema = [...[...SUB_KEYWORDS.values()].flatMap((s) => [...s]), EVENT_TO];
  assert.deepEqual(sorted(inGrammar), sorted(inSchema));
  const own = ['oversubscribe', 'reserve'].flatMap((p) => [...(SUB_KEYWORDS.get(p) ?? [])]);
  assert.deepEqual(sorted(keyed), sorted(own), 'the keys the oversubscribe/reserve rule colours');
});

test('a name after a name-taking word is never coloured as a property (the grammar\'s look-behind is NAME_TAKING_WORDS)', () => {
  const behinds = matches.filter((m) => /\(\?<!\\b[a-z]+\\s\|/.test(m.match));
  assert.ok(behinds.length >= 10);
  for (const m of behinds) {
    const words = /\(\?<!((?:\\b[a-z]+\\s\|?)+)\)/.exec(m.match)?.[1].split('|').map((w) => w.replace(/^\\b/, '').replace(/\\s$/, ''));
    assert.deepEqual(sorted(words ?? []), sorted(NAME_TAKING_WORDS), m.match.slice(0, 80));
  }
});

test('the grammar\'s declarations and units are the language\'s', () => {
  const decl = Object.values(grammar.repository.declaration.patterns ?? []).flatMap((p) => {
    const m = /(?:\^\\s\*|\)\))\(([a-z|]+)\)\(\?!/.exec(p.match ?? '');
    return m ? m[1].split('|') : [];
  });
  assert.deepEqual(sorted(decl), sorted([...DECLARATION_KEYWORDS, ...Object.values(CHILD_BLOCKS).flat()]));
  const number = grammar.repository.number.patterns?.[0]?.match ?? '';
  const units = group(number, ')(?:');
  assert.deepEqual(sorted(units), sorted([...ALL_UNITS, 'm']));
});
