import { analyseBound, bindLoaded, type BoundProgram, type CheckResult, type CheckOptions } from './check';
import type { FileHost } from './host';
import { parseFile, type ParseResult } from './syntax/parser';
import { reparse, type ReparseStats } from './syntax/reparse';

/**
 * Checks programs again and again as their files change (the language server's edits), with the
 * same result as a fresh check: each file's last parse is kept, and a changed file is reparsed
 * from it (only the declarations an edit touches).
 */
export class ProgramChecker {
  private readonly parses = new Map<string, ParseResult>();
  /** How many parses of changed files were incremental. */
  readonly stats: ReparseStats = { incremental: 0, whole: 0 };

  /** The parse of `text` as `file`: the kept one, an incremental reparse of it, or a fresh parse. */
  readonly parse = (text: string, file: string): ParseResult => {
    const hit = this.parses.get(file);
    if (hit && hit.tree.text === text) return hit;
    const result = hit ? reparse(hit, text, file, this.stats) : parseFile(text, file);
    this.parses.set(file, result);
    return result;
  };

  check(root: string, host: FileHost, options: Omit<CheckOptions, 'parse'> = {}): CheckResult {
    return analyseBound(this.bind(root, host, options));
  }

  /** The program loaded and bound only (no placement, no capacity analysis): what completion reads. */
  bind(root: string, host: FileHost, options: Omit<CheckOptions, 'parse'> = {}): BoundProgram {
    return bindLoaded(root, host, { ...options, parse: this.parse });
  }

  /** Forgets a file's parse (closed in the editor: its text is the disk's again). */
  forget(file: string): void {
    this.parses.delete(file);
  }
}
