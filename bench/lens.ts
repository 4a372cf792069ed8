// Does typing stay fast with the sizing lenses on? didChange -> publishDiagnostics on the 10,000-line
// generated deployment, with `topo.codeLens.sizing` on (the client asks for lenses after every edit,
// as VS Code does, so sizing starts in the worker at each pause and is cancelled by the next edit)
// and off, over the same edits; then how long the lenses take to arrive after the last edit.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { TestClient } from '../test/protocol/client';
import { generateDeployment } from './generate';
import { formatStats, recordLatency, stats } from './figures';

const ROOT = resolve(__dirname, '..');
const EDITS = 60;
const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

interface Run { readonly change: number[]; readonly lensesAfterLastEdit: number | null }

/** Typing on `replicas` lines: a digit changed, 120 ms apart, and every 6th edit a 700 ms pause (sizing starts after 300 ms of quiet). */
async function session(text: string, lenses: boolean): Promise<Run> {
  const c = new TestClient();
  c.settings = { simulateOnSave: false, simulation: { maxMillis: 2000 }, codeLens: { sizing: lenses } };
  await c.initialize('file:///work/bench', { codeLens: { refreshSupport: true } });
  const uri = 'file:///work/bench/deployment.topo';
  try {
    c.open(uri, text);
    await c.until('first diagnostics', () => c.lastDiagnostics(uri), 120_000);
    const lines = text.split('\n');
    const targets: number[] = [];
    lines.forEach((l, i) => { if (/^\s*replicas \d/.test(l)) targets.push(i); });
    const change: number[] = [];
    for (let i = 0; i < EDITS + 5; i++) {
      const line = targets[(i * 97) % targets.length]!;
      const m = /replicas (\d)/.exec(lines[line]!)!;
      const at = m.index + m[0].length - 1;
      const digit = String((Number(m[1]) % 3) + 1);
      lines[line] = lines[line]!.slice(0, at) + digit + lines[line]!.slice(at + 1);
      const start = performance.now();
      c.edit(uri, [line, at], [line, at + 1], digit);
      await c.diagnosticsOf(uri, c.version(uri), 120_000);
      if (i >= 5) change.push(performance.now() - start); // 5 warm-up edits
      if (lenses) await c.request('textDocument/codeLens', { textDocument: { uri } });
      await sleep(i % 6 === 5 ? 700 : 120);
    }
    let lensesAfterLastEdit: number | null = null;
    if (lenses) {
      const before = c.codeLensRefreshes, t0 = performance.now();
      await c.until('lenses of the last text', () => c.codeLensRefreshes > before, 300_000);
      lensesAfterLastEdit = performance.now() - t0;
    }
    return { change, lensesAfterLastEdit };
  } finally {
    await c.stop();
  }
}

export async function benchSizingLenses(): Promise<string[]> {
  if (!existsSync(resolve(ROOT, 'dist/server/analysis-worker.js'))) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const text = generateDeployment();
  const out = [`input: ${text.split('\n').length - 1} lines (the lsp bench's deployment); ${EDITS} edits each, 120 ms apart with a 700 ms pause every 6th`];
  const off = await session(text, false);
  const on = await session(text, true);
  out.push(`lenses off: didChange -> publishDiagnostics ${formatStats(stats(off.change))}`);
  out.push(`lenses on:  didChange -> publishDiagnostics ${formatStats(stats(on.change))}`);
  out.push(`lenses on: sizing the whole file after the last edit, to the lens refresh: ${on.lensesAfterLastEdit?.toFixed(0)} ms (in the worker)`);
  recordLatency('didChange → publishDiagnostics with sizing lenses on, 10,000-line file', stats(on.change), 16);
  return out;
}

if (require.main === module) void benchSizingLenses().then((l) => console.log(l.join('\n')));
