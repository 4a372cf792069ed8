import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkProgram, type CheckResult } from '../core/check';
import { NodeFileHost } from '../node/fileHost';
import { isInside } from '../core/host';
import { absolutePath, type CliIo, UsageError } from './io';

/**
 * Loads and checks a file given on the command line. The workspace (the limit for imports) is
 * the working directory when the file is inside it, otherwise the file's folder.
 */
export function checkFileArg(io: CliIo, file: string): CheckResult {
  const path = absolutePath(io, file);
  if (!existsSync(path)) throw new UsageError(`cannot read ${file}: no such file`);
  if (!statSync(path).isFile()) throw new UsageError(`cannot read ${file}: not a file`);
  const host = new NodeFileHost(isInside(io.cwd, path) ? io.cwd : dirname(path));
  const text = host.readFile(path);
  if (text === undefined) throw new UsageError(`cannot read ${file}: permission denied or too large`);
  return checkProgram(path, host, { rootText: text });
}
