import type { Model } from '../model/types';
import { pack, type PackItem, type PackNode, type UnplacedReason } from '../placement/pack';
import { itemOf, packNodeOf } from '../placement/plan';

/**
 * Replicas that start during a scenario on a packed target (after `scale C to N`, or to replace
 * those of a failed node) are placed by the placement engine's rules, as a scheduler places new
 * pods against the running ones: the replicas already running stay where they are; each new one
 * goes, one at a time, where the pack (server/src/core/placement) puts it given what the nodes
 * already hold (requests against capacity, limits against the per-node allowance, the racks'
 * `pack` mode), among the nodes that its `spread` (counting the replicas already running) and
 * `colocate` allow.
 */

/** What each node holds, as the placement engine counts it: per node, CPU and memory requests and limits. */
export class NodeUse {
  /** Per model node: cpu request, memory request, cpu limit, memory limit. */
  readonly use: Float64Array;

  constructor(nodes: number) {
    this.use = new Float64Array(nodes * 4);
  }

  add(model: Model, container: number, node: number, replicas: number): void {
    const k = model.containers[container];
    const b = node * 4;
    this.use[b] += replicas * k.cpuRequest;
    this.use[b + 1] += replicas * k.memoryRequest;
    this.use[b + 2] += replicas * Math.max(k.cpuLimit, k.cpuRequest);
    this.use[b + 3] += replicas * Math.max(k.memoryLimit, k.memoryRequest);
  }
}

/** Why a replica could not start: the placement engine's reason, or `spread` / `colocate` when those rules leave no node. */
export type StartFailure = UnplacedReason;

/** Above every container's priority: what a node already holds is placed before the new replica. */
const HOLDING_RANK = 1e9;

/**
 * Starts one replica of `container` on one of `nodes` (model node ids of its target that are
 * up, declaration order); `where` is every packed container's replicas per node. Returns the
 * node, or why none can take it.
 */
export function startReplica(model: Model, container: number, nodes: readonly number[], where: readonly ReadonlyMap<number, number>[], use: NodeUse): number | StartFailure {
  const k = model.containers[container];
  if (!nodes.length) return 'no-nodes';
  const packNodes: PackNode[] = nodes.map((id) => packNodeOf(model, id, model.defaults.cpuRatio, model.defaults.memoryRatio));
  const item = itemOf(model, k, [], null);
  let allowed = spreadAllowed(model, container, nodes, packNodes, item, where[container]);
  if (!allowed.length) return 'spread';
  if (k.colocate) {
    const peer = where[k.colocate.container];
    allowed = allowed.filter((i) => (peer?.get(nodes[i]) ?? 0) > 0);
    if (!allowed.length) return 'colocate';
  }
  // what each node holds, as one item pinned to it and placed first; then the new replica
  const items: PackItem[] = [];
  nodes.forEach((id, i) => {
    const b = id * 4;
    const u = use.use;
    if (u[b] <= 0 && u[b + 1] <= 0 && u[b + 2] <= 0 && u[b + 3] <= 0) return;
    items.push({ container: -1 - i, replicas: 1, cpuRequest: u[b], memoryRequest: u[b + 1], cpuLimit: u[b + 2], memoryLimit: u[b + 3], eligible: [i], spread: null, colocate: null, rank: HOLDING_RANK });
  });
  items.push({ ...item, replicas: 1, eligible: allowed, spread: null, even: false, colocate: null });
  const mode = packNodes.every((n) => n.mode === 'spread') ? 'spread' : 'tight';
  const out = pack(packNodes, items, { mode, improveBudget: 0 });
  const mine = out.items[out.items.length - 1];
  return mine.nodes[0] >= 0 ? nodes[mine.nodes[0]] : (mine.reason ?? 'capacity');
}

/**
 * Indexes of `nodes` that the container's `spread` lets its next replica go to, counting the
 * replicas already running: plain, a node (rack) without one; `even`, as Kubernetes' maxSkew 1
 * (and the pack's rule), a domain at the lowest count among the domains that could hold one.
 */
function spreadAllowed(model: Model, container: number, nodes: readonly number[], packNodes: readonly PackNode[], item: PackItem, mine: ReadonlyMap<number, number> | undefined): number[] {
  const k = model.containers[container];
  const all = nodes.map((_, i) => i);
  if (!k.spread) return all;
  const domain = (index: number): number => (k.spread === 'racks' ? model.nodes[nodes[index]].rack : nodes[index]);
  const counts = new Map<number, number>();
  for (const [id, n] of mine ?? []) {
    const d = k.spread === 'racks' ? model.nodes[id].rack : id;
    counts.set(d, (counts.get(d) ?? 0) + n);
  }
  const count = (index: number): number => counts.get(domain(index)) ?? 0;
  if (!k.spreadEven) return all.filter((i) => count(i) === 0);
  const fits = (index: number): boolean => {
    const n = packNodes[index];
    return n.cpu >= item.cpuRequest && n.memory >= item.memoryRequest && n.cpuAllowance >= item.cpuLimit && n.memoryAllowance >= item.memoryLimit;
  };
  const able = all.filter(fits);
  if (!able.length) return [];
  const min = Math.min(...able.map(count));
  return able.filter((i) => count(i) === min);
}

/** Why replicas could not start, for the message on the event. */
export function startFailureText(reason: StartFailure, model: Model, container: number, target: string): string {
  const k = model.containers[container];
  switch (reason) {
    case 'spread': return k.spreadEven
      ? `\`spread ${k.spread} even\` keeps the counts per ${k.spread === 'racks' ? 'rack' : 'node'} within one, and the ${k.spread} at the lowest count are full`
      : `\`spread ${k.spread}\` allows one replica per ${k.spread === 'racks' ? 'rack' : 'node'}, and every ${k.spread === 'racks' ? 'rack' : 'node'} left has one`;
    case 'colocate': return `it must share nodes with ${model.containers[k.colocate?.container ?? container].name}, and those have no room left`;
    case 'allowance': return `the nodes of ${target} have room for its requests but not for its limits, which may add up to a node's cores and memory times \`oversubscribe\``;
    case 'node-size': return `one replica is larger than any node of ${target} left`;
    case 'no-nodes': return `no node of ${target} is left`;
    case 'capacity': return `no node of ${target} left has the CPU and memory requests of one more replica`;
    case 'isolation': return `its tenant's isolation keeps it off the nodes of ${target} left that hold another tenant`;
    case 'network': return `no node of ${target} left has room on its NIC for its \`network\` request`;
  }
}
