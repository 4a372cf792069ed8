import type { Arg, BlockKind, NumberLit, Property, Ref, Word } from '../syntax/ast';
import { propertiesOf, type PropertySpec, type Typical, type UnitKind, type ValueRange } from '../syntax/schema';
import { makeDiagnostic, type Diagnostic, type DiagnosticCode, type Fix, type RelatedInformation } from '../diagnostics';
import type { Location, Span } from '../text';
import { ALL_UNITS, UNIT_KIND_NAMES, UNIT_KIND_OF, UNITS } from './units';
import { unitChoices, unknownUnitChoices, type UnitChoice } from './unit-choice';
import { didYouMean } from '../suggest';
import { EVENT_KINDS, EVENT_SYNTAX, isOneOf } from '../syntax/words';
import { unknownPropertyMessage } from '../syntax/unknown-property';

export type { ValueRange };

/** Collects diagnostics for one file while values are read. */
export class DiagnosticSink {
  constructor(readonly list: Diagnostic[]) {}

  report(code: DiagnosticCode, file: string, span: Span, message: string, related: readonly RelatedInformation[] = [], fixes: readonly Fix[] = []): void {
    this.list.push(makeDiagnostic(code, { file, span }, message, related, fixes));
  }
}

/** Reads the typed values of one property's arguments, reporting T100/T103/T300–T302. */
export class ValueReader {
  /** The properties of `block` by name, looked up once. */
  private readonly specs: ReadonlyMap<string, PropertySpec> | undefined;

  /**
   * `block`: the block whose properties are read (their typical values choose the units a fix
   * offers); `text`: the file's text, to quote numbers as written. Holds no state of its own
   * besides these: one reader serves every property of its file and block kind.
   */
  constructor(
    private readonly sink: DiagnosticSink,
    readonly file: string,
    readonly block?: BlockKind,
    private readonly text?: string,
  ) {
    this.specs = block ? propertiesOf(block) : undefined;
  }

  /** A number as it is written in the file (`99999999999999999999999`, not `1e+23`). */
  written(arg: NumberLit): string {
    const t = this.text?.slice(arg.span.start, arg.span.end);
    return t !== undefined && t.length === arg.span.end - arg.span.start && t.length > 0 ? t : textOf(arg);
  }

  private typical(prop: Property, kind: UnitKind): Typical | undefined {
    return this.specs?.get(prop.name.text)?.typical?.[kind];
  }

  loc(span: Span): Location {
    return { file: this.file, span };
  }

  /** The argument at `i` as a single word (a sub-keyword or a plain name), or undefined. */
  word(arg: Arg | undefined): Word | undefined {
    if (arg && arg.kind === 'ref' && arg.parts.length === 1 && arg.star === null) return arg.parts[0];
    return undefined;
  }

  /** Reports a missing value after `after` (a property name or sub-keyword). */
  missing(prop: Property, afterSpan: Span, what: string): void {
    this.sink.report('T100', this.file, { start: afterSpan.end, end: afterSpan.end }, `\`${prop.name.text}\` needs ${what} here: ${this.syntaxHint(prop)}`);
  }

  /**
   * Reports arguments after the last expected one; a word there is most likely a property
   * this block does not have (`memory 8GiB gpu 4`): T104 on it, with the valid ones.
   */
  extra(prop: Property, from: number): void {
    const arg = prop.args[from];
    if (!arg) return;
    const word = this.word(arg);
    const spec = this.spec(prop);
    const own = word && ((spec.values ?? []).includes(word.text) || (spec.modifiers ?? []).includes(word.text) || (spec.keys !== undefined && word.text in spec.keys));
    if (word && this.block && !own) {
      this.sink.report('T104', this.file, word.span, unknownPropertyMessage(this.block, word.text).message);
      return;
    }
    const last = prop.args[prop.args.length - 1];
    this.sink.report('T100', this.file, { start: arg.span.start, end: last.span.end }, `unexpected ${describeArg(arg)} after \`${prop.name.text}\`: ${this.syntaxHint(prop)}`);
  }

  private syntaxHint(prop: Property): string {
    return syntaxHint(prop, this.block);
  }

  unexpectedArg(prop: Property, arg: Arg, expected: string): void {
    this.sink.report('T100', this.file, arg.span, `expected ${expected}, found ${describeArg(arg)}: ${this.syntaxHint(prop)}`);
  }

  /**
   * A quantity of the given kind in canonical units; undefined (after a diagnostic) when the
   * argument is missing, not a number, has a wrong or missing unit, or is out of range.
   */
  quantity(prop: Property, arg: Arg | undefined, kind: UnitKind, range: ValueRange | undefined, afterSpan: Span): number | undefined {
    if (!arg) {
      this.missing(prop, afterSpan, UNIT_KIND_NAMES[kind]);
      return undefined;
    }
    if (arg.kind !== 'number') {
      this.unexpectedArg(prop, arg, UNIT_KIND_NAMES[kind]);
      return undefined;
    }
    if (Number.isNaN(arg.value)) return undefined; // T103 already reported by the lexer
    const value = this.applyUnit(prop, arg, kind);
    if (value === undefined) return undefined;
    if (kind === 'count' && !Number.isInteger(value) && Number.isFinite(value)) {
      this.sink.report('T302', this.file, arg.span, `\`${prop.name.text}\` takes a whole number, not \`${this.written(arg)}\``);
      return undefined;
    }
    if (range && !inRange(value, range)) {
      this.sink.report('T302', this.file, arg.span, `\`${this.written(arg)}\` is out of range for \`${prop.name.text}\`: it must be ${range.describe}`);
      return undefined;
    }
    return value;
  }

  private applyUnit(prop: Property, arg: NumberLit, kind: UnitKind): number | undefined {
    const unit = arg.unit;
    if (kind === 'ratio' || kind === 'count') {
      if (unit === '') return arg.value;
      return this.wrongUnit(prop, arg, kind);
    }
    const table = UNITS[kind];
    const factor = table[unit];
    if (factor !== undefined) return arg.value * factor;
    if (unit === '') {
      // A bare zero is the same in every unit: accept it.
      if (arg.value === 0) return 0;
      const number = this.written(arg);
      const choices = unitChoices(kind, number, arg.value, this.typical(prop, kind));
      const fixes = this.choiceFixes(arg, choices, (c) => `Add the unit: ${c.text}`);
      const first = choices[0];
      const why = first?.note ? ` (${first.note})` : '';
      const others = choices.slice(1).map((c) => `\`${c.text}\``);
      this.sink.report('T300', this.file, arg.span, `missing unit: \`${prop.name.text}\` takes ${UNIT_KIND_NAMES[kind].replace(/ \(.*\)$/, '')}; write ${first ? `\`${first.text}\`${why}` : `\`${number}\` with a unit`}${others.length ? `, or ${others.join(', ')}` : ''}`, [], fixes);
      return undefined;
    }
    return this.wrongUnit(prop, arg, kind);
  }

  /** One fix per choice: the whole number with its unit (a fraction becomes a percentage: `0.3` -> `30%`). */
  private choiceFixes(arg: NumberLit, choices: readonly UnitChoice[], title: (c: UnitChoice) => string): Fix[] {
    return choices.map((c, i) => ({
      title: title(c),
      edits: [c.unit !== undefined ? { file: this.file, span: arg.unitSpan, newText: c.unit } : { file: this.file, span: arg.span, newText: c.text }],
      preferred: i === 0,
    }));
  }

  private wrongUnit(prop: Property, arg: NumberLit, kind: UnitKind): undefined {
    const unit = arg.unit;
    const other = UNIT_KIND_OF.get(unit);
    if (other === undefined && !(kind === 'cpu' && unit === 'm')) {
      if (kind === 'ratio' || kind === 'count') {
        const { text: hint, suggestion } = didYouMean(unit, ALL_UNITS);
        const fixes: Fix[] = suggestion ? [{ title: `Change the unit to ${suggestion}`, edits: [{ file: this.file, span: arg.unitSpan, newText: suggestion }], preferred: true }] : [];
        this.sink.report('T103', this.file, arg.unitSpan, `unknown unit \`${unit}\`.${hint || ` \`${prop.name.text}\` takes ${UNIT_KIND_NAMES[kind]}.`}`, [], fixes);
        return undefined;
      }
      const number = this.written(arg).slice(0, arg.numberSpan.end - arg.numberSpan.start);
      const { choices, meaning } = unknownUnitChoices(kind, unit, number, arg.value, this.typical(prop, kind));
      const fixes = this.choiceFixes(arg, choices, (c) => `Change to ${c.text}`);
      const list = choiceList(choices);
      this.sink.report('T103', this.file, arg.unitSpan, `unknown unit \`${unit}\`${meaning ? `: ${meaning}` : ''}. \`${prop.name.text}\` takes ${UNIT_KIND_NAMES[kind]}${list ? `; write ${list}` : ''}`, [], fixes);
      return undefined;
    }
    const otherKind: UnitKind = other ?? 'cpu';
    const number = this.written(arg).slice(0, arg.numberSpan.end - arg.numberSpan.start);
    const choices = kind === 'ratio' || kind === 'count' ? [] : unitChoices(kind, number, arg.value, this.typical(prop, kind));
    const fixes: Fix[] = kind === 'ratio' || kind === 'count'
      ? [{ title: `Remove the unit \`${unit}\``, edits: [{ file: this.file, span: arg.unitSpan, newText: '' }], preferred: true }]
      : this.choiceFixes(arg, choices, (c) => `Change to ${c.text}`);
    const write = choices.length ? `; write ${choiceList(choices)}` : '';
    this.sink.report('T301', this.file, arg.unitSpan, `wrong kind of unit: \`${prop.name.text}\` takes ${UNIT_KIND_NAMES[kind]}, but \`${unit}\` is ${UNIT_KIND_NAMES[otherKind].replace(/ \(.*\)$/, '')}${write}`, [], fixes);
    return undefined;
  }

  /**
   * The property's own quantity as the schema describes it (unit kind and limits), from the
   * argument at `index`; nothing may follow it. Undefined after a diagnostic (`at` says where it is written).
   */
  scalar(prop: Property, index = 0): number | undefined {
    const q = this.spec(prop).quantity;
    if (!q) throw new Error(`\`${prop.name.text}\` has no quantity in the schema`);
    const v = this.quantity(prop, prop.args[index], q.unit, q.range, index === 0 ? prop.name.span : prop.args[index - 1].span);
    this.extra(prop, index + 1);
    return v;
  }

  /** Where the property's argument at `index` is written (one that `scalar` or `pick` read). */
  at(prop: Property, index = 0): Location {
    return this.loc(prop.args[index].span);
  }

  /** The quantity after the sub-keyword `key` of the property, as the schema describes it. */
  keyed(prop: Property, key: string, arg: Arg | undefined, keySpan: Span): number | undefined {
    const q = this.spec(prop).keys?.[key];
    if (!q) throw new Error(`\`${prop.name.text} ${key}\` has no quantity in the schema`);
    return this.quantity(prop, arg, q.unit, q.range, keySpan);
  }

  /** One of `choices` (the property's `values` in the schema) as its only argument; undefined after a diagnostic. */
  pick<T extends string>(prop: Property, choices: readonly T[]): T | undefined {
    const v = this.choice(prop, prop.args[0], choices, prop.name.span);
    this.extra(prop, 1);
    return v;
  }

  private spec(prop: Property): Partial<Pick<PropertySpec, 'quantity' | 'keys' | 'values' | 'modifiers'>> {
    return this.specs?.get(prop.name.text) ?? NO_SPEC;
  }

  /** One of the given words. */
  choice<T extends string>(prop: Property, arg: Arg | undefined, choices: readonly T[], afterSpan: Span): T | undefined {
    const w = this.word(arg);
    if (w && (choices as readonly string[]).includes(w.text)) return w.text as T;
    const list = choices.map((c) => `\`${c}\``).join(', ');
    if (!arg) {
      this.missing(prop, afterSpan, `one of ${list}`);
      return undefined;
    }
    if (!w) {
      this.unexpectedArg(prop, arg, `one of ${list}`);
      return undefined;
    }
    const { text: hint, suggestion } = didYouMean(w.text, choices);
    const fixes: Fix[] = suggestion ? [{ title: `Change to \`${suggestion}\``, edits: [{ file: this.file, span: w.span, newText: suggestion }], preferred: true }] : [];
    this.sink.report('T302', this.file, w.span, `\`${w.text}\` is not a valid value for \`${prop.name.text}\`: use one of ${list}.${hint}`, [], fixes);
    return undefined;
  }

  /** A reference argument (possibly dotted), or undefined after a diagnostic. */
  ref(prop: Property, arg: Arg | undefined, what: string, afterSpan: Span): Ref | undefined {
    if (!arg) {
      this.missing(prop, afterSpan, what);
      return undefined;
    }
    if (arg.kind !== 'ref') {
      this.unexpectedArg(prop, arg, what);
      return undefined;
    }
    return arg;
  }
}

/** What a property outside the schema (or a reader without a block) is known to take: nothing. */
const NO_SPEC: Partial<Pick<PropertySpec, 'quantity' | 'keys' | 'values' | 'modifiers'>> = {};

function inRange(v: number, r: ValueRange): boolean {
  if (r.min !== undefined && v < r.min) return false;
  if (r.above !== undefined && !(v > r.above)) return false;
  if (r.max !== undefined && v > r.max) return false;
  return Number.isFinite(v);
}

/** `\`2us\`, \`2ms\` or \`2ns\``, each with its note. */
function choiceList(choices: readonly UnitChoice[]): string {
  return choices.map((c, i) => `${i === 0 ? '' : i === choices.length - 1 ? ' or ' : ', '}\`${c.text}\`${c.note ? ` (${c.note})` : ''}`).join('');
}

export function textOf(arg: NumberLit): string {
  return `${Number.isNaN(arg.value) ? '?' : arg.value}${arg.unit}`;
}

export function describeArg(arg: Arg): string {
  switch (arg.kind) {
    case 'number': return `the number \`${textOf(arg)}\``;
    case 'string': return 'a string';
    case 'ref': return `\`${arg.parts.map((p) => p.text).join('.')}${arg.star ? '.*' : ''}\``;
    case 'range': return 'a range';
    case 'list': return 'a list';
  }
}

/** `write it as \`cpu 2\` or \`cpu request 500m limit 2\``: the ways to write the property in this block. */
function syntaxHint(prop: Property, block: BlockKind | undefined): string {
  const forms = eventExample(prop) ?? (block && SYNTAX_IN[block]?.[prop.name.text]) ?? SYNTAX[prop.name.text] ?? prop.name.text;
  const list = typeof forms === 'string' ? [forms] : forms;
  return `write it as ${list.map((f, i) => `${i === 0 ? '' : i === list.length - 1 ? ' or ' : ', '}\`${f}\``).join('')}`;
}

/** For `at T KIND ...` with a known kind: that kind's form alone (not all four). */
function eventExample(prop: Property): string | undefined {
  const k = prop.name.text === 'at' && prop.args[1]?.kind === 'ref' && prop.args[1].parts.length === 1 ? prop.args[1].parts[0].text : '';
  return isOneOf(EVENT_KINDS, k) ? EVENT_SYNTAX[k].example : undefined;
}

/** Syntax reminders that differ by block. */
const SYNTAX_IN: Partial<Record<BlockKind, Readonly<Record<string, readonly string[]>>>> = {
  node: { memory: ['memory 256GiB'] },
  container: { memory: ['memory 4GiB', 'memory request 1GiB limit 2GiB'] },
};

/** Compact syntax reminders for messages: one form, or the alternatives. */
const SYNTAX: Record<string, string | readonly string[]> = {
  oversubscribe: 'oversubscribe cpu 2.0 memory 1.0',
  policy: 'policy cost',
  seed: 'seed 1',
  duration: 'duration 30s',
  tick: 'tick 10ms',
  threshold: 'threshold locality 80%',
  headroom: 'headroom 1',
  latency: 'latency 2us',
  bandwidth: 'bandwidth 100Gbps',
  cores: 'cores 32',
  memory: ['memory 256GiB', 'memory request 1GiB limit 2GiB'],
  nic: 'nic 25Gbps',
  disk: 'disk nvme0 2TB',
  role: 'role spare',
  nodes: 'nodes r1.n1..n4',
  reserve: 'reserve cores 1 memory 4GiB',
  granularity: 'granularity 2MiB',
  overhead: 'overhead vcpu 20us chunk 5us',
  image: 'image "registry/app:1.0"',
  replicas: 'replicas 3',
  cpu: ['cpu 2', 'cpu request 500m limit 2'],
  load: 'load 50%',
  workingset: 'workingset 4GiB',
  skew: 'skew 0.8',
  writes: 'writes 30%',
  talks: 'talks cache weight 30%',
  io: 'io r1.n2.nvme0 weight 20%',
  place: 'place on pod1',
  spread: ['spread nodes', 'spread nodes even'],
  pack: ['pack spread', 'pack tight'],
  colocate: 'colocate cache',
  priority: 'priority high',
  at: EVENT_KINDS.map((k) => EVENT_SYNTAX[k].example),
};
