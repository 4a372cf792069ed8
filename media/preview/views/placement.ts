// The placement graph: a canvas painted by placement-paint.ts for the current zoom, under a
// transparent SVG that takes the pointer and holds the focusable nodes and containers (keyboard,
// screen readers, tests). Zoom and pan survive updates; the layout depends only on the structure.
import { select, zoom, zoomIdentity, pointer, type Selection, type ZoomBehavior, type ZoomTransform } from 'd3';
import { containerLines, nodeLines, summaryLines } from '../describe';
import { SvgPainter, CanvasPainter, type Painter, type TextBox } from '../paint';
import { CANVAS_MARKS, SVG_NS, marksCanvas, type RenderedView, type ViewContext } from './context';
import { layoutPlacement, NODE_W, type LChip, type LNode, type PlacementLayout } from './placement-layout';
import { levelOf, paintScene, OVERVIEW_NODE_PX, type Painted, type Scene, type SceneEdge } from './placement-paint';
import { UNPLACED } from '../world';
import { percent } from '../format';

/** Above this many edges only the focused chain's are drawn. */
export const MAX_EDGES = 400;
/** Node card width in pixels when showing one node. */
const SHOW_NODE_PX = 300;

/** `bottom`: pixels kept free at the bottom (the legend). */
export function fitTransform(layout: PlacementLayout, w: number, fullH: number, bottom = 0): ZoomTransform {
  const h = Math.max(120, fullH - bottom);
  if (layout.width === 0 || layout.height === 0) return zoomIdentity;
  const k = Math.min(1.6, (w - 24) / layout.width, (h - 24) / layout.height);
  const kk = Math.max(0.02, k);
  const x = Math.max(12, (w - layout.width * kk) / 2);
  const y = Math.max(12, (h - layout.height * kk) / 2);
  return zoomIdentity.translate(x, Math.min(y, 12 + Math.max(0, (h - layout.height * kk) / 4))).scale(kk);
}

type Hit =
  | { kind: 'chip'; chip: LChip }
  | { kind: 'node'; node: LNode }
  | { kind: 'rack'; rack: string };

type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
type Level = Painted['level'];

/** A person's zoom or pan in progress (wheel, drag, pinch) lasts until it rests this long. */
const SETTLE_MS = 150;

export function renderPlacement(ctx: ViewContext): RenderedView & { layout: PlacementLayout } {
  const { host, world, state, width, height } = ctx;
  const layout = layoutPlacement(world, { width, height }, state.layout);
  state.layout = layout.memo;
  const withMarks = layout.chipCount <= CANVAS_MARKS;
  const mode: 'svg' | 'canvas' = withMarks ? 'svg' : 'canvas';
  host.dataset.mode = mode;

  if (layout.nodes.length === 0) {
    const p = host.ownerDocument.createElement('p');
    p.className = 'topo-empty';
    p.textContent = 'Nothing placed: the file declares no nodes yet.';
    host.appendChild(p);
    return { mode: 'empty', layout, refreshMarks() {} };
  }
  const view = new PlacementView(ctx, layout, sceneEdges(ctx), withMarks);
  return {
    mode, layout,
    refreshMarks: () => view.refreshMarks(),
    showNode: (ref) => view.showNode(ref),
    showRack: (name) => view.showRack(name),
    showContainer: (name) => view.showContainer(name),
    texts: () => view.lastTexts,
    painted: () => view.painted,
    stats: () => ({ ...view.stats }),
    exportSvg: () => view.exportSvg(),
    destroy: () => view.destroy(),
  };
}

/** The declared talks, with the simulation's weight and locality where it has them, then the simulation's other edges. */
function sceneEdges(ctx: ViewContext): SceneEdge[] {
  const simEdges = new Map((ctx.data.simulation?.edges ?? []).map((e) => [`${e.from}\u0000${e.to}`, e]));
  const edges: SceneEdge[] = [];
  const seenEdge = new Set<string>();
  for (const c of ctx.world.containers) {
    for (const t of c.talks) {
      const key = `${c.name}\u0000${t.to}`;
      if (seenEdge.has(key)) continue;
      seenEdge.add(key);
      const e = simEdges.get(key);
      edges.push({ from: c.name, to: t.to, weight: e?.weight ?? t.weight, locality: e?.locality ?? null });
    }
  }
  for (const e of ctx.data.simulation?.edges ?? []) {
    const key = `${e.from}\u0000${e.to}`;
    if (!seenEdge.has(key)) { seenEdge.add(key); edges.push({ from: e.from, to: e.to, weight: e.weight, locality: e.locality }); }
  }
  return edges;
}

/** The transparent overlay: racks, SDS boundaries, nodes and (with marks) containers, focusable. */
function buildOverlay(ctx: ViewContext, layout: PlacementLayout, withMarks: boolean): { svg: Svg; g: Selection<SVGGElement, unknown, null, undefined> } {
  const { host, world, width, height } = ctx;
  const svg = select(host.ownerDocument.createElementNS(SVG_NS, 'svg') as SVGSVGElement)
    .attr('class', 'topo-chart topo-placement')
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'group')
    .attr('aria-label', `Placement graph: ${world.racks.length} racks, ${world.nodes.length} nodes, ${world.containers.length} containers. Arrow keys pan, + and - zoom, 0 fits, Escape clears the focus.`)
    .attr('tabindex', 0);
  host.appendChild(svg.node()!);
  const g = svg.append('g').attr('class', 'viewport');
  for (const r of layout.racks) {
    g.append('rect').attr('class', 'rack-box').attr('data-rack', r.name).attr('x', r.x).attr('y', r.y).attr('width', r.w).attr('height', r.h);
  }
  for (const b of layout.boundaries) {
    g.append('rect').attr('class', 'sds-boundary').attr('data-sds', b.sds).attr('x', b.x).attr('y', b.y).attr('width', b.w).attr('height', b.h);
  }
  const nodeG = g.append('g').attr('class', 'nodes');
  for (const n of layout.nodes) {
    const wn = n.node;
    const ng = nodeG.append('g')
      .attr('class', `node${wn.failed ? ' failed' : ''}${wn.spare ? ' spare' : ''}${wn.kind !== 'node' ? ' pool' : ''}`)
      .attr('data-ref', n.ref)
      .attr('aria-label', nodeLines(wn, world).join('; '));
    if (wn.kind === 'node') ng.attr('tabindex', 0).attr('role', 'button');
    ng.append('rect').attr('class', 'node-box').attr('x', n.x).attr('y', n.y).attr('width', n.w).attr('height', n.h);
  }
  if (withMarks) {
    const cg = g.append('g').attr('class', 'containers');
    for (const [name, chips] of layout.chipsOf) {
      const ch = chips[0]!;
      const wc = world.containerIndex.get(name);
      cg.append('rect').attr('class', 'container').attr('data-name', name).attr('x', ch.x).attr('y', ch.y).attr('width', ch.w).attr('height', ch.h)
        .attr('tabindex', 0).attr('role', 'button').attr('aria-label', wc ? containerLines(wc, world).join('; ') : name);
    }
  }
  return { svg, g };
}

/** What the legend says at a level of detail. */
function fillLegend(ctx: ViewContext, legendEl: HTMLElement, level: Level, edges: readonly SceneEdge[], allEdges: boolean): void {
  const { world, palette } = ctx;
  const doc = legendEl.ownerDocument;
  legendEl.replaceChildren();
  const item = (swatch: HTMLElement | null, text: string): void => {
    const s = doc.createElement('span');
    s.className = 'topo-legend-item';
    if (swatch) s.appendChild(swatch);
    s.appendChild(doc.createTextNode(text));
    legendEl.appendChild(s);
  };
  const ramp = (f: (x: number) => string): HTMLElement => {
    const r = doc.createElement('span');
    r.className = 'topo-ramp';
    for (let i = 0; i <= 10; i++) {
      const sw = doc.createElement('span');
      sw.style.background = f(i / 10);
      r.appendChild(sw);
    }
    return r;
  };
  if (level === 'overview') {
    item(ramp(palette.pressure), ' square: a node, colour: its pressure 0–100% (outlined: the most loaded)');
    item(null, 'bars: CPU requests and limits, memory requests, of the allowance');
    item(null, 'zoom in for nodes and containers');
  } else {
    const chip = doc.createElement('span');
    chip.className = 'topo-chip-swatch';
    item(chip, ' a container (name inside when it fits)');
    if (world.simulated) item(ramp(palette.locality), ` colour: predicted locality 0–100%${world.stale ? ' (stale)' : ''}`);
    else item(null, 'grey: not simulated yet');
    const part = doc.createElement('span');
    part.className = 'topo-chip-swatch part';
    item(part, ' dashed: share of its memory on another node');
    item(null, `bars: CPU, memory ${world.simulated ? 'used' : 'requested'}; outlined: the most loaded node`);
    for (const [i, tn] of world.tenants.entries()) {
      const sw = doc.createElement('span');
      sw.className = 'topo-tenant-swatch';
      sw.style.background = palette.tenant(i);
      item(sw, ` tenant ${tn.name} (${tn.isolation})`);
    }
    if (edges.length) item(null, allEdges ? 'lines: talks (width: weight, colour: share local)' : `lines: the focused container's talks (of ${edges.length})`);
  }
}

/** The graph once rendered: its canvas, overlay, legend, zoom and pointer, until the next render. */
class PlacementView {
  private readonly doc: Document;
  private readonly win: (Window & typeof globalThis) | null;
  private readonly canvas: HTMLCanvasElement;
  private readonly c2d: CanvasRenderingContext2D | null;
  private readonly svg: Svg;
  private readonly svgEl: SVGSVGElement;
  private readonly g: Selection<SVGGElement, unknown, null, undefined>;
  private readonly legendEl: HTMLDivElement;
  private legendLevel: Level | null = null;
  private readonly allEdges: boolean;
  private transform: ZoomTransform;
  painted: Painted;
  lastTexts: readonly TextBox[] = [];
  private moving = false;
  private settle: ReturnType<typeof setTimeout> | null = null;
  readonly stats = { draws: 0, lastMs: 0, maxMs: 0 };
  private readonly clock: Performance | null;
  private frame = 0;
  private readonly raf: ((f: FrameRequestCallback) => number) | undefined;
  private readonly z: ZoomBehavior<SVGSVGElement, unknown>;

  constructor(private readonly ctx: ViewContext, private readonly layout: PlacementLayout, private readonly edges: SceneEdge[], withMarks: boolean) {
    const { host, state, width, height } = ctx;
    this.doc = host.ownerDocument;
    this.win = this.doc.defaultView;
    this.allEdges = edges.length <= MAX_EDGES;

    host.style.height = `${height}px`;
    ({ canvas: this.canvas, c2d: this.c2d } = marksCanvas(host, width, height));
    ({ svg: this.svg, g: this.g } = buildOverlay(ctx, layout, withMarks));
    this.svgEl = this.svg.node()!;

    this.legendEl = this.doc.createElement('div');
    this.legendEl.className = 'topo-legend';
    host.appendChild(this.legendEl);
    this.fillLegend(levelOf(state.zoom.get('placement')?.k ?? 1));
    this.transform = (state.userZoom ? state.zoom.get('placement') : undefined) ?? this.fitted();
    // The legend says what the level shows: fill it for the fitted level before drawing.
    if (levelOf(this.transform.k) !== this.legendLevel) this.fillLegend(levelOf(this.transform.k));
    this.painted = { level: levelOf(this.transform.k), tiles: [], heads: [] };
    this.clock = this.win?.performance ?? null;
    this.raf = this.win?.requestAnimationFrame?.bind(this.win);

    this.z = this.zoomBehaviour();
    this.addFitButton();
    this.listenKeys();
    this.listenPointer();
    this.refreshMarks();
  }

  private fillLegend(level: Level): void {
    this.legendLevel = level;
    fillLegend(this.ctx, this.legendEl, level, this.edges, this.allEdges);
  }

  /** The legend's height without asking the browser for a layout: its items' widths, in lines. */
  private legendH(): number {
    const { measure, width } = this.ctx;
    const items = [...this.legendEl.querySelectorAll('.topo-legend-item')].map((e) => measure(e.textContent ?? '', 11) + 40);
    let lines = 1;
    let x = 0;
    for (const w of items) {
      if (x > 0 && x + w > width - 32) { lines++; x = 0; }
      x += w + 12;
    }
    return lines * 16 + 20;
  }

  private fitted(): ZoomTransform {
    return fitTransform(this.layout, this.ctx.width, this.ctx.height, this.legendH());
  }

  private scene(): Scene {
    const { ctx, layout, transform, edges, allEdges, moving } = this;
    const { world, palette, measure, width, height, state } = ctx;
    return {
      layout, world, palette, measure, t: { x: transform.x, y: transform.y, k: transform.k }, width, height,
      match: ctx.match(), focus: ctx.focus(), selectedNode: state.selected?.kind === 'node' ? state.selected.name : null,
      highlight: state.highlight, edges, allEdges, moving,
    };
  }

  private moved(): void {
    this.moving = true;
    if (this.settle) clearTimeout(this.settle);
    this.settle = setTimeout(() => { this.settle = null; this.moving = false; this.scheduleDraw(); }, SETTLE_MS);
  }

  private readonly draw = (): void => {
    const { c2d, clock, stats } = this;
    const { palette, measure, width } = this.ctx;
    const t0 = clock?.now() ?? 0;
    this.frame = 0;
    const p: Painter | null = c2d ? new CanvasPainter(c2d, palette.font, measure) : null;
    if (c2d) {
      const ratio = this.canvas.width / width;
      c2d.setTransform(ratio, 0, 0, ratio, 0, 0);
    }
    const s = this.scene();
    // Without a 2D canvas (jsdom) the scene is painted to SVG only to know what is where.
    const painter = p ?? new SvgPainter(palette.font, measure);
    this.painted = paintScene(painter, s);
    this.lastTexts = painter.texts;
    this.svg.classed('overview', this.painted.level === 'overview');
    if (this.legendLevel !== this.painted.level) this.fillLegend(this.painted.level);
    if (clock) {
      stats.draws++;
      stats.lastMs = clock.now() - t0;
      stats.maxMs = Math.max(stats.maxMs, stats.lastMs);
    }
  };

  private scheduleDraw(): void {
    if (this.frame) return;
    if (this.raf) this.frame = this.raf(this.draw);
    else this.draw();
  }

  /** Draws now what a pending frame would (programmatic moves: keys, Fit, showing a node). */
  private flush(): void {
    if (!this.frame) return;
    this.win?.cancelAnimationFrame?.(this.frame);
    this.draw();
  }

  private cancelFrame(): void {
    if (this.frame && this.win?.cancelAnimationFrame) this.win.cancelAnimationFrame(this.frame);
  }

  /** d3's zoom on the overlay, started at the current transform. */
  private zoomBehaviour(): ZoomBehavior<SVGSVGElement, unknown> {
    const { state, tooltip, width, height } = this.ctx;
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.02, 8])
      .extent([[0, 0], [width, height]])
      .touchable(function (this: SVGSVGElement) {
        const nav = this.ownerDocument.defaultView?.navigator;
        return 'ontouchstart' in this || !!(nav && nav.maxTouchPoints > 0);
      })
      .on('zoom', (event: { transform: ZoomTransform; sourceEvent: unknown }) => {
        this.transform = event.transform;
        if (event.sourceEvent) { state.userZoom = true; this.moved(); }
        this.g.attr('transform', this.transform.toString());
        state.zoom.set('placement', this.transform);
        tooltip.hide();
        this.scheduleDraw();
      });
    this.svg.call(z);
    this.svg.on('dblclick.zoom', null);
    this.svg.call(z.transform, this.transform);
    // The first paint is not left to the next frame: refreshMarks() paints before the render returns.
    this.cancelFrame();
    this.frame = 0;
    return z;
  }

  private addFitButton(): void {
    const fit = this.doc.createElement('button');
    fit.type = 'button';
    fit.className = 'topo-button topo-fit';
    fit.textContent = 'Fit';
    fit.title = 'Fit the graph in the view (0)';
    fit.addEventListener('click', () => { this.svg.call(this.z.transform, this.fitted()); this.ctx.state.userZoom = false; this.flush(); });
    this.ctx.host.appendChild(fit);
  }

  /** Moves to `t` as a program would (the person's zoom from then on). */
  private moveTo(t: ZoomTransform): void {
    this.svg.call(this.z.transform, t);
    this.ctx.state.userZoom = true;
    this.flush();
  }

  /** Shows a world rectangle at most at scale k, centred in the room the legend leaves. */
  private showRect(x: number, y: number, w: number, h: number, k: number): void {
    const { width, height } = this.ctx;
    const room = height - this.legendH();
    const kk = Math.min(k, (width - 24) / w, (room - 24) / h);
    this.moveTo(zoomIdentity.translate(width / 2 - (x + w / 2) * kk, room / 2 - (y + h / 2) * kk).scale(kk));
  }

  showNode(ref: string): void {
    const { width, height } = this.ctx;
    const n = this.layout.nodeIndex.get(ref);
    if (!n) return;
    const k = Math.max(this.transform.k, SHOW_NODE_PX / NODE_W);
    // The node's rack when it fits at that zoom, else the node.
    const r = this.layout.racks.find((x) => x.name === n.node.rack);
    if (r && r.w * k <= width - 24 && r.h * k <= height - this.legendH() - 24) this.showRect(r.x, r.y, r.w, r.h, k);
    else this.showRect(n.x, n.y, n.w, n.h, k);
  }

  showContainer(name: string): void {
    const { width, height } = this.ctx;
    const focus = this.ctx.focus();
    const names = focus && focus.container === name ? [...focus.chain] : [name];
    const chips = names.flatMap((n) => this.layout.chipsOf.get(n)?.slice(0, 1) ?? []);
    const own = this.layout.chipsOf.get(name)?.[0];
    if (!own) return;
    const x0 = Math.min(...chips.map((c) => c.x)) - 20, y0 = Math.min(...chips.map((c) => c.y)) - 60;
    const x1 = Math.max(...chips.map((c) => c.x + c.w)) + 20, y1 = Math.max(...chips.map((c) => c.y + c.h)) + 20;
    // In detail: the chain's box if it fits there, else the container's node.
    const kMin = (OVERVIEW_NODE_PX * 1.1) / NODE_W;
    const k = Math.min(SHOW_NODE_PX / NODE_W, (width - 24) / (x1 - x0), (height - this.legendH() - 24) / (y1 - y0));
    if (k >= kMin) return this.showRect(x0, y0, x1 - x0, y1 - y0, k);
    // Too big for detail: the chain's centre at the least detailed zoom that still has chips,
    // moved as little as needed to keep the container itself in view.
    const room = height - this.legendH();
    const pad = 24;
    let tx = width / 2 - ((x0 + x1) / 2) * kMin;
    let ty = room / 2 - ((y0 + y1) / 2) * kMin;
    const ox0 = own.x * kMin + tx, oy0 = (own.y - 40) * kMin + ty;
    const ox1 = (own.x + own.w) * kMin + tx, oy1 = (own.y + own.h) * kMin + ty;
    if (ox0 < pad) tx += pad - ox0;
    else if (ox1 > width - pad) tx -= ox1 - (width - pad);
    if (oy0 < pad) ty += pad - oy0;
    else if (oy1 > room - pad) ty -= oy1 - (room - pad);
    this.moveTo(zoomIdentity.translate(tx, ty).scale(kMin));
  }

  /** A rack in detail: whole if it fits so, else its top (pan for the rest). */
  showRack(name: string): void {
    const { width, height } = this.ctx;
    const r = this.layout.racks.find((x) => x.name === name);
    if (!r) return;
    const room = height - this.legendH();
    const kDetail = (OVERVIEW_NODE_PX * 1.15) / NODE_W;
    const kFit = Math.min(SHOW_NODE_PX / NODE_W, (width - 24) / r.w, (room - 24) / r.h);
    if (kFit >= kDetail) return this.showRect(r.x, r.y, r.w, r.h, kFit);
    const k = Math.min(kDetail * 1.2, (width - 24) / r.w) >= kDetail ? Math.min(kDetail * 1.2, (width - 24) / r.w) : kDetail;
    this.moveTo(zoomIdentity.translate(width / 2 - (r.x + r.w / 2) * k, 12 - r.y * k).scale(k));
  }

  /** Arrow keys pan, + and - zoom, 0 fits (on the graph itself, not on a mark). */
  private listenKeys(): void {
    const { svg, z } = this;
    svg.on('keydown', (event: KeyboardEvent) => {
      if (event.target !== svg.node()) return;
      const step = 60;
      const k = this.transform.k;
      const moves: Record<string, () => void> = {
        ArrowLeft: () => svg.call(z.translateBy, step / k, 0),
        ArrowRight: () => svg.call(z.translateBy, -step / k, 0),
        ArrowUp: () => svg.call(z.translateBy, 0, step / k),
        ArrowDown: () => svg.call(z.translateBy, 0, -step / k),
        '+': () => svg.call(z.scaleBy, 1.25),
        '=': () => svg.call(z.scaleBy, 1.25),
        '-': () => svg.call(z.scaleBy, 0.8),
        '0': () => svg.call(z.transform, this.fitted()),
      };
      const f = moves[event.key];
      if (f) {
        event.preventDefault();
        f();
        this.ctx.state.userZoom = event.key !== '0';
        this.flush();
      }
    });
  }

  /** What is under a point of the screen, as painted last. */
  private hitAt(sx: number, sy: number): Hit | null {
    const { painted, layout } = this;
    if (painted.level === 'overview') {
      for (const tl of painted.tiles) {
        if (sx >= tl.x && sx <= tl.x + tl.w && sy >= tl.y && sy <= tl.y + tl.h) {
          const n = layout.nodeIndex.get(tl.ref);
          if (n) return { kind: 'node', node: n };
        }
      }
      for (const h of painted.heads) if (sx >= h.x && sx <= h.x + h.w && sy >= h.y && sy <= h.y + h.h) return { kind: 'rack', rack: h.rack };
      return null;
    }
    const [wx, wy] = this.transform.invert([sx, sy]);
    for (const n of layout.nodes) {
      if (wx < n.x || wx > n.x + n.w || wy < n.y || wy > n.y + n.h) continue;
      for (const ch of n.chips) if (wx >= ch.x && wx <= ch.x + ch.w && wy >= ch.y && wy <= ch.y + ch.h) return { kind: 'chip', chip: ch };
      return { kind: 'node', node: n };
    }
    return null;
  }

  private hit(event: MouseEvent): Hit | null {
    const { layout } = this;
    // Events on the overlay's marks (keyboard, tests) name what they are on.
    const target = event.target as Element | null;
    const name = target?.closest?.('[data-name]')?.getAttribute('data-name');
    if (name && this.painted.level === 'detail') {
      const ch = layout.chipsOf.get(name)?.[0];
      if (ch) return { kind: 'chip', chip: ch };
    }
    const [sx, sy] = pointer(event, this.svgEl);
    const h = this.hitAt(sx, sy);
    if (h) return h;
    const ref = target?.closest?.('[data-ref]')?.getAttribute('data-ref');
    const n = ref ? layout.nodeIndex.get(ref) : undefined;
    return n ? { kind: 'node', node: n } : null;
  }

  private linesOf(h: Hit): string[] {
    const { world } = this.ctx;
    if (h.kind === 'chip') {
      const wc = world.containerIndex.get(h.chip.container);
      return wc ? containerLines(wc, world, h.chip.node) : [h.chip.container];
    }
    if (h.kind === 'node') return nodeLines(h.node.node, world);
    const s = world.rackSummaries.get(h.rack);
    return s ? [...summaryLines(s), 'click to zoom to this rack'] : [`rack ${h.rack}`];
  }

  private onClick(event: MouseEvent): void {
    const { ctx } = this;
    const h = this.hit(event);
    if (!h) {
      if (ctx.state.selected) ctx.select(null);
      return;
    }
    if (h.kind === 'chip') ctx.select({ kind: 'container', name: h.chip.container });
    else if (h.kind === 'node' && h.node.node.kind === 'node') {
      ctx.select({ kind: 'node', name: h.node.ref });
      if (this.painted.level === 'overview') this.showNode(h.node.ref);
    } else if (h.kind === 'rack') {
      this.showRack(h.rack);
      if (h.rack !== UNPLACED) ctx.post({ type: 'reveal', kind: 'rack', name: h.rack });
    }
  }

  /** Tooltips on hover and focus, selection on click, Enter and Space, Escape clears it. */
  private listenPointer(): void {
    const { svgEl, ctx } = this;
    const { world, tooltip } = ctx;
    svgEl.addEventListener('mousemove', (event) => {
      const h = this.hit(event);
      if (h) tooltip.show(this.linesOf(h), event.clientX, event.clientY);
      else tooltip.hide();
      svgEl.classList.toggle('pointing', !!h);
    });
    svgEl.addEventListener('mouseleave', () => tooltip.hide());
    svgEl.addEventListener('click', (event) => this.onClick(event));
    svgEl.addEventListener('focusin', (event) => {
      const el = event.target as Element;
      const name = el.getAttribute('data-name');
      const ref = el.getAttribute('data-ref');
      const wc = name ? world.containerIndex.get(name) : undefined;
      const wn = ref ? world.nodeIndex.get(ref) : undefined;
      if (wc) tooltip.showAt(containerLines(wc, world), el);
      else if (wn) tooltip.showAt(nodeLines(wn, world), el);
    });
    svgEl.addEventListener('focusout', () => tooltip.hide());
    svgEl.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        if (ctx.state.selected) ctx.select(null);
        return;
      }
      if (event.key !== 'Enter' && event.key !== ' ') return;
      const el = event.target as Element;
      const name = el.getAttribute('data-name');
      const ref = el.getAttribute('data-ref');
      if (name) ctx.select({ kind: 'container', name });
      else if (ref && world.nodeIndex.get(ref)?.kind === 'node') ctx.select({ kind: 'node', name: ref });
      else return;
      event.preventDefault();
    });
  }

  refreshMarks(): void {
    const { svg, ctx, layout, transform } = this;
    const { state, width, height } = ctx;
    svg.selectAll<SVGElement, unknown>('.highlighted, .selected, .dimmed').classed('highlighted', false).classed('selected', false).classed('dimmed', false);
    const hl = state.highlight;
    const sel = state.selected;
    const match = ctx.match();
    const focus = ctx.focus();
    if (hl) {
      svg.selectAll<SVGElement, unknown>('[data-name]').filter(function () { return this.getAttribute('data-name') === hl; }).classed('highlighted', true);
      // Bring the highlighted container into view if it is off screen (keeps the zoom level).
      const ch = layout.chipsOf.get(hl)?.[0];
      if (ch) {
        const [sx, sy] = transform.apply([ch.x, ch.y]);
        if (sx < 0 || sy < 0 || sx > width || sy > height) svg.call(this.z.translateTo, ch.x + ch.w / 2, ch.y + ch.h / 2);
      }
    }
    if (sel) {
      const attr = sel.kind === 'container' ? 'data-name' : 'data-ref';
      svg.selectAll<SVGElement, unknown>(`[${attr}]`).filter(function () { return this.getAttribute(attr) === sel.name; }).classed('selected', true);
    }
    if (focus || match.containers) {
      svg.selectAll<SVGElement, unknown>('[data-name]').filter(function () {
        const n = this.getAttribute('data-name')!;
        return !!(focus && !focus.chain.has(n)) || !!(match.containers && !match.containers.has(n));
      }).classed('dimmed', true);
      if (focus) {
        svg.selectAll<SVGElement, unknown>('g.node').filter(function () {
          const r = this.getAttribute('data-ref')!;
          return focus.nodes.has(r) || focus.chainNodes.has(r) || focus.devices.has(r);
        }).classed('highlighted', true);
      }
    }
    this.cancelFrame();
    this.draw();
  }

  exportSvg(): string {
    const { palette, measure, width, height, world } = this.ctx;
    const p = new SvgPainter(palette.font, measure);
    paintScene(p, { ...this.scene(), moving: false });
    return p.svg(width, height, `Placement of ${world.file.split(/[\\/]/).pop() ?? world.file}: ${world.nodes.length} nodes, ${world.containers.length} containers${world.stale ? ' (simulation stale)' : ''}; most loaded ${percent(world.maxPressure)}`);
  }

  destroy(): void {
    this.cancelFrame();
    if (this.settle) clearTimeout(this.settle);
    this.svg.on('.zoom', null);
  }
}
