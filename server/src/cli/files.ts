import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { absolutePath, type CliIo, UsageError } from './io';

/** Folders a search for .topo files does not enter. */
const SKIPPED = new Set(['node_modules']);

function topoFilesUnder(dir: string, shown: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    throw new UsageError(`cannot read the folder ${shown}`);
  }
  for (const name of names) {
    if (name.startsWith('.') || SKIPPED.has(name)) continue;
    const p = join(dir, name);
    const rel = join(shown, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue; // a broken link
    }
    if (st.isDirectory()) topoFilesUnder(p, rel, out);
    else if (name.endsWith('.topo') && st.isFile()) out.push(rel);
  }
}

/**
 * The files a command runs on: each argument that is a folder stands for the .topo files under
 * it (sorted; hidden folders and node_modules are skipped), anything else for itself. A folder
 * with no .topo file is a usage error.
 */
export function expandTopoFiles(io: CliIo, args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    let dir = false;
    try {
      dir = statSync(absolutePath(io, a)).isDirectory();
    } catch {
      dir = false; // reported by the command as an unreadable file
    }
    if (!dir) {
      out.push(a);
      continue;
    }
    const found: string[] = [];
    topoFilesUnder(absolutePath(io, a), a, found);
    if (found.length === 0) throw new UsageError(`no .topo file in the folder ${a}`);
    out.push(...found);
  }
  return [...new Set(out)];
}
