// Reading a file as committed at HEAD with `git` itself, for "Topo: Compare with HEAD" where the
// built-in git extension is not there (disabled, or another editor's host). No shell: the file's
// folder is the working directory and the path is `./NAME`, so nothing is parsed as an option.
import { execFile } from 'node:child_process';
import { basename, dirname } from 'node:path';

import { headProblem, type HeadText } from './gitHead';

export type { HeadText };

function git(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string; missing?: boolean }> {
  return new Promise((resolve) => {
    execFile('git', [...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { code?: number | string }) | null;
      if (e && e.code === 'ENOENT') return resolve({ code: -1, stdout: '', stderr: '', missing: true });
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The text of `fsPath` at HEAD, labelled `HEAD:path-in-repository`, or why there is none. */
export async function gitShowHead(fsPath: string): Promise<HeadText> {
  const cwd = dirname(fsPath), name = basename(fsPath);
  const top = await git(['rev-parse', '--show-prefix'], cwd);
  if (top.missing) return { ok: false, problem: 'git is not installed (or not on PATH), and the git extension is not available' };
  if (top.code !== 0) return { ok: false, problem: headProblem(name, top.stderr) };
  const shown = await git(['show', `HEAD:./${name}`], cwd);
  if (shown.code !== 0) return { ok: false, problem: headProblem(name, shown.stderr) };
  return { ok: true, text: shown.stdout, label: `HEAD:${top.stdout.trim()}${name}` };
}
