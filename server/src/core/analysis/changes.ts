/**
 * A quick fix's change to the model, made without editing text: the capacity analysis places the
 * changed model again and keeps the fix only when no error is added (a fix never introduces an
 * error). Each function returns a new model and leaves the given one as it was.
 */

import type { Container, Model, Node, Rack, Sds, Target } from '../model/types';

function withContainer(model: Model, id: number, change: (c: Container) => Container): Model {
  return { ...model, containers: model.containers.map((x) => (x.id === id ? change(x) : x)) };
}

/** The container placed on `target` (as if `place on` were written). */
export function withTarget(model: Model, c: Container, target: Target): Model {
  return withContainer(model, c.id, (x) => ({ ...x, target, targetImplicit: false }));
}

/** The container without `spread`. */
export function withoutSpread(model: Model, c: Container): Model {
  return withContainer(model, c.id, (x) => ({ ...x, spread: null, spreadEven: false }));
}

/** The SDS aggregating `ids` (as if `nodes` named them); containers without `place on` take the file's single target again. */
export function withSdsNodes(model: Model, sds: Sds, ids: readonly number[]): Model {
  const mine = new Set(ids);
  return implicitTargets({
    ...model,
    sdses: model.sdses.map((s) => (s.id === sds.id ? { ...s, nodes: [...ids], nodesComplete: true } : s)),
    nodes: model.nodes.map((n): Node => (mine.has(n.id) ? { ...n, sds: sds.id } : n)),
  });
}

/** As the binder resolves them: a container without `place on` runs on the file's only SDS or packing rack, if there is exactly one. */
function implicitTargets(model: Model): Model {
  const candidates: Target[] = [
    ...model.sdses.map((s): Target => ({ kind: 'sds', sds: s.id, at: s.nameAt })),
    ...model.racks.filter((r) => r.nodes.some((id) => model.nodes[id].sds === null && model.nodes[id].role === 'active')).map((r): Target => ({ kind: 'rack', rack: r.id, at: r.nameAt })),
  ];
  const only = candidates.length === 1 ? candidates[0] : null;
  return {
    ...model,
    containers: model.containers.map((c) => (c.at.place || (c.target !== null && !c.targetImplicit) ? c : { ...c, target: only, targetImplicit: only !== null })),
  };
}

/** Nodes that a scenario adds to an SDS (they must stay out of packed targets and other SDSs). */
export function addedByScenarios(model: Model): Set<number> {
  return new Set(model.scenarios.flatMap((sc) => sc.events.flatMap((e) => (e.kind === 'add' ? [e.node] : []))));
}

/** Nodes that containers on a rack or node set may be packed onto. */
export function packedNodes(model: Model): Set<number> {
  const out = new Set<number>();
  for (const c of model.containers) {
    const t = c.target;
    if (!t || t.kind === 'sds') continue;
    for (const id of t.kind === 'rack' ? model.racks[t.rack]?.nodes ?? [] : t.nodes) if (model.nodes[id]?.sds === null) out.add(id);
  }
  return out;
}

/** Nodes of one rack as a person writes them: `r1.*`, `r1.n1..n4`, `r1.n1..n2, r1.n5` (a range only within one `node` declaration). */
export function compactNodeSet(model: Model, rack: Rack, ids: readonly number[]): string {
  if (ids.length === rack.nodes.length && ids.length > 1) return `${rack.name}.*`;
  const pos = new Map(rack.nodes.map((id, i) => [id, i]));
  const sorted = [...ids].sort((a, b) => (pos.get(a) ?? 0) - (pos.get(b) ?? 0));
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    const block = model.nodes[sorted[i]].block;
    while (j + 1 < sorted.length && pos.get(sorted[j + 1]) === (pos.get(sorted[j]) ?? 0) + 1 && model.nodes[sorted[j + 1]].block === block) j++;
    parts.push(j > i ? `${model.nodes[sorted[i]].ref}..${model.nodes[sorted[j]].name}` : model.nodes[sorted[i]].ref);
    i = j + 1;
  }
  return parts.join(', ');
}

/** The container with `n` replicas. */
export function withReplicas(model: Model, c: Container, n: number): Model {
  return withContainer(model, c.id, (x) => ({ ...x, replicas: n }));
}

/** The CPU or memory oversubscription ratio of an SDS (or, with null, of the defaults) set to `value`. */
export function withRatio(model: Model, sds: Sds | null, res: 'cpu' | 'memory', value: number): Model {
  const key = res === 'cpu' ? 'cpuRatio' : 'memoryRatio';
  if (sds) return { ...model, sdses: model.sdses.map((s) => (s.id === sds.id ? { ...s, [key]: value } : s)) };
  // an SDS without its own ratio inherits the defaults' (the binder copied it): it changes too
  const own = (s: Sds): boolean => (res === 'cpu' ? s.at.cpuRatio : s.at.memoryRatio) !== undefined;
  return { ...model, defaults: { ...model.defaults, [key]: value }, sdses: model.sdses.map((s) => (own(s) ? s : { ...s, [key]: value })) };
}
