/**
 * The alternative to an SDS: its containers on plain nodes of the SDS's own shapes, where one
 * replica fits on one node. A copy of the model gets a new rack of plain copies of the SDS's
 * active nodes (same shapes, prices and power; no reserve, the defaults' oversubscription, as a
 * node outside an SDS counts), the SDS's containers that fit on one node are placed on it, and
 * that rack is sized like any other (through the checker: placement, headroom, T4xx). The
 * containers that no such node holds (`forcedBy`), and those that must share a node with one of
 * them, are left out and named.
 */

import type { Container, Model, Node, Rack } from '../model/types';
import { groupTargets, largestFirst, type TargetGroup } from '../placement/targets';
import type { SizeMoney, SizeReason, SizeShape, SizeTarget } from './index';

export interface SdsAlternative extends SizeMoney {
  /** The fewest plain nodes that hold the containers that fit on one (null when no count works: see `problem`). */
  readonly nodes: number | null;
  readonly shapes: readonly SizeShape[];
  /** What decided the count, as for a target. */
  readonly reason: SizeReason | null;
  /** The SDS's containers left out of the count: those one replica of which no plain node of its shapes holds (`forcedBy`), and those that colocate with one of them. */
  readonly unplaceable: readonly string[];
  /** Why the alternative could not be sized. */
  readonly problem?: string;
}

/**
 * The alternative of SDS group `g` (with active nodes `active`), sized by `size` (the sizer of
 * one target). `forced` names the containers of the SDS that force it.
 */
export function sdsAlternative(model: Model, g: TargetGroup, active: readonly number[], forced: readonly string[], size: (m: Model, t: TargetGroup) => SizeTarget): SdsAlternative {
  const skip = leftOut(model, g, forced);
  const unplaceable = g.containers.filter((id) => skip.has(id)).map((id) => model.containers[id].name);
  const moved = g.containers.filter((id) => !skip.has(id));
  if (moved.length === 0) return { nodes: 0, shapes: [], reason: null, unplaceable, ...noMoney(model, active) };
  const alt = plainRack(model, g, active, new Set(moved));
  const group = groupTargets(alt.model).groups.find((x) => x.kind === 'rack' && x.ref === alt.rack);
  if (!group) return { nodes: null, shapes: [], reason: null, unplaceable, problem: 'the plain nodes could not be set up' };
  const t = size(alt.model, group);
  if (!t.needed) return { nodes: null, shapes: [], reason: t.reason, unplaceable, problem: t.problem ?? 'no count works' };
  const { nodes, shapes, ...cost } = t.needed;
  return { nodes, shapes, ...cost, reason: t.reason, unplaceable };
}

/** The SDS's containers left out: the forced ones, and those that must share a node (`colocate`) with one left out. */
function leftOut(model: Model, g: TargetGroup, forced: readonly string[]): Set<number> {
  const names = new Set(forced);
  const out = new Set(g.containers.filter((id) => names.has(model.containers[id].name)));
  for (let grew = true; grew;) {
    grew = false;
    for (const id of g.containers) {
      const peer = model.containers[id].colocate?.container;
      if (!out.has(id) && peer !== undefined && out.has(peer)) { out.add(id); grew = true; }
    }
  }
  return out;
}

/** Nothing to buy: zero, when the SDS's nodes are priced (and energy when they have power and the defaults a price). */
function noMoney(model: Model, active: readonly number[]): SizeMoney {
  const nodes = active.map((id) => model.nodes[id]);
  if (nodes.length === 0 || nodes.some((n) => n.price === null)) return {};
  if (model.defaults.energy === null || nodes.some((n) => n.power === null)) return { purchase: 0, total: 0 };
  return { purchase: 0, energy: 0, total: 0 };
}

/** The model with a new rack of plain copies of the SDS's active nodes (largest first), and the containers `moved` placed on it. */
function plainRack(model: Model, g: TargetGroup, active: readonly number[], moved: ReadonlySet<number>): { model: Model; rack: number } {
  const rackId = model.racks.length;
  const first = model.nodes[active[0]];
  const base = model.racks[first.rack];
  const taken = new Set(model.racks.map((r) => r.name));
  let name = `${g.name}-plain`;
  for (let k = 2; taken.has(name); k++) name = `${g.name}-plain${k}`;
  const nodes: Node[] = largestFirst(model, active).map((id, k) => {
    const n = model.nodes[id];
    return { ...n, id: model.nodes.length + k, name: `p${k + 1}`, ref: `${name}.p${k + 1}`, rack: rackId, sds: null, role: 'active' };
  });
  // a block no diagnostic is in: only the containers' own diagnostics count for the new rack
  const nowhere = { file: '', span: { start: -1, end: -1 }, bodyStart: -1, bodyEnd: -1 };
  const rack: Rack = { ...base, id: rackId, name, nodes: nodes.map((n) => n.id), pack: null, at: {}, block: { ...base.block, ...nowhere } };
  const containers = model.containers.map((c): Container => (moved.has(c.id) && c.target ? { ...c, target: { kind: 'rack', rack: rackId, at: c.target.at } } : c));
  return { model: { ...model, racks: [...model.racks, rack], nodes: [...model.nodes, ...nodes], containers }, rack: rackId };
}
