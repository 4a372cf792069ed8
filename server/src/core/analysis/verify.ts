/**
 * Quick fixes that change numbers are checked before they are offered: the model is placed
 * again with the new value and the fix is kept only if the container then fits. Large models
 * (where a re-placement per fix would be slow while typing) get the computed value unverified.
 */

import type { Container, Model } from '../model/types';
import { planModel, type Plan } from '../placement/plan';
import { sdsNodeCapacity } from '../placement/targets';
import type { Resource } from './edits';

const VERIFY_MAX_REPLICAS = 2000;
const RATIO_STEPS = 30;

/** Re-placements left for one analysis: quick fixes must not make a check slow. */
export class VerifyBudget {
  constructor(public left = 16) {}
}

function small(model: Model, budget: VerifyBudget): boolean {
  if (budget.left <= 0) return false;
  let n = 0;
  for (const c of model.containers) n += c.replicas;
  return n <= VERIFY_MAX_REPLICAS;
}

function fitsAfter(model: Model, id: number, budget: VerifyBudget): boolean {
  budget.left--;
  const p = planModel(model, { improveBudget: 0 }).containers.get(id);
  return p !== undefined && p.unplaced === 0;
}

/** The largest replica count from `start` down that fits, or 0 when none of a few tries does. */
export function verifiedReplicas(model: Model, c: Container, start: number, budget: VerifyBudget): number {
  if (!small(model, budget)) return start;
  for (let n = start; n >= Math.max(1, start - 4); n--) {
    const m: Model = { ...model, containers: model.containers.map((x) => (x.id === c.id ? { ...x, replicas: n } : x)) };
    if (fitsAfter(m, c.id, budget)) return n;
  }
  return 0;
}

/** The smallest defaults ratio from `start` up (steps of 0.1) with which the container fits, or null. */
export function verifiedRatio(model: Model, c: Container, res: Resource, start: number, budget: VerifyBudget): number | null {
  if (!small(model, budget)) return start;
  for (let i = 0; i < RATIO_STEPS; i++) {
    const v = Math.round((start + i * 0.1) * 10) / 10;
    const defaults = res === 'cpu' ? { ...model.defaults, cpuRatio: v } : { ...model.defaults, memoryRatio: v };
    if (fitsAfter({ ...model, defaults }, c.id, budget)) return v;
    if (budget.left <= 0) return null;
  }
  return null;
}

/** Whether the container fits once placed on `target` (true, unverified, for large models). */
export function verifiedMove(model: Model, c: Container, target: Container['target'], budget: VerifyBudget): boolean {
  if (!small(model, budget)) return true;
  const m: Model = { ...model, containers: model.containers.map((x) => (x.id === c.id ? { ...x, target, targetImplicit: false } : x)) };
  return fitsAfter(m, c.id, budget);
}

/** What an SDS has left: capacity and allowance less what the containers placed there ask for. */
export function sdsRoom(model: Model, plan: Plan, sdsId: number): { cpu: number; memory: number; cpuL: number; memoryL: number; network: number } {
  const sds = model.sdses[sdsId];
  let cpu = 0, memory = 0, nic = 0;
  for (const id of sds.nodes) {
    const n = model.nodes[id];
    if (!n || n.role !== 'active') continue;
    const cap = sdsNodeCapacity(n, sds.reserveCores, sds.reserveMemory);
    cpu += cap.cpu; memory += cap.memory; nic += n.nic;
  }
  const gp = plan.groups.find((g) => g.group.kind === 'sds' && g.group.ref === sdsId);
  const used = gp ? { cpu: gp.requested.cpu, memory: gp.requested.memory, cpuL: gp.limited.cpu, memoryL: gp.limited.memory } : { cpu: 0, memory: 0, cpuL: 0, memoryL: 0 };
  // (the network an SDS's containers request is against its active nodes' NICs together)
  const network = gp ? gp.group.containers.reduce((s, id) => s + model.containers[id].replicas * model.containers[id].network, 0) : 0;
  return { cpu: cpu - used.cpu, memory: memory - used.memory, cpuL: cpu * sds.cpuRatio - used.cpuL, memoryL: memory * sds.memoryRatio - used.memoryL, network: nic - network };
}
