// The preview's filter travels in the playground's link (dist/playground, scripts/serve.mjs) and
// survives a reload; a problems row reveals its line in the editor.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startPlayground, type Playground } from './chromium';

let playground: Playground | undefined;
let browser: Browser;
let base = '';

before(async () => {
  playground = await startPlayground();
  ({ browser, base } = playground);
});

after(() => playground?.close());

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('body[data-editor="ready"]');
  await page.waitForSelector('body[data-simulations]');
  await page.waitForSelector('#preview input.topo-search');
}

test('the filter is in the link: a reload and a fresh browser bring it back', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 850 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(base);
  await ready(page);
  await page.fill('#preview input.topo-search', 'image:nginx api');
  await page.waitForFunction(() => location.hash.includes('&filter='), undefined, { timeout: 10_000 });
  assert.match(await page.evaluate(() => location.hash), /^#code\/[A-Za-z0-9_-]+&filter=image%3Anginx%20api$/);
  await page.reload();
  await ready(page);
  assert.equal(await page.inputValue('#preview input.topo-search'), 'image:nginx api');
  const link = await page.evaluate(() => location.href);
  await context.close();

  const other = await browser.newContext({ viewport: { width: 1400, height: 850 } });
  const fresh = await other.newPage();
  await fresh.goto(link);
  await ready(fresh);
  assert.equal(await fresh.inputValue('#preview input.topo-search'), 'image:nginx api');
  // The text came with it too (the filter does not break the code part).
  assert.ok((await fresh.evaluate(() => (window as unknown as { topoPlayground: { editor: { getValue(): string } } }).topoPlayground.editor.getValue())).includes('container'));
  // Clearing the filter takes it out of the link.
  await fresh.fill('#preview input.topo-search', '');
  await fresh.waitForFunction(() => !location.hash.includes('&filter='), undefined, { timeout: 10_000 });
  assert.deepEqual(problems, []);
  await other.close();
});

test('a problem\'s line button puts the editor\'s cursor on it', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 850 } });
  const page = await context.newPage();
  await page.goto(base);
  await ready(page);
  const row = page.locator('#preview .topo-problem-source', { hasText: /^line \d+$/ }).first();
  await row.waitFor({ timeout: 30_000 });
  const line = Number((await row.innerText()).replace('line ', ''));
  await row.click();
  const at = await page.evaluate(() => (window as unknown as { topoPlayground: { editor: { getPosition(): { lineNumber: number } } } }).topoPlayground.editor.getPosition().lineNumber);
  assert.equal(at, line);
  await context.close();
});
