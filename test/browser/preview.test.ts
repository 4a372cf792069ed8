// The built preview (dist/media/preview.js + standalone.html) in Debian's Chromium, under the
// page's strict CSP: rendering, interaction, highlight via postMessage, SVG and PNG export.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { generate, generateComparison, SMALL, LARGE } from '../unit/preview/generate';

const repo = resolve(__dirname, '..', '..');
const dist = join(repo, 'dist');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };
const data: Record<string, string> = {
  'small.json': JSON.stringify({ type: 'update', ...generate(SMALL), results: generateComparison(SMALL) }),
  'large.json': JSON.stringify({ type: 'update', ...generate(LARGE) }),
};

let server: Server;
let browser: Browser;
let base = '';

before(async () => {
  assert.ok(existsSync(join(dist, 'media/preview.js')), 'run the build first (node scripts/build.mjs)');
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/data/') && data[path.slice(6)]) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(data[path.slice(6)]);
      return;
    }
    const file = resolve(dist, `.${path}`);
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function open(file: string, theme: 'light' | 'dark' = 'light'): Promise<{ page: Page; problems: string[]; warnings: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, colorScheme: theme });
  const page = await context.newPage();
  const problems: string[] = [];
  const warnings: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await page.goto(`${base}/media/standalone.html?data=/data/${file}`);
  await page.waitForSelector('body[data-loaded]');
  assert.equal(await page.getAttribute('body', 'data-loaded'), 'true');
  // Record what the preview posts (standalone pages re-dispatch it as a DOM event).
  await page.evaluate(() => {
    const w = window as unknown as { posts: unknown[] };
    w.posts = [];
    document.addEventListener('topo-preview-post', (e) => w.posts.push((e as CustomEvent).detail));
  });
  return { page, problems, warnings };
}

const posts = (page: Page) => page.evaluate(() => (window as unknown as { posts: { type: string; [k: string]: unknown }[] }).posts);

test('small result: graph, click reveals, highlight by postMessage, invalid messages ignored', async () => {
  const { page, problems, warnings } = await open('small.json');
  assert.equal(await page.locator('g.node').count(), 8);
  assert.equal(await page.locator('rect.sds-boundary').count(), 1);
  assert.equal(await page.locator('circle.container').count(), 12);
  const name = await page.locator('circle.container').nth(2).getAttribute('data-name');
  await page.locator('circle.container').nth(2).click();
  assert.deepEqual((await posts(page)).at(-1), { type: 'reveal', kind: 'container', name });
  await page.locator('circle.container').nth(2).hover();
  assert.match(await page.locator('.topo-tooltip').innerText(), new RegExp(`container ${name}`));
  await page.evaluate((n) => window.postMessage({ type: 'highlight', container: n }, location.origin), name);
  await page.waitForSelector('circle.container.highlighted');
  await page.evaluate(() => window.postMessage({ type: 'update', placement: '<img src=x onerror=alert(1)>' }, location.origin));
  await page.waitForTimeout(100);
  assert.ok(warnings.some((w) => /ignored an invalid message/.test(w)), warnings.join('\n'));
  assert.equal(await page.locator('g.node').count(), 8);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('exports: SVG string and PNG data URL rasterised under the CSP', async () => {
  const { page, problems } = await open('small.json', 'dark');
  await page.getByRole('button', { name: 'Export SVG' }).click();
  await page.getByRole('button', { name: 'Export PNG' }).click();
  await page.waitForFunction(() => (window as unknown as { posts: { format?: string }[] }).posts.some((p) => p.format === 'png'), undefined, { timeout: 10_000 });
  const ps = await posts(page);
  const svg = ps.find((p) => p.format === 'svg');
  const png = ps.find((p) => p.format === 'png');
  assert.ok(svg && typeof svg.data === 'string' && svg.data.includes('<svg'));
  // Theme colours are inlined as plain values (the SVG has no access to VS Code's variables).
  assert.ok(!String(svg.data).includes('var(--'));
  assert.match(String(svg.data), /fill="rgb\(30, 30, 30\)"/);
  assert.ok(png && typeof png.data === 'string' && png.data.startsWith('data:image/png;base64,') && png.data.length > 5000);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('2,000 containers: the canvas is painted; the other views switch by tab, the heatmap on a canvas', async () => {
  const { page, problems } = await open('large.json');
  assert.equal(await page.locator('canvas.topo-marks').count(), 1);
  assert.equal(await page.locator('circle.container').count(), 0);
  const painted = await page.evaluate(() => {
    const c = document.querySelector('canvas.topo-marks') as HTMLCanvasElement;
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
    return n;
  });
  assert.ok(painted > 10_000, `painted pixels: ${painted}`);
  for (const tab of ['Locality over time', 'Node heatmap', 'Policy comparison']) {
    await page.getByRole('tab', { name: tab }).click();
    assert.equal(await page.getByRole('tab', { name: tab }).getAttribute('aria-selected'), 'true');
    if (tab === 'Node heatmap') assert.equal(await page.locator('canvas.topo-marks').count(), 1, 'heatmap of 96 nodes x 400 samples on a canvas');
    if (tab === 'Locality over time') assert.equal(await page.locator('path.total-line').count(), 1);
  }
  assert.match(await page.locator('.topo-view').innerText(), /No policy comparison yet/);
  assert.deepEqual(problems, []);
  await page.context().close();
});
