import type { Model, ScenarioEvent } from '../model/types';
import type { EventOf } from '../model/events';
import { eventModule } from './events';
import type { PlacementResult } from '../result';
import type { Recorder } from './stats';
import { flow } from './traffic';
import { edgesOf, vcpusFor, type Edge } from './world';
import { LINE_BYTES } from './costs';
import { placementOrder } from '../placement/plan';
import { nodeSetName } from '../placement/targets';
import { NodeUse, startFailureText, startReplica, type StartFailure } from './repack';

/**
 * Packed targets (racks, node sets): replicas stay where the placement engine put them, so
 * locality is analytic. The `talks` share of a container's accesses is local when the peer
 * replica it talks to is on the same node; replicas talk to peers uniformly, so the local
 * share of an edge is sum over nodes of (share of my replicas there x share of the peer's).
 * `io` to a device is local for replicas on the device's node. Every access that is not local is
 * a message across the network of LINE_BYTES (a cache line, as one remote access on an SDS).
 * Replicas that start during a
 * scenario (a failed node's, or a `scale` up) are placed by the placement engine's rules
 * (repack.ts); when some cannot start, the event is not absorbed.
 */
export interface PackedState {
  apply(event: ScenarioEvent): void;
  absorbed(event: ScenarioEvent): boolean;
  /** Why an event that was not absorbed could not be (replicas that found no node), or undefined. */
  why(event: ScenarioEvent): string | undefined;
  /**
   * Adds the packed containers' accesses (rho per vCPU per second of computing), locality, time
   * slicing, `talks` traffic and their nodes' use over simulated seconds [from, to) to the
   * recorder's buckets: nothing changes between events.
   */
  record(rec: Recorder, rho: number, from: number, to: number): void;
  container(container: number): { locality: number; slowdown: number; nodes: ReadonlyMap<number, number> };
  replicas(container: number): number;
  failed(node: number): boolean;
  node(node: number): { cpu: number; memory: number };
  edgeLocality(from: number, to: number): number;
}

export function packedState(model: Model, placement: PlacementResult): PackedState {
  return new PackedTargets(model, placement);
}

/** What the event modules (events.ts) do to the packed targets. */
export interface PackedEvents {
  /** The node's replicas stop and start again elsewhere, in the placement engine's order (priority, then declaration). */
  fail(event: EventOf<'fail'>): void;
  /** A packed container's replicas start or stop. */
  scale(event: EventOf<'scale'>): void;
  load(container: number, load: number): void;
}

/** Where the placement put the packed containers' replicas: per container, node id -> replicas there, and the active nodes of its target. */
function placedReplicas(model: Model, placement: PlacementResult, packed: readonly boolean[]) {
  const byName = new Map(model.containers.map((k) => [k.name, k.id]));
  const byRef = new Map(model.nodes.map((n) => [n.ref, n.id]));
  const where: Map<number, number>[] = model.containers.map(() => new Map());
  const targetNodes: number[][] = model.containers.map(() => []);
  const packedNodes = new Set<number>();
  for (const t of placement.targets) {
    if (t.kind === 'sds') continue;
    const ids = t.nodes.map((n) => byRef.get(n.ref)).filter((x): x is number => x !== undefined);
    for (const id of ids) if (model.nodes[id].sds === null) packedNodes.add(id);
    // a node in two targets (rack r3 and the set r3.*, r4.*) lists every replica it holds in both: each is counted under its own target only
    const mine = new Set(t.containers);
    for (const n of t.nodes) {
      const id = byRef.get(n.ref);
      if (id === undefined) continue;
      for (const r of n.replicas) {
        const c = byName.get(r.container);
        if (c === undefined || !packed[c] || !mine.has(r.container)) continue;
        where[c].set(id, (where[c].get(id) ?? 0) + 1);
      }
    }
    for (const name of t.containers) {
      const c = byName.get(name);
      if (c !== undefined) targetNodes[c] = ids.filter((id) => model.nodes[id].role === 'active');
    }
  }
  return { where, targetNodes, targetNodeIds: [...packedNodes].sort((a, b) => a - b) };
}

class PackedTargets implements PackedState, PackedEvents {
  private readonly C: number;
  private readonly packed: boolean[];
  /** Per container: node id -> replicas there. */
  private readonly where: Map<number, number>[];
  private readonly targetNodes: number[][];
  /** Nodes of packed targets, ascending. */
  private readonly targetNodeIds: readonly number[];
  private readonly failedNodes = new Set<number>();
  private readonly lost = new Map<ScenarioEvent, string>();
  private readonly loadOf: Float64Array;
  // Per-node and per-container totals, kept up to date as replicas move (so that no question
  // below walks every container for every node: that was quadratic on large files).
  private readonly memoryAt: Float64Array;
  private readonly replicasOf: Float64Array;
  private readonly use: NodeUse;
  /** CPU in use per node (limit x load), summed in container order; recomputed after a change. */
  private cpuAt: Float64Array | null = null;
  private cache: number[] | null = null;

  constructor(private readonly model: Model, placement: PlacementResult) {
    this.C = model.containers.length;
    this.packed = model.containers.map((k) => !!k.target && k.target.kind !== 'sds');
    const placed = placedReplicas(model, placement, this.packed);
    this.where = placed.where;
    this.targetNodes = placed.targetNodes;
    this.targetNodeIds = placed.targetNodeIds;
    this.loadOf = Float64Array.from(model.containers, (k) => k.load);
    const N = model.nodes.length;
    this.memoryAt = new Float64Array(N);
    this.replicasOf = new Float64Array(this.C);
    this.use = new NodeUse(N);
    for (let c = 0; c < this.C; c++) {
      for (const [n, k] of this.where[c]) {
        this.memoryAt[n] += k * model.containers[c].memoryRequest;
        this.replicasOf[c] += k;
        this.use.add(model, c, n, k);
      }
    }
  }

  apply(event: ScenarioEvent): void {
    this.cache = null;
    eventModule(event.kind).pack(this, event);
  }

  load(container: number, load: number): void {
    this.loadOf[container] = load;
    this.cpuAt = null;
  }

  absorbed(event: ScenarioEvent): boolean {
    return !this.lost.has(event);
  }

  why(event: ScenarioEvent): string | undefined {
    return this.lost.get(event);
  }

  record(rec: Recorder, rho: number, from: number, to: number): void {
    if (!(to > from)) return;
    const loc = this.localities();
    const slow = this.model.containers.map((_, c) => (this.packed[c] ? this.containerSlowdown(c) : 1));
    const edges = edgesOf(this.model);
    const flows = this.flows();
    for (let b = rec.bucketOf(from); b < rec.buckets; b++) {
      const lo = Math.max(from, b * rec.bucketSeconds);
      const hi = Math.min(to, (b + 1) * rec.bucketSeconds);
      if (hi <= lo) { if (b * rec.bucketSeconds >= to) break; continue; }
      this.recordSpan(rec, rho, b, hi - lo, loc, slow, edges, flows);
    }
  }

  container(container: number): { locality: number; slowdown: number; nodes: ReadonlyMap<number, number> } {
    return { locality: this.localities()[container], slowdown: this.containerSlowdown(container), nodes: this.where[container] };
  }

  replicas(container: number): number {
    return this.replicasOf[container];
  }

  failed(node: number): boolean {
    return this.failedNodes.has(node);
  }

  node(node: number): { cpu: number; memory: number } {
    return { cpu: this.cpuOf(node), memory: this.memoryAt[node] };
  }

  edgeLocality(from: number, to: number): number {
    if (!this.packed[from] || !this.packed[to]) return 0;
    const na = this.replicasOf[from];
    const nb = this.replicasOf[to];
    if (na === 0 || nb === 0) return 0;
    let s = 0;
    for (const [n, k] of this.where[from]) s += (k / na) * ((this.where[to].get(n) ?? 0) / nb);
    return s;
  }

  /** One bucket's share (`span` seconds) of the packed containers' accesses, talks traffic and node use. */
  private recordSpan(rec: Recorder, rho: number, b: number, span: number, loc: readonly number[], slow: readonly number[], edges: readonly Edge[], flows: readonly number[]): void {
    const { model, packed } = this;
    const perAccess = new Float64Array(this.C);
    for (let c = 0; c < this.C; c++) {
      if (!packed[c] || this.replicasOf[c] <= 0) continue;
      const vcpus = this.replicasOf[c] * vcpusFor(model.containers[c].cpuLimit, this.loadOf[c]);
      const compute = (vcpus * span) / slow[c];
      const accesses = compute * rho;
      const i = b * rec.containers + c;
      rec.acc[i] += accesses;
      rec.local[i] += accesses * loc[c];
      rec.compute[i] += compute;
      rec.contended[i] += compute * slow[c];
      // the accesses that are not local are messages to another node: a cache line each, as a remote access on an SDS
      rec.bytes[b] += accesses * (1 - loc[c]) * LINE_BYTES;
      perAccess[c] = accesses;
    }
    // (packed replicas do not stall on messages: the stall a saturated link would stretch is 0)
    for (let k = 0; k + 3 < flows.length; k += 4) flow(rec, b, flows[k], flows[k + 1], flows[k + 2], perAccess[flows[k]] * flows[k + 3] * LINE_BYTES);
    edges.forEach((e, k) => {
      if (!packed[e.from] || !packed[e.to] || this.replicasOf[e.from] <= 0) return;
      const vcpus = this.replicasOf[e.from] * vcpusFor(model.containers[e.from].cpuLimit, this.loadOf[e.from]);
      const accesses = ((vcpus * span) / slow[e.from]) * rho * e.weight;
      rec.edgeAcc[b * rec.edges + k] += accesses;
      rec.edgeLocal[b * rec.edges + k] += accesses * this.edgeLocality(e.from, e.to);
    });
    for (const n of this.targetNodeIds) {
      if (this.failedNodes.has(n)) continue;
      rec.nodeCpu[b * rec.nodes + n] += Math.min(model.nodes[n].cores, this.cpuOf(n)) * span;
      rec.nodeMem[b * rec.nodes + n] += (this.memoryAt[n] * span) / rec.bucketSeconds;
    }
  }

  fail(event: EventOf<'fail'>): void {
    const { model } = this;
    this.failedNodes.add(event.node);
    const displaced: number[] = [];
    const counts = new Map<number, number>();
    for (let c = 0; c < this.C; c++) {
      const k = this.where[c].get(event.node) ?? 0;
      if (!k) continue;
      this.move(c, event.node, -k);
      displaced.push(c);
      counts.set(c, k);
    }
    const short: string[] = [];
    for (const c of placementOrder(model, displaced)) {
      const before = this.replicasOf[c];
      const failure = this.start(c, counts.get(c)!);
      if (failure) short.push(`${counts.get(c)! - (this.replicasOf[c] - before)} of its ${counts.get(c)} replicas of ${model.containers[c].name} cannot restart (${startFailureText(failure, model, c, this.targetText(c))})`);
    }
    if (short.length) this.lost.set(event, short.join('; '));
  }

  scale(event: EventOf<'scale'>): void {
    const c = event.container;
    if (!this.packed[c]) return;
    const where = this.where[c];
    const failure = event.replicas > this.replicasOf[c] ? this.start(c, event.replicas - this.replicasOf[c]) : null;
    if (failure) this.lost.set(event, `${this.targetText(c)}: ${event.replicas - this.replicasOf[c]} of the new replicas cannot start (${startFailureText(failure, this.model, c, this.targetText(c))})`);
    // fewer: replicas stop on the nodes that hold the most of them (the last declared first), which keeps a spread even
    while (this.replicasOf[c] > event.replicas) {
      let from = -1;
      for (const [id, k] of where) if (from < 0 || k > where.get(from)! || (k === where.get(from)! && id > from)) from = id;
      this.move(c, from, -1);
    }
  }

  /** Adds `delta` replicas of `container` on `node` (removes when negative). */
  private move(container: number, node: number, delta: number): void {
    const left = (this.where[container].get(node) ?? 0) + delta;
    if (left > 0) this.where[container].set(node, left);
    else this.where[container].delete(node);
    this.memoryAt[node] += delta * this.model.containers[container].memoryRequest;
    this.replicasOf[container] += delta;
    this.use.add(this.model, container, node, delta);
    this.cpuAt = null;
  }

  private cpuOf(node: number): number {
    if (!this.cpuAt) {
      const cpuAt = new Float64Array(this.model.nodes.length);
      for (let c = 0; c < this.C; c++) for (const [m, k] of this.where[c]) cpuAt[m] += k * this.model.containers[c].cpuLimit * this.loadOf[c];
      this.cpuAt = cpuAt;
    }
    return this.cpuAt[node];
  }

  private targetText(container: number): string {
    const t = this.model.containers[container].target;
    return t?.kind === 'rack' ? `rack ${this.model.racks[t.rack].name}` : `node set ${nodeSetName(this.model, this.targetNodes[container])}`;
  }

  /** Starts `count` replicas of c by the placement engine's rules; the reason when some cannot start. */
  private start(container: number, count: number): StartFailure | null {
    const up = this.targetNodes[container].filter((n) => !this.failedNodes.has(n));
    for (let i = 0; i < count; i++) {
      const at = startReplica(this.model, container, up, this.where, this.use);
      if (typeof at !== 'number') return at;
      this.move(container, at, 1);
    }
    return null;
  }

  /**
   * Packed replicas do not stall on remote memory (talks traffic is messages); they slow down
   * only when the CPU they use on their node exceeds its cores (time slicing).
   */
  private containerSlowdown(container: number): number {
    let weighted = 0;
    let total = 0;
    for (const [n, k] of this.where[container]) {
      const busy = this.cpuOf(n);
      weighted += k * Math.max(1, this.model.nodes[n].cores > 0 ? busy / this.model.nodes[n].cores : 1);
      total += k;
    }
    return total > 0 ? weighted / total : 1;
  }

  /**
   * Where the packed containers' messages go, four numbers per flow: the container, the sending
   * and the receiving node, and the share of the container's accesses that take that path. A
   * `talks` message goes from a replica's node to its peer's (a packed peer's replicas as
   * placed, an SDS peer's nodes evenly), an `io` access from a replica's node to the device's.
   */
  private flows(): number[] {
    const { model } = this;
    const out: number[] = [];
    for (let c = 0; c < this.C; c++) {
      const na = this.replicasOf[c];
      if (!this.packed[c] || na <= 0) continue;
      for (const t of model.containers[c].talks) {
        const dest = this.destinations(t.container);
        for (const [a, ka] of this.where[c]) for (const [n, q] of dest) if (n !== a) out.push(c, a, n, t.weight * (ka / na) * q);
      }
      for (const io of model.containers[c].io) for (const [a, ka] of this.where[c]) if (a !== io.node) out.push(c, a, io.node, io.weight * (ka / na));
    }
    return out;
  }

  /** Where a peer's replicas are, as shares: placed replicas of a packed peer, the nodes of an SDS peer evenly. */
  private destinations(peer: number): Map<number, number> {
    const out = new Map<number, number>();
    const target = this.model.containers[peer].target;
    if (this.packed[peer]) {
      const n = this.replicasOf[peer];
      for (const [id, k] of this.where[peer]) if (n > 0) out.set(id, k / n);
    } else if (target?.kind === 'sds') {
      const nodes = this.model.sdses[target.sds].nodes.filter((id) => !this.failedNodes.has(id));
      for (const id of nodes) out.set(id, 1 / nodes.length);
    }
    return out;
  }

  private locality(container: number): number {
    const k = this.model.containers[container];
    let remote = 0;
    for (const t of k.talks) remote += t.weight * (1 - this.edgeLocality(container, t.container));
    const n = this.replicasOf[container];
    for (const io of k.io) remote += io.weight * (1 - (n > 0 ? (this.where[container].get(io.node) ?? 0) / n : 0));
    return Math.max(0, 1 - remote);
  }

  private localities(): number[] {
    if (!this.cache) this.cache = this.model.containers.map((_, c) => (this.packed[c] ? this.locality(c) : 1));
    return this.cache;
  }
}
