import type { Location, Span, TextEdit } from './text';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Every diagnostic code of the language contract (section 4), with its severity. Each has an entry in docs/language.md (a test checks). */
export const DIAGNOSTIC_SEVERITY = {
  T100: 'error',
  T101: 'error',
  T102: 'error',
  T103: 'error',
  T104: 'error',
  T200: 'error',
  T201: 'error',
  T202: 'error',
  T203: 'error',
  T204: 'error',
  T207: 'error',
  T300: 'error',
  T301: 'error',
  T302: 'error',
  T303: 'error',
  T304: 'error',
  T305: 'warning',
  T306: 'warning',
  T400: 'error',
  T401: 'error',
  T402: 'warning',
  T403: 'error',
  T404: 'warning',
  T405: 'error',
  T406: 'warning',
  T407: 'error',
  T408: 'error',
  T409: 'error',
  T500: 'warning',
  T501: 'error',
  T502: 'warning',
  T503: 'warning',
  T504: 'warning',
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_SEVERITY;

export interface RelatedInformation {
  readonly location: Location;
  readonly message: string;
}

/** A quick fix computed by the core: plain text edits the server offers as a code action. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** True for the fix a user most likely wants (LSP isPreferred). */
  readonly preferred?: boolean;
}

export interface Diagnostic {
  readonly file: string;
  readonly span: Span;
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly related: readonly RelatedInformation[];
  readonly fixes: readonly Fix[];
}

export function makeDiagnostic(
  code: DiagnosticCode,
  at: Location,
  message: string,
  related: readonly RelatedInformation[] = [],
  fixes: readonly Fix[] = [],
): Diagnostic {
  return { file: at.file, span: at.span, severity: DIAGNOSTIC_SEVERITY[code], code, message, related, fixes };
}

/** Sorts diagnostics by file, then position, then code: the order every consumer shows. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return list.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      a.span.end - b.span.end ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
