import { formatBytes, formatCores, formatNumber } from '../model/units';
import type { Model } from '../model/types';
import { sdsCapacity } from '../placement/targets';
import type { Block, BlockKind } from '../syntax/ast';
import { BLOCK_DOCS, BLOCK_SNIPPETS, CHILD_BLOCKS, DECLARATION_KEYWORDS, EVENT_KINDS, NAME_TAKING_WORDS, PROPERTIES, SPREAD_EVEN, SPREADS, isPropertyKeyword, propertySpec, type UnitKind } from '../syntax/schema';
import type { Span } from '../text';
import { EVENT_SYNTAX, EVENT_TO, isOneOf, type EventKind, type EventSubject, PACK_MODE_DOCS, POLICY_DOCS, PRIORITY_DOCS, ROLE_DOCS, SPREAD_DOCS } from '../syntax/words';
import { pathAt } from './locate';
import type { CompletionItem, IdeSnapshot } from './types';

/** Most name items one completion returns (the client filters by prefix). */
const MAX_NAMES = 2000;

const ENUM_DOCS: Readonly<Record<string, string>> = { ...POLICY_DOCS, ...ROLE_DOCS, ...PRIORITY_DOCS, ...SPREAD_DOCS, ...PACK_MODE_DOCS };

const UNITS_OF: Record<UnitKind, readonly string[]> = {
  bytes: ['GiB', 'MiB', 'TiB', 'KiB', 'PiB', 'B', 'GB', 'MB', 'TB', 'KB', 'PB'],
  cpu: ['m'],
  bandwidth: ['Gbps', 'Mbps', 'Tbps', 'Kbps', 'GBps', 'MBps', 'KBps'],
  duration: ['s', 'ms', 'us', 'ns', 'min', 'h'],
  percent: ['%'],
  ratio: [],
  count: [],
};
const UNIT_DOCS: Record<UnitKind, string> = {
  bytes: 'bytes (KiB, MiB, GiB… are powers of 2; KB, MB, GB… powers of 10)',
  cpu: 'millicores: `500m` = 0.5 cores',
  bandwidth: 'bandwidth (…bps bits per second, …Bps bytes per second)',
  duration: 'duration',
  percent: 'percent',
  ratio: '',
  count: '',
};


function isWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 37;
}

interface Tok {
  readonly text: string;
  readonly kind: 'word' | 'number' | 'string' | 'punct';
}

/**
 * The statement being written on the cursor's line: the text after the last `{`, `}` or `;`
 * (outside strings), up to the partial word. Null when the cursor is in a comment or string.
 */
function statementBefore(text: string, lineStart: number, end: number): Tok[] | null {
  let segStart = lineStart;
  let inString = false;
  for (let i = lineStart; i < end; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '#') return null;
    else if (c === '{' || c === '}' || c === ';') segStart = i + 1;
  }
  if (inString) return null;
  const seg = text.slice(segStart, end);
  const toks: Tok[] = [];
  const re = /"(?:[^"\\]|\\.)*"?|-?[0-9][0-9.]*[A-Za-z%]*|[A-Za-z_][A-Za-z0-9_-]*(?:\.(?:[A-Za-z_][A-Za-z0-9_-]*|\*)?)*(?:\.\.[A-Za-z_.][A-Za-z0-9_.-]*)?|[,*.]+/g;
  for (let m = re.exec(seg); m; m = re.exec(seg)) {
    const t = m[0];
    const kind = t.startsWith('"') ? 'string' : /^-?[0-9]/.test(t) ? 'number' : /^[A-Za-z_]/.test(t) ? 'word' : 'punct';
    toks.push({ text: t, kind });
  }
  return toks;
}

/** Splits the statement into the current property and its arguments, as the parser does. */
function currentProperty(block: BlockKind, toks: readonly Tok[]): { prop: string | null; args: Tok[] } {
  let prop: string | null = null;
  let args: Tok[] = [];
  let prevTakesName = false;
  for (const t of toks) {
    if (t.kind === 'word' && !prevTakesName && (isPropertyKeyword(block, t.text) || (CHILD_BLOCKS[block] ?? []).includes(t.text as BlockKind))) {
      prop = t.text;
      args = [];
      prevTakesName = NAME_TAKING_WORDS.has(t.text);
      continue;
    }
    if (prop === null) return { prop: null, args: [...toks] };
    args.push(t);
    prevTakesName = t.kind === 'word' && NAME_TAKING_WORDS.has(t.text);
  }
  return { prop, args };
}

class Names {
  constructor(private readonly model: Model) {}

  racks(): CompletionItem[] {
    return this.model.racks.map((r) => ({ label: r.name, kind: 'reference' as const, detail: `rack · ${r.nodes.length} nodes` }));
  }

  sdses(): CompletionItem[] {
    return this.model.sdses.map((x) => {
      const { cpu, memory } = sdsCapacity(this.model, x);
      return { label: x.name, kind: 'reference' as const, detail: `SDS · ${x.nodes.length} nodes, ${formatNumber(cpu)} cores, ${formatBytes(memory)}` };
    });
  }

  containers(except?: string): CompletionItem[] {
    return this.model.containers
      .filter((c) => c.name !== except)
      .slice(0, MAX_NAMES)
      .map((c) => ({ label: c.name, kind: 'reference' as const, detail: `container · ${c.replicas} × ${formatCores(c.cpuRequest)} cpu, ${formatBytes(c.memoryRequest)}` }));
  }

  nodesOf(rack: string, filter: (n: Model['nodes'][number]) => boolean = () => true): CompletionItem[] {
    const r = this.model.racks.find((x) => x.name === rack);
    if (!r) return [];
    return r.nodes
      .map((id) => this.model.nodes[id])
      .filter(filter)
      .slice(0, MAX_NAMES)
      .map((n) => ({ label: n.name, kind: 'reference' as const, detail: `node · ${formatNumber(n.cores)} cores, ${formatBytes(n.memory)}${n.role === 'spare' ? ', spare' : ''}${n.sds !== null ? `, in ${this.model.sdses[n.sds]?.name ?? ''}` : ''}` }));
  }

  /** Full `RACK.NODE` references. */
  nodeRefs(filter: (n: Model['nodes'][number]) => boolean = () => true): CompletionItem[] {
    return this.model.nodes
      .filter(filter)
      .slice(0, MAX_NAMES)
      .map((n) => ({ label: n.ref, kind: 'reference' as const, detail: `node · ${formatNumber(n.cores)} cores, ${formatBytes(n.memory)}${n.role === 'spare' ? ', spare' : ''}` }));
  }

  devicesOf(rack: string, node: string): CompletionItem[] {
    const n = this.model.nodes.find((x) => x.ref === `${rack}.${node}`);
    return (n?.disks ?? []).map((d) => ({ label: d.name, kind: 'reference' as const, detail: `device · ${formatBytes(d.bytes)}` }));
  }

  deviceRefs(): CompletionItem[] {
    const out: CompletionItem[] = [];
    for (const n of this.model.nodes) {
      for (const d of n.disks) {
        if (out.length >= MAX_NAMES) return out;
        out.push({ label: `${n.ref}.${d.name}`, kind: 'reference', detail: `device · ${formatBytes(d.bytes)}` });
      }
    }
    return out;
  }
}

/** The names offered as an event's subject (`at T fail |`): those of its subject's kind (EVENT_SYNTAX), narrowed for some kinds. */
const SUBJECT_NAMES: Readonly<Record<EventSubject, (names: Names) => CompletionItem[]>> = { node: (names) => names.nodeRefs(), container: (names) => names.containers() };
const EVENT_SUBJECTS: Readonly<Partial<Record<EventKind, (names: Names) => CompletionItem[]>>> = {
  fail: (names) => names.nodeRefs((x) => x.role === 'active'),
  add: (names) => {
    const spares = names.nodeRefs((x) => x.sds === null && x.role === 'spare');
    return spares.length ? spares : names.nodeRefs((x) => x.sds === null);
  },
};

function keywords(words: readonly string[], doc?: Record<string, string>): CompletionItem[] {
  return words.map((w) => ({ label: w, kind: 'keyword' as const, documentation: doc?.[w] }));
}

function values(words: readonly string[]): CompletionItem[] {
  return words.map((w) => ({ label: w, kind: 'value' as const, documentation: ENUM_DOCS[w] }));
}

/**
 * The unit kind the number being written takes, from the schema: the quantity of the
 * sub-keyword just before it (`reserve cores 2`), else the property's own, else that of its
 * last sub-keyword (`reserve 4` is memory, `talks c weight 3` a percentage); in a scenario's
 * `at`, the time first and then the event's own quantity.
 */
function unitKindAt(block: BlockKind, prop: string, args: readonly Tok[]): UnitKind | null {
  const spec = propertySpec(block, prop);
  if (!spec) return null;
  if (block === 'scenario' && prop === 'at' && args.length > 0) {
    const ev = args[1]?.text;
    return (ev !== undefined && isOneOf(EVENT_KINDS, ev) ? EVENT_SYNTAX[ev].unit : null) ?? 'count';
  }
  const keys = spec.keys ?? {};
  const last = args[args.length - 1]?.text;
  const keyed = last !== undefined ? keys[last] : undefined;
  if (keyed) return keyed.unit;
  if (spec.quantity) return spec.quantity.unit;
  const quantities = Object.values(keys).filter((q) => q !== null);
  return quantities[quantities.length - 1]?.unit ?? (block === 'defaults' ? 'count' : null);
}

/** Values for the property `prop` given the arguments written so far. */
function valueItems(block: Block, prop: string, args: readonly Tok[], names: Names): CompletionItem[] | null {
  const kind = block.blockKind;
  const words = args.map((a) => a.text);
  const last = words[words.length - 1];
  const n = words.length;
  const selfName = block.name && block.name.kind === 'word' ? block.name.text : undefined;
  if (prop === 'spread' && kind === 'container' && n === 1 && (SPREADS as readonly string[]).includes(last)) return values([SPREAD_EVEN]);
  const spec = propertySpec(kind, prop);
  if (spec?.values) return n === 0 ? values(spec.values) : null;
  const subKeywords = Object.keys(spec?.keys ?? {});
  switch (prop) {
    case 'oversubscribe': {
      if (last === 'cpu' || last === 'memory') return [];
      return keywords(subKeywords.filter((w) => !words.includes(w)), { cpu: 'cpu RATIO: allowed CPU = cores × ratio', memory: 'memory RATIO: allowed memory = memory × ratio' });
    }
    case 'reserve':
      if (kind !== 'sds' || subKeywords.includes(last)) return kind === 'sds' ? [] : null;
      return keywords(subKeywords.filter((w) => !words.includes(w)));
    case 'threshold':
      return n === 0 ? keywords(subKeywords) : null;
    case 'cpu':
    case 'memory':
      if (kind !== 'container') return null;
      if (last === 'request' || last === 'limit') return [];
      if (n === 0) return keywords(['request', 'limit'], { request: 'Guaranteed amount (must fit capacity).', limit: 'Maximum amount (may be oversubscribed).' });
      if (words.includes('request') && !words.includes('limit')) return keywords(['limit']);
      return null;
    case 'talks':
    case 'colocate':
      if (n === 0) return names.containers(selfName);
      if (prop === 'talks' && n === 1) return keywords(['weight']);
      return null;
    case 'io':
      if (n === 0) return [...names.deviceRefs(), ...names.racks()];
      if (n === 1) return keywords(['weight']);
      return null;
    case 'place':
      if (n === 0) return keywords(['on']);
      if (n === 1 && last === 'on') return [...names.sdses(), ...names.racks()];
      return null;
    case 'nodes':
      if (kind !== 'sds') return null;
      if (n === 0 || last === ',' || last?.endsWith(',')) return names.racks();
      return null;
    case 'at': {
      if (n === 1) return keywords(EVENT_KINDS, Object.fromEntries(EVENT_KINDS.map((k) => [k, EVENT_SYNTAX[k].detail])));
      const ev = isOneOf(EVENT_KINDS, words[1]) ? words[1] : undefined;
      if (n === 2 && ev) return (EVENT_SUBJECTS[ev] ?? SUBJECT_NAMES[EVENT_SYNTAX[ev].subject])(names);
      if (n === 3 && ev && EVENT_SYNTAX[ev].to) return keywords([EVENT_TO]);
      if (n === 4 && ev && EVENT_SYNTAX[ev].to === 'sds' && last === EVENT_TO) return names.sdses();
      return n >= 1 ? [] : null;
    }
    default:
      return null;
  }
}

function propertyItems(block: Block, offset: number): CompletionItem[] {
  const given = new Set<string>();
  for (const m of block.members) {
    if (m.kind === 'property' && !(m.name.span.start <= offset && offset <= m.name.span.end)) given.add(m.name.text);
  }
  const items: CompletionItem[] = PROPERTIES[block.blockKind]
    .filter((p) => p.repeatable === true || !given.has(p.name))
    .map((p, i) => ({
      label: p.name,
      kind: 'property' as const,
      detail: p.syntax,
      documentation: p.doc,
      insertText: p.snippet,
      snippet: true,
      sortText: `${p.required ? '0' : '1'}${String(i).padStart(2, '0')}`,
    }));
  for (const child of CHILD_BLOCKS[block.blockKind] ?? []) {
    items.push({ label: child, kind: 'keyword', documentation: BLOCK_DOCS[child], insertText: BLOCK_SNIPPETS[child], snippet: true, sortText: '2' });
  }
  return items;
}

function topLevelItems(): CompletionItem[] {
  const out: CompletionItem[] = [];
  for (const k of DECLARATION_KEYWORDS) {
    out.push({ label: k, kind: 'keyword', documentation: BLOCK_DOCS[k], sortText: `0${k}` });
    out.push({ label: `${k} { … }`, kind: 'snippet', detail: `a whole ${k} ${k === 'import' ? 'line' : 'block'}`, documentation: BLOCK_DOCS[k], insertText: BLOCK_SNIPPETS[k], snippet: true, sortText: `1${k}` });
  }
  return out;
}

/**
 * Completion at the offset, from the syntax tree (the enclosing block and the properties it
 * already has) and a scan of the statement being typed (for half-typed text).
 */
export function completion(s: IdeSnapshot, offset: number): CompletionItem[] {
  try {
    return complete(s, Math.max(0, Math.min(offset, s.text.length)));
  } catch {
    return [];
  }
}

function complete(s: IdeSnapshot, offset: number): CompletionItem[] {
  const text = s.text;
  const tree = s.check.trees.get(s.file);
  if (!tree) return [];
  let start = offset;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  const partial = text.slice(start, offset);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const path = pathAt(tree, start);
  const block = path.blocks[path.blocks.length - 1] ?? null;
  const insideBody = block !== null && block.open !== null && start >= block.open.end && (block.close === null || start <= block.close.start);
  const replace: Span = { start, end: offset };
  const names = new Names(s.check.model);
  const withReplace = (items: CompletionItem[], span: Span = replace): CompletionItem[] => items.map((i) => ({ ...i, replace: span }));

  // A number being written: its unit.
  const num = /^-?[0-9][0-9.]*/.exec(partial);
  if (num) {
    const toks = statementBefore(text, lineStart, start);
    if (toks === null || !insideBody || !block) return [];
    const { prop, args } = currentProperty(block.blockKind, toks);
    if (prop === null) return [];
    const kind = unitKindAt(block.blockKind, prop, args);
    if (!kind) return [];
    const unitSpan = { start: start + num[0].length, end: offset };
    return withReplace(UNITS_OF[kind].map((u, i) => ({ label: u, kind: 'unit' as const, detail: UNIT_DOCS[kind], sortText: String(i).padStart(2, '0') })), unitSpan);
  }

  const toksAll = statementBefore(text, lineStart, start);
  if (toksAll === null) return [];

  // Dotted references: `r1.` -> nodes, `r1.n2.` -> devices, `r1.n1..` -> nodes of r1.
  if (start > 0 && text[start - 1] === '.') {
    if (!insideBody || !block) return [];
    const before = text.slice(lineStart, start);
    const range = /([A-Za-z_][A-Za-z0-9_-]*)\.[A-Za-z_][A-Za-z0-9_-]*\.\.$/.exec(before);
    if (range) return withReplace(names.nodesOf(range[1]));
    const chain = /([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)\.$/.exec(before);
    if (!chain) return [];
    const parts = chain[1].split('.');
    const { prop } = currentProperty(block.blockKind, toksAll);
    if (parts.length === 1) {
      const nodes = names.nodesOf(parts[0], prop === 'at' && /\badd\s+\S*$/.test(before) ? (n) => n.sds === null : undefined);
      const star = prop === 'nodes' || prop === 'place' ? [{ label: '*', kind: 'value' as const, detail: `every node of ${parts[0]}` }] : [];
      return withReplace([...nodes, ...star]);
    }
    if (parts.length === 2) return withReplace(names.devicesOf(parts[0], parts[1]));
    return [];
  }

  // Top level.
  if (!insideBody || !block) {
    if (block && !insideBody && start > block.span.start) return []; // writing a declaration's name
    if (toksAll.length > 0) return [];
    return withReplace(topLevelItems());
  }

  const { prop, args } = currentProperty(block.blockKind, toksAll);
  if (toksAll.length === 0) return withReplace(propertyItems(block, offset));
  if (prop === null || prop === 'node') return [];
  const vals = valueItems(block, prop, args, names);
  if (vals !== null) return withReplace(vals);
  if (args.length === 0) return []; // a value comes next (a number, a name, a string)
  // The value is complete: another property may follow on the same line.
  return withReplace(propertyItems(block, offset));
}
