import type { CheckResult } from '../check';
import { formatBytes, formatCores, formatDuration, formatNumber, formatPercent, groupDigits, UNIT_KIND_OF, UNITS } from '../model/units';
import type { Container, Model, Node } from '../model/types';
import { describeEvent } from '../model/events';
import type { BlockKind, Import, NumberLit, Property } from '../syntax/ast';
import { dirname, resolvePath } from '../host';
import { BLOCK_DOCS, propertySpec } from '../syntax/schema';
import { EVENT_KINDS, EVENT_SYNTAX } from '../syntax/words';
import { blockReference, propertyReference } from '../reference';
import { pathAt } from './locate';
import { itemAt, programIndex, type Classified } from './program-index';
import type { Hover, IdeSnapshot } from './types';
import { containerTargetUsage, rackUsage, sdsUsage, type Usage } from './usage';
import { nodeTenantsLine, tenantHover } from './tenant-hover';

const SUBKEYWORD_DOCS: Record<string, string> = {
  request: 'What the container is guaranteed: requests must fit the physical capacity of the target.',
  limit: 'The most the container may use: limits may exceed capacity up to the oversubscription ratio.',
  weight: 'The share of accesses (or time) this relation accounts for, as a percentage.',
  on: '`place on TARGET`: an SDS, a rack, or a node set.',
  to: 'The SDS a spare joins, or the new replica count.',
  locality: 'Predicted locality below this threshold is reported (T500).',
  ...Object.fromEntries(EVENT_KINDS.map((k) => [k, `\`${EVENT_SYNTAX[k].detail}\`: ${EVENT_SYNTAX[k].doc}`])),
};

/** What a value of a property means, where the property's doc does not say it in a word. */
const VALUE_DOCS: Record<string, string> = {
  'spread even': '`spread nodes even` / `spread racks even`: several replicas per node (rack) are fine; their counts differ by at most one (Kubernetes `topologySpreadConstraints` with `maxSkew: 1`). T405 only when that cannot hold.',
  'pack spread': '`pack spread` (default): each replica goes to the node that would be least full after it (the busier of CPU and memory requests), as kube-scheduler scores nodes.',
  'pack tight': '`pack tight`: as few nodes as the packer can fill (first-fit decreasing), for sizing: the other nodes stay empty.',
};

function formatDecimalBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return `${formatNumber(v)}${units[u]}`;
}

function gbps(bytesPerSecond: number): string {
  return `${formatNumber((bytesPerSecond * 8) / 1e9)}Gbps`;
}

function pct(a: number, b: number): string {
  if (b <= 0) return a > 0 ? '∞%' : '—';
  return `${Math.round((a / b) * 100)}%`;
}

function usageLines(u: Usage): string[] {
  return [
    '| | CPU | memory |',
    '| --- | --- | --- |',
    `| capacity | ${formatCores(u.capacity.cpu)} cores | ${formatBytes(u.capacity.memory)} |`,
    `| allowance | ${formatCores(u.allowance.cpu)} cores | ${formatBytes(u.allowance.memory)} |`,
    `| requests | ${formatCores(u.requested.cpu)} (${pct(u.requested.cpu, u.capacity.cpu)} of capacity) | ${formatBytes(u.requested.memory)} (${pct(u.requested.memory, u.capacity.memory)}) |`,
    `| limits | ${formatCores(u.limited.cpu)} (${pct(u.limited.cpu, u.allowance.cpu)} of allowance) | ${formatBytes(u.limited.memory)} (${pct(u.limited.memory, u.allowance.memory)}) |`,
  ];
}

function nodeSummary(n: Node): string {
  return `${formatNumber(n.cores)} cores · ${formatBytes(n.memory)} · NIC ${gbps(n.nic)}`;
}

function nodeHover(s: IdeSnapshot, model: Model, refs: readonly string[], text: string): string {
  // one lookup table, not a scan of every node per key: a range names up to 10,000 nodes
  const byKey = new Map<string, Node>();
  for (const n of model.nodes) byKey.set(`node:${n.ref}`, n);
  const nodes = refs.map((k) => byKey.get(k)).filter((n): n is Node => n !== undefined);
  if (nodes.length === 0) return `**node** \`${text}\` — not declared`;
  const n = nodes[0];
  const lines: string[] = [];
  if (nodes.length > 1) lines.push(`**nodes** \`${nodes[0].ref}\` … \`${nodes[nodes.length - 1].ref}\` (${nodes.length} nodes, each:)`);
  else lines.push(`**node** \`${n.ref}\``);
  lines.push('', `- ${nodeSummary(n)}`);
  if (n.disks.length) lines.push(`- disks: ${n.disks.map((d) => `\`${d.name}\` ${formatBytes(d.bytes)}`).join(', ')}`);
  lines.push(`- role: ${n.role}`);
  if (nodes.length === 1) lines.push(...nodeTenantsLine(s.check, n));
  const sdsNames = [...new Set(nodes.map((x) => (x.sds === null ? null : model.sdses[x.sds]?.name ?? null)))];
  if (sdsNames.some((x) => x !== null)) lines.push(`- in SDS ${sdsNames.map((x) => (x === null ? '(none)' : `\`${x}\``)).join(', ')}`);
  if (nodes.length > 1) lines.push(`- together: ${formatNumber(nodes.reduce((a, x) => a + x.cores, 0))} cores · ${formatBytes(nodes.reduce((a, x) => a + x.memory, 0))}`);
  const sim = s.simulation?.nodes.find((x) => x.ref === n.ref);
  if (sim && nodes.length === 1) lines.push('', `Simulated: CPU ${formatPercent(sim.cpuUtil)} · memory used ${formatBytes(sim.memoryUsed)}${sim.failed ? ' · **failed**' : ''}`);
  return lines.join('\n');
}

function containerHover(s: IdeSnapshot, check: CheckResult, c: Container): string {
  const lines = [`**container** \`${c.name}\`${c.image ? ` — \`${c.image}\`` : ''}`, ''];
  lines.push(`| | per replica | × ${c.replicas} replicas |`, '| --- | --- | --- |');
  lines.push(`| CPU request / limit | ${formatCores(c.cpuRequest)} / ${formatCores(c.cpuLimit)} | ${formatCores(c.cpuRequest * c.replicas)} / ${formatCores(c.cpuLimit * c.replicas)} |`);
  lines.push(`| memory request / limit | ${formatBytes(c.memoryRequest)} / ${formatBytes(c.memoryLimit)} | ${formatBytes(c.memoryRequest * c.replicas)} / ${formatBytes(c.memoryLimit * c.replicas)} |`);
  lines.push('', `load ${formatPercent(c.load)} · working set ${formatBytes(c.workingSet)} · skew ${formatNumber(c.skew)} · writes ${formatPercent(c.writes)} · priority ${c.priority}${c.spread ? ` · spread ${c.spread}${c.spreadEven ? ' even' : ''}` : ''}`);
  const t = containerTargetUsage(check, c);
  if (t) lines.push('', `Runs on ${t.kind === 'sds' ? 'SDS' : t.kind === 'rack' ? 'rack' : 'nodes'} \`${t.name}\`${c.targetImplicit ? ' (the only target, implicit)' : ''}: requests ${formatCores(t.usage.requested.cpu)}/${formatCores(t.usage.capacity.cpu)} cores, ${formatBytes(t.usage.requested.memory)}/${formatBytes(t.usage.capacity.memory)}`);
  else lines.push('', 'No target (not placed).');
  if (c.tenant !== null) lines.push(`Tenant \`${check.model.tenants[c.tenant]?.name ?? '?'}\` (${check.model.tenants[c.tenant]?.isolation ?? ''})`);
  if (c.talks.length) lines.push(`Talks to ${c.talks.map((x) => `\`${check.model.containers[x.container]?.name ?? '?'}\` (${formatPercent(x.weight)})`).join(', ')}`);
  const sim = s.simulation?.containers.find((x) => x.name === c.name);
  if (sim && sim.locality !== null) {
    const top = Object.entries(sim.nodes).sort((a, b) => b[1] - a[1]).slice(0, 4);
    const within = (e: number): string => (e > 0 ? ` ± ${formatNumber(Math.round(e * 1000) / 10)}` : '');
    const slowdown = sim.slowdown !== null ? ` · slowdown ×${formatNumber(sim.slowdown)}` : '';
    lines.push('', `**Simulated** (${s.simulation?.input.policy ?? ''} policy${s.simulation?.input.scenario ? `, scenario "${s.simulation.input.scenario}"` : ''}): locality **${formatPercent(sim.locality)}**${within(sim.localityError)}${slowdown}`);
    if (top.length) lines.push(`Memory on: ${top.map(([ref, share]) => `\`${ref}\` ${formatPercent(share)}`).join(', ')}${Object.keys(sim.nodes).length > top.length ? ', …' : ''}`);
  }
  return lines.join('\n');
}

function nameHover(s: IdeSnapshot, item: Classified): string | null {
  const check = s.check;
  const model = check.model;
  const key = item.keys?.[0] ?? '';
  const text = s.text.slice(item.span.start, item.span.end);
  if (key.startsWith('node:')) return nodeHover(s, model, item.keys ?? [], text);
  if (key.startsWith('dev:')) {
    const [rack, node, dev] = key.slice(4).split('.');
    const n = model.nodes.find((x) => x.ref === `${rack}.${node}`);
    const d = n?.disks.find((x) => x.name === dev);
    if (!n || !d) return `**device** \`${dev}\` — not declared${n ? ` on \`${n.ref}\`` : ''}`;
    const count = (item.keys ?? []).length;
    return `**device** \`${d.name}\` on \`${n.ref}\`${count > 1 ? ` (and ${count - 1} more nodes of the range)` : ''}: ${formatBytes(d.bytes)} (${groupDigits(d.bytes)} bytes)`;
  }
  if (key.startsWith('scn:')) {
    const sc = model.scenarios.find((x) => `scn:${x.name}` === key);
    if (!sc) return null;
    const events = sc.events.map((e) => describeEvent(model, e));
    return [`**scenario** "${sc.name}"${sc.duration !== null ? ` — ${formatDuration(sc.duration)}` : ''}${sc.policy ? `, policy ${sc.policy}` : ''}`, '', ...events].join('\n');
  }
  const name = key.slice(5);
  const kind = programIndex(check).namespace.get(name);
  if (kind === 'rack') {
    const r = model.racks.find((x) => x.name === name);
    if (!r) return null;
    const nodes = r.nodes.map((id) => model.nodes[id]);
    const active = nodes.filter((n) => n.role === 'active');
    const lines = [`**rack** \`${r.name}\` — ${nodes.length} nodes (${active.length} active, ${nodes.length - active.length} spare) · latency ${formatDuration(r.latency)} · bandwidth ${gbps(r.bandwidth)}`, ''];
    lines.push(`Active capacity: ${formatNumber(active.reduce((a, n) => a + n.cores, 0))} cores · ${formatBytes(active.reduce((a, n) => a + n.memory, 0))}`);
    const u = rackUsage(check, r.id);
    if (u.containers.length) lines.push('', `Packing target for ${u.containers.length} container${u.containers.length === 1 ? '' : 's'} (nodes outside any SDS):`, '', ...usageLines(u));
    return lines.join('\n');
  }
  if (kind === 'sds') {
    const sd = model.sdses.find((x) => x.name === name);
    if (!sd) return null;
    const u = sdsUsage(check, sd.id);
    const first = sd.nodes.length ? model.nodes[sd.nodes[0]].ref : '';
    const last = sd.nodes.length ? model.nodes[sd.nodes[sd.nodes.length - 1]].ref : '';
    const cpuRatio = Number.isFinite(sd.cpuRatio) ? sd.cpuRatio : model.defaults.cpuRatio;
    const memRatio = Number.isFinite(sd.memoryRatio) ? sd.memoryRatio : model.defaults.memoryRatio;
    const lines = [
      `**SDS** \`${sd.name}\` — ${sd.nodes.length} node${sd.nodes.length === 1 ? '' : 's'}${sd.nodes.length ? ` (\`${first}\`${sd.nodes.length > 1 ? ` … \`${last}\`` : ''})` : ''} · policy ${sd.policy}`,
      '',
      `Capacity less reserves (${formatNumber(sd.reserveCores)} core, ${formatBytes(sd.reserveMemory)} per node); allowance = capacity × cpu ${formatNumber(cpuRatio)}, memory ${formatNumber(memRatio)}:`,
      '',
      ...usageLines(u),
    ];
    if (u.containers.length) lines.push('', `Containers: ${u.containers.slice(0, 12).map((c) => `\`${c}\``).join(', ')}${u.containers.length > 12 ? `, … (${u.containers.length})` : ''}`);
    return lines.join('\n');
  }
  if (kind === 'tenant') {
    const t = model.tenants.find((x) => x.name === name);
    return t ? tenantHover(check, t) : null;
  }
  if (kind === 'container') {
    const c = model.containers.find((x) => x.name === name);
    return c ? containerHover(s, check, c) : null;
  }
  return `\`${name}\` — not declared in this program`;
}

const DURATION_NAMES: Readonly<Record<string, string>> = { ns: 'nanoseconds', us: 'microseconds', ms: 'milliseconds', s: 'seconds', min: 'minutes', h: 'hours', d: 'days', y: 'years of 365 days' };

/** Seconds written out in full, without an exponent: 2e-6 -> `0.000002`, 120 -> `120`. */
export function plainSeconds(v: number): string {
  if (v === 0 || !Number.isFinite(v) || v >= 1) return groupDigits(v);
  const digits = Math.min(20, Math.ceil(-Math.log10(v)) + 3);
  return v.toFixed(digits).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * A plain number (no unit) is what its property says it is: `cores 32` cores, `cpu 2` cores
 * (2,000m), `skew 1.2` a Zipf exponent, `replicas 3` replicas; the property's doc says the rest.
 */
function plainNumberHover(n: NumberLit, block: BlockKind, property: Property): string | null {
  const spec = propertySpec(block, property.name.text);
  if (!spec) return null;
  const key = keyBefore(property, n);
  const unit = key ? spec.keys?.[key]?.unit : spec.quantity?.unit;
  const written = `\`${formatNumber(n.value)}\``;
  const what = unit === 'cpu' ? ` = ${groupDigits(n.value)} cores = ${groupDigits(n.value * 1000)}m` : '';
  const where = key ? `\`${key}\` of **${spec.name}**` : `**${spec.name}**`;
  return `${written}${what} — ${where} (\`${spec.syntax}\`)\n\n${spec.doc}`;
}

/** The sub-keyword written just before the number (`cpu request 2`: `request`), if any. */
function keyBefore(property: Property, n: NumberLit): string | null {
  const i = property.args.indexOf(n);
  const prev = i > 0 ? property.args[i - 1] : null;
  return prev && prev.kind === 'ref' && prev.parts.length === 1 ? prev.parts[0].text : null;
}

/** The file an import names, and what it declares (or why it is not loaded). */
function importHover(s: IdeSnapshot, imp: Import): string | null {
  if (!imp.path) return null;
  const target = resolvePath(dirname(s.file), imp.path.value);
  const tree = s.check.trees.get(target);
  if (!tree) return `\`${imp.path.value}\` — ${target}: not loaded (see the problem reported on this import)`;
  const counts = new Map<string, number>();
  for (const item of tree.items) if (item.kind === 'block') counts.set(item.blockKind, (counts.get(item.blockKind) ?? 0) + 1);
  const parts = [...counts].map(([k, c]) => `${c} ${k === 'sds' ? 'SDS' : k}${c === 1 || k === 'sds' ? '' : 's'}`);
  return `\`${imp.path.value}\` — ${target}\n\n${parts.length ? `declares ${parts.join(', ')}` : 'declares nothing'}`;
}

function numberHover(n: NumberLit): string | null {
  if (Number.isNaN(n.value)) return null;
  const unit = n.unit;
  if (unit === '') return null;
  if (unit === 'm') return `\`${n.value}m\` = ${groupDigits(n.value / 1000)} cores`;
  const kind = UNIT_KIND_OF.get(unit);
  if (!kind || kind === 'ratio' || kind === 'count') return null;
  const table = UNITS[kind as keyof typeof UNITS];
  const factor = table[unit];
  if (factor === undefined) return null;
  const v = n.value * factor;
  const written = `\`${n.value}${unit}\``;
  switch (kind) {
    case 'bytes': {
      // both scales: `256GB` is decimal (238.42GiB), `256GiB` binary (274.88GB)
      if (unit === 'B') return `${written} = ${formatBytes(v)}`;
      const decimal = /^[KMGTP]B$/.test(unit);
      return `${written} = ${decimal ? formatBytes(v) : formatDecimalBytes(v)} = ${groupDigits(Math.round(v))} bytes${decimal ? ' (powers of ten: `GB`; `GiB` are powers of two)' : ''}`;
    }
    case 'bandwidth': return `${written} = ${groupDigits(v)} bytes/s (${groupDigits(v * 8)} bits/s)`;
    case 'duration': return `${written} = ${plainSeconds(v)} s${DURATION_NAMES[unit] ? ` (${formatNumber(n.value)} ${DURATION_NAMES[unit]})` : ''}`;
    case 'percent': return `${written} = ${formatNumber(v)} (a fraction of 1)`;
    default: return null;
  }
}

/** The hover's link to the language reference (docs/language.md). */
function referenceLink(href: string): string {
  return `[Language reference](${href})`;
}

/** What the name, keyword or value under the offset is, with its resolved numbers. */
export function hover(s: IdeSnapshot, offset: number): Hover | null {
  try {
    const tree = s.check.trees.get(s.file);
    if (!tree) return null;
    const path = pathAt(tree, offset);
    const imp = path.importDecl;
    if (imp?.path && offset >= imp.path.span.start && offset <= imp.path.span.end) {
      const contents = importHover(s, imp);
      return contents ? { contents, span: imp.path.span } : null;
    }
    const ix = programIndex(s.check);
    const item = itemAt(ix, s.file, offset);
    if (!item) return null;
    if (item.keys) {
      const contents = nameHover(s, item);
      return contents ? { contents, span: item.span } : null;
    }
    const block = path.blocks[path.blocks.length - 1];
    const word = s.text.slice(item.span.start, item.span.end);
    if (item.type === 'property' && block && path.property) {
      const spec = propertySpec(block.blockKind, path.property.name.text);
      if (spec) return { contents: `**${spec.name}** (${block.blockKind}) — \`${spec.syntax}\`\n\n${spec.doc}\n\n${referenceLink(propertyReference(block.blockKind, spec.name))}`, span: item.span };
    }
    if (item.type === 'keyword') {
      if (block && block.keyword.span.start === item.span.start && block.keyword.span.end === item.span.end) {
        return { contents: `**${block.blockKind}** — ${BLOCK_DOCS[block.blockKind]}\n\n${referenceLink(blockReference(block.blockKind))}`, span: item.span };
      }
      if (word === 'import') return { contents: `**import** — ${BLOCK_DOCS.import}\n\n${referenceLink(blockReference('import'))}`, span: item.span };
      // a sub-keyword's default comes from the schema (`reserve cores`: default `1`)
      const prop = block && path.property ? path.property.name.text : '';
      const written = block && prop ? propertySpec(block.blockKind, prop)?.keys?.[word]?.default : undefined;
      const doc = SUBKEYWORD_DOCS[word];
      if (doc) return { contents: `**${word}** — ${doc}${written ? ` Default \`${written}\`.` : ''}`, span: item.span };
      if (written) return { contents: `**${word}** of \`${prop}\` — default \`${written}\``, span: item.span };
      return null;
    }
    if ((item.type === 'number' || item.type === 'unit') && path.innerArg && path.innerArg.kind === 'number') {
      const n = path.innerArg;
      const contents = n.unit === '' && !Number.isNaN(n.value) && block && path.property ? plainNumberHover(n, block.blockKind, path.property) : numberHover(n);
      return contents ? { contents, span: n.span } : null;
    }
    if (item.type === 'enumMember' && block && path.property) {
      const spec = propertySpec(block.blockKind, path.property.name.text);
      const own = VALUE_DOCS[`${spec?.name} ${word}`];
      return spec ? { contents: `\`${word}\` — a value of **${spec.name}** (\`${spec.syntax}\`)\n\n${own ? `${own}\n\n` : ''}${spec.doc}\n\n${referenceLink(propertyReference(block.blockKind, spec.name))}`, span: item.span } : null;
    }
    return null;
  } catch {
    return null;
  }
}
