// Plain text queries over a .topo file that the client needs without a server round trip:
// the scenario names (for the quick pick), the container around the cursor (to highlight it in
// the preview) and a declaration's name span (a fallback for revealing when the server has no
// symbols, e.g. while it restarts). They read the core's syntax tree (the lexer and parser the
// server uses, so comments, strings and line ends are read alike); never throws on broken text.
// No vscode import, so it is unit-tested under plain Node.
import type * as ast from '../../server/src/core/syntax/ast';
import { parseFile } from '../../server/src/core/syntax/parser';
import { NAMED_DECLARATIONS, type NamedDeclaration } from '../../server/src/core/syntax/schema';

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

/** A declaration the client reads: a named top-level one (the core's NAMED_DECLARATIONS), or a node of a rack. */
function declared(b: ast.Block, text: string, parent?: string): Block | null {
  const name = b.name;
  if (!name || (name.kind === 'string' && b.blockKind !== 'scenario')) return null;
  const nameEnd = b.rangeEnd ? b.rangeEnd.span.end : name.span.end;
  const written = text.slice(name.span.start, nameEnd);
  return {
    keyword: b.blockKind,
    name: name.kind === 'string' ? name.value : written,
    nameStart: name.span.start,
    nameEnd,
    start: b.keyword.span.start,
    end: b.close ? b.close.end : text.length,
    parent,
  };
}

const TOP: ReadonlySet<ast.BlockKind> = new Set(NAMED_DECLARATIONS);

/** Named blocks: every named top-level declaration (racks, SDSs, tenants, containers, scenarios), and nodes inside racks. */
export function blocks(text: string): Block[] {
  const out: Block[] = [];
  for (const item of parseFile(text, '/client/topo-text.topo').tree.items) {
    if (item.kind !== 'block' || !TOP.has(item.blockKind)) continue;
    const b = declared(item, text);
    if (!b) continue;
    out.push(b);
    if (item.blockKind !== 'rack') continue;
    for (const m of item.members) {
      const n = m.kind === 'block' && m.blockKind === 'node' ? declared(m, text, b.name) : null;
      if (n) out.push(n);
    }
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
 * The name span of a declaration: a named top-level one by name, a node by `RACK.NODE` (or a
 * bare node name, or the SDS or rack of that name). Undefined when it is not declared in this text.
 */
export function findDeclaration(text: string, kind: NamedDeclaration | 'node', name: string): { start: number; end: number } | undefined {
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
