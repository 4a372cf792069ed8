import { LineIndex } from '../core/text';
import type { Diagnostic, DiagnosticCode, Severity } from '../core/diagnostics';
import type { CheckResult } from '../core/check';
import { displayPath, type CliIo } from './io';
import { echoLine, oneLine } from './terminal';
import type { Finding } from './findings';

/** Zero-based line and UTF-16 character (LSP positions). */
export interface JsonPosition {
  line: number;
  character: number;
}

export interface JsonRange {
  start: JsonPosition;
  end: JsonPosition;
}

/** The LSP-shaped JSON of one diagnostic (zero-based positions). */
export interface DiagnosticJson {
  file: string;
  range: JsonRange;
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  relatedInformation: { file: string; range: JsonRange; message: string }[];
}

export class DiagnosticPrinter {
  private readonly indexes = new Map<string, LineIndex>();

  constructor(
    private readonly io: CliIo,
    private readonly result: CheckResult,
  ) {}

  private index(file: string): LineIndex {
    let ix = this.indexes.get(file);
    if (!ix) {
      ix = new LineIndex(this.result.trees.get(file)?.text ?? '');
      this.indexes.set(file, ix);
    }
    return ix;
  }

  json(d: Diagnostic): DiagnosticJson {
    return {
      file: displayPath(this.io, d.file),
      range: this.index(d.file).range(d.span),
      severity: d.severity,
      code: d.code,
      message: d.message,
      relatedInformation: d.related.map((r) => ({ file: displayPath(this.io, r.location.file), range: this.index(r.location.file).range(r.location.span), message: r.message })),
    };
  }

  /** The JSON with the fixes, for the report formats (SARIF, GitHub). */
  finding(d: Diagnostic): Finding {
    return {
      ...this.json(d),
      fixes: d.fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ file: displayPath(this.io, e.file), range: this.index(e.file).range(e.span), newText: e.newText })) })),
    };
  }

  /** `file:line:col: severity CODE: message`, the source line and a caret under the range. */
  human(d: Diagnostic): string {
    const ix = this.index(d.file);
    const { start, end } = ix.range(d.span);
    const lines = [`${oneLine(displayPath(this.io, d.file))}:${start.line + 1}:${start.character + 1}: ${d.severity} ${d.code}: ${oneLine(d.message)}`];
    const src = ix.lineText(start.line);
    if (src.length <= 400) {
      const echo = echoLine(src, start.character, end.line === start.line ? end.character : src.length);
      lines.push(`  ${echo.text}`, `  ${echo.caret}`);
    }
    for (const r of d.related) {
      const p = this.index(r.location.file).position(r.location.span.start);
      lines.push(`  ${oneLine(displayPath(this.io, r.location.file))}:${p.line + 1}:${p.character + 1}: note: ${oneLine(r.message)}`);
    }
    return lines.join('\n');
  }
}
