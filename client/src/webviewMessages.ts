// Validation of every message the preview webview posts to the extension. The webview runs
// page script, so its messages are untrusted input: anything not exactly one of these shapes,
// within these limits, is rejected with a reason. No vscode import (unit-tested under Node).

import { EXPORT_FORMATS, REVEAL_KINDS, type ExportFormat, type PreviewOutgoing, type RevealKind } from '../../server/src/core/protocol';
import { POLICIES } from '../../server/src/core/syntax/schema';
import type { Policy } from '../../server/src/core/model/types';

export { POLICIES, REVEAL_KINDS };
export type { ExportFormat, Policy, RevealKind };

/** What the preview posts (declared once, in server/src/core/protocol.ts). */
export type WebviewMessage = PreviewOutgoing;

export type Validation = { readonly ok: true; readonly message: WebviewMessage } | { readonly ok: false; readonly reason: string };

/** Longest name accepted (declaration names, node refs, scenario names). */
export const MAX_NAME = 256;
/** Largest export accepted: 64 MiB of text. */
export const MAX_EXPORT = 64 * 1024 * 1024;
/** Largest line number accepted (the file may have changed since: the host clamps). */
export const MAX_LINE = 10_000_000;

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const PNG_PREFIX = 'data:image/png;base64,';

function hasControlOrQuote(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x22) return true;
  }
  return false;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(reason: string): Validation {
  return { ok: false, reason };
}

function onlyKeys(m: Record<string, unknown>, keys: readonly string[]): string | undefined {
  const extra = Object.keys(m).filter((k) => !keys.includes(k));
  return extra.length ? `unexpected field ${extra.map((k) => JSON.stringify(k)).join(', ')}` : undefined;
}

/** Checks one message from the webview. Never throws. */
export function validateWebviewMessage(raw: unknown): Validation {
  if (!isRecord(raw)) return fail('not an object');
  const m = raw;
  switch (m.type) {
    case 'ready': {
      const extra = onlyKeys(m, ['type']);
      return extra ? fail(extra) : { ok: true, message: { type: 'ready' } };
    }
    case 'reveal': {
      const extra = onlyKeys(m, ['type', 'kind', 'name']);
      if (extra) return fail(extra);
      if (!REVEAL_KINDS.includes(m.kind as RevealKind)) return fail(`reveal.kind must be one of ${REVEAL_KINDS.join(', ')}`);
      if (typeof m.name !== 'string' || m.name.length === 0 || m.name.length > MAX_NAME || !NAME.test(m.name)) return fail('reveal.name is not a declaration name');
      return { ok: true, message: { type: 'reveal', kind: m.kind as RevealKind, name: m.name } };
    }
    case 'revealLine': {
      const extra = onlyKeys(m, ['type', 'line', 'character']);
      if (extra) return fail(extra);
      const ok = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_LINE;
      if (!ok(m.line) || !ok(m.character)) return fail('revealLine.line and .character must be integers from 0');
      return { ok: true, message: { type: 'revealLine', line: m.line, character: m.character } };
    }
    case 'simulate': {
      const extra = onlyKeys(m, ['type', 'scenario', 'policy']);
      if (extra) return fail(extra);
      if (!POLICIES.includes(m.policy as Policy)) return fail(`simulate.policy must be one of ${POLICIES.join(', ')}`);
      const s = m.scenario === undefined ? null : m.scenario;
      if (s !== null && (typeof s !== 'string' || s.length === 0 || s.length > MAX_NAME || hasControlOrQuote(s))) return fail('simulate.scenario must be null or a scenario name');
      return { ok: true, message: { type: 'simulate', scenario: s, policy: m.policy as Policy } };
    }
    case 'export': {
      const extra = onlyKeys(m, ['type', 'format', 'data']);
      if (extra) return fail(extra);
      if (!EXPORT_FORMATS.includes(m.format as ExportFormat)) return fail('export.format must be "svg", "png" or "csv"');
      if (typeof m.data !== 'string' || m.data.length === 0) return fail('export.data must be a non-empty string');
      if (m.data.length > MAX_EXPORT) return fail('export.data is too large');
      if (m.format === 'svg' && !/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(m.data)) return fail('export.data is not an SVG document');
      if (m.format === 'png' && (!m.data.startsWith(PNG_PREFIX) || !/^[A-Za-z0-9+/]*={0,2}$/.test(m.data.slice(PNG_PREFIX.length)))) return fail('export.data is not a base64 PNG data URL');
      // eslint-disable-next-line no-control-regex -- control characters are what this looks for
      if (m.format === 'csv' && /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(m.data)) return fail('export.data is not CSV text (control characters)');
      return { ok: true, message: { type: 'export', format: m.format as ExportFormat, data: m.data } };
    }
    default:
      // A non-string type is named by its kind only: printing it could throw (a BigInt, a cycle).
      return fail(`unknown message type ${typeof m.type === 'string' ? JSON.stringify(m.type.slice(0, 40)) : `(a ${typeof m.type})`}`);
  }
}

/** The bytes of a validated PNG export. */
export function pngBytes(data: string): Uint8Array {
  return Uint8Array.from(atob(data.slice(PNG_PREFIX.length)), (c) => c.charCodeAt(0));
}
