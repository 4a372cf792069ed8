import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCompose } from '../core/interop/importCompose';
import type { ImportResult, InteropMessage } from '../core/interop/emit';
import { importKubernetes } from '../core/interop/importKubernetes';
import { absolutePath, displayPath, parseArgs, UsageError, type CliIo } from './io';
import { oneLine } from './terminal';

export const IMPORT_USAGE = 'topo import k8s FILE|DIR | compose FILE [--out FILE] [--force]';

function readInputs(io: CliIo, arg: string, allowDir: boolean): { path: string; text: string }[] {
  const abs = absolutePath(io, arg);
  if (!existsSync(abs)) throw new UsageError(`cannot read ${arg}: no such file or directory`);
  if (statSync(abs).isDirectory()) {
    if (!allowDir) throw new UsageError(`${arg} is a directory; give a Compose file`);
    const names = readdirSync(abs).filter((n) => /\.(ya?ml|json)$/i.test(n)).sort();
    if (names.length === 0) throw new UsageError(`${arg} holds no .yaml, .yml or .json file`);
    return names.map((n) => ({ path: displayPath(io, join(abs, n)), text: readFileSync(join(abs, n), 'utf8') }));
  }
  return [{ path: displayPath(io, abs), text: readFileSync(abs, 'utf8') }];
}

function message(kind: string, m: InteropMessage): string {
  return `${oneLine(m.file)}:${m.line}:${m.column}: ${kind}: ${oneLine(m.message)}\n`;
}

/** `topo import k8s|compose ...`: the .topo to stdout (or --out), notes and errors to stderr. */
export function runImport(args: string[], io: CliIo): number {
  const { files, flags } = parseArgs(args, ['out'], ['force']);
  const [format, input, ...extra] = files;
  if (format !== 'k8s' && format !== 'compose') throw new UsageError(format ? `unknown format \`${format}\` (k8s or compose)` : 'no format given');
  if (!input) throw new UsageError('no input given');
  if (extra.length > 0) throw new UsageError(`one input only (got ${files.length - 1})`);
  const out = flags.get('out');
  const outPath = typeof out === 'string' ? absolutePath(io, out) : undefined;
  if (outPath && existsSync(outPath) && !flags.has('force')) throw new UsageError(`${out ?? ''} exists; use --force to overwrite it`);
  const inputs = readInputs(io, input, format === 'k8s');
  let result: ImportResult;
  if (format === 'k8s') result = importKubernetes(inputs);
  else {
    const first = inputs[0];
    if (!first) throw new UsageError('no input');
    result = importCompose(first);
  }
  for (const e of result.errors) io.err(message('error', e));
  for (const n of result.notes) io.err(message('note', n));
  if (result.errors.length > 0) {
    io.err(`${result.errors.length} error${result.errors.length === 1 ? '' : 's'}: nothing written\n`);
    return 1;
  }
  if (outPath) {
    writeFileSync(outPath, result.text);
    io.err(`wrote ${displayPath(io, outPath)}\n`);
  } else io.out(result.text);
  return 0;
}
