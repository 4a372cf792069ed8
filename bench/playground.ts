// The playground: bundle sizes (raw and gzip) of dist/playground, and time to interactive in
// Debian's Chromium: navigation start to the editor ready, to the first diagnostics from the
// language server worker, and to the first preview (simulator worker), median of several loads.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

const repo = resolve(__dirname, '..');
const dist = join(repo, 'dist/playground');
const LOADS = 5;

const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function sizes(): string[] {
  const files = readdirSync(dist).filter((f) => !f.endsWith('.map') && statSync(join(dist, f)).isFile()).sort();
  let raw = 0;
  let gz = 0;
  let page = 0;
  const lines = files.map((f) => {
    const bytes = readFileSync(join(dist, f));
    const z = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gz += z;
    if (!f.includes('worker')) page += z;
    return `${f.padEnd(28)} ${kib(bytes.length).padStart(9)} raw ${kib(z).padStart(8)} gzip`;
  });
  return [...lines, `${'total'.padEnd(28)} ${kib(raw).padStart(9)} raw ${kib(gz).padStart(8)} gzip (page without workers: ${kib(page)} gzip)`];
}

async function serve(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--no-build'], { cwd: repo, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/localhost:(\d+)\//.exec(out);
      if (m) ok(`http://127.0.0.1:${m[1]}/`);
    });
    child.on('exit', (code) => fail(new Error(`serve.mjs exited (${code})`)));
  });
  // the server goes with this process however it ends (an error, Ctrl-C): no server is left behind
  const kill = (): void => { child.kill(); };
  process.once('exit', kill);
  return { url, stop: () => { process.off('exit', kill); child.kill(); } };
}

export async function benchPlayground(): Promise<string[]> {
  if (!existsSync(join(dist, 'index.html'))) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
    if (r.status !== 0) return ['build failed: no playground to measure'];
  }
  const out = ['bundle sizes (dist/playground, minified, without source maps):', ...sizes().map((l) => `  ${l}`)];
  const server = await serve();
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const marks: Record<string, number[]> = { 'topo-editor-ready': [], 'topo-first-diagnostics': [], 'topo-first-preview': [] };
    let lsp = 'ready';
    for (let i = 0; i < LOADS; i++) {
      // A fresh context each time: cold cache, empty storage (the default example, spec-example.topo).
      const context = await browser.newContext({ viewport: { width: 1400, height: 850 } });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForSelector('body[data-lsp]', { timeout: 60_000 });
      lsp = (await page.getAttribute('body', 'data-lsp')) ?? '?';
      if (lsp === 'ready') await page.waitForSelector('body[data-diagnostics="ready"]', { timeout: 60_000 });
      await page.waitForSelector('body[data-simulations]', { timeout: 60_000 });
      const got = await page.evaluate((names) => Object.fromEntries(names.map((n) => [n, performance.getEntriesByName(n)[0]?.startTime ?? -1])), Object.keys(marks));
      for (const [k, v] of Object.entries(got)) if (v >= 0) marks[k].push(v);
      await context.close();
    }
    out.push(`time to interactive in Chromium, median of ${LOADS} cold loads (navigation start to):`);
    const row = (label: string, xs: number[]): string => (xs.length ? `  ${label.padEnd(38)} ${median(xs).toFixed(0).padStart(5)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})` : `  ${label.padEnd(38)}   n/a`);
    out.push(row('editor ready', marks['topo-editor-ready']));
    out.push(row('first diagnostics (language server)', marks['topo-first-diagnostics']) + (lsp === 'ready' ? '' : `  (language server ${lsp})`));
    out.push(row('first preview (simulator worker)', marks['topo-first-preview']));
  } finally {
    await browser?.close();
    server.stop();
  }
  return out;
}
