/// <reference lib="dom" />
// The placement graph in jsdom (no 2D canvas: the scene is painted to SVG, which records what is
// where). The overlay's marks, the painted texts, hit-testing, zoom levels, state across updates.
import test from 'node:test';
import assert from 'node:assert/strict';
import { page, update, parseTransform, type Page } from './dom';
import { SMALL, LARGE, generate } from './generate';
import { example } from './real-cache';
import { overlaps } from '../../../media/preview/paint';

const transformOf = (p: Page) => parseTransform(p.preview.viewElement.querySelector('g.viewport')!.getAttribute('transform'));
const texts = (p: Page) => p.preview.rendered!.texts!();
const box = (el: Element) => ['x', 'y', 'width', 'height'].map((a) => Number(el.getAttribute(a))) as [number, number, number, number];
/** The screen point at the centre of an overlay element (world coordinates through the zoom). */
function centre(p: Page, el: Element): [number, number] {
  const t = transformOf(p);
  const [x, y, w, h] = box(el.tagName === 'g' ? el.querySelector('rect')! : el);
  return [t.x + (x + w / 2) * t.k, t.y + (y + h / 2) * t.k];
}

test('small result: racks, nodes, SDS boundary, one mark per container, edges, bars (painted and in the overlay)', () => {
  const p = page();
  const msg = update(SMALL);
  assert.equal(p.preview.handle(msg), true);
  const v = p.preview.viewElement;
  assert.equal(p.preview.mode, 'svg');
  assert.equal(v.querySelectorAll('rect.rack-box').length, 2);
  assert.equal(v.querySelectorAll('g.node').length, 8);
  assert.deepEqual([...v.querySelectorAll('rect.sds-boundary')].map((e) => e.getAttribute('data-sds')), ['sds1a']);
  const names = new Set([...v.querySelectorAll('rect.container')].map((e) => e.getAttribute('data-name')));
  assert.deepEqual(names, new Set(msg.simulation!.containers.map((c) => c.name)));
  assert.equal(v.querySelectorAll('g.node.failed').length, 1);
  // The SDS boundary encloses its nodes and no other.
  const [bx, by, bw, bh] = box(v.querySelector('rect.sds-boundary')!);
  for (const n of v.querySelectorAll('g.node')) {
    const [x, y, w, h] = box(n.querySelector('rect')!);
    const inSds = msg.simulation!.nodes.find((x) => x.ref === n.getAttribute('data-ref'))!.sds === 'sds1a';
    assert.equal(x >= bx && y >= by && x + w <= bx + bw && y + h <= by + bh, inSds, `node ${n.getAttribute('data-ref')}`);
  }
  // Painted: the chips are labelled at this size, nodes named, the rack summarised.
  const painted = texts(p).map((t) => t.text);
  for (const c of msg.simulation!.containers) assert.ok(painted.some((t) => t.startsWith(c.name.slice(0, 4))), `a label for ${c.name}`);
  assert.ok(painted.includes('RACK r1'));
  assert.ok(painted.some((t) => /^SDS sds1a/.test(t)));
  // The export is the same painting: one curve per talks edge, two bars per node.
  const svg = p.preview.exportSvg()!;
  assert.equal((svg.match(/<path d="M/g) ?? []).length, msg.simulation!.edges.filter((e) => e.from !== e.to).length);
  assert.match(v.querySelector('.topo-legend')!.textContent!, /a container/);
  assert.match(v.querySelector('.topo-legend')!.textContent!, /lines: talks/);
  assert.deepEqual(overlaps(texts(p)), []);
});

test('analytics-sds at the side panel width: every container named on its mark without hovering; the legend says what a mark is', () => {
  const p = page(700, 560);
  p.preview.handle(example('analytics-sds'));
  assert.equal(p.preview.rendered!.painted!().level, 'detail');
  const painted = texts(p).map((t) => t.text);
  for (const name of ['columnstore', 'ingest', 'query-api', 'dashboards']) assert.ok(painted.includes(name), `"${name}" painted in full: ${painted.filter((t) => t.length < 30).join(' | ')}`);
  // columnstore's memory spreads over the SDS: its parts on other nodes are marked with their share.
  assert.ok(painted.some((t) => /^column.*\d+%$/.test(t)), 'parts of columnstore with their share');
  const legend = p.preview.viewElement.querySelector('.topo-legend')!.textContent!;
  assert.match(legend, /a container/);
  assert.match(legend, /colour: predicted locality/);
  assert.match(legend, /share of its memory on another node/);
  assert.deepEqual(overlaps(texts(p)), []);
});

test('text never overlaps, at every zoom level, small to 2,000 containers; what does not fit is elided', () => {
  for (const [label, msg] of [['small', update(SMALL)], ['large', update(LARGE)], ['analytics', example('analytics-sds')], ['multi-rack', example('multi-rack')]] as const) {
    for (const [w, h] of [[700, 560], [1400, 780]] as const) {
      const p = page(w, h);
      p.preview.handle(msg);
      const svg = p.preview.viewElement.querySelector('svg.topo-placement')!;
      for (let step = 0; step < 12; step++) {
        const o = overlaps(texts(p));
        assert.deepEqual(o.map(([a, b]) => `${a.text} / ${b.text}`), [], `${label} ${w}px, zoom step ${step} (k=${transformOf(p).k.toFixed(2)})`);
        p.key(svg, '+');
      }
    }
  }
});

test('tooltips carry the numbers, with the full name of an elided label; marks are focusable with labels', () => {
  const p = page();
  const msg = update(SMALL);
  p.preview.handle(msg);
  const v = p.preview.viewElement;
  const c = msg.simulation!.containers[3]!;
  const mark = v.querySelector(`rect.container[data-name="${c.name}"]`)!;
  const [x, y] = centre(p, mark);
  p.mouse('mousemove', v.querySelector('svg')!, x, y);
  const tip = p.root.querySelector('.topo-tooltip') as HTMLElement;
  assert.equal(tip.hidden, false);
  assert.match(tip.textContent!, new RegExp(`container ${c.name}`));
  assert.match(tip.textContent!, new RegExp(`locality ${Math.round(c.locality! * 100)}%`));
  assert.equal(mark.getAttribute('tabindex'), '0');
  assert.match(mark.getAttribute('aria-label')!, new RegExp(c.name));
  const node = v.querySelector('g.node[data-ref="r2.n1"]')!;
  const [nx, ny] = centre(p, node);
  const t = transformOf(p);
  // The node's header (above its chips).
  p.mouse('mousemove', v.querySelector('svg')!, nx, t.y + (box(node.querySelector('rect')!)[1] + 10) * t.k);
  assert.match(tip.textContent!, /node r2\.n1/);
  assert.match(tip.textContent!, /capacity 32 cores/);
  assert.ok(ny > 0);
  p.mouse('mouseleave', v.querySelector('svg')!);
  assert.equal(tip.hidden, true);
});

test('click and Enter select and reveal; Escape and a click on nothing clear; the editor highlight rings its container', () => {
  const p = page();
  const msg = update(SMALL);
  p.preview.handle(msg);
  const v = () => p.preview.viewElement;
  const svg = () => v().querySelector('svg.topo-placement')!;
  const name = msg.simulation!.containers[0]!.name;
  const [x, y] = centre(p, v().querySelector(`rect.container[data-name="${name}"]`)!);
  p.mouse('click', svg(), x, y);
  assert.deepEqual(p.posted.at(-1), { type: 'reveal', kind: 'container', name });
  assert.ok(v().querySelector(`rect.container[data-name="${name}"]`)!.classList.contains('selected'));
  p.key(v().querySelector('g.node[data-ref="r1.n3"]')!, 'Enter');
  assert.deepEqual(p.posted.at(-1), { type: 'reveal', kind: 'node', name: 'r1.n3' });
  assert.ok(v().querySelector('g.node[data-ref="r1.n3"]')!.classList.contains('selected'));
  p.key(svg(), 'Escape');
  assert.equal(p.preview.state.selected, null);
  const other = msg.simulation!.containers[5]!.name;
  assert.equal(p.preview.handle({ type: 'highlight', container: other }), true);
  assert.deepEqual([...v().querySelectorAll('.container.highlighted')].map((e) => e.getAttribute('data-name')), [other]);
  p.mouse('click', svg(), 2, 2);
  assert.equal(p.preview.state.selected, null);
  p.preview.handle({ type: 'highlight', container: '' });
  assert.equal(v().querySelectorAll('.container.highlighted').length, 0);
});

test('zoom, pan and selection survive updates; an update that changes only numbers moves nothing', () => {
  const p = page();
  const msg = example('analytics-sds');
  p.preview.handle(msg);
  const v = () => p.preview.viewElement;
  const svg = () => v().querySelector('svg.topo-placement')!;
  p.key(v().querySelector('g.node[data-ref="analytics.n3"]')!, 'Enter');
  p.key(svg(), '+');
  p.key(svg(), 'ArrowLeft');
  const zoomed = transformOf(p);
  const marks = () => [...v().querySelectorAll('rect.container, rect.node-box')].map((e) => `${e.getAttribute('data-name') ?? ''}${box(e).join(',')}`);
  const before = marks();
  // Other numbers, same structure: locality, memory and CPU use move, the picture does not.
  const sim = msg.simulation!;
  const numbers = { ...msg, simulation: { ...sim, containers: sim.containers.map((c) => ({ ...c, locality: (c.locality ?? 0) * 0.5, memory: (c.memory ?? 0) * 2 })), nodes: sim.nodes.map((n) => ({ ...n, cpuUtil: n.cpuUtil / 2 })) } };
  p.preview.handle(numbers);
  assert.deepEqual(transformOf(p), zoomed);
  assert.deepEqual(marks(), before);
  assert.equal(p.preview.state.selected?.name, 'analytics.n3');
  assert.ok(v().querySelector('g.node[data-ref="analytics.n3"]')!.classList.contains('selected'));
  // Fit brings the whole graph back.
  p.mouse('click', v().querySelector('button.topo-fit')!);
  assert.notDeepEqual(transformOf(p), zoomed);
});

test('the last simulation stays on screen, marked stale, until the next one arrives', () => {
  const p = page();
  const msg = example('analytics-sds');
  p.preview.handle(msg);
  const status = () => p.root.querySelector('.topo-status')!.textContent!;
  assert.doesNotMatch(status(), /stale/);
  // The file was edited: the host says so; then a placement of the new text without a simulation.
  p.preview.handle({ type: 'stale', reason: 'the file was edited since; save to simulate it' });
  assert.match(status(), /stale: the file was edited since/);
  assert.match(status(), /locality\s*[\d.]+%/);
  p.preview.handle({ ...msg, simulation: null, reason: 'the file has errors: fix them to simulate' });
  assert.equal(p.preview.world!.simulated, true);
  assert.match(status(), /stale: the file has errors/);
  assert.doesNotMatch(status(), /not simulated yet/);
  assert.match(p.preview.viewElement.querySelector('.topo-legend')!.textContent!, /stale/);
  p.preview.handle(msg);
  assert.doesNotMatch(status(), /stale/);
  assert.equal(p.preview.world!.stale, null);
  // Another file's placement does not inherit this one's simulation.
  p.preview.handle({ ...msg, simulation: null, source: { file: '/work/other.topo' } });
  assert.equal(p.preview.world!.simulated, false);
  assert.match(status(), /placement only/);
});

test('without a simulation: containers from the placement, an SDS pool, not simulated yet', () => {
  const p = page();
  const g = generate(SMALL);
  p.preview.handle({ type: 'update', placement: g.placement, simulation: null, scenarios: [] });
  const v = p.preview.viewElement;
  assert.equal(v.querySelectorAll('g.node.pool').length, 1);
  const placed = new Set(g.placement.targets.flatMap((t) => t.containers));
  assert.equal(v.querySelectorAll('rect.container').length, placed.size);
  assert.equal((p.preview.exportSvg()!.match(/<path d="M/g) ?? []).length, 0, 'no talks known without facts or a simulation');
  assert.match(p.root.querySelector('.topo-status')!.textContent!, /not simulated yet/);
  assert.match(v.querySelector('.topo-legend')!.textContent!, /not simulated yet/);
});

test('2,000 containers: the overview summarises racks and SDSs, nodes are tiles coloured by pressure, the most loaded marked; a click on a tile zooms to its node', () => {
  const p = page(700, 560);
  const msg = update(LARGE);
  p.preview.handle(msg);
  const v = p.preview.viewElement;
  assert.equal(p.preview.mode, 'canvas');
  assert.equal(v.querySelectorAll('rect.container').length, 0, 'no focusable mark per container at this size');
  assert.equal(v.querySelectorAll('g.node').length, 96);
  assert.equal(new Set([...v.querySelectorAll('rect.sds-boundary')].map((e) => e.getAttribute('data-sds'))).size, 8);
  const painted = p.preview.rendered!.painted!();
  assert.equal(painted.level, 'overview');
  assert.equal(painted.tiles.length, 96);
  const words = texts(p).map((t) => t.text);
  for (const r of ['r1', 'r8']) assert.ok(words.includes(`RACK ${r}`), `rack ${r} named`);
  assert.ok(words.filter((w) => w === 'CPU req' || w === 'req').length >= 8, 'each rack has its bars (short labels in narrow racks)');
  assert.ok(words.some((w) => /^SDS sds1a/.test(w)));
  assert.match(v.querySelector('.topo-legend')!.textContent!, /a node, colour: its pressure/);
  // The most loaded node: the first of the pressure rows, outlined in the export.
  const world = p.preview.world!;
  const top = [...world.nodes].filter((n) => n.kind === 'node' && !n.failed).sort((a, b) => b.pressure - a.pressure || b.load - a.load)[0]!;
  assert.equal(world.hottest, top.ref);
  assert.equal(world.problems.find((x) => x.severity === 'pressure')?.node, top.ref);
  // Hover and click a tile.
  const tile = painted.tiles.find((t) => t.ref === 'r3.n5')!;
  const svg = v.querySelector('svg.topo-placement')!;
  p.mouse('mousemove', svg, tile.x + tile.w / 2, tile.y + tile.h / 2);
  assert.match(p.root.querySelector('.topo-tooltip')!.textContent!, /node r3\.n5/);
  p.mouse('click', svg, tile.x + tile.w / 2, tile.y + tile.h / 2);
  assert.deepEqual(p.posted.at(-1), { type: 'reveal', kind: 'node', name: 'r3.n5' });
  assert.equal(p.preview.rendered!.painted!().level, 'detail', 'zoomed to the node');
  assert.ok(texts(p).some((t) => t.text === 'n5'), 'the node named on its card');
  assert.deepEqual(overlaps(texts(p)), []);
});

test('containers on no node are shown apart, not dropped', () => {
  const p = page();
  const msg = update(SMALL);
  const sim = msg.simulation!;
  const lost = sim.containers[4]!.name;
  p.preview.handle({ ...msg, simulation: { ...sim, containers: sim.containers.map((c) => (c.name === lost ? { ...c, nodes: {}, vcpus: {} } : c)) } });
  const v = p.preview.viewElement;
  assert.equal(v.querySelectorAll('rect.container').length, 12);
  const pool = v.querySelector('g.node.pool')!;
  assert.ok(pool, 'a pseudo-node for containers on no node');
  const [mx, my] = box(v.querySelector(`rect.container[data-name="${lost}"]`)!);
  const [x, y, w, h] = box(pool.querySelector('rect')!);
  assert.ok(mx > x && mx < x + w && my > y && my < y + h);
  assert.match(pool.getAttribute('aria-label')!, /1 container on no node/);
});

test('stable layout: an edit of numbers (requests, limits, memory, load) moves no node and no container; a new container does', async () => {
  const { realUpdate } = await import('./real');
  const { exampleText, EXAMPLES } = await import('./real-cache');
  const { buildWorld } = await import('../../../media/preview/world');
  const { layoutPlacement } = await import('../../../media/preview/views/placement-layout');
  const path = `${EXAMPLES}/microservices-rack.topo`;
  const text = exampleText('microservices-rack');
  // Numbers that leave the packing as it is (which replica on which node: that is structure),
  // and change what the simulation predicts and the bars show.
  const edited = text
    .replace(/cpu request 2 limit 6/, 'cpu request 2 limit 7')
    .replace(/memory request (\d+)(\w+)/, (_, n, u) => `memory request ${Number(n) + 1}${u}`)
    .replace(/load frontend (\d+)%/, 'load frontend 55%');
  assert.equal(edited.split('\n').filter((l, i) => l !== text.split('\n')[i]).length, 3, 'three numbers edited');
  const geometry = (t: string) => {
    const m = realUpdate(t, path);
    const w = buildWorld({ placement: m.placement, simulation: m.simulation, facts: m.facts ?? null, stale: null, file: path });
    const l = layoutPlacement(w, { width: 700, height: 560 }, null);
    return {
      key: w.structureKey,
      packing: m.placement.targets.flatMap((x) => x.nodes.map((n) => `${n.ref}:${n.replicas.map((r) => r.container).join(',')}`)),
      numbers: [...m.placement.targets.map((x) => `${x.requested.memory}/${x.limited.cpu}`), ...(m.simulation?.nodes ?? []).map((n) => n.cpuUtil)],
      marks: l.nodes.flatMap((n) => [`${n.ref}@${n.x},${n.y},${n.w},${n.h}`, ...n.chips.map((c) => `${c.container}@${c.x},${c.y}`)]),
    };
  };
  const a = geometry(text);
  const b = geometry(edited);
  assert.deepEqual(b.packing, a.packing, 'the premise: the same replicas on the same nodes');
  assert.notDeepEqual(b.numbers, a.numbers, 'the premise: the numbers shown changed');
  assert.equal(b.key, a.key);
  assert.deepEqual(b.marks, a.marks);
  const added = geometry(`${text}\ncontainer newcomer { cpu 1 memory 1GiB place on shop }\n`);
  assert.notEqual(added.key, a.key);
  assert.ok(added.marks.some((x) => x.startsWith('newcomer@')));
});

test('the automatic fit is redone when the panel changes size; a person\'s zoom is kept', () => {
  const p = page(700, 560);
  const msg = update(LARGE);
  p.preview.handle(msg);
  const fitted = transformOf(p);
  p.root.dataset.width = '1400';
  p.root.dataset.height = '780';
  p.preview.handle(msg);
  const wide = transformOf(p);
  assert.notDeepEqual(wide, fitted, 'fitted again to the new size');
  p.key(p.preview.viewElement.querySelector('svg.topo-placement')!, '+');
  const mine = transformOf(p);
  p.root.dataset.width = '700';
  p.preview.handle(msg);
  assert.deepEqual(transformOf(p), mine);
});

test('a crowded view in motion: chips without labels while a person zooms, labelled again when it rests', async () => {
  const p = page(1400, 780);
  p.preview.handle(update(LARGE));
  const svg = p.preview.viewElement.querySelector('svg.topo-placement')!;
  // Keys zoom as a program does: the painting is complete at once.
  for (let i = 0; i < 20 && p.preview.rendered!.painted!().level === 'overview'; i++) p.key(svg, '+');
  for (let i = 0; i < 6 && texts(p).length <= 300; i++) p.key(svg, '+');
  assert.equal(p.preview.rendered!.painted!().level, 'detail');
  const still = texts(p).length;
  assert.ok(still > 300, `labelled chips on screen (${still} texts)`);
  const frame = () => new Promise((ok) => setTimeout(ok, 40));
  // A wheel is a person's: the next frames leave the chips' labels out.
  svg.dispatchEvent(new p.dom.window.WheelEvent('wheel', { bubbles: true, cancelable: true, deltaY: -2, clientX: 700, clientY: 300 }));
  await frame();
  const moving = texts(p).length;
  assert.ok(moving < still / 2, `labels left out while moving (${moving} of ${still})`);
  assert.deepEqual(overlaps(texts(p)), []);
  await new Promise((ok) => setTimeout(ok, 250));
  const rested = texts(p).length;
  assert.ok(rested > still * 0.8, `labels back when the view rests (${rested}, before ${still})`);
  // The SVG export is never the moving painting.
  svg.dispatchEvent(new p.dom.window.WheelEvent('wheel', { bubbles: true, cancelable: true, deltaY: 2, clientX: 700, clientY: 300 }));
  assert.ok((p.preview.exportSvg()!.match(/<text/g) ?? []).length > 300);
});
