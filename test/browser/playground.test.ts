// The built playground (dist/playground, served by scripts/serve.mjs) in Debian's Chromium:
// loads clean under its CSP, markers, completion, hover, formatting, go to definition from the
// language server worker, the preview drawn from the simulator worker, reveal, Ctrl+S, examples,
// persistence across a reload and share links. Saves test-output/screenshots/playground.png.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { codeReference } from '../../server/src/core/reference';
import type { DiagnosticCode } from '../../server/src/core/diagnostics';
import { repo, startPlayground, type Playground } from './chromium';

const shots = join(repo, 'test-output', 'screenshots');

let playground: Playground | undefined;
let browser: Browser;
let base = '';

before(async () => {
  playground = await startPlayground();
  ({ browser, base } = playground);
});

after(() => playground?.close());

interface Opened {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly problems: string[];
}

async function open(url = base, context?: BrowserContext, theme: 'light' | 'dark' = 'light', lsp = true): Promise<Opened> {
  const ctx = context ?? (await browser.newContext({ viewport: { width: 1400, height: 850 }, colorScheme: theme, permissions: ['clipboard-read', 'clipboard-write'] }));
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  await page.goto(url);
  await ready(page, lsp);
  return { context: ctx, page, problems };
}

/** The editor is up, the preview has data and (with `lsp`) the language server answered with diagnostics. */
async function ready(page: Page, lsp = true): Promise<void> {
  await page.waitForSelector('body[data-editor="ready"]');
  await page.waitForSelector('body[data-simulations]');
  if (!lsp) return;
  await page.waitForSelector('body[data-lsp]');
  assert.equal(await page.getAttribute('body', 'data-lsp'), 'ready', `language server: ${await page.getAttribute('body', 'data-lsp-error')}`);
  await page.waitForSelector('body[data-diagnostics="ready"]');
}

const value = (page: Page) => page.evaluate(() => (window as unknown as PG).topoPlayground.editor.getValue());
const markers = (page: Page) => page.evaluate(() => {
  const { monaco, editor } = (window as unknown as PG).topoPlayground;
  return monaco.editor.getModelMarkers({ resource: editor.getModel()!.uri }).map((m) => ({ code: typeof m.code === 'object' ? m.code.value : String(m.code), target: typeof m.code === 'object' ? m.code.target.toString(true) : undefined, line: m.startLineNumber, message: m.message, severity: m.severity }));
});
/** Replaces the whole text as a user edit (undoable, goes through didChange). */
const setText = (page: Page, text: string) => page.evaluate((t) => {
  const { editor } = (window as unknown as PG).topoPlayground;
  editor.executeEdits('test', [{ range: editor.getModel()!.getFullModelRange(), text: t }]);
}, text);
/** Puts the cursor after the first occurrence of `needle` (plus `delta` characters). */
const cursorAt = (page: Page, needle: string, delta = 0) => page.evaluate(([n, d]) => {
  const { editor } = (window as unknown as PG).topoPlayground;
  const model = editor.getModel()!;
  const at = model.getValue().indexOf(n as string);
  if (at < 0) throw new Error(`${String(n)} not in the text`);
  editor.setPosition(model.getPositionAt(at + (n as string).length + (d as number)));
  editor.focus();
}, [needle, delta] as const);
const lspSettled = (page: Page) => page.evaluate(() => (window as unknown as PG).topoPlayground.lsp!.whenDiagnostics());

interface PG {
  topoPlayground: {
    editor: import('monaco-editor/editor/editor.api').editor.IStandaloneCodeEditor;
    monaco: typeof import('monaco-editor/editor/editor.api');
    lsp: { whenDiagnostics(): Promise<void>; capabilities: Record<string, unknown> } | null;
    simulations: number;
  };
}

const SMALL = `rack r1 {
  node n1..n3 { cores 16 memory 64GiB }
}

container web {
  replicas 2
  cpu 1
  memory 2GiB
  talks db
  place on r1
}

container db {
  cpu 2
  memory 8GiB
  place on r1
}
`;

test('loads with no console errors under the CSP; highlighting, examples and the preview are there', async () => {
  const { page, problems, context } = await open();
  const examples = readFileSync(join(repo, 'examples/spec-example.topo'), 'utf8');
  assert.equal(await value(page), examples, 'a fresh visitor sees the spec example');
  // Monarch colours: keywords, names and numbers get distinct token classes.
  const classes = await page.evaluate(() => [...document.querySelectorAll('.view-lines span span')].map((s) => s.className));
  assert.ok(new Set(classes).size >= 5, `expected several token colours, got ${[...new Set(classes)].join(' ')}`);
  // The preview drew the placement of the example.
  assert.ok((await page.locator('#preview g.node').count()) >= 8);
  // The example picker lists every example and switches the text.
  const options = await page.locator('#examples option').allTextContents();
  for (const f of ['analytics-sds', 'microservices-rack', 'multi-rack', 'spec-example']) assert.ok(options.includes(f), `${f} in ${options.join(', ')}`);
  const before = Number(await page.getAttribute('body', 'data-simulations'));
  await page.selectOption('#examples', 'multi-rack.topo');
  assert.equal(await value(page), readFileSync(join(repo, 'examples/multi-rack.topo'), 'utf8'));
  await page.waitForFunction((n) => Number(document.body.dataset.simulations) > n, before);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a broken edit shows a marker, fixing it clears it', async () => {
  const { page, problems, context } = await open();
  await setText(page, SMALL);
  await lspSettled(page);
  assert.deepEqual(await markers(page), []);
  await setText(page, SMALL.replace('place on r1\n}\n\ncontainer db', 'place on r9\n}\n\ncontainer db'));
  await lspSettled(page);
  const ms = await markers(page);
  assert.ok(ms.some((m) => m.line === 10), `a marker on line 10: ${JSON.stringify(ms)}`);
  for (const m of ms) assert.equal(m.target, codeReference(m.code as DiagnosticCode), 'the code links to its entry in docs/language.md');
  await page.waitForSelector('.squiggly-error, .squiggly-warning');
  await setText(page, SMALL);
  await lspSettled(page);
  assert.deepEqual(await markers(page), []);
  // Typed edits (incremental sync): `place on r1x` does not resolve, Backspace fixes it.
  await cursorAt(page, 'place on r1');
  await page.keyboard.type('x');
  await page.waitForFunction(() => {
    const { monaco, editor } = (window as unknown as PG).topoPlayground;
    return monaco.editor.getModelMarkers({ resource: editor.getModel()!.uri }).some((m) => m.startLineNumber === 10);
  });
  await page.keyboard.press('Backspace');
  await page.waitForFunction(() => {
    const { monaco, editor } = (window as unknown as PG).topoPlayground;
    return monaco.editor.getModelMarkers({ resource: editor.getModel()!.uri }).length === 0;
  });
  assert.equal(await value(page), SMALL);
  assert.deepEqual(problems, []);
  await context.close();
});

test('completion, hover, go to definition and formatting come from the language server', async () => {
  const { page, problems, context } = await open();
  const caps = await page.evaluate(() => Object.keys((window as unknown as PG).topoPlayground.lsp!.capabilities));
  for (const c of ['completionProvider', 'hoverProvider', 'definitionProvider', 'documentFormattingProvider']) assert.ok(caps.includes(c), `the server offers ${c} (it offers ${caps.join(', ')})`);
  await setText(page, SMALL.replace('  replicas 2\n', '  replicas 2\n  \n'));
  await lspSettled(page);
  await cursorAt(page, '  replicas 2\n  ');
  await page.keyboard.press('Control+Space');
  await page.waitForSelector('.suggest-widget.visible .monaco-list-row');
  const labels = await page.locator('.suggest-widget.visible .monaco-list-row .label-name').allTextContents();
  assert.ok(labels.some((l) => l.startsWith('workingset') || l.startsWith('skew') || l.startsWith('spread')), `container properties offered: ${labels.join(', ')}`);
  await page.keyboard.press('Escape');

  // Hover over a property keyword shows its documentation.
  await setText(page, SMALL);
  await lspSettled(page);
  await cursorAt(page, 'repl');
  await page.evaluate(() => (window as unknown as PG).topoPlayground.editor.trigger('test', 'editor.action.showHover', {}));
  await page.waitForSelector('.monaco-hover-content');
  assert.match((await page.locator('.monaco-hover-content').first().textContent()) ?? '', /replica/i);

  // Go to definition: `talks db` jumps to `container db`.
  await cursorAt(page, 'talks d');
  await page.keyboard.press('F12');
  await page.waitForFunction(() => {
    const { editor } = (window as unknown as PG).topoPlayground;
    return editor.getPosition()!.lineNumber === 13;
  });

  // Formatting re-indents a badly indented file.
  await setText(page, SMALL.replace('  replicas 2', 'replicas 2').replace('  cpu 2', '        cpu 2'));
  await lspSettled(page);
  await page.click('#format');
  await page.waitForFunction(() => /\n {2}replicas 2\n/.test((window as unknown as PG).topoPlayground.editor.getValue()));
  assert.match(await value(page), /\n {2}cpu 2\n/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the preview draws, Run and Ctrl+S simulate, clicking a container reveals it', async () => {
  const { page, problems, context } = await open(base, undefined, 'light', false);
  await setText(page, SMALL);
  const n = Number(await page.getAttribute('body', 'data-simulations'));
  await page.click('#run');
  await page.waitForFunction((k) => Number(document.body.dataset.simulations) > k, n);
  await page.waitForFunction(() => document.querySelectorAll('#preview g.node').length === 3);
  const names = await page.locator('#preview rect.container').evaluateAll((cs) => [...new Set(cs.map((c) => c.getAttribute('data-name')))].sort());
  assert.deepEqual(names, ['db', 'web']);
  await cursorAt(page, 'container db');
  await page.keyboard.press('Control+s');
  await page.waitForFunction((k) => Number(document.body.dataset.simulations) > k + 1, n);
  // Click the db replica: the editor selects `db` in `container db`.
  // (The marks are the canvas's accessible overlay: the graph hit-tests where the chip is painted.)
  await page.locator('#preview rect.container[data-name="db"]').first().click({ force: true });
  const selected = await page.evaluate(() => {
    const { editor } = (window as unknown as PG).topoPlayground;
    return { text: editor.getModel()!.getValueInRange(editor.getSelection()!), line: editor.getSelection()!.startLineNumber };
  });
  assert.deepEqual(selected, { text: 'db', line: 13 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('at the overview level, clicking a rack\'s heading reveals the rack in the editor', async () => {
  const { page, problems, context } = await open(base, undefined, 'light', false);
  // 64 nodes: the cards are too small for details, so each rack is summarised under its heading
  await setText(page, `# many nodes\nrack big {\n  node n1..n64 { cores 16 memory 64GiB }\n}\n\ncontainer web {\n  replicas 8\n  cpu 1\n  memory 2GiB\n  place on big\n}\n`);
  const n = Number(await page.getAttribute('body', 'data-simulations'));
  await page.click('#run');
  await page.waitForFunction((k) => Number(document.body.dataset.simulations) > k, n);
  await page.waitForSelector('#preview svg.overview rect.rack-box[data-rack="big"]');
  await page.locator('#preview rect.rack-box[data-rack="big"]').click({ force: true, position: { x: 12, y: 10 } });
  await page.waitForFunction(() => (window as unknown as PG).topoPlayground.editor.getSelection()!.startLineNumber === 2);
  const rack = await page.evaluate(() => {
    const { editor } = (window as unknown as PG).topoPlayground;
    return editor.getModel()!.getValueInRange(editor.getSelection()!);
  });
  assert.equal(rack, 'big');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a reload keeps the text; the share link reproduces it in a fresh browser', async () => {
  const { page, problems, context } = await open(base, undefined, 'light', false);
  const text = SMALL.replace('replicas 2', 'replicas 3') + '# ünïcode and "quotes" survive\n';
  await setText(page, text);
  await page.waitForFunction(() => location.hash.startsWith('#code/'));
  await page.waitForFunction((t) => localStorage.getItem('topo-playground:text') === t, text);
  await page.reload();
  await ready(page, false);
  assert.equal(await value(page), text);

  await page.click('#share');
  await page.waitForSelector('#share-url:not([hidden])');
  const link = await page.inputValue('#share-url');
  assert.match(link, /#code\/[A-Za-z0-9_-]+$/);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  assert.deepEqual(problems, []);
  await context.close();

  const fresh = await open(link.replace(/^http:\/\/localhost:/, 'http://127.0.0.1:'), undefined, 'light', false);
  assert.equal(await value(fresh.page), text);
  assert.deepEqual(fresh.problems, []);
  await fresh.context.close();
});

test('screenshot: an example, a diagnostic and the preview (light and dark)', async () => {
  mkdirSync(shots, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    const { page, problems, context } = await open(base, undefined, theme);
    const example = readFileSync(join(repo, 'examples/microservices-rack.topo'), 'utf8');
    // A diagnostic: one container asks for more replicas than spread nodes can hold.
    await setText(page, example.replace(/replicas (\d+)/, 'replicas 40'));
    await lspSettled(page);
    assert.ok((await markers(page)).length > 0, 'the edit produces a diagnostic');
    await page.keyboard.press('Control+s');
    await page.waitForFunction(() => !/Simulating/.test(document.getElementById('status')!.textContent ?? ''));
    await page.evaluate(() => {
      const { editor } = (window as unknown as PG).topoPlayground;
      const line = editor.getModel()!.getValue().split('\n').findIndex((l) => l.includes('replicas 40')) + 1;
      editor.setPosition({ lineNumber: line, column: 14 });
      editor.revealLineInCenter(line);
      editor.trigger('test', 'editor.action.showHover', {});
    });
    await page.waitForSelector('.monaco-hover-content');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(shots, theme === 'light' ? 'playground.png' : 'playground-dark.png') });
    assert.deepEqual(problems, []);
    await context.close();
  }
});
