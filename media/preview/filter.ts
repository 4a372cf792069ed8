// The search box: a query of words, each matching a field of a container (name, image, the nodes
// it runs on, its target) as a case-insensitive substring, all words together. `field:word` asks
// one field; `"two words"` is one word. A node matches when it holds a matching container, or
// when every word names it. Fields are declared once, here: each is one entry in FIELDS.
import type { World, WContainer, WNode } from './world';

export interface Field {
  readonly id: string;
  /** For the search box's help. */
  readonly help: string;
  values(c: WContainer): readonly string[];
}

export const FIELDS: readonly Field[] = [
  { id: 'container', help: 'container name', values: (c) => [c.name] },
  { id: 'image', help: 'image', values: (c) => (c.image ? [c.image] : []) },
  { id: 'node', help: 'a node it runs on (r1.n3)', values: (c) => c.presence.map((p) => p.node) },
  { id: 'target', help: 'its SDS, rack or node set', values: (c) => (c.target ? [c.target] : []) },
  { id: 'tenant', help: 'its tenant (none: the default tenant)', values: (c) => (c.tenant ? [c.tenant.name] : []) },
];

export interface Term {
  readonly field: Field | null;
  readonly text: string;
}

export interface Query {
  readonly text: string;
  readonly terms: readonly Term[];
  /** `foo:` prefixes that name no field (said under the box). */
  readonly unknown: readonly string[];
}

/** Longest query kept (the box, the state, the link). */
export const MAX_QUERY = 200;

export function parseQuery(text: string): Query {
  const q = text.slice(0, MAX_QUERY);
  const terms: Term[] = [];
  const unknown: string[] = [];
  const re = /(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S+))/g;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    const word = (m[2] ?? m[3] ?? '').toLowerCase();
    const name = m[1]?.toLowerCase();
    const field = name ? FIELDS.find((f) => f.id === name) ?? null : null;
    if (name && !field) {
      unknown.push(name);
      // Not a field: the whole thing is a word (a node ref or an image can hold a colon).
      terms.push({ field: null, text: m[0].replace(/"/g, '').toLowerCase() });
      continue;
    }
    if (word) terms.push({ field, text: word });
  }
  return { text: q, terms, unknown };
}

function termMatches(t: Term, c: WContainer): boolean {
  const fields = t.field ? [t.field] : FIELDS;
  return fields.some((f) => f.values(c).some((v) => v.toLowerCase().includes(t.text)));
}

export function containerMatches(q: Query, c: WContainer): boolean {
  return q.terms.every((t) => termMatches(t, c));
}

function nodeNamed(q: Query, n: WNode): boolean {
  return q.terms.length > 0 && q.terms.every((t) => (t.field === null || t.field.id === 'node') && n.ref.toLowerCase().includes(t.text));
}

export interface Match {
  /** Null: no query (everything shown). */
  readonly containers: ReadonlySet<string> | null;
  readonly nodes: ReadonlySet<string> | null;
}

export const NO_MATCH_FILTER: Match = { containers: null, nodes: null };

export function applyQuery(q: Query, w: World): Match {
  if (q.terms.length === 0) return NO_MATCH_FILTER;
  const containers = new Set(w.containers.filter((c) => containerMatches(q, c)).map((c) => c.name));
  const nodes = new Set<string>();
  for (const n of w.nodes) {
    if (nodeNamed(q, n) || n.containers.some((c) => containers.has(c))) nodes.add(n.ref);
  }
  return { containers, nodes };
}
