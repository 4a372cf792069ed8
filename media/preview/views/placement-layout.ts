// Geometry of the placement graph: racks as columns, nodes stacked in them (an SDS's nodes
// kept together so its boundary is one box per rack), container marks in a grid inside the node
// that holds most of their memory. Pure: no DOM.
import type { PlacementResult, SimulationResult } from '../messages';

export interface LNode {
  readonly ref: string;
  readonly rack: string;
  readonly label: string;
  readonly sds: string | null;
  /** 'pool': containers of an SDS target that no node holds yet (placement only, no simulation). */
  readonly kind: 'node' | 'pool';
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly cores: number;
  readonly memory: number;
  /** Cores in use (simulation) or requested (placement). */
  readonly cpuUsed: number;
  readonly memoryUsed: number;
  readonly failed: boolean;
  readonly spare: boolean;
  readonly containers: readonly string[];
}

export interface LContainer {
  readonly name: string;
  readonly node: string;
  readonly x: number;
  readonly y: number;
  readonly r: number;
  readonly locality: number | null;
  readonly slowdown: number | null;
  readonly memory: number | null;
  readonly target: string;
  readonly replicas: number;
  /** [nodeRef, memory share, vCPU share], largest memory share first. */
  readonly shares: readonly (readonly [string, number, number])[];
}

export interface LFragment {
  readonly container: string;
  readonly node: string;
  readonly x: number;
  readonly y: number;
  readonly r: number;
  readonly share: number;
}

export interface LEdge {
  readonly from: string;
  readonly to: string;
  readonly weight: number;
  readonly locality: number;
  readonly width: number;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** `talks` traffic summed between two nodes (containers placed on different nodes). */
export interface LNodeEdge {
  readonly a: string;
  readonly b: string;
  /** Summed weight of the container edges. */
  readonly weight: number;
  /** Weight-averaged locality. */
  readonly locality: number;
  readonly count: number;
  readonly width: number;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

export interface LRack {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface LBoundary {
  readonly sds: string;
  readonly rack: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** The first box of an SDS carries the label. */
  readonly first: boolean;
}

export interface PlacementLayout {
  readonly width: number;
  readonly height: number;
  readonly cell: number;
  readonly racks: readonly LRack[];
  readonly nodes: readonly LNode[];
  readonly containers: readonly LContainer[];
  readonly fragments: readonly LFragment[];
  readonly edges: readonly LEdge[];
  /** The edges aggregated per pair of nodes (drawn instead of `edges` for large results). */
  readonly nodeEdges: readonly LNodeEdge[];
  readonly boundaries: readonly LBoundary[];
  readonly containerIndex: ReadonlyMap<string, LContainer>;
  readonly nodeIndex: ReadonlyMap<string, LNode>;
  /** Whether container locality comes from a simulation. */
  readonly simulated: boolean;
}

export const NODE_W = 200;
const RACK_PAD = 12;
const RACK_HEADER = 22;
const NODE_GAP = 10;
const NODE_HEADER = 48;
/** Space above an SDS's first node in a rack (for its boundary and label) and below its last. */
const SDS_TOP = 18;
const SDS_BOTTOM = 6;
const NODE_PAD = 8;
const RACK_GAP = 28;
const RACKS_PER_ROW = 8;
/** A secondary node gets a fragment mark when it holds at least this share of a container's memory. */
const FRAGMENT_SHARE = 0.1;

interface NodeIn {
  ref: string;
  sds: string | null;
  kind: 'node' | 'pool';
  cores: number;
  memory: number;
  cpuUsed: number;
  memoryUsed: number;
  failed: boolean;
  spare: boolean;
  rack: string;
  label: string;
}

interface ContainerIn {
  name: string;
  target: string;
  replicas: number;
  locality: number | null;
  slowdown: number | null;
  memory: number | null;
  shares: [string, number, number][];
}

function splitRef(ref: string): { rack: string; label: string } {
  const dot = ref.indexOf('.');
  return dot < 0 ? { rack: ref, label: ref } : { rack: ref.slice(0, dot), label: ref.slice(dot + 1) };
}

function collect(placement: PlacementResult, sim: SimulationResult | null): { nodes: NodeIn[]; containers: ContainerIn[] } {
  const nodes: NodeIn[] = [];
  const seen = new Map<string, NodeIn>();
  const spare = new Set<string>();
  const sdsOfNode = new Map<string, string>();
  for (const t of placement.targets) {
    for (const n of t.nodes) {
      if (n.role === 'spare') spare.add(n.ref);
      if (t.kind === 'sds') sdsOfNode.set(n.ref, t.target);
    }
  }
  const add = (n: NodeIn): void => {
    if (seen.has(n.ref)) return;
    seen.set(n.ref, n);
    nodes.push(n);
  };
  if (sim) {
    for (const n of sim.nodes) {
      add({
        ref: n.ref, sds: n.sds, kind: 'node', cores: n.cores, memory: n.memory, cpuUsed: n.cpuUtil * n.cores,
        memoryUsed: n.memoryUsed, failed: n.failed, spare: spare.has(n.ref), ...splitRef(n.ref),
      });
    }
  }
  for (const t of placement.targets) {
    for (const n of t.nodes) {
      add({
        ref: n.ref, sds: sdsOfNode.get(n.ref) ?? null, kind: 'node', cores: n.capacity.cpu, memory: n.capacity.memory,
        cpuUsed: n.requested.cpu, memoryUsed: n.requested.memory, failed: false, spare: n.role === 'spare', ...splitRef(n.ref),
      });
    }
  }

  const containers: ContainerIn[] = [];
  if (sim) {
    for (const c of sim.containers) {
      const refs = new Set([...Object.keys(c.nodes), ...Object.keys(c.vcpus)]);
      const shares: [string, number, number][] = [...refs]
        .filter((r) => seen.has(r))
        .map((r) => [r, c.nodes[r] ?? 0, c.vcpus[r] ?? 0] as [string, number, number])
        .sort((a, b) => b[1] - a[1] || b[2] - a[2] || (a[0] < b[0] ? -1 : 1));
      containers.push({
        name: c.name, target: c.target, replicas: c.replicas, locality: c.locality, slowdown: c.slowdown,
        memory: c.memory ?? null, shares,
      });
    }
  } else {
    for (const t of placement.targets) {
      const perNode = new Map<string, Map<string, number>>();
      for (const n of t.nodes) {
        for (const r of n.replicas) {
          let m = perNode.get(r.container);
          if (!m) perNode.set(r.container, (m = new Map()));
          m.set(n.ref, (m.get(n.ref) ?? 0) + 1);
        }
      }
      for (const name of t.containers) {
        const m = perNode.get(name);
        const total = m ? [...m.values()].reduce((a, b) => a + b, 0) : 0;
        const shares: [string, number, number][] = m
          ? [...m.entries()].map(([r, k]) => [r, k / total, k / total] as [string, number, number]).sort((a, b) => b[1] - a[1])
          : [];
        if (!m && t.kind === 'sds') {
          const poolRef = `${t.target}:pool`;
          if (!seen.has(poolRef)) {
            const first = t.nodes[0];
            add({
              ref: poolRef, sds: t.target, kind: 'pool', cores: 0, memory: 0, cpuUsed: 0, memoryUsed: 0, failed: false,
              spare: false, rack: first ? splitRef(first.ref).rack : t.target, label: 'placed by the simulator',
            });
          }
          shares.push([poolRef, 1, 1]);
        }
        containers.push({ name, target: t.target, replicas: total || 1, locality: null, slowdown: null, memory: null, shares });
      }
    }
  }
  // Containers that no node holds (unplaced, or not started in the simulation) stay visible.
  const homeless = containers.filter((c) => c.shares.length === 0);
  if (homeless.length) {
    add({
      ref: UNPLACED, sds: null, kind: 'pool', cores: 0, memory: 0, cpuUsed: 0, memoryUsed: 0, failed: false, spare: false,
      rack: UNPLACED, label: 'on no node',
    });
    for (const c of homeless) c.shares.push([UNPLACED, 1, 1]);
  }
  return { nodes, containers };
}

/** Ref of the pseudo-node that collects containers no node holds. */
export const UNPLACED = '(unplaced)';

/** Cell size of the container grid, smaller when nodes are crowded. */
function cellFor(maxPerNode: number): number {
  if (maxPerNode > 240) return 6;
  if (maxPerNode > 90) return 9;
  if (maxPerNode > 30) return 12;
  return 16;
}

export function layoutPlacement(placement: PlacementResult, sim: SimulationResult | null): PlacementLayout {
  const { nodes: nodeIn, containers: contIn } = collect(placement, sim);

  // Which marks go on which node: primary (largest memory share) plus fragments.
  const slots = new Map<string, { name: string; fragment: boolean; share: number }[]>();
  for (const n of nodeIn) slots.set(n.ref, []);
  for (const c of contIn) {
    c.shares.forEach(([ref, mem], i) => {
      if (i === 0) slots.get(ref)?.push({ name: c.name, fragment: false, share: mem });
      else if (mem >= FRAGMENT_SHARE) slots.get(ref)?.push({ name: c.name, fragment: true, share: mem });
    });
  }
  const maxPerNode = Math.max(1, ...[...slots.values()].map((s) => s.length));
  const cell = cellFor(maxPerNode);
  const cols = Math.max(1, Math.floor((NODE_W - 2 * NODE_PAD) / cell));

  // Racks in order of first appearance; inside a rack, nodes grouped by SDS (first appearance).
  const rackOrder: string[] = [];
  const byRack = new Map<string, NodeIn[]>();
  for (const n of nodeIn) {
    let list = byRack.get(n.rack);
    if (!list) {
      byRack.set(n.rack, (list = []));
      rackOrder.push(n.rack);
    }
    list.push(n);
  }
  const groupRank = new Map<string, number>();
  for (const n of nodeIn) {
    const key = n.sds ?? '';
    if (!groupRank.has(key)) groupRank.set(key, groupRank.size);
  }
  for (const list of byRack.values()) {
    const order = new Map(list.map((n, i) => [n, i]));
    list.sort((a, b) => {
      const ga = a.sds === null ? Infinity : groupRank.get(a.sds)!;
      const gb = b.sds === null ? Infinity : groupRank.get(b.sds)!;
      if (ga !== gb) return ga - gb;
      if ((a.kind === 'pool') !== (b.kind === 'pool')) return a.kind === 'pool' ? 1 : -1;
      return order.get(a)! - order.get(b)!;
    });
  }

  const memories = contIn.map((c) => c.memory).filter((m): m is number => m !== null && m > 0);
  const maxMem = memories.length ? Math.max(...memories) : 0;
  const radius = (m: number | null): number => {
    const rMax = cell * 0.46;
    const rMin = Math.max(1.5, cell * 0.18);
    if (m === null || maxMem <= 0) return cell * 0.34;
    return rMin + (rMax - rMin) * Math.sqrt(Math.max(0, m) / maxMem);
  };
  const contByName = new Map(contIn.map((c) => [c.name, c]));

  const racks: LRack[] = [];
  const nodes: LNode[] = [];
  const containers: LContainer[] = [];
  const fragments: LFragment[] = [];
  const boundaries: LBoundary[] = [];
  const rackW = NODE_W + 2 * RACK_PAD;
  let rowY = 0;
  let width = 0;
  for (let start = 0; start < rackOrder.length; start += RACKS_PER_ROW) {
    const rowRacks = rackOrder.slice(start, start + RACKS_PER_ROW);
    let rowH = 0;
    rowRacks.forEach((rack, i) => {
      const x0 = i * (rackW + RACK_GAP);
      let y = rowY + RACK_HEADER + RACK_PAD;
      const list = byRack.get(rack)!;
      let prevSds: string | null = null;
      for (const n of list) {
        if (n.sds !== null && n.sds !== prevSds) y += SDS_TOP;
        else if (n.sds === null && prevSds !== null) y += SDS_BOTTOM;
        prevSds = n.sds;
        const s = slots.get(n.ref)!;
        const rows = Math.max(1, Math.ceil(s.length / cols));
        const h = NODE_HEADER + rows * cell + NODE_PAD;
        const nx = x0 + RACK_PAD;
        nodes.push({ ...n, x: nx, y, w: NODE_W, h, containers: s.filter((e) => !e.fragment).map((e) => e.name) });
        s.forEach((e, k) => {
          const cx = nx + NODE_PAD + (k % cols) * cell + cell / 2;
          const cy = y + NODE_HEADER + Math.floor(k / cols) * cell + cell / 2;
          const c = contByName.get(e.name)!;
          if (e.fragment) fragments.push({ container: e.name, node: n.ref, x: cx, y: cy, r: Math.max(1.5, radius(c.memory) * Math.sqrt(e.share)), share: e.share });
          else
            containers.push({
              name: c.name, node: n.ref, x: cx, y: cy, r: radius(c.memory), locality: c.locality, slowdown: c.slowdown,
              memory: c.memory, target: c.target, replicas: c.replicas, shares: c.shares,
            });
        });
        y += h + NODE_GAP;
      }
      const h = y - rowY - NODE_GAP + RACK_PAD + (prevSds !== null ? SDS_BOTTOM : 0);
      racks.push({ name: rack, x: x0, y: rowY, w: rackW, h });
      rowH = Math.max(rowH, h);
      width = Math.max(width, x0 + rackW);
    });
    rowY += rowH + RACK_GAP;
  }

  // SDS boundaries: one box per (SDS, rack) around its (contiguous) nodes.
  const firstSeen = new Set<string>();
  for (const rack of racks) {
    const inRack = nodes.filter((n) => n.rack === rack.name && n.x >= rack.x && n.x < rack.x + rack.w);
    const groups = new Map<string, LNode[]>();
    for (const n of inRack) if (n.sds !== null) (groups.get(n.sds) ?? groups.set(n.sds, []).get(n.sds)!).push(n);
    for (const [sds, list] of groups) {
      const y0 = Math.min(...list.map((n) => n.y));
      const y1 = Math.max(...list.map((n) => n.y + n.h));
      boundaries.push({ sds, rack: rack.name, x: rack.x + 4, y: y0 - SDS_TOP + 2, w: rack.w - 8, h: y1 - y0 + SDS_TOP - 2 + SDS_BOTTOM, first: !firstSeen.has(sds) });
      firstSeen.add(sds);
    }
  }

  const containerIndex = new Map(containers.map((c) => [c.name, c]));
  const nodeIndex = new Map(nodes.map((n) => [n.ref, n]));
  const edges: LEdge[] = [];
  if (sim) {
    const maxW = Math.max(0, ...sim.edges.map((e) => e.weight));
    for (const e of sim.edges) {
      const a = containerIndex.get(e.from);
      const b = containerIndex.get(e.to);
      if (!a || !b || a === b) continue;
      const width = maxW > 0 ? 0.75 + 4.25 * Math.sqrt(e.weight / maxW) : 1;
      edges.push({ from: e.from, to: e.to, weight: e.weight, locality: e.locality, width, x1: a.x, y1: a.y, x2: b.x, y2: b.y });
    }
  }
  const nodeEdges = aggregateEdges(edges, containerIndex, nodeIndex);
  return {
    width, height: Math.max(0, rowY - RACK_GAP), cell, racks, nodes, containers, fragments, edges, nodeEdges, boundaries,
    containerIndex, nodeIndex, simulated: sim !== null,
  };
}

function aggregateEdges(edges: readonly LEdge[], cs: ReadonlyMap<string, LContainer>, ns: ReadonlyMap<string, LNode>): LNodeEdge[] {
  const acc = new Map<string, { a: string; b: string; w: number; lw: number; n: number }>();
  for (const e of edges) {
    const na = cs.get(e.from)!.node;
    const nb = cs.get(e.to)!.node;
    if (na === nb) continue;
    const [a, b] = na < nb ? [na, nb] : [nb, na];
    const key = `${a}\u0000${b}`;
    const x = acc.get(key) ?? { a, b, w: 0, lw: 0, n: 0 };
    x.w += e.weight;
    x.lw += e.weight * e.locality;
    x.n++;
    acc.set(key, x);
  }
  const maxW = Math.max(0, ...[...acc.values()].map((x) => x.w));
  const out: LNodeEdge[] = [];
  for (const x of acc.values()) {
    const A = ns.get(x.a)!;
    const B = ns.get(x.b)!;
    // Attach to the facing sides (right side for nodes in the same column).
    const sameColumn = A.x === B.x;
    const aRight = sameColumn || B.x > A.x;
    const bRight = sameColumn || A.x > B.x;
    out.push({
      a: x.a, b: x.b, weight: x.w, locality: x.w > 0 ? x.lw / x.w : 1, count: x.n,
      width: maxW > 0 ? 0.75 + 7.25 * Math.sqrt(x.w / maxW) : 1,
      x1: aRight ? A.x + A.w : A.x, y1: A.y + A.h / 2, x2: bRight ? B.x + B.w : B.x, y2: B.y + B.h / 2,
    });
  }
  return out.sort((p, q) => p.weight - q.weight);
}

/** Quadratic curve control point for an edge, bowed so that edges inside one node stay visible. */
export function edgeControl(e: { x1: number; y1: number; x2: number; y2: number }): [number, number] {
  const mx = (e.x1 + e.x2) / 2;
  const my = (e.y1 + e.y2) / 2;
  const dx = e.x2 - e.x1;
  const dy = e.y2 - e.y1;
  const len = Math.hypot(dx, dy) || 1;
  const bow = Math.min(60, len * 0.25);
  return [mx - (dy / len) * bow, my + (dx / len) * bow];
}
