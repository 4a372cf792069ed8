/**
 * Packing by independent parts, each remembered by its content. The language server checks a
 * file on every keystroke; an edit to one container changes the packing of the nodes it can use
 * and nothing else, so the pack is split into components (items that share an eligible node or a
 * colocate relation, with those nodes) and each component's outcome is kept in a small cache keyed
 * on a canonical form of its input (compared in full, not only by hash): node budgets (the NIC too), item demands (network too), eligibility, spread, colocate and
 * rank, with ids replaced by positions so that declarations moving in the file do not miss.
 * The result is the same as packing the component alone; the caller sees a PackOutcome over
 * all nodes and items, as `pack` gives.
 */

import type { PackMode } from '../model/types';
import { initialResidual, networkOf, nicOf, pack, RESIDUAL_STRIDE, type ItemOutcome, type PackItem, type PackNode, type PackOptions, type PackOutcome } from './pack';

interface Stored {
  /** The canonical input, compared in full on a hash hit. */
  readonly input: Float64Array;
  readonly items: readonly { readonly nodes: Int32Array; readonly reason: ItemOutcome['reason']; readonly unplaced: number }[];
  readonly residual: Float64Array;
  readonly usedNodes: number;
}

/** Most remembered components; enough for every target of a large file and a few versions of each. */
const MAX_ENTRIES = 2048;
/** By hash of the canonical input (most recently used last); a bucket holds inputs that collide. */
const cache = new Map<number, Stored[]>();
let entries = 0;

function hashOf(input: Float64Array): number {
  const words = new Uint32Array(input.buffer, input.byteOffset, input.length * 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  return h >>> 0;
}

function same(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function recall(hash: number, input: Float64Array): Stored | undefined {
  const bucket = cache.get(hash);
  const hit = bucket?.find((x) => same(x.input, input));
  if (hit && bucket) { cache.delete(hash); cache.set(hash, bucket); }
  return hit;
}

function remember(hash: number, value: Stored): void {
  while (entries >= MAX_ENTRIES) {
    const [oldest, bucket] = cache.entries().next().value as [number, Stored[]];
    cache.delete(oldest);
    entries -= bucket.length;
  }
  const bucket = cache.get(hash);
  if (bucket) bucket.push(value); else cache.set(hash, [value]);
  entries++;
}

/** For tests and benchmarks: forget everything. */
export function clearPackMemo(): void {
  cache.clear();
  entries = 0;
}

const SPREAD_CODE = { nodes: 1, racks: 2 } as const;
const MODE_CODE: Record<PackMode, number> = { tight: 0, spread: 1 };

/**
 * Packs one self-contained problem through the cache. `nodes` and `items` are the component's
 * own; eligible lists index `nodes`. Colocate peers and fixed loads outside `items` are kept as
 * "some other container" (they host nothing in this pack). The outcome's arrays are shared with
 * the cache: read them, never write to them.
 */
export function packRemembered(nodes: readonly PackNode[], items: readonly PackItem[], options: PackOptions = {}): PackOutcome {
  const position = new Map<number, number>();
  items.forEach((it, i) => position.set(it.container, i));
  const racks = new Map<number, number>();
  for (const nd of nodes) if (!racks.has(nd.rack)) racks.set(nd.rack, racks.size);
  // The canonical input as numbers: counts first, so that the layout is unambiguous. Items of one
  // target share their eligible list: each distinct list is written once and named by its index.
  const lists = new Map<readonly number[], number>();
  for (const it of items) if (!lists.has(it.eligible)) lists.set(it.eligible, lists.size);
  let listNumbers = 0;
  for (const l of lists.keys()) listNumbers += 1 + l.length;
  const input = new Float64Array(5 + nodes.length * 6 + listNumbers + items.length * 10);
  let w = 0;
  input[w++] = options.improveBudget ?? 0; input[w++] = MODE_CODE[options.mode ?? 'tight']; input[w++] = nodes.length; input[w++] = lists.size; input[w++] = items.length;
  for (const nd of nodes) { input[w++] = racks.get(nd.rack)!; input[w++] = nd.cpu; input[w++] = nd.memory; input[w++] = nd.cpuAllowance; input[w++] = nd.memoryAllowance; input[w++] = nicOf(nd); }
  for (const l of lists.keys()) { input[w++] = l.length; for (const x of l) input[w++] = x; }
  for (const it of items) {
    input[w++] = it.replicas; input[w++] = it.cpuRequest; input[w++] = it.memoryRequest; input[w++] = it.cpuLimit; input[w++] = it.memoryLimit; input[w++] = networkOf(it);
    input[w++] = it.spread ? SPREAD_CODE[it.spread] * (it.even ? -1 : 1) : 0; input[w++] = it.colocate === null ? -2 : position.get(it.colocate) ?? -1;
    input[w++] = it.rank; input[w++] = lists.get(it.eligible)!;
  }
  const hash = hashOf(input);

  let stored = recall(hash, input);
  if (!stored) {
    // Pack the canonical form, so that what is stored depends on the key only.
    const canonicalNodes: PackNode[] = nodes.map((nd, i) => ({ ...nd, id: i, rack: racks.get(nd.rack)! }));
    const canonicalItems: PackItem[] = items.map((it, i) => ({ ...it, container: i, colocate: it.colocate === null ? null : position.get(it.colocate) ?? -1 }));
    const out = pack(canonicalNodes, canonicalItems, options);
    stored = { input, items: out.items.map((o) => ({ nodes: o.nodes, reason: o.reason, unplaced: o.unplaced })), residual: out.residual, usedNodes: out.usedNodes };
    remember(hash, stored);
  }
  // The arrays are the cache's own: callers read them and never write to them.
  return {
    items: stored.items.map((o, i) => ({ container: items[i].container, nodes: o.nodes, reason: o.reason, unplaced: o.unplaced })),
    residual: stored.residual,
    usedNodes: stored.usedNodes,
  };
}

/**
 * Packs items onto nodes component by component (see the module comment). Items and nodes that
 * share nothing never interact in `pack`, so each component is packed alone; the outcome lists
 * the items in their given order and the residual of every node.
 */
export function packByComponent(nodes: readonly PackNode[], items: readonly PackItem[], options: PackOptions = {}): PackOutcome & { readonly modes: readonly PackMode[] } {
  const groups = components(nodes, items);
  const outcomes: ItemOutcome[] = new Array(items.length);
  const residual = new Float64Array(nodes.length * RESIDUAL_STRIDE);
  const modes: PackMode[] = new Array(nodes.length).fill('tight');
  let usedNodes = 0;
  for (const g of groups) {
    const local = new Map<number, number>();
    g.nodes.forEach((x, i) => local.set(x, i));
    const partNodes = g.nodes.map((x) => nodes[x]);
    const remapped = new Map<readonly number[], number[]>();
    const partItems = g.items.map((i) => {
      const own = items[i].eligible;
      let eligible = remapped.get(own);
      if (!eligible) { eligible = own.map((x) => local.get(x)!); remapped.set(own, eligible); }
      return { ...items[i], eligible };
    });
    // a component is packed `spread` when all its nodes' racks say so (a node set across racks of both modes packs tight)
    const mode: PackMode = options.mode ?? (partNodes.length > 0 && partNodes.every((nd) => nd.mode === 'spread') ? 'spread' : 'tight');
    for (const x of g.nodes) modes[x] = mode;
    const out = g.items.length === 0
      ? { items: [], residual: initialResidual(partNodes), usedNodes: 0 }
      : packRemembered(partNodes, partItems, { ...options, mode });
    out.items.forEach((o, k) => {
      const nodesBack = new Int32Array(o.nodes.length);
      for (let r = 0; r < o.nodes.length; r++) nodesBack[r] = o.nodes[r] < 0 ? -1 : g.nodes[o.nodes[r]];
      outcomes[g.items[k]] = { container: o.container, nodes: nodesBack, reason: o.reason, unplaced: o.unplaced };
    });
    g.nodes.forEach((x, i) => residual.set(out.residual.subarray(i * RESIDUAL_STRIDE, (i + 1) * RESIDUAL_STRIDE), x * RESIDUAL_STRIDE));
    usedNodes += out.usedNodes;
  }
  return { items: outcomes, residual, usedNodes, modes };
}

/**
 * The independent parts of a packing problem: nodes joined by the eligible lists of items, and
 * items joined by colocate. Each node and each item is in exactly one part.
 */
export function components(nodes: readonly PackNode[], items: readonly PackItem[]): { readonly nodes: number[]; readonly items: number[] }[] {
  // Union-find over nodes; an item joins the component of its eligible nodes and of its colocate peer.
  const parent = new Int32Array(nodes.length + items.length).map((_, i) => i);
  const findRoot = (x: number): number => {
    while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; }
    return x;
  };
  const union = (a: number, b: number): void => { const ra = findRoot(a); const rb = findRoot(b); if (ra !== rb) parent[ra] = rb; };
  const itemIndex = new Map<number, number>();
  items.forEach((it, i) => itemIndex.set(it.container, i));
  const joined = new Set<readonly number[]>(); // a target's list is joined once, not once per item
  items.forEach((it, i) => {
    const self = nodes.length + i;
    if (it.eligible.length) {
      if (!joined.has(it.eligible)) { joined.add(it.eligible); for (const x of it.eligible) union(it.eligible[0], x); }
      union(self, it.eligible[0]);
    }
    if (it.colocate !== null) { const p = itemIndex.get(it.colocate); if (p !== undefined) union(self, nodes.length + p); }
  });
  const groups = new Map<number, { nodes: number[]; items: number[] }>();
  const groupOf = (root: number) => {
    let g = groups.get(root);
    if (!g) { g = { nodes: [], items: [] }; groups.set(root, g); }
    return g;
  };
  for (let x = 0; x < nodes.length; x++) groupOf(findRoot(x)).nodes.push(x);
  items.forEach((_, i) => groupOf(findRoot(nodes.length + i)).items.push(i));
  return [...groups.values()];
}
