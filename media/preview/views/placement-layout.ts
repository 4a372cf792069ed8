// Geometry of the placement graph, in world units: racks flow in rows, each rack a grid of node
// cards (an SDS's nodes together, from a new row, inside its boundary), each node card a grid of
// container chips. Positions depend only on the structure (racks, nodes, SDS membership, which
// containers are on which node) and the panel's aspect: an edit that changes only numbers moves
// nothing. Node heights only grow while the structure stays (LayoutMemo). Pure: no DOM.
import type { World, WNode } from '../world';
import { PART_SHARE } from '../world';

export interface ChipTier {
  readonly cols: number;
  readonly w: number;
  readonly h: number;
  readonly pitchX: number;
  readonly pitchY: number;
}

export interface LChip {
  readonly container: string;
  readonly node: string;
  /** `main`: where most of its memory is, or a packed replica; `part`: a share on another node of an SDS. */
  readonly kind: 'main' | 'part';
  /** Memory share on this node (part), replicas here (packed main). */
  readonly share: number;
  readonly replicas: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface LNode {
  readonly ref: string;
  readonly node: WNode;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly chips: readonly LChip[];
}

export interface LRack {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly nodes: readonly LNode[];
  /** In drawing order: each SDS's nodes, then the others. */
  readonly groups: readonly { readonly sds: string | null; readonly nodes: readonly LNode[] }[];
}

export interface LBoundary {
  readonly sds: string;
  readonly rack: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly first: boolean;
}

export interface LayoutMemo {
  readonly key: string;
  readonly heights: ReadonlyMap<string, number>;
  readonly tier: number;
}

export interface PlacementLayout {
  readonly width: number;
  readonly height: number;
  readonly tier: ChipTier;
  readonly racks: readonly LRack[];
  readonly nodes: readonly LNode[];
  readonly nodeIndex: ReadonlyMap<string, LNode>;
  readonly boundaries: readonly LBoundary[];
  /** Every chip of a container (its main one first). */
  readonly chipsOf: ReadonlyMap<string, readonly LChip[]>;
  readonly chipCount: number;
  readonly memo: LayoutMemo;
}

export const NODE_W = 200;
export const NODE_PAD = 8;
/** Node name and two bars. */
export const NODE_HEADER = 44;
export const RACK_HEADER = 30;
const RACK_PAD = 10;
const NODE_GAP = 10;
export const SDS_TOP = 20;
const SDS_BOTTOM = 8;
const RACK_GAP = 28;

export const TIERS: readonly ChipTier[] = [
  { cols: 2, w: 89, h: 15, pitchX: 92, pitchY: 18 },
  { cols: 3, w: 58, h: 13, pitchX: 61, pitchY: 16 },
  { cols: 4, w: 43, h: 11, pitchX: 46, pitchY: 13 },
  { cols: 8, w: 20, h: 8, pitchX: 23, pitchY: 10 },
];
const TIER_MAX = [24, 48, 96, Infinity];

/** Columns of node cards in a rack of n nodes, `f` times the squarish default. */
export function nodeColumns(n: number, f = 1): number {
  return Math.max(1, Math.min(n, 10, Math.round(Math.sqrt(n / 1.6) * f)));
}

/** Widenings of the racks' grids tried for the panel's aspect. */
const COLUMN_FACTORS = [1, 0.75, 1.5, 0.5, 2, 3];

interface Slot { container: string; kind: 'main' | 'part'; share: number; replicas: number }

function slotsOf(w: World): Map<string, Slot[]> {
  const slots = new Map<string, Slot[]>();
  for (const n of w.nodes) slots.set(n.ref, []);
  for (const c of w.containers) {
    c.presence.forEach((p, i) => {
      const packed = p.replicas > 0;
      if (i === 0 || packed) slots.get(p.node)?.push({ container: c.name, kind: 'main', share: p.memory, replicas: p.replicas });
      else if (Math.max(p.memory, p.vcpus) >= PART_SHARE) slots.get(p.node)?.push({ container: c.name, kind: 'part', share: p.memory, replicas: 0 });
    });
  }
  // Main chips first, each group in declaration order (stable across numbers).
  for (const list of slots.values()) list.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'main' ? -1 : 1));
  return slots;
}

interface RackShape { name: string; cols: number; groups: { sds: string | null; refs: string[] }[] }

function shapes(w: World): RackShape[] {
  const groupRank = new Map<string, number>();
  for (const n of w.nodes) if (n.sds !== null && !groupRank.has(n.sds)) groupRank.set(n.sds, groupRank.size);
  return w.racks.map((r) => {
    const groups = new Map<string | null, string[]>();
    const ordered = [...r.nodes].map((ref, i) => [w.nodeIndex.get(ref)!, i] as const).sort(([a, i], [b, j]) => {
      const ga = a.sds === null ? Infinity : groupRank.get(a.sds)!;
      const gb = b.sds === null ? Infinity : groupRank.get(b.sds)!;
      if (ga !== gb) return ga - gb;
      if ((a.kind === 'node') !== (b.kind === 'node')) return a.kind === 'node' ? -1 : 1;
      return i - j;
    });
    for (const [n] of ordered) (groups.get(n.sds) ?? groups.set(n.sds, []).get(n.sds)!).push(n.ref);
    return { name: r.name, cols: nodeColumns(r.nodes.length), groups: [...groups].map(([sds, refs]) => ({ sds, refs })) };
  });
}

/** `viewport`: the panel's size, for how many racks go in a row (the largest fit). */
export function layoutPlacement(w: World, viewport: { width: number; height: number }, memo: LayoutMemo | null): PlacementLayout {
  const slots = slotsOf(w);
  const maxPerNode = Math.max(1, ...[...slots.values()].map((s) => s.length));
  const keep = memo && memo.key === w.structureKey ? memo : null;
  let tierIx = TIER_MAX.findIndex((m) => maxPerNode <= m);
  if (keep) tierIx = Math.max(tierIx, keep.tier);
  const tier = TIERS[tierIx]!;
  const heights = new Map<string, number>();
  for (const n of w.nodes) {
    const rows = Math.max(1, Math.ceil((slots.get(n.ref)?.length ?? 0) / tier.cols));
    const h = NODE_HEADER + rows * tier.pitchY + NODE_PAD - (tier.pitchY - tier.h);
    heights.set(n.ref, Math.max(h, keep?.heights.get(n.ref) ?? 0));
  }

  // Each rack's grid, at the origin; racks in rows. How wide the grids are and how many racks go
  // in a row: what makes the whole largest in the panel (ties: the squarer grid).
  const aspect = Math.max(0.2, viewport.width / Math.max(1, viewport.height));
  const base = shapes(w);
  let best = { k: -1, perRow: 1, racks: [] as Grid[] };
  for (const f of COLUMN_FACTORS) {
    const racks = base.map((s) => rackGrid({ ...s, cols: nodeColumns(w.racks.find((r) => r.name === s.name)!.nodes.length, f) }, w, heights, slots, tier));
    for (let perRow = 1; perRow <= Math.max(1, racks.length); perRow++) {
      const { width, height } = flow(racks, perRow);
      const k = Math.min(aspect / width, 1 / height);
      if (k > best.k * 1.02) best = { k, perRow, racks };
    }
  }
  const racks = best.racks;
  const { width, height, offsets } = flow(racks, best.perRow);

  const outRacks: LRack[] = [];
  const nodes: LNode[] = [];
  const boundaries: LBoundary[] = [];
  const firstSds = new Set<string>();
  racks.forEach((r, i) => {
    const [dx, dy] = offsets[i]!;
    const move = (n: LNode): LNode => ({ ...n, x: n.x + dx, y: n.y + dy, chips: n.chips.map((c) => ({ ...c, x: c.x + dx, y: c.y + dy })) });
    const groups = r.groups.map((g) => ({ sds: g.sds, nodes: g.nodes.map(move) }));
    const all = groups.flatMap((g) => g.nodes);
    nodes.push(...all);
    outRacks.push({ name: r.name, x: dx, y: dy, w: r.w, h: r.h, nodes: all, groups });
    for (const g of groups) {
      if (g.sds === null || g.nodes.length === 0) continue;
      const x0 = Math.min(...g.nodes.map((n) => n.x)) - 5;
      const y0 = Math.min(...g.nodes.map((n) => n.y)) - SDS_TOP + 3;
      const x1 = Math.max(...g.nodes.map((n) => n.x + n.w)) + 5;
      const y1 = Math.max(...g.nodes.map((n) => n.y + n.h)) + SDS_BOTTOM - 3;
      boundaries.push({ sds: g.sds, rack: r.name, x: x0, y: y0, w: x1 - x0, h: y1 - y0, first: !firstSds.has(g.sds) });
      firstSds.add(g.sds);
    }
  });
  const nodeIndex = new Map(nodes.map((n) => [n.ref, n]));
  const chipsOf = new Map<string, LChip[]>();
  let chipCount = 0;
  for (const n of nodes) for (const c of n.chips) {
    chipCount++;
    const list = chipsOf.get(c.container) ?? chipsOf.set(c.container, []).get(c.container)!;
    if (c.kind === 'main' && list.length && list[0]!.kind === 'part') list.unshift(c);
    else list.push(c);
  }
  return {
    width, height, tier, racks: outRacks, nodes, nodeIndex, boundaries, chipsOf, chipCount,
    memo: { key: w.structureKey, heights, tier: tierIx },
  };
}

interface Grid { name: string; w: number; h: number; groups: { sds: string | null; nodes: LNode[] }[] }

function rackGrid(s: RackShape, w: World, heights: ReadonlyMap<string, number>, slots: ReadonlyMap<string, Slot[]>, tier: ChipTier): Grid {
  const cols = Math.min(s.cols, Math.max(1, ...s.groups.map((g) => g.refs.length)));
  let y = RACK_HEADER;
  const groups: Grid['groups'] = [];
  for (const g of s.groups) {
    if (g.sds !== null) y += SDS_TOP;
    const list: LNode[] = [];
    for (let row = 0; row * cols < g.refs.length; row++) {
      const refs = g.refs.slice(row * cols, row * cols + cols);
      const h = Math.max(...refs.map((r) => heights.get(r)!));
      refs.forEach((ref, col) => {
        const x = RACK_PAD + col * (NODE_W + NODE_GAP);
        const chips = (slots.get(ref) ?? []).map((sl, k): LChip => ({
          container: sl.container, node: ref, kind: sl.kind, share: sl.share, replicas: sl.replicas,
          x: x + NODE_PAD + (k % tier.cols) * tier.pitchX,
          y: y + NODE_HEADER + Math.floor(k / tier.cols) * tier.pitchY,
          w: tier.w, h: tier.h,
        }));
        list.push({ ref, node: w.nodeIndex.get(ref)!, x, y, w: NODE_W, h, chips });
      });
      y += h + NODE_GAP;
    }
    if (g.sds !== null) y += SDS_BOTTOM;
    groups.push({ sds: g.sds, nodes: list });
  }
  const width = 2 * RACK_PAD + cols * NODE_W + (cols - 1) * NODE_GAP;
  return { name: s.name, w: width, h: y - NODE_GAP + RACK_PAD, groups };
}

function flow(racks: readonly Grid[], perRow: number): { width: number; height: number; offsets: [number, number][] } {
  const offsets: [number, number][] = [];
  let y = 0;
  let width = 0;
  for (let i = 0; i < racks.length; i += perRow) {
    const row = racks.slice(i, i + perRow);
    let x = 0;
    let rowH = 0;
    for (const r of row) {
      offsets.push([x, y]);
      x += r.w + RACK_GAP;
      rowH = Math.max(rowH, r.h);
    }
    width = Math.max(width, x - RACK_GAP);
    y += rowH + RACK_GAP;
  }
  return { width: Math.max(1, width), height: Math.max(1, y - RACK_GAP), offsets };
}

/** Quadratic curve control point for an edge, bowed so that edges inside one node stay visible. */
export function edgeControl(x1: number, y1: number, x2: number, y2: number): [number, number] {
  const mx = (x1 + x2) / 2;
  const my = (y1 + y2) / 2;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy) || 1;
  const bow = Math.min(60, len * 0.25);
  return [mx - (dy / len) * bow, my + (dx / len) * bow];
}
