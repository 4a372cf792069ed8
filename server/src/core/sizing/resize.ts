/**
 * A copy of a model in which one target has a different set of active nodes: some of its own
 * (the rest are left out of the model) and copies of one of its nodes. Node ids are renumbered
 * and every reference to a node (racks, SDSs, node-set targets, `io`, scenario events) follows.
 * Sizing tries candidate counts through the real checker on such copies.
 */

import type { Container, Model, Node, ScenarioEvent, Target } from '../model/types';
import type { TargetGroup } from '../placement/targets';

export interface Candidate {
  /** Active nodes of the target that stay (model ids). */
  readonly keep: readonly number[];
  /** How many copies of `shape` (a model node id) to add. */
  readonly copies: number;
  readonly shape: number;
}

/** The model with `group`'s active nodes replaced by the candidate's. */
export function resizedModel(model: Model, group: TargetGroup, active: readonly number[], c: Candidate): Model {
  const keep = new Set(c.keep);
  const dropped = new Set(active.filter((id) => !keep.has(id)));
  // new id per old id, -1 for a dropped node (typed array: node sets of thousands are mapped per container)
  const newId = new Int32Array(model.nodes.length).fill(-1);
  const nodes: Node[] = [];
  for (const n of model.nodes) {
    if (dropped.has(n.id)) continue;
    newId[n.id] = nodes.length;
    nodes.push(n.id === nodes.length ? n : { ...n, id: nodes.length });
  }
  const shape = model.nodes[c.shape];
  const added: number[] = [];
  const taken = new Set(model.nodes.filter((n) => n.rack === shape.rack).map((n) => n.name));
  for (let k = 1, made = 0; made < c.copies; k++) {
    const name = `${shape.name}+${k}`;
    if (taken.has(name)) continue;
    const rack = model.racks[shape.rack];
    added.push(nodes.length);
    nodes.push({ ...shape, id: nodes.length, name, ref: `${rack?.name ?? '?'}.${name}`, role: 'active' });
    made++;
  }
  const lookup = (id: number): number => (id >= 0 && id < newId.length ? newId[id] : -1);
  const mapped = new Map<readonly number[], number[]>();
  const map = (ids: readonly number[]): number[] => {
    let out = mapped.get(ids);
    if (!out) {
      out = [];
      for (const id of ids) { const m = lookup(id); if (m >= 0) out.push(m); }
      mapped.set(ids, out);
    }
    return out;
  };
  const racks = model.racks.map((r) => (r.id === shape.rack ? { ...r, nodes: [...map(r.nodes), ...added] } : { ...r, nodes: map(r.nodes) }));
  const sdses = model.sdses.map((s) => (group.kind === 'sds' && s.id === group.ref ? { ...s, nodes: [...map(s.nodes), ...added] } : { ...s, nodes: map(s.nodes) }));
  const inGroup = new Set(group.containers);
  const retarget = (c0: Container): Target | null => {
    const t = c0.target;
    if (!t || t.kind !== 'nodes') return t;
    const own = map(t.nodes);
    return { ...t, nodes: inGroup.has(c0.id) && group.kind === 'nodes' && added.length ? [...own, ...added] : own };
  };
  const containers = model.containers.map((c0) => ({
    ...c0,
    target: retarget(c0),
    io: c0.io.flatMap((io) => { const m = lookup(io.node); return m < 0 ? [] : [{ ...io, node: m }]; }),
  }));
  const scenarios = model.scenarios.map((s) => ({
    ...s,
    events: s.events.flatMap((e): ScenarioEvent[] => {
      if (!('node' in e)) return [e];
      const m = lookup(e.node);
      return m < 0 ? [] : [{ ...e, node: m }];
    }),
  }));
  return { ...model, nodes, racks, sdses, containers, scenarios };
}
