import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { entriesAmong, type DirectoryEntry, type FileHost } from '../core/host';

/** Largest file the core is given (bigger ones are reported as unreadable, not loaded). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The FileHost over the real file system, for the CLI and the Node language server. */
export class NodeFileHost implements FileHost {
  constructor(
    readonly workspaceRoot?: string,
    /** Texts that win over the disk (open editor buffers). */
    private readonly overlay: ReadonlyMap<string, string> = new Map(),
    /** Path prefixes that are not on this disk (documents of virtual workspaces): only the overlay has them. */
    private readonly virtualRoots: readonly string[] = [],
  ) {}

  private onDisk(path: string): boolean {
    return !this.virtualRoots.some((r) => path.startsWith(r));
  }

  readFile(path: string): string | undefined {
    const open = this.overlay.get(path);
    if (open !== undefined) return open;
    if (!this.onDisk(path)) return undefined;
    try {
      const st = statSync(path);
      if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  realPath(path: string): string {
    if (!this.onDisk(path)) return path;
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  }

  listDirectory(dir: string): readonly DirectoryEntry[] | undefined {
    const open = entriesAmong(this.overlay.keys(), dir);
    if (!this.onDisk(dir)) return open;
    try {
      const disk = readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
      const names = new Set(disk.map((e) => e.name));
      return [...disk, ...open.filter((e) => !names.has(e.name))];
    } catch {
      return open;
    }
  }
}
