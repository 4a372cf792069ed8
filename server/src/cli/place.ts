import type { PlacementResult, TargetPlacement, NodePlacement } from '../core/result';
import { formatBytes } from '../core/placement/format';
import { planOf, vmOverheadOf } from '../core/placement/index';
import { DiagnosticPrinter } from './diagnosticsOutput';
import { displayPath, formatFlag, parseArgs, UsageError, type CliIo } from './io';
import { checkFileArg } from './program';
import { oneLine } from './terminal';
import { documentJson } from './documents';

export const PLACE_USAGE = 'topo place FILE [--format text|json]';

/**
 * `topo place FILE`: where every replica goes. json prints the PlacementResult document; text a
 * compact table per target and node. Errors of the file (any T1xx-T4xx error) are printed to
 * stderr. Exit 0 when everything is placed and the file has no errors, 1 otherwise, 2 usage.
 */
export function runPlace(args: string[], io: CliIo): number {
  const { files, flags } = parseArgs(args, ['format'], []);
  const format = formatFlag(flags, ['text', 'json']);
  if (files.length !== 1) throw new UsageError(files.length ? 'give exactly one file' : `no file given: ${PLACE_USAGE}`);
  const result = checkFileArg(io, files[0]);
  const placement = result.placement;
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const printer = new DiagnosticPrinter(io, result);
    io.err(`${errors.map((d) => printer.human(d)).join('\n\n')}\n\n`);
  }
  const shown: PlacementResult = { ...placement, file: displayPath(io, placement.file) };
  if (format === 'json') io.out(documentJson('place', shown));
  else {
    // the VM overhead placement charges on each target's nodes, counted in its totals
    const plan = planOf(result.model, placement);
    io.out(placementText(shown, plan.groups.map((gp) => vmOverheadOf(plan, gp))));
  }
  const unplaced = placement.targets.some((t) => t.unplaced.length > 0);
  return errors.length > 0 || unplaced ? 1 : 0;
}

/** CPU and memory of VM overhead on a target's nodes. */
export interface Overhead { readonly cpu: number; readonly memory: number }

/** The text table: one block per target, one line per node; `overheads` (by target, in order) are added to the targets' totals. */
export function placementText(p: PlacementResult, overheads: readonly Overhead[] = []): string {
  if (p.targets.length === 0) return `${oneLine(p.file)}: no container is placed on a target\n`;
  const out: string[] = [];
  p.targets.forEach((t, i) => out.push(...targetLines(t, overheads[i] ?? { cpu: 0, memory: 0 }), ''));
  return `${out.join('\n')}`;
}

function pair(cpu: number, memory: number): string {
  return `${cores(cpu)}c/${formatBytes(memory)}`;
}

function cores(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function targetLines(t: TargetPlacement, o: Overhead): string[] {
  const vm = o.cpu > 0 || o.memory > 0;
  const totals = `requested ${pair(t.requested.cpu + o.cpu, t.requested.memory + o.memory)}, limits ${pair(t.limited.cpu + o.cpu, t.limited.memory + o.memory)}${vm ? ` (both incl. ${pair(o.cpu, o.memory)} of VM overhead)` : ''}`;
  const lines = [
    `${t.kind} ${t.target}${t.pack ? ` (pack ${t.pack})` : ''}: capacity ${pair(t.capacity.cpu, t.capacity.memory)}, allowance ${pair(t.allowance.cpu, t.allowance.memory)}, ${totals}; ${headroomText(t.headroom)}`,
    `  containers: ${t.containers.join(', ') || '-'}`,
  ];
  if (t.headroom.short?.length) lines.push(`  headroom short: ${t.headroom.short.map((x) => `${x.container} loses ${x.replicas} replica${x.replicas === 1 ? '' : 's'} (${x.cause})`).join(', ')}`);
  const rows: string[][] = [['node', 'role', 'capacity', 'requested', 'limits/allowance', 'replicas']];
  for (const n of t.nodes) rows.push(nodeRow(t, n));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) lines.push(`  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd());
  for (const u of t.unplaced) lines.push(`  UNPLACED ${u.container}#${u.replica}: ${oneLine(u.reason)}`);
  return lines;
}

function headroomText(h: TargetPlacement['headroom']): string {
  if (h.failures === 0 || h.status === 'off') return 'headroom not checked';
  if (h.status === 'single') return `headroom ${h.failures}: not checked (one node, nothing to fail over to)`;
  return `headroom ${h.failures}: ${h.ok ? 'ok' : 'NOT ok'}${h.lost.length ? ` (losing ${h.lost.join(', ')})` : ''}`;
}

function nodeRow(t: TargetPlacement, n: NodePlacement): string[] {
  const counts = new Map<string, number>();
  for (const r of n.replicas) counts.set(r.container, (counts.get(r.container) ?? 0) + 1);
  const reps = t.kind === 'sds' ? '(one machine)' : [...counts].map(([c, k]) => (k > 1 ? `${c} x${k}` : c)).join(', ') || '-';
  return [
    n.ref, n.role, pair(n.capacity.cpu, n.capacity.memory), pair(n.requested.cpu, n.requested.memory),
    `${cores(n.limited.cpu)}/${cores(n.allowance.cpu)}c ${formatBytes(n.limited.memory)}/${formatBytes(n.allowance.memory)}`, reps,
  ];
}
