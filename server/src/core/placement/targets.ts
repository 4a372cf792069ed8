/**
 * Groups containers by target and describes each target: its nodes, its name as a person
 * writes it, and whether its replicas are packed onto nodes or summed on an SDS.
 */

import type { Container, Model, Node, Sds, Target } from '../model/types';

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

/** The node ids of a node-set target, sorted and without repeats (a copy only when needed). */
function canonicalNodes(ids: readonly number[]): readonly number[] {
  for (let i = 1; i < ids.length; i++) if (ids[i] <= ids[i - 1]) return [...new Set(ids)].sort((a, b) => a - b);
  return ids;
}

/** A numeric fingerprint of a sorted id list (collisions are resolved by comparing the lists). */
function fingerprint(ids: readonly number[]): string {
  let h1 = 0x811c9dc5, h2 = ids.length;
  for (const id of ids) { h1 = Math.imul(h1 ^ id, 0x01000193) >>> 0; h2 = (h2 * 31 + id) >>> 0; }
  return `${ids.length}:${h1.toString(36)}:${h2.toString(36)}`;
}

export function targetKey(t: Target): string {
  if (t.kind === 'sds') return `sds:${t.sds}`;
  if (t.kind === 'rack') return `rack:${t.rack}`;
  return `nodes:${fingerprint(canonicalNodes(t.nodes))}`;
}

/** Every target that some container is placed on, in order of first use. */
export function groupTargets(model: Model): { groups: TargetGroup[]; keyOf: Map<number, string> } {
  const groups = new Map<string, TargetGroup & { ids: readonly number[] }>();
  const keyOf = new Map<number, string>();
  for (const c of model.containers) {
    if (!c.target || !validTarget(model, c.target)) continue;
    const ids = c.target.kind === 'nodes' ? canonicalNodes(c.target.nodes) : [];
    let key = targetKey(c.target);
    // Equal fingerprints of different node sets get distinct keys.
    for (let k = 1; c.target.kind === 'nodes' && groups.has(key) && !sameIds(groups.get(key)!.ids, ids); k++) key = `${targetKey(c.target)}#${k}`;
    let g = groups.get(key);
    if (!g) {
      g = { ...makeGroup(model, c.target, key), ids };
      groups.set(key, g);
    }
    g.containers.push(c.id);
    keyOf.set(c.id, key);
  }
  return { groups: [...groups.values()].map(({ ids: _ids, ...g }) => g), keyOf };
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Defensive: a target whose indexes do not exist in the model is skipped. */
export function validTarget(model: Model, t: Target): boolean {
  if (t.kind === 'sds') return t.sds >= 0 && t.sds < model.sdses.length;
  if (t.kind === 'rack') return t.rack >= 0 && t.rack < model.racks.length;
  return t.nodes.every((id) => id >= 0 && id < model.nodes.length);
}

/** The nodes a target packs onto: an SDS's nodes; a rack's or a node set's nodes outside any SDS. */
export function packingNodes(model: Model, t: Target): readonly number[] {
  if (t.kind === 'sds') return model.sdses[t.sds].nodes;
  const ids = t.kind === 'rack' ? model.racks[t.rack].nodes : canonicalNodes(t.nodes);
  return ids.filter((id) => model.nodes[id].sds === null);
}

function makeGroup(model: Model, t: Target, key: string): TargetGroup {
  if (t.kind === 'sds') {
    const s = model.sdses[t.sds];
    return { key, kind: 'sds', name: s.name, ref: s.id, nodes: [...s.nodes], sdsNodes: [], containers: [] };
  }
  const ids = t.kind === 'rack' ? [...model.racks[t.rack].nodes] : [...canonicalNodes(t.nodes)];
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
  return parts.join(', ');
}

export function rankOf(c: Container): number {
  return c.priority === 'high' ? 2 : c.priority === 'normal' ? 1 : 0;
}

/** Capacity of one SDS member: the node less the per-node reserve (never negative). */
export function sdsNodeCapacity(node: Node, reserveCores: number, reserveMemory: number): { cpu: number; memory: number } {
  return { cpu: Math.max(0, node.cores - reserveCores), memory: Math.max(0, node.memory - reserveMemory) };
}

/**
 * What an SDS offers its containers, as the placement counts it: its active members (a spare
 * holds nothing until a scenario adds it), each less the per-node reserve. Completion, hover
 * and the placement all use this one formula.
 */
export function sdsCapacity(model: Model, sds: Sds): { cpu: number; memory: number } {
  let cpu = 0, memory = 0;
  for (const id of sds.nodes) {
    const n = model.nodes[id];
    if (!n || n.role !== 'active') continue;
    const c = sdsNodeCapacity(n, sds.reserveCores, sds.reserveMemory);
    cpu += c.cpu;
    memory += c.memory;
  }
  return { cpu, memory };
}

/** Larger first: by the sum of the node's shares of the largest cores and memory, then declaration order. */
export function largestFirst(model: Model, ids: readonly number[]): number[] {
  let maxC = 1e-9, maxM = 1e-9;
  for (const id of ids) { maxC = Math.max(maxC, model.nodes[id].cores); maxM = Math.max(maxM, model.nodes[id].memory); }
  const score = (id: number): number => model.nodes[id].cores / maxC + model.nodes[id].memory / maxM;
  return [...ids].sort((a, b) => score(b) - score(a) || a - b);
}
