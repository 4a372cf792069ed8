// Plain text queries over a .topo file that the client needs without a server round trip:
// the scenario names (for the quick pick), the container around the cursor (to highlight it in
// the preview) and a declaration's name span (a fallback for revealing when the server has no
// symbols, e.g. while it restarts). A tiny scanner that skips comments and strings; it never
// throws and tolerates broken text. No vscode import, so it is unit-tested under plain Node.

export interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** `"..."` (text holds the unquoted content), `{`, `}`, or a word. */
  readonly kind: 'word' | 'string' | 'open' | 'close';
  /** Brace depth before this token. */
  readonly depth: number;
}

const WORD = /[A-Za-z0-9_.\-*]/;

export function scan(text: string): Word[] {
  const out: Word[] = [];
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '"') {
      const start = i++;
      while (i < n && text[i] !== '"' && text[i] !== '\n') i++;
      const end = i < n && text[i] === '"' ? i + 1 : i;
      out.push({ text: text.slice(start + 1, i), start, end, kind: 'string', depth });
      i = end === i ? i : end;
    } else if (c === '{') {
      out.push({ text: c, start: i, end: i + 1, kind: 'open', depth });
      depth++;
      i++;
    } else if (c === '}') {
      depth = Math.max(0, depth - 1);
      out.push({ text: c, start: i, end: i + 1, kind: 'close', depth });
      i++;
    } else if (WORD.test(c)) {
      const start = i;
      while (i < n && WORD.test(text[i])) i++;
      out.push({ text: text.slice(start, i), start, end: i, kind: 'word', depth });
    } else {
      i++;
    }
  }
  return out;
}

export interface Block {
  readonly keyword: string;
  readonly name: string;
  /** Span of the name as written (quotes included for a string name). */
  readonly nameStart: number;
  readonly nameEnd: number;
  /** From the keyword to the closing brace (or the end of the text when unclosed). */
  readonly start: number;
  readonly end: number;
  /** For nodes: the enclosing rack's name. */
  readonly parent?: string;
}

const TOP = new Set(['rack', 'sds', 'container', 'scenario']);

/** Named blocks: top-level racks, SDS, containers, scenarios, and nodes inside racks. */
export function blocks(text: string): Block[] {
  const words = scan(text);
  const out: Block[] = [];
  let rack: string | undefined;
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (w.kind === 'close' && w.depth === 0) rack = undefined;
    if (w.kind !== 'word') continue;
    const isTop = w.depth === 0 && TOP.has(w.text);
    const isNode = w.depth === 1 && rack !== undefined && w.text === 'node';
    if (!isTop && !isNode) continue;
    const name = words[k + 1];
    if (!name || (name.kind !== 'word' && name.kind !== 'string')) continue;
    if (name.kind === 'string' && w.text !== 'scenario') continue;
    let end = text.length;
    let j = k + 2;
    if (words[j]?.kind === 'open') {
      const d = words[j].depth;
      for (j = j + 1; j < words.length; j++) {
        if (words[j].kind === 'close' && words[j].depth === d) { end = words[j].end; break; }
      }
    }
    out.push({ keyword: w.text, name: name.text, nameStart: name.start, nameEnd: name.end, start: w.start, end, parent: isNode ? rack : undefined });
    if (w.text === 'rack') rack = name.text;
  }
  return out;
}

/** Scenario names in declaration order, without duplicates. */
export function scenarioNames(text: string): string[] {
  return [...new Set(blocks(text).filter((b) => b.keyword === 'scenario').map((b) => b.name))];
}

/** The container whose block contains `offset` (an editor cursor), or '' when none. */
export function containerAt(text: string, offset: number): string {
  const b = blocks(text).find((x) => x.keyword === 'container' && offset >= x.start && offset <= x.end);
  return b?.name ?? '';
}

/** Whether a node declaration `node a..b` (or a single `node a`) declares `name`. */
export function nodeDeclares(decl: string, name: string): boolean {
  const [lo, hi] = decl.split('..');
  if (hi === undefined) return decl === name;
  const m = /^(.*?)(\d+)$/.exec(lo);
  const n = /^(.*?)(\d+)$/.exec(name);
  const h = /^(?:.*?)(\d+)$/.exec(hi.includes('.') ? hi.slice(hi.lastIndexOf('.') + 1) : hi);
  if (!m || !n || !h || m[1] !== n[1]) return false;
  const v = Number(n[2]);
  return v >= Number(m[2]) && v <= Number(h[1]) && (m[2].length === n[2].length || !m[2].startsWith('0'));
}

/**
 * The name span of a declaration: a container or scenario by name, a node by `RACK.NODE` (or a
 * bare node name), an SDS or rack by name. Undefined when it is not declared in this text.
 */
export function findDeclaration(text: string, kind: 'container' | 'node' | 'sds' | 'rack' | 'scenario', name: string): { start: number; end: number } | undefined {
  const all = blocks(text);
  let hit: Block | undefined;
  if (kind === 'node') {
    const dot = name.lastIndexOf('.');
    const rack = dot >= 0 ? name.slice(0, dot) : undefined;
    const node = dot >= 0 ? name.slice(dot + 1) : name;
    hit = all.find((b) => b.keyword === 'node' && (rack === undefined || b.parent === rack) && nodeDeclares(b.name, node))
      ?? all.find((b) => (b.keyword === 'sds' || b.keyword === 'rack') && b.name === name);
  } else {
    hit = all.find((b) => b.keyword === kind && b.name === name);
  }
  return hit ? { start: hit.nameStart, end: hit.nameEnd } : undefined;
}
