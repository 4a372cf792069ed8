// The language server as an editor sees it, over stdio, on a generated 10,000-line topology
// (about 1,000 nodes and 5,000 containers): time from an incremental didChange to the
// publishDiagnostics of that version, completion and hover latency, the server's memory after
// load, and diagnostics latency while a simulation runs (typing must never wait for one).
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { TestClient, positionAt, type Position } from '../test/protocol/client';
import { generateDeployment, seeded } from './generate';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(label: string, ms: number[], aim: string): string {
  const s = [...ms].sort((a, b) => a - b);
  return `${label.padEnd(34)} p50 ${percentile(s, 50).toFixed(1)} ms  p95 ${percentile(s, 95).toFixed(1)} ms  max ${s[s.length - 1].toFixed(1)} ms  (${ms.length} runs; aim ${aim})`;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function benchLsp(): Promise<string[]> {
  const root = resolve(__dirname, '..');
  if (!existsSync(resolve(root, 'dist/server/node.js'))) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  let text = generateDeployment();
  const lines: string[] = [];
  const nodes = (text.match(/^\s*node /gm) ?? []).length;
  const containers = (text.match(/^container /gm) ?? []).length;
  lines.push(`input: ${text.split('\n').length - 1} lines, ${nodes} nodes, ${containers} containers, ${(text.length / 1024).toFixed(0)} KiB`);

  const c = new TestClient();
  c.settings = { simulateOnSave: true, simulation: { maxMillis: 2000 } };
  try {
    await c.initialize();
    const uri = 'file:///work/bench/deployment.topo';
    const t0 = performance.now();
    c.open(uri, text);
    await c.until('first diagnostics', () => c.lastDiagnostics(uri), 60_000);
    lines.push(`open to first diagnostics: ${(performance.now() - t0).toFixed(0)} ms (${c.lastDiagnostics(uri)!.diagnostics.length} diagnostics)`);
    const pid = c.proc.pid!;
    await new Promise((res) => setTimeout(res, 500));
    lines.push(`server memory after load: ${rssMiB(pid).toFixed(0)} MiB RSS (aim < 200 MB)`);

    // Edits where people type: a replicas count (changes the placement of a target), a unit
    // typed over (an error and back), a word inserted in a container. One at a time: each waits
    // for the diagnostics of its own version.
    const r = seeded(11);
    const containerLines: number[] = [];
    text.split('\n').forEach((l, i) => { if (l.startsWith('container ')) containerLines.push(i); });
    const changeLatency = async (count: number): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < count; i++) {
        const line = containerLines[Math.floor(r() * containerLines.length)];
        const lineStart = text.split('\n', line).reduce((n, l) => n + l.length + 1, 0);
        const lineText = text.slice(lineStart, text.indexOf('\n', lineStart));
        const m = /replicas (\d)/.exec(lineText);
        let at: Position;
        let del = 0;
        let ins: string;
        if (m && i % 2 === 0) {
          at = positionAt(text, lineStart + m.index + 9);
          del = 1;
          ins = String((Number(m[1]) % 3) + 1);
        } else {
          at = { line, character: lineText.length };
          ins = i % 3 === 0 ? ' ' : '#';
        }
        const start = performance.now();
        const offset = lineStart + at.character;
        c.edit(uri, [at.line, at.character], [at.line, at.character + del], ins);
        text = text.slice(0, offset) + ins + text.slice(offset + del);
        const v = c.version(uri);
        await c.diagnosticsOf(uri, v);
        out.push(performance.now() - start);
      }
      return out;
    };
    await changeLatency(10); // warm-up
    lines.push(summary('didChange -> publishDiagnostics', await changeLatency(100), 'p95 < 50 ms'));
    lines.push(`server memory after 110 edits: ${rssMiB(pid).toFixed(0)} MiB RSS`);

    const requestLatency = async (method: string, positions: Position[]): Promise<number[]> => {
      const out: number[] = [];
      for (const position of positions) {
        const start = performance.now();
        await c.request(method, { textDocument: { uri }, position });
        out.push(performance.now() - start);
      }
      return out;
    };
    const docLines = text.split('\n');
    const randomPositions = (k: number): Position[] => Array.from({ length: k }, () => {
      const line = Math.floor(r() * (docLines.length - 1));
      return { line, character: Math.floor(r() * (docLines[line].length + 1)) };
    });
    // Positions inside a target name after `place on ` (hover) and right after `place on ` (completion), every 100th container.
    const names: Position[] = [];
    docLines.forEach((l, line) => { const k = l.indexOf('place on '); if (k >= 0 && line % 100 === 0) names.push({ line, character: k + 10 }); });
    await requestLatency('textDocument/completion', randomPositions(10));
    lines.push(summary('completion (random positions)', await requestLatency('textDocument/completion', randomPositions(100)), '< 20 ms'));
    lines.push(summary('completion after `place on `', await requestLatency('textDocument/completion', names.map((p) => ({ line: p.line, character: p.character - 1 }))), '< 20 ms'));
    lines.push(summary('hover (random positions)', await requestLatency('textDocument/hover', randomPositions(100)), '< 20 ms'));
    lines.push(summary('hover on a target', await requestLatency('textDocument/hover', names), '< 20 ms'));

    // As when typing: a character, then completion at once (the server must check the new text first).
    const typed: number[] = [];
    for (let i = 0; i < 30; i++) {
      const line = containerLines[Math.floor(r() * containerLines.length)];
      const lineText = text.split('\n', line + 1)[line];
      const lineStart = text.split('\n', line).reduce((n, l) => n + l.length + 1, 0);
      const start = performance.now();
      c.edit(uri, [line, lineText.length], [line, lineText.length], ' ');
      text = text.slice(0, lineStart + lineText.length) + ' ' + text.slice(lineStart + lineText.length);
      await c.request('textDocument/completion', { textDocument: { uri }, position: { line, character: lineText.length + 1 } });
      typed.push(performance.now() - start);
    }
    lines.push(summary('didChange + completion at once', typed, '< 20 ms'));

    // While a simulation of the whole file runs in the worker, typing goes on.
    c.save(uri);
    await new Promise((res) => setTimeout(res, 50));
    const during = await changeLatency(20);
    lines.push(summary('didChange -> diagnostics, simulating', during, 'as without'));
    lines.push(`server memory at the end (after a simulation in its worker thread): ${rssMiB(pid).toFixed(0)} MiB RSS`);
  } finally {
    await c.stop();
  }
  return lines;
}
