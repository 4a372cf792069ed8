import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const SERVER = resolve(__dirname, '../../dist/server/node.js');

export interface Published {
  uri: string;
  version?: number;
  diagnostics: { code: string; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[];
}

/** A minimal LSP client over the real server's stdio, recording what the server pushes. */
export class TestClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly published: Published[] = [];
  readonly simulations: { uri: string; result: { summary: { locality: number } } | null; reason?: string }[] = [];
  readonly progress: unknown[] = [];
  stderr = '';
  private versions = new Map<string, number>();

  constructor() {
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdin!.on('error', () => undefined); // the server may be gone when we stop
    this.proc.stderr!.on('data', (d) => { this.stderr += String(d); });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: Published) => { this.published.push(p); });
    this.conn.onNotification('topo/simulationResult', (p: TestClient['simulations'][number]) => { this.simulations.push(p); });
    this.conn.onNotification('$/progress', (p: unknown) => { this.progress.push(p); });
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('workspace/configuration', () => [{ simulation: { maxMillis: 1500 } }]);
    this.conn.listen();
  }

  async initialize(rootUri = 'file:///work'): Promise<{ capabilities: Record<string, unknown> }> {
    const r = (await this.conn.sendRequest('initialize', { processId: process.pid, rootUri, capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } } })) as { capabilities: Record<string, unknown> };
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
  async until<T>(what: string, pred: () => T | undefined | false, ms = 10_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = pred();
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
      await this.conn.sendNotification('exit').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
    } catch {
      // already gone
    }
    this.conn.dispose();
    this.proc.kill();
  }
}
