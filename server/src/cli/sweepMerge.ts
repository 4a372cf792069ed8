// Reading sweep results back: JSON lines files (one shard each, or several shards one after the
// other) into one header and every run, checked to be one whole sweep: the same file, lists and
// shard count in every header, every shard once, every run once and where its index puts it.
import { POLICIES, jobAt, runFigures, runCount, type SweepHeader, type SweepRunLine, type SweepSpec } from './sweepRuns';
import type { Policy } from '../core/model/types';
import { UsageError } from './io';

/** A problem with the results, at a file's line. */
export class MergeError extends UsageError {}

interface Section {
  readonly where: string;
  readonly header: SweepHeader;
  readonly runs: { readonly where: string; readonly run: SweepRunLine }[];
}

type Json = Record<string, unknown>;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => isNum(v) && Number.isInteger(v) && v >= 0;
const isPolicy = (v: unknown): v is Policy => typeof v === 'string' && (POLICIES as readonly string[]).includes(v);

function field<T>(o: Json, name: string, ok: (v: unknown) => v is T, where: string, what: string): T {
  const v = o[name];
  if (!ok(v)) throw new MergeError(`${where}: \`${name}\` must be ${what}`);
  return v;
}

function header(o: Json, where: string): SweepHeader {
  const version = o.version;
  if (version !== '1') throw new MergeError(`${where}: sweep results of version ${JSON.stringify(version)}; this topo reads version 1`);
  const shard = o.shard as Json | undefined;
  if (typeof shard !== 'object' || shard === null || !isInt(shard.index) || !isInt(shard.count) || shard.count < 1 || shard.index >= shard.count) {
    throw new MergeError(`${where}: \`shard\` must be { index, count } with 0 <= index < count`);
  }
  const scenarios = field(o, 'scenarios', (v): v is (string | null)[] => Array.isArray(v) && v.length > 0 && v.every((s) => s === null || typeof s === 'string'), where, 'a list of scenario names (null: the base deployment)');
  const h: SweepHeader = {
    type: 'sweep',
    version: '1',
    file: field(o, 'file', (v): v is string => typeof v === 'string', where, 'a string'),
    digest: field(o, 'digest', (v): v is string => typeof v === 'string', where, 'a string'),
    scenarios,
    policies: field(o, 'policies', (v): v is Policy[] => Array.isArray(v) && v.length > 0 && v.every(isPolicy), where, `a list of policies (${POLICIES.join(', ')})`),
    seeds: field(o, 'seeds', (v): v is number[] => Array.isArray(v) && v.length > 0 && v.every(isInt), where, 'a list of seeds'),
    samples: field(o, 'samples', (v): v is number | null => v === null || isInt(v), where, 'a count or null'),
    budgetMs: field(o, 'budgetMs', (v): v is number | null => v === null || isNum(v), where, 'a number or null'),
    runs: field(o, 'runs', isInt, where, 'a count'),
    shard: { index: shard.index, count: shard.count },
  };
  if (h.runs !== runCount(h)) throw new MergeError(`${where}: \`runs\` is ${h.runs}, but ${h.scenarios.length} scenarios × ${h.policies.length} policies × ${h.seeds.length} seeds make ${runCount(h)}`);
  return h;
}

function run(o: Json, where: string): SweepRunLine {
  const num = (name: string): number => field(o, name, isNum, where, 'a number');
  const nullableNum = (v: unknown): v is number | null => v === null || isNum(v);
  const containers = field(o, 'containers', (v): v is Json[] => Array.isArray(v) && v.every((c) => typeof c === 'object' && c !== null), where, 'a list');
  return {
    type: 'run',
    index: field(o, 'index', isInt, where, 'a run index'),
    scenario: field(o, 'scenario', (v): v is string | null => v === null || typeof v === 'string', where, 'a scenario name or null'),
    policy: field(o, 'policy', isPolicy, where, `one of ${POLICIES.join(', ')}`),
    seed: field(o, 'seed', isInt, where, 'a seed'),
    ...runFigures(num),
    stopped: field(o, 'stopped', (v): v is boolean => typeof v === 'boolean', where, 'true or false'),
    codes: field(o, 'codes', (v): v is string[] => Array.isArray(v) && v.every((c) => typeof c === 'string'), where, 'a list of codes'),
    containers: containers.map((c) => ({
      name: field(c, 'name', (v): v is string => typeof v === 'string', where, 'a string (in containers)'),
      locality: field(c, 'locality', nullableNum, where, 'a number or null (in containers)'),
      slowdown: field(c, 'slowdown', nullableNum, where, 'a number or null (in containers)'),
    })),
  };
}

/**
 * The sections of one results file. Lines that do not start with `{` are skipped and counted
 * (`kubectl logs` output can hold lines of the pod's own); a line that starts with `{` must be a
 * sweep line.
 */
export function readSections(name: string, text: string): { sections: Section[]; skipped: string[] } {
  const sections: Section[] = [];
  const skipped: string[] = [];
  let current: { where: string; header: SweepHeader; runs: { where: string; run: SweepRunLine }[] } | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const where = `${name}:${i + 1}`;
    if (line === '') return;
    if (!line.startsWith('{')) { skipped.push(where); return; }
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      throw new MergeError(`${where}: not JSON (a line cut short?); sweep results are the JSON lines \`topo sweep --format jsonl\` writes`);
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new MergeError(`${where}: not a JSON object`);
    const obj = o as Json;
    if (obj.type === 'sweep') {
      current = { where, header: header(obj, where), runs: [] };
      sections.push(current);
    } else if (obj.type === 'run') {
      if (!current) throw new MergeError(`${where}: a run before the sweep's header line (the file's first line must be the header \`{"type":"sweep",...}\`)`);
      current.runs.push({ where, run: run(obj, where) });
    } else {
      throw new MergeError(`${where}: \`type\` must be "sweep" or "run"`);
    }
  });
  return { sections, skipped };
}

/** The headers agree on everything but the shard's index. */
function sameSweep(a: SweepHeader, b: SweepHeader): string | null {
  if (a.digest !== b.digest) return a.file === b.file ? `${a.file} differs between them (another version of the file)` : `they sweep different files (${a.file}, ${b.file})`;
  const keys = ['scenarios', 'policies', 'seeds', 'samples', 'budgetMs'] as const;
  for (const k of keys) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `their ${k} differ`;
  if (a.shard.count !== b.shard.count) return `one is a shard of ${a.shard.count}, the other of ${b.shard.count}`;
  return null;
}

/** Every section together, checked to be one whole sweep; the header of the whole (shard 0 of 1) and its runs by index. */
export function mergeSections(sections: readonly Section[]): { header: SweepHeader; runs: SweepRunLine[] } {
  const [first] = sections;
  if (!first) throw new MergeError('no sweep results in the files given (no header line `{"type":"sweep",...}`)');
  const count = first.header.shard.count;
  // a shard given twice (a pod that was retried: `kubectl logs` shows both) is fine where its runs agree
  const byShard = new Map<number, Section>();
  for (const s of sections) {
    const why = sameSweep(first.header, s.header);
    if (why) throw new MergeError(`${s.where} and ${first.where} are not shards of one sweep: ${why}`);
    byShard.set(s.header.shard.index, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byShard.has(i));
  if (missing.length) throw new MergeError(`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} missing: give every shard's results`);
  const spec: SweepSpec = first.header;
  const runs: (SweepRunLine | undefined)[] = Array.from({ length: first.header.runs }, () => undefined);
  for (const s of sections) {
    for (const { where, run: r } of s.runs) {
      if (r.index >= first.header.runs) throw new MergeError(`${where}: run ${r.index}, but the sweep has ${first.header.runs} runs`);
      if (r.index % count !== s.header.shard.index) throw new MergeError(`${where}: run ${r.index} belongs to shard ${r.index % count}, not to shard ${s.header.shard.index}`);
      const job = jobAt(spec, r.index);
      if (job.scenario !== r.scenario || job.policy !== r.policy || job.seed !== r.seed) throw new MergeError(`${where}: run ${r.index} should be scenario ${JSON.stringify(job.scenario)}, policy ${job.policy}, seed ${job.seed}`);
      const before = runs[r.index];
      if (before && JSON.stringify(before) !== JSON.stringify(r)) throw new MergeError(`${where}: run ${r.index} is there twice with different figures (results of different topo versions?)`);
      runs[r.index] = r;
    }
  }
  const lost = runs.flatMap((r, i) => (r ? [] : [i]));
  if (lost.length) {
    const shards = [...new Set(lost.map((i) => i % count))];
    throw new MergeError(`${lost.length} of ${first.header.runs} runs missing (of shard${shards.length > 1 ? 's' : ''} ${shards.slice(0, 10).join(', ')}${shards.length > 10 ? ', ...' : ''}): a shard stopped early? run it again`);
  }
  return { header: { ...first.header, shard: { index: 0, count: 1 } }, runs: runs as SweepRunLine[] };
}
