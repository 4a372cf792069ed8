// The preview's filter travels in the playground's link (dist/playground, scripts/serve.mjs) and
// survives a reload; a problems row reveals its line in the editor.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const repo = resolve(__dirname, '..', '..');
let server: ChildProcess;
let browser: Browser;
let base = '';

before(async () => {
  assert.ok(existsSync(join(repo, 'dist/playground/index.html')), 'run the build first (node scripts/build.mjs)');
  server = spawn(process.execPath, ['scripts/serve.mjs', '--no-build'], { cwd: repo, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise<string>((ok, fail) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/localhost:(\d+)\//.exec(out);
      if (m) ok(`http://127.0.0.1:${m[1]}/`);
    });
    server.on('exit', (code) => fail(new Error(`serve.mjs exited (${code})`)));
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

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
