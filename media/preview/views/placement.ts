// The placement graph: racks > nodes, SDS boundaries, container marks, `talks` edges.
import { select, zoom, zoomIdentity, quadtree, pointer, type ZoomTransform } from 'd3';
import { bytes, cores, percent } from '../format';
import type { Palette } from '../colors';
import { CANVAS_MARKS, SVG_NS, setupCanvas, type RenderedView, type ViewContext } from './context';
import { UNPLACED, edgeControl, layoutPlacement, type LContainer, type LEdge, type LNode, type PlacementLayout } from './placement-layout';

/** On large results, at most this many node-to-node traffic edges are drawn (the heaviest). */
export const MAX_NODE_EDGES = 150;

export function containerLines(c: LContainer, simulated: boolean): string[] {
  const lines = [`container ${c.name}`];
  if (c.locality !== null) lines.push(`locality ${percent(c.locality)}`);
  else if (!simulated) lines.push('locality: not simulated yet');
  if (c.slowdown !== null) lines.push(`slowdown ${c.slowdown.toFixed(2)}×`);
  if (c.memory !== null) lines.push(`memory ${bytes(c.memory)}`);
  lines.push(`${c.replicas} replica${c.replicas === 1 ? '' : 's'} on ${c.target}`);
  const mem = c.shares.filter((s) => s[1] > 0).slice(0, 6).map(([r, m]) => `${r} ${percent(m)}`);
  if (mem.length) lines.push(`memory on ${mem.join(', ')}${c.shares.length > 6 ? ', …' : ''}`);
  const cpu = [...c.shares].filter((s) => s[2] > 0).sort((a, b) => b[2] - a[2]).slice(0, 6).map(([r, , v]) => `${r} ${percent(v)}`);
  if (cpu.length && simulated) lines.push(`vCPUs on ${cpu.join(', ')}`);
  return lines;
}

export function nodeLines(n: LNode, layout: PlacementLayout): string[] {
  if (n.kind === 'pool' && n.sds === null) return [`${n.containers.length} container${n.containers.length === 1 ? '' : 's'} on no node`, 'unplaced, or not running in this result'];
  if (n.kind === 'pool') return [`${n.sds}: ${n.containers.length} containers`, 'placed across the SDS by the simulator'];
  const lines = [`node ${n.ref}${n.sds ? ` (SDS ${n.sds})` : ''}`];
  const verb = layout.simulated ? 'used' : 'requested';
  lines.push(`CPU ${cores(n.cpuUsed)} / ${cores(n.cores)} cores ${verb} (${n.cores ? percent(n.cpuUsed / n.cores) : '–'})`);
  lines.push(`memory ${bytes(n.memoryUsed)} / ${bytes(n.memory)} ${verb} (${n.memory ? percent(n.memoryUsed / n.memory) : '–'})`);
  const cs = n.containers.map((name) => layout.containerIndex.get(name)).filter((c): c is LContainer => !!c);
  const locs = cs.map((c) => c.locality).filter((l): l is number => l !== null);
  lines.push(`${cs.length} container${cs.length === 1 ? '' : 's'}${locs.length ? `, mean locality ${percent(locs.reduce((a, b) => a + b, 0) / locs.length)}` : ''}`);
  if (n.failed) lines.push('FAILED');
  if (n.spare) lines.push('spare');
  return lines;
}

function edgeLines(e: LEdge): string[] {
  return [`${e.from} ↔ ${e.to}`, `traffic weight ${e.weight.toPrecision(3)}`, `local ${percent(e.locality)}`];
}

function nodeAria(n: LNode, layout: PlacementLayout): string {
  return nodeLines(n, layout).join('; ');
}

function legend(doc: Document, palette: Palette, edgesText: string): HTMLElement {
  const box = doc.createElement('div');
  box.className = 'topo-legend';
  const title = doc.createElement('span');
  title.textContent = 'locality';
  const ramp = doc.createElement('span');
  ramp.className = 'topo-ramp';
  for (let i = 0; i <= 10; i++) {
    const sw = doc.createElement('span');
    sw.style.background = palette.locality(i / 10);
    ramp.appendChild(sw);
  }
  const lo = doc.createElement('span');
  lo.textContent = '0%';
  const hi = doc.createElement('span');
  hi.textContent = '100%';
  const size = doc.createElement('span');
  size.textContent = '· mark size: memory · ring: share on another node ·';
  const edges = doc.createElement('span');
  edges.textContent = edgesText;
  box.append(title, lo, ramp, hi, size, edges);
  return box;
}

export function fitTransform(layout: PlacementLayout, w: number, h: number): ZoomTransform {
  if (layout.width === 0 || layout.height === 0) return zoomIdentity;
  const k = Math.min(1.75, (w - 24) / layout.width, (h - 24) / layout.height);
  const x = Math.max(12, (w - layout.width * k) / 2);
  return zoomIdentity.translate(x, 12).scale(Math.max(0.05, k));
}

export function renderPlacement(ctx: ViewContext): RenderedView & { layout: PlacementLayout } {
  const { host, data, state, palette, tooltip, width, height } = ctx;
  const layout = layoutPlacement(data.placement, data.simulation);
  const doc = host.ownerDocument;
  const heavy = layout.containers.length + layout.fragments.length > CANVAS_MARKS || layout.edges.length > CANVAS_MARKS;
  const mode: 'svg' | 'canvas' = heavy ? 'canvas' : 'svg';
  host.dataset.mode = mode;

  if (layout.nodes.length === 0) {
    const p = doc.createElement('p');
    p.className = 'topo-empty';
    p.textContent = 'Nothing placed: the file declares no nodes yet.';
    host.appendChild(p);
    return { mode: 'empty', layout, refreshMarks() {} };
  }

  const svg = select(doc.createElementNS(SVG_NS, 'svg') as SVGSVGElement)
    .attr('class', 'topo-chart topo-placement')
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'group')
    .attr('aria-label', `Placement graph: ${layout.racks.length} racks, ${layout.nodes.length} nodes, ${layout.containers.length} containers. Arrow keys pan, + and - zoom, 0 fits.`)
    .attr('tabindex', 0);
  host.appendChild(svg.node()!);
  svg.append('rect').attr('class', 'topo-bg').attr('width', width).attr('height', height);
  const g = svg.append('g').attr('class', 'viewport');

  const rackG = g.append('g').attr('class', 'racks');
  for (const r of layout.racks) {
    const rg = rackG.append('g').attr('class', 'rack').attr('data-rack', r.name);
    rg.append('rect').attr('class', 'rack-box').attr('x', r.x).attr('y', r.y).attr('width', r.w).attr('height', r.h).attr('rx', 6);
    rg.append('text').attr('class', 'rack-label').attr('x', r.x + 10).attr('y', r.y + 16).text(r.name === UNPLACED ? 'not placed' : `rack ${r.name}`);
  }
  const bG = g.append('g').attr('class', 'boundaries');
  for (const b of layout.boundaries) {
    bG.append('rect').attr('class', 'sds-boundary').attr('data-sds', b.sds).attr('x', b.x).attr('y', b.y).attr('width', b.w).attr('height', b.h).attr('rx', 8);
  }
  for (const b of layout.boundaries) {
    const label = b.first ? `SDS ${b.sds}` : `SDS ${b.sds} (cont.)`;
    bG.append('text').attr('class', 'sds-label').attr('x', b.x + 8).attr('y', b.y + 12).text(label);
  }

  const nodeG = g.append('g').attr('class', 'nodes');
  const barW = layout.nodes[0] ? layout.nodes[0].w - 16 - 34 : 100;
  for (const n of layout.nodes) {
    const ng = nodeG
      .append('g')
      .attr('class', `node${n.failed ? ' failed' : ''}${n.spare ? ' spare' : ''}${n.kind === 'pool' ? ' pool' : ''}`)
      .attr('data-ref', n.ref)
      .attr('tabindex', 0)
      .attr('role', 'button')
      .attr('aria-label', nodeAria(n, layout));
    ng.append('rect').attr('class', 'node-box').attr('x', n.x).attr('y', n.y).attr('width', n.w).attr('height', n.h).attr('rx', 4);
    ng.append('text').attr('class', 'node-label').attr('x', n.x + 8).attr('y', n.y + 14).text(n.kind === 'pool' ? (n.sds ? `${n.sds}: ${n.label}` : n.label) : n.label);
    if (n.kind === 'pool') continue;
    ng.append('text').attr('class', 'node-capacity').attr('x', n.x + n.w - 8).attr('y', n.y + 14).attr('text-anchor', 'end')
      .text(`${cores(n.cores)} cores · ${bytes(n.memory)}${n.failed ? ' · failed' : ''}`);
    const bars: [string, number][] = [
      ['CPU', n.cores ? n.cpuUsed / n.cores : 0],
      ['MEM', n.memory ? n.memoryUsed / n.memory : 0],
    ];
    bars.forEach(([label, f], i) => {
      const y = n.y + 22 + i * 11;
      ng.append('text').attr('class', 'bar-label').attr('x', n.x + 8).attr('y', y + 6).text(label);
      ng.append('rect').attr('class', 'bar-track').attr('x', n.x + 42).attr('y', y).attr('width', barW).attr('height', 6).attr('rx', 2);
      ng.append('rect').attr('class', `bar-fill${f > 1 + 1e-9 ? ' over' : f > 0.9 ? ' high' : ''}`).attr('data-bar', label.toLowerCase())
        .attr('x', n.x + 42).attr('y', y).attr('width', Math.max(0, Math.min(1, f)) * barW).attr('height', 6).attr('rx', 2);
    });
  }

  const markColor = (c: LContainer): string => (c.locality === null ? palette.muted : palette.locality(c.locality));

  let canvas: HTMLCanvasElement | null = null;
  let c2d: CanvasRenderingContext2D | null = null;
  if (mode === 'svg') {
    const edgeSel = g.append('g').attr('class', 'edges');
    for (const e of layout.edges) {
      const [cx, cy] = edgeControl(e);
      edgeSel.append('path').attr('class', 'edge').attr('data-from', e.from).attr('data-to', e.to)
        .attr('d', `M${e.x1},${e.y1}Q${cx},${cy} ${e.x2},${e.y2}`)
        .attr('stroke', palette.locality(e.locality)).attr('stroke-width', e.width);
    }
    const fg = g.append('g').attr('class', 'fragments');
    for (const f of layout.fragments) {
      const c = layout.containerIndex.get(f.container);
      fg.append('circle').attr('class', 'fragment').attr('data-of', f.container).attr('cx', f.x).attr('cy', f.y).attr('r', f.r)
        .attr('stroke', c ? markColor(c) : palette.muted);
    }
    const contSel = g.append('g').attr('class', 'containers');
    for (const c of layout.containers) {
      contSel.append('circle').attr('class', 'container').attr('data-name', c.name).attr('cx', c.x).attr('cy', c.y).attr('r', c.r)
        .attr('fill', markColor(c)).attr('tabindex', 0).attr('role', 'button')
        .attr('aria-label', containerLines(c, layout.simulated).join('; '));
    }
  } else {
    canvas = doc.createElement('canvas');
    canvas.className = 'topo-marks';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${layout.containers.length} containers drawn on a canvas; traffic aggregated into ${layout.nodeEdges.length} node-to-node edges; nodes list their containers`);

    host.appendChild(canvas);
    c2d = setupCanvas(canvas, width, height);
  }
  /** Node pairs drawn on the canvas: the heaviest ones (nodeEdges is sorted by weight). */
  const shownNodeEdges = layout.nodeEdges.slice(-MAX_NODE_EDGES);
  host.appendChild(legend(doc, palette, mode === 'canvas'
    ? `traffic per node pair (heaviest ${Math.min(MAX_NODE_EDGES, layout.nodeEdges.length)} of ${layout.nodeEdges.length}); a highlighted container shows its own`
    : 'line width: traffic; colour: share local'));
  const tree = quadtree<LContainer>().x((c) => c.x).y((c) => c.y).addAll([...layout.containers]);
  const maxR = Math.max(1, ...layout.containers.map((c) => c.r));

  let transform: ZoomTransform = state.zoom.get('placement') ?? fitTransform(layout, width, height);

  function drawCanvas(): void {
    if (!c2d || !canvas) return;
    const ratio = canvas.width / width;
    c2d.setTransform(ratio, 0, 0, ratio, 0, 0);
    c2d.clearRect(0, 0, width, height);
    c2d.setTransform(ratio * transform.k, 0, 0, ratio * transform.k, ratio * transform.x, ratio * transform.y);
    const curve = (e: { x1: number; y1: number; x2: number; y2: number; width: number; locality: number }): void => {
      const [cx, cy] = edgeControl(e);
      c2d!.beginPath();
      c2d!.moveTo(e.x1, e.y1);
      c2d!.quadraticCurveTo(cx, cy, e.x2, e.y2);
      c2d!.strokeStyle = palette.locality(e.locality);
      c2d!.lineWidth = e.width;
      c2d!.stroke();
    };
    // Large results: traffic aggregated per pair of nodes; the container edges of the
    // highlighted or selected container on top.
    c2d.globalAlpha = 0.45;
    for (const e of shownNodeEdges) curve(e);
    c2d.globalAlpha = 0.9;
    const focus = new Set([state.highlight, state.selected?.kind === 'container' ? state.selected.name : null].filter((x): x is string => !!x));
    if (focus.size) for (const e of layout.edges) if (focus.has(e.from) || focus.has(e.to)) curve(e);
    c2d.globalAlpha = 1;
    c2d.lineWidth = 1;
    for (const f of layout.fragments) {
      const c = layout.containerIndex.get(f.container);
      c2d.beginPath();
      c2d.arc(f.x, f.y, f.r, 0, Math.PI * 2);
      c2d.strokeStyle = c ? markColor(c) : palette.muted;
      c2d.stroke();
    }
    for (const c of layout.containers) {
      c2d.beginPath();
      c2d.arc(c.x, c.y, c.r, 0, Math.PI * 2);
      c2d.fillStyle = markColor(c);
      c2d.fill();
    }
    const ring = (name: string | null, color: string, w: number): void => {
      const c = name ? layout.containerIndex.get(name) : undefined;
      if (!c) return;
      c2d!.beginPath();
      c2d!.arc(c.x, c.y, c.r + 3 / transform.k + 1, 0, Math.PI * 2);
      c2d!.strokeStyle = color;
      c2d!.lineWidth = w / transform.k;
      c2d!.stroke();
    };
    ring(state.selected?.kind === 'container' ? state.selected.name : null, palette.fg, 2);
    ring(state.highlight, palette.focus, 3);
  }

  const z = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.03, 12])
    .extent([[0, 0], [width, height]])
    .touchable(function (this: SVGSVGElement) {
      const nav = this.ownerDocument.defaultView?.navigator;
      return 'ontouchstart' in this || !!(nav && nav.maxTouchPoints > 0);
    })
    .on('zoom', (event: { transform: ZoomTransform }) => {
      transform = event.transform;
      g.attr('transform', transform.toString());
      state.zoom.set('placement', transform);
      drawCanvas();
    });
  svg.call(z);
  svg.on('dblclick.zoom', null);
  svg.call(z.transform, transform);

  const fit = doc.createElement('button');
  fit.type = 'button';
  fit.className = 'topo-button topo-fit';
  fit.textContent = 'Fit';
  fit.title = 'Fit the graph in the view (0)';
  fit.addEventListener('click', () => svg.call(z.transform, fitTransform(layout, width, height)));
  host.appendChild(fit);

  // Keyboard pan/zoom on the chart itself.
  svg.on('keydown', (event: KeyboardEvent) => {
    if (event.target !== svg.node()) return;
    const step = 60;
    const moves: Record<string, () => void> = {
      ArrowLeft: () => svg.call(z.translateBy, step / transform.k, 0),
      ArrowRight: () => svg.call(z.translateBy, -step / transform.k, 0),
      ArrowUp: () => svg.call(z.translateBy, 0, step / transform.k),
      ArrowDown: () => svg.call(z.translateBy, 0, -step / transform.k),
      '+': () => svg.call(z.scaleBy, 1.25),
      '=': () => svg.call(z.scaleBy, 1.25),
      '-': () => svg.call(z.scaleBy, 0.8),
      '0': () => svg.call(z.transform, fitTransform(layout, width, height)),
    };
    const f = moves[event.key];
    if (f) {
      event.preventDefault();
      f();
    }
  });

  // Delegated hover, focus and click.
  const svgEl = svg.node()!;
  function hit(event: MouseEvent): { kind: 'container'; c: LContainer } | { kind: 'node'; n: LNode } | { kind: 'edge'; e: LEdge } | null {
    const target = event.target as Element | null;
    if (mode === 'canvas') {
      const [px, py] = transform.invert(pointer(event, svgEl));
      const c = tree.find(px, py, maxR + 3 / transform.k);
      if (c) return { kind: 'container', c };
    }
    const cEl = target?.closest?.('[data-name]');
    const name = cEl?.getAttribute('data-name');
    if (name && layout.containerIndex.has(name)) return { kind: 'container', c: layout.containerIndex.get(name)! };
    const eEl = target?.closest?.('path.edge');
    if (eEl) {
      const e = layout.edges.find((x) => x.from === eEl.getAttribute('data-from') && x.to === eEl.getAttribute('data-to'));
      if (e) return { kind: 'edge', e };
    }
    const nEl = target?.closest?.('[data-ref]');
    const ref = nEl?.getAttribute('data-ref');
    if (ref && layout.nodeIndex.has(ref)) return { kind: 'node', n: layout.nodeIndex.get(ref)! };
    return null;
  }
  function linesOf(h: NonNullable<ReturnType<typeof hit>>): string[] {
    return h.kind === 'container' ? containerLines(h.c, layout.simulated) : h.kind === 'node' ? nodeLines(h.n, layout) : edgeLines(h.e);
  }
  svgEl.addEventListener('mousemove', (event) => {
    const h = hit(event);
    if (h) tooltip.show(linesOf(h), event.clientX, event.clientY);
    else tooltip.hide();
    svgEl.classList.toggle('pointing', !!h && h.kind !== 'edge');
  });
  svgEl.addEventListener('mouseleave', () => tooltip.hide());
  svgEl.addEventListener('click', (event) => {
    const h = hit(event);
    if (h?.kind === 'container') ctx.select({ kind: 'container', name: h.c.name });
    else if (h?.kind === 'node' && h.n.kind === 'node') ctx.select({ kind: 'node', name: h.n.ref });
  });
  svgEl.addEventListener('focusin', (event) => {
    const el = event.target as Element;
    const name = el.getAttribute('data-name');
    const ref = el.getAttribute('data-ref');
    if (name && layout.containerIndex.has(name)) tooltip.showAt(containerLines(layout.containerIndex.get(name)!, layout.simulated), el);
    else if (ref && layout.nodeIndex.has(ref)) tooltip.showAt(nodeLines(layout.nodeIndex.get(ref)!, layout), el);
  });
  svgEl.addEventListener('focusout', () => tooltip.hide());
  svgEl.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const el = event.target as Element;
    const name = el.getAttribute('data-name');
    const ref = el.getAttribute('data-ref');
    if (name) ctx.select({ kind: 'container', name });
    else if (ref && layout.nodeIndex.get(ref)?.kind === 'node') ctx.select({ kind: 'node', name: ref });
    else return;
    event.preventDefault();
  });

  function refreshMarks(): void {
    svg.selectAll<SVGElement, unknown>('.highlighted, .selected').classed('highlighted', false).classed('selected', false);
    const hl = state.highlight;
    if (hl) {
      svg.selectAll<SVGElement, unknown>('[data-name]').filter(function () { return this.getAttribute('data-name') === hl; }).classed('highlighted', true).raise();
      svg.selectAll<SVGElement, unknown>('path.edge').filter(function () {
        return this.getAttribute('data-from') === hl || this.getAttribute('data-to') === hl;
      }).classed('highlighted', true);
      // Bring the highlighted container into view if it is off screen (keeps the zoom level).
      const c = layout.containerIndex.get(hl);
      if (c) {
        const [sx, sy] = transform.apply([c.x, c.y]);
        if (sx < 0 || sy < 0 || sx > width || sy > height) {
          svg.call(z.translateTo, c.x, c.y);
        }
      }
      const node = c ? layout.nodeIndex.get(c.node) : undefined;
      if (node && mode === 'canvas') {
        svg.selectAll<SVGElement, unknown>('g.node').filter(function () { return this.getAttribute('data-ref') === node.ref; }).classed('highlighted', true);
      }
    }
    const sel = state.selected;
    if (sel) {
      const attr = sel.kind === 'container' ? 'data-name' : 'data-ref';
      svg.selectAll<SVGElement, unknown>(`[${attr}]`).filter(function () { return this.getAttribute(attr) === sel.name; }).classed('selected', true);
    }
    drawCanvas();
  }
  refreshMarks();
  return { mode, layout, refreshMarks };
}
