// The Topo language for monaco: configuration and a monarch tokenizer GENERATED at load from the
// core's own tables (server/src/core/syntax/schema.ts and model/units.ts), the same tables the
// parser and binder use, so highlighting cannot drift from the language:
//   - declaration keywords: DECLARATION_KEYWORDS + the child blocks (CHILD_BLOCKS: `node`);
//   - property keywords: every PROPERTIES[*].name;
//   - sub-keywords (request, limit, weight, on, to, locality, fail, add, ...) and enum values
//     (static|page|..., active|spare, ...): the lowercase words of each property's `syntax` text;
//   - words after which the next word is a name (NAME_TAKING_WORDS: `talks memory`), as the parser;
//   - units: ALL_UNITS.
// Precise, context-aware colouring (a reference vs a property) then comes from the language
// server's semantic tokens when it offers them; this tokenizer gives instant, offline colour.
// (Why not convert syntaxes/topo.tmLanguage.json: monarch matches at the current position only, so
// the grammar's lookbehinds, which carry the contextual-keyword logic, do not translate.)
import type * as Monaco from 'monaco-editor/editor/editor.api';
import {
  CHILD_BLOCKS, DECLARATION_KEYWORDS, EVENT_KINDS, NAME_TAKING_WORDS, POLICIES, PRIORITIES, PROPERTIES, ROLES, SPREADS, SUB_KEYWORDS,
  VALUE_WORDS_OF,
} from '../../server/src/core/syntax/schema';
import { ALL_UNITS } from '../../server/src/core/model/units';
import languageConfiguration from '../../language-configuration.json';

export const LANGUAGE_ID = 'topo';

const IDENT = /[A-Za-z_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?/.source;
const NUMBER = /-?\d+(?:\.\d+)?/.source;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface TopoWords {
  readonly declarations: readonly string[];
  readonly properties: readonly string[];
  readonly arguments: readonly string[];
  readonly constants: readonly string[];
  /** Properties whose next word is one of their values (`policy vcpu`): a constant there. */
  readonly valueTaking: readonly string[];
  readonly events: readonly string[];
  readonly nameTaking: readonly string[];
  readonly units: readonly string[];
}

/** The word classes, derived from the schema tables. */
export function topoWords(): TopoWords {
  const properties = new Set<string>();
  const syntaxWords = new Set<string>();
  for (const specs of Object.values(PROPERTIES)) {
    for (const p of specs) {
      properties.add(p.name);
      for (const w of p.syntax.split(/[^A-Za-z]+/)) if (/^[a-z]+$/.test(w)) syntaxWords.add(w);
    }
  }
  const constants = new Set<string>([...POLICIES, ...ROLES, ...PRIORITIES, ...SPREADS]);
  const events = new Set<string>(EVENT_KINDS);
  const declarations = new Set<string>([...DECLARATION_KEYWORDS, ...Object.values(CHILD_BLOCKS).flat()]);
  // A sub-keyword is an argument even where the same word is also a value (`overhead vcpu 20us`, `policy vcpu`).
  const subKeywords = new Set([...SUB_KEYWORDS.values()].flatMap((set) => [...set]));
  const args = [...syntaxWords].filter((w) => !properties.has(w) && (!constants.has(w) || subKeywords.has(w)) && !events.has(w) && !declarations.has(w));
  return {
    declarations: [...declarations].sort(),
    properties: [...properties].sort(),
    arguments: args.sort(),
    constants: [...constants].sort(),
    valueTaking: [...VALUE_WORDS_OF.keys()].sort(),
    events: [...events].sort(),
    nameTaking: [...NAME_TAKING_WORDS].sort(),
    units: [...ALL_UNITS].sort((a, b) => b.length - a.length || a.localeCompare(b)),
  };
}

/** The monarch definition generated from `topoWords()`. */
export function monarchLanguage(words: TopoWords = topoWords()): Monaco.languages.IMonarchLanguage {
  const units = `(?:${words.units.map(escape).join('|')})`;
  return {
    defaultToken: '',
    tokenPostfix: '.topo',
    declarations: words.declarations,
    properties: words.properties,
    arguments: words.arguments,
    constants: words.constants,
    valueTaking: words.valueTaking,
    events: words.events,
    nameTaking: words.nameTaking,
    brackets: [{ open: '{', close: '}', token: 'delimiter.curly' }],
    tokenizer: {
      root: [
        { include: '@common' },
        [new RegExp(IDENT), {
          cases: {
            '@declarations': { token: 'keyword.declaration', next: '@declName' },
            // A name-taking word that is also a property (`load`, `disk`, `io`) stays a property.
            '@nameTaking': {
              cases: {
                '@properties': { token: 'keyword.property', next: '@name' },
                '@events': { token: 'keyword.event', next: '@name' },
                '@default': { token: 'keyword.argument', next: '@name' },
              },
            },
            '@valueTaking': { token: 'keyword.property', next: '@value' },
            '@properties': 'keyword.property',
            '@events': 'keyword.event',
            '@arguments': 'keyword.argument',
            '@constants': 'constant',
            '@default': 'identifier',
          },
        }],
      ],
      // After `rack`, `node`, `sds`, `container`, `scenario`: the declared name, whatever word it is.
      declName: [
        [/[ \t]+/, ''],
        [new RegExp(`${IDENT}(?:\\s*\\.\\.\\s*${IDENT})?`), 'entity.name', '@pop'],
        [/"/, { token: 'entity.name', next: '@nameString' }],
        ['', '', '@pop'],
      ],
      nameString: [
        [/[^"\\]+/, 'entity.name'],
        [/\\./, 'string.escape'],
        [/"/, 'entity.name', '@pop'],
      ],
      // After a property that takes a value word (`policy`, `role`, `spread`): that word is a constant.
      value: [
        [/[ \t]+/, ''],
        [new RegExp(IDENT), { cases: { '@constants': { token: 'constant', next: '@pop' }, '@default': { token: '@rematch', next: '@pop' } } }],
        ['', '', '@pop'],
      ],
      // After a name-taking word: the next word is a reference, never a keyword.
      name: [
        [/[ \t]+/, ''],
        [new RegExp(`${IDENT}(?:\\.(?:${IDENT}|\\*))*(?:\\s*\\.\\.\\s*${IDENT})?`), 'variable', '@pop'],
        ['', '', '@pop'],
      ],
      common: [
        [/[ \t\r\n]+/, ''],
        [/#.*$/, 'comment'],
        [/"/, { token: 'string.quote', next: '@string' }],
        [new RegExp(`${NUMBER}(?=${units}(?![A-Za-z0-9_%]))`), 'number', '@unit'],
        [new RegExp(`${NUMBER}(?![A-Za-z0-9_%.])`), 'number'],
        [new RegExp(`${NUMBER}(?:\\.\\d+)*[A-Za-z_%][A-Za-z0-9_%]*`), 'invalid'],
        [/[{}]/, '@brackets'],
        [/\.\./, 'operator'],
        [/[.*,;]/, 'delimiter'],
      ],
      unit: [[new RegExp(units), 'unit', '@pop']],
      string: [
        [/[^"\\]+/, 'string'],
        [/\\["\\nt]/, 'string.escape'],
        [/\\./, 'invalid'],
        [/"/, { token: 'string.quote', next: '@pop' }],
        [/$/, '', '@pop'],
      ],
    },
  };
}

/** A JSON array of two strings (a bracket pair) as monaco's tuple. */
function pair(p: readonly string[]): [string, string] {
  const [open, close] = p;
  if (p.length !== 2 || open === undefined || close === undefined) throw new Error(`language-configuration.json: expected a pair of strings, got ${JSON.stringify(p)}`);
  return [open, close];
}

/** language-configuration.json (the extension's), converted to monaco's types (regex strings -> RegExp). */
export function languageConfig(monaco: typeof Monaco): Monaco.languages.LanguageConfiguration {
  const c = languageConfiguration;
  const indent = (s: string): Monaco.languages.IndentAction => (s === 'indent' ? monaco.languages.IndentAction.Indent : s === 'outdent' ? monaco.languages.IndentAction.Outdent : monaco.languages.IndentAction.None);
  return {
    comments: c.comments,
    brackets: c.brackets.map(pair),
    autoClosingPairs: c.autoClosingPairs,
    autoCloseBefore: c.autoCloseBefore,
    surroundingPairs: c.surroundingPairs.map(pair).map(([open, close]) => ({ open, close })),
    wordPattern: new RegExp(c.wordPattern),
    indentationRules: { increaseIndentPattern: new RegExp(c.indentationRules.increaseIndentPattern), decreaseIndentPattern: new RegExp(c.indentationRules.decreaseIndentPattern) },
    onEnterRules: c.onEnterRules.map((r) => ({
      beforeText: new RegExp(r.beforeText),
      afterText: r.afterText ? new RegExp(r.afterText) : undefined,
      action: { indentAction: indent(r.action.indent), appendText: r.action.appendText },
    })),
    folding: { markers: { start: new RegExp(c.folding.markers.start), end: new RegExp(c.folding.markers.end) } },
  };
}

/**
 * Themes: monaco's vs / vs-dark plus colours for Topo's monarch token classes and for the
 * semantic token types of the ide layer (SemanticTokenType: property, enumMember, rack, node,
 * sds, container, scenario, device; keyword, number, string, comment, type come from the base).
 */
export function defineThemes(monaco: typeof Monaco): void {
  const rules = (theme: 'light' | 'dark'): Monaco.editor.ITokenThemeRule[] =>
    TOKEN_COLOURS.map(([token, light, dark, fontStyle]) => ({ token, foreground: theme === 'light' ? light : dark, ...(fontStyle ? { fontStyle } : {}) }));
  monaco.editor.defineTheme('topo-light', { base: 'vs', inherit: true, colors: {}, rules: rules('light') });
  monaco.editor.defineTheme('topo-dark', { base: 'vs-dark', inherit: true, colors: {}, rules: rules('dark') });
}

/** Each token class's colour in the light and the dark theme (monaco's vs and vs-dark palettes), and its style. */
const TOKEN_COLOURS: readonly (readonly [token: string, light: string, dark: string, fontStyle?: string])[] = [
  ['keyword.declaration', '0000ff', '569cd6', 'bold'],
  ['keyword.property', 'af00db', 'c586c0'],
  ['keyword.argument', '795e26', 'dcdcaa'],
  ['keyword.event', 'af00db', 'c586c0', 'bold'],
  ['constant', '0070c1', '4fc1ff'],
  ['entity.name', '267f99', '4ec9b0', 'bold'],
  ['unit', '098658', 'b5cea8', 'italic'],
  ['variable', '001080', '9cdcfe'],
  ['enumMember', '0070c1', '4fc1ff'],
  ['property', 'af00db', 'c586c0'],
  ['rack', '267f99', '4ec9b0'], ['node', '267f99', '4ec9b0'], ['sds', '267f99', '4ec9b0'], ['tenant', '267f99', '4ec9b0'],
  ['container', '795e26', 'dcdcaa'], ['scenario', '267f99', '4ec9b0'], ['device', '267f99', '4ec9b0'],
];

export function registerTopo(monaco: typeof Monaco): void {
  monaco.languages.register({ id: LANGUAGE_ID, extensions: ['.topo'], aliases: ['Topo', 'topo'] });
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, monarchLanguage());
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, languageConfig(monaco));
  defineThemes(monaco);
}
