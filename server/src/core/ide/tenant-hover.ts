import type { CheckResult } from '../check';
import { formatBytes, formatCores, formatNumber } from '../model/units';
import type { Model, Node, Tenant } from '../model/types';

/**
 * Hover text about tenants: a tenant's isolation, its usage against its quota and where its
 * replicas run; the tenants of a node.
 */

function pct(a: number, b: number): string {
  return b > 0 ? `${Math.round((a / b) * 100)}%` : '—';
}

/** The requests of all a tenant's replicas (no VM overhead: a quota counts the replicas). */
export function tenantRequests(model: Model, tenant: number): { cpu: number; memory: number; network: number; containers: string[] } {
  let cpu = 0, memory = 0, network = 0;
  const containers: string[] = [];
  for (const c of model.containers) {
    if (c.tenant !== tenant) continue;
    cpu += c.cpuRequest * c.replicas;
    memory += c.memoryRequest * c.replicas;
    network += c.network * c.replicas;
    containers.push(c.name);
  }
  return { cpu, memory, network, containers };
}

/** Per node ref, the replicas of each tenant placed there (tenant name, or null for the default tenant). */
function replicasByNode(check: CheckResult): Map<string, Map<number | null, number>> {
  const tenantOf = new Map(check.model.containers.map((c) => [c.name, c.tenant]));
  const out = new Map<string, Map<number | null, number>>();
  for (const t of check.placement?.targets ?? []) {
    for (const n of t.nodes) {
      for (const r of n.replicas) {
        const tenant = tenantOf.get(r.container) ?? null;
        let m = out.get(n.ref);
        if (!m) out.set(n.ref, (m = new Map()));
        m.set(tenant, (m.get(tenant) ?? 0) + 1);
      }
    }
  }
  return out;
}

/** Where a tenant's replicas run on packed nodes: how many replicas, on how many nodes, and on how many of them it shares the node with another tenant (where a `vm` tenant runs a VM). */
export function tenantSpread(check: CheckResult, tenant: number): { replicas: number; nodes: number; shared: number } {
  let replicas = 0, nodes = 0, shared = 0;
  for (const m of replicasByNode(check).values()) {
    const k = m.get(tenant);
    if (!k) continue;
    replicas += k;
    nodes++;
    if (m.size > 1) shared++;
  }
  return { replicas, nodes, shared };
}

function quotaLine(used: number, quota: number | null, show: (v: number) => string, what: string): string {
  if (quota === null) return `| ${what} | ${show(used)} | no quota |`;
  return `| ${what} | ${show(used)} | ${show(quota)} (${pct(used, quota)}${used > quota ? ', **over**' : ''}) |`;
}

export function tenantHover(check: CheckResult, t: Tenant): string {
  const model = check.model;
  const u = tenantRequests(model, t.id);
  const head = `**tenant** \`${t.name}\` — isolation ${t.isolation}${t.isolation === 'vm' ? ` (one VM per shared node: ${formatCores(t.overhead.cpu)} cores, ${formatBytes(t.overhead.memory)})` : ''}`;
  const lines = [head, ''];
  lines.push('| | requests | quota |', '| --- | --- | --- |');
  lines.push(quotaLine(u.cpu, t.quota?.cpu ?? null, (v) => `${formatCores(v)} cores`, 'CPU'));
  lines.push(quotaLine(u.memory, t.quota?.memory ?? null, formatBytes, 'memory'));
  if (t.oversubscribe) lines.push('', `Caps oversubscription where it runs: ${[t.oversubscribe.cpu !== null ? `cpu ${formatNumber(t.oversubscribe.cpu)}` : '', t.oversubscribe.memory !== null ? `memory ${formatNumber(t.oversubscribe.memory)}` : ''].filter(Boolean).join(', ')}`);
  lines.push('', u.containers.length ? `Containers: ${u.containers.slice(0, 12).map((c) => `\`${c}\``).join(', ')}${u.containers.length > 12 ? `, … (${u.containers.length})` : ''}` : 'No container names this tenant.');
  const nodes: string[] = [];
  for (const [ref, m] of replicasByNode(check)) if (m.has(t.id)) nodes.push(`\`${ref}\` (${m.get(t.id)})`);
  if (nodes.length) lines.push(`Runs on: ${nodes.slice(0, 12).join(', ')}${nodes.length > 12 ? `, … (${nodes.length} nodes)` : ''}`);
  return lines.join('\n');
}

/** `- tenants: acme (2 replicas), default (1)` for a node that holds replicas, else nothing. */
export function nodeTenantsLine(check: CheckResult, n: Node): string[] {
  const m = replicasByNode(check).get(n.ref);
  if (!m || m.size === 0) return [];
  const name = (id: number | null): string => (id === null ? 'the default tenant' : `\`${check.model.tenants[id]?.name ?? '?'}\``);
  const parts = [...m].map(([id, count]) => `${name(id)} (${count} replica${count === 1 ? '' : 's'})`);
  return [`- tenants: ${parts.join(', ')}`];
}
