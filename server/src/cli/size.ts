import { sizeModel, shapeText, type SdsAlternative, type SdsForcing, type SizeMoney, type SizeTarget } from '../core/sizing/index';
import { formatBytes, formatDuration, formatNumber, groupDigits } from '../core/model/units';
import { DiagnosticPrinter } from './diagnosticsOutput';
import { documentJson, SIZE_VERSION } from './documents';
import { formatFlag, parseArgs, UsageError, type CliIo } from './io';
import { checkFileArg } from './program';
import { oneLine } from './terminal';

export const SIZE_USAGE = 'topo size FILE [--format text|json] [--runs N]';

/**
 * `topo size FILE`: for every rack, node set and SDS that containers are placed on, the nodes it
 * has and the fewest it needs (see core/sizing). A file with T1xx-T3xx errors is not sized (its
 * model is incomplete); T4xx errors are what sizing removes. Exit 0 when every target was sized,
 * 1 when the file has errors that stop sizing or some target fits at no count, 2 usage.
 * `--runs N`: at most N simulator runs per SDS for the locality check (default 8, 0 skips it).
 */
export function runSize(args: string[], io: CliIo): number {
  const { files, flags } = parseArgs(args, ['format', 'runs'], []);
  const format = formatFlag(flags, ['text', 'json']);
  const runsFlag = flags.get('runs');
  if (runsFlag !== undefined && (typeof runsFlag !== 'string' || !/^\d{1,3}$/.test(runsFlag))) throw new UsageError('--runs must be a whole number from 0 to 999 (simulator runs per SDS; 0 skips the locality check)');
  if (files.length !== 1) throw new UsageError(files.length ? 'give exactly one file' : `no file given: ${SIZE_USAGE}`);
  const result = checkFileArg(io, files[0]);
  const blocking = result.diagnostics.filter((d) => d.severity === 'error' && !d.code.startsWith('T4'));
  if (blocking.length) {
    const printer = new DiagnosticPrinter(io, result);
    io.err(`${blocking.map((d) => printer.human(d)).join('\n\n')}\n\nnot sized: fix these errors first (sizing needs every node and container as declared)\n`);
    return 1;
  }
  const targets = sizeModel(result.model, runsFlag === undefined ? {} : { maxSimulations: Number(runsFlag) });
  if (format === 'json') io.out(documentJson('size', { version: SIZE_VERSION, targets }));
  else io.out(sizeText(targets, result.model.defaults.lifetime));
  return targets.some((t) => t.needed === null) ? 1 : 0;
}

const KIND: Record<SizeTarget['kind'], string> = { rack: 'rack', nodes: 'node set', sds: 'SDS' };

/** One line per target: `rack r1: needs 5 of 7 nodes (2 left over; decided by memory), 1 spare`. */
export function sizeText(targets: readonly SizeTarget[], lifetime: number): string {
  if (targets.length === 0) return 'no container is placed on a rack, node set or SDS: nothing to size\n';
  const lines: string[] = [];
  for (const t of targets) {
    const head = `${KIND[t.kind]} ${oneLine(t.name)}`;
    const spares = t.spares ? `; ${t.spares} spare${t.spares === 1 ? '' : 's'} besides` : '';
    if (!t.needed) { lines.push(`${head}: cannot be sized: ${oneLine(t.problem ?? 'no count works')}${spares}`); continue; }
    const n = t.needed.nodes, now = t.now.nodes;
    const delta = n < now ? `${now - n} left over` : n > now ? `${n - now} more than it has` : 'exactly what it has';
    const shapes = t.needed.shapes.map((s) => `${s.nodes} x ${shapeText(s)}`).join(' + ');
    const sim = t.simulations === undefined ? '' : t.localityMet === undefined ? '; locality not checked (--runs 0)' : `; locality ${t.localityMet ? 'meets' : 'does NOT meet'} the threshold (${t.simulations} simulator run${t.simulations === 1 ? '' : 's'})${t.problem ? `: ${oneLine(t.problem)}` : ''}`;
    lines.push(`${head}: needs ${n} of ${now} node${now === 1 ? '' : 's'} (${delta}; decided by ${t.reason ?? '-'}): ${shapes}${spares}${sim}`);
    const cost = costText(t, lifetime);
    if (cost) lines.push(`  ${cost}`);
    if (t.forcedBy) lines.push(`  ${forcingText(t.forcedBy)}`);
    if (t.alternative) lines.push(`  ${alternativeText(t.alternative, lifetime)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `cost: 48,000 now (36,000 to buy + 12,000 of energy over 3y); 40,000 as sized: saves 8,000`. */
function costText(t: SizeTarget, lifetime: number): string | null {
  const now = t.now, needed = t.needed;
  if (now.total === undefined) return null;
  const parts = (m: SizeMoney): string => moneyParts(m, lifetime);
  const head = `cost: ${money(now.total)} now (${parts(now)})`;
  if (!needed || needed.total === undefined) return head;
  const d = now.total - needed.total;
  const verdict = Math.abs(d) < 0.005 ? 'the same' : d > 0 ? `saves ${money(d)}` : `${money(-d)} more`;
  return `${head}; ${money(needed.total)} as sized (${parts(needed)}): ${verdict}`;
}

/** `without the SDS: 4 plain nodes (4 x 16 cores 64GiB; decided by memory) for all but big (which cannot run on plain nodes); cost 53,140 (...)`. */
function alternativeText(a: SdsAlternative, lifetime: number): string {
  const but = a.unplaceable.length ? ` for all but ${a.unplaceable.map(oneLine).join(', ')} (which cannot run on plain nodes)` : '';
  if (a.nodes === null) return `without the SDS: plain nodes of its shapes cannot hold its containers${but}: ${oneLine(a.problem ?? 'no count works')}`;
  if (a.nodes === 0) return `without the SDS: nothing could run on plain nodes of its shapes (${a.unplaceable.map(oneLine).join(', ')} cannot)`;
  const shapes = a.shapes.map((s) => `${s.nodes} x ${shapeText(s)}`).join(' + ');
  const cost = a.total === undefined ? '' : `; cost ${money(a.total)} (${moneyParts(a, lifetime)})`;
  return `without the SDS: ${a.nodes} plain node${a.nodes === 1 ? '' : 's'} (${shapes}; decided by ${a.reason ?? '-'})${but}${cost}`;
}

/** `36,000 to buy + 12,000 of energy over 3y`. */
function moneyParts(m: SizeMoney, lifetime: number): string {
  return m.energy === undefined ? `${money(m.purchase ?? 0)} to buy` : `${money(m.purchase ?? 0)} to buy + ${money(m.energy)} of energy over ${formatDuration(lifetime)}`;
}

/** 12345.5 -> `12,345.50`; whole amounts without decimals. */
function money(v: number): string {
  if (Math.abs(v - Math.round(v)) < 0.005) return groupDigits(Math.round(v));
  const [int, frac] = v.toFixed(2).split('.');
  return `${groupDigits(Number(int))}.${frac}`;
}

/** `needs an SDS for: columnstore (96 cores, 1.5TiB; the largest node has 48 cores, 512GiB)`, or that none does. */
function forcingText(forced: readonly SdsForcing[]): string {
  if (forced.length === 0) return 'no container needs an SDS: one replica of each fits on one of its nodes, so plain racks of these nodes could hold them';
  const amount = (resource: 'cpu' | 'memory', of: 'request' | 'limit', v: number): string => `${resource === 'cpu' ? `${formatNumber(v)} cores` : formatBytes(v)}${of === 'limit' ? ' limit' : ''}`;
  const one = (f: SdsForcing): string => `${oneLine(f.container)} (${f.exceeds.map((x) => amount(x.resource, x.of, x.asks)).join(', ')}; the largest node has ${f.exceeds.map((x) => `${amount(x.resource, 'request', x.largest)}${x.of === 'limit' ? ' allowed' : ''}`).join(', ')})`;
  return `needs an SDS for: ${forced.map(one).join(', ')}`;
}
