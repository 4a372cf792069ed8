// Node x time utilisation heatmap (CPU or memory), from the optional per-node series.
import { select, scaleLinear, axisBottom, pointer, type Selection } from 'd3';
import { bytes, percent, seconds, timeTick } from '../format';
import { CANVAS_CELLS, SVG_NS, marksCanvas, type RenderedView, type ViewContext } from './context';

const M = { top: 16, right: 64, bottom: 36, left: 90 };

/** Averages a series into at most `n` buckets; returns [value per bucket, first sample index per bucket]. */
export function bucket(values: readonly number[], n: number): number[] {
  if (values.length <= n) return [...values];
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    const i0 = Math.floor((b * values.length) / n);
    const i1 = Math.max(i0 + 1, Math.floor(((b + 1) * values.length) / n));
    let s = 0;
    for (let i = i0; i < i1; i++) s += values[i]!;
    out.push(s / (i1 - i0));
  }
  return out;
}

export function renderHeatmap(ctx: ViewContext): RenderedView {
  const { host, data, state, palette, tooltip, width, height } = ctx;
  const doc = host.ownerDocument;
  const sim = data.simulation;
  const empty = (text: string): RenderedView => {
    const p = doc.createElement('p');
    p.className = 'topo-empty';
    p.textContent = text;
    host.appendChild(p);
    return { mode: 'empty', refreshMarks() {} };
  };
  if (!sim) return empty('No simulation result yet: save the file or run a simulation.');
  if (!sim.nodeTimeline || sim.nodeTimeline.length === 0) return empty('No per-node timeline in this result.');
  const tl = sim.timeline;
  if (tl.t.length === 0) return empty('This result has no timeline samples.');

  const metric = state.heatMetric;
  const bar = metricBar(ctx, metric);
  host.appendChild(bar);

  const nodeInfo = new Map(sim.nodes.map((n) => [n.ref, n]));
  const rows = sim.nodeTimeline.map((r) => {
    const info = nodeInfo.get(r.ref);
    const mem = info?.memory ?? 0;
    const vals = metric === 'cpu' ? [...r.cpuUtil] : r.memoryUsed.map((b) => (mem > 0 ? b / mem : 0));
    return { ref: r.ref, vals, raw: r, failed: info?.failed ?? false, memory: mem, cores: info?.cores ?? 0 };
  });
  const plotW = Math.max(60, width - M.left - M.right);
  const cols = Math.min(tl.t.length, Math.max(1, Math.floor(plotW / 3)));
  const rowH = Math.max(3, Math.min(20, Math.floor((height - 40 - M.top - M.bottom) / rows.length)));
  const h = M.top + M.bottom + rowH * rows.length;
  const cellW = plotW / cols;
  const cells = rows.map((r) => bucket(r.vals, cols));
  const tBuckets = bucket(tl.t, cols);
  const mode: 'svg' | 'canvas' = rows.length * cols > CANVAS_CELLS ? 'canvas' : 'svg';

  const svg = select(doc.createElementNS(SVG_NS, 'svg') as SVGSVGElement)
    .attr('class', 'topo-chart topo-heatmap').attr('width', width).attr('height', h)
    .attr('role', 'img').attr('tabindex', 0)
    .attr('aria-label', `${metric === 'cpu' ? 'CPU' : 'Memory'} utilisation of ${rows.length} nodes over ${seconds(tl.t[tl.t.length - 1]!)}`);
  host.appendChild(svg.node()!);
  svg.append('rect').attr('class', 'topo-bg').attr('width', width).attr('height', h);
  const x = scaleLinear().domain([tl.t[0]!, Math.max(tl.t[tl.t.length - 1]!, tl.t[0]! + 1e-9)]).range([M.left, M.left + plotW]);
  const labelEvery = Math.ceil(11 / rowH);
  const labels = svg.append('g').attr('class', 'row-labels');
  rows.forEach((r, i) => {
    if (i % labelEvery) return;
    labels.append('text').attr('class', `row-label${r.failed ? ' failed' : ''}`).attr('x', M.left - 6).attr('y', M.top + i * rowH + rowH / 2)
      .attr('dy', '0.35em').attr('text-anchor', 'end').text(r.ref);
  });
  svg.append('g').attr('class', 'axis x').attr('transform', `translate(0,${M.top + rows.length * rowH})`)
    .call(axisBottom(x).ticks(Math.max(2, Math.floor(plotW / 90))).tickFormat((d) => timeTick(tl.t[tl.t.length - 1]!)(Number(d))));

  drawCells(ctx, svg, bar, mode, cells, rows.map((r) => r.ref), { cellW, rowH, h });
  const ev = svg.append('g').attr('class', 'events');
  for (const e of sim.events) {
    ev.append('line').attr('class', `event ${e.kind}`).attr('x1', x(e.t)).attr('x2', x(e.t)).attr('y1', M.top).attr('y2', M.top + rows.length * rowH);
  }
  drawLegend(svg, palette, M.left + plotW + 14, Math.min(120, rows.length * rowH));

  const selRow = svg.append('rect').attr('class', 'row-highlight').attr('x', M.left - 1).attr('width', plotW + 2).attr('height', rowH).attr('visibility', 'hidden');
  const svgEl = svg.node()!;
  function at(event: MouseEvent): { i: number; j: number } | null {
    const [px, py] = pointer(event, svgEl);
    const i = Math.floor((py - M.top) / rowH);
    const j = Math.floor((px - M.left) / cellW);
    return i >= 0 && i < rows.length && j >= 0 && j < cols ? { i, j } : null;
  }
  svgEl.addEventListener('mousemove', (event) => {
    const p = at(event);
    if (!p) return tooltip.hide();
    const r = rows[p.i]!;
    const sampleIdx = Math.min(tl.t.length - 1, Math.floor((p.j * tl.t.length) / cols));
    tooltip.show([
      `node ${r.ref}${r.failed ? ' (failed)' : ''}`,
      `t ≈ ${seconds(tBuckets[p.j]!)}`,
      `CPU ${percent(bucket(r.raw.cpuUtil, cols)[p.j]!)} of ${r.cores} cores`,
      `memory ${bytes(bucket(r.raw.memoryUsed, cols)[p.j]!)} of ${bytes(r.memory)}`,
      cols < tl.t.length ? `mean of samples from ${seconds(tl.t[sampleIdx]!)}` : `sample ${sampleIdx + 1} of ${tl.t.length}`,
    ], event.clientX, event.clientY);
  });
  svgEl.addEventListener('mouseleave', () => tooltip.hide());
  svgEl.addEventListener('click', (event) => {
    const p = at(event);
    if (p) ctx.select({ kind: 'node', name: rows[p.i]!.ref });
  });

  function refreshMarks(): void {
    const sel = state.selected;
    const i = sel?.kind === 'node' ? rows.findIndex((r) => r.ref === sel.name) : -1;
    selRow.attr('visibility', i < 0 ? 'hidden' : 'visible').attr('y', M.top + Math.max(0, i) * rowH);
  }
  refreshMarks();
  return { mode, refreshMarks };
}

/** The CPU / memory switch above the heatmap. */
function metricBar(ctx: ViewContext, metric: 'cpu' | 'memory'): HTMLDivElement {
  const doc = ctx.host.ownerDocument;
  const state = ctx.state;
  const bar = doc.createElement('div');
  bar.className = 'topo-viewbar';
  bar.setAttribute('role', 'radiogroup');
  bar.setAttribute('aria-label', 'Heatmap metric');
  for (const [m, label] of [['cpu', 'CPU'], ['memory', 'Memory']] as const) {
    const b = doc.createElement('button');
    b.type = 'button';
    b.className = 'topo-button';
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', String(metric === m));
    b.textContent = label;
    b.addEventListener('click', () => {
      state.heatMetric = m;
      ctx.rerender();
    });
    bar.appendChild(b);
  }
  return bar;
}

/** The cells: SVG rects, or one canvas when there are too many for the DOM. */
function drawCells(
  ctx: ViewContext, svg: Selection<SVGSVGElement, unknown, null, undefined>, bar: HTMLElement, mode: 'svg' | 'canvas',
  cells: readonly number[][], refs: readonly string[], size: { cellW: number; rowH: number; h: number },
): void {
  const { host, palette, width } = ctx;
  const { cellW, rowH, h } = size;
  if (mode === 'svg') {
    const g = svg.append('g').attr('class', 'cells');
    cells.forEach((vals, i) => {
      const rg = g.append('g').attr('class', 'heat-row').attr('data-ref', refs[i]!);
      vals.forEach((v, j) => {
        rg.append('rect').attr('class', 'cell').attr('x', M.left + j * cellW).attr('y', M.top + i * rowH)
          .attr('width', cellW + 0.5).attr('height', rowH - (rowH > 6 ? 1 : 0)).attr('fill', palette.heat(v));
      });
    });
  } else {
    const c2 = marksCanvas(host, width, h, bar).c2d;
    if (c2) {
      cells.forEach((vals, i) => vals.forEach((v, j) => {
        c2.fillStyle = palette.heat(v);
        c2.fillRect(M.left + j * cellW, M.top + i * rowH, cellW + 0.5, rowH - (rowH > 6 ? 1 : 0));
      }));
    }
  }
}

/** The colour legend, 0% to 100%, `lh` high at `left`. */
function drawLegend(svg: Selection<SVGSVGElement, unknown, null, undefined>, palette: ViewContext['palette'], left: number, lh: number): void {
  const lg = svg.append('g').attr('class', 'legend').attr('transform', `translate(${left},${M.top})`);
  for (let k = 0; k < 20; k++) {
    lg.append('rect').attr('x', 0).attr('y', lh - ((k + 1) * lh) / 20).attr('width', 10).attr('height', lh / 20 + 0.5).attr('fill', palette.heat((k + 0.5) / 20));
  }
  lg.append('text').attr('class', 'legend-label').attr('x', 14).attr('y', 8).text('100%');
  lg.append('text').attr('class', 'legend-label').attr('x', 14).attr('y', lh).text('0%');
}
