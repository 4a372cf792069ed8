import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import { resizable, resizeEdits, sizingAnchors, sizingFix, sizingKey, sizingLensTitle, type SizingFix } from '../core/ide/sizing-lens';
import { APPLY_SIZING_COMMAND, type ApplySizingArguments } from '../core/protocol';
import type { SizeTarget } from '../core/sizing/index';
import { toWorkspaceEdit } from './convert';
import type { ServerEnv } from './env';
import type { OpenDocument, Workspace } from './workspace';

/** Quiet time after the last edit before sizing starts (sizing places the file many times). */
export const SIZING_DELAY_MS = 300;
/** The longest quiet time asked for: a file whose sizing takes longer waits this long (see sizingDelay). */
export const SIZING_DELAY_MAX_MS = 5000;

/**
 * The quiet time before sizing a document again: as long as its last sizing took (within
 * SIZING_DELAY_MS..SIZING_DELAY_MAX_MS), so that a file that takes a minute to size is not
 * sized anew, and the run thrown away, at every pause in typing.
 */
export function sizingDelay(lastMs: number | undefined): number {
  return Math.min(SIZING_DELAY_MAX_MS, Math.max(SIZING_DELAY_MS, lastMs ?? 0));
}

/** A document's sizing: the last result (for the version it sized) and the run under way. */
interface DocSizing {
  sized?: { readonly version: number; readonly targets: readonly SizeTarget[] | null; readonly reason?: string };
  job?: { readonly version: number; readonly signal: { cancelled: boolean } };
  /** How long the last finished sizing took (ms). */
  lastMs?: number;
  timer?: ReturnType<typeof setTimeout>;
  /** The checked quick fix per target key, for `sized.version` (computing one checks the rewritten file). */
  fixes?: Map<string, SizingFix | null>;
}

interface LensData {
  readonly uri: string;
  readonly version: number;
  readonly key: string;
}

function lensData(raw: unknown): LensData | null {
  const d = raw as Partial<LensData> | null | undefined;
  return d && typeof d.uri === 'string' && typeof d.version === 'number' && typeof d.key === 'string' ? { uri: d.uri, version: d.version, key: d.key } : null;
}

/**
 * The sizing code lenses ("needs 5 of 7 nodes · saves 24,000"), their quick fix and command.
 * textDocument/codeLens answers at once with unresolved lenses and starts sizing the version in
 * the worker (after SIZING_DELAY_MS of quiet); an edit cancels the run; when a result arrives the
 * server asks the client to refresh its lenses, and codeLens/resolve gives each its title.
 */
export class SizingLenses {
  private readonly docs = new Map<string, DocSizing>();
  constructor(private readonly connection: Connection, private readonly ws: Workspace, private readonly env: ServerEnv) {}

  private state(uri: string): DocSizing {
    let d = this.docs.get(uri);
    if (!d) { d = {}; this.docs.set(uri, d); }
    return d;
  }

  /** An edit: the run for the older text is stale (cancelled now); the next lens request starts a new one. */
  edited(uri: string): void {
    const d = this.docs.get(uri);
    if (!d) return;
    if (d.job) { d.job.signal.cancelled = true; d.job = undefined; }
    if (d.timer) { clearTimeout(d.timer); d.timer = undefined; }
    d.fixes = undefined;
  }

  /** The checked fix of target `t` of the current version, remembered until the next edit (code actions come at every cursor move). */
  private fixOf(uri: string, t: SizeTarget): SizingFix | null {
    const d = this.docs.get(uri);
    const snap = this.ws.snapshot(uri);
    if (!d || !snap?.s.host) return null;
    d.fixes ??= new Map();
    const key = sizingKey(t);
    if (!d.fixes.has(key)) d.fixes.set(key, sizingFix(snap.s.check, snap.o.path, snap.s.host, t));
    return d.fixes.get(key) ?? null;
  }

  closed(uri: string): void {
    this.edited(uri);
    this.docs.delete(uri);
  }

  /** Starts sizing the document's current version unless it is sized or being sized. */
  private ensure(o: OpenDocument): void {
    const d = this.state(o.doc.uri);
    const version = o.doc.version;
    if (d.sized?.version === version || d.job?.version === version) return;
    if (d.timer) clearTimeout(d.timer);
    d.timer = setTimeout(() => {
      d.timer = undefined;
      if (this.ws.open.get(o.doc.uri) !== o || o.doc.version !== version) return;
      void this.run(o, d, version);
    }, sizingDelay(d.lastMs));
  }

  private async run(o: OpenDocument, d: DocSizing, version: number): Promise<void> {
    if (d.job) d.job.signal.cancelled = true;
    const signal = { cancelled: false };
    d.job = { version, signal };
    const started = performance.now();
    try {
      const outcome = await this.env.analyze({ kind: 'size', root: o.path, overlay: [...this.ws.overlay()], workspaceRoot: this.ws.rootFor(o), virtualRoots: this.ws.uris.virtualRoots() }, signal);
      if (signal.cancelled || outcome.kind !== 'size') return;
      d.lastMs = performance.now() - started;
      d.sized = { version, targets: outcome.targets, ...(outcome.reason ? { reason: outcome.reason } : {}) };
      d.fixes = undefined;
    } catch (e) {
      if (signal.cancelled || (e instanceof Error && e.name === 'Cancelled')) return;
      d.sized = { version, targets: null, reason: `sizing failed: ${e instanceof Error ? e.message : String(e)}` };
      this.connection.console.error(`topo: sizing ${o.path} failed: ${e instanceof Error ? e.stack : String(e)}`);
    } finally {
      if (d.job?.signal === signal) d.job = undefined;
    }
    if (this.ws.codeLensRefresh) void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }

  /** textDocument/codeLens: one unresolved lens per target declared in this file. */
  lenses(uri: string): lsp.CodeLens[] {
    if (!this.ws.settings.sizingLenses) return [];
    const o = this.ws.open.get(uri);
    if (!o) return [];
    const check = this.ws.checkOf(o);
    const ix = this.ws.indexOf(check)(o.path);
    const anchors = sizingAnchors(check.model).filter((a) => a.file === o.path);
    if (anchors.length) this.ensure(o);
    return anchors.map((a) => ({ range: ix.range(a.span), data: { uri, version: o.doc.version, key: a.key } satisfies LensData }));
  }

  /** codeLens/resolve: the lens's title from the sizing of its version; the previous result marked while the new one runs. */
  resolve(lens: lsp.CodeLens): lsp.CodeLens {
    const data = lensData(lens.data);
    const o = data ? this.ws.open.get(data.uri) : undefined;
    const sized = data ? this.docs.get(data.uri)?.sized : undefined;
    if (!data || !o || !sized) return { ...lens, command: { title: 'sizing…', command: '' } };
    const current = sized.version === data.version && data.version === o.doc.version;
    const suffix = current ? '' : ' (updating…)';
    if (!sized.targets) return { ...lens, command: { title: `${sized.reason ?? 'not sized'}${suffix}`, command: '' } };
    const t = sized.targets.find((x) => sizingKey(x) === data.key);
    if (!t) return { ...lens, command: { title: current ? 'not sized' : 'sizing…', command: '' } };
    const title = `${sizingLensTitle(t)}${suffix}`;
    const fixable = current && resizable(t) && resizeEdits(this.ws.checkOf(o), t, t.needed.nodes) !== null;
    const args: ApplySizingArguments = [data.uri, data.version, data.key];
    return { ...lens, command: fixable ? { title, command: APPLY_SIZING_COMMAND, arguments: args, tooltip: `Rewrite the node range to ${t.needed?.nodes} nodes` } : { title, command: '' } };
  }

  /** The sized target `key` of the document's current version, or why there is none. */
  private current(uri: string, version: number | null, key: string): { o: OpenDocument; t: SizeTarget } | string {
    const o = this.ws.open.get(uri);
    const sized = this.docs.get(uri)?.sized;
    if (!o) return 'the document is not open';
    if (!sized || sized.version !== o.doc.version || (version !== null && version !== o.doc.version)) return 'the file changed since it was sized: wait for the lens to update';
    const t = sized.targets?.find((x) => sizingKey(x) === key);
    return t ? { o, t } : `${key.slice(key.indexOf(':') + 1)} is not sized`;
  }

  /** The quick fixes of the targets whose declaration overlaps `span` (their results current). */
  codeActions(uri: string, span: { start: number; end: number }): lsp.CodeAction[] {
    const o = this.ws.open.get(uri);
    const sized = o ? this.docs.get(uri)?.sized : undefined;
    if (!o || !sized?.targets || sized.version !== o.doc.version) return [];
    const snap = this.ws.snapshot(uri);
    if (!snap) return [];
    const check = snap.s.check;
    const out: lsp.CodeAction[] = [];
    for (const a of sizingAnchors(check.model)) {
      if (a.file !== o.path || a.block.start > span.end || a.block.end < span.start) continue;
      const t = sized.targets.find((x) => sizingKey(x) === a.key);
      const fix = t ? this.fixOf(uri, t) : null;
      if (fix) out.push({ title: fix.title, kind: 'quickfix', edit: toWorkspaceEdit(fix.edits, this.ws.indexOf(check), this.ws.uris) });
    }
    return out;
  }

  /** workspace/executeCommand topo.applySizing: applies the target's quick fix (checked first). */
  async apply(raw: unknown[] | undefined): Promise<void> {
    const [uri, version, key] = raw ?? [];
    if (typeof uri !== 'string' || typeof key !== 'string') throw new Error(`${APPLY_SIZING_COMMAND}: give a document uri, its version and a target key`);
    const found = this.current(uri, typeof version === 'number' ? version : null, key);
    if (typeof found === 'string') { void this.connection.window.showWarningMessage(`Topo: cannot resize: ${found}`); return; }
    const snap = this.ws.snapshot(uri);
    const fix = this.fixOf(uri, found.t);
    if (!snap || !fix) { void this.connection.window.showWarningMessage(`Topo: cannot resize ${found.t.name}: its nodes are not one range, or the rewritten file would have a new error`); return; }
    await this.connection.workspace.applyEdit({ label: fix.title, edit: toWorkspaceEdit(fix.edits, this.ws.indexOf(snap.s.check), this.ws.uris) });
  }
}
