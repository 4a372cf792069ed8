/// <reference lib="dom" />
import test from 'node:test';
import assert from 'node:assert/strict';
import { page, update } from './dom';
import { SMALL, LARGE } from './generate';

test('locality over time, small: total line, events, per-container lines, cursor tooltip, highlight', () => {
  const p = page();
  const msg = update(SMALL);
  p.preview.handle(msg);
  p.preview.showView('timeline');
  const v = p.preview.viewElement;
  assert.equal(v.querySelectorAll('path.total-line').length, 1);
  assert.equal(v.querySelectorAll('path.container-line').length, 0);
  assert.equal(v.querySelectorAll('g.event').length, msg.simulation!.events.length);
  assert.ok(v.querySelector('g.event.fail'));
  assert.match(v.querySelector('g.event.fail')!.getAttribute('aria-label')!, /fail r1\.n2 at/);
  const toggle = v.querySelector('.topo-viewbar button') as HTMLButtonElement;
  p.mouse('click', toggle);
  const v2 = p.preview.viewElement;
  assert.equal(v2.querySelectorAll('path.container-line').length, 12);
  assert.equal(p.preview.mode, 'svg');
  // Keyboard cursor: End shows the last sample in the tooltip.
  const svg = v2.querySelector('svg.topo-timeline')!;
  p.key(svg, 'End');
  const tip = p.root.querySelector('.topo-tooltip')!;
  const tl = msg.simulation!.timeline;
  assert.match(tip.textContent!, new RegExp(`locality ${Math.round(tl.locality.at(-1)! * 100)}%`));
  assert.match(tip.textContent!, /chunk migrations/);
  const name = msg.simulation!.containers[2]!.name;
  p.preview.handle({ type: 'highlight', container: name });
  assert.equal(v2.querySelector('path.series-line.highlighted')!.getAttribute('data-name'), name);
});

test('locality over time, 2,000 containers: per-container lines go to a canvas', () => {
  const p = page();
  p.preview.handle(update(LARGE));
  p.preview.state.perContainer = true;
  p.preview.showView('timeline');
  const v = p.preview.viewElement;
  assert.equal(p.preview.mode, 'canvas');
  assert.ok(v.querySelector('canvas.topo-marks'));
  assert.equal(v.querySelectorAll('path.container-line').length, 0);
  assert.equal(v.querySelectorAll('path.total-line').length, 1);
});

test('locality over time without a simulation says so', () => {
  const p = page();
  const m = update(SMALL);
  p.preview.handle({ ...m, simulation: null });
  p.preview.showView('timeline');
  assert.match(p.preview.viewElement.textContent!, /No simulation result yet/);
});

test('node heatmap, small: one row per node, cells coloured, tooltip, metric toggle, click reveals', () => {
  const p = page();
  const msg = update(SMALL);
  p.preview.handle(msg);
  p.preview.showView('heatmap');
  const v = p.preview.viewElement;
  assert.equal(p.preview.mode, 'svg');
  const rows = v.querySelectorAll('g.heat-row');
  assert.equal(rows.length, 8);
  assert.equal(rows[0]!.querySelectorAll('rect.cell').length, 60);
  const failedRow = [...rows].find((r) => r.getAttribute('data-ref') === 'r1.n2')!;
  const lastCell = [...failedRow.querySelectorAll('rect.cell')].at(-1)!;
  assert.notEqual(lastCell.getAttribute('fill'), null);
  // After the failure the node's cells are at 0 utilisation: the colour of 0.
  const zeroColour = lastCell.getAttribute('fill');
  assert.equal([...failedRow.querySelectorAll('rect.cell')].slice(-5).every((c) => c.getAttribute('fill') === zeroColour), true);
  const svg = v.querySelector('svg.topo-heatmap')!;
  // Row 0 at y = top margin + half a row; x inside the plot.
  const rowH = Number(rows[0]!.querySelector('rect')!.getAttribute('height')) + 1;
  const y0 = Number(rows[0]!.querySelector('rect')!.getAttribute('y'));
  const x0 = Number(rows[0]!.querySelector('rect')!.getAttribute('x'));
  p.mouse('mousemove', svg, x0 + 2, y0 + rowH / 2);
  const tip = p.root.querySelector('.topo-tooltip')!;
  assert.match(tip.textContent!, /node r1\.n1/);
  assert.match(tip.textContent!, /CPU \d+% of 32 cores/);
  p.mouse('click', svg, x0 + 2, y0 + rowH * 1.5);
  assert.deepEqual(p.posted.at(-1), { type: 'reveal', kind: 'node', name: 'r1.n2' });
  const mem = [...v.querySelectorAll('.topo-viewbar button')].find((b) => b.textContent === 'Memory')!;
  p.mouse('click', mem);
  assert.equal(p.preview.state.heatMetric, 'memory');
  assert.match(p.preview.viewElement.querySelector('svg')!.getAttribute('aria-label')!, /^Memory utilisation of 8 nodes/);
});

test('node heatmap, 2,000 containers and 96 nodes: canvas', () => {
  const p = page();
  p.preview.handle(update(LARGE));
  p.preview.showView('heatmap');
  assert.equal(p.preview.mode, 'canvas');
  assert.ok(p.preview.viewElement.querySelector('canvas.topo-marks'));
  assert.equal(p.preview.viewElement.querySelectorAll('rect.cell').length, 0);
  assert.ok(p.preview.viewElement.querySelectorAll('text.row-label').length >= 96 / 4);
});

test('node heatmap without per-node series renders a message', () => {
  const p = page();
  p.preview.handle(update({ ...SMALL, nodeTimeline: false }));
  p.preview.showView('heatmap');
  assert.equal(p.preview.mode, 'empty');
  assert.match(p.preview.viewElement.textContent!, /no per-node timeline in this result/i);
});

test('policy comparison: ranked by slowdown with 95% intervals, five metrics in rank order, best marked, Enter runs that policy', () => {
  const p = page();
  const msg = update(SMALL, {}, true);
  p.preview.handle(msg);
  p.preview.showView('compare');
  const v = p.preview.viewElement;
  // the ranking: lowest slowdown first, each with its interval and how much worse than the best
  const rows = [...v.querySelectorAll('table.topo-ranking tbody tr')];
  assert.deepEqual(rows.map((r) => r.getAttribute('data-policy')), ['cost', 'page', 'vcpu', 'static']);
  const cells = (r: Element): string[] => [...r.querySelectorAll('td')].map((td) => td.textContent!);
  assert.deepEqual(cells(rows[0]!).slice(0, 5), ['1', 'cost (shown)', '1.21x ± 0.01', 'best', '93.0% ± 0.7']);
  assert.deepEqual(cells(rows[1]!).slice(0, 5), ['2', 'page', '1.32x ± 0.03', '+9.1%', '80.0% ± 0.5']);
  assert.equal(cells(rows[3]!)[3], '+57.0%');
  assert.ok(rows[0]!.classList.contains('best') && rows[0]!.classList.contains('current'));
  const panels = v.querySelectorAll('g.panel');
  assert.deepEqual([...panels].map((x) => x.getAttribute('data-metric')), ['slowdown', 'locality', 'stall', 'migrations', 'network']);
  for (const panel of panels) {
    assert.deepEqual([...panel.querySelectorAll('g.bar')].map((b) => b.getAttribute('data-policy')), ['cost', 'page', 'vcpu', 'static'], 'bars in rank order');
  }
  // whiskers on the estimated figures only
  assert.equal(v.querySelectorAll('g.panel[data-metric="slowdown"] path.bar-interval').length, 4);
  assert.equal(v.querySelectorAll('g.panel[data-metric="locality"] path.bar-interval').length, 4);
  assert.equal(v.querySelectorAll('g.panel[data-metric="stall"] path.bar-interval').length, 0);
  assert.match(v.querySelector('g.panel[data-metric="slowdown"] g.bar[data-policy="page"]')!.getAttribute('aria-label')!, /1\.32x ± 0\.03/);
  const loc = v.querySelector('g.panel[data-metric="locality"]')!;
  assert.equal(loc.querySelector('g.bar.best')!.getAttribute('data-policy'), 'cost');
  assert.equal(v.querySelector('g.panel[data-metric="slowdown"] g.bar.best')!.getAttribute('data-policy'), 'cost');
  assert.equal(v.querySelector('g.panel[data-metric="network"] g.bar.best')!.getAttribute('data-policy'), 'static');
  assert.equal(loc.querySelector('g.bar.current')!.getAttribute('data-policy'), 'cost');
  const page2 = loc.querySelector('g.bar[data-policy="page"]')!;
  p.mouse('mousemove', page2.querySelector('rect')!, 10, 10);
  assert.match(p.root.querySelector('.topo-tooltip')!.textContent!, /policy page \(rank 2 of 4 by slowdown\)[\s\S]*Locality \(steady state\): 80%[\s\S]*slowdown 1\.32x ± 0\.03/);
  p.key(page2, 'Enter');
  assert.deepEqual(p.posted.at(-1), { type: 'simulate', scenario: 'rack-failure', policy: 'page' });
  p.key(rows[3]!, 'Enter');
  assert.deepEqual(p.posted.at(-1), { type: 'simulate', scenario: 'rack-failure', policy: 'static' });
});

test('policy comparison without results says how to get them', () => {
  const p = page();
  p.preview.handle(update(SMALL));
  p.preview.showView('compare');
  assert.match(p.preview.viewElement.textContent!, /Compare Policies/);
});

test('locality over time: events on the time axis with labels that do not overlap; the steady state\'s 95% band when the simulator gives one', () => {
  const msg = update(SMALL);
  const sim = msg.simulation!;
  // Many events close together (as a busy scenario has), and simulator v2's interval.
  const t = sim.timeline.t;
  const events = Array.from({ length: 9 }, (_, i) => ({ t: t[10 + i]!, kind: (['fail', 'add', 'scale', 'load'] as const)[i % 4], target: `target-number-${i}`, absorbed: i !== 4 }));
  const p = page(700, 500);
  p.preview.handle({ ...msg, simulation: { ...sim, events, summary: { ...sim.summary, localityError: 0.012 } } });
  p.preview.showView('timeline');
  const v = p.preview.viewElement;
  assert.equal(v.querySelectorAll('g.event').length, 9);
  assert.equal(v.querySelectorAll('path.event-marker').length, 9, 'each event marked on the axis');
  const labels = [...v.querySelectorAll('g.event text')].map((e) => ({ x: Number(e.getAttribute('x')), y: Number(e.getAttribute('y')), text: e.textContent! }));
  assert.ok(labels.length >= 3, 'labels where they fit');
  const m = (s: string) => s.length * 10 * 0.56;
  for (const a of labels) for (const b of labels) if (a !== b && a.y === b.y) assert.ok(a.x + m(a.text) <= b.x || b.x + m(b.text) <= a.x, `"${a.text}" and "${b.text}" overlap`);
  // The band: mean ± error over the second half.
  const band = v.querySelector('.steady rect.band')!;
  assert.ok(band, 'a band');
  const h = Number(band.getAttribute('height'));
  const plotH = 500 - 40 - 28 - 36;
  assert.ok(Math.abs(h - 2 * 0.012 * plotH) < 2, `band height ${h} for ± 1.2%`);
  assert.match(v.querySelector('.topo-viewbar')!.textContent!, /± 1\.2 \(95%\)/);
});

test('locality over time: the focused container\'s line on demand; with a filter, the per-container lines of the matches only', () => {
  const p = page();
  const msg = update(SMALL);
  p.preview.handle(msg);
  p.preview.showView('timeline');
  const name = msg.simulation!.containers[1]!.name;
  p.preview.handle({ type: 'highlight', container: name });
  assert.equal(p.preview.viewElement.querySelector('path.series-line.highlighted')!.getAttribute('data-name'), name);
  p.preview.setFilter(name);
  p.preview.state.perContainer = true;
  p.preview.showView('placement');
  p.preview.showView('timeline');
  assert.deepEqual([...p.preview.viewElement.querySelectorAll('path.container-line')].map((e) => e.getAttribute('data-name')), [name]);
});
