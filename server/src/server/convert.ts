import type * as lsp from 'vscode-languageserver-protocol';
import { LineIndex, type Span, type TextEdit } from '../core/text';
import type { Diagnostic as CoreDiagnostic, Severity } from '../core/diagnostics';
import type { SimulationDiagnostic } from '../core/result';
import { codeReference } from '../core/reference';
import type { UriMap } from './uris';

/** Conversions between the core's plain data and LSP types. Nothing else lives in the protocol layer. */

export const SEVERITY: Record<Severity, lsp.DiagnosticSeverity> = { error: 1, warning: 2, information: 3, hint: 4 };

export function toRange(ix: LineIndex, span: Span): lsp.Range {
  return ix.range(span);
}

export function toSpan(ix: LineIndex, range: lsp.Range): Span {
  const a = ix.offset(range.start);
  const b = ix.offset(range.end);
  return { start: Math.min(a, b), end: Math.max(a, b) };
}

export type IndexOf = (path: string) => LineIndex;

export function toDiagnostic(d: CoreDiagnostic, ix: IndexOf, uris: UriMap): lsp.Diagnostic {
  return {
    range: toRange(ix(d.file), d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: codeReference(d.code) },
    source: 'topo',
    message: d.message,
    relatedInformation: d.related.map((r) => ({ location: { uri: uris.uri(r.location.file), range: toRange(ix(r.location.file), r.location.span) }, message: r.message })),
  };
}

export function simulationDiagnostic(d: SimulationDiagnostic, uris: UriMap): lsp.Diagnostic {
  return {
    range: d.range, severity: SEVERITY[d.severity], code: d.code, codeDescription: { href: codeReference(d.code) }, source: 'topo simulator', message: d.message,
    ...(d.related?.length ? { relatedInformation: d.related.map((r) => ({ location: { uri: uris.uri(r.file), range: r.range }, message: r.message })) } : {}),
  };
}

export function toWorkspaceEdit(edits: readonly TextEdit[], ix: IndexOf, uris: UriMap): lsp.WorkspaceEdit {
  const changes: Record<string, lsp.TextEdit[]> = {};
  for (const e of edits) {
    const uri = uris.uri(e.file);
    (changes[uri] ??= []).push({ range: toRange(ix(e.file), e.span), newText: e.newText });
  }
  return { changes };
}
