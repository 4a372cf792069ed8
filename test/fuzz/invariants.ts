// The invariants the fuzzer checks on one input: every stage of the core (parse, check with
// placement, simulate, format, every ide feature) must not throw, must return spans inside
// the text, and formatting and code actions must be lossless. `checkInput` returns the
// broken invariants (an empty list when the input is fine); it never throws itself.
import { checkProgram, type CheckResult } from '../../server/src/core/check';
import { DIAGNOSTIC_SEVERITY, type Diagnostic } from '../../server/src/core/diagnostics';
import { MemoryHost } from '../../server/src/core/host';
import * as ide from '../../server/src/core/ide/index';
import { formatDeclarations, formatText } from '../../server/src/core/ide/format';
import type { CodeAction, DocumentSymbol, FormatOptions, IdeSnapshot } from '../../server/src/core/ide/types';
import type { SimulationResult } from '../../server/src/core/result';
import { simulate } from '../../server/src/core/simulator/index';
import { lex, UNTERMINATED, type Tokens } from '../../server/src/core/syntax/lexer';
import { parseFile } from '../../server/src/core/syntax/parser';
import { packingNodes, targetKey } from '../../server/src/core/placement/targets';
import type { Target } from '../../server/src/core/model/types';
import { LineIndex, type Location, type Span, type TextEdit } from '../../server/src/core/text';

/** The workspace every fuzz input lives in: imports may not leave it. */
export const WORKSPACE = '/ws';

export interface FuzzInput {
  /** The file the input is about (inside WORKSPACE). */
  readonly path: string;
  readonly text: string;
  /** The other files of the workspace (for imports), by path. */
  readonly files: Readonly<Record<string, string>>;
  /** Cursor offsets for the features that take one (taken modulo text.length + 1). */
  readonly offsets: readonly number[];
}

export interface Failure {
  /** What broke, stable across inputs: `throws:hover@hover.ts:57`, `span:completion`, `format:idempotent`. */
  readonly invariant: string;
  readonly message: string;
  /** The cursor offset that shows it, when the feature takes one. */
  readonly offset: number | null;
}

export interface CheckOptions {
  /** Run the simulator on error-free inputs (default true). */
  readonly simulate?: boolean;
  /** Every offset of the text as well as input.offsets (for small regression inputs). */
  readonly everyOffset?: boolean;
}

export interface CheckReport {
  readonly failures: readonly Failure[];
  /** Wall milliseconds per stage. */
  readonly millis: Readonly<Record<string, number>>;
  /** The input had no error diagnostics (so it was simulated). */
  readonly clean: boolean;
}

const FORMAT_OPTIONS: readonly FormatOptions[] = [
  { tabSize: 2, insertSpaces: true },
  { tabSize: 4, insertSpaces: true },
  { tabSize: 2, insertSpaces: false },
];
/** The stages that answer editor requests (timed one request at a time). */
const IDE_FEATURES: ReadonlySet<string> = new Set(['completion', 'hover', 'definition', 'references', 'documentHighlights', 'prepareRename', 'selectionRanges',
  'documentSymbols', 'foldingRanges', 'semanticTokens', 'inlayHints', 'workspaceSymbols', 'formatRange', 'format', 'rename', 'codeActions']);
const PARSE_ERRORS: ReadonlySet<string> = new Set(['T100', 'T101', 'T102', 'T103']);
const RENAMED = 'renamed_fz';
/** At most this many code actions per input are applied and re-checked (one when checking the input is slow). */
const MAX_APPLIED_ACTIONS = 12;
/** Checking slower than this makes the input heavy: one re-check per kind of edit, not one per edit. */
const HEAVY_CHECK_MS = 1000;
/** Simulated seconds and wall budget of each fuzz simulation. */
const SIM_DURATION = 0.3;
const SIM_BUDGET_MS = 25;

/** A location-free rendering of the model: what the text means, not where it says it. */
const LOCATION_KEYS: ReadonlySet<string> = new Set(['at', 'nameAt', 'block']);
export function meaning(check: CheckResult): string {
  return JSON.stringify(check.model, (k, v: unknown) => (LOCATION_KEYS.has(k) ? undefined : v));
}

function codes(check: CheckResult): string[] {
  return check.diagnostics.map((d) => `${d.file}:${d.code}`);
}

function sortedCodes(check: CheckResult): string {
  return codes(check).sort().join(' ');
}

/** The codes gained and lost from one check to another (`+T200-T203`), to tell failures apart. */
function codeDelta(before: CheckResult, after: CheckResult): string {
  const count = (c: CheckResult): Map<string, number> => {
    const m = new Map<string, number>();
    for (const d of c.diagnostics) m.set(d.code, (m.get(d.code) ?? 0) + 1);
    return m;
  };
  const a = count(before);
  const b = count(after);
  const out: string[] = [];
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const d = (b.get(k) ?? 0) - (a.get(k) ?? 0);
    if (d !== 0) out.push(`${d > 0 ? '+' : '-'}${k}`);
  }
  return out.join('');
}

function codeSet(check: CheckResult): string {
  return [...new Set(codes(check))].sort().join(' ');
}

/**
 * The errors a change adds: error codes that occur more often after than before, each with its
 * first new message (an empty list when the change only removes or keeps errors).
 */
export function addedErrors(before: CheckResult, after: CheckResult, codes: RegExp = /^T/): string[] {
  const count = (c: CheckResult): Map<string, Diagnostic[]> => {
    const m = new Map<string, Diagnostic[]>();
    for (const d of c.diagnostics) if (d.severity === 'error' && codes.test(d.code)) m.set(d.code, [...(m.get(d.code) ?? []), d]);
    return m;
  };
  const a = count(before);
  const out: string[] = [];
  for (const [code, list] of count(after)) {
    const was = a.get(code) ?? [];
    if (list.length <= was.length) continue;
    const fresh = list.find((d) => !was.some((x) => x.message === d.message)) ?? list[list.length - 1];
    out.push(`${code} ${fresh.message}`);
  }
  return out;
}

/** The same text with every line break written `\n` (the editor owns the line-break style). */
function lf(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/** The slowest a single ide request may be (they answer keystrokes and hovers). */
export const IDE_REQUEST_MS = 1000;

/** The first frame of the core in a stack, `file.ts:line`, to tell crashes apart. */
function frameOf(e: unknown): string {
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /server\/src\/core\/([\w/.-]+\.ts):(\d+)/.exec(line);
    if (m) return `${m[1]}:${m[2]}`;
  }
  return 'unknown';
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(e);
}

/** Lines as the protocol counts them (LineIndex: `\n`, `\r\n` and a lone `\r` end a line). */
function lineCount(text: string): number {
  return new LineIndex(text).lineCount;
}

function spansLines(li: LineIndex, sp: Span): boolean {
  return li.position(sp.start).line !== li.position(sp.end).line;
}

/** Non-whitespace content (whitespace as the lexer sees it). */
function ink(text: string): string {
  return text.replace(/[ \t\r\n\ufeff]+/g, '');
}

function tokenTexts(text: string, t: Tokens): string[] {
  const out: string[] = [];
  for (let i = 0; i < t.count; i++) out.push(`${t.kind[i]}:${text.slice(t.start[i], t.end[i])}`);
  return out;
}

/** Comment texts less trailing spaces and tabs (all the formatter may take from a comment). */
function commentTexts(t: Tokens): string[] {
  return t.comments.map((c) => c.text.replace(/[ \t]+$/, ''));
}

/** True when `small` is a subsequence of `big`. */
function isSubsequence(small: readonly string[], big: readonly string[]): boolean {
  let j = 0;
  for (let i = 0; i < big.length && j < small.length; i++) if (big[i] === small[j]) j++;
  return j === small.length;
}

/** Applies edits to one text after checking them; returns null (and reports) when they are not a clean edit. */
export function validEdits(text: string, edits: readonly TextEdit[]): string | null {
  for (const e of edits) {
    if (!Number.isInteger(e.span.start) || !Number.isInteger(e.span.end) || e.span.start < 0 || e.span.start > e.span.end || e.span.end > text.length) return `edit ${e.span.start}-${e.span.end} outside a text of ${text.length}`;
    if (typeof e.newText !== 'string') return 'edit without text';
  }
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].span.start < sorted[i - 1].span.end) return `edits ${sorted[i - 1].span.start}-${sorted[i - 1].span.end} and ${sorted[i].span.start}-${sorted[i].span.end} overlap`;
  }
  return null;
}

function spanProblem(sp: Span | undefined | null, len: number): string | null {
  if (!sp) return 'no span';
  if (!Number.isInteger(sp.start) || !Number.isInteger(sp.end)) return `span ${sp.start}-${sp.end} is not integral`;
  if (sp.start < 0 || sp.start > sp.end || sp.end > len) return `span ${sp.start}-${sp.end} outside a text of ${len}`;
  return null;
}

/** Calls every number in a JSON-like value. */
function numbersIn(v: unknown, path: string, visit: (n: number, path: string) => void, depth = 0): void {
  if (depth > 40) return;
  if (typeof v === 'number') visit(v, path);
  else if (Array.isArray(v)) v.forEach((x, i) => numbersIn(x, `${path}[${i}]`, visit, depth + 1));
  else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const arr = v as unknown as ArrayLike<number>;
    for (let i = 0; i < arr.length; i++) visit(arr[i], `${path}[${i}]`);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) numbersIn(x, `${path}.${k}`, visit, depth + 1);
  }
}

function firstNonFinite(v: unknown): string | null {
  let found: string | null = null;
  numbersIn(v, '$', (n, p) => {
    if (found === null && !Number.isFinite(n)) found = `${p} = ${n}`;
  });
  return found;
}

class Checker {
  readonly failures: Failure[] = [];
  readonly millis: Record<string, number> = {};
  private readonly seen = new Set<string>();
  readonly all: Map<string, string>;
  readonly len: number;
  /** Checking the input took over HEAVY_CHECK_MS (a million replicas): re-checks are rationed. */
  heavy = false;
  private renameRechecks = 0;

  constructor(readonly input: FuzzInput) {
    this.all = new Map(Object.entries(input.files));
    this.all.set(input.path, input.text);
    this.len = input.text.length;
  }

  fail(invariant: string, message: string, offset: number | null = null): void {
    // one report per invariant and offset is enough
    const key = `${invariant}@${offset}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.failures.push({ invariant, message, offset });
  }

  /** Runs a stage, timing it and turning a throw into a failure. An ide request over IDE_REQUEST_MS is a failure too. */
  attempt<T>(feature: string, fn: () => T, offset: number | null = null): T | undefined {
    const t0 = performance.now();
    try {
      return fn();
    } catch (e) {
      this.fail(`throws:${feature}@${frameOf(e)}`, describe(e), offset);
      return undefined;
    } finally {
      const stage = feature.split(':')[0];
      const ms = performance.now() - t0;
      this.millis[stage] = (this.millis[stage] ?? 0) + ms;
      if (IDE_FEATURES.has(stage) && ms > IDE_REQUEST_MS) this.fail(`slow:${stage}`, `one ${stage} request took ${Math.round(ms)} ms`, offset);
    }
  }

  span(feature: string, sp: Span | undefined | null, offset: number | null, len = this.len): boolean {
    const p = spanProblem(sp, len);
    if (p) this.fail(`span:${feature}`, p, offset);
    return p === null;
  }

  location(feature: string, check: CheckResult, loc: Location, offset: number | null): void {
    const tree = check.trees.get(loc.file);
    if (!tree) {
      this.fail(`location:${feature}`, `a location in ${loc.file}, which is not in the program`, offset);
      return;
    }
    this.span(feature, loc.span, offset, tree.text.length);
  }

  /** Whether one more re-check after a rename fits the input's budget. */
  mayRecheckRename(): boolean {
    return !this.heavy || this.renameRechecks++ === 0;
  }

  checkProgram(all: ReadonlyMap<string, string>, rootText: string): CheckResult {
    return checkProgram(this.input.path, new MemoryHost(all, WORKSPACE), { rootText });
  }
}

/** Every span of a syntax tree lies inside its parent's span and inside the text. */
function checkTree(c: Checker, node: unknown, parent: Span, depth: number): void {
  if (depth > 200 || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) checkTree(c, x, parent, depth + 1);
    return;
  }
  const rec = node as Record<string, unknown>;
  let inner = parent;
  const own = rec.span as Span | undefined;
  if (own && typeof own === 'object' && typeof own.start === 'number') {
    if (c.span('parse:tree', own, null) && (own.start < parent.start || own.end > parent.end)) {
      c.fail('parse:tree-nesting', `a ${String(rec.kind)} at ${own.start}-${own.end} is outside its parent ${parent.start}-${parent.end}`);
    }
    inner = own;
  }
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'span' || k === 'text' || k === 'comments' || v === null || typeof v !== 'object') continue;
    const sp = v as Partial<Span>;
    if (!('kind' in (v as object)) && !Array.isArray(v) && typeof sp.start === 'number' && typeof sp.end === 'number') {
      // a bare span field (open, close, rangeDots, star, numberSpan, unitSpan)
      if (c.span(`parse:${k}`, v as Span, null) && ((v as Span).start < inner.start || (v as Span).end > inner.end)) {
        c.fail('parse:tree-nesting', `${k} ${(v as Span).start}-${(v as Span).end} is outside its node ${inner.start}-${inner.end}`);
      }
      continue;
    }
    checkTree(c, v, inner, depth + 1);
  }
}

function checkDiagnostics(c: Checker, check: CheckResult): void {
  for (const d of check.diagnostics) {
    if (!(d.code in DIAGNOSTIC_SEVERITY)) c.fail('check:code', `unknown code ${d.code}`);
    else if (DIAGNOSTIC_SEVERITY[d.code] !== d.severity) c.fail('check:severity', `${d.code} has severity ${d.severity}`);
    if (!d.message) c.fail('check:message', `${d.code} has no message`);
    c.location(`check:${d.code}`, check, { file: d.file, span: d.span }, null);
    for (const r of d.related) c.location(`check:related:${d.code}`, check, r.location, null);
    const text = check.trees.get(d.file)?.text ?? '';
    const ch = text.charCodeAt(d.span.start);
    const before = d.span.start > 0 ? text.charCodeAt(d.span.start - 1) : 0;
    if (ch >= 0xdc00 && ch <= 0xdfff && before >= 0xd800 && before <= 0xdbff) c.fail('check:surrogate', `${d.code} starts inside a surrogate pair`);
  }
  const bad = firstNonFinite(check.model);
  if (bad) c.fail('check:model-finite', `the model holds a non-finite number: ${bad}`);
  const badPlacement = firstNonFinite(check.placement ?? null);
  if (badPlacement) c.fail('check:placement-finite', `the placement holds a non-finite number: ${badPlacement}`);
}

function checkSimulation(c: Checker, check: CheckResult, texts: ReadonlyMap<string, string>): SimulationResult | null {
  const names: (string | null)[] = [null, ...check.model.scenarios.slice(0, 3).map((s) => s.name)];
  const policies = ['cost', 'page', 'vcpu', 'static'] as const;
  let base: SimulationResult | null = null;
  names.forEach((scenario, i) => {
    const policy = i === 0 ? undefined : policies[((c.input.offsets[0] ?? 0) + i) % policies.length];
    const r = c.attempt('simulate', () => simulate(check.model, { scenario, policy, duration: SIM_DURATION, budgetMs: SIM_BUDGET_MS, texts, placement: check.placement }));
    if (!r) return;
    if (i === 0) base = r;
    const bad = firstNonFinite(r);
    if (bad) c.fail('simulate:finite', `${scenario ?? 'base'}: a non-finite number in the result: ${bad}`);
    const inUnit = (x: number, what: string): void => {
      if (!(x >= 0 && x <= 1)) c.fail('simulate:locality', `${scenario ?? 'base'}: ${what} = ${x} is not in 0..1`);
    };
    inUnit(r.summary.locality, 'summary.locality');
    for (const k of r.containers) if (k.locality !== null) inUnit(k.locality, `locality of ${k.name}`);
    for (const d of r.diagnostics) {
      const t = texts.get(d.file);
      if (t === undefined) {
        if (d.file !== '') c.fail('simulate:diagnostic-file', `${d.code} in unknown file ${d.file}`);
        continue;
      }
      const lines = lineCount(t);
      if (d.range.start.line < 0 || d.range.end.line >= lines || d.range.start.line > d.range.end.line) c.fail('simulate:diagnostic-range', `${d.code} on lines ${d.range.start.line}-${d.range.end.line} of ${lines}`);
    }
  });
  return base;
}

function checkFormatting(c: Checker, check: CheckResult): void {
  const { text, path } = c.input;
  const before = lex(text);
  const beforeTokens = tokenTexts(text, before);
  const beforeComments = commentTexts(before);
  const o = c.input.offsets;
  FORMAT_OPTIONS.forEach((options, n) => {
    const tag = n === 0 ? '' : `(${options.insertSpaces ? options.tabSize : 'tabs'})`;
    const edits = c.attempt('format', () => ide.format(text, path, options));
    if (!edits) return;
    const problem = validEdits(text, edits);
    if (problem) {
      c.fail('format:edits', `${tag}${problem}`);
      return;
    }
    const once = ide.applyEdits(text, edits);
    // issue 18: with syntax errors the editor formats the declarations that parsed (formatDeclarations), not nothing
    const canonical = c.attempt('format', () => formatDeclarations(text, path, options));
    if (canonical !== undefined && canonical !== null && edits.length > 0 && lf(canonical) !== lf(once)) c.fail('format:edits-text', `${tag}the edits do not give formatDeclarations's result`);
    if (canonical === null && edits.length > 0) c.fail('format:edits-text', `${tag}edits for a text formatDeclarations refuses`);
    if (once === text) return;
    if (ink(once) !== ink(text)) c.fail('format:non-whitespace', `${tag}formatting changed more than whitespace`);
    const after = lex(once);
    const afterTokens = tokenTexts(once, after);
    if (afterTokens.join('\u0000') !== beforeTokens.join('\u0000')) c.fail('format:tokens', `${tag}the tokens changed`);
    if (commentTexts(after).join('\u0000') !== beforeComments.join('\u0000')) c.fail('format:comments', `${tag}a comment was lost or changed`);
    const twice = c.attempt('format', () => ide.format(once, path, options));
    if (twice && twice.length > 0) c.fail('format:idempotent', `${tag}formatting the formatted text changes it again (${twice.length} edits)`);
    if (n === 0) {
      const all = new Map(c.all);
      all.set(path, once);
      const recheck = c.attempt('recheck', () => c.checkProgram(all, once));
      if (recheck) {
        if (meaning(recheck) !== meaning(check)) c.fail('format:model', 'the bound model changed');
        if (codes(recheck).join(' ') !== codes(check).join(' ')) c.fail('format:diagnostics', `diagnostics changed: ${codes(check).join(' ')} -> ${codes(recheck).join(' ')}`);
      }
    }
  });
  // range formatting: a subset of the canonical edits that keeps the text equivalent
  const options = FORMAT_OPTIONS[0];
  const canonical = formatText(text, path, options);
  const spans: Span[] = [{ start: 0, end: text.length }];
  for (let i = 0; i + 1 < o.length; i += 2) {
    const a = o[i] % (text.length + 1);
    const b = o[i + 1] % (text.length + 1);
    spans.push({ start: Math.min(a, b), end: Math.max(a, b) });
  }
  for (const span of spans) {
    const edits = c.attempt('formatRange', () => ide.formatRange(text, path, span, options), span.start);
    if (!edits) continue;
    const problem = validEdits(text, edits);
    if (problem) {
      c.fail('formatRange:edits', problem, span.start);
      continue;
    }
    const out = ide.applyEdits(text, edits);
    if (out === text) continue;
    if (ink(out) !== ink(text)) c.fail('formatRange:non-whitespace', `range ${span.start}-${span.end} changed more than whitespace`, span.start);
    const after = lex(out);
    if (tokenTexts(out, after).join('\u0000') !== beforeTokens.join('\u0000')) c.fail('formatRange:tokens', `range ${span.start}-${span.end} changed the tokens`, span.start);
    if (commentTexts(after).join('\u0000') !== beforeComments.join('\u0000')) c.fail('formatRange:comments', `range ${span.start}-${span.end} lost or changed a comment`, span.start);
    const whole = span.start === 0 && span.end === text.length;
    if (whole && canonical !== null && lf(out) !== lf(canonical)) c.fail('formatRange:whole', 'formatting the whole range differs from formatting the document');
    if (canonical !== null && !whole) {
      const rest = formatText(out, path, options);
      if (rest === null || lf(rest) !== lf(canonical)) c.fail('formatRange:canonical', `range ${span.start}-${span.end}: formatting the result gives a different canonical text`, span.start);
    }
  }
}

function checkSymbols(c: Checker, list: readonly DocumentSymbol[], parent: Span | null, depth: number): void {
  for (const sym of list) {
    if (!sym.name) c.fail('documentSymbols:name', `a ${sym.kind} symbol without a name`);
    const okSpan = c.span('documentSymbols', sym.span, null);
    const okSel = c.span('documentSymbols:selection', sym.selectionSpan, null);
    if (okSpan && okSel && (sym.selectionSpan.start < sym.span.start || sym.selectionSpan.end > sym.span.end)) {
      c.fail('documentSymbols:selection-inside', `${sym.kind} ${sym.name}: selection ${sym.selectionSpan.start}-${sym.selectionSpan.end} outside ${sym.span.start}-${sym.span.end}`);
    }
    if (okSpan && parent && (sym.span.start < parent.start || sym.span.end > parent.end)) c.fail('documentSymbols:child-inside', `${sym.kind} ${sym.name} outside its parent`);
    if (depth < 10) checkSymbols(c, sym.children, sym.span, depth + 1);
  }
}

function checkWholeDocumentFeatures(c: Checker, s: IdeSnapshot): void {
  const text = s.text;
  const symbols = c.attempt('documentSymbols', () => ide.documentSymbols(s));
  if (symbols) checkSymbols(c, symbols, null, 0);

  const lines = lineCount(text);
  for (const f of c.attempt('foldingRanges', () => ide.foldingRanges(s)) ?? []) {
    if (!(Number.isInteger(f.startLine) && Number.isInteger(f.endLine) && f.startLine >= 0 && f.startLine <= f.endLine && f.endLine < lines)) c.fail('foldingRanges', `folding ${f.startLine}-${f.endLine} in ${lines} lines`);
  }

  const tokens = c.attempt('semanticTokens', () => ide.semanticTokens(s)) ?? [];
  const li = new LineIndex(text);
  let last = -1;
  for (const t of tokens) {
    if (!c.span('semanticTokens', t.span, null)) continue;
    if (t.span.end === t.span.start) c.fail('semanticTokens:empty', `an empty ${t.type} token at ${t.span.start}`);
    if (spansLines(li, t.span)) c.fail('semanticTokens:multiline', `a ${t.type} token spans lines at ${t.span.start}`);
    if (t.span.start < last) c.fail('semanticTokens:order', `tokens overlap or are out of order at ${t.span.start}`);
    last = t.span.end;
  }

  const whole: Span = { start: 0, end: text.length };
  const o = c.input.offsets;
  const hintSpans: Span[] = [whole];
  if (o.length >= 2) {
    const a = o[0] % (text.length + 1);
    const b = o[1] % (text.length + 1);
    hintSpans.push({ start: Math.min(a, b), end: Math.max(a, b) });
  }
  for (const span of hintSpans) {
    for (const h of c.attempt('inlayHints', () => ide.inlayHints(s, span, { utilisation: true, locality: true })) ?? []) {
      if (!(Number.isInteger(h.offset) && h.offset >= 0 && h.offset <= text.length)) c.fail('span:inlayHints', `hint at ${h.offset} in a text of ${text.length}`, span.start);
      if (!h.label) c.fail('inlayHints:label', `an empty hint at ${h.offset}`, span.start);
    }
  }
  for (const q of ['', 'a', 'n1', 'zz']) {
    for (const w of c.attempt('workspaceSymbols', () => ide.workspaceSymbols([s.check], q)) ?? []) {
      c.location('workspaceSymbols', s.check, w.location, null);
      if (!w.name) c.fail('workspaceSymbols:name', `a ${w.kind} symbol without a name`);
    }
  }
}

function checkAtOffset(c: Checker, s: IdeSnapshot, offset: number): void {
  const text = s.text;
  const contains = (sp: Span): boolean => sp.start <= offset && offset <= sp.end;
  const li = new LineIndex(text);

  for (const item of c.attempt('completion', () => ide.completion(s, offset), offset) ?? []) {
    if (!item.label) c.fail('completion:label', 'an item without a label', offset);
    if (item.replace && c.span('completion', item.replace, offset)) {
      if (!contains(item.replace)) c.fail('completion:contains', `replace span ${item.replace.start}-${item.replace.end} does not contain the cursor`, offset);
      if (spansLines(li, item.replace)) c.fail('completion:multiline', `replace span ${item.replace.start}-${item.replace.end} spans lines`, offset);
    }
  }

  const h = c.attempt('hover', () => ide.hover(s, offset), offset);
  if (h) {
    if (c.span('hover', h.span, offset) && !contains(h.span)) c.fail('hover:contains', `hover span ${h.span.start}-${h.span.end} does not contain the cursor`, offset);
    if (!h.contents) c.fail('hover:contents', 'an empty hover', offset);
  }

  for (const l of c.attempt('definition', () => ide.definition(s, offset), offset) ?? []) c.location('definition', s.check, l, offset);
  const withDecl = c.attempt('references', () => ide.references(s, offset, true), offset) ?? [];
  const without = c.attempt('references', () => ide.references(s, offset, false), offset) ?? [];
  for (const l of withDecl) c.location('references', s.check, l, offset);
  for (const l of without) {
    c.location('references', s.check, l, offset);
    if (!withDecl.some((x) => x.file === l.file && x.span.start === l.span.start && x.span.end === l.span.end)) c.fail('references:subset', `${l.file} ${l.span.start}-${l.span.end} is a reference without the declaration but not with it`, offset);
  }
  for (const hl of c.attempt('documentHighlights', () => ide.documentHighlights(s, offset), offset) ?? []) c.span('documentHighlights', hl.span, offset);

  const prep = c.attempt('prepareRename', () => ide.prepareRename(s, offset), offset);
  if (prep && c.span('prepareRename', prep.span, offset) && !contains(prep.span)) c.fail('prepareRename:contains', `span ${prep.span.start}-${prep.span.end} does not contain the cursor`, offset);
  const renamed = c.attempt('rename', () => ide.rename(s, offset, RENAMED), offset);
  if (renamed && 'edits' in renamed && renamed.edits.length > 0) {
    if (!prep) c.fail('rename:without-prepare', 'rename gives edits where prepareRename finds nothing', offset);
    checkRename(c, s, renamed.edits, offset, prep ? prep.span : null);
  }
  const invalid = c.attempt('rename', () => ide.rename(s, offset, 'a"b'), offset);
  if (invalid && 'edits' in invalid) c.fail('rename:invalid-name', 'rename accepted `a"b`, a name no declaration can have', offset);

  const chains = c.attempt('selectionRanges', () => ide.selectionRanges(s, [offset]), offset);
  if (chains) {
    if (chains.length !== 1) c.fail('selectionRanges:count', `${chains.length} answers for one offset`, offset);
    const chain = chains[0] ?? [];
    if (chain.length === 0) c.fail('selectionRanges:empty', 'no selection range', offset);
    let prev: Span | null = null;
    for (const sp of chain) {
      if (!c.span('selectionRanges', sp, offset)) break;
      if (prev === null && !contains(sp)) c.fail('selectionRanges:contains', `innermost ${sp.start}-${sp.end} does not contain the cursor`, offset);
      if (prev !== null && !(sp.start <= prev.start && prev.end <= sp.end)) c.fail('selectionRanges:nested', `${sp.start}-${sp.end} does not contain ${prev.start}-${prev.end}`, offset);
      prev = sp;
    }
  }
}

/** Files after applying edits that may touch several files, or a problem. */
function applyAcross(c: Checker, check: CheckResult, edits: readonly TextEdit[]): Map<string, string> | string {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) {
    const list = byFile.get(e.file) ?? [];
    list.push(e);
    byFile.set(e.file, list);
  }
  const out = new Map(c.all);
  for (const [file, list] of byFile) {
    const text = check.trees.get(file)?.text;
    if (text === undefined) return `an edit in ${file}, which is not in the program`;
    const problem = validEdits(text, list);
    if (problem) return `${file}: ${problem}`;
    out.set(file, ide.applyEdits(text, list));
  }
  return out;
}

/** True when a string token starts at `at` and has no closing quote (T102). */
function unterminatedStringAt(text: string, at: number): boolean {
  const t = lex(text);
  for (let i = 0; i < t.count; i++) if (t.start[i] === at) return (t.flags[i] & UNTERMINATED) !== 0;
  return false;
}

function checkRename(c: Checker, s: IdeSnapshot, edits: readonly TextEdit[], offset: number, renamedSpan: Span | null): void {
  const files = applyAcross(c, s.check, edits);
  if (typeof files === 'string') {
    c.fail('rename:edits', files, offset);
    return;
  }
  if (!c.mayRecheckRename()) return;
  const after = c.attempt('recheck', () => c.checkProgram(files, files.get(c.input.path) ?? ''), offset);
  if (!after) return;
  // renaming an unterminated string (T102) closes it: the only change of diagnostics allowed
  const closesString = renamedSpan !== null && unterminatedStringAt(s.text, renamedSpan.start);
  if (!closesString && sortedCodes(after) !== sortedCodes(s.check)) c.fail(`rename:diagnostics:${codeDelta(s.check, after)}`, `renaming changed the diagnostics: ${sortedCodes(s.check)} -> ${sortedCodes(after)}`, offset);
}

/**
 * The errors a quick fix adds, for fixes that choose a target, nodes or a number (placement and
 * capacity: T2xx but T200, T4xx, a missing `place on` or `nodes`, T305): no T2xx-T4xx error may
 * become more frequent. A name's spelling fix (T200) may not add a T2xx error (the name it
 * suggests is of the right kind, in the right place); the capacity of the target it names is
 * the user's question. A fix of a syntax error, of a value or of a node's missing cores or
 * memory lets the binder and the capacity checks read what they skipped, and what they then
 * find was there all along. Checked on text without syntax errors (new syntax errors:
 * codeActions:syntax).
 */
function addedByFix(fixed: readonly Diagnostic[], before: CheckResult, after: CheckResult): string[] {
  // on text with syntax errors the parser's recovery reads whatever follows anew after any edit
  if (before.diagnostics.some((d) => PARSE_ERRORS.has(d.code) || d.code === 'T104')) return [];
  const chooses = (d: Diagnostic): boolean => (/^T[24]/.test(d.code) && d.code !== 'T200') || d.code === 'T305' || (d.code === 'T304' && !/^node /.test(d.message));
  const seen = (x: string): boolean => !maskedBefore(before, x) && !unmaskedSdsMember(before, fixed, x) && !networkOverBefore(before, x);
  if (fixed.some(chooses)) return addedErrors(before, after, /^T[234]/).filter(seen);
  if (fixed.some((d) => d.code === 'T200')) return addedErrors(before, after, /^T2/).filter(seen);
  return [];
}

/**
 * A network T400 on a rack whose NICs together were asked for more than they carry before the
 * fix: another cause of the same replicas left out (isolation) was the one reported, and a fix
 * that mends it uncovers the bandwidth that was short all along.
 */
function networkOverBefore(before: CheckResult, added: string): boolean {
  const name = /^T400 .*the network bandwidth is short\..* active nodes of `([^`]+)` have /.exec(added)?.[1];
  const m = before.model;
  const rack = m.racks.find((r) => r.name === name);
  if (!rack) return false;
  const target: Target = { kind: 'rack', rack: rack.id, at: rack.nameAt };
  const nics = packingNodes(m, target).filter((id) => m.nodes[id].role === 'active').reduce((s, id) => s + m.nodes[id].nic, 0);
  const asked = m.containers.filter((c) => c.target && targetKey(c.target) === targetKey(target)).reduce((s, c) => s + c.replicas * c.network, 0);
  return asked > nics * (1 + 1e-9);
}

/**
 * An SDS whose `nodes` named something that did not resolve skips it (`nodesComplete` false): a fix
 * of that name (T200, T203) lets the binder read the node, and a T207 that finds it in two SDSs was
 * written all along, as a fixed value lets the capacity checks see what they skipped.
 */
function unmaskedSdsMember(before: CheckResult, fixed: readonly Diagnostic[], added: string): boolean {
  if (!added.startsWith('T207 ')) return false;
  const names = [...added.matchAll(/SDS `([^`]+)`/g)].map((m) => m[1]);
  return before.model.sdses.some((sds) => !sds.nodesComplete && names.includes(sds.name)
    && fixed.some((d) => d.file === sds.block.file && d.span.start >= sds.block.span.start && d.span.end <= sds.block.span.end));
}

/**
 * The capacity analysis reports no T401 (limits over the allowance) for a target and resource
 * whose requests are already over (T400): a fix that mends the T400 lets the T401 that was there
 * all along be seen, which it did not add.
 */
function maskedBefore(before: CheckResult, added: string): boolean {
  const subject = (message: string): string | null => /^((?:SDS|rack|node set) `[^`]+`) (?:has|allows) [^;:]*? of (CPU|memory)\b/.exec(message)?.slice(1).join(' ') ?? null;
  if (!added.startsWith('T401 ')) return false;
  const s = subject(added.slice(5));
  return s !== null && before.diagnostics.some((d) => d.code === 'T400' && subject(d.message) === s);
}

/** Which action it is, for telling failures apart: kind, fixed codes, first word (`quickfix:T304:Add`, `refactor.rewrite:Collapse`). */
function actionTag(a: CodeAction): string {
  const codesFixed = [...new Set(a.diagnostics.map((d) => d.code))].join('+');
  return [a.kind, codesFixed, a.title.split(' ')[0]].filter((x) => x !== '').join(':');
}

function actionKey(a: CodeAction): string {
  return `${a.kind}|${a.title}|${a.edits.map((e) => `${e.file}:${e.span.start}-${e.span.end}=${e.newText}`).join(',')}`;
}

function checkCodeActions(c: Checker, s: IdeSnapshot): void {
  const { text } = s;
  const rootDiagnostics = s.check.diagnostics.filter((d) => d.file === s.file);
  const found = new Map<string, { action: CodeAction; offset: number }>();
  const request = (span: Span, diagnostics: readonly Diagnostic[]): void => {
    for (const a of c.attempt('codeActions', () => ide.codeActions(s, span, diagnostics), span.start) ?? []) {
      if (!a.title) c.fail('codeActions:title', 'an action without a title', span.start);
      const k = actionKey(a);
      if (!found.has(k)) found.set(k, { action: a, offset: span.start });
    }
  };
  for (const d of rootDiagnostics) request(d.span, [d]);
  for (const raw of c.input.offsets) {
    const o = raw % (text.length + 1);
    request({ start: o, end: o }, rootDiagnostics);
  }
  const unknownProperties = s.check.diagnostics.filter((d) => d.code === 'T104');
  const syntaxClean = (text: string, file: string): boolean => parseFile(text, file).diagnostics.length === 0;
  let applied = 0;
  for (const { action, offset } of found.values()) {
    const tag = actionTag(action);
    const files = applyAcross(c, s.check, action.edits);
    if (typeof files === 'string') {
      c.fail(`codeActions:edits:${tag}`, `${action.title}: ${files}`, offset);
      continue;
    }
    const changed = [...files].filter(([f, t]) => c.all.get(f) !== t);
    if (changed.length === 0) c.fail(`codeActions:no-op:${tag}`, `${action.title}: applying it changes nothing`, offset);
    for (const [file, after] of changed) {
      const beforeText = c.all.get(file) ?? '';
      // comments kept (a refactor may repeat them, never drop one)
      if (!isSubsequence(commentTexts(lex(beforeText)), commentTexts(lex(after)))) c.fail(`codeActions:comments:${tag}`, `${action.title}: a comment of ${file} was lost`, offset);
      // unknown properties kept: an edit over one (other than its own fix) writes it again
      for (const d of unknownProperties) {
        if (d.file !== file || action.diagnostics.includes(d)) continue;
        const word = beforeText.slice(d.span.start, d.span.end);
        const lost = action.edits.some((e) => e.file === file && e.span.start < d.span.end && d.span.start < e.span.end && !e.newText.includes(word));
        if (lost) c.fail(`codeActions:unknown-property:${tag}`, `${action.title}: the unknown property \`${word}\` of ${file} is gone`, offset);
      }
      // a fix on syntactically clean text keeps it clean
      if (syntaxClean(beforeText, file)) {
        const p = parseFile(after, file).diagnostics.find((d) => PARSE_ERRORS.has(d.code));
        if (p) c.fail(`codeActions:syntax:${tag}`, `${action.title}: the result has a syntax error (${p.code} ${p.message})`, offset);
      }
    }
    if (applied >= (c.heavy ? 1 : MAX_APPLIED_ACTIONS)) continue;
    applied++;
    const after = c.attempt('recheck', () => c.checkProgram(files, files.get(c.input.path) ?? ''), offset);
    if (!after) continue;
    if (action.kind === 'refactor.rewrite') {
      if (meaning(after) !== meaning(s.check)) c.fail(`codeActions:refactor-model:${tag}`, `${action.title}: the bound model changed`, offset);
      if (codeSet(after) !== codeSet(s.check)) c.fail(`codeActions:refactor-diagnostics:${tag}`, `${action.title}: diagnostics changed: ${codeSet(s.check)} -> ${codeSet(after)}`, offset);
    }
    if (action.kind === 'quickfix') {
      // a fix never introduces an error: no error code is more frequent after it (see addedByFix)
      const added = addedByFix(action.diagnostics, s.check, after);
      if (added.length) c.fail(`codeActions:quickfix-adds-error:${tag}:${added.map((x) => x.split(' ')[0]).join('+')}`, `${action.title}: adds ${added.join('; ')}`, offset);
      // (a syntax error's fix lets the parser's recovery read the rest anew: only later stages are compared)
      for (const d of action.diagnostics.filter((x) => !PARSE_ERRORS.has(x.code) && x.code !== 'T104')) {
        const same = (x: Diagnostic): boolean => x.code === d.code && x.message === d.message;
        const was = s.check.diagnostics.filter(same).length;
        const still = after.diagnostics.filter(same).length;
        if (still >= was) c.fail(`codeActions:quickfix-unfixed:${tag}`, `${action.title}: ${d.code} "${d.message}" is still there after the fix`, offset);
      }
    }
  }
}

/** Checks every invariant on one input. Never throws. */
export function checkInput(input: FuzzInput, options: CheckOptions = {}): CheckReport {
  const c = new Checker(input);
  try {
    const { text, path } = input;
    const parsed = c.attempt('parse', () => parseFile(text, path));
    if (parsed) {
      if (parsed.tree.text !== text) c.fail('parse:text', 'the tree does not hold the text');
      checkTree(c, parsed.tree.items, { start: 0, end: text.length }, 0);
      for (const d of parsed.diagnostics) c.span(`parse:${d.code}`, d.span, null);
    }
    const t0 = performance.now();
    const check = c.attempt('check', () => c.checkProgram(c.all, text));
    c.heavy = performance.now() - t0 > HEAVY_CHECK_MS;
    if (!check) return { failures: c.failures, millis: c.millis, clean: false };
    checkDiagnostics(c, check);
    const clean = !check.diagnostics.some((d) => d.severity === 'error');
    const texts = new Map<string, string>();
    for (const [f, t] of check.trees) texts.set(f, t.text);
    const simulation = clean && options.simulate !== false ? checkSimulation(c, check, texts) : null;
    checkFormatting(c, check);
    const s: IdeSnapshot = { file: path, text, check, simulation };
    checkWholeDocumentFeatures(c, s);
    const offsets = new Set(input.offsets.map((o) => o % (text.length + 1)));
    if (options.everyOffset) for (let o = 0; o <= text.length; o++) offsets.add(o);
    for (const o of offsets) checkAtOffset(c, s, o);
    checkCodeActions(c, s);
    return { failures: c.failures, millis: c.millis, clean };
  } catch (e) {
    // a bug in the checker itself is a failure too, never a silent pass
    c.fail(`checker@${frameOf(e)}`, describe(e));
    return { failures: c.failures, millis: c.millis, clean: false };
  }
}

/** The invariant names of a report, for "does it still fail the same way". */
export function failureKeys(report: CheckReport): Set<string> {
  return new Set(report.failures.map((f) => f.invariant));
}
