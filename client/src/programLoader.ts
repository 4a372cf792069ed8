// Checks a .topo program whose imported files can only be read asynchronously (through
// vscode.workspace.fs, so remote and virtual workspaces work). The core's loader reads through a
// synchronous FileHost; this runs the check over the files read so far, collects the paths it
// asked for and did not have, reads those, and checks again until it asks for nothing new.
// No vscode import: unit-tested under plain Node.
import { checkProgram, type CheckResult } from '../../server/src/core/check';
import type { FileHost } from '../../server/src/core/host';
import { MAX_FILES } from '../../server/src/core/model/loader';

/** Reads a file by its core path; undefined when it does not exist or cannot be read. */
export type AsyncRead = (path: string) => Promise<string | undefined>;

export interface AsyncCheck {
  readonly result: CheckResult;
  /** Every path read (or attempted), in the order first asked for. */
  readonly read: readonly string[];
}

/** `checkProgram` of `root` (text `rootText`) with its imports read by `read`. Never throws on user input. */
export async function checkWithAsyncReads(root: string, rootText: string, read: AsyncRead, workspaceRoot?: string): Promise<AsyncCheck> {
  const known = new Map<string, string | undefined>();
  // Each round reads at least one new file; an import chain is at most MAX_FILES deep.
  for (let round = 0; ; round++) {
    const wanted: string[] = [];
    const host: FileHost = {
      workspaceRoot,
      realPath: (p) => p,
      readFile: (p) => {
        if (known.has(p)) return known.get(p);
        if (!wanted.includes(p)) wanted.push(p);
        return undefined;
      },
    };
    const result = checkProgram(root, host, { rootText });
    if (wanted.length === 0 || round > MAX_FILES) return { result, read: [...known.keys()] };
    const texts = await Promise.all(wanted.map(async (p) => {
      try {
        return await read(p);
      } catch {
        return undefined;
      }
    }));
    wanted.forEach((p, i) => known.set(p, texts[i]));
  }
}
