import type { Diagnostic } from '../core/diagnostics';
import { DiagnosticPrinter, type DiagnosticJson } from './diagnosticsOutput';
import { formatFlag, parseArgs, UsageError, type CliIo } from './io';
import { checkFileArg } from './program';
import { jsonText } from './terminal';

export const CHECK_USAGE = 'topo check FILE... [--format text|json]';

/** `topo check FILE...`: 0 no errors, 1 errors, 2 usage or unreadable file. */
export function runCheck(args: string[], io: CliIo): number {
  const { files, flags } = parseArgs(args, ['format'], []);
  const format = formatFlag(flags, ['text', 'json']);
  if (files.length === 0) throw new UsageError(`no file given: ${CHECK_USAGE}`);
  const seen = new Set<string>();
  const json: DiagnosticJson[] = [];
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
      else text.push(printer.human(d));
    }
  }
  if (format === 'json') io.out(jsonText({ diagnostics: json }));
  else {
    if (text.length) io.out(`${text.join('\n\n')}\n\n`);
    io.out(`${files.length} file${files.length === 1 ? '' : 's'} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  }
  return errors > 0 ? 1 : 0;
}

function diagnosticKey(d: Diagnostic): string {
  return `${d.file}:${d.span.start}:${d.span.end}:${d.code}:${d.message}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
