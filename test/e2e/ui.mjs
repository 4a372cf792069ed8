/* global document */
// What a person sees, driven with Playwright in Debian's Chromium against code-server:
// the Problems count and a squiggle for a broken file, the completion widget after typing,
// the preview panel's content. Screenshots go to test-output/e2e/.
import { join } from 'node:path';

export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function poll(what, probe, ms = 30_000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${ms / 1000} s waiting for ${what}${last ? ` (${last.message ?? last})` : ''}`);
}

export async function openWorkbench(page, url) {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.explorer-folders-view, .explorer-viewlet', { timeout: 60_000 }).catch(() => undefined);
  await sleep(1500);
}

/** Runs a command through the command palette, by its title. */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through Quick Open. */
async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).first().waitFor({ timeout: 15_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 10_000 });
}

async function goToLine(page, line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await sleep(300);
}

/** Each check: { name, ok, detail }. Never throws; a failing step is a failing check. */
export async function runUiChecks({ page, baseUrl, workspace, outDir }) {
  const checks = [];
  const check = async (name, fn) => {
    const t0 = Date.now();
    try {
      const detail = await fn();
      checks.push({ name, ok: true, detail, ms: Date.now() - t0 });
    } catch (e) {
      checks.push({ name, ok: false, detail: e instanceof Error ? e.message : String(e), ms: Date.now() - t0 });
      await page.screenshot({ path: join(outDir, `failed-${name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
    }
  };

  await check('workbench opens the example folder', async () => {
    await openWorkbench(page, `${baseUrl}/?folder=${encodeURIComponent(workspace)}`);
    return 'workbench loaded';
  });

  await check('broken file: Problems count and a squiggle', async () => {
    await openFile(page, 'broken.topo');
    const squiggle = await poll('an error squiggle in the editor', async () => (await page.locator('.monaco-editor .squiggly-error').count()) > 0, 45_000);
    const problems = await poll('an error count in the status bar', async () => {
      const label = await page.locator('[id="status.problems"]').first().getAttribute('aria-label').catch(() => null)
        ?? await page.locator('[id="status.problems"]').first().innerText();
      const m = /(\d+)\s*error|errors?\W+(\d+)/i.exec(label ?? '');
      const n = m ? Number(m[1] ?? m[2]) : 0;
      return n > 0 ? label : undefined;
    }, 30_000);
    await page.screenshot({ path: join(outDir, '01-diagnostics.png') });
    return `${problems}; squiggle: ${squiggle}`;
  });

  await check('completion widget after typing in a container', async () => {
    await openFile(page, 'completion.topo');
    await goToLine(page, 10, 3);
    await page.keyboard.type('rep', { delay: 60 });
    const widget = page.locator('.editor-widget.suggest-widget.visible');
    await poll('the suggest widget', async () => (await widget.count()) > 0 || (await page.keyboard.press('Control+Space'), false), 20_000);
    const text = await poll('"replicas" in the suggest widget', async () => {
      const t = await widget.innerText();
      return /replicas/.test(t) ? t : undefined;
    }, 15_000);
    await page.screenshot({ path: join(outDir, '02-completion.png') });
    await page.keyboard.press('Escape');
    return `suggestions: ${text.split('\n').slice(0, 5).join(', ')}`;
  });

  let previewFrame;
  await check('preview panel shows the placement graph', async () => {
    await openFile(page, 'simple.topo');
    await runCommand(page, 'Topo: Open Placement Preview');
    const found = await poll('the preview webview with an SVG graph', async () => {
      for (const frame of page.frames()) {
        const info = await frame.evaluate(() => {
          const r = document.getElementById('topo-preview-root');
          const svg = r?.querySelector('svg');
          return r ? { svg: !!svg, marks: svg ? svg.querySelectorAll('*').length : 0, analytics: !!r.querySelector('[data-name="analytics"]') } : null;
        }).catch(() => null);
        if (info && info.svg && info.marks > 20 && info.analytics) {
          previewFrame = frame;
          return info;
        }
      }
      return undefined;
    }, 60_000);
    await sleep(1000);
    await page.screenshot({ path: join(outDir, '03-preview.png') });
    return `SVG with ${found.marks} elements`;
  });

  await check('clicking a container in the preview reveals its declaration', async () => {
    if (!previewFrame) throw new Error('no preview with a graph to click (see the previous check)');
    const mark = previewFrame.locator('circle.container[data-name="api"]').first();
    await mark.waitFor({ timeout: 10_000 });
    await mark.click({ force: true });
    // `container api` is line 16 of simple.topo; the name starts at column 11.
    const where = await poll('the editor selection on `api` (Ln 16)', async () => {
      const t = await page.locator('[id="status.editor.selection"]').first().innerText();
      return /Ln 16, Col (11|14)/.test(t) ? t : undefined;
    }, 15_000);
    await page.screenshot({ path: join(outDir, '05-preview-reveal.png') });
    return where.replace(/\s+/g, ' ');
  });

  await check('saving shows the locality in the status bar', async () => {
    await openFile(page, 'simple.topo');
    await goToLine(page, 1, 1);
    await page.keyboard.type('# saved\n');
    await page.keyboard.press('Control+S');
    const text = await poll('"% local" in the status bar', async () => {
      const t = await page.locator('.statusbar').innerText();
      const m = /(\d{1,3})% local/.exec(t);
      return m ? m[0] : undefined;
    }, 45_000);
    await page.screenshot({ path: join(outDir, '04-status-locality.png') });
    return text;
  });

  return checks;
}
