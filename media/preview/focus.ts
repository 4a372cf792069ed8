// Focus on a container: its replicas (every node it is on), its `talks` chain (what it talks to,
// transitively, and what talks to it, transitively) and its `io` devices; the views dim the rest.
import type { World } from './world';

export interface Focus {
  readonly container: string;
  /** The container and every container of its chain. */
  readonly chain: ReadonlySet<string>;
  /** `from\u0000to` of the talks edges along the chain. */
  readonly edges: ReadonlySet<string>;
  /** Nodes the focused container is on. */
  readonly nodes: ReadonlySet<string>;
  /** Nodes the chain's other containers are on. */
  readonly chainNodes: ReadonlySet<string>;
  /** The focused container's io devices, by node. */
  readonly devices: ReadonlyMap<string, readonly string[]>;
}

export const edgeKey = (from: string, to: string): string => `${from}\u0000${to}`;

export function focusOn(w: World, name: string): Focus | null {
  const c = w.containerIndex.get(name);
  if (!c) return null;
  const out = new Map<string, string[]>();
  const inc = new Map<string, string[]>();
  for (const x of w.containers) {
    for (const t of x.talks) {
      if (!w.containerIndex.has(t.to)) continue;
      (out.get(x.name) ?? out.set(x.name, []).get(x.name)!).push(t.to);
      (inc.get(t.to) ?? inc.set(t.to, []).get(t.to)!).push(x.name);
    }
  }
  const chain = new Set<string>([name]);
  const edges = new Set<string>();
  const walk = (next: Map<string, string[]>, forward: boolean): void => {
    const stack = [name];
    const seen = new Set([name]);
    while (stack.length) {
      const a = stack.pop()!;
      for (const b of next.get(a) ?? []) {
        edges.add(forward ? edgeKey(a, b) : edgeKey(b, a));
        chain.add(b);
        if (!seen.has(b)) { seen.add(b); stack.push(b); }
      }
    }
  };
  walk(out, true);
  walk(inc, false);
  const nodes = new Set(c.presence.map((p) => p.node));
  const chainNodes = new Set<string>();
  for (const n of chain) if (n !== name) for (const p of w.containerIndex.get(n)?.presence ?? []) chainNodes.add(p.node);
  const devices = new Map<string, string[]>();
  for (const d of c.io) (devices.get(d.node) ?? devices.set(d.node, []).get(d.node)!).push(d.device);
  return { container: name, chain, edges, nodes, chainNodes, devices };
}
