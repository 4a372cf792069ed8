// Runs the built CLI as a user does: `node bin/topo.js ARGS` in a working directory, with the
// raw bytes of stdout and stderr (the terminal tests look at bytes, not decoded text).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const BIN = resolve(__dirname, '../../bin/topo.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly out: string;
  readonly err: string;
}

export function topo(cwd: string, args: readonly string[], input?: string): CliRun {
  if (!existsSync(resolve(__dirname, '../../dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input, timeout: 60_000 });
  const stdout = r.stdout ?? Buffer.alloc(0);
  const stderr = r.stderr ?? Buffer.alloc(0);
  return { code: r.status, stdout, stderr, out: stdout.toString('utf8'), err: stderr.toString('utf8') };
}
