import type { Policy } from '../core/model/types';
import type { SimulationResult } from '../core/result';
import { simulate } from '../core/simulator/index';
import { formatBytes } from '../core/placement/format';
import { DiagnosticPrinter } from './diagnosticsOutput';
import { displayPath, formatFlag, parseArgs, UsageError, type CliIo } from './io';
import { checkFileArg } from './program';
import { jsonText, oneLine } from './terminal';
import { isReportFormat, REPORT_FORMATS, simulationFindings } from './findings';
import { reportText } from './report';

export const SIMULATE_USAGE = 'topo simulate FILE [--scenario NAME] [--policy P] [--seed N] [--format text|json|sarif|github] [--compare]';

const POLICIES: readonly Policy[] = ['static', 'page', 'vcpu', 'cost'];

/**
 * `topo simulate FILE`: the mobility simulation of the base deployment or one scenario. json
 * prints the SimulationResult document (with --compare: an object keyed by policy); text a
 * compact table (summary, per container, per node, events; with --compare the four policies
 * side by side). Exit 0 ok, 1 when the file has errors, 2 usage.
 */
export function runSimulate(args: string[], io: CliIo): number {
  const { files, flags } = parseArgs(args, ['format', 'scenario', 'policy', 'seed'], ['compare']);
  const format = formatFlag(flags, ['text', 'json', ...REPORT_FORMATS]);
  if (isReportFormat(format) && flags.has('compare')) throw new UsageError(`--format ${format} reports one run: leave out --compare`);
  if (files.length !== 1) throw new UsageError(files.length ? 'give exactly one file' : `no file given: ${SIMULATE_USAGE}`);
  const policyFlag = flags.get('policy');
  if (policyFlag !== undefined && (typeof policyFlag !== 'string' || !(POLICIES as readonly string[]).includes(policyFlag))) {
    throw new UsageError(`--policy must be one of ${POLICIES.join(', ')}`);
  }
  const seedFlag = flags.get('seed');
  let seed: number | undefined;
  if (seedFlag !== undefined) {
    if (typeof seedFlag !== 'string' || !/^\d+$/.test(seedFlag) || Number(seedFlag) > 0xffffffff) throw new UsageError('--seed must be an integer from 0 to 4294967295');
    seed = Number(seedFlag);
  }
  const scenarioFlag = flags.get('scenario');
  if (scenarioFlag === true) throw new UsageError('--scenario needs a name');
  const result = checkFileArg(io, files[0]);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const printer = new DiagnosticPrinter(io, result);
    if (isReportFormat(format)) io.out(reportText(format, errors.map((d) => printer.finding(d)), io));
    io.err(`${errors.map((d) => printer.human(d)).join('\n\n')}\n\nnot simulated: the file has errors\n`);
    return 1;
  }
  const model = result.model;
  if (scenarioFlag !== undefined && !model.scenarios.some((s) => s.name === scenarioFlag)) {
    const names = model.scenarios.map((s) => `"${s.name}"`).join(', ');
    throw new UsageError(`no scenario named "${scenarioFlag}"${names ? `; the file has ${names}` : '; the file has no scenarios'}`);
  }
  const texts = new Map<string, string>();
  for (const [f, tree] of result.trees) texts.set(f, tree.text);
  const now = (): number => performance.now();
  const run = (policy: Policy | undefined): SimulationResult => {
    const r = simulate(model, { scenario: typeof scenarioFlag === 'string' ? scenarioFlag : null, policy, seed, now, texts, placement: result.placement });
    return {
      ...r,
      input: { ...r.input, file: displayPath(io, r.input.file) },
      diagnostics: r.diagnostics.map((d) => ({ ...d, file: displayPath(io, d.file) })),
    };
  };
  if (flags.has('compare')) {
    const all = POLICIES.map((p) => run(p));
    if (format === 'json') io.out(jsonText(Object.fromEntries(all.map((r) => [r.input.policy, r]))));
    else io.out(compareText(all));
    return 0;
  }
  const r = run(policyFlag as Policy | undefined);
  if (isReportFormat(format)) {
    io.out(reportText(format, simulationFindings(r.diagnostics), io));
    return 0;
  }
  if (format === 'json') io.out(jsonText(r));
  else io.out(simulationText(r));
  return 0;
}

function table(rows: string[][], indent = '  '): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `${indent}${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd());
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function shares(m: Readonly<Record<string, number>>): string {
  const e = Object.entries(m).sort((a, b) => b[1] - a[1]);
  const shown = e.slice(0, 3).map(([n, s]) => `${n} ${Math.round(s * 100)}%`);
  return e.length > 3 ? `${shown.join(', ')}, +${e.length - 3}` : shown.join(', ') || '-';
}

/** The text form: summary, containers, nodes, events, diagnostics. */
export function simulationText(r: SimulationResult): string {
  const s = r.summary;
  const out = [
    `${oneLine(r.input.file)}: ${r.input.scenario ? `scenario "${oneLine(r.input.scenario)}"` : 'base deployment'}, policy ${r.input.policy}, seed ${r.input.seed}, ${r.input.duration}s in ticks of ${r.input.tick * 1000} ms`,
    `locality ${pct(s.locality)}  stall ${s.stallSeconds.toFixed(3)}s  vCPU moves ${s.vcpuMigrations}  chunk moves ${s.chunkMigrations}  replications ${s.replications}  network ${formatBytes(s.networkBytes)}  (${Math.round(s.wallMillis)} ms)`,
    '',
  ];
  out.push(...table([['container', 'replicas', 'target', 'locality', 'slowdown', 'memory on', 'vCPUs on'],
    ...r.containers.map((c) => [c.name, String(c.replicas), c.target, pct(c.locality), `${c.slowdown.toFixed(2)}x`, shares(c.nodes), shares(c.vcpus)])]));
  out.push('');
  out.push(...table([['node', 'sds', 'cores', 'cpu', 'memory used', 'state'],
    ...r.nodes.map((n) => [n.ref, n.sds ?? '-', String(n.cores), pct(n.cpuUtil), `${formatBytes(n.memoryUsed)} / ${formatBytes(n.memory)}`, n.failed ? 'FAILED' : 'ok'])]));
  if (r.events.length) {
    out.push('');
    out.push(...table([['t', 'event', 'target', 'absorbed'], ...r.events.map((e) => [`${e.t}s`, e.kind, e.target, e.absorbed ? 'yes' : 'NO'])]));
  }
  if (r.diagnostics.length) {
    out.push('');
    for (const d of r.diagnostics) out.push(`${oneLine(d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${oneLine(d.message)}`);
  }
  return `${out.join('\n')}\n`;
}

/** The four policies side by side. */
export function compareText(all: readonly SimulationResult[]): string {
  const first = all[0];
  const out = [`${oneLine(first.input.file)}: ${first.input.scenario ? `scenario "${oneLine(first.input.scenario)}"` : 'base deployment'}, seed ${first.input.seed}, ${first.input.duration}s`, ''];
  const head = ['', ...all.map((r) => r.input.policy)];
  const rows: string[][] = [head,
    ['locality', ...all.map((r) => pct(r.summary.locality))],
    ['stall', ...all.map((r) => `${r.summary.stallSeconds.toFixed(3)}s`)],
    ['vCPU moves', ...all.map((r) => String(r.summary.vcpuMigrations))],
    ['chunk moves', ...all.map((r) => String(r.summary.chunkMigrations))],
    ['replications', ...all.map((r) => String(r.summary.replications))],
    ['network', ...all.map((r) => formatBytes(r.summary.networkBytes))],
  ];
  for (let i = 0; i < first.containers.length; i++) {
    rows.push([`${first.containers[i].name}`, ...all.map((r) => `${pct(r.containers[i].locality)} ${r.containers[i].slowdown.toFixed(2)}x`)]);
  }
  out.push(...table(rows));
  return `${out.join('\n')}\n`;
}
