/**
 * Sizing (`topo size`): for every target some container is placed on (rack, node set, SDS), the
 * fewest active nodes of the shapes it declares such that the checker reports no T4xx error for
 * it, its headroom holds and, for an SDS, every container's predicted locality meets the
 * threshold. The checker itself is the oracle: candidate counts are tried on copies of the model
 * (resize.ts) through the real placement and capacity analysis, up from the sums' lower bound by
 * growing steps, then by binary search. For an SDS, the alternative of plain nodes of its shapes
 * is sized the same way (alternative.ts).
 * Candidates keep the target's nodes largest first and, beyond what it has, add copies of its
 * largest node; a target with several node shapes is also searched with each shape first, and
 * the fewest nodes win.
 */

import type { Model } from '../model/types';
import { analyzeCapacity } from '../analysis/capacity';
import { placeModel, planOf, type GroupPlan } from '../placement/index';
import { groupTargets, largestFirst, type TargetGroup } from '../placement/targets';
import { formatBytes } from '../placement/format';
import { simulate, type SimulateOptions } from '../simulator/index';
import { resizedModel, type Candidate } from './resize';
import { sdsAlternative, type SdsAlternative } from './alternative';
import type { Diagnostic } from '../diagnostics';
import type { PlacementResult } from '../result';

/** What decided the count. */
export type SizeReason = 'cpu' | 'memory' | 'network' | 'headroom' | 'spread' | 'locality';

export interface SizeShape {
  readonly cores: number;
  readonly memory: number;
  /** How many nodes of this shape. */
  readonly nodes: number;
}

/**
 * What nodes cost (present when every node counted has a `price`): to buy, the energy they draw
 * over `lifetime` at the defaults' `energy` price (present when that and every node's `power`
 * are given), and the two together.
 */
export interface SizeMoney {
  readonly purchase?: number;
  readonly energy?: number;
  readonly total?: number;
}

export interface SizeTarget {
  readonly name: string;
  readonly kind: 'rack' | 'nodes' | 'sds';
  readonly now: { readonly nodes: number } & SizeMoney;
  /** Null when no count up to the search's limit works (then `problem` says why). */
  readonly needed: ({ readonly nodes: number; readonly shapes: readonly SizeShape[] } & SizeMoney) | null;
  /** Spare nodes (`role spare`): kept as they are and not counted in `now` or `needed`. */
  readonly spares: number;
  readonly reason: SizeReason | null;
  /** SDS only: simulator runs used to check locality. */
  readonly simulations?: number;
  /** SDS only: whether the locality threshold is met at the needed count (absent when not simulated: `--runs 0`). */
  readonly localityMet?: boolean;
  /** Why no count works, or what the sizing could not decide. */
  readonly problem?: string;
  /**
   * SDS only: the containers one replica of which no node of the SDS's shapes holds alone (what
   * an SDS exists for), each with what it asks and the largest node's; empty when every
   * container would fit on a plain node of those shapes (the SDS is then a choice, not a need).
   */
  readonly forcedBy?: readonly SdsForcing[];
  /**
   * SDS only: the alternative of plain nodes of the SDS's shapes (no SDS): the fewest that hold
   * its containers one replica of which fits on one node, sized like a rack, with what they cost;
   * `unplaceable` names the rest (those of `forcedBy`).
   */
  readonly alternative?: SdsAlternative;
}

export type { SdsAlternative } from './alternative';

export interface SdsForcing {
  readonly container: string;
  /** What one replica asks beyond the largest node: its requests against capacity, then limits against the allowance. */
  readonly exceeds: readonly {
    readonly resource: 'cpu' | 'memory';
    readonly of: 'request' | 'limit';
    /** The container's figure and the largest node's (cores or bytes; capacity, or allowance for a limit). */
    readonly asks: number;
    readonly largest: number;
  }[];
}

export interface SizeOptions {
  /** Most simulator runs per SDS (default 8; 0: locality is not checked). */
  readonly maxSimulations?: number;
  /** Passed to every simulator run (seed, duration...). */
  readonly simulate?: SimulateOptions;
}

/** The most nodes a target is sized up to. */
const MAX_NODES = 20000;

export function sizeModel(model: Model, options: SizeOptions = {}): SizeTarget[] {
  return groupTargets(model).groups.map((g) => inContractOrder(sizeGroup(model, g, options)));
}

/** The fields in the order of the documented contract: name, kind, now, needed, spares, reason, then the rest. */
function inContractOrder(t: SizeTarget): SizeTarget {
  const { name, kind, now, needed, spares, reason, ...rest } = t;
  return { name, kind, now, needed, spares, reason, ...rest };
}

interface Verdict {
  readonly ok: boolean;
  /** Why it fails (when not ok). */
  readonly reason: SizeReason;
  readonly first?: string;
  readonly model: Model;
  /** The target's active nodes by shape, and the resource it is fuller of. */
  readonly shapes: readonly SizeShape[];
  readonly fuller: SizeReason;
}

function activeOf(model: Model, g: TargetGroup): number[] {
  return g.nodes.filter((id) => model.nodes[id].role === 'active');
}

function sizeGroup(model: Model, g: TargetGroup, options: SizeOptions): SizeTarget {
  const active = activeOf(model, g);
  const spares = g.nodes.length - active.length;
  const base = { name: g.name, kind: g.kind, now: { nodes: active.length, ...money(model, active) }, spares };
  if (active.length === 0) return { ...base, needed: null, reason: null, problem: `${g.name} has no active node whose shape could be copied` };
  // one search per ordering of its shapes; the fewest nodes wins (the first ordering, largest first, on a tie)
  // with prices, the cheapest total (the fewest nodes on a tie); without, the fewest nodes
  let best: Search | null = null;
  const cost = (s: Search): number => (s.needed === null ? Infinity : money(model, s.nodesAt(s.needed)).total ?? s.needed);
  for (const order of orderings(model, active)) {
    const s = searchCount(model, g, active, order);
    if (!best || (s.needed !== null && (best.needed === null || cost(s) < cost(best) || (cost(s) === cost(best) && s.needed < best.needed)))) best = s;
  }
  const found = best!;
  if (found.needed === null) {
    const v = found.failure!;
    return { ...base, needed: null, reason: v.reason, problem: `no count up to ${MAX_NODES} nodes works: ${v.first ?? 'the target does not fit'}` };
  }
  const judge = found.judge;
  let needed = found.needed;
  // what decided the count: why one node fewer fails
  let reason: SizeReason = needed > 1 ? judge(needed - 1).reason : judge(needed).fuller;
  let extra: Partial<SizeTarget> = {};
  if (g.kind === 'sds') {
    const sized = sdsLocality(model, g, needed, Math.max(needed, active.length), judge, options);
    const forcedBy = forcing(model, g, active);
    const alternative = sdsAlternative(model, g, active, forcedBy.map((f) => f.container), (m, t) => sizeGroup(m, t, options));
    extra = { simulations: sized.runs, ...(sized.met === undefined ? {} : { localityMet: sized.met }), ...(sized.problem ? { problem: sized.problem } : {}), forcedBy, alternative };
    if (sized.nodes !== needed) { needed = sized.nodes; reason = 'locality'; }
  }
  return { ...base, needed: { nodes: needed, shapes: judge(needed).shapes, ...money(model, found.nodesAt(needed)) }, reason, ...extra };
}

/**
 * The containers on an SDS that need it: one replica asks more CPU or memory than the largest
 * of its nodes has (requests against capacity, limits against capacity times the defaults'
 * ratios, as a plain node outside an SDS would count them).
 */
function forcing(model: Model, g: TargetGroup, active: readonly number[]): SdsForcing[] {
  const cores = Math.max(...active.map((id) => model.nodes[id].cores));
  const memory = Math.max(...active.map((id) => model.nodes[id].memory));
  const { cpuRatio, memoryRatio } = model.defaults;
  const out: SdsForcing[] = [];
  for (const c of model.containers) {
    if (c.target?.kind !== 'sds' || c.target.sds !== g.ref) continue;
    const checks = [
      { resource: 'cpu', of: 'request', asks: c.cpuRequest, largest: cores },
      { resource: 'memory', of: 'request', asks: c.memoryRequest, largest: memory },
      { resource: 'cpu', of: 'limit', asks: c.cpuLimit, largest: cores * cpuRatio },
      { resource: 'memory', of: 'limit', asks: c.memoryLimit, largest: memory * memoryRatio },
    ] as const;
    const over = checks.filter((x) => x.asks > x.largest);
    // a limit over the allowance only counts where its request does not already say it
    const exceeds = over.filter((x) => x.of === 'request' || !over.some((y) => y.of === 'request' && y.resource === x.resource));
    if (exceeds.length) out.push({ container: c.name, exceeds });
  }
  return out;
}

/**
 * What the nodes `ids` cost (a node counted once per appearance): purchase when every one has a
 * `price`, energy when also every one has a `power` and the defaults an `energy` price (watts x
 * lifetime in hours / 1000 = kWh). Empty without prices.
 */
export function money(model: Model, ids: readonly number[]): SizeMoney {
  const nodes = ids.map((id) => model.nodes[id]);
  if (nodes.length === 0 || nodes.some((n) => n.price === null)) return {};
  const cents = (v: number): number => Math.round(v * 100) / 100;
  const purchase = cents(nodes.reduce((s, n) => s + (n.price ?? 0), 0));
  const rate = model.defaults.energy;
  if (rate === null || nodes.some((n) => n.power === null)) return { purchase, total: purchase };
  const kwh = nodes.reduce((s, n) => s + (n.power ?? 0), 0) * (model.defaults.lifetime / 3600) / 1000;
  const energy = cents(kwh * rate);
  return { purchase, energy, total: cents(purchase + energy) };
}

/** Orders in which candidates take the target's nodes: largest first, then (with several shapes) each shape first. */
function orderings(model: Model, active: readonly number[]): number[][] {
  const largest = largestFirst(model, active);
  const shapeOf = (id: number): string => `${model.nodes[id].cores}/${model.nodes[id].memory}`;
  const shapes = [...new Set(largest.map(shapeOf))];
  const out = [largest];
  if (shapes.length < 2) return out;
  for (const s of shapes.slice(0, 4)) {
    const order = [...largest.filter((id) => shapeOf(id) === s), ...largest.filter((id) => shapeOf(id) !== s)];
    if (!out.some((o) => o.every((id, i) => order[i] === id))) out.push(order);
  }
  return out;
}

interface Search {
  /** The fewest passing count, or null when none up to MAX_NODES passes. */
  readonly needed: number | null;
  readonly judge: (k: number) => Verdict;
  /** The model node ids a count takes (a copied node once per copy). */
  readonly nodesAt: (k: number) => number[];
  readonly failure?: Verdict;
}

/** The fewest nodes, taken in `order` (then copies of its first), at which the target passes: growing steps up from the lower bound, then a binary search. */
function searchCount(model: Model, g: TargetGroup, active: readonly number[], order: readonly number[]): Search {
  const candidate = (k: number): Candidate => ({ keep: order.slice(0, Math.min(k, order.length)), copies: Math.max(0, k - order.length), shape: order[0] });
  const memo = new Map<number, Verdict>();
  const judge = (k: number): Verdict => {
    let v = memo.get(k);
    if (!v) { v = verdict(resizedModel(model, g, active, candidate(k)), g.containers[0]); memo.set(k, v); }
    return v;
  };
  const lo = Math.max(1, lowerBound(model, g, order[0]));
  const nodesAt = (k: number): number[] => { const c = candidate(k); return [...c.keep, ...Array.from({ length: c.copies }, () => c.shape)]; };
  // up from the lower bound by growing steps (the packer is usually within a node or two of it):
  // lo, lo+1, lo+3, lo+7... until a count passes; every count up to `bad` failed (or is under the bound)
  let bad = lo - 1, step = 1, hi = lo;
  while (!judge(hi).ok) {
    if (hi >= MAX_NODES) return { needed: null, judge, nodesAt, failure: judge(hi) };
    bad = hi;
    hi = Math.min(MAX_NODES, hi + step);
    step *= 2;
  }
  // smallest passing count in (bad, hi], hi passing
  let low = bad + 1;
  while (low < hi) {
    const mid = Math.floor((low + hi) / 2);
    if (judge(mid).ok) hi = mid;
    else low = mid + 1;
  }
  return { needed: hi, judge, nodesAt };
}

/**
 * The fewest nodes from the capacity minimum `from` up to `upTo` (what the SDS has) at which the
 * simulated locality of every container of the SDS meets the threshold: `from` first, then
 * `upTo`, then a binary search between them (at most `maxSimulations` runs in all).
 */
function sdsLocality(model: Model, g: TargetGroup, from: number, upTo: number, judge: (k: number) => Verdict, options: SizeOptions): { nodes: number; runs: number; met?: boolean; problem?: string } {
  const max = options.maxSimulations ?? 8;
  if (max <= 0) return { nodes: from, runs: 0 };
  const names = new Set(g.containers.map((id) => model.containers[id].name));
  const threshold = model.defaults.localityThreshold;
  let runs = 0;
  const under = new Map<number, string>();
  const meets = (k: number): boolean => {
    const v = judge(k);
    if (!v.ok) return false;
    runs++;
    const r = simulate(v.model, { ...options.simulate, scenario: null });
    const low = r.containers.filter((c) => names.has(c.name) && c.locality !== null && c.locality + 1e-9 < threshold);
    if (low.length) under.set(k, low.map((c) => `${c.name} ${percent(c.locality ?? 0)}`).join(', '));
    return low.length === 0;
  };
  if (meets(from)) return { nodes: from, runs, met: true };
  const top = Math.max(from, upTo);
  if (top === from || runs >= max || !meets(top)) {
    const tried = top > from && runs > 1 ? `${from} and ${top} nodes` : `${from} nodes`;
    const at = under.has(top) ? top : from;
    return { nodes: from, runs, met: false, problem: `predicted locality is under the threshold of ${percent(threshold)} at ${tried} (${under.get(at) ?? 'not simulated'} at ${at}); see \`topo simulate\`` };
  }
  let lo = from, hi = top; // lo fails, hi meets
  while (hi - lo > 1 && runs < max) {
    const mid = Math.floor((lo + hi) / 2);
    if (meets(mid)) hi = mid;
    else lo = mid;
  }
  return { nodes: hi, runs, met: true };
}

/** Requests and limits (and network requests) summed over the largest node: no fewer nodes can hold them. */
function lowerBound(model: Model, g: TargetGroup, largest: number): number {
  const b = bounds(model, g, largest);
  let network = 0;
  for (const id of g.containers) network += model.containers[id].replicas * model.containers[id].network;
  // the fastest NIC among the target's nodes: a candidate takes those nodes and copies of one of them
  const nic = Math.max(0, ...g.nodes.map((id) => model.nodes[id].nic));
  const byNetwork = network <= 0 ? 0 : nic > 0 ? network / nic : Infinity;
  return Math.max(0, Math.ceil(b.cpu - 1e-9), Math.ceil(b.memory - 1e-9), Number.isFinite(byNetwork) ? Math.min(MAX_NODES, Math.ceil(byNetwork - 1e-9)) : 0);
}

function bounds(model: Model, g: TargetGroup, largest: number): { cpu: number; memory: number } {
  const n = model.nodes[largest];
  let cpu = 0, memory = 0, cpuL = 0, memoryL = 0;
  for (const id of g.containers) {
    const c = model.containers[id];
    cpu += c.replicas * c.cpuRequest; memory += c.replicas * c.memoryRequest;
    cpuL += c.replicas * Math.max(c.cpuLimit, c.cpuRequest); memoryL += c.replicas * Math.max(c.memoryLimit, c.memoryRequest);
  }
  let cores = n.cores, mem = n.memory, cpuRatio = model.defaults.cpuRatio, memRatio = model.defaults.memoryRatio;
  if (g.kind === 'sds') {
    const s = model.sdses[g.ref];
    cores = Math.max(0, cores - s.reserveCores); mem = Math.max(0, mem - s.reserveMemory);
    cpuRatio = s.cpuRatio; memRatio = s.memoryRatio;
  }
  const per = (need: number, cap: number): number => (need <= 0 ? 0 : cap <= 0 ? Infinity : need / cap);
  return { cpu: Math.max(per(cpu, cores), per(cpuL, cores * cpuRatio)), memory: Math.max(per(memory, mem), per(memoryL, mem * memRatio)) };
}

/** The group of the candidate model that holds container `cid` (ids of containers do not change). */
function groupOf(m: Model, plan: ReturnType<typeof planOf>, cid: number): GroupPlan | undefined {
  const key = plan.containers.get(cid)?.group;
  return plan.groups.find((gp) => gp.group.key === key) ?? plan.groups.find((gp) => gp.group.containers.includes(cid));
}

/** Whether the candidate passes: nothing unplaced, headroom holds, no T4xx error of the target (analysed only when the placement passes). */
function verdict(m: Model, cid: number): Verdict {
  // first without the headroom check (a candidate that leaves replicas out fails without it); a
  // passing one is placed again with it, the pack then remembered (placement/memo.ts)
  const quick = placeModel(m, { headroom: false });
  const early = unplacedVerdict(m, quick, cid);
  if (early) return early;
  const placement = placeModel(m);
  const plan = planOf(m, placement);
  const gp = groupOf(m, plan, cid);
  if (!gp) return { ok: false, reason: 'cpu', first: 'the target has no node', model: m, shapes: [], fuller: 'cpu' };
  const base = { model: m, shapes: shapesOf(m, gp), fuller: resourceOf(m, gp) };
  if (gp.headroom.status === 'short') return { ...base, ok: false, reason: 'headroom' };
  const diags = analyzeCapacity(m, placement, () => undefined, { verifyFixes: false }).filter((d) => d.severity === 'error' && d.code.startsWith('T4') && belongs(m, gp, d));
  if (diags.length === 0) return { ...base, ok: true, reason: 'cpu' };
  const reason: SizeReason = diags.every((d) => d.code === 'T405') ? 'spread' : resourceOf(m, gp);
  return { ...base, ok: false, reason, first: diags[0].message };
}

/** The failing verdict of a placement that leaves replicas of the target out, or null (also when the target has no node). */
function unplacedVerdict(m: Model, placement: PlacementResult, cid: number): Verdict | null {
  const plan = planOf(m, placement);
  const gp = groupOf(m, plan, cid);
  if (!gp || !gp.group.containers.some((id) => (plan.containers.get(id)?.unplaced ?? 0) > 0)) return null;
  const reasons = new Set(gp.group.containers.map((id) => plan.containers.get(id)?.reason));
  const name = m.containers[cid].name;
  const first = placement.targets.find((t) => t.containers.includes(name))?.unplaced[0]?.reason;
  // replicas the NICs left out (and nothing the CPU or memory did): network decides
  const byNetwork = reasons.has('network') && !reasons.has('capacity') && !reasons.has('allowance') && !reasons.has('node-size');
  const reason: SizeReason = reasons.has('spread') ? 'spread' : byNetwork ? 'network' : resourceOf(m, gp);
  return { model: m, shapes: shapesOf(m, gp), fuller: resourceOf(m, gp), ok: false, reason, ...(first ? { first: `a replica is not placed: ${first}` } : {}) };
}

/** The bandwidth a target's containers request and the `nic` of its active nodes together. */
function networkOf(m: Model, gp: GroupPlan): { requested: number; nic: number } {
  let requested = 0, nic = 0;
  for (const id of gp.group.containers) requested += m.containers[id].replicas * m.containers[id].network;
  for (const id of gp.active) nic += m.nodes[id].nic;
  return { requested, nic };
}

/** The resource a failing target is shorter of: the larger share of requests in capacity (or limits in allowance, or network in the NICs). */
function resourceOf(m: Model, gp: GroupPlan): SizeReason {
  const share = (need: number, cap: number): number => (cap > 0 ? need / cap : Infinity);
  const cpu = Math.max(share(gp.requested.cpu, gp.capacity.cpu), share(gp.limited.cpu, gp.allowance.cpu));
  const memory = Math.max(share(gp.requested.memory, gp.capacity.memory), share(gp.limited.memory, gp.allowance.memory));
  const net = networkOf(m, gp);
  if (net.requested > 0 && share(net.requested, net.nic) > Math.max(cpu, memory)) return 'network';
  return cpu >= memory ? 'cpu' : 'memory';
}

/** A diagnostic is the target's when it is on one of the target's containers or in the target's declaration. */
function belongs(m: Model, gp: GroupPlan, d: Diagnostic): boolean {
  const inBlock = (b: { file: string; span: { start: number; end: number } }): boolean => b.file === d.file && d.span.start >= b.span.start && d.span.end <= b.span.end;
  if (gp.group.containers.some((id) => inBlock(m.containers[id].block))) return true;
  if (gp.group.kind === 'sds') return inBlock(m.sdses[gp.group.ref].block);
  if (gp.group.kind === 'rack') return inBlock(m.racks[gp.group.ref].block);
  return false;
}

function shapesOf(m: Model, gp: GroupPlan): SizeShape[] {
  const counts = new Map<string, SizeShape>();
  for (const id of gp.active) {
    const n = m.nodes[id];
    const key = `${n.cores}/${n.memory}`;
    const s = counts.get(key);
    counts.set(key, { cores: n.cores, memory: n.memory, nodes: (s?.nodes ?? 0) + 1 });
  }
  return [...counts.values()];
}

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/** `48 cores 512GiB`. */
export function shapeText(s: SizeShape): string {
  return `${s.cores} cores ${formatBytes(s.memory)}`;
}
