// The preview in Debian's Chromium (playwright-core), on the 2,000-container file of issue 19
// (100 nodes in 5 racks, test/unit/preview/generate.ts: generateTopoFile), with the core's real
// placement, simulation and facts:
//   - first paint: from the message's arrival (a `message` listener ahead of the preview's) to the
//     first frame painted after it (a task after the next animation frame), fresh page each time;
//   - frame time while panning and zooming: the interval between animation frames while each
//     frame moves the view (keyboard pan: the paint is in the frame; wheel zoom: as a person's),
//     and the paint's own time per frame.
// Reference in the same run: an idle page's frame interval, and analytics-sds's first paint.
// Aims (issue 19): first paint <= 200 ms, frame time <= 16 ms at p95.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type Page } from 'playwright-core';
import { generateTopoFile } from '../test/unit/preview/generate';
import { realUpdate } from '../test/unit/preview/real';

const repo = resolve(__dirname, '..');
// TOPO_BENCH_DIST: another build to measure (a before/after comparison in one session).
const dist = process.env.TOPO_BENCH_DIST ? resolve(process.env.TOPO_BENCH_DIST) : join(repo, 'dist');
const LOADS = Number(process.env.TOPO_BENCH_LOADS) || 7;
const FRAMES = 120;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const median = (xs: number[]): number => pct(xs, 50);
const ms = (x: number): string => `${x.toFixed(1)} ms`;

function serve(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = resolve(dist, `.${path}`);
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    ok({ server, base: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` });
  }));
}

/** Opens an empty preview page; resolves once it posted `ready`. */
async function fresh(page: Page, base: string, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 820 });
  await page.goto(`${base}/media/standalone.html`);
  await page.waitForFunction(() => !!(window as unknown as { topoPreview?: unknown }).topoPreview);
}

/** Posts the document to the page and measures arrival -> the handler's end -> the next painted frame. */
async function firstPaint(page: Page, doc: unknown): Promise<{ handle: number; paint: number }> {
  return page.evaluate((d) => new Promise<{ handle: number; paint: number }>((done) => {
    // Added after the preview's: runs when it has handled the message.
    window.addEventListener('message', () => {
      const t0 = (window as unknown as { __arrived: number }).__arrived;
      const handled = performance.now();
      requestAnimationFrame(() => setTimeout(() => done({ handle: handled - t0, paint: performance.now() - t0 }), 0));
    }, { once: true });
    window.postMessage(d, location.origin);
  }), doc);
}

interface Frames { intervals: number[]; paints: number[]; level: string }

/** `steps` frames, each moving the view once; intervals between frames and paint times. */
async function frames(page: Page, how: 'pan' | 'zoom-in' | 'zoom-out'): Promise<Frames> {
  return page.evaluate(({ how, n }) => new Promise<Frames>((done) => {
    type P = { rendered: { stats(): { draws: number; lastMs: number }; painted(): { level: string } } | null };
    const preview = (window as unknown as { topoPreview: P }).topoPreview;
    const svg = document.querySelector('svg.topo-placement') as SVGSVGElement;
    const r = svg.getBoundingClientRect();
    const intervals: number[] = [];
    const paints: number[] = [];
    let last = 0;
    let draws = preview.rendered!.stats().draws;
    let i = 0;
    const step = (now: number): void => {
      if (last) intervals.push(now - last);
      last = now;
      const s = preview.rendered!.stats();
      if (s.draws !== draws) { paints.push(s.lastMs); draws = s.draws; }
      if (i++ >= n) {
        done({ intervals, paints, level: preview.rendered!.painted().level });
        return;
      }
      if (how === 'pan') {
        svg.dispatchEvent(new KeyboardEvent('keydown', { key: i % 60 < 30 ? 'ArrowRight' : 'ArrowLeft', bubbles: true }));
      } else {
        svg.dispatchEvent(new WheelEvent('wheel', { deltaY: how === 'zoom-in' ? -18 : 18, deltaMode: 0, clientX: r.left + r.width / 2, clientY: r.top + r.height / 3, bubbles: true, cancelable: true }));
      }
      requestAnimationFrame(step);
    };
    svg.focus();
    requestAnimationFrame(step);
  }), { how, n: FRAMES });
}

async function idleFrames(page: Page): Promise<number[]> {
  return page.evaluate((n) => new Promise<number[]>((done) => {
    const out: number[] = [];
    let last = 0;
    const step = (now: number): void => {
      if (last) out.push(now - last);
      last = now;
      if (out.length >= n) done(out);
      else requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }), FRAMES);
}

export async function benchPreview(): Promise<string[]> {
  if (!existsSync(join(dist, 'media/preview.js'))) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
    if (b.status !== 0) return ['build failed: no preview to measure'];
  }
  const out: string[] = [];
  let t = performance.now();
  const big = realUpdate(generateTopoFile(), '/work/generated-2000.topo', { budgetMs: 1500 });
  const bytes = JSON.stringify(big).length;
  out.push(`input: generated 2,000-container file (${big.placement.targets.reduce((a, x) => a + x.nodes.length, 0)} node entries, ${big.simulation!.containers.length} containers, ${big.simulation!.edges.length} edges, ${(bytes / 1e6).toFixed(1)} MB of JSON); core check + simulation ${((performance.now() - t) / 1000).toFixed(1)} s (not measured below)`);
  const analyticsPath = join(repo, 'examples/analytics-sds.topo');
  const small = realUpdate(readFileSync(analyticsPath, 'utf8'), analyticsPath);

  const { server, base } = await serve();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ deviceScaleFactor: 1 });
    // tsx names the functions of the code passed to page.evaluate with a helper the page lacks.
    await context.addInitScript({ content: 'window.__name = (f) => f;' });
    // The arrival of a message, before any listener of the page (registered first: listeners of the
    // target run in the order they were added).
    await context.addInitScript({ content: "window.addEventListener('message', () => { window.__arrived = performance.now(); });" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const widths = (process.env.TOPO_BENCH_WIDTHS ?? '700,1400').split(',').map(Number);
    for (const width of widths) {
      const bigRuns: { handle: number; paint: number }[] = [];
      const againRuns: { handle: number; paint: number }[] = [];
      const smallRuns: { handle: number; paint: number }[] = [];
      for (let i = 0; i < LOADS; i++) {
        await fresh(page, base, width);
        smallRuns.push(await firstPaint(page, small));
        await fresh(page, base, width);
        bigRuns.push(await firstPaint(page, big));
        // The next result on the open preview (a save: the same structure, new numbers).
        againRuns.push(await firstPaint(page, big));
      }
      const row = (label: string, xs: number[]): string => `  ${label.padEnd(46)} median ${ms(median(xs)).padStart(9)}  max ${ms(Math.max(...xs)).padStart(9)}`;
      out.push(`first complete paint at ${width} px, ${LOADS} fresh pages each (message arrival to):`);
      out.push(row('2,000 containers: the preview has handled it', bigRuns.map((r) => r.handle)));
      out.push(`${row('2,000 containers: the next frame painted', bigRuns.map((r) => r.paint))}  (aim <= 200 ms)`);
      out.push(row('  the next result, on the open preview', againRuns.map((r) => r.paint)));
      out.push(row('reference, analytics-sds: next frame painted', smallRuns.map((r) => r.paint)));
      out.push(`  ratio 2,000 containers / analytics-sds: ${(median(bigRuns.map((r) => r.paint)) / median(smallRuns.map((r) => r.paint))).toFixed(1)}x`);

      // Frames: on the page just loaded with the 2,000 containers (overview at fit).
      const idle = await idleFrames(page);
      out.push(`frames at ${width} px, ${FRAMES} each (interval between frames p50 / p95 / max; paint time per frame p95 / max):`);
      out.push(`  reference, idle page:        ${ms(median(idle))} / ${ms(pct(idle, 95))} / ${ms(Math.max(...idle))}`);
      for (const how of ['pan', 'zoom-in', 'pan', 'zoom-out'] as const) {
        const f = await frames(page, how);
        const label = `${how} (ends at ${f.level})`.padEnd(28);
        out.push(`  ${label} ${ms(median(f.intervals))} / ${ms(pct(f.intervals, 95))} / ${ms(Math.max(...f.intervals))}; paint ${ms(pct(f.paints, 95))} / ${ms(Math.max(...f.paints))} (${f.paints.length} paints)  (aim p95 <= 16 ms)`);
      }
    }
    if (errors.length) out.push(`page errors: ${errors.join('; ')}`);
    await context.close();
  } finally {
    await browser.close();
    server.close();
  }
  t = performance.now() - t;
  out.push(`(bench took ${(t / 1000).toFixed(0)} s)`);
  return out;
}
