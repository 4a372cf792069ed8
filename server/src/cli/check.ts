import type { Diagnostic } from '../core/diagnostics';
import { DiagnosticPrinter, type DiagnosticJson } from './diagnosticsOutput';
import { formatFlag, parseArgs, UsageError, type CliIo } from './io';
import { checkFileArg } from './program';
import { CHECK_VERSION, documentJson } from './documents';
import { expandTopoFiles } from './files';
import type { Finding } from './findings';
import { reportText } from './report';

export const CHECK_USAGE = 'topo check FILE|DIR... [--format text|json|sarif|github]';

/**
 * `topo check FILE|DIR...` (a folder: the .topo files under it): 0 no errors, 1 errors, 2 usage
 * or unreadable file. Formats: text (`file:line:col: severity CODE: message` and the line),
 * json (the check document), sarif (SARIF 2.1.0), github (workflow commands).
 */
export function runCheck(args: string[], io: CliIo): number {
  const { files: given, flags } = parseArgs(args, ['format'], []);
  const format = formatFlag(flags, ['text', 'json', 'sarif', 'github']);
  if (given.length === 0) throw new UsageError(`no file given: ${CHECK_USAGE}`);
  const files = expandTopoFiles(io, given);
  const seen = new Set<string>();
  const json: DiagnosticJson[] = [];
  const findings: Finding[] = [];
  const text: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    const result = checkFileArg(io, file);
    const printer = new DiagnosticPrinter(io, result);
    for (const d of result.diagnostics) {
      const key = diagnosticKey(d);
      if (seen.has(key)) continue; // an imported file shared by several roots
      seen.add(key);
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      if (format === 'json') json.push(printer.json(d));
      else if (format === 'text') text.push(printer.human(d));
      else findings.push(printer.finding(d));
    }
  }
  const summary = `${files.length} file${files.length === 1 ? '' : 's'} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`;
  if (format === 'json') io.out(documentJson('check', { version: CHECK_VERSION, diagnostics: json }));
  else if (format === 'text') {
    if (text.length) io.out(`${text.join('\n\n')}\n\n`);
    io.out(summary);
  } else {
    io.out(reportText(format, findings, io));
    if (format === 'github') io.out(summary);
  }
  return errors > 0 ? 1 : 0;
}

function diagnosticKey(d: Diagnostic): string {
  return `${d.file}:${d.span.start}:${d.span.end}:${d.code}:${d.message}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
