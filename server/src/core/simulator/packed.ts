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
  apply(e: ScenarioEvent): void;
  absorbed(e: ScenarioEvent): boolean;
  /** Why an event that was not absorbed could not be (replicas that found no node), or undefined. */
  why(e: ScenarioEvent): string | undefined;
  /**
   * Adds the packed containers' accesses (rho per vCPU per second of computing), locality, time
   * slicing, `talks` traffic and their nodes' use over simulated seconds [from, to) to the
   * recorder's buckets: nothing changes between events.
   */
  record(rec: Recorder, rho: number, from: number, to: number): void;
  container(c: number): { locality: number; slowdown: number; nodes: ReadonlyMap<number, number> };
  replicas(c: number): number;
  failed(n: number): boolean;
  node(n: number): { cpu: number; memory: number };
  edgeLocality(a: number, b: number): number;
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
  /** Adds `delta` replicas of container c on node n (removes when negative). */
  const move = (c: number, n: number, delta: number): void => {
    const left = (where[c].get(n) ?? 0) + delta;
    if (left > 0) where[c].set(n, left);
    else where[c].delete(n);
    memoryAt[n] += delta * model.containers[c].memoryRequest;
    replicasOf[c] += delta;
    use.add(model, c, n, delta);
    cpuAt = null;
  };
  /** CPU in use per node (limit x load), summed in container order; recomputed after a change. */
  let cpuAt: Float64Array | null = null;
  const cpuOf = (n: number): number => {
    if (!cpuAt) {
      cpuAt = new Float64Array(N);
      for (let c = 0; c < C; c++) for (const [m, k] of where[c]) cpuAt[m] += k * model.containers[c].cpuLimit * loadOf[c];
    }
    return cpuAt[n];
  };
  const count = (c: number): number => replicasOf[c];
  const memUsed = (n: number): number => memoryAt[n];
  const targetText = (c: number): string => {
    const t = model.containers[c].target;
    return t?.kind === 'rack' ? `rack ${model.racks[t.rack].name}` : `node set ${nodeSetName(model, targetNodes[c])}`;
  };
  /** Starts `count` replicas of c by the placement engine's rules; the reason when some cannot start. */
  const start = (c: number, count: number): StartFailure | null => {
    const up = targetNodes[c].filter((n) => !failedNodes.has(n));
    for (let i = 0; i < count; i++) {
      const at = startReplica(model, c, up, where, use);
      if (typeof at !== 'number') return at;
      move(c, at, 1);
    }
    return null;
  };
  const edgeLocality = (a: number, b: number): number => {
    if (!packed[a] || !packed[b]) return 0;
    const na = count(a);
    const nb = count(b);
    if (na === 0 || nb === 0) return 0;
    let s = 0;
    for (const [n, k] of where[a]) s += (k / na) * ((where[b].get(n) ?? 0) / nb);
    return s;
  };
  let cache: number[] | null = null;
  /**
   * Packed replicas do not stall on remote memory (talks traffic is messages); they slow down
   * only when the CPU they use on their node exceeds its cores (time slicing).
   */
  const containerSlowdown = (c: number): number => {
    let weighted = 0;
    let total = 0;
    for (const [n, k] of where[c]) {
      const busy = cpuOf(n);
      weighted += k * Math.max(1, model.nodes[n].cores > 0 ? busy / model.nodes[n].cores : 1);
      total += k;
    }
    return total > 0 ? weighted / total : 1;
  };
  /** Nodes of packed targets, ascending. */
  const targetNodeIds = [...packedNodes].sort((a, b) => a - b);
  const usedNodes = (): readonly number[] => targetNodeIds;
  const locality = (c: number): number => {
    const k = model.containers[c];
    let remote = 0;
    for (const t of k.talks) remote += t.weight * (1 - edgeLocality(c, t.container));
    const n = count(c);
    for (const io of k.io) remote += io.weight * (1 - (n > 0 ? (where[c].get(io.node) ?? 0) / n : 0));
    return Math.max(0, 1 - remote);
  };
  const localities = (): number[] => {
    if (!cache) cache = model.containers.map((_, c) => (packed[c] ? locality(c) : 1));
    return cache;
  };
  return {
    apply(e) {
      cache = null;
      if (e.kind === 'fail') {
        failedNodes.add(e.node);
        const displaced: number[] = [];
        const counts = new Map<number, number>();
        for (let c = 0; c < C; c++) {
          const k = where[c].get(e.node) ?? 0;
          if (!k) continue;
          move(c, e.node, -k);
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
        if (short.length) lost.set(e, short.join('; '));
      } else if (e.kind === 'scale' && packed[e.container]) {
        const c = e.container;
        const failure = e.replicas > count(c) ? start(c, e.replicas - count(c)) : null;
        if (failure) lost.set(e, `${targetText(c)}: ${e.replicas - count(c)} of the new replicas cannot start (${startFailureText(failure, model, c, targetText(c))})`);
        // fewer: replicas stop on the nodes that hold the most of them (the last declared first), which keeps a spread even
        while (count(c) > e.replicas) {
          let from = -1;
          for (const [id, k] of where[c]) if (from < 0 || k > where[c].get(from)! || (k === where[c].get(from)! && id > from)) from = id;
          move(c, from, -1);
        }
      } else if (e.kind === 'load') {
        loadOf[e.container] = e.load;
        cpuAt = null;
      }
    },
    absorbed: (e) => !lost.has(e),
    why: (e) => lost.get(e),
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
    container(c) {
      return { locality: localities()[c], slowdown: containerSlowdown(c), nodes: where[c] };
    },
    replicas: count,
    failed: (n) => failedNodes.has(n),
    node(n) {
      return { cpu: cpuOf(n), memory: memUsed(n) };
    },
    edgeLocality,
  };
}
