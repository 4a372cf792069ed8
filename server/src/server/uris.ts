/**
 * Document URIs <-> the '/'-separated paths the core uses. `file:` URIs map to their file
 * system path; any other scheme (untitled:, inmemory:, vscode-vfs:) to `/<scheme>/<path>`, so
 * imports still resolve relative to the document. The reverse map remembers open documents.
 * Paths under `/<scheme>/` of a scheme seen this way are not on the local disk (`onDisk`).
 */
export class UriMap {
  private readonly toUri = new Map<string, string>();
  private readonly virtual = new Set<string>();

  path(uri: string): string {
    const m = /^([a-zA-Z][\w+.-]*):(.*)$/.exec(uri);
    let path: string;
    if (!m) path = uri.startsWith('/') ? uri : `/${uri}`;
    else if (m[1] === 'file') {
      path = decodeURIComponent(m[2].replace(/^\/\/[^/]*/, ''));
      if (/^\/[a-zA-Z]:/.test(path)) path = path.slice(1).replace(/\\/g, '/');
    } else {
      const rest = decodeURIComponent(m[2].replace(/^\/\//, ''));
      path = `/${m[1]}${rest.startsWith('/') ? '' : '/'}${rest}`;
      this.virtual.add(`/${m[1]}/`);
    }
    if (!this.toUri.has(path)) this.toUri.set(path, uri);
    return path;
  }

  /** The roots (`/untitled/`, `/vscode-vfs/`...) of documents that are not files on this machine. */
  virtualRoots(): string[] {
    return [...this.virtual];
  }

  uri(path: string): string {
    return this.toUri.get(path) ?? `file://${path.split('/').map(encodeURIComponent).join('/')}`;
  }
}
