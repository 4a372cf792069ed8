// The built preview (dist/media/preview.js + standalone.html) in Debian's Chromium, under the
// page's strict CSP: rendering, interaction, highlight via postMessage, search, focus, the
// table, SVG and PNG export, text that never overlaps with the browser's own font metrics.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { generate, generateComparison, SMALL, LARGE } from '../unit/preview/generate';
import { example } from '../unit/preview/real-cache';
import { standalonePreview, type OpenPreview } from './standalone';

const data: Record<string, string> = {
  'small.json': JSON.stringify({ type: 'update', ...generate(SMALL), results: generateComparison(SMALL) }),
  'large.json': JSON.stringify({ type: 'update', ...generate(LARGE) }),
  'analytics.json': JSON.stringify(example('analytics-sds')),
};

const preview = standalonePreview(data);

function open(file: string, theme: 'light' | 'dark' = 'light', width = 1200, query = ''): Promise<OpenPreview> {
  return preview.open(file, { theme, width, query });
}

const posts = (page: Page) => page.evaluate(() => (window as unknown as { posts: { type: string; [k: string]: unknown }[] }).posts);
type Box = { text: string; x: number; y: number; w: number; h: number };
const texts = (page: Page) => page.evaluate(() => (window as unknown as { topoPreview: { rendered: { texts(): Box[] } } }).topoPreview.rendered.texts());

/** Pairs of painted texts whose boxes overlap. */
function overlapping(ts: readonly Box[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ts.length; i++) for (let j = i + 1; j < ts.length; j++) {
    const a = ts[i]!, b = ts[j]!;
    if (a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5) out.push(`${a.text} / ${b.text}`);
  }
  return out;
}

/** Painted pixels of the placement's canvas. */
const inked = (page: Page) => page.evaluate(() => {
  const c = document.querySelector('canvas.topo-marks') as HTMLCanvasElement;
  const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
  const bg = [px[0], px[1], px[2]];
  let n = 0;
  for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i]! - bg[0]!) + Math.abs(px[i + 1]! - bg[1]!) + Math.abs(px[i + 2]! - bg[2]!) > 30) n++;
  return n;
});

test('small result: graph painted, click reveals, highlight by postMessage, invalid messages ignored', async () => {
  const { page, problems, warnings } = await open('small.json');
  assert.equal(await page.locator('g.node').count(), 8);
  assert.equal(await page.locator('rect.sds-boundary').count(), 1);
  assert.equal(await page.locator('rect.container').count(), 12);
  assert.ok(await inked(page) > 20_000, 'the canvas is painted');
  const mark = page.locator('rect.container').nth(2);
  const name = await mark.getAttribute('data-name');
  // The mark is painted on the canvas: the overlay's rect is where it is, and takes no pointer events itself.
  await mark.click({ force: true });
  assert.deepEqual((await posts(page)).at(-1), { type: 'reveal', kind: 'container', name });
  await mark.hover({ force: true });
  assert.match(await page.locator('.topo-tooltip').innerText(), new RegExp(`container ${name}`));
  await page.evaluate((n) => window.postMessage({ type: 'highlight', container: n }, location.origin), name);
  await page.waitForSelector('rect.container.highlighted');
  await page.evaluate(() => window.postMessage({ type: 'update', placement: '<img src=x onerror=alert(1)>' }, location.origin));
  await page.waitForTimeout(100);
  assert.ok(warnings.some((w) => /ignored an invalid message/.test(w)), warnings.join('\n'));
  assert.equal(await page.locator('g.node').count(), 8);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('analytics-sds at 700 px: each container named on its mark; no two texts overlap with the browser\'s fonts, zoomed in and out', async () => {
  const { page, problems } = await open('analytics.json', 'light', 700);
  const words = (await texts(page)).map((t) => t.text);
  for (const n of ['columnstore', 'ingest', 'query-api', 'dashboards']) assert.ok(words.includes(n), `${n} painted: ${words.join(' | ')}`);
  const svg = page.locator('svg.topo-placement');
  await svg.focus();
  for (const key of ['-', '-', '-', '-', '0', '+', '+', '+', '+']) {
    await page.keyboard.press(key);
    assert.deepEqual(overlapping(await texts(page)), [], `after ${key}`);
  }
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('search: typing greys out the rest, the count is said, the filter comes back from the URL; focus dims all but the chain', async () => {
  const { page, problems } = await open('analytics.json', 'dark', 700, '&filter=ingest');
  assert.equal(await page.inputValue('input.topo-search'), 'ingest');
  await page.waitForSelector('rect.container.dimmed');
  assert.equal(await page.locator('rect.container:not(.dimmed)').getAttribute('data-name'), 'ingest');
  await page.fill('input.topo-search', 'query');
  await page.waitForFunction(() => document.querySelector('.topo-search-info')?.textContent?.startsWith('1 of 4'));
  assert.equal(await page.locator('rect.container:not(.dimmed)').getAttribute('data-name'), 'query-api');
  await page.fill('input.topo-search', '');
  await page.waitForFunction(() => document.querySelectorAll('rect.container.dimmed').length === 0);
  // Focus: dashboards -> query-api -> columnstore; ingest is dimmed.
  await page.locator('rect.container[data-name="dashboards"]').click({ force: true });
  assert.deepEqual(await page.locator('rect.container.dimmed').evaluateAll((es) => es.map((e) => e.getAttribute('data-name'))), ['ingest']);
  const before = await inked(page);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('rect.container.dimmed').count(), 0);
  assert.notEqual(await inked(page), before, 'the canvas repainted without the focus');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('table: sorted by pressure, a click sorts by another column; CSV posted', async () => {
  const { page, problems } = await open('analytics.json', 'light', 1200, '&view=table');
  const first = await page.locator('tbody tr[data-row]').first().getAttribute('data-row');
  assert.equal(first, await page.evaluate(() => (window as unknown as { topoPreview: { world: { hottest: string } } }).topoPreview.world.hottest));
  await page.locator('button[data-column="node"]').click();
  assert.equal(await page.locator('th[aria-sort="ascending"] button').getAttribute('data-column'), 'node');
  const rows = await page.locator('tbody tr[data-row]').evaluateAll((es) => es.map((e) => e.getAttribute('data-row')!));
  assert.deepEqual(rows, [...rows].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = (await posts(page)).find((p) => p.format === 'csv');
  assert.ok(csv && String(csv.data).startsWith('node,target,role,pressure'));
  assert.equal(String(csv.data).trim().split('\r\n').length, 1 + rows.length);
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

test('2,000 containers: the overview is painted; a tile click zooms to its node; the other views switch by tab', async () => {
  const { page, problems } = await open('large.json');
  assert.equal(await page.locator('canvas.topo-marks').count(), 1);
  assert.equal(await page.locator('rect.container').count(), 0);
  assert.ok(await inked(page) > 20_000, 'painted');
  const tile = await page.evaluate(() => (window as unknown as { topoPreview: { rendered: { painted(): { level: string; tiles: { ref: string; x: number; y: number; w: number; h: number }[] } } } }).topoPreview.rendered.painted());
  assert.equal(tile.level, 'overview');
  assert.equal(tile.tiles.length, 96);
  const t = tile.tiles.find((x) => x.ref === 'r5.n3')!;
  const box = (await page.locator('svg.topo-placement').boundingBox())!;
  await page.mouse.click(box.x + t.x + t.w / 2, box.y + t.y + t.h / 2);
  assert.deepEqual((await posts(page)).at(-1), { type: 'reveal', kind: 'node', name: 'r5.n3' });
  assert.ok((await texts(page)).some((x) => x.text === 'n3'), 'the node card is named');
  assert.deepEqual(overlapping(await texts(page)), []);
  for (const tab of ['Table', 'Locality over time', 'Node heatmap', 'Policy comparison']) {
    await page.getByRole('tab', { name: tab }).click();
    assert.equal(await page.getByRole('tab', { name: tab }).getAttribute('aria-selected'), 'true');
    if (tab === 'Node heatmap') assert.equal(await page.locator('canvas.topo-marks').count(), 1, 'heatmap of 96 nodes x 400 samples on a canvas');
    if (tab === 'Locality over time') assert.equal(await page.locator('path.total-line').count(), 1);
  }
  assert.match(await page.locator('.topo-view').innerText(), /No policy comparison yet/);
  assert.deepEqual(problems, []);
  await page.context().close();
});
