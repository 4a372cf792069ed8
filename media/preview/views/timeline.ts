// Locality over time: the total (and optionally one line per container), scenario events marked.
import { select, type Selection, scaleLinear, line, pointer, bisectLeft, axisBottom, axisLeft } from 'd3';
import { bytes, count, percent, percent1, seconds, timeTick } from '../format';
import { elide } from '../paint';
import { simulatedNothing } from '../messages';
import { CANVAS_LINES, SVG_NS, marksCanvas, type RenderedView, type ViewContext } from './context';

const M = { top: 28, right: 24, bottom: 36, left: 48 };

export function renderTimeline(ctx: ViewContext): RenderedView {
  const { host, data, state, tooltip, width, height } = ctx;
  const doc = host.ownerDocument;
  const sim = data.simulation;
  if (!sim || sim.timeline.t.length === 0) {
    const p = doc.createElement('p');
    p.className = 'topo-empty';
    p.textContent = sim ? 'This result has no timeline samples.' : 'No simulation result yet: save the file or run a simulation.';
    host.appendChild(p);
    return { mode: 'empty', refreshMarks() {} };
  }
  const tl = sim.timeline;
  const match = ctx.match();
  const allSeries = sim.containerTimeline ?? [];
  const series = match.containers ? allSeries.filter((s) => match.containers!.has(s.name)) : allSeries;
  const perContainer = state.perContainer && series.length > 0;

  const { bar, steady } = renderToolbar(ctx, sim, series, allSeries, perContainer, Boolean(match.containers));

  const h = Math.max(160, height - 40);
  const x = scaleLinear().domain([tl.t[0]!, Math.max(tl.t[tl.t.length - 1]!, tl.t[0]! + 1e-9)]).range([M.left, width - M.right]);
  const y = scaleLinear().domain([0, 1]).range([h - M.bottom, M.top]);
  const svg = select(doc.createElementNS(SVG_NS, 'svg') as SVGSVGElement)
    .attr('class', 'topo-chart topo-timeline').attr('width', width).attr('height', h)
    .attr('role', 'img').attr('tabindex', 0)
    .attr('aria-label', `Locality over time, ${tl.t.length} samples, from ${percent(tl.locality[0]!)} to ${percent(tl.locality[tl.locality.length - 1]!)}; ${sim.events.length} scenario events. Left and right arrows move the cursor.`);
  host.appendChild(svg.node()!);
  svg.append('rect').attr('class', 'topo-bg').attr('width', width).attr('height', h);
  svg.append('g').attr('class', 'axis x').attr('transform', `translate(0,${h - M.bottom})`).call(axisBottom(x).ticks(Math.max(2, Math.floor(width / 90))).tickFormat((d) => timeTick(tl.t[tl.t.length - 1]!)(Number(d))));
  svg.append('g').attr('class', 'axis y').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(5).tickFormat((d) => percent(Number(d))));
  svg.append('text').attr('class', 'axis-title').attr('x', M.left).attr('y', 14).text('locality');

  // The steady state (the last half of the run): the summary's locality with its 95% interval.
  const err = sim.summary.localityError;
  const t0 = tl.t[0]!;
  const tEnd = tl.t[tl.t.length - 1]!;
  const tHalf = t0 + (tEnd - t0) / 2;
  const bandG = svg.append('g').attr('class', 'steady');
  const mean = sim.summary.locality;
  bandG.append('rect').attr('class', 'band').attr('x', x(tHalf)).attr('width', Math.max(1, x(tEnd) - x(tHalf)))
    .attr('y', y(Math.min(1, mean + err))).attr('height', Math.max(1, y(Math.max(0, mean - err)) - y(Math.min(1, mean + err))));
  bandG.append('line').attr('class', 'steady-mean').attr('x1', x(tHalf)).attr('x2', x(tEnd)).attr('y1', y(mean)).attr('y2', y(mean));

  drawEvents(svg, sim, x, h, width, ctx.measure);

  const path = line<number>().x((_, i) => x(tl.t[i]!)).y((v) => y(v));
  const linesG = svg.append('g').attr('class', 'series');
  const mode = drawSeries(ctx, series, perContainer, linesG, tl.t, path, x, y, h, bar);
  linesG.append('path').attr('class', 'series-line total-line').attr('d', path([...tl.locality]));
  const hlG = svg.append('g').attr('class', 'highlight-line');

  // Cursor + tooltip.
  const cursor = svg.append('line').attr('class', 'cursor').attr('y1', M.top).attr('y2', h - M.bottom).attr('visibility', 'hidden');
  const svgEl = svg.node()!;
  let cursorIndex = -1;
  function linesAt(i: number): string[] {
    const out = [`t = ${seconds(tl.t[i]!)}`, `locality ${percent(tl.locality[i]!)}`,
      `vCPU migrations ${count(tl.vcpuMigrations[i]!)}`, `chunk migrations ${count(tl.chunkMigrations[i]!)}`,
      `network ${bytes(tl.networkBytes[i]!)}`];
    const focused = ctx.focus()?.container ?? state.highlight;
    const hl = focused ? allSeries.find((s) => s.name === focused) : undefined;
    if (hl) out.push(`${hl.name}: ${percent(hl.locality[i]!)}`);
    const near = sim!.events.filter((e) => Math.abs(x(e.t) - x(tl.t[i]!)) < 6);
    for (const e of near) out.push(`${e.kind} ${e.target}${e.reached === false ? ' (not reached)' : e.absorbed ? ' (absorbed)' : ' (not absorbed)'}`);
    if (tl.t[i]! >= tHalf) out.push(`steady state: ${steady}`);
    return out;
  }
  function moveTo(i: number): void {
    cursorIndex = Math.max(0, Math.min(tl.t.length - 1, i));
    const cx = x(tl.t[cursorIndex]!);
    cursor.attr('x1', cx).attr('x2', cx).attr('visibility', 'visible');
  }
  svgEl.addEventListener('mousemove', (event) => {
    const [px] = pointer(event, svgEl);
    const tv = x.invert(px);
    let i = bisectLeft(tl.t as number[], tv);
    if (i > 0 && (i >= tl.t.length || tv - tl.t[i - 1]! < tl.t[i]! - tv)) i--;
    moveTo(i);
    tooltip.show(linesAt(cursorIndex), event.clientX, event.clientY);
  });
  svgEl.addEventListener('mouseleave', () => {
    tooltip.hide();
    cursor.attr('visibility', 'hidden');
  });
  svgEl.addEventListener('keydown', (event) => {
    if (event.target !== svgEl) return;
    const stepBy: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, PageUp: -10, PageDown: 10 };
    if (event.key in stepBy || event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      moveTo(event.key === 'Home' ? 0 : event.key === 'End' ? tl.t.length - 1 : (cursorIndex < 0 ? 0 : cursorIndex) + stepBy[event.key]!);
      tooltip.showAt(linesAt(cursorIndex), cursor.node()!);
    }
  });
  svgEl.addEventListener('focusin', (event) => {
    const el = event.target as Element;
    const idx = el.getAttribute('data-index');
    if (idx !== null) {
      const e = sim.events[Number(idx)];
      if (e) tooltip.showAt([`${e.kind} ${e.target}`, `at ${seconds(e.t)}`, e.absorbed ? 'absorbed' : 'not absorbed'], el);
    }
  });
  svgEl.addEventListener('focusout', () => tooltip.hide());
  svgEl.addEventListener('click', (event) => {
    const name = (event.target as Element).getAttribute?.('data-name');
    if (name) ctx.select({ kind: 'container', name });
  });

  function refreshMarks(): void {
    hlG.selectAll('*').remove();
    // The focused container's line (selected, or under the editor cursor), on demand without the toggle.
    const name = ctx.focus()?.container ?? state.highlight;
    const s = name ? allSeries.find((c) => c.name === name) : undefined;
    if (s) hlG.append('path').attr('class', 'series-line highlighted').attr('data-name', s.name).attr('d', path([...s.locality]));
  }
  refreshMarks();
  return { mode, refreshMarks };
}

type Simulation = NonNullable<ViewContext['data']['simulation']>;
type Line = NonNullable<Simulation['containerTimeline']>[number];
type Scale = ReturnType<typeof scaleLinear<number, number>>;

/** The toggle between the total and one line per container, and the summary note. */
function renderToolbar(ctx: ViewContext, sim: Simulation, series: readonly Line[], allSeries: readonly Line[], perContainer: boolean, filtered: boolean): { bar: HTMLDivElement; steady: string } {
  const { host, state } = ctx;
  const doc = host.ownerDocument;
  const bar = doc.createElement('div');
  bar.className = 'topo-viewbar';
  const toggle = doc.createElement('button');
  toggle.type = 'button';
  toggle.className = 'topo-button';
  toggle.setAttribute('aria-pressed', String(perContainer));
  toggle.textContent = perContainer ? 'Show total only' : filtered ? `Show the ${series.length} matching containers` : 'Show one line per container';
  toggle.disabled = series.length === 0;
  toggle.title = allSeries.length === 0 ? 'This result has no per-container series' : series.length === 0 ? 'No container matches the filter' : '';
  toggle.addEventListener('click', () => {
    state.perContainer = !perContainer;
    ctx.rerender();
  });
  bar.appendChild(toggle);
  const note = doc.createElement('span');
  note.className = 'topo-note';
  const err = sim.summary.localityError;
  const steady = `${percent1(sim.summary.locality)} ± ${(err * 100).toFixed(1)} (95%)`;
  note.textContent = simulatedNothing(sim)
    ? 'nothing to simulate: no container with replicas runs on an SDS, a rack or a node set'
    : `steady-state locality ${steady} · slowdown ${sim.summary.slowdown.toFixed(2)}x ± ${sim.summary.slowdownError.toFixed(2)} · ${sim.input.policy}${sim.input.scenario ? ` · scenario ${sim.input.scenario}` : ''}${ctx.world.stale ? ` · stale: ${ctx.world.stale}` : ''}`;
  bar.appendChild(note);
  host.appendChild(bar);
  return { bar, steady };
}

/** Events: rules across the plot, a marker on the time axis, labels in lanes that do not overlap. */
function drawEvents(svg: ReturnType<typeof select<SVGSVGElement, unknown>>, sim: Simulation, x: Scale, h: number, width: number, measure: ViewContext['measure']): void {
  const evG = svg.append('g').attr('class', 'events');
  const lanes: number[] = [];
  const LANES = 3;
  const order = sim.events.map((e, i) => [e, i] as const).sort(([a], [b]) => a.t - b.t);
  for (const [e, i] of order) {
    const ex = x(e.t);
    const reached = e.reached !== false;
    const eg = evG.append('g').attr('class', `event ${e.kind}${e.absorbed ? ' absorbed' : ' not-absorbed'}${reached ? '' : ' not-reached'}`)
      .attr('tabindex', 0).attr('role', 'img').attr('data-index', i)
      .attr('aria-label', `${e.kind} ${e.target} at ${seconds(e.t)}${!reached ? ', not reached' : e.absorbed ? ', absorbed' : ', not absorbed'}`);
    eg.append('line').attr('x1', ex).attr('x2', ex).attr('y1', M.top).attr('y2', h - M.bottom);
    eg.append('path').attr('class', 'event-marker').attr('d', `M${ex},${h - M.bottom}l-4,7h8z`);
    const full = `${e.kind} ${e.target}${!reached ? ' (not reached)' : e.absorbed ? '' : ' (not absorbed)'}`;
    const right = width - M.right;
    let lane = lanes.findIndex((end) => end + 6 <= ex);
    if (lane < 0 && lanes.length < LANES) lane = lanes.length;
    if (lane < 0) continue; // no room: the rule, the marker and the tooltip still say it
    const text = elide(measure, full, right - ex - 3, 10);
    if (!text) continue;
    eg.append('text').attr('x', ex + 3).attr('y', M.top + 9 + lane * 12).text(text);
    lanes[lane] = ex + 3 + measure(text, 10);
  }
}

/** One line per container: SVG paths, or one canvas when there are too many. */
function drawSeries(ctx: ViewContext, series: readonly Line[], perContainer: boolean, linesG: Selection<SVGGElement, unknown, null, undefined>, t: readonly number[], path: ReturnType<typeof line<number>>, x: Scale, y: Scale, h: number, bar: HTMLElement): 'svg' | 'canvas' {
  const { host, palette, width } = ctx;
  let mode: 'svg' | 'canvas' = 'svg';
  if (perContainer) {
    if (series.length > CANVAS_LINES) {
      mode = 'canvas';
      const c2 = marksCanvas(host, width, h, bar).c2d;
      if (c2) {
        c2.lineWidth = 1;
        c2.globalAlpha = 0.35;
        for (const s of series) {
          c2.beginPath();
          s.locality.forEach((v, i) => (i ? c2.lineTo(x(t[i]!), y(v)) : c2.moveTo(x(t[i]!), y(v))));
          c2.strokeStyle = palette.locality(s.locality[s.locality.length - 1] ?? 0);
          c2.stroke();
        }
      }
    } else {
      for (const s of series) {
        linesG.append('path').attr('class', 'series-line container-line').attr('data-name', s.name)
          .attr('d', path([...s.locality]))
          .attr('stroke', palette.locality(s.locality[s.locality.length - 1] ?? 0));
      }
    }
  }
  return mode;
}
