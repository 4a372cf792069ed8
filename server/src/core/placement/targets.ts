/**
 * Groups containers by target and describes each target: its nodes, its name as a person
 * writes it, and whether its replicas are packed onto nodes or summed on an SDS.
 */

import type { Container, Model, Node, Target } from '../model/types';

export interface TargetGroup {
  readonly key: string;
  readonly kind: 'sds' | 'rack' | 'nodes';
  readonly name: string;
  /** The SDS or rack id, or -1 for a node set. */
  readonly ref: number;
  /** Model node ids: for an SDS its nodes; for packed targets the nodes outside any SDS. */
  readonly nodes: readonly number[];
  /** Nodes of a packed target that belong to an SDS and are therefore not packed onto. */
  readonly sdsNodes: readonly number[];
  /** Container ids, declaration order. */
  readonly containers: number[];
}

export function targetKey(t: Target): string {
  if (t.kind === 'sds') return `sds:${t.sds}`;
  if (t.kind === 'rack') return `rack:${t.rack}`;
  return `nodes:${[...new Set(t.nodes)].sort((a, b) => a - b).join(',')}`;
}

/** Every target that some container is placed on, in order of first use. */
export function groupTargets(model: Model): TargetGroup[] {
  const groups = new Map<string, TargetGroup>();
  for (const c of model.containers) {
    if (!c.target || !validTarget(model, c.target)) continue;
    const key = targetKey(c.target);
    let g = groups.get(key);
    if (!g) {
      g = makeGroup(model, c.target, key);
      groups.set(key, g);
    }
    g.containers.push(c.id);
  }
  return [...groups.values()];
}

/** Defensive: a target whose indexes do not exist in the model is skipped. */
export function validTarget(model: Model, t: Target): boolean {
  if (t.kind === 'sds') return t.sds >= 0 && t.sds < model.sdses.length;
  if (t.kind === 'rack') return t.rack >= 0 && t.rack < model.racks.length;
  return t.nodes.every((id) => id >= 0 && id < model.nodes.length);
}

function makeGroup(model: Model, t: Target, key: string): TargetGroup {
  if (t.kind === 'sds') {
    const s = model.sdses[t.sds];
    return { key, kind: 'sds', name: s.name, ref: s.id, nodes: [...s.nodes], sdsNodes: [], containers: [] };
  }
  const ids = t.kind === 'rack' ? [...model.racks[t.rack].nodes] : [...new Set(t.nodes)].sort((a, b) => a - b);
  const free = ids.filter((id) => model.nodes[id].sds === null);
  const taken = ids.filter((id) => model.nodes[id].sds !== null);
  const name = t.kind === 'rack' ? model.racks[t.rack].name : nodeSetName(model, ids);
  return { key, kind: t.kind, name, ref: t.kind === 'rack' ? t.rack : -1, nodes: free, sdsNodes: taken, containers: [] };
}

/** `r1.n1..n4,r2.*`: a node set written compactly (runs of consecutive nodes of one rack). */
export function nodeSetName(model: Model, ids: readonly number[]): string {
  const byRack = new Map<number, number[]>();
  for (const id of ids) {
    const n = model.nodes[id];
    let l = byRack.get(n.rack);
    if (!l) { l = []; byRack.set(n.rack, l); }
    l.push(id);
  }
  const parts: string[] = [];
  for (const [rackId, list] of byRack) {
    const rack = model.racks[rackId];
    const rackName = rack?.name ?? '?';
    if (rack && list.length === rack.nodes.length && rack.nodes.length > 1) { parts.push(`${rackName}.*`); continue; }
    const pos = (id: number): number => rack ? rack.nodes.indexOf(id) : id;
    const sorted = [...list].sort((a, b) => pos(a) - pos(b));
    let i = 0;
    while (i < sorted.length) {
      let j = i;
      while (j + 1 < sorted.length && pos(sorted[j + 1]) === pos(sorted[j]) + 1) j++;
      const first = model.nodes[sorted[i]];
      parts.push(j > i ? `${first.ref}..${model.nodes[sorted[j]].name}` : first.ref);
      i = j + 1;
    }
  }
  return parts.join(',');
}

export function rankOf(c: Container): number {
  return c.priority === 'high' ? 2 : c.priority === 'normal' ? 1 : 0;
}

/** Capacity of one SDS member: the node less the per-node reserve (never negative). */
export function sdsNodeCapacity(node: Node, reserveCores: number, reserveMemory: number): { cpu: number; memory: number } {
  return { cpu: Math.max(0, node.cores - reserveCores), memory: Math.max(0, node.memory - reserveMemory) };
}

/** Larger first: by the sum of the node's shares of the largest cores and memory, then declaration order. */
export function largestFirst(model: Model, ids: readonly number[]): number[] {
  let maxC = 1e-9, maxM = 1e-9;
  for (const id of ids) { maxC = Math.max(maxC, model.nodes[id].cores); maxM = Math.max(maxM, model.nodes[id].memory); }
  const score = (id: number): number => model.nodes[id].cores / maxC + model.nodes[id].memory / maxM;
  return [...ids].sort((a, b) => score(b) - score(a) || a - b);
}
