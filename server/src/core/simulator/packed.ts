import type { Model, ScenarioEvent } from '../model/types';
import type { PlacementResult } from '../result';
import type { Recorder } from './stats';
import { edgesOf, vcpusFor } from './world';
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
  const C = model.containers.length;
  const byName = new Map(model.containers.map((k) => [k.name, k.id]));
  const byRef = new Map(model.nodes.map((n) => [n.ref, n.id]));
  const packed = model.containers.map((k) => !!k.target && k.target.kind !== 'sds');
  /** Per container: node id -> replicas there. */
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
  const failedNodes = new Set<number>();
  const lost = new Map<ScenarioEvent, string>();
  const loadOf = Float64Array.from(model.containers, (k) => k.load);
  // Per-node and per-container totals, kept up to date as replicas move (so that no question
  // below walks every container for every node: that was quadratic on large files).
  const N = model.nodes.length;
  const memoryAt = new Float64Array(N);
  const replicasOf = new Float64Array(C);
  const use = new NodeUse(N);
  for (let c = 0; c < C; c++) {
    for (const [n, k] of where[c]) {
      memoryAt[n] += k * model.containers[c].memoryRequest;
      replicasOf[c] += k;
      use.add(model, c, n, k);
    }
  }
  /** Adds `delta` replicas of `container` on `node` (removes when negative). */
  const move = (container: number, node: number, delta: number): void => {
    const left = (where[container].get(node) ?? 0) + delta;
    if (left > 0) where[container].set(node, left);
    else where[container].delete(node);
    memoryAt[node] += delta * model.containers[container].memoryRequest;
    replicasOf[container] += delta;
    use.add(model, container, node, delta);
    cpuAt = null;
  };
  /** CPU in use per node (limit x load), summed in container order; recomputed after a change. */
  let cpuAt: Float64Array | null = null;
  const cpuOf = (node: number): number => {
    if (!cpuAt) {
      cpuAt = new Float64Array(N);
      for (let c = 0; c < C; c++) for (const [m, k] of where[c]) cpuAt[m] += k * model.containers[c].cpuLimit * loadOf[c];
    }
    return cpuAt[node];
  };
  const count = (container: number): number => replicasOf[container];
  const memUsed = (node: number): number => memoryAt[node];
  const targetText = (container: number): string => {
    const t = model.containers[container].target;
    return t?.kind === 'rack' ? `rack ${model.racks[t.rack].name}` : `node set ${nodeSetName(model, targetNodes[container])}`;
  };
  /** Starts `count` replicas of c by the placement engine's rules; the reason when some cannot start. */
  const start = (container: number, count: number): StartFailure | null => {
    const up = targetNodes[container].filter((n) => !failedNodes.has(n));
    for (let i = 0; i < count; i++) {
      const at = startReplica(model, container, up, where, use);
      if (typeof at !== 'number') return at;
      move(container, at, 1);
    }
    return null;
  };
  const edgeLocality = (from: number, to: number): number => {
    if (!packed[from] || !packed[to]) return 0;
    const na = count(from);
    const nb = count(to);
    if (na === 0 || nb === 0) return 0;
    let s = 0;
    for (const [n, k] of where[from]) s += (k / na) * ((where[to].get(n) ?? 0) / nb);
    return s;
  };
  let cache: number[] | null = null;
  /**
   * Packed replicas do not stall on remote memory (talks traffic is messages); they slow down
   * only when the CPU they use on their node exceeds its cores (time slicing).
   */
  const containerSlowdown = (container: number): number => {
    let weighted = 0;
    let total = 0;
    for (const [n, k] of where[container]) {
      const busy = cpuOf(n);
      weighted += k * Math.max(1, model.nodes[n].cores > 0 ? busy / model.nodes[n].cores : 1);
      total += k;
    }
    return total > 0 ? weighted / total : 1;
  };
  /** Nodes of packed targets, ascending. */
  const targetNodeIds = [...packedNodes].sort((a, b) => a - b);
  const usedNodes = (): readonly number[] => targetNodeIds;
  const locality = (container: number): number => {
    const k = model.containers[container];
    let remote = 0;
    for (const t of k.talks) remote += t.weight * (1 - edgeLocality(container, t.container));
    const n = count(container);
    for (const io of k.io) remote += io.weight * (1 - (n > 0 ? (where[container].get(io.node) ?? 0) / n : 0));
    return Math.max(0, 1 - remote);
  };
  const localities = (): number[] => {
    if (!cache) cache = model.containers.map((_, c) => (packed[c] ? locality(c) : 1));
    return cache;
  };
  return {
    apply(event) {
      cache = null;
      if (event.kind === 'fail') {
        failedNodes.add(event.node);
        const displaced: number[] = [];
        const counts = new Map<number, number>();
        for (let c = 0; c < C; c++) {
          const k = where[c].get(event.node) ?? 0;
          if (!k) continue;
          move(c, event.node, -k);
          displaced.push(c);
          counts.set(c, k);
        }
        // they start again in the placement engine's order (priority, then declaration)
        const short: string[] = [];
        for (const c of placementOrder(model, displaced)) {
          const before = count(c);
          const failure = start(c, counts.get(c)!);
          if (failure) short.push(`${counts.get(c)! - (count(c) - before)} of its ${counts.get(c)} replicas of ${model.containers[c].name} cannot restart (${startFailureText(failure, model, c, targetText(c))})`);
        }
        if (short.length) lost.set(event, short.join('; '));
      } else if (event.kind === 'scale' && packed[event.container]) {
        const c = event.container;
        const failure = event.replicas > count(c) ? start(c, event.replicas - count(c)) : null;
        if (failure) lost.set(event, `${targetText(c)}: ${event.replicas - count(c)} of the new replicas cannot start (${startFailureText(failure, model, c, targetText(c))})`);
        // fewer: replicas stop on the nodes that hold the most of them (the last declared first), which keeps a spread even
        while (count(c) > event.replicas) {
          let from = -1;
          for (const [id, k] of where[c]) if (from < 0 || k > where[c].get(from)! || (k === where[c].get(from)! && id > from)) from = id;
          move(c, from, -1);
        }
      } else if (event.kind === 'load') {
        loadOf[event.container] = event.load;
        cpuAt = null;
      }
    },
    absorbed: (event) => !lost.has(event),
    why: (event) => lost.get(event),
    record(rec, rho, from, to) {
      if (!(to > from)) return;
      const loc = localities();
      const slow = model.containers.map((_, c) => (packed[c] ? containerSlowdown(c) : 1));
      const edges = edgesOf(model);
      for (let b = rec.bucketOf(from); b < rec.buckets; b++) {
        const lo = Math.max(from, b * rec.bucketSeconds);
        const hi = Math.min(to, (b + 1) * rec.bucketSeconds);
        if (hi <= lo) { if (b * rec.bucketSeconds >= to) break; continue; }
        const span = hi - lo;
        for (let c = 0; c < C; c++) {
          if (!packed[c] || count(c) <= 0) continue;
          const vcpus = count(c) * vcpusFor(model.containers[c].cpuLimit, loadOf[c]);
          const compute = (vcpus * span) / slow[c];
          const accesses = compute * rho;
          const i = b * rec.containers + c;
          rec.acc[i] += accesses;
          rec.local[i] += accesses * loc[c];
          rec.compute[i] += compute;
          rec.contended[i] += compute * slow[c];
          // the accesses that are not local are messages to another node: a cache line each, as a remote access on an SDS
          rec.bytes[b] += accesses * (1 - loc[c]) * LINE_BYTES;
        }
        edges.forEach((e, k) => {
          if (!packed[e.from] || !packed[e.to] || count(e.from) <= 0) return;
          const vcpus = count(e.from) * vcpusFor(model.containers[e.from].cpuLimit, loadOf[e.from]);
          const accesses = ((vcpus * span) / slow[e.from]) * rho * e.weight;
          rec.edgeAcc[b * rec.edges + k] += accesses;
          rec.edgeLocal[b * rec.edges + k] += accesses * edgeLocality(e.from, e.to);
        });
        for (const n of usedNodes()) {
          if (failedNodes.has(n)) continue;
          rec.nodeCpu[b * rec.nodes + n] += Math.min(model.nodes[n].cores, cpuOf(n)) * span;
          rec.nodeMem[b * rec.nodes + n] += (memUsed(n) * span) / rec.bucketSeconds;
        }
      }
    },
    container(container) {
      return { locality: localities()[container], slowdown: containerSlowdown(container), nodes: where[container] };
    },
    replicas: count,
    failed: (node) => failedNodes.has(node),
    node(node) {
      return { cpu: cpuOf(node), memory: memUsed(node) };
    },
    edgeLocality,
  };
}
