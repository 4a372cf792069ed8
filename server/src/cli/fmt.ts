import { chmodSync, lstatSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatText } from '../core/ide/format';
import { parseFile } from '../core/syntax/parser';
import { LineIndex } from '../core/text';
import { MAX_FILE_BYTES } from '../node/fileHost';
import { expandTopoFiles } from './files';
import { absolutePath, parseArgs, UsageError, type CliIo } from './io';
import { unifiedDiff } from './unifiedDiff';

export const FMT_USAGE = 'topo fmt FILE|DIR... [--check] [--diff]';

/** The layout the CLI formats to: what the editor gives with its defaults (two spaces). */
const CLI_FORMAT = { insertSpaces: true, tabSize: 2 } as const;

/**
 * `topo fmt FILE|DIR...`: formats .topo files in place, as the editor's Format Document does (a
 * folder: the .topo files under it), and prints the name of each file it changed. With `--check`
 * or `--diff` nothing is written: `--check` lists the files that are not formatted, `--diff`
 * prints what formatting would change as a unified diff.
 *
 * A file is replaced atomically (a temporary file beside it, then a rename; a symbolic link stays
 * a link to the formatted file), keeps its permissions, and is not touched when its text changed
 * while it was being formatted. A file with syntax errors is never touched: its first error is
 * reported. Exit 0 done (or, with --check, everything formatted), 1 files are not formatted
 * (--check) or have syntax errors, 2 usage, unreadable or unwritable file.
 */
export function runFmt(args: string[], io: CliIo): number {
  const { files: given, flags } = parseArgs(args, [], ['check', 'diff']);
  if (given.length === 0) throw new UsageError(`no file given: ${FMT_USAGE}`);
  const check = flags.has('check');
  const diff = flags.has('diff');
  const write = !check && !diff;
  const files = expandTopoFiles(io, given);
  let status = 0;
  let unformatted = 0;
  const worst = (s: number): void => { status = Math.max(status, s); };
  const done = new Set<string>();
  for (const file of files) {
    const path = absolutePath(io, file);
    const real = realPathOf(path);
    if (done.has(real)) continue; // a link to a file already formatted
    done.add(real);
    const text = readTopoFile(path);
    if (typeof text !== 'string') {
      io.err(`topo fmt: cannot read ${file}: ${text.problem}\n`);
      worst(2);
      continue;
    }
    const formatted = formatKeepingBom(text, path);
    if (formatted === null) {
      io.err(`${syntaxError(file, path, text.replace(/^\ufeff/, ''))}\n${file}: not formatted: fix the syntax error first\n`);
      worst(1);
      continue;
    }
    if (formatted === text) continue;
    if (diff) io.out(unifiedDiff(text, formatted, file, file));
    if (check) {
      if (!diff) io.out(`${file}\n`);
      unformatted++;
      worst(1);
    }
    if (write) {
      const problem = replaceFile(path, text, formatted);
      if (problem) {
        io.err(`topo fmt: ${file} not written: ${problem}\n`);
        worst(2);
      } else {
        io.out(`${file}\n`);
      }
    }
  }
  if (unformatted > 0 && !diff) io.err(`${unformatted === 1 ? 'this file is' : `these ${unformatted} files are`} not formatted: run \`topo fmt\` on ${unformatted === 1 ? 'it' : 'them'}\n`);
  return status;
}

/** The formatted text; a byte order mark at the start stays there (the editor never shows it to the formatter). */
function formatKeepingBom(text: string, path: string): string | null {
  const bom = text.startsWith('\ufeff') ? '\ufeff' : '';
  const formatted = formatText(text.slice(bom.length), path, CLI_FORMAT);
  return formatted === null ? null : bom + formatted;
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function readTopoFile(path: string): string | { problem: string } {
  try {
    const st = statSync(path);
    if (!st.isFile()) return { problem: 'not a file' };
    if (st.size > MAX_FILE_BYTES) return { problem: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
    return readFileSync(path, 'utf8');
  } catch (e) {
    return { problem: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'permission denied' };
  }
}

/** `file:line:col: error CODE: message` of the first syntax error (the formatter works only on text without them). */
function syntaxError(file: string, path: string, text: string): string {
  const d = parseFile(text, path).diagnostics.find((x) => x.severity === 'error');
  if (!d) return `${file}: the formatter could not keep the text's meaning; it is left as it is`;
  const p = new LineIndex(text).position(d.span.start);
  return `${file}:${p.line + 1}:${p.character + 1}: error ${d.code}: ${d.message}`;
}

/**
 * Replaces the file's text by `next` atomically: written to a temporary file in the same folder
 * with the same permissions, then renamed over it. Returns a problem, or null when written.
 * Refuses when the file no longer holds `expected` (it was edited meanwhile).
 */
export function replaceFile(path: string, expected: string, next: string): string | null {
  let target = path;
  try {
    if (lstatSync(path).isSymbolicLink()) target = realpathSync(path);
  } catch {
    return 'it disappeared';
  }
  const tmp = join(dirname(target), `.${basename(target)}.topo-fmt-${process.pid}-${Date.now().toString(36)}.tmp`);
  try {
    const mode = statSync(target).mode & 0o7777;
    writeFileSync(tmp, next, { flag: 'wx', mode });
    chmodSync(tmp, mode);
    if (readFileSync(target, 'utf8') !== expected) {
      unlinkSync(tmp);
      return 'it changed while it was being formatted; run topo fmt again';
    }
    renameSync(tmp, target);
    return null;
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* not created */ }
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied' : `cannot write it (${code ?? String(e)})`;
  }
}
