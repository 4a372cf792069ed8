// Screenshots of the preview, light and dark, at VS Code's default side panel width (700 px) and
// full width (1400 px), into test-output/screenshots/preview/:
//   every example (placement; every view of analytics-sds), the generated 2,000-container file
//   (overview, zoomed on one rack, a focused container with its talks chain, the table), and the
//   view's own PNG export of some.
//   node scripts/screenshots-preview.mjs [--build] [--only NAME]
// Serves dist/ on a loopback port and opens media/standalone.html in Debian's Chromium with
// playwright-core. Data: the core's real placement, simulation and facts (test/unit/preview/real.ts).
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
const out = join(repo, 'test-output', 'screenshots', 'preview');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WIDTHS = [700, 1400];
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;

if (process.argv.includes('--build') || !existsSync(join(repo, 'dist/media/preview.js'))) {
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  process.exit(2);
}

const { realUpdate } = await tsImport('../test/unit/preview/real.ts', import.meta.url);
const { generateTopoFile } = await tsImport('../test/unit/preview/generate.ts', import.meta.url);

/** Each set: a document and the shots to take of it (view, widths, and what to do first). */
const sets = [];
for (const f of readdirSync(join(repo, 'examples')).filter((n) => n.endsWith('.topo')).sort()) {
  const name = basename(f, '.topo');
  if (only && !name.includes(only)) continue;
  const path = join(repo, 'examples', f);
  console.log(`simulating ${f}`);
  const doc = realUpdate(readFileSync(path, 'utf8'), path, { compare: name === 'analytics-sds' });
  const shots = [{ view: 'placement' }];
  if (name === 'analytics-sds') {
    shots.push({ view: 'placement', state: 'focus-dashboards', act: { select: 'dashboards' } });
    for (const view of ['table', 'timeline', 'heatmap', 'compare']) shots.push({ view });
    shots.push({ view: 'table', state: 'containers', act: { table: 'containers' } });
  }
  sets.push({ name, doc, shots });
  if (name === 'analytics-sds') {
    // A scenario's run: its events on the time axis (and the failed node in the graph).
    const scenario = 'node failure during a query burst';
    console.log(`simulating ${f}, scenario "${scenario}"`);
    sets.push({ name: `${name}-scenario`, doc: realUpdate(readFileSync(path, 'utf8'), path, { scenario }), shots: [{ view: 'timeline' }, { view: 'placement' }] });
  }
}
if (!only || 'generated-2000'.includes(only)) {
  console.log('simulating the generated 2,000-container file (100 nodes in 5 racks)');
  const doc = realUpdate(generateTopoFile(), join(repo, 'generated-2000.topo'), { budgetMs: 1500 });
  // A container with a talks chain of three or more, all on one rack's target (so that one view shows it).
  const targetOf = new Map(doc.placement.targets.flatMap((t) => t.containers.map((c) => [c, t.target])));
  // (Both ways, as the preview's focus: what it talks to and what talks to it, transitively.)
  const talks = new Map(doc.facts.containers.map((c) => [c.name, c.talks.map((t) => t.to)]));
  const callers = new Map();
  for (const [a, tos] of talks) for (const b of tos) callers.set(b, [...(callers.get(b) ?? []), a]);
  const walk = (n, next, seen) => { for (const t of next.get(n) ?? []) if (!seen.has(t)) { seen.add(t); walk(t, next, seen); } return seen; };
  const chain = (n) => { const s = new Set([n]); walk(n, talks, s); walk(n, callers, s); return s; };
  const candidates = [...talks.keys()].map((n) => [n, [...chain(n)]]).filter(([n, c]) => c.length >= 3 && c.length <= 8 && c.every((x) => targetOf.get(x) === targetOf.get(n) && !targetOf.get(n).includes(',')));
  const head = (candidates.sort((a, b) => b[1].length - a[1].length)[0] ?? [[...talks.keys()][0]])[0];
  sets.push({
    name: 'generated-2000', doc, shots: [
      { view: 'placement', state: 'overview' },
      // Zoomed on the rack of the most loaded node.
      { view: 'placement', state: 'rack', act: { rack: true } },
      { view: 'placement', state: `focus-${head}`, act: { select: head } },
      { view: 'table' },
    ],
  });
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };
const dataDir = mkdtempSync(join(tmpdir(), 'topo-shots-'));
for (const s of sets) writeFileSync(join(dataDir, `${s.name}.json`), JSON.stringify(s.doc));
mkdirSync(out, { recursive: true });

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const [root, rel] = path.startsWith('/data/') ? [dataDir, path.slice(6)] : [join(repo, 'dist'), path.slice(1)];
  const file = resolve(root, rel);
  if (path === '/favicon.ico') return void res.writeHead(204).end();
  if (!file.startsWith(root) || !existsSync(file)) return void res.writeHead(404).end('not found');
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const problems = [];
const written = [];
try {
  for (const theme of ['light', 'dark']) {
    for (const width of WIDTHS) {
      const context = await browser.newContext({ viewport: { width, height: 860 }, colorScheme: theme, deviceScaleFactor: 1 });
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${theme} ${width}: console ${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`${theme} ${width}: page error: ${e.message}`));
      for (const s of sets) {
        for (const shot of s.shots) {
          await page.goto(`${base}/media/standalone.html?data=/data/${s.name}.json&view=${shot.view}&theme=${theme}`);
          await page.waitForSelector('body[data-loaded]', { timeout: 30_000 });
          const loaded = await page.getAttribute('body', 'data-loaded');
          if (loaded !== 'true') problems.push(`${s.name}: data ${loaded}`);
          if (shot.act) {
            await page.evaluate((act) => {
              const p = window.topoPreview;
              if (act.table) {
                [...document.querySelectorAll('.topo-viewbar button')].find((b) => b.textContent === 'Containers')?.click();
              }
              if (act.select) {
                p.select({ kind: 'container', name: act.select });
                if (!document.querySelector(`[data-name="${act.select}"]`)) p.rendered.showContainer(act.select);
              }
              if (act.rack) p.rendered.showRack(p.world.nodeIndex.get(p.world.hottest).rack);
            }, shot.act);
          }
          await page.waitForTimeout(200);
          const file = join(out, `${s.name}-${shot.view}${shot.state ? `-${shot.state}` : ''}-${width}-${theme}.png`);
          await page.screenshot({ path: file });
          written.push(file);
          if (theme === 'light' && width === 700 && shot.view === 'placement' && !shot.act) {
            // The view's own PNG export (the painting as SVG, rasterised).
            await page.evaluate(() => {
              window.exported = null;
              document.addEventListener('topo-preview-post', (e) => { if (e.detail.format === 'png') window.exported = e.detail.data; });
            });
            await page.getByRole('button', { name: 'Export PNG' }).click();
            const png = await page.waitForFunction(() => window.exported, undefined, { timeout: 15_000 }).then((h) => h.jsonValue());
            const ex = join(out, `export-${s.name}-${shot.view}.png`);
            writeFileSync(ex, Buffer.from(String(png).replace(/^data:image\/png;base64,/, ''), 'base64'));
            written.push(ex);
          }
        }
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`${written.length} screenshots in ${out}`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
