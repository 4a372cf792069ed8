import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkProgram, type CheckResult } from '../core/check';
import { NodeFileHost } from '../node/fileHost';
import { absolutePath, type CliIo, UsageError } from './io';

/** Files that mark a project's root folder for the CLI (`topo.json` may be empty). */
export const ROOT_MARKERS = ['.git', 'topo.json'] as const;

/**
 * The CLI's workspace for a file (imports may not leave it): the nearest folder, from the
 * file's own upwards, that holds a `.git` or a `topo.json`; else the file's own folder. It
 * depends on the file only, never on the working directory.
 */
export function workspaceRootOf(file: string): { root: string; marked: boolean } {
  const own = dirname(file);
  for (let dir = own; ; dir = dirname(dir)) {
    if (ROOT_MARKERS.some((m) => existsSync(join(dir, m)))) return { root: dir, marked: true };
    if (dirname(dir) === dir) return { root: own, marked: false };
  }
}

/** The file host of one command-line file: the disk, limited to the file's workspace. */
class CliFileHost extends NodeFileHost {
  constructor(
    root: string,
    readonly workspaceNote: string,
  ) {
    super(root);
  }
}

/** Loads and checks a file given on the command line, in the workspace `workspaceRootOf` gives. */
export function checkFileArg(io: CliIo, file: string): CheckResult {
  const path = absolutePath(io, file);
  if (!existsSync(path)) throw new UsageError(`cannot read ${file}: no such file`);
  if (!statSync(path).isFile()) throw new UsageError(`cannot read ${file}: not a file`);
  const host = cliHost(path);
  const text = host.readFile(path);
  if (text === undefined) throw new UsageError(`cannot read ${file}: permission denied or too large`);
  return checkProgram(path, host, { rootText: text });
}

function cliHost(path: string): CliFileHost {
  const { root, marked } = workspaceRootOf(path);
  const note = marked
    ? `the workspace is the nearest folder above the file with a ${ROOT_MARKERS.join(' or ')}`
    : `no folder above the file has a ${ROOT_MARKERS.join(' or ')}, so the workspace is the file's own folder: put an empty topo.json in the folder that holds both files`;
  return new CliFileHost(root, note);
}

/** Checks `text` as the file at `file` (an older version read from git); its imports are read from the disk as they are now. */
export function checkTextArg(io: CliIo, file: string, text: string): CheckResult {
  const path = absolutePath(io, file);
  return checkProgram(path, cliHost(path), { rootText: text });
}
