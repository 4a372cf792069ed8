/// <reference lib="dom" />
import test from 'node:test';
import assert from 'node:assert/strict';
import { page, update, parseTransform } from './dom';
import { SMALL, LARGE, generate } from './generate';

test('placement graph, small result: racks, nodes, SDS boundary, containers, edges (SVG)', () => {
  const p = page();
  const msg = update(SMALL);
  assert.equal(p.preview.handle(msg), true);
  const v = p.preview.viewElement;
  assert.equal(p.preview.mode, 'svg');
  assert.equal(v.querySelectorAll('g.rack').length, 2);
  assert.equal(v.querySelectorAll('g.node').length, 8);
  const sds = [...v.querySelectorAll('rect.sds-boundary')].map((e) => e.getAttribute('data-sds'));
  assert.deepEqual(sds, ['sds1a']);
  assert.equal(v.querySelectorAll('circle.container').length, 12);
  const names = new Set([...v.querySelectorAll('circle.container')].map((e) => e.getAttribute('data-name')));
  assert.deepEqual(names, new Set(msg.simulation!.containers.map((c) => c.name)));
  const expectedEdges = msg.simulation!.edges.filter((e) => e.from !== e.to).length;
  assert.equal(v.querySelectorAll('path.edge').length, expectedEdges);
  assert.equal(v.querySelector('canvas'), null);
  assert.match(v.querySelector('.topo-legend')!.textContent!, /line width: traffic/);
  // Each node shows CPU and memory bars; a failed node is marked.
  assert.equal(v.querySelectorAll('rect.bar-fill[data-bar="cpu"]').length, 8);
  assert.equal(v.querySelectorAll('rect.bar-fill[data-bar="mem"]').length, 8);
  assert.equal(v.querySelectorAll('g.node.failed').length, 1);
  // The SDS boundary encloses its nodes.
  const b = v.querySelector('rect.sds-boundary')!;
  const [bx, by, bw, bh] = ['x', 'y', 'width', 'height'].map((a) => Number(b.getAttribute(a)));
  for (const n of v.querySelectorAll('g.node')) {
    const r = n.querySelector('rect.node-box')!;
    const inSds = msg.simulation!.nodes.find((x) => x.ref === n.getAttribute('data-ref'))!.sds === 'sds1a';
    const x = Number(r.getAttribute('x')), y = Number(r.getAttribute('y'));
    const inside = x >= bx! && y >= by! && x + Number(r.getAttribute('width')) <= bx! + bw! && y + Number(r.getAttribute('height')) <= by! + bh!;
    assert.equal(inside, inSds, `node ${n.getAttribute('data-ref')}`);
  }
});

test('placement graph: tooltips carry the numbers; marks are focusable with labels', () => {
  const p = page();
  const msg = update(SMALL);
  p.preview.handle(msg);
  const v = p.preview.viewElement;
  const c = msg.simulation!.containers[3]!;
  const mark = [...v.querySelectorAll('circle.container')].find((e) => e.getAttribute('data-name') === c.name)!;
  p.mouse('mousemove', mark, 100, 100);
  const tip = p.root.querySelector('.topo-tooltip') as HTMLElement;
  assert.equal(tip.hidden, false);
  assert.match(tip.textContent!, new RegExp(`container ${c.name}`));
  assert.match(tip.textContent!, new RegExp(`locality ${Math.round(c.locality! * 100)}%`));
  assert.equal(mark.getAttribute('tabindex'), '0');
  assert.match(mark.getAttribute('aria-label')!, new RegExp(c.name));
  const node = v.querySelector('g.node[data-ref="r2.n1"]')!;
  p.mouse('mousemove', node.querySelector('rect')!, 50, 50);
  const n = msg.simulation!.nodes.find((x) => x.ref === 'r2.n1')!;
  assert.match(tip.textContent!, /node r2\.n1/);
  assert.match(tip.textContent!, new RegExp(`/ ${n.cores} cores`));
  p.mouse('mouseleave', v.querySelector('svg')!);
  assert.equal(tip.hidden, true);
  // Edge tooltip.
  const edge = v.querySelector('path.edge')!;
  p.mouse('mousemove', edge, 10, 10);
  assert.match(tip.textContent!, /↔/);
  assert.match(tip.textContent!, /local \d+%/);
});

test('placement graph: click and Enter reveal; highlight from the editor; state survives updates', () => {
  const p = page();
  const msg = update(SMALL);
  p.preview.handle(msg);
  const v = () => p.preview.viewElement;
  const name = msg.simulation!.containers[0]!.name;
  const mark = () => [...v().querySelectorAll('circle.container')].find((e) => e.getAttribute('data-name') === name)!;
  p.mouse('click', mark());
  assert.deepEqual(p.posted.at(-1), { type: 'reveal', kind: 'container', name });
  assert.ok(mark().classList.contains('selected'));
  p.key(v().querySelector('g.node[data-ref="r1.n3"]')!, 'Enter');
  assert.deepEqual(p.posted.at(-1), { type: 'reveal', kind: 'node', name: 'r1.n3' });
  assert.ok(v().querySelector('g.node[data-ref="r1.n3"]')!.classList.contains('selected'));

  const other = msg.simulation!.containers[5]!.name;
  assert.equal(p.preview.handle({ type: 'highlight', container: other }), true);
  const hl = [...v().querySelectorAll('.container.highlighted')].map((e) => e.getAttribute('data-name'));
  assert.deepEqual(hl, [other]);

  // Zoom with the keyboard, then update: zoom, selection and highlight are kept.
  const svg = v().querySelector('svg.topo-placement')!;
  const before = parseTransform(v().querySelector('g.viewport')!.getAttribute('transform'));
  p.key(svg, '+');
  p.key(svg, 'ArrowLeft');
  const zoomed = parseTransform(v().querySelector('g.viewport')!.getAttribute('transform'));
  assert.ok(Math.abs(zoomed.k - before.k * 1.25) < 1e-9, `scale ${before.k} -> ${zoomed.k}`);
  p.preview.handle(update({ ...SMALL, seed: 99 }));
  const after = parseTransform(v().querySelector('g.viewport')!.getAttribute('transform'));
  assert.deepEqual(after, zoomed);
  assert.equal(p.preview.state.selected?.name, 'r1.n3');
  assert.ok(v().querySelector('g.node[data-ref="r1.n3"]')!.classList.contains('selected'));
  // Clearing the highlight.
  p.preview.handle({ type: 'highlight', container: '' });
  assert.equal(v().querySelectorAll('.highlighted').length, 0);
});

test('placement graph without a simulation: containers from the placement, SDS pool', () => {
  const p = page();
  const g = generate(SMALL);
  p.preview.handle({ type: 'update', placement: g.placement, simulation: null, scenarios: [] });
  const v = p.preview.viewElement;
  assert.equal(v.querySelectorAll('g.node.pool').length, 1);
  const placed = new Set(g.placement.targets.flatMap((t) => t.containers));
  assert.equal(v.querySelectorAll('circle.container').length, placed.size);
  assert.equal(v.querySelectorAll('path.edge').length, 0);
  assert.match(p.root.querySelector('.topo-status')!.textContent!, /not simulated yet/);
});

test('placement graph, 2,000 containers: canvas for the marks, nodes stay accessible', async () => {
  const p = page();
  const msg = update(LARGE);
  p.preview.handle(msg);
  const v = p.preview.viewElement;
  assert.equal(p.preview.mode, 'canvas');
  assert.ok(v.querySelector('canvas.topo-marks'));
  assert.equal(v.querySelectorAll('circle.container').length, 0);
  assert.equal(v.querySelectorAll('path.edge').length, 0);
  assert.equal(v.querySelectorAll('g.node').length, 96);
  const sdsNames = new Set([...v.querySelectorAll('rect.sds-boundary')].map((e) => e.getAttribute('data-sds')));
  assert.equal(sdsNames.size, 8);
  // Traffic is aggregated per node pair, and the legend says how many are drawn.
  const { layoutPlacement } = await import('../../../media/preview/views/placement-layout');
  const layout = layoutPlacement(msg.placement, msg.simulation);
  const crossNode = msg.simulation!.edges.filter((e) => layout.containerIndex.get(e.from)!.node !== layout.containerIndex.get(e.to)!.node);
  const pairs = new Set(crossNode.map((e) => [layout.containerIndex.get(e.from)!.node, layout.containerIndex.get(e.to)!.node].sort().join('|')));
  assert.equal(layout.nodeEdges.length, pairs.size);
  const sum = (xs: readonly { weight: number }[]) => xs.reduce((a, e) => a + e.weight, 0);
  assert.ok(Math.abs(sum(layout.nodeEdges) - sum(crossNode)) < 1e-6 * sum(crossNode));
  assert.match(v.querySelector('.topo-legend')!.textContent!, new RegExp(`heaviest 150 of ${pairs.size}`));
  // Node labels aggregate their containers.
  const first = v.querySelector('g.node')!;
  assert.match(first.getAttribute('aria-label')!, /\d+ containers?, mean locality \d+%/);
  // Hovering a container painted on the canvas finds it by position.
  const t = parseTransform(v.querySelector('g.viewport')!.getAttribute('transform'));
  const target = msg.simulation!.containers[1234]!;
  const c = layout.containerIndex.get(target.name)!;
  p.mouse('mousemove', v.querySelector('svg')!, t.x + c.x * t.k, t.y + c.y * t.k);
  const tip = p.root.querySelector('.topo-tooltip')!;
  assert.match(tip.textContent!, new RegExp(`container ${target.name}`));
  p.mouse('click', v.querySelector('svg')!, t.x + c.x * t.k, t.y + c.y * t.k);
  assert.deepEqual(p.posted.at(-1), { type: 'reveal', kind: 'container', name: target.name });
});

test('placement graph: containers on no node are shown apart, not dropped; Fit restores the view', () => {
  const p = page();
  const msg = update(SMALL);
  const sim = msg.simulation!;
  const lost = sim.containers[4]!.name;
  const simulation = { ...sim, containers: sim.containers.map((c) => (c.name === lost ? { ...c, nodes: {}, vcpus: {} } : c)) };
  p.preview.handle({ ...msg, simulation });
  const v = p.preview.viewElement;
  assert.equal(v.querySelectorAll('circle.container').length, 12);
  const pool = v.querySelector('g.node.pool')!;
  assert.ok(pool, 'a pseudo-node for containers on no node');
  const mark = [...v.querySelectorAll('circle.container')].find((e) => e.getAttribute('data-name') === lost)!;
  const box = pool.querySelector('rect')!;
  const [x, y] = [Number(mark.getAttribute('cx')), Number(mark.getAttribute('cy'))];
  assert.ok(x > Number(box.getAttribute('x')) && y > Number(box.getAttribute('y')) && y < Number(box.getAttribute('y')) + Number(box.getAttribute('height')));
  assert.match(pool.getAttribute('aria-label')!, /1 container on no node/);
  assert.equal(v.querySelector('g.rack:last-child text')!.textContent, 'not placed');
  const g = () => parseTransform(v.querySelector('g.viewport')!.getAttribute('transform'));
  const fitted = g();
  p.key(v.querySelector('svg')!, '-');
  assert.notDeepEqual(g(), fitted);
  p.mouse('click', v.querySelector('button.topo-fit')!);
  assert.deepEqual(g(), fitted);
});
