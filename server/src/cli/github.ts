// GitHub Actions workflow commands: one `::error file=…,line=…::message` line per finding, which
// the runner turns into an annotation on the pull request's diff (no extra tool, no upload).
import type { Severity } from '../core/diagnostics';
import type { Finding } from './findings';

/** The data of a command (its message): `%`, CR and LF escaped, as the runner unescapes them. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: the data escapes, and `:` and `,` (which end a value). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubCommandName(s: Severity): 'error' | 'warning' | 'notice' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'notice';
}

/**
 * One annotation. Lines and columns are 1-based; `endColumn` is the last column of the range
 * (GitHub's end column is inclusive), the start column for an empty range. The related
 * information follows the message on lines of its own.
 */
export function githubCommand(f: Finding): string {
  const { start, end } = f.range;
  const endColumn = end.line === start.line ? Math.max(start.character + 1, end.character) : Math.max(1, end.character);
  const props = [
    ['file', f.file],
    ['line', String(start.line + 1)],
    ['col', String(start.character + 1)],
    ['endLine', String(end.line + 1)],
    ['endColumn', String(endColumn)],
    ['title', f.code],
  ].map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',');
  const notes = f.relatedInformation.map((r) => `\n${r.file}:${r.range.start.line + 1}:${r.range.start.character + 1}: note: ${r.message}`);
  return `::${githubCommandName(f.severity)} ${props}::${escapeData(f.message + notes.join(''))}`;
}

export function githubCommands(findings: readonly Finding[]): string {
  return findings.map((f) => `${githubCommand(f)}\n`).join('');
}
