// The built preview on its standalone page (dist/media/standalone.html) in Chromium, fed JSON
// messages served from memory: the set-up the preview's browser tests share.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { assertBuilt, distServer, launchChromium, listen } from './chromium';

const TYPES: Readonly<Record<string, string>> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };

export interface OpenOptions {
  readonly theme?: 'light' | 'dark';
  readonly width?: number;
  readonly height?: number;
  /** More of the page's query (`&filter=...`, `&view=table`). */
  readonly query?: string;
}

export interface OpenPreview {
  readonly page: Page;
  /** Page errors and console errors (and console warnings when `warningsAreProblems`). */
  readonly problems: string[];
  /** Console warnings (when they are not problems). */
  readonly warnings: string[];
}

export interface StandalonePreview {
  /** Opens `/data/FILE` in a fresh context; what the preview posts is recorded in `window.posts`. */
  open(file: string, options?: OpenOptions): Promise<OpenPreview>;
}

/**
 * Registers the suite's before/after hooks (a server of dist/ with `data` under /data/, one
 * Chromium) and returns how to open a page.
 */
export function standalonePreview(data: Readonly<Record<string, string>>, settings: { readonly warningsAreProblems?: boolean } = {}): StandalonePreview {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let base = '';
  before(async () => {
    assertBuilt('media/preview.js');
    server = distServer(TYPES, (path, _req, res) => {
      const body = path.startsWith('/data/') ? data[path.slice(6)] : undefined;
      if (body === undefined) return false;
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return true;
    });
    base = await listen(server);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
  return {
    async open(file, { theme = 'light', width = 1200, height = 800, query = '' } = {}) {
      assert.ok(browser, 'the browser is started by the suite\'s before hook');
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: theme });
      // tsx names the functions of code passed to page.evaluate with a helper the page lacks.
      await context.addInitScript({ content: 'window.__name = (f) => f;' });
      const page = await context.newPage();
      const problems: string[] = [];
      const warnings: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
        if (m.type() === 'warning') (settings.warningsAreProblems ? problems : warnings).push(m.text());
      });
      await page.goto(`${base}/media/standalone.html?data=/data/${file}${query}`);
      await page.waitForSelector('body[data-loaded]');
      assert.equal(await page.getAttribute('body', 'data-loaded'), 'true');
      // Record what the preview posts (standalone pages re-dispatch it as a DOM event).
      await page.evaluate(() => {
        const w = window as unknown as { posts: unknown[] };
        w.posts = [];
        document.addEventListener('topo-preview-post', (e) => w.posts.push((e as CustomEvent).detail));
      });
      return { page, problems, warnings };
    },
  };
}
