import { isAbsolute, relative, resolve } from 'node:path';

/** What a CLI command may touch: output streams and the working directory. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly cwd: string;
  /** Present only when stderr is a terminal: writes a progress line as it is (`\r` included; the caller writes no text of the user's). */
  readonly progress?: (text: string) => void;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  progress: process.stderr.isTTY ? (t) => process.stderr.write(t) : undefined,
};

/** Absolute, '/'-separated path of a command-line argument. */
export function absolutePath(io: CliIo, p: string): string {
  return resolve(io.cwd, p);
}

/** A path as a person wants to read it: relative to the working directory when inside it. */
export function displayPath(io: CliIo, p: string): string {
  const rel = relative(io.cwd, p);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
}

/** Thrown for bad usage; main prints the message and exits 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  readonly files: string[];
  readonly flags: Map<string, string | true>;
}

/**
 * Splits `--name value`, `--name=value` and boolean `--flag` options from positional arguments.
 * `valued` lists the options that take a value.
 */
export function parseArgs(args: readonly string[], valued: readonly string[], booleans: readonly string[]): ParsedArgs {
  const files: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { files.push(...args.slice(i + 1)); break; }
    if (!a.startsWith('--')) {
      if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
      files.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (valued.includes(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined || v === '') throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
    } else if (booleans.includes(name) && eq < 0) {
      flags.set(name, true);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { files, flags };
}

export function formatFlag<const T extends string>(flags: Map<string, string | true>, allowed: readonly T[]): T {
  const f = flags.get('format');
  if (f === undefined) return allowed[0];
  const known = allowed.find((a) => a === f);
  if (known === undefined) throw new UsageError(`--format must be one of: ${allowed.join(', ')}`);
  return known;
}
