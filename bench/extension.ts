// The extension as the marketplace ships it: the VSIX's size (aim ≤ 2 MB), and activation to
// the first request served (aim ≤ 50 ms), measured in two parts on the minified bundles of the
// VSIX: loading dist/client/extension.js (in a fresh Node, with a stub `vscode` module: what the
// extension host does before it calls activate), and the language server from its start to
// the answer of its first request (initialize, didOpen of an example, documentSymbol). A bare
// `node -e 0` in the same run is the reference: the server's start includes a Node start.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../test/protocol/client';

const ROOT = resolve(__dirname, '..');
const RUNS = 9;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function stats(xs: readonly number[]): string {
  return `median ${median(xs).toFixed(1)} ms, best ${Math.min(...xs).toFixed(1)} ms (${xs.length} runs)`;
}

/** Builds the minified bundles and the VSIX into a temporary folder; returns its path. */
function packageVsix(dir: string): string {
  execFileSync(process.execPath, ['scripts/build.mjs', '--minify'], { cwd: ROOT, stdio: 'ignore' });
  const out = join(dir, 'topo.vsix');
  execFileSync(join(ROOT, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '-o', out], { cwd: ROOT, stdio: 'ignore' });
  return out;
}

function vsixEntries(vsix: string): { name: string; size: number }[] {
  const out = spawnSync('unzip', ['-l', vsix], { encoding: 'utf8' }).stdout;
  return out.split('\n').map((l) => /^\s*(\d+)\s+\S+\s+\S+\s+(\S.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null).map((m) => ({ name: m[2], size: Number(m[1]) }));
}

/** Milliseconds a fresh Node takes to load the client bundle (vscode stubbed), measured inside it. */
function clientLoadMillis(): number {
  const script = `
    const Module = require('module');
    // Any property, call or new of the stub gives the stub; modules that import it as ESM see it as one.
    const stub = new Proxy(function () {}, { get: (t, k) => (k === '__esModule' ? true : k === Symbol.toPrimitive ? () => '' : stub), apply: () => stub, construct: () => stub, getPrototypeOf: () => stub });
    const load = Module._load;
    Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
    const t0 = performance.now();
    require(${JSON.stringify(join(ROOT, 'dist/client/extension.js'))});
    process.stdout.write(String(performance.now() - t0));`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

function nodeStartMillis(): number {
  const t0 = performance.now();
  execFileSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}

/** From spawning the server to the answer of its first request after initialize and didOpen. */
async function serverFirstRequest(uri: string, text: string): Promise<{ initialize: number; first: number }> {
  const t0 = performance.now();
  const c = new TestClient();
  try {
    await c.initialize();
    const initialize = performance.now() - t0;
    c.open(uri, text);
    await c.request('textDocument/documentSymbol', { textDocument: { uri } });
    return { initialize, first: performance.now() - t0 };
  } finally {
    await c.stop();
  }
}

export async function benchExtension(): Promise<string[]> {
  const lines: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'topo-bench-ext-'));
  try {
    const vsix = packageVsix(dir);
    const size = statSync(vsix).size;
    const entries = vsixEntries(vsix).sort((a, b) => b.size - a.size);
    lines.push(`VSIX: ${(size / 1024 / 1024).toFixed(2)} MB compressed, ${entries.length} files, ${(entries.reduce((s, e) => s + e.size, 0) / 1024 / 1024).toFixed(2)} MB unpacked (aim ≤ 2 MB)`);
    lines.push(`  largest: ${entries.slice(0, 5).map((e) => `${e.name.replace(/^extension\//, '')} ${(e.size / 1024).toFixed(0)} KiB`).join(', ')}`);

    const example = join(ROOT, 'examples/spec-example.topo');
    const uri = pathToFileURL(example).href;
    const text = readFileSync(example, 'utf8');
    const node: number[] = [];
    const load: number[] = [];
    const init: number[] = [];
    const first: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      node.push(nodeStartMillis());
      load.push(clientLoadMillis());
      const s = await serverFirstRequest(uri, text);
      init.push(s.initialize);
      first.push(s.first);
    }
    lines.push(`reference: a bare Node start (node -e 0): ${stats(node)}`);
    lines.push(`client bundle load (extension host, before activate): ${stats(load)}`);
    lines.push(`server start to initialize answered: ${stats(init)}`);
    lines.push(`server start to first request served (documentSymbol after didOpen): ${stats(first)}`);
    const total = median(load) + median(first);
    lines.push(`activation to first request served ≈ ${total.toFixed(0)} ms (client load + server to first request; aim ≤ 50 ms: ${total <= 50 ? 'met' : 'not met'}); without the server's own Node start ≈ ${(total - median(node)).toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
