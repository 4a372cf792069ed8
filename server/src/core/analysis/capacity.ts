/**
 * Capacity diagnostics T400–T407 over a model and its placement. Each diagnostic sits on the
 * value a person would change (the `place on` target, `replicas`, a limit, `colocate`, an SDS's
 * `nodes`), lists the containers or nodes involved with their numbers, and carries quick fixes
 * as plain text edits. Containers whose target did not resolve are skipped; never throws.
 */

import { makeDiagnostic, type Diagnostic, type Fix, type RelatedInformation } from '../diagnostics';
import type { Container, Model, Rack, Sds, Target } from '../model/types';
import type { Location } from '../text';
import type { PlacementResult } from '../result';
import { placeModel, planOf, type GroupPlan, type HeadroomShort, type Plan } from '../placement/index';
import { addedByScenarios, compactNodeSet, packedNodes, withoutSpread, withRatio, withReplicas, withSdsNodes, withTarget } from './changes';
import { placementOrder } from '../placement/plan';
import { formatBytes, formatCores, formatRatio } from '../placement/format';
import { largestFirst, validTarget } from '../placement/targets';
import { deleteProperties, insertLine, moveFix, ratioAtLeast, ratioFix, replace, replicasFix, type Resource, type SourceOf } from './edits';
import { sdsRoom, verifiedMove, verifiedRatio, verifiedReplicas, VerifyBudget } from './verify';
import { cappedText, cappingTenant, gbps, packedCapper, tenantRatioFix, TenantAnalysis } from './tenants';

const NEAR_FULL = 0.9;
const MAX_RELATED = 24;

export interface AnalysisOptions {
  /**
   * Check fixes that change where containers run (move, place, remove `spread`, an SDS's nodes)
   * by placing the changed model again; a fix that would add an error is left out. Default true.
   */
  readonly verifyFixes?: boolean;
  /** Re-placements allowed for fixes that change numbers (default 16). */
  readonly budget?: number;
}

/** Most fixes checked by placing the changed model again, per analysis (more are offered unchecked). */
const MAX_VERIFIED_CHANGES = 12;

export function analyzeCapacity(model: Model, placement: PlacementResult, source: SourceOf = () => undefined, options: AnalysisOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const plan = planOf(model, placement);
  const a = new Analysis(model, plan, source, out, new VerifyBudget(options.budget ?? 16));
  for (const gp of plan.groups) a.group(gp);
  a.packedHeadroom();
  a.colocation();
  a.sdsRacks();
  a.withoutTarget();
  a.sdsWithoutNodes();
  if (model.tenants.length > 0 || model.containers.some((c) => c.network > 0)) out.push(...new TenantAnalysis(model, plan, source, new VerifyBudget(options.budget ?? 16)).run());
  return options.verifyFixes === false ? out : a.verified();
}

/** Error diagnostics by code. */
function errorCounts(ds: readonly Diagnostic[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of ds) if (d.severity === 'error') m.set(d.code, (m.get(d.code) ?? 0) + 1);
  return m;
}

/** Whether a changed model has an error more than `base` (placed again, analysed without fixes). */
function addsError(changed: Model, base: ReadonlyMap<string, number>): boolean {
  const placement = placeModel(changed, { improveBudget: 0, headroom: false });
  for (const [code, n] of errorCounts(analyzeCapacity(changed, placement, () => undefined, { verifyFixes: false, budget: 0 }))) {
    if (n > (base.get(code) ?? 0)) return true;
  }
  return false;
}

const RES_WORD: Record<Resource, string> = { cpu: 'CPU', memory: 'memory' };
const KIND_WORD: Record<'sds' | 'rack' | 'nodes', string> = { sds: 'SDS', rack: 'rack', nodes: 'node set' };

/** Bytes in powers of ten, as `256GB` is written. */
function formatDecimalBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return `${Math.round(v * 100) / 100}${units[u]}`;
}

const DECIMAL_BYTES = /[0-9.](KB|MB|GB|TB|PB)$/;

class Analysis {
  /** Containers that already have a T403/T405/T407 diagnostic: no second one for the same cause. */
  private readonly reported = new Set<number>();
  /** Fixes that change where containers run, with the model they make: checked at the end (verified()). */
  private readonly changes = new Map<Fix, Model>();
  /** Packed targets with replicas that do not fit (errors already): no headroom warning on their containers. */
  private readonly unplacedGroups = new Set<string>();

  constructor(
    private readonly model: Model,
    private readonly plan: Plan,
    private readonly source: SourceOf,
    private readonly out: Diagnostic[],
    private readonly budget: VerifyBudget,
  ) {
    this.decimal = this.writesDecimalBytes();
  }

  /** True when the file writes node or container memory in powers of ten (`256GB`): amounts then show both. */
  private readonly decimal: boolean;

  private writesDecimalBytes(): boolean {
    const written = (at: Location | undefined): boolean => {
      const text = at ? this.source(at.file) : undefined;
      return text !== undefined && at !== undefined && DECIMAL_BYTES.test(text.slice(at.span.start, at.span.end));
    };
    return this.model.nodes.some((n) => written(n.at.memory)) || this.model.containers.some((c) => written(c.at.memoryRequest) || written(c.at.memoryLimit));
  }

  /** `476.84GiB`, or `476.84GiB (512GB)` when the file writes sizes in powers of ten. */
  private bytes(v: number): string {
    return this.decimal ? `${formatBytes(v)} (${formatDecimalBytes(v)})` : formatBytes(v);
  }

  private amount(res: Resource, v: number): string {
    return res === 'cpu' ? `${formatCores(v)} core${v === 1 ? '' : 's'}` : this.bytes(v);
  }

  private per(res: Resource, v: number): string {
    return res === 'cpu' ? formatCores(v) : this.bytes(v);
  }

  private c(id: number): Container {
    return this.model.containers[id];
  }

  /** Where the target of a container is written, or its name when the target is implicit. */
  private placeAt(c: Container): Location {
    return c.target && !c.targetImplicit ? c.target.at : c.nameAt;
  }

  private limitAt(c: Container, res: Resource): Location {
    return (res === 'cpu' ? c.at.cpuLimit : c.at.memoryLimit) ?? this.placeAt(c);
  }

  private requestAt(c: Container, res: Resource): Location {
    return (res === 'cpu' ? c.at.cpuRequest : c.at.memoryRequest) ?? this.placeAt(c);
  }

  private req(c: Container, res: Resource): number {
    return res === 'cpu' ? c.cpuRequest : c.memoryRequest;
  }

  private lim(c: Container, res: Resource): number {
    return res === 'cpu' ? Math.max(c.cpuLimit, c.cpuRequest) : Math.max(c.memoryLimit, c.memoryRequest);
  }

  /** `api 6x2, cache 2x2`: what each container asks for. */
  private breakdown(ids: readonly number[], f: (c: Container) => number, res: Resource): string {
    const parts = ids.filter((id) => f(this.c(id)) > 0).map((id) => `${this.c(id).name} ${this.c(id).replicas}x${this.per(res, f(this.c(id)))}`);
    return parts.length > 6 ? `${parts.slice(0, 6).join(', ')}, ...` : parts.join(', ');
  }

  private related(ids: readonly number[], f: (c: Container) => number, res: Resource, what: string): RelatedInformation[] {
    return ids.filter((id) => f(this.c(id)) > 0).slice(0, MAX_RELATED).map((id) => {
      const c = this.c(id);
      return { location: c.nameAt, message: `\`${c.name}\`: ${c.replicas} x ${this.amount(res, f(c))} = ${this.amount(res, c.replicas * f(c))} of ${RES_WORD[res]} ${what}` };
    });
  }

  /** The first container, in placement order, at which the running total passes `bound`. */
  private tipping(ids: readonly number[], f: (c: Container) => number, bound: number): Container {
    let s = 0;
    const order = placementOrder(this.model, ids);
    for (const id of order) {
      s += this.c(id).replicas * f(this.c(id));
      if (s > bound * (1 + 1e-12) + 1e-9) return this.c(id);
    }
    return this.c(order[order.length - 1]);
  }

  private emit(d: Diagnostic): void {
    this.out.push(d);
  }

  private replicas(c: Container, n: number, why: string, preferred: boolean): Fix[] {
    return this.change(replicasFix(c, n, why, preferred), withReplicas(this.model, c, n));
  }

  private ratio(sds: Sds | null, res: Resource, value: number, why: string, preferred: boolean): Fix[] {
    return this.change(ratioFix(this.model, this.source, sds, res, value, why, preferred), withRatio(this.model, sds, res, value));
  }

  /** Marks fixes as changing the model to `changed` (checked by verified()). */
  private change(fixes: Fix[], changed: Model): Fix[] {
    for (const f of fixes) this.changes.set(f, changed);
    return fixes;
  }

  /**
   * The diagnostics with the fixes that would add an error left out. Each fix that changes where
   * containers run is checked by placing the changed model again (small models, a bounded number
   * of them; others are offered as they are).
   */
  verified(): Diagnostic[] {
    if (this.changes.size === 0 || !this.small()) return this.out;
    const base = errorCounts(this.out);
    let left = MAX_VERIFIED_CHANGES;
    const verdict = new Map<Model, boolean>();
    const keep = (f: Fix): boolean => {
      const changed = this.changes.get(f);
      if (!changed) return true;
      let ok = verdict.get(changed);
      if (ok === undefined) {
        if (left-- <= 0) return true;
        ok = !addsError(changed, base);
        verdict.set(changed, ok);
      }
      return ok;
    };
    return this.out.map((d) => {
      const fixes = d.fixes.filter(keep);
      return fixes.length === d.fixes.length ? d : { ...d, fixes };
    });
  }

  private small(): boolean {
    let n = 0;
    for (const c of this.model.containers) n += c.replicas;
    return n <= 2000;
  }

  /**
   * Whether a container could run on a target at all, by sums (what checking a fix by placing the
   * model again decides exactly, for models too large to place again): its requests and limits
   * with what is already there, a replica on the largest node, `spread` on the nodes or racks,
   * and `colocate` on either side.
   */
  private roughlyFits(c: Container, target: Target): boolean {
    const m = this.model;
    const peerElsewhere = c.colocate !== null || m.containers.some((x) => x.colocate?.container === c.id);
    if (peerElsewhere) return false;
    if (target.kind === 'sds') {
      const room = sdsRoom(m, this.plan, target.sds);
      return c.replicas * c.cpuRequest <= room.cpu + 1e-9 && c.replicas * c.memoryRequest <= room.memory + 1e-9 &&
        c.replicas * this.lim(c, 'cpu') <= room.cpuL + 1e-9 && c.replicas * this.lim(c, 'memory') <= room.memoryL + 1e-9 &&
        c.replicas * c.network <= room.network * (1 + 1e-9);
    }
    const ids = (target.kind === 'rack' ? m.racks[target.rack]?.nodes ?? [] : target.nodes).filter((id) => m.nodes[id].role === 'active' && m.nodes[id].sds === null);
    const d = m.defaults;
    const holders = ids.filter((id) => {
      const n = m.nodes[id];
      return n.cores + 1e-9 >= c.cpuRequest && n.memory + 1e-9 >= c.memoryRequest && n.cores * d.cpuRatio + 1e-9 >= this.lim(c, 'cpu') && n.memory * d.memoryRatio + 1e-9 >= this.lim(c, 'memory')
        && n.nic * (1 + 1e-9) >= c.network;
    });
    if (holders.length === 0) return false;
    if (c.spread && !c.spreadEven && c.replicas > (c.spread === 'nodes' ? holders.length : new Set(holders.map((id) => m.nodes[id].rack)).size)) return false;
    // what the nodes hold already (every packed replica on them) and this container
    let cpu = 0, memory = 0, nic = 0, usedCpu = 0, usedMemory = 0, usedNetwork = 0;
    for (const id of ids) {
      cpu += m.nodes[id].cores; memory += m.nodes[id].memory; nic += m.nodes[id].nic;
      for (const [cid] of this.plan.onNode.get(id) ?? []) if (cid !== c.id) { usedCpu += m.containers[cid].cpuRequest; usedMemory += m.containers[cid].memoryRequest; usedNetwork += m.containers[cid].network; }
    }
    return usedCpu + c.replicas * c.cpuRequest <= cpu + 1e-9 && usedMemory + c.replicas * c.memoryRequest <= memory + 1e-9
      && usedNetwork + c.replicas * c.network <= nic * (1 + 1e-9);
  }

  /**
   * Whether `c`'s replicas could all run on its target without `spread`: decided by placing the
   * model again for small models (`verified`), by sums for the others.
   */
  private fitsWithoutSpread(c: Container): boolean {
    return this.small() || (c.target !== null && this.roughlyFits({ ...c, spread: null, spreadEven: false }, c.target));
  }

  /** Every SDS other than the container's own where all its replicas fit, with a fix to move there. */
  private moveFixes(c: Container, preferred: boolean): Fix[] {
    const cur = c.target?.kind === 'sds' ? c.target.sds : -1;
    // a container that must share a node with another (either side) does not move alone
    if (c.colocate !== null || this.model.containers.some((x) => x.colocate?.container === c.id)) return [];
    for (const sds of this.model.sdses) {
      if (sds.id === cur) continue;
      const room = sdsRoom(this.model, this.plan, sds.id);
      const need = { cpu: c.replicas * c.cpuRequest, memory: c.replicas * c.memoryRequest, cpuL: c.replicas * this.lim(c, 'cpu'), memoryL: c.replicas * this.lim(c, 'memory') };
      if (need.cpu <= room.cpu && need.memory <= room.memory && need.cpuL <= room.cpuL && need.memoryL <= room.memoryL) {
        return this.change(moveFix(this.source, c, sds.name, `Move \`${c.name}\` to SDS \`${sds.name}\` (${formatCores(room.cpu)} cores and ${this.bytes(room.memory)} free)`, preferred),
          withTarget(this.model, c, { kind: 'sds', sds: sds.id, at: c.target?.at ?? c.nameAt }));
      }
    }
    return [];
  }

  // ------------------------------------------------------------------ per target

  /** A target with a node whose cores or memory were not given validly (already a T3xx) is not judged. */
  reliable(gp: GroupPlan): boolean {
    const ok = (id: number): boolean => { const n = this.model.nodes[id]; return n !== undefined && n.at.cores !== undefined && n.at.memory !== undefined; };
    if (gp.group.kind === 'sds' && !this.model.sdses[gp.group.ref].nodesComplete) return false;
    return gp.group.nodes.every(ok) && gp.group.sdsNodes.every(ok);
  }

  group(gp: GroupPlan): void {
    if (!this.reliable(gp)) return;
    if (gp.group.kind === 'sds') this.sdsGroup(gp);
    else this.packedGroup(gp);
  }

  private sdsGroup(gp: GroupPlan): void {
    const g = gp.group;
    const sds = this.model.sdses[g.ref];
    const over = new Set<Resource>();
    for (const res of ['cpu', 'memory'] as const) {
      const cap = gp.capacity[res];
      const reqTotal = gp.requested[res];
      if (reqTotal > cap * (1 + 1e-12) + 1e-9) {
        over.add(res);
        const t = this.tipping(g.containers, (c) => this.req(c, res), cap);
        const fits = this.sdsFits(gp, t);
        const active = gp.active.length;
        this.emit(makeDiagnostic('T400', this.placeAt(t),
          `SDS \`${g.name}\` has ${this.amount(res, cap)} of ${RES_WORD[res]} (${active} active node${active === 1 ? '' : 's'} less the reserve); containers placed there request ${this.amount(res, reqTotal)}: ${this.breakdown(placementOrder(this.model, g.containers), (c) => this.req(c, res), res)}. Move \`${t.name}\` elsewhere, lower its replicas, or add nodes to \`${g.name}\``,
          [...this.related(placementOrder(this.model, g.containers), (c) => this.req(c, res), res, 'requests'), { location: sds.nameAt, message: `SDS \`${g.name}\`: ${this.amount(res, cap)} of ${RES_WORD[res]}` }],
          [...this.moveFixes(t, true), ...replicasFix(t, fits, `what fits in \`${g.name}\``, false)]));
      }
    }
    for (const res of ['cpu', 'memory'] as const) {
      if (over.has(res)) continue;
      this.allowance(gp, res, sds.id);
    }
    if (over.size === 0 && gp.headroom.status === 'short') {
      const hr = gp.headroom;
      const res: Resource = gp.requested.cpu > hr.capacity.cpu + 1e-9 ? 'cpu' : 'memory';
      const t = this.tipping(g.containers, (c) => this.req(c, res), hr.capacity[res]);
      this.emit(makeDiagnostic('T404', this.placeAt(t),
        `${this.lossText(hr.lost, hr.standIns)}, SDS \`${g.name}\` keeps ${this.amount(res, hr.capacity[res])} of ${RES_WORD[res]} but its containers request ${this.amount(res, gp.requested[res])}: add a node or a spare to \`${g.name}\`, or lower replicas (headroom ${hr.failures})`,
        [...this.lostRelated(hr.lost), ...this.related(placementOrder(this.model, g.containers), (c) => this.req(c, res), res, 'requests')],
        this.moveFixes(t, false)));
    }
  }

  /** The most replicas of `t` that the SDS holds beside the other containers: requests within capacity and limits within the allowance. */
  private sdsFits(gp: GroupPlan, t: Container): number {
    let n = Infinity;
    for (const res of ['cpu', 'memory'] as const) {
      const req = this.req(t, res), lim = this.lim(t, res);
      if (req > 0) n = Math.min(n, Math.floor((gp.capacity[res] - (gp.requested[res] - t.replicas * req)) / req + 1e-9));
      if (lim > 0) n = Math.min(n, Math.floor((gp.allowance[res] - (gp.limited[res] - t.replicas * lim)) / lim + 1e-9));
    }
    return Number.isFinite(n) ? Math.max(0, n) : 0;
  }

  /** T401 (limits over the allowance) or T402 (at or above 90% of it) for one resource of a target. */
  private allowance(gp: GroupPlan, res: Resource, sds: number | null): void {
    const g = gp.group;
    const allow = gp.allowance[res];
    const total = gp.limited[res];
    const cap = gp.capacity[res];
    const ratio = res === 'cpu' ? gp.cpuRatio : gp.memoryRatio;
    if (cap <= 0 || total <= 0) return;
    const order = placementOrder(this.model, g.containers);
    const sdsDecl = sds === null ? null : this.model.sdses[sds];
    const own = sdsDecl ? (res === 'cpu' ? sdsDecl.cpuRatio : sdsDecl.memoryRatio) : ratio;
    const capper = cappingTenant(this.model, g.containers, res, ratio, own);
    const head = `${g.kind === 'sds' ? 'SDS' : g.kind === 'rack' ? 'rack' : 'node set'} \`${g.name}\` allows ${this.amount(res, allow)} of ${RES_WORD[res]} limits (${this.amount(res, cap)} x ${formatRatio(ratio)}${capper ? cappedText(capper, res, ratio) : ''})`;
    const asked = `containers placed there ask for ${this.amount(res, total)}: ${this.breakdown(order, (c) => this.lim(c, res), res)}`;
    const rel = this.related(order, (c) => this.lim(c, res), res, 'limits');
    if (total > allow * (1 + 1e-12) + 1e-9) {
      const t = this.tipping(g.containers, (c) => this.lim(c, res), allow);
      const need = ratioAtLeast(total / cap, false);
      const fits = Math.floor((allow - (total - t.replicas * this.lim(t, res))) / this.lim(t, res) + 1e-9);
      this.emit(makeDiagnostic('T401', this.limitAt(t, res),
        `${head}; ${asked}. Raise ${capper ? `tenant \`${capper.name}\`'s ` : ''}\`oversubscribe ${res}\` to ${formatRatio(need)}, lower the limits, or lower replicas`,
        rel,
        [...(capper ? tenantRatioFix(capper, res, need, own) : this.ratio(sdsDecl, res, need, 'the smallest ratio that fits', true)), ...replicasFix(t, fits, 'what the allowance holds', false), ...this.moveFixes(t, false)]));
      return;
    }
    if (total >= NEAR_FULL * allow * (1 - 1e-12)) {
      const t = this.tipping(g.containers, (c) => this.lim(c, res), NEAR_FULL * allow * (1 - 1e-12) - 1e-9);
      const need = ratioAtLeast(total / (NEAR_FULL * cap), true);
      this.emit(makeDiagnostic('T402', this.limitAt(t, res),
        `${head}; ${asked} (${Math.round((total / allow) * 100)}%, 90% or more): a burst could exhaust it. Raise ${capper ? `tenant \`${capper.name}\`'s ` : ''}\`oversubscribe ${res}\` to ${formatRatio(need)} or lower the limits`,
        rel,
        capper ? tenantRatioFix(capper, res, need, own) : this.ratio(sdsDecl, res, need, 'limits below 90% of the allowance', true)));
    }
  }

  /** `If the largest active node `r1.n1` fails (no spare stands in)`; with `of`, whose largest node it is. */
  private lossText(lost: readonly number[], standIns: readonly number[], of?: GroupPlan): string {
    const refs = lost.map((id) => `\`${this.model.nodes[id].ref}\``).join(', ');
    const spare = standIns.length ? ` and spare ${standIns.map((id) => `\`${this.model.nodes[id].ref}\``).join(', ')} stands in` : ' (no spare stands in)';
    const fail = lost.length === 1 ? 'fails' : 'fail';
    // every active node of the target is lost: no need to say which are the largest
    if (of && of.active.length <= lost.length) return `If ${refs} ${fail}${spare}`;
    const whose = of ? ` of ${KIND_WORD[of.group.kind]} \`${of.group.name}\`` : '';
    return lost.length === 1 ? `If the largest active node${whose}, ${refs}, fails${spare}` : `If the ${lost.length} largest active nodes${whose}, ${refs}, fail${spare}`;
  }

  private lostRelated(lost: readonly number[]): RelatedInformation[] {
    return lost.map((id) => {
      const n = this.model.nodes[id];
      return { location: n.nameAt, message: `lost: \`${n.ref}\` (${formatCores(n.cores)} cores, ${this.bytes(n.memory)})` };
    });
  }

  private packedGroup(gp: GroupPlan): void {
    const g = gp.group;
    const order = placementOrder(this.model, g.containers);
    let anyUnplaced = false;
    const t401 = new Set<Resource>();
    for (const id of order) {
      const c = this.c(id);
      const cp = this.plan.containers.get(id);
      if (this.spread(gp, c)) { anyUnplaced = anyUnplaced || (cp?.unplaced ?? 0) > 0; continue; }
      if (!cp || cp.unplaced === 0) continue;
      anyUnplaced = true;
      switch (cp.reason) {
        case 'node-size': this.tooBig(gp, c); break;
        case 'colocate': break; // reported by colocation()
        case 'isolation': case 'network': break; // reported by TenantAnalysis (tenants.ts)
        case 'allowance': t401.add(this.packedAllowance(gp, c, cp.placed)); break;
        default: this.packedCapacity(gp, c, cp.placed, cp.reason === 'spread'); break;
      }
    }
    for (const res of ['cpu', 'memory'] as const) {
      if (t401.has(res)) continue;
      if (gp.limited[res] > gp.allowance[res] * (1 + 1e-12) + 1e-9 && anyUnplaced) continue;
      this.allowance(gp, res, null);
    }
    if (anyUnplaced) this.unplacedGroups.add(g.key);
  }

  /**
   * T404 on packed targets: for each target whose loss leaves replicas without a node, one
   * warning per container that loses replicas (the first loss that does, in target order), on
   * the value behind the cause, naming the container's own target and its numbers.
   */
  packedHeadroom(): void {
    const warned = new Set<number>();
    const groupOf = new Map<number, GroupPlan>();
    for (const gp of this.plan.groups) for (const id of gp.group.containers) groupOf.set(id, gp);
    for (const gp of this.plan.groups) {
      if (gp.group.kind === 'sds' || gp.headroom.status !== 'short' || !this.reliable(gp)) continue;
      const ids = placementOrder(this.model, [...gp.headroom.short.keys()]);
      for (const id of ids) {
        const own = groupOf.get(id);
        if (!own || warned.has(id) || this.reported.has(id) || this.unplacedGroups.has(own.group.key) || !this.reliable(own)) continue;
        warned.add(id);
        this.headroomShort(gp, own, this.c(id), gp.headroom.short.get(id)!);
      }
    }
  }

  private headroomShort(loss: GroupPlan, own: GroupPlan, c: Container, short: HeadroomShort): void {
    const hr = loss.headroom;
    const g = own.group;
    const lostSet = new Set(hr.lost);
    const left = [...own.active.filter((id) => !lostSet.has(id)), ...hr.standIns.filter((id) => g.nodes.includes(id))];
    const of = loss.group.key === g.key && loss.active.length > hr.lost.length ? undefined : loss;
    const head = `${this.lossText(hr.lost, hr.standIns, of)}, ${short.replicas === c.replicas ? (c.replicas === 1 ? `\`${c.name}\` no longer fits` : `none of the ${c.replicas} replicas of \`${c.name}\` fit`) : `${short.replicas} of ${c.replicas} replicas of \`${c.name}\` no longer fit`}`;
    const tail = `(headroom ${hr.failures})`;
    const where = `${KIND_WORD[g.kind]} \`${g.name}\``;
    const related: RelatedInformation[] = [...this.lostRelated(hr.lost)];
    const fixes: Fix[] = [];
    let at = this.placeAt(c);
    let message: string;
    switch (short.cause) {
      case 'pinned':
        message = `${head}: it runs only on ${where}, and no node of it is left. Place it on more nodes or add a spare to ${where}, or set \`headroom 0\` if that is intended ${tail}`;
        break;
      case 'spread': {
        const d = this.model.defaults;
        const holders = left.filter((id) => {
          const n = this.model.nodes[id];
          return n.cores + 1e-9 >= c.cpuRequest && n.memory + 1e-9 >= c.memoryRequest && n.cores * d.cpuRatio + 1e-9 >= this.lim(c, 'cpu') && n.memory * d.memoryRatio + 1e-9 >= this.lim(c, 'memory');
        });
        const word = c.spread === 'racks' ? 'rack' : 'node';
        const domains = c.spread === 'racks' ? new Set(holders.map((id) => this.model.nodes[id].rack)).size : holders.length;
        const spreadText = `spread ${c.spread}${c.spreadEven ? ' even' : ''}`;
        message = c.spreadEven
          ? `${head} on ${where} with \`${spreadText}\`: the ${domains} ${word}${domains === 1 ? '' : 's'} left cannot hold them with counts per ${word} within one of each other. Add a ${word} or a spare, or lower replicas ${tail}`
          : `${head} on ${where}: with \`${spreadText}\` each replica needs a ${word} of its own, and ${domains} ${word}${domains === 1 ? ' is' : 's are'} left that can hold one. Add a ${word} or a spare, lower \`replicas\` to ${domains}, or write \`${spreadText} even\` to let replicas share a ${word} when one is lost ${tail}`;
        if (c.at.spread) {
          at = c.at.spread;
          if (!c.spreadEven) fixes.push({ title: `Use \`${spreadText} even\` (replicas may share a ${word} when ${word}s are lost)`, edits: [replace(c.at.spread, `${c.spread} even`)] });
        }
        break;
      }
      case 'node-size': {
        let maxCpu = 0, maxMem = 0;
        for (const id of left) { maxCpu = Math.max(maxCpu, this.model.nodes[id].cores); maxMem = Math.max(maxMem, this.model.nodes[id].memory); }
        message = `${head}: no node of ${where} left is large enough for one (it requests ${formatCores(c.cpuRequest)} cores and ${this.bytes(c.memoryRequest)}; the largest left has ${formatCores(maxCpu)} cores and ${this.bytes(maxMem)}). Add a node as large as the lost one, or a spare ${tail}`;
        break;
      }
      case 'colocate': {
        const peer = c.colocate ? this.c(c.colocate.container) : undefined;
        message = `${head}: it must share a node with \`${peer?.name ?? '?'}\` (\`colocate\`), and after the loss the nodes that hold \`${peer?.name ?? '?'}\` have no room left for it. Add a node or a spare to ${where}, or lower replicas ${tail}`;
        if (c.colocate) at = c.colocate.at;
        break;
      }
      case 'network': {
        const nic = left.reduce((sum, id) => sum + this.model.nodes[id].nic, 0);
        const onTarget = g.containers.map((id) => this.c(id)).filter((x) => x.network > 0);
        const total = onTarget.reduce((sum, x) => sum + x.replicas * x.network, 0);
        const parts = onTarget.slice(0, 6).map((x) => `\`${x.name}\` ${x.replicas} x ${gbps(x.network)}`).join(', ') + (onTarget.length > 6 ? ', ...' : '');
        const split = total <= nic * (1 + 1e-12) ? `, but no node left has ${gbps(c.network)} of it free for one more replica of \`${c.name}\` (a replica's traffic goes through the NIC of its own node)` : '';
        message = `${head} on ${where}: the network bandwidth is short. Its ${left.length} node${left.length === 1 ? '' : 's'} left ${left.length === 1 ? 'has' : 'have'} ${gbps(nic)} of \`nic\`${left.length === 1 ? '' : ' together'}, and the containers placed on it request ${gbps(total)} (${parts})${split}${this.tenantNotes(own).map((n) => `; ${n}`).join('')}. Add a node or a spare to ${where}, or lower \`network\` or the replicas ${tail}`;
        if (c.at.network) at = c.at.network;
        related.push(...onTarget.slice(0, MAX_RELATED).map((x) => ({ location: x.at.network ?? x.nameAt, message: `\`${x.name}\`: ${x.replicas} x ${gbps(x.network)} = ${gbps(x.replicas * x.network)} of network bandwidth` })));
        break;
      }
      default: {
        let cpu = 0, memory = 0;
        for (const id of left) { cpu += this.model.nodes[id].cores; memory += this.model.nodes[id].memory; }
        const shared = this.plan.groups.filter((x) => x.group.kind !== 'sds' && x.group.key !== g.key && x.group.nodes.some((id) => g.nodes.includes(id))).map((x) => `\`${x.group.name}\``);
        message = `${head} on ${where}: its ${left.length} node${left.length === 1 ? '' : 's'} left ${left.length === 1 ? 'has' : 'have'} ${formatCores(cpu)} cores and ${this.bytes(memory)}, and the containers placed on it request ${formatCores(own.requested.cpu)} cores and ${this.bytes(own.requested.memory)}${shared.length ? ` (it shares nodes with ${shared.slice(0, 3).join(', ')})` : ''}${this.lossNotes(own, left)}. Add a node or a spare to ${where}, or lower replicas ${tail}`;
        const res: Resource = own.requested.memory / Math.max(memory, 1e-9) >= own.requested.cpu / Math.max(cpu, 1e-9) ? 'memory' : 'cpu';
        related.push(...this.related(placementOrder(this.model, g.containers), (x) => this.req(x, res), res, 'requests'));
        break;
      }
    }
    this.emit(makeDiagnostic('T404', at, message, related.slice(0, MAX_RELATED), [...fixes, ...this.moveFixes(c, false)]));
  }

  /**
   * What else the nodes left must hold besides the requests, as the headroom pack counts it: a
   * `vm` tenant's overhead on each node it shares, a tenant's `oversubscribe` cap on the limits
   * of the nodes it runs on, and network requests against the NICs left.
   */
  private lossNotes(own: GroupPlan, left: readonly number[]): string {
    const notes = this.tenantNotes(own);
    const mine = own.group.containers.map((id) => this.c(id));
    const network = mine.reduce((s, c) => s + c.replicas * c.network, 0);
    if (network > 0) notes.push(`they request ${gbps(network)} of network bandwidth against ${gbps(left.reduce((s, id) => s + this.model.nodes[id].nic, 0))} of \`nic\` left`);
    return notes.length ? `; ${notes.join('; ')}` : '';
  }

  /** What the tenants of a target's containers add to a pack of its nodes: dedicated nodes, VM overheads, oversubscription caps. */
  private tenantNotes(own: GroupPlan): string[] {
    const notes: string[] = [];
    const mine = own.group.containers.map((id) => this.c(id));
    const tenants = [...new Set(mine.map((c) => c.tenant))];
    for (const t of tenants) {
      const tenant = t === null ? undefined : this.model.tenants[t];
      if (!tenant) continue;
      if (tenant.isolation === 'dedicated' && tenants.length > 1) notes.push(`tenant \`${tenant.name}\` is dedicated: its replicas take nodes of their own`);
      if (tenant.isolation === 'vm' && tenants.length > 1) notes.push(`tenant \`${tenant.name}\` pays a VM overhead of ${formatCores(tenant.overhead.cpu)} cores and ${this.bytes(tenant.overhead.memory)} on each node it shares`);
      const capCpu = tenant.oversubscribe?.cpu;
      if (capCpu !== null && capCpu !== undefined && capCpu < this.model.defaults.cpuRatio - 1e-12) {
        notes.push(`tenant \`${tenant.name}\` caps the CPU limits of the nodes it runs on at x ${formatRatio(capCpu)}, and the containers' limits are ${formatCores(own.limited.cpu)} cores`);
      }
    }
    return notes;
  }

  /** T405: more replicas than the nodes or racks `spread` can use. Returns true when reported. */
  private spread(gp: GroupPlan, c: Container): boolean {
    if (!c.spread) return false;
    const d = this.model.defaults;
    // Nodes that could hold one replica if they were empty.
    const holders = gp.active.filter((id) => {
      const n = this.model.nodes[id];
      return n.cores + 1e-9 >= c.cpuRequest && n.memory + 1e-9 >= c.memoryRequest && n.cores * d.cpuRatio + 1e-9 >= this.lim(c, 'cpu') && n.memory * d.memoryRatio + 1e-9 >= this.lim(c, 'memory')
        && n.nic * (1 + 1e-9) >= c.network;
    });
    const all = c.spread === 'nodes' ? gp.active.length : new Set(gp.active.map((id) => this.model.nodes[id].rack)).size;
    const room = c.spread === 'nodes' ? holders.length : new Set(holders.map((id) => this.model.nodes[id].rack)).size;
    if (c.spreadEven) return this.unevenSpread(gp, c, room);
    if (room === 0 || c.replicas <= room) return false;
    const at = c.at.replicas ?? c.at.spread ?? c.nameAt;
    const word = c.spread === 'nodes' ? 'node' : 'rack';
    const unit = `${c.spread === 'nodes' ? 'active node' : 'rack'}${all === 1 ? '' : 's'}`;
    const only = room === all ? `only ${all} ${unit}` : `${all} ${unit}, and only ${room} can hold a replica of it`;
    const fewer = verifiedReplicas(this.model, c, room, this.budget);
    const fixes: Fix[] = [...replicasFix(c, fewer, `one per ${word}`, true)];
    const del = c.at.spread ? deleteProperties(this.source, c.block, 'spread') : [];
    if (del.length && this.fitsWithoutSpread(c)) fixes.push(...this.change([{ title: `Remove \`spread ${c.spread}\` from \`${c.name}\``, edits: del }], withoutSpread(this.model, c)));
    const related: RelatedInformation[] = [];
    if (c.at.spread) related.push({ location: c.at.spread, message: `\`spread ${c.spread}\` asks for one replica per ${word}` });
    if (c.target) related.push({ location: this.placeAt(c), message: `\`${gp.group.name}\` has ${only}` });
    this.emit(makeDiagnostic('T405', at,
      `\`${c.name}\` has ${c.replicas} replicas with \`spread ${c.spread}\`, but \`${gp.group.name}\` has ${only}: lower \`replicas\` to ${room}, remove \`spread\`, or place it on a larger target`,
      related, fixes));
    this.reported.add(c.id);
    return true;
  }

  /**
   * T405 for `spread ... even`: more replicas than nodes (racks) is fine; it is an error only when
   * the counts cannot stay within one of each other (other containers leave too little room).
   */
  private unevenSpread(gp: GroupPlan, c: Container, domains: number): boolean {
    const cp = this.plan.containers.get(c.id);
    if (!cp || cp.unplaced === 0 || cp.reason !== 'spread' || domains === 0) return false;
    const word = c.spread === 'racks' ? 'rack' : 'node';
    const floor = Math.floor(c.replicas / domains);
    const each = c.replicas % domains === 0 ? `${floor} per ${word}` : `${floor} or ${floor + 1} per ${word}`;
    const fewer = cp.placed >= 1 ? verifiedReplicas(this.model, c, cp.placed, this.budget) : 0;
    const fixes: Fix[] = [...replicasFix(c, fewer, 'what fits evenly', true)];
    const del = c.at.spread ? deleteProperties(this.source, c.block, 'spread') : [];
    if (del.length && this.fitsWithoutSpread(c)) fixes.push(...this.change([{ title: `Remove \`spread ${c.spread} even\` from \`${c.name}\``, edits: del }], withoutSpread(this.model, c)));
    const related: RelatedInformation[] = [];
    if (c.target) related.push({ location: this.placeAt(c), message: `\`${gp.group.name}\` has ${domains} ${word}${domains === 1 ? '' : 's'} that can hold a replica of \`${c.name}\`` });
    const placedNote = cp.placed > 0 ? `only ${cp.placed} fit that way` : 'none fit that way';
    this.emit(makeDiagnostic('T405', c.at.spread ?? c.at.replicas ?? c.nameAt,
      `\`spread ${c.spread} even\` cannot hold for \`${c.name}\`: its ${c.replicas} replicas over the ${domains} ${word}${domains === 1 ? '' : 's'} of \`${gp.group.name}\` would be ${each}, but ${placedNote}: other containers leave some ${word}s too little room, which forces an imbalance. Lower \`replicas\`, remove \`even\` (or \`spread\`), or add ${word}s`,
      related, fixes));
    this.reported.add(c.id);
    return true;
  }

  /** T403: a replica larger than every active node of a packed target. */
  private tooBig(gp: GroupPlan, c: Container): void {
    const nodes = gp.active.map((id) => this.model.nodes[id]);
    if (nodes.length === 0) { this.packedCapacity(gp, c, 0); return; }
    const d = this.model.defaults;
    const maxCpu = Math.max(...nodes.map((n) => n.cores));
    const maxMem = Math.max(...nodes.map((n) => n.memory));
    let at: Location;
    let what: string;
    if (c.memoryRequest > maxMem) { at = this.requestAt(c, 'memory'); what = `a memory request of ${this.bytes(c.memoryRequest)}; the largest node has ${this.bytes(maxMem)}`; }
    else if (c.cpuRequest > maxCpu) { at = this.requestAt(c, 'cpu'); what = `a CPU request of ${formatCores(c.cpuRequest)} cores; the largest node has ${formatCores(maxCpu)}`; }
    else if (this.lim(c, 'memory') > maxMem * d.memoryRatio) { at = this.limitAt(c, 'memory'); what = `a memory limit of ${this.bytes(this.lim(c, 'memory'))}; the largest node allows ${this.bytes(maxMem * d.memoryRatio)} (x ${formatRatio(d.memoryRatio)})`; }
    else if (this.lim(c, 'cpu') > maxCpu * d.cpuRatio) { at = this.limitAt(c, 'cpu'); what = `a CPU limit of ${formatCores(this.lim(c, 'cpu'))} cores; the largest node allows ${formatCores(maxCpu * d.cpuRatio)} (x ${formatRatio(d.cpuRatio)})`; }
    else { at = this.placeAt(c); what = 'a size no single node matches in both CPU and memory'; }
    const biggest = largestFirst(this.model, gp.active)[0];
    const bn = this.model.nodes[biggest];
    const moves = this.moveFixes(c, true);
    // Too large only by a limit: a higher ratio of the defaults also fixes it.
    const limitRes: Resource | null = c.memoryRequest <= maxMem && c.cpuRequest <= maxCpu
      ? (this.lim(c, 'memory') > maxMem * d.memoryRatio ? 'memory' : this.lim(c, 'cpu') > maxCpu * d.cpuRatio ? 'cpu' : null) : null;
    if (limitRes) {
      const start = ratioAtLeast(this.lim(c, limitRes) / (limitRes === 'cpu' ? maxCpu : maxMem), false);
      const need = verifiedRatio(this.model, c, limitRes, start, this.budget);
      if (need !== null) moves.push(...this.ratio(null, limitRes, need, 'the smallest ratio that fits', moves.length === 0));
    }
    this.emit(makeDiagnostic('T403', at,
      `a replica of \`${c.name}\` fits on no single node of \`${gp.group.name}\`: it has ${what}. Containers on a rack or node set are packed onto one node each; ${moves.length ? 'place it on an SDS, which aggregates nodes into one machine' : 'place it on an SDS (which aggregates nodes into one machine) or add a larger node'}, or make it smaller`,
      [{ location: bn.nameAt, message: `largest node \`${bn.ref}\`: ${formatCores(bn.cores)} cores, ${this.bytes(bn.memory)}` }],
      moves));
    this.reported.add(c.id);
  }

  /** T400 on a packed target: replicas that find no node with room for their requests. */
  private packedCapacity(gp: GroupPlan, c: Container, placed: number, spread = false): void {
    const g = gp.group;
    const order = placementOrder(this.model, g.containers);
    const res: Resource = gp.requested.memory / Math.max(gp.capacity.memory, 1e-9) >= gp.requested.cpu / Math.max(gp.capacity.cpu, 1e-9) ? 'memory' : 'cpu';
    const unplaced = c.replicas - placed;
    const kind = g.kind === 'rack' ? 'rack' : 'node set';
    const why = gp.active.length === 0
      ? `\`${g.name}\` has no active node to pack onto${g.sdsNodes.length ? `: ${g.sdsNodes.length === 1 ? 'its node belongs' : `its ${g.sdsNodes.length} nodes belong`} to SDS \`${this.model.sdses[this.model.nodes[g.sdsNodes[0]].sds ?? 0]?.name ?? '?'}\`, whose nodes form one machine and are not packed onto` : ''}`
      : `${kind} \`${g.name}\` has ${this.amount(res, gp.capacity[res])} of ${RES_WORD[res]} on ${gp.active.length} active node${gp.active.length === 1 ? '' : 's'}; containers placed there request ${this.amount(res, gp.requested[res])}: ${this.breakdown(order, (x) => this.req(x, res), res)}`;
    const verified = placed >= 1 ? verifiedReplicas(this.model, c, placed, this.budget) : 0;
    this.emit(makeDiagnostic('T400', this.placeAt(c),
      `${unplaced} of ${c.replicas} replicas of \`${c.name}\` fit on no node${spread ? ` (with \`spread ${c.spread}\`, only one per ${c.spread === 'racks' ? 'rack' : 'node'})` : ''}: ${why}. Move \`${c.name}\` elsewhere, lower its replicas, or add nodes`,
      this.related(order, (x) => this.req(x, res), res, 'requests'),
      [...this.moveFixes(c, true), ...replicasFix(c, verified, `what fits on \`${g.name}\``, false)]));
  }

  /** T401 on a packed target: replicas that fit the requests but not the nodes' allowance. */
  private packedAllowance(gp: GroupPlan, c: Container, placed: number): Resource {
    const g = gp.group;
    const order = placementOrder(this.model, g.containers);
    const share = (res: Resource): number => gp.limited[res] / Math.max(gp.allowance[res], 1e-9);
    const res: Resource = share('memory') > share('cpu') ? 'memory' : 'cpu';
    const ratio = res === 'cpu' ? gp.cpuRatio : gp.memoryRatio;
    const kind = g.kind === 'rack' ? 'rack' : 'node set';
    const need = verifiedRatio(this.model, c, res, Math.max(ratioAtLeast(gp.limited[res] / Math.max(gp.capacity[res], 1e-9), false), ratio + 0.1), this.budget);
    const verified = placed >= 1 ? verifiedReplicas(this.model, c, placed, this.budget) : 0;
    const capper = packedCapper(this.model, this.plan, gp.active, res);
    this.emit(makeDiagnostic('T401', this.limitAt(c, res),
      `${c.replicas - placed} of ${c.replicas} replicas of \`${c.name}\` fit no node's ${RES_WORD[res]} allowance: ${kind} \`${g.name}\` allows ${this.amount(res, gp.allowance[res])} of ${RES_WORD[res]} limits (${this.amount(res, gp.capacity[res])} x ${formatRatio(ratio)}${capper ? `; on nodes with its containers${cappedText(capper.tenant, res, capper.ratio).slice(1)}` : ''}); containers placed there ask for ${this.amount(res, gp.limited[res])}: ${this.breakdown(order, (x) => this.lim(x, res), res)}. ${need !== null ? `Raise \`oversubscribe ${res}\` to ${formatRatio(need)}, lower` : 'Lower'} the limits or the replicas`,
      this.related(order, (x) => this.lim(x, res), res, 'limits'),
      [...(need !== null ? this.ratio(null, res, need, 'the smallest ratio that fits', true) : []), ...replicasFix(c, verified, 'what the allowance holds', false), ...this.moveFixes(c, false)]));
    return res;
  }

  // ------------------------------------------------------------------ across targets

  /** T407: `colocate` with a container on another target, or with no room beside it. */
  colocation(): void {
    for (const c of this.model.containers) {
      if (!c.colocate || !c.target || !validTarget(this.model, c.target) || this.reported.has(c.id)) continue;
      const peer = this.model.containers[c.colocate.container];
      if (!peer || peer.id === c.id || !peer.target || !validTarget(this.model, peer.target)) continue;
      const cp = this.plan.containers.get(c.id);
      const mine = this.plan.groups.find((gp) => gp.group.containers.includes(c.id))?.group;
      const theirs = this.plan.groups.find((gp) => gp.group.containers.includes(peer.id))?.group;
      if (!mine || !theirs) continue;
      const gpOf = (key: string) => this.plan.groups.find((gp) => gp.group.key === key);
      if (![gpOf(mine.key), gpOf(theirs.key)].every((gp) => gp !== undefined && this.reliable(gp))) continue;
      let why: string | null = null;
      if (mine.kind === 'sds' || theirs.kind === 'sds') {
        if (mine.key !== theirs.key) why = `\`${c.name}\` runs on ${mine.kind === 'sds' ? 'SDS' : 'packed target'} \`${mine.name}\` and \`${peer.name}\` on ${theirs.kind === 'sds' ? 'SDS' : 'packed target'} \`${theirs.name}\`: they can never share a machine`;
      } else if (cp && cp.reason === 'colocate' && cp.unplaced > 0) {
        const shared = mine.nodes.filter((id) => theirs.nodes.includes(id));
        why = shared.length === 0
          ? `\`${mine.name}\` and \`${peer.name}\`'s target \`${theirs.name}\` have no node in common`
          : `${cp.unplaced} of ${c.replicas} replicas find no room on the nodes that hold \`${peer.name}\``;
      }
      if (why === null) continue;
      const peerTargetText = this.targetText(peer);
      // offered when moving makes room beside the peer (on shared nodes that are full, it does not)
      const fixes = peerTargetText && mine.key !== theirs.key && verifiedMove(this.model, c, peer.target, this.budget)
        ? this.change(moveFix(this.source, c, peerTargetText, `Place \`${c.name}\` on \`${peerTargetText}\`, where \`${peer.name}\` runs`, true), withTarget(this.model, c, peer.target))
        : [];
      this.emit(makeDiagnostic('T407', c.colocate.at,
        `\`colocate ${peer.name}\` cannot be satisfied: ${why}. Place both on the same target, or remove \`colocate\``,
        [{ location: peer.nameAt, message: `\`${peer.name}\` runs on \`${theirs.name}\` (${peer.replicas} replica${peer.replicas === 1 ? '' : 's'})` }],
        fixes));
    }
  }

  // ------------------------------------------------------------------ T304 with checked fixes

  /** The targets a container without `place on` could run on: every SDS, and racks with an active node outside any SDS. */
  private possibleTargets(): { name: string; target: Target }[] {
    return [
      ...this.model.sdses.map((s) => ({ name: s.name, target: { kind: 'sds' as const, sds: s.id, at: s.nameAt } })),
      ...this.model.racks.filter((r) => r.nodes.some((id) => this.model.nodes[id].sds === null && this.model.nodes[id].role === 'active'))
        .map((r) => ({ name: r.name, target: { kind: 'rack' as const, rack: r.id, at: r.nameAt } })),
    ];
  }

  /** T304: a container without `place on` in a file of several possible targets (or none); a fix per target it fits on. */
  withoutTarget(): void {
    const candidates = this.possibleTargets();
    const added = addedByScenarios(this.model);
    for (const c of this.model.containers) {
      if (c.target !== null || c.at.place) continue;
      const fixes: Fix[] = [];
      for (const cand of candidates) {
        if (fixes.length >= 4) break;
        // a rack whose node a scenario adds to an SDS would make that event wrong (T202)
        if (cand.target.kind === 'rack' && this.model.racks[cand.target.rack].nodes.some((id) => added.has(id))) continue;
        if (!this.roughlyFits(c, cand.target)) continue;
        const e = insertLine(this.source, c.block, `place on ${cand.name}`);
        if (e) fixes.push(...this.change([{ title: `Place on \`${cand.name}\``, edits: [e] }], withTarget(this.model, c, cand.target)));
      }
      this.emit(makeDiagnostic('T304', c.nameAt, candidates.length === 0
        ? `container \`${c.name}\` has nowhere to run: declare a rack or an SDS and \`place on\` it`
        : `container \`${c.name}\` has no \`place on\`: this file has ${candidates.length} possible targets (${candidates.slice(0, 5).map((x) => x.name).join(', ')}), so say where it runs`, [], fixes));
    }
  }

  /**
   * T304: an SDS without `nodes`, with a fix naming nodes it may take: active nodes of one rack
   * that no other SDS holds, no container is packed onto, no scenario adds, and that are larger
   * than the reserve.
   */
  sdsWithoutNodes(): void {
    const added = addedByScenarios(this.model);
    const packed = packedNodes(this.model);
    for (const sds of this.model.sdses) {
      if (sds.at.nodes) continue;
      const options: { rack: Rack; ids: number[] }[] = [];
      for (const rack of this.model.racks) {
        const ids = rack.nodes.filter((id) => {
          const n = this.model.nodes[id];
          return n.role === 'active' && n.sds === null && !packed.has(id) && !added.has(id) && n.cores > sds.reserveCores && n.memory > sds.reserveMemory;
        });
        if (ids.length) options.push({ rack, ids });
      }
      options.sort((a, b) => b.ids.length - a.ids.length || a.rack.id - b.rack.id);
      const fixes: Fix[] = [];
      for (const o of options.slice(0, 2)) {
        const set = compactNodeSet(this.model, o.rack, o.ids);
        const e = insertLine(this.source, sds.block, `nodes ${set}`);
        if (e) fixes.push(...this.change([{ title: `Add \`nodes ${set}\``, edits: [e] }], withSdsNodes(this.model, sds, o.ids)));
      }
      const example = options.length ? compactNodeSet(this.model, options[0].rack, options[0].ids) : this.model.racks[0] ? `${this.model.racks[0].name}.*` : 'r1.n1..n4';
      this.emit(makeDiagnostic('T304', sds.nameAt, `SDS \`${sds.name}\` has no \`nodes\`: add the nodes it aggregates, e.g. \`nodes ${example}\``, [], fixes));
    }
  }

  private targetText(c: Container): string | null {
    if (!c.target) return null;
    if (!c.targetImplicit) {
      const text = this.source(c.target.at.file);
      if (text !== undefined) return text.slice(c.target.at.span.start, c.target.at.span.end);
    }
    return this.plan.groups.find((gp) => gp.group.containers.includes(c.id))?.group.name ?? null;
  }

  /** T406: an SDS whose nodes are in more than one rack. */
  sdsRacks(): void {
    for (const sds of this.model.sdses) {
      const byRack = new Map<number, number[]>();
      for (const id of sds.nodes) {
        const n = this.model.nodes[id];
        if (!n) continue;
        let l = byRack.get(n.rack);
        if (!l) { l = []; byRack.set(n.rack, l); }
        l.push(id);
      }
      if (byRack.size <= 1) continue;
      const names = [...byRack.keys()].map((r) => `\`${this.model.racks[r]?.name ?? '?'}\``);
      const fabric = this.model.fabric;
      this.emit(makeDiagnostic('T406', sds.at.nodes ?? sds.nameAt,
        `SDS \`${sds.name}\` spans ${byRack.size} racks (${names.join(', ')}): memory and vCPUs moving between its nodes cross the fabric (${formatLatency(fabric.latency)}) instead of a rack's switch; keep an SDS within one rack unless that is intended`,
        [...byRack.entries()].map(([r, ids]) => ({ location: this.model.nodes[ids[0]].nameAt, message: `${ids.length} node${ids.length === 1 ? '' : 's'} in rack \`${this.model.racks[r]?.name ?? '?'}\`` }))));
    }
  }
}

function formatLatency(s: number): string {
  if (s < 1e-3) return `${Math.round(s * 1e6 * 100) / 100}us`;
  if (s < 1) return `${Math.round(s * 1e3 * 100) / 100}ms`;
  return `${s}s`;
}
