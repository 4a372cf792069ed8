/**
 * `placeModel`: where every replica of a model goes, as the versioned PlacementResult document.
 * The richer internal plan (reasons, headroom details) is kept for the capacity analysis of the
 * same result object, so checking a file places it once.
 */

import type { Container, Model } from '../model/types';
import { RESULT_VERSION, type NodePlacement, type PlacedReplica, type PlacementResult, type TargetPlacement } from '../result';
import { formatBytes, formatCores, formatGbps } from './format';
import type { UnplacedReason } from './pack';
import { planModel, type GroupPlan, type Plan, type PlanOptions } from './plan';
import { sdsNodeCapacity } from './targets';

export { planModel } from './plan';
export type { Plan, GroupPlan, ContainerPlan, HeadroomPlan, HeadroomShort, ShortCause } from './plan';
export type { UnplacedReason } from './pack';

const plans = new WeakMap<PlacementResult, Plan>();

export function placeModel(model: Model, options: PlanOptions = {}): PlacementResult {
  const plan = planModel(model, options);
  const result = resultOf(plan);
  plans.set(result, plan);
  return result;
}

/** The plan behind a result made by placeModel, or a fresh one for the model. */
export function planOf(model: Model, result: PlacementResult): Plan {
  const p = plans.get(result);
  return p && p.model === model ? p : planModel(model);
}

export function resultOf(plan: Plan): PlacementResult {
  const { model } = plan;
  const targets: TargetPlacement[] = plan.groups.map((gp) => targetResult(plan, gp));
  return { version: RESULT_VERSION, file: model.files[0] ?? '', targets };
}

function targetResult(plan: Plan, gp: GroupPlan): TargetPlacement {
  const { model } = plan;
  const g = gp.group;
  const nodes: NodePlacement[] = g.kind === 'sds' ? sdsNodes(plan, gp) : g.nodes.map((id) => packedNode(plan, id));
  const unplaced: (PlacedReplica & { reason: string })[] = [];
  for (const cid of g.containers) {
    const cp = plan.containers.get(cid);
    if (!cp || cp.unplaced === 0) continue;
    const c = model.containers[cid];
    const reason = reasonText(cp.reason, gp, c, model);
    if (cp.nodes.length) cp.nodes.forEach((id, r) => { if (id < 0) unplaced.push({ container: c.name, replica: r, reason }); });
    else for (let r = cp.placed; r < c.replicas; r++) unplaced.push({ container: c.name, replica: r, reason });
  }
  return {
    target: g.name, kind: g.kind,
    capacity: { ...gp.capacity }, allowance: { ...gp.allowance }, requested: { ...gp.requested }, limited: { ...gp.limited },
    containers: g.containers.map((id) => model.containers[id].name),
    nodes, unplaced,
    headroom: {
      failures: gp.headroom.failures, ok: gp.headroom.ok, lost: gp.headroom.lost.map((id) => model.nodes[id].ref),
      status: gp.headroom.status, standIns: gp.headroom.standIns.map((id) => model.nodes[id].ref),
      short: [...gp.headroom.short].sort((a, b) => a[0] - b[0]).map(([cid, s]) => ({ container: model.containers[cid].name, replicas: s.replicas, cause: s.cause })),
    },
    ...(g.kind === 'sds' ? {} : { pack: gp.pack }),
  };
}

function packedNode(plan: Plan, id: number): NodePlacement {
  const { model } = plan;
  const n = model.nodes[id];
  const d = model.defaults;
  const replicas: PlacedReplica[] = [];
  let rc = 0, rm = 0, lc = 0, lm = 0;
  for (const [cid, r] of plan.onNode.get(id) ?? []) {
    const c = model.containers[cid];
    replicas.push({ container: c.name, replica: r });
    rc += c.cpuRequest; rm += c.memoryRequest; lc += Math.max(c.cpuLimit, c.cpuRequest); lm += Math.max(c.memoryLimit, c.memoryRequest);
  }
  const t = tenantsOnNode(plan, id);
  return {
    ref: n.ref, role: n.role, capacity: { cpu: n.cores, memory: n.memory }, allowance: { cpu: n.cores * (t?.cpuRatio ?? d.cpuRatio), memory: n.memory * (t?.memoryRatio ?? d.memoryRatio) },
    requested: { cpu: rc + (t?.cpu ?? 0), memory: rm + (t?.memory ?? 0) }, limited: { cpu: lc + (t?.cpu ?? 0), memory: lm + (t?.memory ?? 0) }, replicas,
  };
}

/** The VM overhead counted on a packed node and the ratios that hold there, when tenants matter. */
export function tenantsOnNode(plan: Plan, id: number): { cpu: number; memory: number; cpuRatio: number; memoryRatio: number } | null {
  const x = plan.tenants?.local.get(id);
  const p = plan.tenants?.pack;
  if (x === undefined || !p) return null;
  return { cpu: p.overheadCpu[x], memory: p.overheadMemory[x], cpuRatio: p.cpuRatio[x], memoryRatio: p.memoryRatio[x] };
}

/** The VM overhead placement charges on a packed target's nodes (each node once), as request and limit; zero on an SDS, which runs no VMs. */
export function vmOverheadOf(plan: Plan, gp: GroupPlan): { cpu: number; memory: number } {
  let cpu = 0, memory = 0;
  if (gp.group.kind === 'sds') return { cpu, memory };
  for (const id of new Set(gp.group.nodes)) {
    const t = tenantsOnNode(plan, id);
    if (t) { cpu += t.cpu; memory += t.memory; }
  }
  return { cpu, memory };
}

function sdsNodes(plan: Plan, gp: GroupPlan): NodePlacement[] {
  const { model } = plan;
  const sds = model.sdses[gp.group.ref];
  return gp.group.nodes.map((id) => {
    const n = model.nodes[id];
    const cap = sdsNodeCapacity(n, sds.reserveCores, sds.reserveMemory);
    return {
      ref: n.ref, role: n.role, capacity: cap, allowance: { cpu: cap.cpu * sds.cpuRatio, memory: cap.memory * sds.memoryRatio },
      requested: { cpu: 0, memory: 0 }, limited: { cpu: 0, memory: 0 }, replicas: [],
    };
  });
}

export function reasonText(reason: UnplacedReason | null, gp: GroupPlan, c?: Container, model?: Model): string {
  const name = gp.group.name;
  switch (reason) {
    case 'node-size': return `larger than every active node of ${name}`;
    case 'no-nodes': return `${name} has no active node to run on`;
    case 'spread': return `spread: no node or rack of ${name} is left without a replica of it (or, with \`even\`, that keeps the counts within one)`;
    case 'colocate': return 'colocate: no node of the container it must share a node with has room';
    case 'allowance': return `limits exceed the oversubscription allowance left on ${name}`;
    case 'isolation': return `tenant isolation: no node of ${name} that its tenant may use has room (another tenant holds the others)`;
    case 'network': {
      // larger than the NIC of every node that could hold its CPU and memory, or short of room left
      const nics = c && model ? gp.active.map((id) => model.nodes[id]).filter((n) => n.cores + 1e-9 >= c.cpuRequest && n.memory + 1e-9 >= c.memoryRequest).map((n) => n.nic) : [];
      if (c && nics.length && c.network > Math.max(...nics) + 1e-9) return `its \`network\` request (${formatGbps(c.network)}) is more than the \`nic\` of every node of ${name} that could hold it (at most ${formatGbps(Math.max(...nics))})`;
      return `no node of ${name} has room left on its NIC for its \`network\` request${c ? ` (${formatGbps(c.network)})` : ''}`;
    }
    case 'capacity': return `no node of ${name} has room left for its requests (${name} has ${formatCores(gp.capacity.cpu)} cores and ${formatBytes(gp.capacity.memory)}; its containers request ${formatCores(gp.requested.cpu)} cores and ${formatBytes(gp.requested.memory)})`;
    default: return 'not placed';
  }
}

