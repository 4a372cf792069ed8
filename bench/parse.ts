import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTopology } from './generate';
import { record } from './figures';

/** What the bundled core exposes to this benchmark. */
interface CoreBundle {
  parseFile(text: string, file: string): unknown;
  loadProgram(root: string, host: unknown, text: string): { trees: unknown; declarationOrder: unknown };
  bindProgram(trees: unknown, order: unknown): unknown;
  MemoryHost: new (files: Map<string, string>, root: string) => unknown;
  checkText(text: string, file: string): { diagnostics: { severity: string; code: string; message: string }[]; model: { nodes: unknown[]; containers: unknown[] } };
}

/** The core as the product ships it: one esbuild bundle (tsx's per-module interop would slow every cross-module access). */
async function loadBundledCore(): Promise<CoreBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'topo-bench-'));
  const out = join(dir, 'core.js');
  await build({
    stdin: { contents: "export { parseFile } from './server/src/core/syntax/parser'; export { checkText } from './server/src/core/check'; export { loadProgram } from './server/src/core/model/loader'; export { bindProgram } from './server/src/core/model/binder'; export { MemoryHost } from './server/src/core/host';", resolveDir: join(__dirname, '..'), loader: 'ts' },
    bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const core = require(out) as CoreBundle;
  rmSync(dir, { recursive: true, force: true });
  return core;
}

function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/** Parse+bind throughput on a generated 100,000-line topology, next to JSON.parse of the same content. */
export async function benchParse(): Promise<string[]> {
  const core = await loadBundledCore();
  const { text, json } = generateTopology(100_000);
  const mb = text.length / 1e6;
  const jmb = json.length / 1e6;
  const check = core.checkText(text, '/bench/big.topo');
  const errors = check.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`generated topology has errors: ${errors[0].code} ${errors[0].message}`);
  const runs = 9;
  best(3, () => core.checkText(text, '/bench/big.topo'));
  const tParse = best(runs, () => core.parseFile(text, '/bench/big.topo'));
  const host = new core.MemoryHost(new Map([['/bench/big.topo', text]]), '/bench');
  const tCheck = best(runs, () => {
    const loaded = core.loadProgram('/bench/big.topo', host, text);
    core.bindProgram(loaded.trees, loaded.declarationOrder);
  });
  const tFull = best(3, () => core.checkText(text, '/bench/big.topo'));
  const tJson = best(runs, () => JSON.parse(json));
  const lines = text.split('\n').length;
  const parseBindMBs = mb / (tCheck / 1000);
  const jsonMBs = jmb / (tJson / 1000);
  const ratio = jsonMBs / parseBindMBs;
  record('parse+bind throughput vs JSON.parse of the same content, same run (100,000 lines, bundled core, best of 9)', `${parseBindMBs.toFixed(1)} vs ${jsonMBs.toFixed(1)} MB/s: ${ratio.toFixed(1)}x slower`, 'within 3x', ratio <= 3);
  return [
    `input: ${lines} lines, ${mb.toFixed(2)} MB .topo (${check.model.nodes.length} nodes, ${check.model.containers.length} containers); the same content as compact JSON: ${jmb.toFixed(2)} MB`,
    `parse only:  ${tParse.toFixed(1)} ms  ${(mb / (tParse / 1000)).toFixed(1)} MB/s`,
    `parse+bind:  ${tCheck.toFixed(1)} ms  ${parseBindMBs.toFixed(1)} MB/s   (best of ${runs}, bundled core)`,
    `whole check (parse, bind, placement, capacity analysis): ${tFull.toFixed(1)} ms`,
    `JSON.parse:  ${tJson.toFixed(1)} ms  ${jsonMBs.toFixed(1)} MB/s`,
    `ratio of throughputs (JSON.parse MB/s / parse+bind MB/s): ${ratio.toFixed(1)}x   (aim: within 3x)`,
    `ratio of times for the same content: ${(tCheck / tJson).toFixed(1)}x`,
  ];
}
