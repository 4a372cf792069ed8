/**
 * How the core reaches files. The host (CLI, language server, web worker, tests) provides it;
 * the core never touches a file system itself. Paths are '/'-separated and absolute in the
 * host's own namespace (a file system path, or a URI path in the browser).
 */
export interface FileHost {
  /** The text of a file, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /**
   * The canonical path of a file (symlinks resolved), used to keep imports inside the
   * workspace. Hosts without symlinks return the path unchanged.
   */
  realPath(path: string): string;
  /** The workspace root: imports may not leave it. Undefined means: the importing file's folder tree is the limit. */
  readonly workspaceRoot?: string;
  /**
   * How the host chose the workspace root, in words, for the message of an import that leaves
   * it (the CLI: "the nearest folder above the file with a .git or topo.json"). Optional.
   */
  readonly workspaceNote?: string;
  /**
   * The entries of a folder (for completing an import's path), or undefined when it cannot be
   * listed. Optional: hosts without it offer no paths.
   */
  listDirectory?(dir: string): readonly DirectoryEntry[] | undefined;
}

export interface DirectoryEntry {
  readonly name: string;
  readonly directory: boolean;
}

/** The entries of `dir` among a set of file paths (the folders they are in, and the files). */
export function entriesAmong(paths: Iterable<string>, dir: string): DirectoryEntry[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const out = new Map<string, boolean>();
  for (const p of paths) {
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) out.set(rest, out.get(rest) ?? false);
    else out.set(rest.slice(0, slash), true);
  }
  return [...out].map(([name, directory]) => ({ name, directory }));
}

/** A host over an in-memory map of files, for tests, the browser and unsaved documents. */
export class MemoryHost implements FileHost {
  constructor(
    private readonly files: ReadonlyMap<string, string>,
    readonly workspaceRoot?: string,
  ) {}

  readFile(path: string): string | undefined {
    return this.files.get(path);
  }

  realPath(path: string): string {
    return path;
  }

  listDirectory(dir: string): readonly DirectoryEntry[] {
    return entriesAmong(this.files.keys(), dir);
  }
}

/** Joins and normalises '/'-separated paths without Node's path module. */
export function resolvePath(fromDir: string, relative: string): string {
  const joined = relative.startsWith('/') ? relative : `${fromDir}/${relative}`;
  const out: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** True when `path` is `root` or inside it. */
export function isInside(root: string, path: string): boolean {
  const r = root.endsWith('/') ? root : `${root}/`;
  return path === root || path.startsWith(r);
}
