// `npm run vocabulary` (also the first step of `npm run build`): writes the parts of the
// extension's manifests that list the language's words, from the tables that declare them
// (server/src/core/syntax/words.ts, schema.ts, model/units.ts):
// - syntaxes/topo.tmLanguage.json, the TextMate grammar, from scripts/topo.tmLanguage.template.json
//   (its `{{NAME}}` holes are the word lists below);
// - package.json's `topo.defaultPolicy` setting: its enum, descriptions and default.
// A file is written only when it changes. `--check` writes nothing and exits 1 when one is stale
// (test/unit/syntax/grammar-vocabulary.test.ts checks the same). Edit the tables or the
// template, never the outputs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_UNITS } from '../server/src/core/model/units';
import { NAME_TAKING_WORDS, PROPERTIES, SUB_KEYWORDS } from '../server/src/core/syntax/schema';
import { DEFAULT_POLICY, EVENT_KINDS, EVENT_TO, PACK_MODES, POLICIES, POLICY_DOCS, PRIORITIES, ROLES, SPREAD_EVEN, SPREADS } from '../server/src/core/syntax/words';

const ROOT = resolve(__dirname, '..');
export const GRAMMAR = 'syntaxes/topo.tmLanguage.json';
export const GRAMMAR_TEMPLATE = 'scripts/topo.tmLanguage.template.json';
export const MANIFEST = 'package.json';

const unique = (words: Iterable<string>): string[] => [...new Set(words)];
/** A regular expression's alternatives: the words, escaped, longest first where one is a prefix of another does not matter (each rule ends in a look-ahead). */
const alternatives = (words: Iterable<string>): string => unique(words).map((w) => w.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('|');

/** The properties whose sub-keywords are property names too (`oversubscribe cpu 2`, `reserve cores 1`): the grammar colours those keys as arguments only after them. */
const KEYED_PROPERTIES = ['oversubscribe', 'reserve'];

/** The word list each `{{NAME}}` of the grammar template stands for. */
export function grammarWords(): Record<string, string> {
  const properties = unique(Object.values(PROPERTIES).flatMap((specs) => specs.map((p) => p.name)));
  const subKeywords = unique([...[...SUB_KEYWORDS.values()].flatMap((s) => [...s]), EVENT_TO]);
  const nameTaking = [...NAME_TAKING_WORDS];
  return {
    NAME_TAKING: nameTaking.map((w) => `\\b${w}\\s`).join('|'),
    NAME_TAKING_LIST: nameTaking.join(', '),
    EVENTS: alternatives(EVENT_KINDS),
    KEYED: alternatives(KEYED_PROPERTIES.flatMap((p) => [...(SUB_KEYWORDS.get(p) ?? [])])),
    POLICIES: alternatives(POLICIES),
    ROLES: alternatives(ROLES),
    PRIORITIES: alternatives(PRIORITIES),
    SPREADS: alternatives(SPREADS),
    SPREAD_EVEN: alternatives([SPREAD_EVEN]),
    PACK_MODES: alternatives(PACK_MODES),
    PROPERTIES: alternatives(properties),
    // the other sub-keywords: a property name among them is coloured as a property
    ARGUMENTS: alternatives(subKeywords.filter((w) => !properties.includes(w))),
    UNITS: alternatives([...ALL_UNITS].sort((a, b) => b.length - a.length)),
  };
}

/** The grammar: the template with its holes filled. Throws naming a hole that has no word list. */
export function grammarText(template: string): string {
  const words = grammarWords();
  const grammar = JSON.parse(template, (_key, value: unknown) => (typeof value === 'string'
    ? value.replace(/\{\{([A-Z_]+)\}\}/g, (_m, name: string) => {
      const w = words[name];
      if (w === undefined) throw new Error(`${GRAMMAR_TEMPLATE}: no word list named {{${name}}}`);
      return w;
    })
    : value)) as unknown;
  return `${JSON.stringify(grammar, null, 2)}\n`;
}

interface Manifest {
  contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
}

/** package.json with the `topo.defaultPolicy` setting's enum, descriptions and default taken from words.ts. */
export function manifestText(manifest: string): string {
  const pkg = JSON.parse(manifest) as Manifest;
  const setting = pkg.contributes.configuration.properties['topo.defaultPolicy'];
  if (!setting) throw new Error(`${MANIFEST}: no topo.defaultPolicy setting`);
  setting.default = DEFAULT_POLICY;
  setting.enum = [...POLICIES];
  setting.enumDescriptions = POLICIES.map((p) => POLICY_DOCS[p]);
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Every generated file and its text as the tables give it now. */
export function generatedFiles(): Map<string, string> {
  const read = (f: string): string => readFileSync(join(ROOT, f), 'utf8');
  return new Map([
    [GRAMMAR, grammarText(read(GRAMMAR_TEMPLATE))],
    [MANIFEST, manifestText(read(MANIFEST))],
  ]);
}

/** The generated files that differ from what is on disk (empty when up to date). */
export function staleFiles(generated: ReadonlyMap<string, string>): string[] {
  return [...generated].filter(([f, text]) => !existsSync(join(ROOT, f)) || readFileSync(join(ROOT, f), 'utf8') !== text).map(([f]) => f);
}

function main(): void {
  const generated = generatedFiles();
  const stale = staleFiles(generated);
  if (process.argv.includes('--check')) {
    for (const f of stale) console.error(`${f} is stale: run \`npm run vocabulary\` and commit the result`);
    process.exit(stale.length ? 1 : 0);
  }
  for (const f of stale) {
    writeFileSync(join(ROOT, f), generated.get(f) ?? '');
    console.log(`wrote ${f}`);
  }
}

if (require.main === module) main();
