import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { duplicatePaths, exportKubernetes, type ExportFile } from '../core/interop/exportKubernetes';
import { DiagnosticPrinter } from './diagnosticsOutput';
import { absolutePath, displayPath, parseArgs, UsageError, type CliIo } from './io';
import { checkFileArg } from './program';
import { oneLine } from './terminal';

export const EXPORT_USAGE = 'topo export k8s FILE [--out DIR] [--force]';

/**
 * `topo export k8s FILE`: manifests per target into --out (default: the working directory).
 * Exit 0 written, 1 the file has errors or the export would write one file twice (nothing is
 * written then), 2 usage, existing files without --force, or a file that cannot be written.
 */
export function runExport(args: string[], io: CliIo): number {
  const { files, flags } = parseArgs(args, ['out'], ['force']);
  const [format, input, ...extra] = files;
  if (format !== 'k8s') throw new UsageError(format ? `unknown format \`${format}\` (k8s)` : 'no format given');
  if (!input) throw new UsageError('no .topo file given');
  if (extra.length > 0) throw new UsageError('one file only');
  const out = flags.get('out');
  const dir = absolutePath(io, typeof out === 'string' ? out : '.');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${displayPath(io, dir)} is a file; give a folder`);
  const result = checkFileArg(io, input);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const printer = new DiagnosticPrinter(io, result);
    io.err(`${errors.map((d) => printer.human(d)).join('\n\n')}\n\n${oneLine(input)}: ${errors.length} error(s); fix them before exporting\n`);
    return 1;
  }
  const { files: outFiles } = exportKubernetes(result.model);
  if (outFiles.length === 0) {
    io.err(`${oneLine(input)} declares no container: nothing to export\n`);
    return 0;
  }
  return writeManifests(io, dir, outFiles, flags.has('force'));
}

/**
 * Writes every file or none: refuses (exit 1) when two files of this export have the same name
 * (one would overwrite the other), and (exit 2) when a file exists and `force` is not given.
 */
export function writeManifests(io: CliIo, dir: string, outFiles: readonly ExportFile[], force: boolean): number {
  const twice = duplicatePaths(outFiles);
  if (twice.length > 0) {
    io.err(`topo export: error: this export would write ${twice.map((p) => displayPath(io, join(dir, p))).join(' and ')} from different targets, one over the other; nothing written. Please report this with the file.\n`);
    return 1;
  }
  if (!force) {
    const present = outFiles.map((f) => join(dir, f.path)).filter((p) => existsSync(p));
    const [first] = present;
    if (first !== undefined) throw new UsageError(`${displayPath(io, first)} exists; use --force to overwrite it${present.length > 1 ? ` (and ${present.length - 1} more file${present.length > 2 ? 's' : ''})` : ''}`);
  }
  let written = 0;
  try {
    mkdirSync(dir, { recursive: true });
    for (const f of outFiles) {
      const p = join(dir, f.path);
      writeFileSync(p, f.text);
      written++;
      io.out(`wrote ${displayPath(io, p)}\n`);
    }
  } catch (e) {
    io.err(`topo export: cannot write to ${displayPath(io, dir)}: ${e instanceof Error ? e.message : String(e)} (${written} of ${outFiles.length} files written)\n`);
    return 2;
  }
  return 0;
}
