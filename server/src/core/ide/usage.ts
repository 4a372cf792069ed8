import type { CheckResult } from '../check';
import type { Container, Model, Sds } from '../model/types';
import type { CpuMemory, TargetPlacement } from '../result';
import { sdsCapacity } from '../placement/targets';

/** Capacity, allowance and the requests and limits placed on one target. */
export interface Usage {
  readonly capacity: CpuMemory;
  readonly allowance: CpuMemory;
  readonly requested: CpuMemory;
  readonly limited: CpuMemory;
  readonly containers: readonly string[];
}

interface PlacementIndex {
  readonly byContainer: Map<string, TargetPlacement>;
  readonly byTarget: Map<string, TargetPlacement>;
}

const cache = new WeakMap<CheckResult, PlacementIndex>();

function placementIndex(check: CheckResult): PlacementIndex {
  let ix = cache.get(check);
  if (!ix) {
    const byContainer = new Map<string, TargetPlacement>();
    const byTarget = new Map<string, TargetPlacement>();
    for (const t of check.placement?.targets ?? []) {
      byTarget.set(`${t.kind}:${t.target}`, t);
      for (const c of t.containers) byContainer.set(c, t);
    }
    ix = { byContainer, byTarget };
    cache.set(check, ix);
  }
  return ix;
}

function fromPlacement(t: TargetPlacement): Usage {
  return { capacity: t.capacity, allowance: t.allowance, requested: t.requested, limited: t.limited, containers: t.containers };
}

function ratios(model: Model, sds: Sds | null): { cpu: number; memory: number } {
  const cpu = sds && Number.isFinite(sds.cpuRatio) ? sds.cpuRatio : model.defaults.cpuRatio;
  const memory = sds && Number.isFinite(sds.memoryRatio) ? sds.memoryRatio : model.defaults.memoryRatio;
  return { cpu, memory };
}

function sum(list: readonly Container[], f: (c: Container) => number): number {
  let t = 0;
  for (const c of list) t += f(c) * c.replicas;
  return t;
}

/** The usage of a target of this capacity, with these ratios, with these containers on it. */
function usageOf(capacity: CpuMemory, r: { cpu: number; memory: number }, on: readonly Container[]): Usage {
  return {
    capacity,
    allowance: { cpu: capacity.cpu * r.cpu, memory: capacity.memory * r.memory },
    requested: { cpu: sum(on, (c) => c.cpuRequest), memory: sum(on, (c) => c.memoryRequest) },
    limited: { cpu: sum(on, (c) => c.cpuLimit), memory: sum(on, (c) => c.memoryLimit) },
    containers: on.map((c) => c.name),
  };
}

/** Cores and memory of the active nodes outside any SDS among `ids` (what a rack or node set packs onto). */
function packingCapacity(model: Model, ids: readonly number[]): CpuMemory {
  let cpu = 0;
  let memory = 0;
  for (const id of ids) {
    const n = model.nodes[id];
    if (!n || n.role !== 'active' || n.sds !== null) continue;
    cpu += n.cores;
    memory += n.memory;
  }
  return { cpu, memory };
}

/** An SDS: its nodes' capacity less the per-node reserve, times its ratios; the containers placed on it. */
export function sdsUsage(check: CheckResult, sdsId: number): Usage {
  const model = check.model;
  const sds = model.sdses[sdsId];
  const placed = placementIndex(check).byTarget.get(`sds:${sds.name}`);
  if (placed) return fromPlacement(placed);
  return usageOf(sdsCapacity(model, sds), ratios(model, sds), model.containers.filter((c) => c.target?.kind === 'sds' && c.target.sds === sdsId));
}

/** A rack: its active nodes outside any SDS; the containers placed on it. */
export function rackUsage(check: CheckResult, rackId: number): Usage {
  const model = check.model;
  const rack = model.racks[rackId];
  const placed = placementIndex(check).byTarget.get(`rack:${rack.name}`);
  if (placed) return fromPlacement(placed);
  return usageOf(packingCapacity(model, rack.nodes), ratios(model, null), model.containers.filter((c) => c.target?.kind === 'rack' && c.target.rack === rackId));
}

/** The target a container runs on, with its usage (placement when present, else computed). */
export function containerTargetUsage(check: CheckResult, c: Container): { name: string; kind: 'sds' | 'rack' | 'nodes'; usage: Usage } | null {
  const placed = placementIndex(check).byContainer.get(c.name);
  if (placed) return { name: placed.target, kind: placed.kind, usage: fromPlacement(placed) };
  const t = c.target;
  if (!t) return null;
  if (t.kind === 'sds' && check.model.sdses[t.sds]) return { name: check.model.sdses[t.sds].name, kind: 'sds', usage: sdsUsage(check, t.sds) };
  if (t.kind === 'rack' && check.model.racks[t.rack]) return { name: check.model.racks[t.rack].name, kind: 'rack', usage: rackUsage(check, t.rack) };
  if (t.kind === 'nodes') {
    const model = check.model;
    const key = [...t.nodes].sort((a, b) => a - b).join(',');
    const on = model.containers.filter((x) => x.target?.kind === 'nodes' && [...x.target.nodes].sort((a, b) => a - b).join(',') === key);
    return {
      name: model.nodes.filter((n) => t.nodes.includes(n.id)).map((n) => n.ref).join(', '),
      kind: 'nodes',
      usage: usageOf(packingCapacity(model, t.nodes), ratios(model, null), on),
    };
  }
  return null;
}
