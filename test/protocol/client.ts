import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const SERVER = resolve(__dirname, '../../dist/server/node.js');

export interface Published {
  uri: string;
  version?: number;
  diagnostics: { code: string; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; codeDescription?: { href: string } }[];
}

/** A minimal LSP client over the real server's stdio, recording what the server pushes. */
export class TestClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly published: Published[] = [];
  readonly simulations: { uri: string; result: { summary: { locality: number } } | null; reason?: string }[] = [];
  readonly progress: unknown[] = [];
  stderr = '';
  /** workspace/codeLens/refresh requests received. */
  codeLensRefreshes = 0;
  /** workspace/applyEdit requests received (each applied as far as the test is concerned). */
  readonly appliedEdits: { label?: string; edit: { changes?: Record<string, LspTextEdit[]> } }[] = [];
  /** What the client answers to `workspace/configuration` for the `topo` section. */
  settings: Record<string, unknown> = { simulation: { maxMillis: 1500 } };
  private versions = new Map<string, number>();
  private readonly diagnosticWaiters = new Set<{ uri: string; version: number; resolve: () => void }>();

  /** `command`: what node runs, by default the bundled server over stdio (`topo lsp --stdio` is another). */
  constructor(command: readonly string[] = [SERVER, '--stdio']) {
    // TOPO_SERVER_NODE_ARGS: extra node options for the server, e.g. `--cpu-prof` to profile a benchmark.
    const nodeArgs = (process.env.TOPO_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.proc = spawn(process.execPath, [...nodeArgs, ...command], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdin!.on('error', () => undefined); // the server may be gone when we stop
    this.proc.stderr!.on('data', (d) => { this.stderr += String(d); });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      this.published.push(p);
      for (const w of [...this.diagnosticWaiters]) if (w.uri === p.uri && w.version === p.version) { this.diagnosticWaiters.delete(w); w.resolve(); }
    });
    this.conn.onNotification('topo/simulationResult', (p: TestClient['simulations'][number]) => { this.simulations.push(p); });
    this.conn.onNotification('$/progress', (p: unknown) => { this.progress.push(p); });
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('workspace/configuration', () => [this.settings]);
    this.conn.onRequest('workspace/codeLens/refresh', () => { this.codeLensRefreshes++; return null; });
    this.conn.onRequest('workspace/applyEdit', (p: TestClient['appliedEdits'][number]) => { this.appliedEdits.push(p); return { applied: true }; });
    this.conn.listen();
  }

  /** `workspace`: client workspace capabilities beyond `configuration` (e.g. `{ codeLens: { refreshSupport: true } }`). */
  async initialize(rootUri = 'file:///work', workspace: Record<string, unknown> = {}): Promise<{ capabilities: Record<string, unknown> }> {
    const r = (await this.conn.sendRequest('initialize', { processId: process.pid, rootUri, capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, ...workspace } } })) as { capabilities: Record<string, unknown> };
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  open(uri: string, text: string): void {
    this.versions.set(uri, 1);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'topo', version: 1, text } });
  }

  /** An incremental edit: replace the range with text. */
  edit(uri: string, start: [number, number], end: [number, number], text: string): void {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range: { start: { line: start[0], character: start[1] }, end: { line: end[0], character: end[1] } }, text }] });
  }

  /** Changes the settings the way VS Code does: a notification, after which the server pulls them. */
  configure(settings: Record<string, unknown>): void {
    this.settings = settings;
    void this.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  /** Resolves when the diagnostics of that version of the document arrive (no polling: for timing). */
  diagnosticsOf(uri: string, version: number, ms = 30_000): Promise<void> {
    if (this.lastDiagnostics(uri)?.version === version) return Promise.resolve();
    return new Promise((res, rej) => {
      const timer = setTimeout(() => { this.diagnosticWaiters.delete(w); rej(new Error(`no diagnostics for version ${version} of ${uri} after ${ms} ms`)); }, ms);
      const w = { uri, version, resolve: () => { clearTimeout(timer); res(); } };
      this.diagnosticWaiters.add(w);
    });
  }

  /** The version the client last sent for a document. */
  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  save(uri: string): void {
    void this.conn.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  close(uri: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  /** Waits until `pred` holds on what was pushed so far (polling), or fails after `ms`. */
  async until<T>(what: string, pred: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await pred();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; server stderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  lastDiagnostics(uri: string): Published | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i];
    return undefined;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 1000))]);
      const exited = this.proc.exitCode !== null ? Promise.resolve() : new Promise((r) => this.proc.once('exit', r));
      await this.conn.sendNotification('exit').catch(() => undefined);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      // already gone
    }
    this.conn.dispose();
    this.proc.kill();
  }
}

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface LspTextEdit { range: Range; newText: string }

/** The offset of a protocol position in a text (UTF-16, as LSP counts). */
export function offsetAt(text: string, p: Position): number {
  let line = 0;
  let i = 0;
  while (line < p.line && i < text.length) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    i = nl + 1;
    line++;
  }
  const eol = text.indexOf('\n', i);
  return Math.min(i + p.character, eol < 0 ? text.length : eol);
}

/** The protocol position of an offset. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Where `needle` occurs in `text` (the `nth` occurrence), plus `delta` characters. */
export function find(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (occurrence ${nth}) is not in the text`);
  }
  return positionAt(text, at + delta);
}

/** Applies text edits as an editor does: they must not overlap; applied back to front. */
export function applyEdits(text: string, edits: readonly LspTextEdit[]): string {
  const spans = edits.map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }));
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) if (spans[i].start < spans[i - 1].end) throw new Error(`overlapping edits at ${spans[i].start}`);
  let out = text;
  for (const s of [...spans].reverse()) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

/** The text a range covers. */
export function textIn(text: string, r: Range): string {
  return text.slice(offsetAt(text, r.start), offsetAt(text, r.end));
}
