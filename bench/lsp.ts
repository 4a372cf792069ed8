// The language server as an editor sees it, over stdio, on a generated 10,000-line topology
// (1,000 nodes and 5,000 containers): time from an incremental didChange to the
// publishDiagnostics of that version over 1,000 edits, completion and hover latency, completion
// sent right after an edit, semantic tokens, document symbols, formatting (whole file and one
// declaration), the server's memory after load, after the 1,000 edits and after a simulation,
// and diagnostics latency while a simulation runs (typing must never wait for one).
//
// Then the same deployment written one property per line (about 37,000 lines) beside
// yaml-language-server 2.x on the same deployment as Kubernetes YAML (what `topo export` writes),
// both over stdio, the same edits, in the same run.
//
// TOPO_BENCH_EDITS (default 1000): edits on the 10,000-line file; TOPO_BENCH_BESIDE_EDITS
// (default 40): edits on each of the large files (yaml-language-server takes seconds an edit).
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { TestClient, type Position, type Published } from '../test/protocol/client';
import { generateDeployment, kubernetesYamlOf, seeded } from './generate';
import { formatStats, record, recordLatency, stats } from './figures';

const ROOT = resolve(__dirname, '..');
const EDITS = Number(process.env.TOPO_BENCH_EDITS ?? 1000);
const BESIDE_EDITS = Number(process.env.TOPO_BENCH_BESIDE_EDITS ?? 40);
const YAML_SERVER = resolve(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server');

function summary(label: string, ms: number[], aim: string): string {
  return `${label.padEnd(40)} ${formatStats(stats(ms))}; aim ${aim}`;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

/** The client's copy of a document as lines (every edit here stays within one line). */
class Lines {
  readonly lines: string[];
  constructor(text: string) { this.lines = text.split('\n'); }
  get text(): string { return this.lines.join('\n'); }
  /** Replaces `del` characters at (line, character) by `ins`. */
  apply(line: number, character: number, del: number, ins: string): void {
    const l = this.lines[line];
    this.lines[line] = l.slice(0, character) + ins + l.slice(character + del);
  }
}

interface LineEdit { line: number; character: number; del: number; ins: string }

/**
 * Edits where people type, on the lines that `candidate` picks: a replicas count changed
 * (it changes the placement of a target) every other edit where the line has one, else a
 * character typed at the end of the line (`typed(i)`).
 */
function editScript(doc: Lines, candidate: RegExp, typed: (i: number) => string, seed: number): (i: number) => LineEdit {
  const r = seeded(seed);
  const lines: number[] = [];
  doc.lines.forEach((l, i) => { if (candidate.test(l)) lines.push(i); });
  return (i) => {
    const line = lines[Math.floor(r() * lines.length)];
    const text = doc.lines[line];
    const m = /replicas:? (\d)/.exec(text);
    if (m && i % 2 === 0) return { line, character: m.index + m[0].length - 1, del: 1, ins: String((Number(m[1]) % 3) + 1) };
    return { line, character: text.length, del: 0, ins: typed(i) };
  };
}

/** One server over stdio with a document open; `edited` resolves when the diagnostics of the last edit arrive. */
interface Session {
  readonly c: TestClient;
  readonly uri: string;
  readonly doc: Lines;
  readonly capabilities: Record<string, unknown>;
  /** Sends one edit and resolves when its diagnostics are published. */
  change(e: LineEdit): Promise<void>;
}

async function topoSession(text: string, uri: string, lines: string[]): Promise<Session> {
  const c = new TestClient();
  c.settings = { simulateOnSave: true, simulation: { maxMillis: 2000 } };
  const { capabilities } = await c.initialize();
  const doc = new Lines(text);
  const t0 = performance.now();
  c.open(uri, text);
  await c.until('first diagnostics', () => c.lastDiagnostics(uri), 120_000);
  lines.push(`Topo: open to first diagnostics ${(performance.now() - t0).toFixed(0)} ms (${c.lastDiagnostics(uri)!.diagnostics.length} diagnostics)`);
  return {
    c, uri, doc, capabilities,
    async change(e) {
      doc.apply(e.line, e.character, e.del, e.ins);
      c.edit(uri, [e.line, e.character], [e.line, e.character + e.del], e.ins);
      await c.diagnosticsOf(uri, c.version(uri), 120_000);
    },
  };
}

/**
 * yaml-language-server over stdio as an editor runs it: validation on, no schema (the schema
 * store off, no schema associations: syntax only), completion and hover off. It publishes
 * without a version, once per change after its own validation delay (200 ms, not a setting).
 */
async function yamlSession(text: string, uri: string, lines: string[]): Promise<Session> {
  const c = new TestClient([YAML_SERVER, '--stdio']);
  const yaml = { validate: true, hover: false, completion: false, format: { enable: false }, schemas: {}, schemaStore: { enable: false }, kubernetesCRDStore: { enable: false }, maxItemsComputed: 5000 };
  c.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((it) => (it.section === 'yaml' ? yaml : {})));
  let waiter: (() => void) | null = null;
  c.conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
    if (p.uri !== uri) return;
    c.published.splice(0, c.published.length, p);
    const w = waiter;
    waiter = null;
    w?.();
  });
  const init = (await c.conn.sendRequest('initialize', { processId: process.pid, rootUri: 'file:///work/bench', capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: {} } } })) as { capabilities: Record<string, unknown> };
  await c.conn.sendNotification('initialized', {});
  const next = (): Promise<void> => new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('yaml-language-server published no diagnostics in 120 s')), 120_000);
    waiter = () => { clearTimeout(timer); res(); };
  });
  const doc = new Lines(text);
  let version = 1;
  const t0 = performance.now();
  const first = next();
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  await first;
  lines.push(`yaml-language-server: open to first diagnostics ${(performance.now() - t0).toFixed(0)} ms (${c.published[0]?.diagnostics.length ?? 0} diagnostics)`);
  return {
    c, uri, doc, capabilities: init.capabilities,
    async change(e) {
      doc.apply(e.line, e.character, e.del, e.ins);
      version++;
      const done = next();
      await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line: e.line, character: e.character }, end: { line: e.line, character: e.character + e.del } }, text: e.ins }] });
      await done;
    },
  };
}

async function timeChanges(s: Session, script: (i: number) => LineEdit, from: number, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = from; i < from + count; i++) {
    const e = script(i);
    const start = performance.now();
    await s.change(e);
    out.push(performance.now() - start);
  }
  return out;
}

function ensureBuilt(): void {
  if (!existsSync(resolve(ROOT, 'dist/server/node.js'))) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

export async function benchLsp(): Promise<string[]> {
  ensureBuilt();
  const text = generateDeployment();
  const lines: string[] = [];
  const nodes = (text.match(/^\s*node /gm) ?? []).length;
  const containers = (text.match(/^container /gm) ?? []).length;
  lines.push(`input: ${text.split('\n').length - 1} lines, ${nodes} nodes, ${containers} containers, ${(text.length / 1024).toFixed(0)} KiB`);
  const uri = 'file:///work/bench/deployment.topo';
  const s = await topoSession(text, uri, lines);
  const { c } = s;
  const textDocument = { uri };
  try {
    const pid = c.proc.pid!;
    await sleep(500);
    const rssLoad = rssMiB(pid);
    lines.push(`server memory after load: ${rssLoad.toFixed(0)} MiB RSS`);

    const script = editScript(s.doc, /^container /, (i) => (i % 3 === 0 ? ' ' : '#'), 11);
    await timeChanges(s, script, 0, 10); // warm-up
    const change = await timeChanges(s, script, 10, EDITS);
    lines.push(summary(`didChange -> publishDiagnostics (${EDITS} edits)`, change, 'p95 ≤ 16 ms'));
    recordLatency('didChange → publishDiagnostics, 10,000-line file (1,000 nodes, 5,000 containers)', stats(change), 16);
    const rssRightAfter = rssMiB(pid);
    // the server returns memory once edits pause for a second (server/src/node/heap.ts)
    await sleep(1500);
    const rssEdits = rssMiB(pid);
    lines.push(`server memory after ${EDITS + 10} edits: ${rssRightAfter.toFixed(0)} MiB RSS right after, ${rssEdits.toFixed(0)} MiB after a 1.5 s pause`);

    const timeRequest = async (method: string, params: (i: number) => unknown, runs: number): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < runs; i++) {
        const p = params(i);
        const start = performance.now();
        await c.request(method, p);
        out.push(performance.now() - start);
      }
      return out;
    };
    const docLines = s.doc.lines;
    const r = seeded(7);
    const randomPosition = (): Position => {
      const line = Math.floor(r() * (docLines.length - 1));
      return { line, character: Math.floor(r() * (docLines[line].length + 1)) };
    };
    // Positions inside a target name after `place on ` (hover) and right after `place on ` (completion), every 100th container.
    const names: Position[] = [];
    docLines.forEach((l, line) => { const k = l.indexOf('place on '); if (k >= 0 && line % 100 === 0) names.push({ line, character: k + 10 }); });
    await timeRequest('textDocument/completion', () => ({ textDocument, position: randomPosition() }), 10);
    lines.push(summary('completion (random positions)', await timeRequest('textDocument/completion', () => ({ textDocument, position: randomPosition() }), 100), '< 20 ms'));
    lines.push(summary('completion after `place on `', await timeRequest('textDocument/completion', (i) => ({ textDocument, position: { ...names[i % names.length], character: names[i % names.length].character - 1 } }), names.length), '< 20 ms'));
    lines.push(summary('hover (random positions)', await timeRequest('textDocument/hover', () => ({ textDocument, position: randomPosition() }), 100), '< 20 ms'));
    lines.push(summary('hover on a target', await timeRequest('textDocument/hover', (i) => ({ textDocument, position: names[i % names.length] }), names.length), '< 20 ms'));

    // Semantic tokens and symbols of the settled document, then tokens asked right after an edit (as VS Code does).
    const tokens = await timeRequest('textDocument/semanticTokens/full', () => ({ textDocument }), 20);
    const symbols = await timeRequest('textDocument/documentSymbol', () => ({ textDocument }), 20);
    lines.push(summary('semantic tokens (full)', tokens, '≤ 5 ms'));
    lines.push(summary('document symbols', symbols, '≤ 5 ms'));
    const provider = s.capabilities.semanticTokensProvider as { full?: boolean | { delta?: boolean } } | undefined;
    lines.push(`semantic tokens: the server offers ${typeof provider?.full === 'object' && provider.full.delta ? 'deltas' : 'full tokens only (no deltas)'}`);
    const tokensAfterEdit: number[] = [];
    for (let i = 0; i < 20; i++) {
      const e = script(100_000 + 2 * i + 1);
      const start = performance.now();
      s.doc.apply(e.line, e.character, e.del, e.ins);
      c.edit(uri, [e.line, e.character], [e.line, e.character + e.del], e.ins);
      await c.request('textDocument/semanticTokens/full', { textDocument });
      tokensAfterEdit.push(performance.now() - start);
      await c.diagnosticsOf(uri, c.version(uri));
    }
    lines.push(summary('didChange + semantic tokens at once', tokensAfterEdit, '≤ 5 ms with deltas'));
    const ts = stats(tokens);
    const ss = stats(symbols);
    record('semantic tokens / document symbols, 10,000 lines (settled document, over LSP)', `p50 ${ts.p50.toFixed(1)} / ${ss.p50.toFixed(1)} ms, p95 ${ts.p95.toFixed(1)} / ${ss.p95.toFixed(1)}, max ${ts.max.toFixed(1)} / ${ss.max.toFixed(1)}; tokens right after an edit p95 ${stats(tokensAfterEdit).p95.toFixed(1)} ms`, '≤ 5 ms (semantic-token deltas)', ts.p95 <= 5 && ss.p95 <= 5);

    // Formatting: the whole file, and one declaration (a range of one container's lines).
    const options = { tabSize: 2, insertSpaces: true };
    const format = await timeRequest('textDocument/formatting', () => ({ textDocument, options }), 10);
    const containerLines = docLines.map((l, i) => (l.startsWith('container ') ? i : -1)).filter((i) => i >= 0);
    const declarationRange = (line: number): { start: Position; end: Position } => {
      let end = line;
      if (!docLines[line].trimEnd().endsWith('}')) while (end + 1 < docLines.length && !docLines[end].startsWith('}')) end++;
      return { start: { line, character: 0 }, end: { line: end + 1, character: 0 } };
    };
    const rangeFormat = await timeRequest('textDocument/rangeFormatting', () => ({ textDocument, options, range: declarationRange(containerLines[Math.floor(r() * containerLines.length)]) }), 50);
    lines.push(summary('format (whole file)', format, '≤ 30 ms'));
    lines.push(summary('range formatting (one declaration)', rangeFormat, '≤ 5 ms'));
    const fs = stats(format);
    const rs = stats(rangeFormat);
    record('format of the 10,000-line file; range formatting (one declaration)', `p50 ${fs.p50.toFixed(0)} / p95 ${fs.p95.toFixed(0)} / max ${fs.max.toFixed(0)} ms; range p50 ${rs.p50.toFixed(1)} / p95 ${rs.p95.toFixed(1)} / max ${rs.max.toFixed(1)} ms`, '≤ 30 ms; range ≤ 5 ms', fs.p95 <= 30 && rs.p95 <= 5);

    // As when typing: a character, then completion at once (the server must check the new text first).
    const typed: number[] = [];
    for (let i = 0; i < 100; i++) {
      const line = containerLines[Math.floor(r() * containerLines.length)];
      const character = docLines[line].length;
      const start = performance.now();
      s.doc.apply(line, character, 0, ' ');
      c.edit(uri, [line, character], [line, character], ' ');
      await c.request('textDocument/completion', { textDocument, position: { line, character: character + 1 } });
      typed.push(performance.now() - start);
    }
    lines.push(summary('didChange + completion at once', typed, '≤ 16 ms'));
    recordLatency('completion sent right after an edit (10,000 lines)', stats(typed), 16);
    await c.diagnosticsOf(uri, c.version(uri));

    // While a simulation of the whole file runs in the worker, typing goes on.
    const sims = c.simulations.length;
    c.save(uri);
    await sleep(50);
    const during = await timeChanges(s, script, 20_000, 20);
    lines.push(summary('didChange -> diagnostics, simulating', during, 'as without'));
    const sim = await c.until('the simulation result', () => c.simulations.slice(sims).find((x) => x.uri === uri), 120_000);
    await sleep(1000);
    const rssSim = rssMiB(pid);
    lines.push(`simulation: ${sim.result ? `locality ${sim.result.summary.locality.toFixed(3)}` : `no result (${sim.reason ?? '?'})`}; server memory after it (worker thread included): ${rssSim.toFixed(0)} MiB RSS`);
    record(`server RSS after load / after ${EDITS + 10} edits / after a simulation`, `${rssLoad.toFixed(0)} / ${rssEdits.toFixed(0)} / ${rssSim.toFixed(0)} MiB`, '≤ 150 MiB after 1,000 edits and a simulation', EDITS >= 1000 && Math.max(rssEdits, rssSim) <= 150);
  } finally {
    await c.stop();
  }
  return lines;
}

/** Topo on the one-property-per-line deployment beside yaml-language-server on its Kubernetes export, the same edits. */
export async function benchLspBesideYaml(): Promise<string[]> {
  ensureBuilt();
  const lines: string[] = [];
  if (!existsSync(YAML_SERVER)) return ['yaml-language-server is not installed (npm ci installs it as a dev dependency)'];
  const version = (JSON.parse(readFileSync(resolve(ROOT, 'node_modules/yaml-language-server/package.json'), 'utf8')) as { version: string }).version;
  const topo = generateDeployment(10_000, 1_000, 5_000, 3, 'spread');
  const yaml = kubernetesYamlOf(topo);
  const topoLines = topo.split('\n').length - 1;
  const yamlLines = yaml.split('\n').length - 1;
  lines.push(`input: the deployment one property per line, ${topoLines} lines (${(topo.length / 1024).toFixed(0)} KiB); its Kubernetes export (topo export), ${yamlLines} lines (${(yaml.length / 1024).toFixed(0)} KiB); yaml-language-server ${version}`);
  // The same edits on both: a replicas count (every other edit) or a space typed at the end of a replicas line.
  const run = async (s: Session, candidate: RegExp): Promise<{ ms: number[]; rss: number }> => {
    try {
      const script = editScript(s.doc, candidate, () => ' ', 13);
      await timeChanges(s, script, 0, 3);
      const ms = await timeChanges(s, script, 3, BESIDE_EDITS);
      return { ms, rss: rssMiB(s.c.proc.pid!) };
    } finally {
      await s.c.stop();
    }
  };
  const t = await run(await topoSession(topo, 'file:///work/bench/spread.topo', lines), /^\s*replicas \d/);
  lines.push(summary(`Topo didChange -> publishDiagnostics (${topoLines} lines)`, t.ms, 'p95 ≤ 16 ms') + `; RSS ${t.rss.toFixed(0)} MiB`);
  const y = await run(await yamlSession(yaml, 'file:///work/bench/deployment.yaml', lines), /^\s*replicas: \d/);
  lines.push(summary(`yaml-language-server didChange -> publishDiagnostics (${yamlLines} lines)`, y.ms, 'slower than Topo by ≥ 200x') + `; RSS ${y.rss.toFixed(0)} MiB`);
  const ts = stats(t.ms);
  const ys = stats(y.ms);
  const ratio = ys.p95 / ts.p95;
  lines.push(`ratio of p95 (yaml-language-server / Topo): ${ratio.toFixed(1)}x   (aim: ≥ 200x, Topo ≤ 16 ms)`);
  record(`the same deployment one property per line (${topoLines} lines), p95, beside yaml-language-server ${version} on its Kubernetes YAML (${yamlLines} lines, syntax only), same run`,
    `Topo p50 ${ts.p50.toFixed(0)} / p95 ${ts.p95.toFixed(0)} / max ${ts.max.toFixed(0)} ms; yaml-language-server p50 ${ys.p50.toFixed(0)} / p95 ${ys.p95.toFixed(0)} / max ${ys.max.toFixed(0)} ms: ${ratio.toFixed(1)}x`,
    '≤ 16 ms: ≥ 200x', ts.p95 <= 16 && ratio >= 200);
  return lines;
}
