// The preview of examples/tenants.topo in Debian's Chromium: each container's chip carries its
// tenant's colour (a bar along its bottom, named in the legend), hovers say the tenant of a
// container and the tenants of a node, and `tenant:NAME` in the search box filters by tenant.
// Saves test-output/screenshots/preview-tenants.png and preview-tenants-dark.png.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { example } from '../unit/preview/real-cache';
import { standalonePreview, type OpenPreview } from './standalone';

const repo = join(import.meta.dirname, '../..');
const shots = join(repo, 'test-output', 'screenshots');
const data: Record<string, string> = { 'tenants.json': JSON.stringify(example('tenants')) };

const preview = standalonePreview(data);

function open(theme: 'light' | 'dark', query = ''): Promise<OpenPreview> {
  return preview.open('tenants.json', { theme, query });
}

/** The canvas pixel (r, g, b) two CSS pixels above the bottom edge of a container's first chip, at its middle. */
const chipBottom = (page: Page, name: string) => page.evaluate((n) => {
  const c = document.querySelector('canvas.topo-marks') as HTMLCanvasElement;
  const r = document.querySelector(`rect.container[data-name="${n}"]`)!.getBoundingClientRect();
  const cb = c.getBoundingClientRect();
  const sx = c.width / cb.width;
  const sy = c.height / cb.height;
  const px = c.getContext('2d')!.getImageData(Math.round((r.x + r.width / 2 - cb.x) * sx), Math.round((r.y + r.height - 1 - cb.y) * sy), 1, 1).data;
  return [px[0]!, px[1]!, px[2]!];
}, name);

// antialiasing at the bar's edges blends a little of the chip in: the tenants' colours are much further apart
const near = (a: readonly number[], b: readonly number[]): boolean => a.every((x, i) => Math.abs(x - (b[i] ?? 0)) <= 20);

test('tenants: legend names each tenant; chips carry their tenant\'s colour; hovers name the tenant', async () => {
  const { page, problems } = await open('light');
  const legend = await page.locator('.topo-legend').innerText();
  for (const t of ['tenant audit (dedicated)', 'tenant payments (vm)', 'tenant retail (shared)']) assert.ok(legend.includes(t), legend);
  const swatches = await page.locator('.topo-tenant-swatch').evaluateAll((es) => es.map((e) => getComputedStyle(e).backgroundColor));
  assert.equal(swatches.length, 3);
  const colour = (css: string): number[] => (css.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  // tenants in name order: audit, payments, retail; each container's chip bar has its tenant's swatch colour
  for (const [name, i] of [['trail', 0], ['checkout', 1], ['ledger', 1], ['storefront', 2], ['search', 2]] as const) {
    const px = await chipBottom(page, name);
    assert.ok(near(px, colour(swatches[i]!)), `${name}: ${px} vs ${swatches[i]}`);
  }
  // three distinct colours, and none of them is the chip's own fill at the bottom of a default-tenant chip
  assert.equal(new Set(swatches).size, 3);
  const plain = await chipBottom(page, 'reports');
  assert.ok(swatches.every((s) => !near(plain, colour(s))), `reports is in no tenant: ${plain}`);
  await page.locator('rect.container[data-name="checkout"]').hover({ force: true });
  assert.match(await page.locator('.topo-tooltip').innerText(), /tenant payments \(isolation vm\)/);
  const label = await page.locator('g.node[data-ref="r2.m1"]').getAttribute('aria-label');
  assert.match(label ?? '', /tenant audit(;|$)/);
  assert.deepEqual(problems, []);
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, 'preview-tenants.png') });
  await page.context().close();
});

test('tenants: the tenant: filter keeps a tenant\'s containers, from the box and the URL', async () => {
  const { page, problems } = await open('dark', '&filter=tenant:payments');
  await page.waitForSelector('rect.container.dimmed');
  const shown = async (): Promise<string[]> => (await page.locator('rect.container:not(.dimmed)').evaluateAll((es) => es.map((e) => e.getAttribute('data-name') ?? ''))).sort();
  assert.deepEqual(await shown(), ['checkout', 'ledger']);
  await page.fill('input.topo-search', 'tenant:retail');
  await page.waitForFunction(() => document.querySelector('.topo-search-info')?.textContent?.startsWith('2 of 6'));
  assert.deepEqual(await shown(), ['search', 'storefront']);
  await page.fill('input.topo-search', 'tenant:nobody');
  await page.waitForFunction(() => document.querySelector('.topo-search-info')?.textContent?.startsWith('0 of 6'));
  await page.fill('input.topo-search', '');
  await page.waitForFunction(() => document.querySelectorAll('rect.container.dimmed').length === 0);
  assert.deepEqual(problems, []);
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, 'preview-tenants-dark.png') });
  await page.context().close();
});
