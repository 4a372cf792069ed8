// The preview's changes view ("Topo: Compare with HEAD") in Debian's Chromium, fed the core's real
// comparison of two versions of the spec example: it opens by itself, marks what changed (before
// → after), says "no change" where nothing did or the difference is inside the intervals, and a
// gained diagnostic reveals its line. Saves test-output/screenshots/changes-{light,dark}.png.
import test, { before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { checkText } from '../../server/src/core/check';
import { diffChecks, type DiffResult } from '../../server/src/core/diff';
import { LineIndex } from '../../server/src/core/text';
import { realUpdate } from '../unit/preview/real';
import { exampleText } from '../unit/preview/real-cache';
import { repo } from './chromium';
import { standalonePreview, type OpenPreview } from './standalone';

const shots = join(repo, 'test-output', 'screenshots');

const OLD = exampleText('spec-example');
// r2 loses two nodes, api one replica, analytics' working set grows: moves, capacity and locality change
const NEW = OLD.replace('node m1..m8', 'node m1..m6').replace('replicas 6', 'replicas 5').replace('workingset 400GiB', 'workingset 560GiB');
// cache asks more than a node of r2 has: an error gained (and that side is not simulated)
const BROKEN = OLD.replace('memory 16GiB', 'memory 80GiB');

function diff(oldText: string, newText: string): DiffResult {
  const a = checkText(oldText, '/w/deploy.topo'), b = checkText(newText, '/w/deploy.topo');
  return diffChecks(a, b, {
    old: 'HEAD:deploy.topo', new: 'deploy.topo',
    locate: (d) => ({ file: 'deploy.topo', range: new LineIndex((a.diagnostics.includes(d) ? a : b).trees.get(d.file)!.text).range(d.span) }),
  });
}

const changes = diff(OLD, NEW);
const broken = diff(OLD, BROKEN);
const data: Record<string, string> = {
  'changes.json': JSON.stringify({ ...realUpdate(NEW, '/w/deploy.topo'), changes }),
  'broken.json': JSON.stringify({ ...realUpdate(BROKEN, '/w/deploy.topo'), changes: broken }),
  'none.json': JSON.stringify(realUpdate(OLD, '/w/deploy.topo')),
};

const preview = standalonePreview(data, { warningsAreProblems: true });

before(() => mkdirSync(shots, { recursive: true }));

function open(file: string, theme: 'light' | 'dark' = 'light', width = 1100): Promise<OpenPreview> {
  return preview.open(file, { theme, width, height: 900 });
}

const rowTexts = (page: Page, table: string) => page.locator(`table.topo-changes-table.${table} tbody tr`).evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => `${td.textContent}${td.classList.contains('changed') ? ' *' : ''}`)));

test('changes view: opens with the comparison; capacity, moves and locality before → after, changed figures marked', async () => {
  // the comparison itself, read by hand from the two texts
  const r2 = changes.targets.find((t) => t.name === 'r2')!;
  assert.deepEqual([r2.before?.nodes, r2.after?.nodes], [8, 6]);
  // api's replicas on the two nodes gone: one moves to m1, the sixth goes with the lower count
  assert.deepEqual(changes.moves, [{ container: 'api', replica: 4, from: 'r2.m7', to: 'r2.m1' }, { container: 'api', replica: 5, from: 'r2.m8', to: null }]);
  for (const theme of ['light', 'dark'] as const) {
    const { page, problems } = await open('changes.json', theme);
    assert.equal(await page.getAttribute('.topo-tab[data-view="changes"]', 'aria-selected'), 'true', 'the changes view is shown');
    assert.equal(await page.locator('.topo-changes-title').innerText(), 'HEAD:deploy.topo → deploy.topo');
    const targets = await rowTexts(page, 'targets');
    const rack = targets.find((r) => r[0] === 'rack r2')!;
    assert.equal(rack[1], '8 → 6 *');
    assert.deepEqual(rack.slice(1), ['8 → 6 *', '128 → 96 *', '512 GiB → 384 GiB *', '7 → 6.5 *', '38 GiB → 37 GiB *', '0', 'changed *']);
    const sds = targets.find((r) => r[0] === 'SDS pod1')!;
    assert.equal(sds[7], 'no change');
    assert.ok(!sds.slice(1).some((c) => c.endsWith(' *')), 'nothing of the SDS is marked');
    const moves = await rowTexts(page, 'moves');
    assert.equal(moves.length, changes.moves.length);
    for (const m of changes.moves) assert.ok(moves.some((r) => r[0] === m.container && r[1] === `#${m.replica}` && r[2] === (m.from ?? '(new or unplaced)') && r[4] === (m.to ?? '(removed or unplaced)')), `${m.container}#${m.replica}`);
    const containers = await rowTexts(page, 'containers');
    assert.deepEqual(containers.map((r) => [r[0], r[3]]), changes.containers.map((c) => [c.name, c.changed ? 'changed *' : 'no change']));
    // a difference inside the intervals is shown but not marked
    for (const [i, c] of changes.containers.entries()) if (!c.changed) assert.ok(!containers[i]!.slice(1, 3).some((x) => x.endsWith(' *')), c.name);
    assert.match(await page.locator('.topo-changes-section').nth(1).innerText(), /Diagnostics no change/);
    assert.deepEqual(problems, []);
    await page.screenshot({ path: join(shots, `changes-${theme}.png`), fullPage: true });
    await page.context().close();
  }
});

test('changes view: a gained error is listed and reveals its line; the side with errors is "not simulated"; without a comparison the view says how to get one', async () => {
  const { page, problems } = await open('broken.json');
  assert.ok(broken.diagnostics.gained.some((d) => d.severity === 'error'), JSON.stringify(broken.diagnostics));
  const gained = page.locator('.topo-changes-diagnostics li.gained');
  assert.equal(await gained.count(), broken.diagnostics.gained.length);
  const first = broken.diagnostics.gained[0]!;
  assert.equal(await gained.first().innerText(), `+ ${first.severity} ${first.code} deploy.topo:${first.range.start.line + 1}: ${first.message}`);
  await gained.first().click();
  const posted = await page.evaluate(() => (window as unknown as { posts: unknown[] }).posts);
  assert.deepEqual(posted.at(-1), { type: 'revealLine', line: first.range.start.line, character: first.range.start.character });
  const containers = await rowTexts(page, 'containers');
  // the new version has an error: not simulated, which is not a change of the predictions
  assert.ok(containers.every((r) => r[3] === 'not simulated after' && r[1]!.endsWith('→ —') && !r[1]!.endsWith('*')), JSON.stringify(containers));
  assert.match(await page.locator('.topo-changes-section').nth(3).innerText(), /deploy\.topo not simulated \(fix its errors to compare predictions\)/);
  await page.screenshot({ path: join(shots, 'changes-broken-light.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.context().close();

  const none = await open('none.json');
  assert.equal(await none.page.getAttribute('.topo-tab[data-view="changes"]', 'aria-selected'), 'false', 'no comparison: the placement stays');
  await none.page.click('.topo-tab[data-view="changes"]');
  assert.match(await none.page.locator('.topo-changes .topo-empty').innerText(), /Compare with HEAD/);
  await none.page.context().close();
});

test('changes view in a narrow side panel: every tab is on screen (they wrap), the tables scroll sideways', async () => {
  const { page, problems } = await open('changes.json', 'light', 380);
  const boxes = await page.locator('.topo-tab').evaluateAll((ts) => ts.map((t) => { const r = t.getBoundingClientRect(); return { text: t.textContent, right: r.right, w: r.width }; }));
  assert.equal(boxes.length, 6);
  for (const b of boxes) assert.ok(b.w > 0 && b.right <= 380, `tab ${b.text} ends at ${b.right}`);
  assert.equal(await page.getAttribute('.topo-tab[data-view="changes"]', 'aria-selected'), 'true');
  await page.screenshot({ path: join(shots, 'changes-narrow-light.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('changes view: a malformed comparison is rejected by the validator, not drawn', async () => {
  const { page, problems } = await open('changes.json');
  await page.evaluate((m) => window.postMessage(m, location.origin), { ...JSON.parse(data['changes.json']!), changes: { ...changes, moves: [{ container: 'x', replica: -1, from: null, to: '<b>' }] } });
  await page.waitForTimeout(150);
  assert.ok(problems.some((p) => /ignored an invalid message/.test(p)), problems.join('\n'));
  assert.equal(await page.locator('table.topo-changes-table.moves tbody tr').count(), changes.moves.length);
  await page.context().close();
});
