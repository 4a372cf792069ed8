// Screenshots of every preview view, light and dark, into test-output/screenshots/.
//   node scripts/screenshots-preview.mjs [--build]
// Serves dist/ on a loopback port, opens media/standalone.html in Debian's Chromium with
// playwright-core. Data: the real `topo place/simulate --format json` output for examples/*.topo
// when dist/cli.js supports them; otherwise the seeded generator of test/unit/preview.
/* global window, document -- (code passed to page.evaluate runs in the browser) */
import { createServer } from 'node:http';
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join, extname, resolve, basename } from 'node:path';
import { tmpdir } from 'node:os';
import { tsImport } from 'tsx/esm/api';
import { chromium } from 'playwright-core';

const repo = resolve(import.meta.dirname, '..');
const out = join(repo, 'test-output', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const VIEWS = ['placement', 'timeline', 'heatmap', 'compare'];
const POLICIES = ['static', 'page', 'vcpu', 'cost'];

if (process.argv.includes('--build') || !existsSync(join(repo, 'dist/media/preview.js'))) {
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  process.exit(2);
}

/** Runs the CLI; returns parsed JSON or null (with the reason) when it cannot. */
function cli(args) {
  const cliPath = join(repo, 'dist/cli.js');
  if (!existsSync(cliPath)) return { error: 'dist/cli.js is not built' };
  const r = spawnSync(process.execPath, [cliPath, ...args, '--format', 'json'], { cwd: repo, encoding: 'utf8', maxBuffer: 256 << 20, timeout: 60_000 });
  try {
    return { value: JSON.parse(r.stdout) };
  } catch {
    return { error: `topo ${args[0]} --format json: ${(r.stderr || r.stdout).split('\n')[0] || `exit ${r.status}`}` };
  }
}

function realData() {
  const dir = join(repo, 'examples');
  if (!existsSync(dir)) return { sets: [], why: 'no examples/' };
  const sets = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.topo')).sort()) {
    const file = join('examples', f);
    const place = cli(['place', file]);
    if (place.error) return { sets: [], why: place.error };
    const sim = cli(['simulate', file]);
    if (sim.error) return { sets: [], why: sim.error };
    const results = {};
    for (const p of POLICIES) {
      const r = cli(['simulate', file, '--policy', p]);
      if (r.value) results[p] = r.value;
    }
    const scenarios = [...new Set(Object.values(results).map((r) => r.input?.scenario).filter(Boolean))];
    sets.push({ name: basename(f, '.topo'), doc: { type: 'update', placement: place.value, simulation: sim.value, results, scenarios, source: { file } } });
  }
  return { sets, why: sets.length ? '' : 'no .topo files in examples/' };
}

async function generatedData() {
  const gen = await tsImport('../test/unit/preview/generate.ts', import.meta.url);
  const small = gen.generate(gen.SMALL);
  const large = gen.generate(gen.LARGE);
  return [
    { name: 'generated-small', doc: { type: 'update', ...small, results: gen.generateComparison(gen.SMALL), source: { file: 'generated-small.topo' } } },
    { name: 'generated-2000', doc: { type: 'update', ...large, results: gen.generateComparison(gen.LARGE), source: { file: 'generated-2000.topo' } } },
  ];
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };

function serve(dataDir) {
  const roots = { '/data/': dataDir, '/': join(repo, 'dist') };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const [prefix, root] = Object.entries(roots).find(([p]) => path.startsWith(p));
    const file = resolve(root, `.${path.slice(prefix.length - 1)}`);
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** The core's real placement of each example (no simulation): for the placement view. */
async function corePlacements() {
  const { checkText } = await tsImport('../server/src/core/check.ts', import.meta.url);
  const dir = join(repo, 'examples');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => n.endsWith('.topo')).sort().flatMap((f) => {
    const path = join(dir, f);
    const r = checkText(readFileSync(path, 'utf8'), path);
    if (!r.placement) return [];
    const scenarios = r.model.scenarios.map((s) => s.name);
    return [{ name: `${basename(f, '.topo')}-placement-only`, views: ['placement'], doc: { type: 'update', placement: r.placement, simulation: null, scenarios, source: { file: `examples/${f}` } } }];
  });
}

const real = realData();
let sets = real.sets;
if (!sets.length) {
  console.log(`using generated data (${real.why}) and the core's placement of the examples`);
  sets = [...await generatedData(), ...await corePlacements()];
} else {
  console.log(`using real results of ${sets.map((s) => s.name).join(', ')}`);
}
const dataDir = mkdtempSync(join(tmpdir(), 'topo-shots-'));
for (const s of sets) writeFileSync(join(dataDir, `${s.name}.json`), JSON.stringify(s.doc));
mkdirSync(out, { recursive: true });

const server = await serve(dataDir);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const problems = [];
let shots = 0;
try {
  for (const theme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, colorScheme: theme, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${theme}: console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`${theme}: page error: ${e.message}`));
    for (const s of sets) {
      for (const view of s.views ?? VIEWS) {
        await page.goto(`${base}/media/standalone.html?data=/data/${s.name}.json&view=${view}&theme=${theme}`);
        await page.waitForSelector('body[data-loaded]', { timeout: 15_000 });
        const loaded = await page.getAttribute('body', 'data-loaded');
        if (loaded !== 'true') problems.push(`${s.name}: data ${loaded}`);
        await page.waitForTimeout(150);
        const file = join(out, `preview-${s.name}-${view}-${theme}.png`);
        await page.screenshot({ path: file });
        shots++;
        if (theme === 'light') {
          // The view's own PNG export (SVG rasterised, canvas layers embedded).
          await page.evaluate(() => {
            window.exported = null;
            document.addEventListener('topo-preview-post', (e) => { if (e.detail.format === 'png') window.exported = e.detail.data; });
          });
          await page.getByRole('button', { name: 'Export PNG' }).click();
          const png = await page.waitForFunction(() => window.exported, undefined, { timeout: 15_000 }).then((h) => h.jsonValue());
          writeFileSync(join(out, `export-${s.name}-${view}.png`), Buffer.from(String(png).replace(/^data:image\/png;base64,/, ''), 'base64'));
        }
        if (view === 'placement') {
          // One more with a hovered container: the tooltip.
          const mark = await page.$('circle.container');
          if (mark) {
            await mark.hover();
            await page.waitForTimeout(50);
            await page.screenshot({ path: join(out, `preview-${s.name}-${view}-hover-${theme}.png`) });
            shots++;
          }
        }
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`${shots} screenshots in ${out}`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
