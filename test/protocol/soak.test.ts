// Protocol soak: a seeded, scripted session of random edits and requests through the real
// language server (dist/server/node.js) over stdio, with invariants checked after every step.
//
//   TOPO_SOAK_STEPS (default 10000)  number of steps (an edit, a request or a save)
//   TOPO_SOAK_SEED  (default 1)      the session's seed; a failure names the seed and the step
//
// Invariants:
//  - every request is answered within REQUEST_TIMEOUT_MS, never with an error for valid params
//    (rename may refuse with RequestFailed, as LSP says), and the server logs no failure;
//  - every answer is well formed against the client's text: ranges inside the document,
//    edits non-overlapping, selection ranges nested, completion edits on the cursor's line;
//  - the document the server holds equals the client's (see `inSync` for how that is checked),
//    and the soak's own text model agrees with the text-document library the server uses;
//  - formatting edits apply cleanly and the result formats to no edits (also asked of the server
//    after applying them, as an editor does);
//  - a save of a valid text runs a simulation in the worker and answers with a result;
//  - the server's resident memory does not keep growing over the second half of the session, and
//    stays within 150 MB (issue 17's bound after 1,000 edits and a simulation) over its last tenth.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type * as lsp from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SERVER } from './client';
import { checkProgram, type CheckResult } from '../../server/src/core/check';
import { MemoryHost } from '../../server/src/core/host';
import { documentSymbols, format, formatRange, semanticTokens } from '../../server/src/core/ide/index';
import type { DocumentSymbol, IdeSnapshot } from '../../server/src/core/ide/types';
import { SEMANTIC_MODIFIERS, SEMANTIC_TYPES, SYMBOL_KIND } from '../../server/src/server/ideApi';
import { seeded } from '../seeded';

const STEPS = Number(process.env.TOPO_SOAK_STEPS ?? 10_000);
const SEED = Number(process.env.TOPO_SOAK_SEED ?? 1);
const REQUEST_TIMEOUT_MS = 15_000;
/** Every this many steps: the full sync check (symbols, formatting, published diagnostics). */
const FULL_SYNC_EVERY = 100;
/** Every this many steps: back to the pristine (valid) text, save, and wait for the simulation. */
const PRISTINE_EVERY = 1000;
/** Every this many steps: one sample of the server's resident memory. */
const RSS_EVERY = 100;
/** Allowed growth of the resident memory over the second half of the session. */
const RSS_GROWTH_LIMIT_MB = 64;
/** Issue 17: at most this resident memory after 1,000 edits and a simulation (median over the last tenth of the session). */
const RSS_LIMIT_MB = 150;
/** The text is kept between these sizes (edits are biased to shrink or grow it). */
const MAX_CHARS = 12_000;
const MIN_CHARS = 300;

const examplesDir = resolve(__dirname, '../../examples');
const EXAMPLES = readdirSync(examplesDir).filter((f) => f.endsWith('.topo')).sort().map((f) => readFileSync(join(examplesDir, f), 'utf8'));
const PRISTINE = EXAMPLES[0];
const FORMAT_OPTIONS = { tabSize: 2, insertSpaces: true };
const InternalError = -32603;
const RequestFailed = -32803;

// ------------------------------------------------------------------ seeded randomness

const rng = seeded(SEED);
const int = (n: number): number => Math.floor(rng() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chance = (p: number): boolean => rng() < p;
function weighted<T extends string>(table: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of table) total += w;
  let x = rng() * total;
  for (const [k, w] of table) {
    x -= w;
    if (x < 0) return k;
  }
  return table[table.length - 1][0];
}

// ------------------------------------------------------------------ the client's text, with LSP's line model

/** LSP line breaks: \r\n, \r and \n (https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#textDocuments). */
class Doc {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const s = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        s.push(i + 1);
      } else if (c === 10) s.push(i + 1);
    }
    this.starts = s;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Length of a line without its line break. */
  lineLength(line: number): number {
    const start = this.starts[line];
    let end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return end - start;
  }

  positionAt(offset: number): lsp.Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  /** The offset of a valid position (see `validPosition`). */
  offsetAt(p: lsp.Position): number {
    return this.starts[p.line] + p.character;
  }

  validPosition(p: lsp.Position): boolean {
    return Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < this.lineCount && p.character >= 0 && p.character <= this.lineLength(p.line);
  }

  /** A random offset that splits neither a \r\n nor a surrogate pair (an editor never does). */
  randomOffset(): number {
    return this.snap(int(this.text.length + 1));
  }

  snap(o: number): number {
    const t = this.text;
    if (o > 0 && o < t.length) {
      const a = t.charCodeAt(o - 1);
      const b = t.charCodeAt(o);
      if ((a === 13 && b === 10) || (a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff)) return o - 1;
    }
    return o;
  }

  lineStartOffset(line: number): number {
    return this.starts[Math.min(line, this.starts.length - 1)];
  }
}

// ------------------------------------------------------------------ a small LSP client with timeouts

interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: lsp.Diagnostic[];
}

class SoakClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly published: PublishedDiagnostics[] = [];
  readonly simulations: { uri: string; result: unknown; reason?: string }[] = [];
  readonly errorsLogged: string[] = [];
  /** Work-done progress that began (a simulation started: its text is taken). */
  progressBegins = 0;
  stderr = '';

  constructor() {
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdin!.on('error', () => undefined);
    this.proc.stderr!.on('data', (d) => { this.stderr += String(d); });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => { this.published.push(p); if (this.published.length > 200) this.published.splice(0, 100); });
    this.conn.onNotification('topo/simulationResult', (p: SoakClient['simulations'][number]) => { this.simulations.push(p); });
    this.conn.onNotification('window/logMessage', (p: { type: number; message: string }) => { if (p.type === 1) this.errorsLogged.push(p.message); });
    this.conn.onNotification('$/progress', (p: { value?: { kind?: string } }) => { if (p.value?.kind === 'begin') this.progressBegins++; });
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    // The shortest simulation budget the server accepts keeps saves cheap.
    this.conn.onRequest('workspace/configuration', () => [{ simulation: { maxMillis: 100 } }]);
    this.conn.listen();
  }

  get pid(): number {
    return this.proc.pid ?? 0;
  }

  notify(method: string, params: unknown): void {
    void this.conn.sendNotification(method, params);
  }

  /** A request that must be answered within REQUEST_TIMEOUT_MS. Rejects with the ResponseError if there is one. */
  /** Requests sent (the steps' own and the checks'). */
  sent = 0;

  async request<T>(method: string, params: unknown, what: () => string): Promise<T> {
    this.sent++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method} was not answered within ${REQUEST_TIMEOUT_MS} ms (${what()})\nserver stderr:\n${this.stderr}`)), REQUEST_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.conn.sendRequest(method, params) as Promise<T>, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  lastDiagnostics(uri: string): PublishedDiagnostics | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i];
    return undefined;
  }

  async until<T>(what: string, pred: () => T | undefined | false, ms: number): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = pred();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}; server stderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Resident set size of the server process, from /proc. */
  rssMb(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    assert.ok(m, `no VmRSS in /proc/${this.pid}/status`);
    return Number(m[1]) / 1024;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
      const exited = this.proc.exitCode !== null ? Promise.resolve() : new Promise((r) => this.proc.once('exit', r));
      await this.conn.sendNotification('exit').catch(() => undefined);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      // already gone
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}

// ------------------------------------------------------------------ what edits are made of

const TOKENS = [
  'rack', 'node', 'sds', 'container', 'scenario', 'defaults', 'fabric', 'cores', 'memory', 'cpu', 'request', 'limit', 'replicas',
  'place', 'on', 'spread', 'nodes', 'racks', 'talks', 'weight', 'io', 'colocate', 'priority', 'high', 'load', 'workingset', 'skew',
  'writes', 'image', 'nic', 'disk', 'role', 'spare', 'active', 'reserve', 'oversubscribe', 'policy', 'cost', 'page', 'vcpu', 'static',
  'granularity', 'latency', 'bandwidth', 'duration', 'tick', 'seed', 'threshold', 'locality', 'headroom', 'at', 'fail', 'add', 'to', 'scale',
  'r1', 'r2', 'n1', 'n2', 'n9', 'm1', 'pod1', 'warehouse', 'analytics', 'web', 'api', 'cache', 'columnstore', 'ingest', 'nvme0',
  'analytics.n1', 'analytics.n2..n4', 'r1.*', 'n1..n8', 'n01..n16', 'analytics.n1.nvme0',
  '32', '0', '-1', '1.5', '256GiB', '4Gbps', '500m', '2us', '80%', '150%', '10PiB', '9999999999', '1e3', '.5', '2MiB', '30s', '5x',
  '"x"', '"registry.local/app:1"', '"unterminated', '"a\\"b"', '"lose a node"',
  '{', '}', '{ }', '..', '.', ',', ';', '*', '#', '# comment', '\n', '  ', '\t', '\r\n',
];
const CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789      \n\n{}"#.,;*-_%';
const RARE_CHARS = ['\r', '\r\n', '\t', 'é', 'ß', '😀', '\u0000', '\u00a0', '\u2028', 'Ω'];
const LINES = [
  '  cores 8\n', '  memory 32GiB\n', '  replicas 3\n', '  place on r1\n', '  place on warehouse\n', '  cpu request 500m limit 2\n',
  '  talks cache weight 30%\n', '  spread nodes\n', '  node n9 { cores 4 memory 8GiB }\n', 'rack r9 {\n', '}\n', '\n',
  'container extra { cpu 1 memory 1GiB place on warehouse }\n', 'sds pod9 { nodes analytics.n7 }\n', '# a comment line\n',
  'scenario "burst" {\n  at 5s load ingest 90%\n}\n', '  at 3s fail analytics.n2\n', 'defaults { seed 3 }\n', '  bogus 12\n',
];

type EditKind = 'insertChars' | 'deleteChars' | 'insertToken' | 'deleteToken' | 'insertLine' | 'deleteLines' | 'paste' | 'replace' | 'multi' | 'undo';
type RequestKind = 'completion' | 'hover' | 'definition' | 'references' | 'highlights' | 'rename' | 'formatting' | 'rangeFormatting'
  | 'codeAction' | 'documentSymbol' | 'semanticTokens' | 'inlayHint' | 'foldingRange' | 'selectionRange' | 'save';

const EDIT_KINDS: readonly (readonly [EditKind, number])[] = [
  ['insertChars', 20], ['deleteChars', 14], ['insertToken', 16], ['deleteToken', 8], ['insertLine', 8], ['deleteLines', 5],
  ['paste', 3], ['replace', 8], ['multi', 6], ['undo', 12],
];
const REQUEST_KINDS: readonly (readonly [RequestKind, number])[] = [
  ['completion', 12], ['hover', 12], ['definition', 8], ['references', 6], ['highlights', 6], ['rename', 8], ['formatting', 6],
  ['rangeFormatting', 5], ['codeAction', 8], ['documentSymbol', 5], ['semanticTokens', 5], ['inlayHint', 5], ['foldingRange', 3],
  ['selectionRange', 3], ['save', 2],
];
/** Share of steps that are requests (the rest are edits). */
const REQUEST_SHARE = 0.45;

const VALID_NAMES = ['r9', 'web2', 'pod_x', 'n-1a', 'Storage', 'x'];
/** Not a name anywhere, not even a quoted scenario name: must be refused. */
const INVALID_NAMES = ['', '"q"', 'a\nb', 'back\\slash'];
/** Not an identifier, but a fine quoted scenario name: either answer will do. */
const ODD_NAMES = ['1abc', 'a b', 'x-', 'rack{', 'é'];

// ------------------------------------------------------------------ the session

interface Change { start: number; end: number; text: string }
/** Back to front; insertions at one offset keep their array order in the result (LSP). */
function backToFront<T extends Change>(xs: readonly T[]): T[] {
  return xs.map((x, i) => ({ x, i })).sort((a, b) => b.x.start - a.x.start || b.x.end - a.x.end || b.i - a.i).map((e) => e.x);
}
interface Undo { start: number; end: number; text: string }

const workspace = mkdtempSync(join(tmpdir(), 'topo-soak-'));
const PATH = join(workspace, 'soak.topo');
const URI = `file://${PATH}`;
const client = new SoakClient();
after(async () => {
  await client.stop();
  rmSync(workspace, { recursive: true, force: true });
});

test(`protocol soak: ${STEPS} seeded steps (seed ${SEED}) through the real server`, { timeout: 15 * 60_000 }, async () => {
  let doc = new Doc(PRISTINE);
  let mirror = TextDocument.create(URI, 'topo', 1, PRISTINE);
  let version = 1;
  const undo: Undo[] = [];
  const log: string[] = [];
  let step = 0;
  const counts = new Map<string, number>();
  const rss: { step: number; mb: number }[] = [];
  const count = (k: string): void => { counts.set(k, (counts.get(k) ?? 0) + 1); };
  const where = (): string => `seed ${SEED}, step ${step}, version ${version}; last actions:\n  ${log.slice(-12).join('\n  ')}`;
  const note = (s: string): void => { log.push(`${step}: ${s.slice(0, 160)}`); if (log.length > 100) log.splice(0, 50); };
  const t0 = Date.now();

  const init = await client.request<{ capabilities: lsp.ServerCapabilities }>('initialize', {
    processId: process.pid, rootUri: `file://${workspace}`, workspaceFolders: [{ uri: `file://${workspace}`, name: 'soak' }],
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
  }, where);
  const legend = (init.capabilities.semanticTokensProvider as lsp.SemanticTokensOptions | undefined)?.legend;
  assert.ok(legend, 'the server advertises semantic tokens');
  assert.deepEqual(legend.tokenTypes, [...SEMANTIC_TYPES]);
  client.notify('initialized', {});
  client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'topo', version, text: doc.text } });

  // ---------------------------------------------------------------- edits

  /** Sends changes (each relative to the text the previous one produced) in one didChange. */
  const sendChanges = (changes: readonly Change[], record = true): void => {
    const contentChanges: lsp.TextDocumentContentChangeEvent[] = [];
    const insidePair = (o: number): boolean => o > 0 && o < doc.text.length && doc.text[o - 1] === '\r' && doc.text[o] === '\n';
    for (const c of changes) {
      if (insidePair(c.start) || insidePair(c.end)) {
        // Undoing an edit that made a \r\n out of a \r and a \n would split the pair, which no
        // LSP position can express (nor an editor do): the rest of the undo history is dropped.
        assert.ok(!record, `the soak made an edit inside a \\r\\n: ${JSON.stringify(c)} — ${where()}`);
        undo.length = 0;
        break;
      }
      const range = { start: doc.positionAt(c.start), end: doc.positionAt(c.end) };
      contentChanges.push({ range, text: c.text });
      if (record) undo.push({ start: c.start, end: c.start + c.text.length, text: doc.text.slice(c.start, c.end) });
      doc = new Doc(doc.text.slice(0, c.start) + c.text + doc.text.slice(c.end));
    }
    if (undo.length > 300) undo.splice(0, 100);
    version++;
    // The same edits through the text-document library the server uses, in-process: if it
    // disagrees with the soak's own model, the soak (or the library) is wrong, not the server.
    mirror = TextDocument.update(mirror, contentChanges, version);
    assert.equal(mirror.getText(), doc.text, `the soak's text model and vscode-languageserver-textdocument disagree after ${JSON.stringify(contentChanges)} — ${where()}`);
    client.notify('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges });
  };

  const wordAround = (o: number): [number, number] => {
    const isWord = (c: string): boolean => /[A-Za-z0-9_.\-%"]/.test(c);
    let a = o;
    let b = o;
    while (a > 0 && isWord(doc.text[a - 1])) a--;
    while (b < doc.text.length && isWord(doc.text[b])) b++;
    return [a, b];
  };

  const randomSmallEdit = (): Change => {
    const o = doc.randomOffset();
    switch (weighted<'ins' | 'del' | 'tok'>([['ins', 2], ['del', 2], ['tok', 2]])) {
      case 'ins': return { start: o, end: o, text: CHARS[int(CHARS.length)] };
      case 'del': return { start: o, end: doc.snap(Math.min(doc.text.length, o + 1 + int(3))), text: '' };
      default: return { start: o, end: o, text: `${pick(TOKENS)} ` };
    }
  };

  const edit = (): void => {
    let kind = weighted(EDIT_KINDS);
    if (doc.text.length > MAX_CHARS && !['deleteChars', 'deleteToken', 'deleteLines', 'undo'].includes(kind)) kind = chance(0.5) ? 'deleteLines' : 'undo';
    if (doc.text.length < MIN_CHARS && ['deleteChars', 'deleteToken', 'deleteLines'].includes(kind)) kind = chance(0.5) ? 'paste' : 'undo';
    count(`edit.${kind}`);
    const o = doc.randomOffset();
    switch (kind) {
      case 'insertChars': {
        let s = '';
        for (let i = 1 + int(4); i > 0; i--) s += chance(0.05) ? pick(RARE_CHARS) : CHARS[int(CHARS.length)];
        note(`insert ${JSON.stringify(s)} at ${o}`);
        return sendChanges([{ start: o, end: o, text: s }]);
      }
      case 'deleteChars': {
        const end = doc.snap(Math.min(doc.text.length, o + 1 + int(5)));
        note(`delete ${o}..${end}`);
        return sendChanges([{ start: o, end, text: '' }]);
      }
      case 'insertToken': {
        const s = `${chance(0.5) ? ' ' : ''}${pick(TOKENS)}${chance(0.6) ? ' ' : ''}`;
        note(`insert token ${JSON.stringify(s)} at ${o}`);
        return sendChanges([{ start: o, end: o, text: s }]);
      }
      case 'deleteToken': {
        const [a, b] = wordAround(o);
        const end = b > a ? b : doc.snap(Math.min(doc.text.length, a + 1));
        note(`delete token ${JSON.stringify(doc.text.slice(a, end))} at ${a}`);
        return sendChanges([{ start: a, end, text: '' }]);
      }
      case 'insertLine': {
        const at = doc.lineStartOffset(int(doc.lineCount));
        const s = pick(LINES);
        note(`insert line ${JSON.stringify(s)} at ${at}`);
        return sendChanges([{ start: at, end: at, text: s }]);
      }
      case 'deleteLines': {
        const line = int(doc.lineCount);
        const a = doc.lineStartOffset(line);
        const b = line + 1 + int(3) >= doc.lineCount ? doc.text.length : doc.lineStartOffset(line + 1 + int(3));
        note(`delete lines from ${line} (${a}..${b})`);
        return sendChanges([{ start: a, end: b, text: '' }]);
      }
      case 'paste': {
        const src = new Doc(pick(EXAMPLES));
        const from = int(src.lineCount);
        const to = Math.min(src.lineCount - 1, from + 3 + int(25));
        let block = src.text.slice(src.lineStartOffset(from), to + 1 < src.lineCount ? src.lineStartOffset(to + 1) : src.text.length);
        if (chance(0.15)) block = block.replace(/\n/g, '\r\n');
        const at = chance(0.7) ? doc.lineStartOffset(int(doc.lineCount)) : o;
        note(`paste ${block.length} chars at ${at}`);
        return sendChanges([{ start: at, end: at, text: block }]);
      }
      case 'replace': {
        const end = doc.snap(Math.min(doc.text.length, o + int(30)));
        const s = pick(TOKENS);
        note(`replace ${o}..${end} by ${JSON.stringify(s)}`);
        return sendChanges([{ start: o, end, text: s }]);
      }
      case 'multi': {
        // Several changes in one notification, each relative to the previous one's result.
        const changes: Change[] = [];
        const saved = doc;
        for (let i = 2 + int(3); i > 0; i--) {
          const c = randomSmallEdit();
          changes.push(c);
          doc = new Doc(doc.text.slice(0, c.start) + c.text + doc.text.slice(c.end));
        }
        doc = saved;
        note(`multi ${JSON.stringify(changes)}`);
        return sendChanges(changes);
      }
      case 'undo': {
        const n = Math.min(undo.length, 1 + int(6));
        if (n === 0) return sendChanges([{ start: o, end: o, text: '' }], false);
        const inverse = undo.splice(undo.length - n, n).reverse();
        note(`undo ${n}`);
        if (chance(0.5)) return sendChanges(inverse, false);
        for (const u of inverse) sendChanges([u], false);
        return;
      }
    }
  };

  /** Applies LSP text edits (one document, original coordinates) as an editor does, in one didChange. */
  const applyServerEdits = (edits: readonly lsp.TextEdit[], what: string): void => {
    const spans = checkedEdits(edits, what);
    // Back to front, so that each change's offsets are still those of the original text.
    sendChanges(backToFront(spans));
  };

  // ---------------------------------------------------------------- answer checks

  const checkRange = (r: lsp.Range | undefined, what: string): void => {
    assert.ok(r && doc.validPosition(r.start) && doc.validPosition(r.end), `${what}: range ${JSON.stringify(r)} is not inside the document (${doc.lineCount} lines) — ${where()}`);
    assert.ok(doc.offsetAt(r.start) <= doc.offsetAt(r.end), `${what}: range ${JSON.stringify(r)} ends before it starts — ${where()}`);
  };

  /** Edits must be inside the document and must not overlap (LSP); returns them as offsets. */
  const checkedEdits = (edits: readonly lsp.TextEdit[], what: string): Change[] => {
    assert.ok(Array.isArray(edits), `${what}: edits are not an array — ${where()}`);
    const spans = edits.map((e) => {
      checkRange(e.range, what);
      assert.equal(typeof e.newText, 'string', `${what}: newText`);
      return { start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), text: e.newText };
    });
    const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < sorted.length; i++) {
      // Two insertions at one offset are allowed (applied in order); a change may not start inside the previous one.
      assert.ok(sorted[i].start >= sorted[i - 1].end, `${what}: edits overlap: ${JSON.stringify(sorted[i - 1])} and ${JSON.stringify(sorted[i])} — ${where()}`);
    }
    return spans;
  };

  const applyOffsets = (text: string, spans: readonly Change[]): string => {
    let out = text;
    for (const s of backToFront(spans)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
    return out;
  };

  const workspaceEditFor = (e: lsp.WorkspaceEdit | null, what: string): lsp.TextEdit[] => {
    if (!e) return [];
    assert.ok(!e.documentChanges, `${what}: documentChanges not expected`);
    const uris = Object.keys(e.changes ?? {});
    for (const u of uris) assert.equal(u, URI, `${what}: an edit of another document ${u} — ${where()}`);
    return e.changes?.[URI] ?? [];
  };

  const expectAnswer = async <T>(method: string, params: unknown, refusalAllowed = false): Promise<T | undefined> => {
    try {
      return await client.request<T>(method, params, where);
    } catch (e) {
      if (e instanceof ResponseError) {
        assert.notEqual(e.code, InternalError, `${method} failed with an internal error: ${e.message} — ${where()}`);
        assert.ok(refusalAllowed && e.code === RequestFailed, `${method} answered with error ${e.code}: ${e.message} — ${where()}`);
        assert.ok(e.message.length > 0, `${method}: a refusal says why`);
        return undefined;
      }
      throw e;
    }
  };

  // ---------------------------------------------------------------- in-process reference (the core, on the client's text)

  let referenceCache: { text: string; check: CheckResult } | null = null;
  const reference = (): IdeSnapshot => {
    if (!referenceCache || referenceCache.text !== doc.text) {
      const check = checkProgram(PATH, new MemoryHost(new Map([[PATH, doc.text]]), workspace), { rootText: doc.text });
      referenceCache = { text: doc.text, check };
    }
    return { file: PATH, text: doc.text, check: referenceCache.check, simulation: null };
  };
  const range = (span: { start: number; end: number }): lsp.Range => ({ start: doc.positionAt(span.start), end: doc.positionAt(span.end) });

  /** Semantic tokens as absolute [line, char, length, type, modifiers], decoded from the server's relative encoding. */
  const decodeTokens = (data: readonly number[]): number[][] => {
    assert.equal(data.length % 5, 0, 'semantic tokens come in fives');
    const out: number[][] = [];
    let line = 0;
    let char = 0;
    for (let i = 0; i < data.length; i += 5) {
      const [dl, dc, len, type, mods] = data.slice(i, i + 5);
      line += dl;
      char = dl === 0 ? char + dc : dc;
      out.push([line, char, len, type, mods]);
    }
    return out;
  };
  const expectedTokens = (): number[][] => {
    const out: number[][] = [];
    for (const t of semanticTokens(reference())) {
      const r = range(t.span);
      if (r.start.line !== r.end.line) continue; // LSP tokens are single-line; the server skips the others
      const type = SEMANTIC_TYPES.indexOf(t.type);
      if (type < 0) continue;
      let mods = 0;
      for (const m of t.modifiers) if (SEMANTIC_MODIFIERS.includes(m)) mods |= 1 << SEMANTIC_MODIFIERS.indexOf(m);
      out.push([r.start.line, r.start.character, r.end.character - r.start.character, type, mods]);
    }
    return out;
  };
  type Sym = { name: string; kind: number; detail?: string; range: lsp.Range; selectionRange: lsp.Range; children: Sym[] };
  const expectedSymbols = (): Sym[] => {
    const conv = (d: DocumentSymbol): Sym => ({ name: d.name, kind: SYMBOL_KIND[d.kind], detail: d.detail, range: range(d.span), selectionRange: range(d.selectionSpan), children: d.children.map(conv) });
    return documentSymbols(reference()).map(conv);
  };
  const normaliseSymbols = (xs: readonly lsp.DocumentSymbol[]): Sym[] => xs.map((x) => ({
    name: x.name, kind: x.kind, detail: x.detail, range: x.range, selectionRange: x.selectionRange, children: normaliseSymbols(x.children ?? []),
  }));

  const requestTokens = async (): Promise<number[][]> => {
    const r = await expectAnswer<lsp.SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: URI } });
    assert.ok(r && Array.isArray(r.data), `semantic tokens answer — ${where()}`);
    const toks = decodeTokens(r.data);
    let prevEnd = -1;
    for (const [line, char, len, type] of toks) {
      assert.ok(doc.validPosition({ line, character: char }) && doc.validPosition({ line, character: char + len }) && len > 0, `semantic token ${JSON.stringify([line, char, len])} outside the document — ${where()}`);
      const start = doc.offsetAt({ line, character: char });
      assert.ok(start >= prevEnd, `semantic tokens overlap or are unsorted at ${line}:${char} — ${where()}`);
      prevEnd = start + len;
      assert.ok(type < legend.tokenTypes.length, 'token type in the legend');
    }
    return toks;
  };

  const formattingEdits = async (): Promise<Change[]> => {
    const edits = await expectAnswer<lsp.TextEdit[]>('textDocument/formatting', { textDocument: { uri: URI }, options: FORMAT_OPTIONS });
    return checkedEdits(edits ?? [], 'formatting');
  };

  /**
   * Does the server hold the client's text? No request answers with the whole text, so we ask
   * for answers that are pure functions of it and compare them with the same functions computed
   * in-process by the core on the client's text:
   *  - semantic tokens (every step): the position, length and kind of every token, comments and
   *    strings included — any inserted, deleted or shifted character outside blank space moves or
   *    changes a token;
   *  - formatting edits (every FULL_SYNC_EVERY steps): a function of all the white space too;
   *  - document symbols: every declaration's name, detail and range;
   *  - the diagnostics published for the current version: messages quote names and values.
   * Together they miss only a same-length substitution inside a comment or string that leaves the
   * formatting alone; an off-by-some incremental change cannot hide from the token positions.
   */
  const inSync = async (full: boolean): Promise<void> => {
    assert.deepEqual(await requestTokens(), expectedTokens(), `semantic tokens differ from the core's on the client's text: the server's document is not the client's — ${where()}`);
    if (!full) return;
    count('check.fullSync');
    const symbols = await expectAnswer<lsp.DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: URI } });
    assert.deepEqual(normaliseSymbols(symbols ?? []), expectedSymbols(), `document symbols differ from the core's — ${where()}`);
    const fmt = await formattingEdits();
    const expected = format(doc.text, PATH, FORMAT_OPTIONS).map((e) => ({ start: e.span.start, end: e.span.end, text: e.newText }));
    assert.deepEqual(fmt, expected, `formatting edits differ from the core's — ${where()}`);
    // The diagnostics for exactly this version (published after the server's short debounce).
    const v = version;
    const published = await client.until(`diagnostics of version ${v}`, () => { const p = client.lastDiagnostics(URI); return p && p.version === v ? p : undefined; }, REQUEST_TIMEOUT_MS);
    const fromChecker = published.diagnostics.filter((d) => d.source !== 'topo simulator');
    const sim = published.diagnostics.filter((d) => d.source === 'topo simulator');
    // The simulator's diagnostics sit on the name they are about, in this text: not on where
    // that name was in an older text (a simulation that ended after an edit).
    for (const d of sim) {
      checkRange(d.range, `simulator diagnostic ${d.code}`);
      const message = typeof d.message === 'string' ? d.message : d.message.value;
      const name = /^predicted locality of (\S+) is /.exec(message)?.[1] ?? /^(\S+) thrashes: /.exec(message)?.[1];
      if (name) assert.equal(doc.text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)), name, `${d.code} "${message}" is not on \`${name}\` in version ${v}: the ranges of an older text — ${where()}`);
    }
    const core = reference().check.diagnostics.filter((d) => d.file === PATH).map((d) => ({ code: d.code, message: d.message, range: range(d.span) }));
    assert.deepEqual(fromChecker.map((d) => ({ code: d.code, message: d.message, range: d.range })), core, `published diagnostics differ from the core's — ${where()}`);
  };

  // ---------------------------------------------------------------- requests

  const randomPosition = (): lsp.Position => doc.positionAt(doc.randomOffset());
  const contains = (r: lsp.Range, p: lsp.Position): boolean => {
    const a = doc.offsetAt(r.start);
    const b = doc.offsetAt(r.end);
    const o = doc.offsetAt(p);
    return a <= o && o <= b;
  };
  const randomRange = (): lsp.Range => {
    const a = doc.randomOffset();
    const b = doc.snap(Math.min(doc.text.length, a + int(400)));
    return range({ start: a, end: b });
  };
  const checkLocations = (locs: lsp.Location[] | null | undefined, what: string): void => {
    for (const l of locs ?? []) {
      assert.equal(l.uri, URI, `${what}: location in another file`);
      checkRange(l.range, what);
    }
  };

  const request = async (): Promise<void> => {
    const kind = weighted(REQUEST_KINDS);
    count(`request.${kind}`);
    const textDocument = { uri: URI };
    switch (kind) {
      case 'completion': {
        const position = randomPosition();
        note(`completion at ${JSON.stringify(position)}`);
        const r = await expectAnswer<lsp.CompletionItem[] | lsp.CompletionList | null>('textDocument/completion', { textDocument, position });
        const items = Array.isArray(r) ? r : r?.items ?? [];
        for (const it of items) {
          assert.ok(typeof it.label === 'string' && it.label.length > 0, `completion item without a label — ${where()}`);
          if (it.textEdit && 'range' in it.textEdit) {
            checkRange(it.textEdit.range, 'completion textEdit');
            // LSP: a single-line range containing the position the completion was asked at.
            assert.equal(it.textEdit.range.start.line, it.textEdit.range.end.line, `completion edit spans lines — ${where()}`);
            assert.ok(contains(it.textEdit.range, position), `completion edit ${JSON.stringify(it.textEdit.range)} does not contain the cursor ${JSON.stringify(position)} — ${where()}`);
          }
        }
        return;
      }
      case 'hover': {
        const position = randomPosition();
        note(`hover at ${JSON.stringify(position)}`);
        const h = await expectAnswer<lsp.Hover | null>('textDocument/hover', { textDocument, position });
        if (h) {
          const contents = h.contents as lsp.MarkupContent;
          assert.ok(typeof contents.value === 'string' && contents.value.length > 0, `empty hover — ${where()}`);
          if (h.range) checkRange(h.range, 'hover');
        }
        return;
      }
      case 'definition':
      case 'references': {
        const position = randomPosition();
        note(`${kind} at ${JSON.stringify(position)}`);
        const method = kind === 'definition' ? 'textDocument/definition' : 'textDocument/references';
        const r = await expectAnswer<lsp.Location[] | null>(method, { textDocument, position, context: { includeDeclaration: chance(0.5) } });
        checkLocations(r, kind);
        return;
      }
      case 'highlights': {
        const position = randomPosition();
        note(`highlights at ${JSON.stringify(position)}`);
        const r = await expectAnswer<lsp.DocumentHighlight[] | null>('textDocument/documentHighlight', { textDocument, position });
        for (const h of r ?? []) {
          checkRange(h.range, 'highlight');
          assert.ok(h.kind === undefined || [1, 2, 3].includes(h.kind), 'highlight kind');
        }
        return;
      }
      case 'rename': {
        const position = randomPosition();
        const prep = await expectAnswer<{ range: lsp.Range; placeholder: string } | lsp.Range | null>('textDocument/prepareRename', { textDocument, position }, true);
        note(`prepareRename at ${JSON.stringify(position)}: ${JSON.stringify(prep)}`);
        if (prep) {
          const r = 'range' in prep ? prep.range : prep;
          checkRange(r, 'prepareRename');
          assert.ok(contains(r, position), `prepareRename range does not contain the cursor — ${where()}`);
        }
        const which = weighted<'valid' | 'invalid' | 'odd'>([['valid', 6], ['invalid', 1], ['odd', 1]]);
        const newName = pick(which === 'valid' ? VALID_NAMES : which === 'invalid' ? INVALID_NAMES : ODD_NAMES);
        note(`rename at ${JSON.stringify(position)} to ${JSON.stringify(newName)}`);
        const e = await expectAnswer<lsp.WorkspaceEdit | null>('textDocument/rename', { textDocument, position, newName }, true);
        const edits = workspaceEditFor(e ?? null, 'rename');
        const spans = checkedEdits(edits, 'rename');
        if (which === 'invalid') assert.equal(spans.length, 0, `rename to the invalid name ${JSON.stringify(newName)} was accepted — ${where()}`);
        if (spans.length && chance(0.3)) { count('apply.rename'); applyServerEdits(edits, 'rename'); }
        return;
      }
      case 'formatting': {
        note('formatting');
        const spans = await formattingEdits();
        const formatted = applyOffsets(doc.text, spans);
        const again = format(formatted, PATH, FORMAT_OPTIONS);
        assert.deepEqual(again, [], `the formatted text formats to more edits: ${JSON.stringify(again.slice(0, 3))} — ${where()}`);
        if (spans.length && chance(0.4)) {
          count('apply.formatting');
          applyServerEdits(spans.map((s) => ({ range: range(s), newText: s.text })), 'formatting');
          assert.equal(doc.text, formatted);
          const second = await formattingEdits();
          assert.deepEqual(second, [], `after applying its formatting edits the server formats again: ${JSON.stringify(second.slice(0, 3))} — ${where()}`);
        }
        return;
      }
      case 'rangeFormatting': {
        const r = randomRange();
        note(`rangeFormatting ${JSON.stringify(r)}`);
        const edits = await expectAnswer<lsp.TextEdit[]>('textDocument/rangeFormatting', { textDocument, range: r, options: FORMAT_OPTIONS });
        const spans = checkedEdits(edits ?? [], 'rangeFormatting');
        const span = { start: doc.offsetAt(r.start), end: doc.offsetAt(r.end) };
        const expected = formatRange(doc.text, PATH, span, FORMAT_OPTIONS).map((e) => ({ start: e.span.start, end: e.span.end, text: e.newText }));
        assert.deepEqual(spans, expected, `range formatting differs from the core's — ${where()}`);
        if (spans.length && chance(0.3)) { count('apply.rangeFormatting'); applyServerEdits(edits ?? [], 'rangeFormatting'); }
        return;
      }
      case 'codeAction': {
        const r = randomRange();
        const last = client.lastDiagnostics(URI);
        const diagnostics = last && last.version === version ? last.diagnostics.filter((d) => contains(d.range, r.start) || contains(r, d.range.start)) : [];
        note(`codeAction ${JSON.stringify(r)} with ${diagnostics.length} diagnostics`);
        const actions = await expectAnswer<lsp.CodeAction[] | null>('textDocument/codeAction', { textDocument, range: r, context: { diagnostics } });
        const applicable: lsp.TextEdit[][] = [];
        for (const a of actions ?? []) {
          assert.ok(typeof a.title === 'string' && a.title.length > 0, `code action without a title — ${where()}`);
          const edits = workspaceEditFor(a.edit ?? null, `code action "${a.title}"`);
          checkedEdits(edits, `code action "${a.title}"`);
          if (edits.length) applicable.push(edits);
        }
        if (applicable.length && chance(0.3)) { count('apply.codeAction'); applyServerEdits(pick(applicable), 'code action'); }
        return;
      }
      case 'documentSymbol': {
        note('documentSymbol');
        const r = await expectAnswer<lsp.DocumentSymbol[]>('textDocument/documentSymbol', { textDocument });
        const walk = (xs: readonly lsp.DocumentSymbol[]): void => {
          for (const x of xs) {
            checkRange(x.range, 'symbol');
            checkRange(x.selectionRange, 'symbol selection');
            // LSP (and VS Code, which rejects the outline otherwise): the selection lies inside the range.
            assert.ok(contains(x.range, x.selectionRange.start) && contains(x.range, x.selectionRange.end), `symbol ${x.name}: selectionRange outside its range — ${where()}`);
            walk(x.children ?? []);
          }
        };
        walk(r ?? []);
        return;
      }
      case 'semanticTokens': {
        note('semanticTokens');
        await requestTokens();
        return;
      }
      case 'inlayHint': {
        const r = chance(0.5) ? range({ start: 0, end: doc.text.length }) : randomRange();
        note(`inlayHint ${JSON.stringify(r)}`);
        const hints = await expectAnswer<lsp.InlayHint[] | null>('textDocument/inlayHint', { textDocument, range: r });
        for (const h of hints ?? []) {
          assert.ok(doc.validPosition(h.position), `inlay hint outside the document — ${where()}`);
          assert.ok(typeof h.label === 'string' ? h.label.length > 0 : h.label.length > 0, 'inlay hint label');
        }
        return;
      }
      case 'foldingRange': {
        note('foldingRange');
        const r = await expectAnswer<lsp.FoldingRange[] | null>('textDocument/foldingRange', { textDocument });
        for (const f of r ?? []) assert.ok(f.startLine >= 0 && f.startLine <= f.endLine && f.endLine < doc.lineCount, `folding range ${JSON.stringify(f)} — ${where()}`);
        return;
      }
      case 'selectionRange': {
        const positions = [randomPosition(), randomPosition()];
        note(`selectionRange ${JSON.stringify(positions)}`);
        const r = await expectAnswer<lsp.SelectionRange[] | null>('textDocument/selectionRange', { textDocument, positions });
        assert.equal(r?.length, positions.length, 'one selection range per position');
        r?.forEach((sel, i) => {
          assert.ok(contains(sel.range, positions[i]), `selection range does not contain its position — ${where()}`);
          for (let s: lsp.SelectionRange | undefined = sel; s; s = s.parent) {
            checkRange(s.range, 'selection range');
            if (s.parent) assert.ok(contains(s.parent.range, s.range.start) && contains(s.parent.range, s.range.end), `selection range parent does not contain its child — ${where()}`);
          }
        });
        return;
      }
      case 'save': {
        note('save');
        client.notify('textDocument/didSave', { textDocument });
        return;
      }
    }
  };

  /** Back to the pristine (valid) text in one change, save, and wait for the worker's simulation. */
  const pristine = async (): Promise<void> => {
    note('pristine + save');
    const before = client.simulations.length;
    if (chance(0.5)) sendChanges([{ start: 0, end: doc.text.length, text: PRISTINE }], false);
    else {
      // A change without a range replaces the whole text.
      doc = new Doc(PRISTINE);
      version++;
      mirror = TextDocument.update(mirror, [{ text: PRISTINE }], version);
      client.notify('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: [{ text: PRISTINE }] });
    }
    undo.length = 0;
    await inSync(true);
    client.notify('textDocument/didSave', { textDocument: { uri: URI } });
    const sim = await client.until('the simulation of the saved pristine text', () => client.simulations.slice(before).find((s) => s.uri === URI && s.result), 60_000);
    assert.ok(sim.result, `a simulation result — ${where()}`);
    count('check.simulation');

    // An edit while the simulation of the saved text runs (typing on after Ctrl+S): its
    // diagnostics, whose ranges are the saved text's, must not be hung on the edited one.
    const beforeEdit = client.simulations.length;
    const begins = client.progressBegins;
    client.notify('textDocument/didSave', { textDocument: { uri: URI } });
    await client.until('the simulation to start', () => client.progressBegins > begins, 30_000);
    sendChanges([{ start: 0, end: 0, text: '# typed after the save\n' }]);
    await client.until('the simulation of the text saved before the edit', () => client.simulations.slice(beforeEdit).find((s) => s.uri === URI && s.result), 60_000);
    await inSync(true);

    // Random edits mostly leave syntax errors, and the formatter leaves such text alone: here it
    // gets a valid text with untidy white space (spaces next to spaces, blank lines), as typed.
    for (let i = 0; i < 20; i++) {
      const o = doc.randomOffset();
      const ws = chance(0.3) ? '\n' : pick([' ', '  ', '\t', '    ']);
      const at = ws === '\n' ? doc.lineStartOffset(doc.positionAt(o).line) : o;
      if (ws !== '\n' && !/\s/.test(doc.text[at - 1] ?? ' ') && !/\s/.test(doc.text[at] ?? ' ')) continue;
      sendChanges([{ start: at, end: at, text: ws }]);
    }
    note('untidy white space, then format');
    const spans = await formattingEdits();
    if (spans.length) {
      count('apply.formatting');
      applyServerEdits(spans.map((x) => ({ range: range(x), newText: x.text })), 'formatting');
      const second = await formattingEdits();
      assert.deepEqual(second, [], `after applying its formatting edits the server formats again: ${JSON.stringify(second.slice(0, 3))} — ${where()}`);
    }
    // A rename of a declared name on the valid text, applied as an editor does.
    for (let i = 0; i < 40; i++) {
      const position = randomPosition();
      const prep = await expectAnswer<{ range: lsp.Range; placeholder: string } | null>('textDocument/prepareRename', { textDocument: { uri: URI }, position }, true);
      if (!prep) continue;
      const newName = `renamed${step}`;
      note(`rename ${prep.placeholder} at ${JSON.stringify(position)} to ${newName}`);
      const e = await expectAnswer<lsp.WorkspaceEdit | null>('textDocument/rename', { textDocument: { uri: URI }, position, newName }, true);
      const edits = workspaceEditFor(e ?? null, 'rename');
      if (!edits.length) continue;
      count('apply.rename');
      applyServerEdits(edits, 'rename');
      await inSync(true);
      const errors = reference().check.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => `${d.code} ${d.message}`), [], `renaming ${prep.placeholder} to ${newName} broke the valid text — ${where()}`);
      break;
    }
  };

  // ---------------------------------------------------------------- the loop

  rss.push({ step: 0, mb: client.rssMb() });
  try {
    for (step = 1; step <= STEPS; step++) {
      if (chance(REQUEST_SHARE)) await request();
      else edit();
      if (step % PRISTINE_EVERY === 0) await pristine();
      await inSync(step % FULL_SYNC_EVERY === 0);
      assert.deepEqual(client.errorsLogged, [], `the server logged failures — ${where()}`);
      assert.equal(client.proc.exitCode, null, `the server exited — ${where()}\n${client.stderr}`);
      // Sampled halfway between checkpoints, not right after one (its simulation workers come and go).
      if (step % RSS_EVERY === RSS_EVERY / 2) rss.push({ step, mb: client.rssMb() });
    }
    await inSync(true);
  } catch (e) {
    // The text at the failure, to reproduce it without the session.
    const out = resolve(__dirname, '../../test-output');
    mkdirSync(out, { recursive: true });
    const file = join(out, `soak-seed-${SEED}-step-${step}.topo`);
    writeFileSync(file, doc.text);
    console.log(`soak: the client's text at the failure is in ${file}`);
    throw e;
  }

  // ---------------------------------------------------------------- memory
  const mid = rss.filter((s) => s.step >= STEPS * 0.4 && s.step <= STEPS * 0.5);
  const end = rss.filter((s) => s.step >= STEPS * 0.9);
  // Medians of a window of samples: a collection that has not happened yet is not a leak.
  const median = (xs: readonly number[]): number => { const v = [...xs].sort((a, b) => a - b); return v[v.length >> 1]; };
  const midMb = median(mid.map((s) => s.mb));
  const endMb = median(end.map((s) => s.mb));
  const seconds = (Date.now() - t0) / 1000;
  const requests = [...counts].filter(([k]) => k.startsWith('request.')).reduce((n, [, v]) => n + v, 0);
  const summary = `${STEPS} steps (${requests} requests, ${STEPS - requests} edits; ${client.sent} requests sent with the checks') in ${seconds.toFixed(1)} s; server RSS ${rss[0].mb.toFixed(0)} MB at start, ${midMb.toFixed(0)} MB around mid-session, ${endMb.toFixed(0)} MB over the last tenth (medians; max ${Math.max(...rss.map((s) => s.mb)).toFixed(0)} MB)`;
  console.log(`soak: ${summary}`);
  console.log(`soak: ${[...counts].sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (STEPS >= 1000) {
    assert.ok(endMb <= RSS_LIMIT_MB, `the server holds ${endMb.toFixed(0)} MB over the last tenth of the session (median), after ${counts.get('check.simulation') ?? 0} simulations: more than ${RSS_LIMIT_MB} MB; samples: ${rss.map((s) => `${s.step}:${s.mb.toFixed(0)}`).join(' ')}`);
    assert.ok(endMb - midMb <= RSS_GROWTH_LIMIT_MB,
      `the server's memory kept growing over the second half of the session: ${midMb.toFixed(0)} MB around mid-session, ${endMb.toFixed(0)} MB over the last tenth (medians: more than ${RSS_GROWTH_LIMIT_MB} MB of growth); samples: ${rss.map((s) => `${s.step}:${s.mb.toFixed(0)}`).join(' ')}`);
  }
});
