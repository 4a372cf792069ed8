// Plain-text descriptions of nodes, containers, racks and SDSs: tooltips, ARIA labels, the table.
import { bytes, cores, percent } from './format';
import type { Summary, WContainer, WNode, World } from './world';

/** `58% ± 0.6` when the interval is known, else `58%`; `–` when null. */
export function withError(v: number | null, err: number | null, fmt: (x: number) => string, errFmt: (x: number) => string): string {
  if (v === null) return '–';
  return err !== null ? `${fmt(v)} ± ${errFmt(err)}` : fmt(v);
}

export const localityText = (c: WContainer): string => withError(c.locality, c.localityError, percent, (e) => (e * 100).toFixed(1));
export const slowdownText = (c: WContainer): string => withError(c.slowdown, c.slowdownError, (s) => `${s.toFixed(2)}×`, (e) => e.toFixed(2));

const cm = (x: { cpu: number; memory: number }): string => `${cores(x.cpu)} cores · ${bytes(x.memory)}`;

export function containerLines(c: WContainer, w: World, onNode?: string): string[] {
  const lines = [`container ${c.name}`];
  if (c.image) lines.push(`image ${c.image}`);
  if (c.tenant) lines.push(`tenant ${c.tenant.name} (isolation ${c.tenant.isolation})`);
  lines.push(`${c.replicas} replica${c.replicas === 1 ? '' : 's'}${c.target ? ` on ${c.target}` : ''}${c.unplaced ? ` · ${c.unplaced} fit nowhere` : ''}`);
  if (c.request && c.limit) lines.push(`per replica: request ${cm(c.request)}, limit ${cm(c.limit)}`);
  if (w.simulated) {
    if (c.locality !== null) lines.push(`locality ${localityText(c)} · slowdown ${slowdownText(c)}${w.stale ? ' (stale)' : ''}`);
    else lines.push('ran no replica in the steady state');
  } else {
    lines.push('locality: not simulated yet');
  }
  if (c.memory !== null) lines.push(`memory ${bytes(c.memory)}`);
  const here = onNode ? c.presence.find((p) => p.node === onNode) : undefined;
  if (here && c.presence.length > 1) lines.push(here.replicas ? `${here.replicas} replica${here.replicas === 1 ? '' : 's'} on ${onNode}` : `on ${onNode}: ${percent(here.memory)} of its memory, ${percent(here.vcpus)} of its vCPUs`);
  const mem = c.presence.filter((p) => p.memory > 0).slice(0, 6).map((p) => `${p.node} ${p.replicas ? `×${p.replicas}` : percent(p.memory)}`);
  if (mem.length) lines.push(`${c.presence.some((p) => p.replicas) ? 'replicas' : 'memory'} on ${mem.join(', ')}${c.presence.length > 6 ? ', …' : ''}`);
  if (c.talks.length) lines.push(`talks to ${c.talks.map((t) => `${t.to} (${percent(t.weight)})`).join(', ')}`);
  const by = w.containers.filter((x) => x.talks.some((t) => t.to === c.name)).map((x) => x.name);
  if (by.length) lines.push(`talked to by ${by.slice(0, 6).join(', ')}${by.length > 6 ? ', …' : ''}`);
  if (c.io.length) lines.push(`io ${c.io.map((d) => `${d.node}.${d.device} (${percent(d.weight)})`).join(', ')}`);
  return lines;
}

export function nodeLines(n: WNode, w: World): string[] {
  if (n.kind === 'unplaced') return [`${n.containers.length} container${n.containers.length === 1 ? '' : 's'} on no node`, 'unplaced, or not running in this result'];
  if (n.kind === 'pool') return [`${n.sds}: ${n.containers.length} containers`, 'placed across the SDS by the simulator (not simulated yet)'];
  const lines = [`node ${n.ref}${n.sds ? ` (SDS ${n.sds})` : n.target ? ` (${n.target})` : ''}`];
  lines.push(`capacity ${cm(n.capacity)}`);
  if (n.allowance) lines.push(`allowance ${cm(n.allowance)}`);
  if (n.requested && n.limited) lines.push(`requested ${cm(n.requested)} · limited ${cm(n.limited)}`);
  if (n.used) lines.push(`used ${cores(n.used.cpu)} cores (${percent(n.capacity.cpu ? n.used.cpu / n.capacity.cpu : 0)}) · ${bytes(n.used.memory)} (${percent(n.capacity.memory ? n.used.memory / n.capacity.memory : 0)})${w.stale ? ' (stale)' : ''}`);
  lines.push(`pressure: ${n.pressureText}`);
  lines.push(`${n.containers.length} container${n.containers.length === 1 ? '' : 's'}`);
  const tenants = nodeTenants(n, w);
  if (tenants.length) lines.push(`tenant${tenants.length === 1 ? '' : 's'} ${tenants.join(', ')}`);
  if (n.failed) lines.push('FAILED in this scenario');
  if (n.spare) lines.push('spare');
  return lines;
}

/** The tenants of a node's containers (`default` for those without one), when the file has tenants. */
export function nodeTenants(n: WNode, w: World): string[] {
  if (w.tenants.length === 0) return [];
  const names = new Set<string>();
  for (const name of n.containers) {
    const c = w.containerIndex.get(name);
    if (c) names.add(c.tenant?.name ?? 'default');
  }
  return [...names].sort();
}

export function summaryLines(s: Summary): string[] {
  const f = (a: number, b: number): string => (b > 0 ? percent(a / b) : '–');
  const lines = [
    `${s.kind === 'rack' ? 'rack' : 'SDS'} ${s.name}: ${s.nodes} node${s.nodes === 1 ? '' : 's'}, ${s.containers} container${s.containers === 1 ? '' : 's'}`,
    `CPU requests ${cores(s.cpuRequested)} of ${cores(s.cpuAllowance)} cores allowed (${f(s.cpuRequested, s.cpuAllowance)})`,
    `CPU limits ${cores(s.cpuLimited)} (${f(s.cpuLimited, s.cpuAllowance)})`,
    `memory requests ${bytes(s.memoryRequested)} of ${bytes(s.memoryAllowance)} (${f(s.memoryRequested, s.memoryAllowance)})`,
  ];
  if (s.cpuUsed !== null && s.memoryUsed !== null) lines.push(`used ${cores(s.cpuUsed)} cores (${f(s.cpuUsed, s.cpuCapacity)}) · ${bytes(s.memoryUsed)} (${f(s.memoryUsed, s.memoryCapacity)})`);
  if (s.hottest) lines.push(`most loaded node ${s.hottest}`);
  if (s.worst) lines.push(`${s.worst.code ?? s.worst.severity}: ${s.worst.text}`);
  return lines;
}
