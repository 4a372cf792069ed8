import type { Policy } from '../core/model/types';
import { comparePolicies } from '../core/compare';
import { POLICIES } from '../core/syntax/words';
import { simulatedNothing, type ContainerResult, type SimulationResult } from '../core/result';
import { ExactTooSlow, simulate, type SimulateOptions } from '../core/simulator/index';
import { formatBytes, formatRate } from '../core/placement/format';
import { DiagnosticPrinter } from './diagnosticsOutput';
import { displayPath, formatFlag, parseArgs, UsageError, type CliIo } from './io';
import { checkFileArg } from './program';
import { oneLine } from './terminal';
import { errorText } from '../core/simulator/stats';

export { errorText };
import { COMPARE_VERSION, documentJson } from './documents';
import { isReportFormat, REPORT_FORMATS, simulationFindings } from './findings';
import { reportText } from './report';

export const SIMULATE_USAGE = 'topo simulate FILE... [--scenario NAME] [--policy P] [--seed N] [--samples N] [--exact] [--budget MS] [--format text|json|sarif|github] [--compare]';

/** Text output stays readable in a terminal this wide. */
export const TEXT_WIDTH = 100;

/**
 * `topo simulate FILE`: the mobility simulation of the base deployment or one scenario. json
 * prints the SimulationResult document with `$schema` (schemas/simulate.v2.schema.json; with
 * --compare: the compare document, schemas/compare.v1.schema.json: `ranking` and `runs` by policy); text a
 * compact table (summary, per container, per node, events; with --compare the four policies
 * side by side, ranked by slowdown). Every estimate is printed with its 95% interval. Exit 0
 * ok, 1 when the file has errors or an event of the run was not absorbed (T501), 2 usage.
 */
export async function runSimulate(args: string[], io: CliIo): Promise<number> {
  const { files, flags } = parseArgs(args, ['format', 'scenario', 'policy', 'seed', 'samples', 'budget'], ['compare', 'exact']);
  const format = formatFlag(flags, ['text', 'json', ...REPORT_FORMATS]);
  if (isReportFormat(format) && flags.has('compare')) throw new UsageError(`--format ${format} reports one run: leave out --compare`);
  if (files.length === 0) throw new UsageError(`no file given: ${SIMULATE_USAGE}`);
  if (files.length > 1 && format !== 'text') throw new UsageError(`--format ${format} takes one file (text output takes several: topo simulate examples/*.topo)`);
  const policyFlag = flags.get('policy');
  if (policyFlag !== undefined && (typeof policyFlag !== 'string' || !(POLICIES as readonly string[]).includes(policyFlag))) {
    throw new UsageError(`--policy must be one of ${POLICIES.join(', ')}`);
  }
  const seed = integerFlag(flags, 'seed', 0, 0xffffffff, '--seed must be an integer from 0 to 4294967295');
  const samples = integerFlag(flags, 'samples', 1, 4096, '--samples must be a whole number of sampled accesses per vCPU per tick, from 1 to 4096');
  const budgetFlag = flags.get('budget');
  let budgetMs: number | undefined;
  if (budgetFlag !== undefined) {
    if (typeof budgetFlag !== 'string' || !/^\d+(\.\d+)?$/.test(budgetFlag) || !(Number(budgetFlag) > 0) || Number(budgetFlag) > 3_600_000) {
      throw new UsageError('--budget must be a number of milliseconds, more than 0 and at most 3600000');
    }
    budgetMs = Number(budgetFlag);
  }
  const exact = flags.has('exact');
  const scenarioFlag = flags.get('scenario');
  if (scenarioFlag === true) throw new UsageError('--scenario needs a name');
  const settings: RunSettings = { format, compare: flags.has('compare'), policy: policyFlag as Policy | undefined, scenario: scenarioFlag, seed, samples, exact, budgetMs };
  // several files (text only): one after the other, a blank line between; the worst exit status
  let code = 0;
  for (const [i, file] of files.entries()) {
    if (i > 0) io.out('\n');
    code = Math.max(code, await simulateFile(file, settings, io));
  }
  return code;
}

interface RunSettings {
  readonly format: string;
  readonly compare: boolean;
  readonly policy: Policy | undefined;
  readonly scenario: string | undefined;
  readonly seed: number | undefined;
  readonly samples: number | undefined;
  readonly exact: boolean;
  readonly budgetMs: number | undefined;
}

/** Checks and simulates one file, printing its output; its exit status. */
async function simulateFile(file: string, settings: RunSettings, io: CliIo): Promise<number> {
  const { format, seed, samples, exact, budgetMs } = settings;
  const scenarioFlag = settings.scenario;
  const policyFlag = settings.policy;
  const result = checkFileArg(io, file);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const printer = new DiagnosticPrinter(io, result);
    // a report format gets the errors as its findings (a CI annotation or a SARIF log), the terminal the reason
    if (isReportFormat(format)) io.out(reportText(format, errors.map((d) => printer.finding(d)), io));
    io.err(`${isReportFormat(format) ? '' : `${errors.map((d) => printer.human(d)).join('\n\n')}\n\n`}not simulated: the file has errors\n`);
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
  const options: SimulateOptions = { scenario: typeof scenarioFlag === 'string' ? scenarioFlag : null, seed, samples, exact, budgetMs, now, texts, placement: result.placement };
  const run = (policy: Policy | undefined): SimulationResult => {
    let r: SimulationResult;
    try {
      r = simulate(model, { ...options, policy });
    } catch (e) {
      if (e instanceof ExactTooSlow || (exact && e instanceof Error && e.message.startsWith('--exact'))) throw new UsageError(e.message);
      throw e;
    }
    return {
      ...r,
      input: { ...r.input, file: displayPath(io, r.input.file) },
      diagnostics: r.diagnostics.map((d) => ({ ...d, file: displayPath(io, d.file), related: d.related?.map((x) => ({ ...x, file: displayPath(io, x.file) })) })),
    };
  };
  const stopped = (r: SimulationResult): boolean => r.events.some((e) => !e.absorbed && e.reached !== false);
  if (settings.compare) {
    // a run that throws (--exact too slow) stops the comparison with its error
    const compared = await comparePolicies(run, { failed: (_policy, e) => { throw e; } });
    const all = POLICIES.flatMap((p) => compared[p] ?? []);
    const runs = compared as Record<Policy, SimulationResult>;
    if (format === 'json') io.out(documentJson('compare', { version: COMPARE_VERSION, ranking: rankBySlowdown(all).map((r) => r.input.policy), runs }));
    else io.out(all.every(simulatedNothing) ? nothingText(all[0]) : compareText(all));
    return all.some(stopped) ? 1 : 0;
  }
  const r = run(policyFlag);
  if (isReportFormat(format)) {
    io.out(reportText(format, simulationFindings(r.diagnostics), io));
    return stopped(r) ? 1 : 0;
  }
  if (format === 'json') io.out(documentJson('simulate', r));
  else io.out(simulatedNothing(r) ? nothingText(r) : simulationText(r));
  return stopped(r) ? 1 : 0;
}

function integerFlag(flags: Map<string, string | true>, name: string, min: number, max: number, message: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(message);
  return Number(v);
}

// ---------------------------------------------------------------- text

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** `58.2% ± 0.6` (the interval in points). */
export function localityText(value: number | null, error: number): string {
  return value === null ? '-' : `${pct(value)} ± ${errorText(error * 100, 1)}`;
}


/** `1.42x ± 0.03`. */
export function slowdownText(value: number | null, error: number): string {
  if (value === null) return '-';
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}x ± ${errorText(error, digits)}`;
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en');
}

function seconds(s: number): string {
  return s >= 100 ? `${count(s)}s` : `${s.toFixed(s >= 10 ? 1 : 3)}s`;
}

export function shares(m: Readonly<Record<string, number>>, shown = 2): string {
  const e = Object.entries(m).filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]);
  const top = e.slice(0, shown).map(([n, s]) => `${n} ${s < 0.005 ? '<1' : Math.round(s * 100)}%`);
  return e.length > shown ? `${top.join(', ')}, +${e.length - shown}` : top.join(', ') || '-';
}

/**
 * Rows as aligned columns in at most TEXT_WIDTH columns: when they are wider, the widest
 * cells that may shrink (`flexible` columns) are cut with an ellipsis.
 */
export function table(rows: string[][], flexible: readonly number[] = [], indent = '  '): string[] {
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(0, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const total = (): number => indent.length + widths.reduce((a, b) => a + b, 0) + 2 * (cols - 1);
  while (total() > TEXT_WIDTH) {
    const flex = flexible.filter((i) => widths[i] > 8);
    if (!flex.length) break;
    const widest = flex.reduce((a, b) => (widths[b] > widths[a] ? b : a));
    widths[widest] = Math.max(8, widths[widest] - (total() - TEXT_WIDTH));
  }
  const fit = (s: string, w: number): string => {
    const chars = [...s];
    return chars.length > w ? `${chars.slice(0, w - 1).join('')}…` : s;
  };
  return rows.map((r) => `${indent}${r.map((c, i) => (i === r.length - 1 ? fit(c, widths[i]) : fit(c, widths[i]).padEnd(widths[i]))).join('  ')}`.trimEnd());
}

/** Wraps `parts` (joined by two spaces) into lines of at most TEXT_WIDTH columns. */
function flow(parts: readonly string[]): string[] {
  const out: string[] = [];
  let line = '';
  for (const p of parts) {
    if (line && line.length + 2 + p.length > TEXT_WIDTH) { out.push(line); line = ''; }
    line = line ? `${line}  ${p}` : p;
  }
  if (line) out.push(line);
  return out;
}

/** `policy cost`, or each SDS's when they differ (`policy static on a, vcpu on b, cost elsewhere`). */
function policyText(r: SimulationResult): string {
  const own = Object.entries(r.input.sdsPolicies ?? {}).filter(([, p]) => p !== r.input.policy);
  if (own.length === 0) return `policy ${r.input.policy}`;
  const others = Object.keys(r.input.sdsPolicies ?? {}).length > own.length ? `, ${r.input.policy} elsewhere` : '';
  return `policy ${own.map(([sds, p]) => `${p} on ${oneLine(sds)}`).join(', ')}${others}`;
}

function header(r: SimulationResult): string[] {
  const run = r.input.scenario ? `scenario "${oneLine(r.input.scenario)}"` : 'base deployment';
  const how = r.input.exact ? 'every access drawn (--exact)' : `${r.input.samples} samples per vCPU per tick`;
  const covered = r.summary.simulatedSeconds < r.input.duration ? ` (stopped at ${round(r.summary.simulatedSeconds)}s)` : '';
  return [...wrap(`${oneLine(r.input.file)}: ${run}, ${policyText(r)}, seed ${r.input.seed}`), ...wrap(`${r.input.duration}s simulated${covered} in ticks of ${round(r.input.tick * 1000)} ms, ${how}`)];
}

/** Words into lines of at most TEXT_WIDTH columns; continuation lines indented. */
export function wrap(text: string, indent = '    '): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if ([...next].length > TEXT_WIDTH && line) {
      out.push(line);
      line = `${indent}${word}`;
    } else {
      line = next;
    }
  }
  if (line) out.push(line);
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The text form: summary, containers, nodes, events, diagnostics. */
export function simulationText(r: SimulationResult): string {
  const s = r.summary;
  const out = header(r);
  out.push(...flow([
    `locality ${localityText(s.locality, s.localityError)}`, `slowdown ${slowdownText(s.slowdown, s.slowdownError)}`, `stall ${seconds(s.stallSeconds)}`,
    `vCPU moves ${count(s.vcpuMigrations)}`, `chunk moves ${count(s.chunkMigrations)}`, `copies ${count(s.replications)}`, `network ${formatBytes(s.networkBytes)}`,
    `(${Math.round(s.wallMillis)} ms)`,
  ]));
  if (s.simulatedSeconds < r.input.duration) out.push(`the figures cover the first ${round(s.simulatedSeconds)}s: the run stopped at an event that was not absorbed`);
  out.push('');
  out.push(...table([['container', 'replicas', 'target', 'locality', 'slowdown'], ...r.containers.map((c) => containerRow(c))], [0, 2]));
  const placed = r.containers.filter((c) => Object.keys(c.nodes).length || Object.keys(c.vcpus).length);
  if (placed.length) {
    out.push('');
    out.push(...table([['container', 'memory on', 'vCPUs on'], ...placed.map((c) => [oneLine(c.name), shares(c.nodes), shares(c.vcpus)])], [0, 1, 2]));
  }
  out.push('');
  out.push(...table([['node', 'sds', 'cores', 'cpu', 'memory used', 'state'],
    ...r.nodes.map((n) => [n.ref, n.sds ?? '-', String(n.cores), pct(n.cpuUtil), `${formatBytes(n.memoryUsed)} / ${formatBytes(n.memory)}`, n.failed ? 'FAILED' : 'ok'])], [0, 1]));
  const links = r.traffic?.links ?? [];
  if (links.length) {
    out.push('');
    out.push(...table([['link', 'peak', 'bandwidth', 'use'], ...links.map((l) => [oneLine(l.link), formatRate(l.peak), formatRate(l.bandwidth), pct(l.utilisation)])], [0]));
  }
  if (r.events.length) {
    out.push('');
    out.push(...table([['t', 'event', 'target', 'absorbed'], ...r.events.map((e) => [`${e.t}s`, e.kind, oneLine(e.target), e.reached === false ? 'not reached' : e.absorbed ? 'yes' : 'NO'])], [2]));
  }
  if (r.diagnostics.length) {
    out.push('');
    for (const d of r.diagnostics) out.push(...wrap(`${oneLine(d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${oneLine(d.message)}`));
  }
  return `${out.join('\n')}\n`;
}

function containerRow(c: ContainerResult): string[] {
  return [oneLine(c.name), String(c.replicas), oneLine(c.target) || '-', localityText(c.locality, c.localityError), slowdownText(c.slowdown, c.slowdownError)];
}

/** The runs best first: by slowdown, then stall seconds, then in the order given (the sort is stable). */
function rankBySlowdown(all: readonly SimulationResult[]): SimulationResult[] {
  return [...all].sort((a, b) => a.summary.slowdown - b.summary.slowdown || a.summary.stallSeconds - b.summary.stallSeconds);
}

/** The four policies side by side, ranked by slowdown. */
export function compareText(all: readonly SimulationResult[]): string {
  const first = all[0];
  const out = wrap(`${oneLine(first.input.file)}: ${first.input.scenario ? `scenario "${oneLine(first.input.scenario)}"` : 'base deployment'}, seed ${first.input.seed}, ${first.input.duration}s`);
  const ranked = rankBySlowdown(all);
  const best = ranked[0].summary.slowdown;
  out.push(...flow(['ranked by slowdown:', ...ranked.map((r, i) => `${i + 1}. ${r.input.policy} ${slowdownText(r.summary.slowdown, r.summary.slowdownError)}${i > 0 && best > 0 ? ` (+${Math.round((r.summary.slowdown / best - 1) * 100)}%)` : ''}`)]));
  out.push('');
  const head = ['', ...ranked.map((r) => r.input.policy)];
  const rows: string[][] = [head,
    ['slowdown', ...ranked.map((r) => slowdownText(r.summary.slowdown, r.summary.slowdownError))],
    ['locality', ...ranked.map((r) => localityText(r.summary.locality, r.summary.localityError))],
    ['stall', ...ranked.map((r) => seconds(r.summary.stallSeconds))],
    ['vCPU moves', ...ranked.map((r) => count(r.summary.vcpuMigrations))],
    ['chunk moves', ...ranked.map((r) => count(r.summary.chunkMigrations))],
    ['copies', ...ranked.map((r) => count(r.summary.replications))],
    ['network', ...ranked.map((r) => formatBytes(r.summary.networkBytes))],
  ];
  out.push(...table(rows, [0]));
  out.push('');
  const per: string[][] = [['container (locality, slowdown)', ...ranked.map((r) => r.input.policy)]];
  for (let i = 0; i < first.containers.length; i++) {
    per.push([oneLine(first.containers[i].name), ...ranked.map((r) => {
      const c = r.containers[i];
      return c.locality === null ? '-' : `${pct(c.locality)} ${slowdownText(c.slowdown, c.slowdownError).split(' ')[0]}`;
    })]);
  }
  out.push(...table(per, [0]));
  return `${out.join('\n')}\n`;
}

/** A file with nothing that runs on an SDS or a packed target. */
function nothingText(r: SimulationResult): string {
  return `${oneLine(r.input.file)}: nothing to simulate: no container with replicas runs on an SDS, a rack or a node set\n`;
}
