import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportKubernetes } from '../core/interop/exportKubernetes';
import { DiagnosticPrinter } from './diagnosticsOutput';
import { absolutePath, displayPath, parseArgs, UsageError, type CliIo } from './io';
import { checkFileArg } from './program';

export const EXPORT_USAGE = 'topo export k8s FILE [--out DIR] [--force]';

/** `topo export k8s FILE`: manifests per target into --out (default: the working directory). */
export function runExport(args: string[], io: CliIo): number {
  const { files, flags } = parseArgs(args, ['out'], ['force']);
  const [format, input, ...extra] = files;
  if (format !== 'k8s') throw new UsageError(format ? `unknown format \`${format}\` (k8s)` : 'no format given');
  if (!input) throw new UsageError('no .topo file given');
  if (extra.length > 0) throw new UsageError('one file only');
  const out = flags.get('out');
  const dir = absolutePath(io, typeof out === 'string' ? out : '.');
  const result = checkFileArg(io, input);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const printer = new DiagnosticPrinter(io, result);
    io.err(`${errors.map((d) => printer.human(d)).join('\n\n')}\n\n${input}: ${errors.length} error(s); fix them before exporting\n`);
    return 1;
  }
  const { files: outFiles } = exportKubernetes(result.model);
  if (!flags.has('force')) {
    for (const f of outFiles) {
      const p = join(dir, f.path);
      if (existsSync(p)) throw new UsageError(`${displayPath(io, p)} exists; use --force to overwrite it`);
    }
  }
  mkdirSync(dir, { recursive: true });
  for (const f of outFiles) {
    const p = join(dir, f.path);
    writeFileSync(p, f.text);
    io.out(`wrote ${displayPath(io, p)}\n`);
  }
  return 0;
}
