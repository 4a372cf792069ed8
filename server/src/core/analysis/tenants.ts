/**
 * Tenant diagnostics over a model and its plan: T408 (isolation cannot hold: replicas a
 * dedicated tenant keeps off shared nodes, or a `dedicated`/`vm` tenant on an SDS with another
 * tenant), T409 (a tenant's requests over its quota), T400/T403 on `network` requests that
 * the nodes' NICs cannot carry, and T401 where a tenant's `oversubscribe` caps a target. Each
 * sits on the value to change and lists the places involved; fixes move the container to a
 * target where isolation holds (checked by placing the model again) or raise the quota to
 * what is needed.
 */

import { makeDiagnostic, type Diagnostic, type Fix, type RelatedInformation } from '../diagnostics';
import type { Container, Model, Target, Tenant } from '../model/types';
import type { Location } from '../text';
import { planModel, tenantsOnNode, type GroupPlan, type Plan } from '../placement/index';
import { formatBytes, formatCores, formatGbps, formatRatio } from '../placement/format';
import { packingNodes, targetKey } from '../placement/targets';
import { moveFix, replace, type SourceOf } from './edits';
import { verifiedMove, type VerifyBudget } from './verify';

const MAX_RELATED = 24;
const MiB = 1024 ** 2;

function tenantName(model: Model, t: number | null): string {
  return t === null ? 'the default tenant' : `tenant \`${model.tenants[t]?.name ?? '?'}\``;
}

function isolationOf(model: Model, t: number | null): Tenant['isolation'] {
  return t === null ? 'shared' : model.tenants[t]?.isolation ?? 'shared';
}

/** A CPU amount as written, rounded up to a millicore: `4`, `2500m`. */
export function cpuWritten(cores: number): string {
  if (Math.abs(cores - Math.round(cores)) < 1e-9) return String(Math.round(cores));
  return `${Math.ceil(cores * 1000 - 1e-6)}m`;
}

/** A size as written, rounded up to a MiB unless it is a whole number of a larger binary unit: `32GiB`, `1536MiB`. */
export function bytesWritten(bytes: number): string {
  for (const [unit, f] of [['PiB', 1024 ** 5], ['TiB', 1024 ** 4], ['GiB', 1024 ** 3]] as const) {
    if (bytes >= f && Math.abs(bytes / f - Math.round(bytes / f)) < 1e-9) return `${Math.round(bytes / f)}${unit}`;
  }
  return `${Math.ceil(bytes / MiB - 1e-9)}MiB`;
}

/** A bandwidth as a person writes it: `10Gbps` (placement/format.ts). */
export const gbps = formatGbps;

export class TenantAnalysis {
  constructor(
    private readonly model: Model,
    private readonly plan: Plan,
    private readonly source: SourceOf,
    private readonly budget: VerifyBudget,
  ) {}

  run(): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const t of this.model.tenants) out.push(...this.quota(t));
    for (const gp of this.plan.groups) {
      if (gp.group.kind === 'sds') { out.push(...this.sdsIsolation(gp)); out.push(...this.sdsNetwork(gp)); continue; }
      for (const id of gp.group.containers) {
        const cp = this.plan.containers.get(id);
        if (!cp || cp.unplaced === 0) continue;
        if (cp.reason === 'isolation') out.push(this.packedIsolation(gp, this.model.containers[id], cp.unplaced));
        else if (cp.reason === 'network') out.push(this.packedNetwork(gp, this.model.containers[id], cp.unplaced));
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ T409

  private quota(t: Tenant): Diagnostic[] {
    if (!t.quota) return [];
    const mine = this.model.containers.filter((c) => c.tenant === t.id);
    const out: Diagnostic[] = [];
    for (const res of ['cpu', 'memory'] as const) {
      const quota = t.quota[res];
      const at = res === 'cpu' ? t.at.quotaCpu : t.at.quotaMemory;
      if (quota === null || !at) continue;
      const per = (c: Container): number => (res === 'cpu' ? c.cpuRequest : c.memoryRequest);
      const used = mine.reduce((s, c) => s + c.replicas * per(c), 0);
      if (used <= quota * (1 + 1e-12) + 1e-9) continue;
      const show = (v: number): string => (res === 'cpu' ? `${formatCores(v)} cores` : formatBytes(v));
      const related: RelatedInformation[] = mine.filter((c) => per(c) > 0).slice(0, MAX_RELATED).map((c) => ({
        location: c.at.tenant ?? c.nameAt,
        message: `\`${c.name}\`: ${c.replicas} x ${show(per(c))} = ${show(c.replicas * per(c))} (${Math.round((c.replicas * per(c) / used) * 100)}% of the tenant's ${res} requests)`,
      }));
      const written = res === 'cpu' ? cpuWritten(used) : bytesWritten(used);
      const fixes: Fix[] = [{ title: `Raise the ${res} quota of \`${t.name}\` to ${written} (what its containers request)`, edits: [replace(at, written)], preferred: true }];
      out.push(makeDiagnostic('T409', at,
        `tenant \`${t.name}\` has a ${res} quota of ${show(quota)}, but its containers request ${show(used)}: ${mine.filter((c) => per(c) > 0).map((c) => `\`${c.name}\` ${show(c.replicas * per(c))}`).join(', ')}. Raise the quota to ${written}, or lower the requests or replicas`,
        related, fixes));
    }
    return out;
  }

  // ------------------------------------------------------------------ T408

  /** Other tenants' containers on these nodes (model ids), with the nodes each holds. */
  private othersOn(nodes: readonly number[], tenant: number | null): RelatedInformation[] {
    const held = new Map<number, string[]>();
    for (const id of nodes) {
      for (const [cid] of this.plan.onNode.get(id) ?? []) {
        if (this.model.containers[cid].tenant === tenant) continue;
        const l = held.get(cid) ?? [];
        const ref = this.model.nodes[id].ref;
        if (!l.includes(ref)) l.push(ref);
        held.set(cid, l);
      }
    }
    return [...held].slice(0, MAX_RELATED).map(([cid, refs]) => {
      const o = this.model.containers[cid];
      return { location: o.at.tenant ?? o.nameAt, message: `\`${o.name}\` (${tenantName(this.model, o.tenant)}, ${isolationOf(this.model, o.tenant)}) runs on ${refs.slice(0, 6).map((r) => `\`${r}\``).join(', ')}${refs.length > 6 ? ', …' : ''}` };
    });
  }

  private packedIsolation(gp: GroupPlan, c: Container, unplaced: number): Diagnostic {
    const own = isolationOf(this.model, c.tenant);
    const at: Location = own === 'dedicated' && c.at.tenant ? c.at.tenant : c.target && !c.targetImplicit ? c.target.at : c.at.tenant ?? c.nameAt;
    const related = this.othersOn(gp.active, c.tenant);
    const why = own === 'dedicated'
      ? `${tenantName(this.model, c.tenant)} is \`dedicated\` and needs nodes of its own, but the nodes of \`${gp.group.name}\` that could hold ${unplaced === 1 ? 'it' : 'them'} hold other tenants' containers`
      : `the nodes of \`${gp.group.name}\` that could hold ${unplaced === 1 ? 'it' : 'them'} are set aside for a \`dedicated\` tenant`;
    return makeDiagnostic('T408', at,
      `tenant isolation cannot hold: ${unplaced} of ${c.replicas} replicas of \`${c.name}\` find no node: ${why}.${this.nicsShort(gp, c)} Move \`${c.name}\` to a target where isolation holds, or add nodes`,
      related, this.moves(c));
  }

  /** A note when the target's NICs together are also asked for more than they carry (without isolation some replicas would still be out). */
  private nicsShort(gp: GroupPlan, c: Container): string {
    if (c.network <= 0) return '';
    const nics = gp.active.reduce((s, id) => s + this.model.nodes[id].nic, 0);
    const asked = gp.group.containers.reduce((s, id) => s + this.model.containers[id].replicas * this.model.containers[id].network, 0);
    if (asked <= nics * (1 + 1e-9)) return '';
    return ` The network is short there too: the containers on \`${gp.group.name}\` request ${gbps(asked)} of network bandwidth, and its active nodes' NICs carry ${gbps(nics)} together.`;
  }

  private sdsIsolation(gp: GroupPlan): Diagnostic[] {
    const ids = gp.group.containers;
    const tenants = [...new Set(ids.map((id) => this.model.containers[id].tenant))];
    if (tenants.length < 2) return [];
    const out: Diagnostic[] = [];
    for (const t of tenants) {
      const iso = isolationOf(this.model, t);
      if (iso === 'shared' || t === null) continue;
      for (const c of ids.map((id) => this.model.containers[id]).filter((x) => x.tenant === t)) out.push(this.sdsIsolationOf(gp, c, t, iso));
    }
    return out;
  }

  /** T408 on one container of a `dedicated` or `vm` tenant that shares an SDS with another tenant. */
  private sdsIsolationOf(gp: GroupPlan, c: Container, t: number, iso: Tenant['isolation']): Diagnostic {
    const ids = gp.group.containers;
    const at = c.at.tenant ?? c.nameAt;
    const related = ids.map((id) => this.model.containers[id]).filter((x) => x.tenant !== t).slice(0, MAX_RELATED)
      .map((x) => ({ location: x.at.tenant ?? x.nameAt, message: `\`${x.name}\` (${tenantName(this.model, x.tenant)}) also runs on SDS \`${gp.group.name}\`` }));
    const why = iso === 'vm'
      ? 'an SDS is one guest operating system and runs no VMs, so a `vm` tenant cannot share it'
      : 'a `dedicated` tenant shares no node or SDS';
    return makeDiagnostic('T408', at,
      `tenant isolation cannot hold on SDS \`${gp.group.name}\`: \`${c.name}\` belongs to ${tenantName(this.model, t)} (\`${iso}\`), and other tenants run there too; ${why}. Move it to a target where isolation holds`,
      related, this.moves(c));
  }

  /** Whether isolation holds for `c` on an SDS: no other tenant there, or both shared. */
  private sdsHolds(c: Container, sds: number): boolean {
    const others = this.model.containers.filter((x) => x.id !== c.id && x.target?.kind === 'sds' && x.target.sds === sds);
    if (others.length === 0) return true;
    const mine = isolationOf(this.model, c.tenant);
    return others.every((x) => x.tenant === c.tenant || (mine === 'shared' && isolationOf(this.model, x.tenant) === 'shared'));
  }

  /** Fixes moving `c` to every other rack or SDS where all its replicas fit and isolation holds (the first three). */
  private moves(c: Container): Fix[] {
    if (c.colocate !== null || this.model.containers.some((x) => x.colocate?.container === c.id)) return [];
    const candidates: { target: Target; name: string }[] = [
      ...this.model.racks.map((r) => ({ target: { kind: 'rack' as const, rack: r.id, at: c.target?.at ?? c.nameAt }, name: r.name })),
      ...this.model.sdses.map((s) => ({ target: { kind: 'sds' as const, sds: s.id, at: c.target?.at ?? c.nameAt }, name: s.name })),
    ];
    const fixes: Fix[] = [];
    for (const cand of candidates) {
      if (fixes.length >= 3) break;
      if (c.target && targetKey(c.target) === targetKey(cand.target)) continue;
      if (cand.target.kind === 'sds' && !this.sdsHolds(c, cand.target.sds)) continue;
      // a target without an active node to pack onto holds nothing (a container that asks for nothing would "fit" there)
      if (packingNodes(this.model, cand.target).every((id) => this.model.nodes[id].role !== 'active')) continue;
      if (!this.moveHolds(c, cand.target)) continue;
      fixes.push(...moveFix(this.source, c, cand.name, `Move \`${c.name}\` to ${cand.target.kind === 'sds' ? 'SDS' : 'rack'} \`${cand.name}\` (isolation holds there)`, fixes.length === 0));
    }
    return fixes;
  }

  /** Whether moving `c` to `target` places all its replicas and leaves no other container with more replicas out (placing the model again). */
  private moveHolds(c: Container, target: Target): boolean {
    if (c.network > 0 && !this.networkRoom(c, target)) return false;
    if (!verifiedMove(this.model, c, target, this.budget)) return false;
    if (this.budget.left <= 0) return true;
    this.budget.left--;
    const m: Model = { ...this.model, containers: this.model.containers.map((x) => (x.id === c.id ? { ...x, target, targetImplicit: false } : x)) };
    const after = planModel(m, { improveBudget: 0, headroom: false });
    for (const [id, cp] of after.containers) {
      if (id === c.id) continue;
      if (cp.unplaced > (this.plan.containers.get(id)?.unplaced ?? 0)) return false;
    }
    return true;
  }

  /**
   * Whether the NICs of `target` together carry what is placed there with `c` added. Without it a
   * move can turn another container's shortage into a network one (its replicas still out, a new T400).
   */
  private networkRoom(c: Container, target: Target): boolean {
    const nics = packingNodes(this.model, target).filter((id) => this.model.nodes[id].role === 'active').reduce((s, id) => s + this.model.nodes[id].nic, 0);
    const key = targetKey(target);
    const used = this.model.containers.filter((x) => x.id !== c.id && x.target && targetKey(x.target) === key).reduce((s, x) => s + x.replicas * x.network, 0);
    return used + c.replicas * c.network <= nics * (1 + 1e-12) + 1e-9;
  }

  // ------------------------------------------------------------------ network

  private packedNetwork(gp: GroupPlan, c: Container, unplaced: number): Diagnostic {
    const at = c.at.network ?? c.nameAt;
    const nodes = gp.active.map((id) => this.model.nodes[id]);
    const maxNic = Math.max(0, ...nodes.map((n) => n.nic));
    // the nodes that could hold one replica's CPU and memory (requests and limits) if they were empty
    const d = this.model.defaults;
    const holders = nodes.filter((n) => n.cores + 1e-9 >= c.cpuRequest && n.memory + 1e-9 >= c.memoryRequest
      && n.cores * d.cpuRatio + 1e-9 >= Math.max(c.cpuLimit, c.cpuRequest) && n.memory * d.memoryRatio + 1e-9 >= Math.max(c.memoryLimit, c.memoryRequest));
    const holderNic = Math.max(0, ...holders.map((n) => n.nic));
    if (c.network > holderNic + 1e-9) {
      const everywhere = c.network > maxNic + 1e-9;
      const big = (everywhere ? nodes : holders).find((n) => n.nic === (everywhere ? maxNic : holderNic));
      const what = everywhere
        ? `the largest node's \`nic\` is ${gbps(maxNic)}`
        : holders.length === 0 ? 'no node has both the NIC and the CPU and memory for it'
          : `the nodes with the CPU and memory for it have at most ${gbps(holderNic)} of \`nic\` (a node with a faster NIC lacks the cores or memory)`;
      return makeDiagnostic('T403', at,
        `a replica of \`${c.name}\` fits on no single node of \`${gp.group.name}\`: it requests ${gbps(c.network)} of network bandwidth; ${what}. Lower \`network\`, or add a node with a faster NIC`,
        big ? [{ location: big.nameAt, message: `\`${big.ref}\`: nic ${gbps(big.nic)}, ${formatCores(big.cores)} cores` }] : [], []);
    }
    const onTarget = gp.group.containers.map((id) => this.model.containers[id]).filter((x) => x.network > 0);
    const total = onTarget.reduce((s, x) => s + x.replicas * x.network, 0);
    const nics = nodes.reduce((s, n) => s + n.nic, 0);
    return makeDiagnostic('T400', at,
      `${unplaced} of ${c.replicas} replicas of \`${c.name}\` fit on no node: the network bandwidth is short. Each requests ${gbps(c.network)}; the ${nodes.length} active nodes of \`${gp.group.name}\` have ${gbps(nics)} of \`nic\` together, and the containers placed there request ${gbps(total)}: ${onTarget.map((x) => `\`${x.name}\` ${x.replicas} x ${gbps(x.network)}`).join(', ')}. Lower \`network\` or the replicas, or add nodes`,
      onTarget.slice(0, MAX_RELATED).map((x) => ({ location: x.at.network ?? x.nameAt, message: `\`${x.name}\`: ${x.replicas} x ${gbps(x.network)} = ${gbps(x.replicas * x.network)} of network bandwidth` })), []);
  }

  /** An SDS's network: the requests of its containers against its active nodes' NICs together. */
  private sdsNetwork(gp: GroupPlan): Diagnostic[] {
    const onTarget = gp.group.containers.map((id) => this.model.containers[id]).filter((x) => x.network > 0);
    if (onTarget.length === 0) return [];
    const nics = gp.active.reduce((s, id) => s + this.model.nodes[id].nic, 0);
    let total = 0;
    let tip: Container | null = null;
    for (const x of onTarget) { total += x.replicas * x.network; if (!tip && total > nics * (1 + 1e-12) + 1e-9) tip = x; }
    if (!tip) return [];
    const at = tip.at.network ?? tip.nameAt;
    return [makeDiagnostic('T400', at,
      `SDS \`${gp.group.name}\` has ${gbps(nics)} of network bandwidth (the \`nic\` of its ${gp.active.length} active nodes together); containers placed there request ${gbps(total)}: ${onTarget.map((x) => `\`${x.name}\` ${x.replicas} x ${gbps(x.network)}`).join(', ')}. Lower \`network\` or the replicas, or move \`${tip.name}\` elsewhere`,
      onTarget.slice(0, MAX_RELATED).map((x) => ({ location: x.at.network ?? x.nameAt, message: `\`${x.name}\`: ${x.replicas} x ${gbps(x.network)} = ${gbps(x.replicas * x.network)} of network bandwidth` })), [])];
  }
}

/** The tenant whose `oversubscribe` sets a target's ratio for a resource (below `own`), or null. */
export function cappingTenant(model: Model, containers: readonly number[], res: 'cpu' | 'memory', ratio: number, own: number): Tenant | null {
  if (ratio >= own - 1e-12) return null;
  for (const t of new Set(containers.map((id) => model.containers[id].tenant))) {
    if (t === null) continue;
    const cap = model.tenants[t]?.oversubscribe?.[res];
    if (cap !== null && cap !== undefined && Math.abs(cap - ratio) < 1e-12) return model.tenants[t];
  }
  return null;
}

/** `capped by tenant `bank`'s `oversubscribe cpu 1.0`` for a T401 message. */
export function cappedText(t: Tenant, res: 'cpu' | 'memory', ratio: number): string {
  return `, capped by tenant \`${t.name}\`'s \`oversubscribe ${res} ${formatRatio(ratio)}\``;
}

/** On packed nodes: a tenant whose `oversubscribe` lowers a node's ratio below the defaults', and that ratio. */
export function packedCapper(model: Model, plan: Plan, nodes: readonly number[], res: 'cpu' | 'memory'): { tenant: Tenant; ratio: number } | null {
  const own = res === 'cpu' ? model.defaults.cpuRatio : model.defaults.memoryRatio;
  for (const id of nodes) {
    const t = tenantsOnNode(plan, id);
    const ratio = t ? (res === 'cpu' ? t.cpuRatio : t.memoryRatio) : own;
    if (ratio >= own - 1e-12) continue;
    const on = (plan.onNode.get(id) ?? []).map(([cid]) => cid);
    const tenant = cappingTenant(model, on.length ? on : model.containers.map((c) => c.id), res, ratio, own);
    if (tenant) return { tenant, ratio };
  }
  return null;
}

/** Raise a tenant's `oversubscribe` ratio to `need` (when that is within what the target itself allows). */
export function tenantRatioFix(t: Tenant, res: 'cpu' | 'memory', need: number, own: number): Fix[] {
  const at = res === 'cpu' ? t.at.cpuRatio : t.at.memoryRatio;
  if (!at || need > own + 1e-12) return [];
  return [{ title: `Raise \`oversubscribe ${res}\` of tenant \`${t.name}\` to ${formatRatio(need)} (the smallest ratio that fits)`, edits: [replace(at, formatRatio(need))], preferred: true }];
}
