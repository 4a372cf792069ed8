import { formatBytes, formatNumber, formatPercent } from '../model/units';
import type { CpuMemory } from '../result';
import type { Container, Tenant } from '../model/types';
import type { Block } from '../syntax/ast';
import type { Span } from '../text';
import type { IdeSnapshot, InlayHint, InlayHintOptions } from './types';
import { containerTargetUsage } from './usage';
import { tenantRequests, tenantSpread } from './tenant-hover';

function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * After `place on TARGET`: what this container's replicas request (` +4 cores · +8GiB`), and on
 * the first container of the file placed on a target, that target's totals: every request on
 * its nodes, including those of containers placed on a node set inside it, over its capacity
 * (` · r2 76/64 cores · 120GiB/256GiB`). Units as hover writes them. After a container's
 * name, once simulated: its predicted locality (` 93% local`). On a tenant: after its `quota`,
 * what its replicas request against it (` uses 12/16 cores · 40GiB/64GiB`); after its name,
 * where its replicas run (` 6 replicas on 3 nodes`, with the VMs a `vm` tenant pays for:
 * ` · 2 VMs, +2 cores · +4GiB`). A container's `tenant x` gets none: the name says it all.
 */
export function inlayHints(s: IdeSnapshot, span: Span, options: InlayHintOptions): InlayHint[] {
  try {
    const tree = s.check.trees.get(s.file);
    if (!tree || (!options.utilisation && !options.locality)) return [];
    const model = s.check.model;
    const byDecl = new Map<number, Container>();
    for (const c of model.containers) if (c.nameAt.file === s.file) byDecl.set(c.nameAt.span.start, c);
    const sim = new Map((s.simulation?.containers ?? []).map((c) => [c.name, c]));
    const out: InlayHint[] = [];
    // each target's totals once, on the first container of this file placed on it
    const shownTargets = new Set<string | null>();
    const tenants = new Map<number, Tenant>();
    for (const t of model.tenants) if (t.nameAt.file === s.file) tenants.set(t.nameAt.span.start, t);
    for (const item of tree.items) {
      if (item.kind === 'block' && item.blockKind === 'tenant' && item.name && options.utilisation && overlaps(item.span, span)) {
        const t = tenants.get(item.name.span.start);
        if (t) out.push(...tenantHints(s, t, item, span));
        continue;
      }
      if (item.kind !== 'block' || item.blockKind !== 'container' || !item.name || !overlaps(item.span, span)) continue;
      const c = byDecl.get(item.name.span.start);
      if (!c) continue;
      if (options.locality) {
        const r = sim.get(c.name);
        if (r && r.locality !== null && overlaps(item.name.span, span)) {
          out.push({
            offset: item.name.span.end,
            label: ` ${formatPercent(r.locality)} local`,
            tooltip: `Predicted locality ${formatPercent(r.locality)}${r.slowdown !== null ? `, slowdown ×${formatNumber(r.slowdown)}` : ''} (simulated with policy ${s.simulation?.input.policy ?? '?'})`,
            kind: 'locality',
          });
        }
      }
      if (options.utilisation) {
        const value = placeValue(item);
        const hint = value && value.end >= span.start && value.end <= span.end ? utilisationHint(s, c, value, shownTargets) : null;
        if (hint) out.push(hint);
        else if (value) shownTargets.add(targetKey(s, c));
      }
    }
    return out.sort((a, b) => a.offset - b.offset);
  } catch {
    return [];
  }
}

/** After a tenant's name: where its replicas run; after its `quota`: its requests against it. */
function tenantHints(s: IdeSnapshot, t: Tenant, b: Block, span: Span): InlayHint[] {
  const out: InlayHint[] = [];
  const within = (offset: number): boolean => offset >= span.start && offset <= span.end;
  const u = tenantRequests(s.check.model, t.id);
  const where = tenantSpread(s.check, t.id);
  const name = b.name?.span;
  if (name && within(name.end) && where.replicas > 0) {
    let label = ` ${where.replicas} replica${where.replicas === 1 ? '' : 's'} on ${where.nodes} node${where.nodes === 1 ? '' : 's'}`;
    let tooltip = `Replicas of tenant \`${t.name}\` placed on the nodes of racks and node sets (${u.containers.map((c) => `\`${c}\``).join(', ')}).`;
    if (t.isolation === 'vm' && where.shared > 0) {
      label += ` · ${where.shared} VM${where.shared === 1 ? '' : 's'}, +${cores(where.shared * t.overhead.cpu)} · +${formatBytes(where.shared * t.overhead.memory)}`;
      tooltip += ` It shares ${where.shared} of those nodes with another tenant and runs one VM on each: ${cores(t.overhead.cpu)} and ${formatBytes(t.overhead.memory)} of overhead a VM, counted as request and limit there.`;
    } else if (t.isolation === 'dedicated') tooltip += ' `dedicated`: no other tenant runs on those nodes.';
    out.push({ offset: name.end, label, tooltip, kind: 'utilisation' });
  }
  const quota = propertyEnd(b, 'quota');
  if (t.quota && quota !== null && within(quota)) {
    const parts: string[] = [];
    if (t.quota.cpu !== null) parts.push(`${formatNumber(Math.round(u.cpu * 1000) / 1000)}/${cores(t.quota.cpu)}`);
    if (t.quota.memory !== null) parts.push(`${formatBytes(u.memory)}/${formatBytes(t.quota.memory)}`);
    if (parts.length) {
      out.push({
        offset: quota, label: ` uses ${parts.join(' · ')}`, kind: 'utilisation',
        tooltip: `Requests of all the replicas of tenant \`${t.name}\` against its quota (VM overhead is not counted in a quota)${u.containers.length ? `: ${u.containers.map((c) => `\`${c}\``).join(', ')}` : ': no container names it'}.`,
      });
    }
  }
  return out;
}

/** Where the last value of a block's property ends, or null. */
function propertyEnd(b: Block, name: string): number | null {
  for (const m of b.members) {
    if (m.kind !== 'property' || m.name.text !== name) continue;
    const a = m.args[m.args.length - 1];
    return a ? a.span.end : m.name.span.end;
  }
  return null;
}

/** Where the target after `place on` is written, or null. */
function placeValue(b: Block): Span | null {
  for (const m of b.members) {
    if (m.kind !== 'property' || m.name.text !== 'place') continue;
    const a = m.args[m.args.length - 1];
    if (m.args.length >= 2 && a) return { start: m.args[1].span.start, end: a.span.end };
  }
  return null;
}

/** `0.75 cores`, `2 cores`: in cores always (`750m cores` reads as a unit twice). */
function cores(v: number): string {
  return `${formatNumber(Math.round(v * 1000) / 1000)} cores`;
}

function targetKey(s: IdeSnapshot, c: Container): string | null {
  const t = containerTargetUsage(s.check, c);
  return t ? `${t.kind}:${t.name}` : null;
}

function utilisationHint(s: IdeSnapshot, c: Container, value: Span, shown: Set<string | null>): InlayHint | null {
  const t = containerTargetUsage(s.check, c);
  if (!t) return null;
  const adds = `+${cores(c.cpuRequest * c.replicas)} · +${formatBytes(c.memoryRequest * c.replicas)}`;
  const each = c.replicas > 1 ? ` (${c.replicas} replicas of ${cores(c.cpuRequest)}, ${formatBytes(c.memoryRequest)})` : '';
  const key = `${t.kind}:${t.name}`;
  const first = !shown.has(key);
  shown.add(key);
  let label = ` ${adds}`;
  let tooltip = `\`${c.name}\` requests ${adds.replace(/\+/g, '')} on \`${t.name}\`${each}.`;
  if (first) {
    const total = targetTotals(s, t);
    label += ` · ${s.text.slice(value.start, value.end)} ${formatNumber(Math.round(total.requested.cpu * 1000) / 1000)}/${cores(total.capacity.cpu)} · ${formatBytes(total.requested.memory)}/${formatBytes(total.capacity.memory)}`;
    tooltip += ` All requests on \`${t.name}\` over its capacity${total.others ? ` (${total.others === 1 ? 'one container' : `${total.others} containers`} placed on other targets that share its nodes)` : ''}. Limits of the containers placed on \`${t.name}\` itself: ${formatNumber(Math.round(t.usage.limited.cpu * 1000) / 1000)}/${cores(t.usage.allowance.cpu)}, ${formatBytes(t.usage.limited.memory)}/${formatBytes(t.usage.allowance.memory)} of the oversubscription allowance.`;
  }
  return { offset: value.end, label, tooltip, kind: 'utilisation' };
}

/**
 * A target's capacity and every request on its nodes: the placement lists each node with all
 * the replicas on it, so a rack's totals include the containers placed on a node set inside it
 * (and a node set's those placed on its rack). `others`: how many containers of other targets
 * count.
 */
function targetTotals(s: IdeSnapshot, t: NonNullable<ReturnType<typeof containerTargetUsage>>): { capacity: CpuMemory; requested: CpuMemory; others: number } {
  const own = s.check.placement.targets.find((p) => p.kind === t.kind && p.target === t.name);
  if (!own || t.kind === 'sds') return { capacity: t.usage.capacity, requested: t.usage.requested, others: 0 };
  const mine = new Set(own.containers);
  const others = new Set<string>();
  let cpu = 0;
  let memory = 0;
  for (const n of own.nodes) {
    cpu += n.requested.cpu;
    memory += n.requested.memory;
    for (const r of n.replicas) if (!mine.has(r.container)) others.add(r.container);
  }
  return { capacity: t.usage.capacity, requested: { cpu, memory }, others: others.size };
}
