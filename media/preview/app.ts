// The preview application: toolbar (view tabs, search box, scenario and policy pickers, export),
// the status line, the current view, the problems list, the tooltip. Keeps zoom, pan, selection,
// the filter and toggles across updates, and the last simulation across edits (marked stale).
import { readPalette } from './colors';
import { bytes, count, percent1, seconds } from './format';
import { POLICIES, simulatedNothing, type IncomingMessage, type Policy, type Post, type UpdateMessage, type SimulationResult } from './messages';
import { createTooltip } from './tooltip';
import { validateMessage } from './validate';
import { exportSvg, svgToPng } from './export';
import { makeMeasure } from './paint';
import { applyQuery, parseQuery, FIELDS, NO_MATCH_FILTER, type Match } from './filter';
import { focusOn, type Focus } from './focus';
import { buildWorld, type World } from './world';
import { createProblems } from './problems';
import type { RenderedView, Selection, ViewContext, ViewId, ViewState } from './views/context';
import { renderPlacement } from './views/placement';
import { renderTable } from './views/table';
import { renderTimeline } from './views/timeline';
import { renderHeatmap } from './views/heatmap';
import { renderCompare } from './views/compare';
import { renderChanges } from './views/changes';

/** `short`: the tab's text (a side panel has little room); `label`: its accessible name. */
export const VIEWS: readonly { id: ViewId; label: string; short: string }[] = [
  { id: 'placement', label: 'Placement', short: 'Placement' },
  { id: 'table', label: 'Table', short: 'Table' },
  { id: 'timeline', label: 'Locality over time', short: 'Locality' },
  { id: 'heatmap', label: 'Node heatmap', short: 'Heatmap' },
  { id: 'compare', label: 'Policy comparison', short: 'Policies' },
  { id: 'changes', label: 'Changes against an earlier version', short: 'Changes' },
];

const RENDER: Record<ViewId, (ctx: ViewContext) => RenderedView> = {
  placement: renderPlacement,
  table: renderTable,
  timeline: renderTimeline,
  heatmap: renderHeatmap,
  compare: renderCompare,
  changes: renderChanges,
};

/** What a host keeps across reloads of the page (VS Code's webview state, the playground's link). */
export interface PersistedState {
  readonly view: ViewId;
  readonly filter: string;
  readonly problems: boolean;
}

export interface PreviewOptions {
  readonly post: Post;
  /** Where rejected messages are reported (default console.warn). */
  readonly log?: (text: string) => void;
  readonly initialView?: ViewId;
  readonly initialFilter?: string;
  /** Whether the problems list starts open (default: open). */
  readonly initialProblems?: boolean;
  /** Called whenever the visible view changes (hosts persist it). */
  readonly onViewChange?: (view: ViewId) => void;
  /** Called when the view, the filter or the problems list's state changes. */
  readonly onStateChange?: (state: PersistedState) => void;
}

export interface Preview {
  /** Validates and applies a message; returns false (and logs) when it was rejected. */
  handle(msg: unknown): boolean;
  showView(view: ViewId): void;
  /** Sets the search box's text (as typing would). */
  setFilter(text: string): void;
  /** Selects (focuses) a container or node, as a click would, without revealing it in the editor. */
  select(sel: Selection | null): void;
  readonly view: ViewId;
  readonly state: ViewState;
  readonly world: World | null;
  /** The element of the current view. */
  readonly viewElement: HTMLElement;
  readonly rendered: RenderedView | null;
  /** Mode of the current view's heavy marks. */
  readonly mode: RenderedView['mode'] | null;
  exportSvg(): string | null;
  exportPng(): Promise<string | null>;
  destroy(): void;
}

let uid = 0;

/** Below this panel width the problems list sits above the view instead of beside it. */
const SIDE_MIN_WIDTH = 980;
const SIDE_WIDTH = 300;

type El = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => HTMLElementTagNameMap[K];

const elementMaker = (doc: Document): El => (tag, cls, text) => {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

export function createPreview(root: HTMLElement, options: PreviewOptions): Preview {
  const app = new PreviewApp(root, options);
  return {
    handle: (msg) => app.handle(msg),
    showView: (v) => app.showView(v),
    setFilter: (text) => app.applyFilter(text.slice(0, 200)),
    select: (sel) => app.select(sel, false),
    get view() {
      return app.view;
    },
    state: app.state,
    get world() {
      return app.world;
    },
    viewElement: app.viewEl,
    get rendered() {
      return app.rendered;
    },
    get mode() {
      return app.rendered?.mode ?? null;
    },
    exportSvg: () => app.currentSvg(),
    exportPng: () => app.exportPng(),
    destroy: () => app.destroy(),
  };
}

/** The view tabs (a tablist: arrows, Home and End move between them). */
function buildTabs(el: El, id: string, current: () => ViewId, show: (v: ViewId) => void): { tablist: HTMLDivElement; tabs: Map<ViewId, HTMLButtonElement> } {
  const tablist = el('div', 'topo-tabs');
  tablist.setAttribute('role', 'tablist');
  tablist.setAttribute('aria-label', 'Preview views');
  const tabs = new Map<ViewId, HTMLButtonElement>();
  for (const v of VIEWS) {
    const b = el('button', 'topo-tab', v.short);
    b.type = 'button';
    if (v.short !== v.label) {
      b.setAttribute('aria-label', v.label);
      b.title = v.label;
    }
    b.id = `${id}-tab-${v.id}`;
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-controls', `${id}-panel`);
    b.dataset.view = v.id;
    b.addEventListener('click', () => show(v.id));
    tablist.appendChild(b);
    tabs.set(v.id, b);
  }
  tablist.addEventListener('keydown', (e) => {
    const i = VIEWS.findIndex((v) => v.id === current());
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? VIEWS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const v = VIEWS[(next + VIEWS.length) % VIEWS.length]!.id;
    show(v);
    tabs.get(v)!.focus();
  });
  return { tablist, tabs };
}

interface Controls {
  readonly controls: HTMLDivElement;
  readonly scenarioSel: HTMLSelectElement;
  readonly policySel: HTMLSelectElement;
  readonly runBtn: HTMLButtonElement;
  readonly svgBtn: HTMLButtonElement;
  readonly pngBtn: HTMLButtonElement;
}

/** The scenario and policy pickers, Simulate, and the export buttons. */
function buildControls(el: El): Controls {
  const controls = el('div', 'topo-controls');
  const scenarioLabel = el('label', 'topo-field', 'Scenario ');
  const scenarioSel = el('select', 'topo-select');
  scenarioSel.setAttribute('aria-label', 'Scenario');
  scenarioLabel.appendChild(scenarioSel);
  const policyLabel = el('label', 'topo-field', 'Policy ');
  const policySel = el('select', 'topo-select');
  policySel.setAttribute('aria-label', 'Policy');
  for (const p of POLICIES) {
    const o = el('option', undefined, p);
    o.value = p;
    policySel.appendChild(o);
  }
  policySel.value = 'cost';
  policyLabel.appendChild(policySel);
  const runBtn = el('button', 'topo-button primary', 'Simulate');
  runBtn.type = 'button';
  runBtn.title = 'Run the simulation with this scenario and policy';
  const exportLabel = el('span', 'topo-field', 'Export');
  const svgBtn = el('button', 'topo-button', 'SVG');
  svgBtn.type = 'button';
  svgBtn.setAttribute('aria-label', 'Export SVG');
  svgBtn.title = 'Export the view as SVG';
  const pngBtn = el('button', 'topo-button', 'PNG');
  pngBtn.type = 'button';
  pngBtn.setAttribute('aria-label', 'Export PNG');
  pngBtn.title = 'Export the view as PNG';
  exportLabel.append(svgBtn, pngBtn);
  controls.append(scenarioLabel, policyLabel, runBtn, exportLabel);
  return { controls, scenarioSel, policySel, runBtn, svgBtn, pngBtn };
}

/** The search box and the line that says what it matched. */
function buildSearch(el: El, text: string): { search: HTMLInputElement; searchInfo: HTMLSpanElement } {
  const search = el('input', 'topo-search');
  search.type = 'search';
  search.placeholder = 'Filter: container, node, image…  (image:redis, node:r1.n3)';
  search.setAttribute('aria-label', 'Filter containers and nodes');
  search.title = `Words match any of: ${FIELDS.map((f) => `${f.id} (${f.help})`).join(', ')}. field:word asks one; all words must match.`;
  search.spellcheck = false;
  search.value = text;
  const searchInfo = el('span', 'topo-search-info');
  searchInfo.setAttribute('aria-live', 'polite');
  return { search, searchInfo };
}

/** The status line's figures: the file, the simulation's summary (or why there is none), the diagnostics' counts. */
function fillStatus(status: HTMLElement, el: El, data: UpdateMessage, sim: SimulationResult | null, stale: string | null, world: World | null): void {
  const file = data.source?.file ?? sim?.input.file ?? data.placement.file;
  status.appendChild(el('span', 'topo-file', file.split(/[\\/]/).pop() ?? file));
  if (sim) {
    const s = sim.summary;
    const nothing = simulatedNothing(sim);
    const items: [string, string][] = nothing ? [['simulation', 'nothing to simulate']] : [
      ['locality', `${percent1(s.locality)} ± ${(s.localityError * 100).toFixed(1)}`], ['slowdown', `${s.slowdown.toFixed(2)}x ± ${s.slowdownError.toFixed(2)}`], ['stall', seconds(s.stallSeconds)],
      ['migrations', `${count(s.vcpuMigrations)} vCPU · ${count(s.chunkMigrations)} chunk`],
      ['network', bytes(s.networkBytes)], ['policy', sim.input.policy], ['scenario', sim.input.scenario ?? 'none'],
    ];
    for (const [k, v] of items) {
      const item = el('span', 'topo-metric');
      item.append(el('span', 'topo-metric-key', k), el('span', 'topo-metric-value', v));
      status.appendChild(item);
    }
    if (stale) {
      const st = el('span', 'topo-stale', `stale: ${stale}`);
      st.title = 'These simulation figures are of an earlier version of the file; they are replaced when the next simulation arrives (on save, or Simulate).';
      status.appendChild(st);
    }
  } else {
    status.appendChild(el('span', 'topo-note', data.reason ? `placement only (${data.reason})` : 'placement only (not simulated yet)'));
  }
  if (world) {
    const errors = world.problems.filter((p) => p.severity === 'error').length;
    const warnings = world.problems.filter((p) => p.severity === 'warning').length;
    if (errors || warnings) status.appendChild(el('span', `topo-diag${errors ? ' error' : ''}`, [errors ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(' · ')));
  }
}

/** The scenario picker's options: none, then the file's scenarios. */
function fillScenarios(el: El, sel: HTMLSelectElement, scenarios: readonly string[]): void {
  sel.replaceChildren();
  const none = el('option', undefined, '(none)');
  none.value = '';
  sel.appendChild(none);
  for (const s of scenarios) {
    const o = el('option', undefined, s);
    o.value = s;
    sel.appendChild(o);
  }
}

/** The application behind a Preview: its elements, the update on screen and what survives updates. */
class PreviewApp {
  private readonly doc: Document;
  private readonly win: (Window & typeof globalThis) | null;
  private readonly log: (text: string) => void;
  private readonly post: Post;
  private readonly id = `topo${++uid}`;
  private readonly el: El;
  readonly state: ViewState;
  view: ViewId;
  private data: UpdateMessage | null = null;
  /** The simulation on screen: the latest, or the one before when the latest update had none. */
  private shown: SimulationResult | null = null;
  private stale: string | null = null;
  world: World | null = null;
  rendered: RenderedView | null = null;
  private problemsOpen: boolean;
  private match: Match = NO_MATCH_FILTER;
  private focus: Focus | null = null;

  private readonly app: HTMLDivElement;
  private readonly tabs: Map<ViewId, HTMLButtonElement>;
  private readonly controls: Controls;
  private readonly search: HTMLInputElement;
  private readonly searchInfo: HTMLSpanElement;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly status: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly panel: HTMLDivElement;
  readonly viewEl: HTMLDivElement;
  private readonly problems: ReturnType<typeof createProblems>;
  private readonly tooltip: ReturnType<typeof createTooltip>;

  /** The sizes the resize observer saw last (null before it reported). */
  private known: { width: number; height: number; body: number } | null = null;
  /** The sizes the view was last rendered at (`WxHxB`). */
  private renderedAt = '';
  private frame = 0;
  private readonly themeObserver: MutationObserver | null;
  private readonly resizeObserver: ResizeObserver | null;

  constructor(private readonly root: HTMLElement, private readonly options: PreviewOptions) {
    const doc = (this.doc = root.ownerDocument);
    this.win = doc.defaultView;
    this.log = options.log ?? ((t: string) => console.warn(`[topo preview] ${t}`));
    this.post = (m) => options.post(m);
    this.state = {
      zoom: new Map(), userZoom: false, selected: null, highlight: null, perContainer: false, heatMetric: 'cpu', scenario: null,
      filter: options.initialFilter ?? '', layout: null,
      table: { kind: 'nodes', sort: { nodes: { column: 'pressure', descending: true }, containers: { column: 'locality', descending: false } } },
    };
    this.view = options.initialView ?? 'placement';
    this.problemsOpen = options.initialProblems ?? true;
    const el = (this.el = elementMaker(doc));

    root.replaceChildren();
    this.app = el('div', 'topo-preview');
    root.appendChild(this.app);
    const toolbar = el('div', 'topo-toolbar');
    this.app.appendChild(toolbar);
    const { tablist, tabs } = buildTabs(el, this.id, () => this.view, (v) => this.showView(v));
    toolbar.appendChild(tablist);
    this.tabs = tabs;
    this.controls = buildControls(el);
    const searchRow = el('div', 'topo-searchrow');
    this.app.appendChild(searchRow);
    ({ search: this.search, searchInfo: this.searchInfo } = buildSearch(el, this.state.filter));
    searchRow.append(this.search, this.searchInfo, this.controls.controls);
    this.listenSearch();

    this.status = el('div', 'topo-status');
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    this.app.appendChild(this.status);
    this.body = el('div', 'topo-body');
    this.app.appendChild(this.body);
    this.panel = el('div', 'topo-views');
    this.panel.id = `${this.id}-panel`;
    this.panel.setAttribute('role', 'tabpanel');
    this.viewEl = el('div', 'topo-view');
    this.panel.appendChild(this.viewEl);
    this.problems = this.createProblems();
    this.body.append(this.panel, this.problems.element);
    this.tooltip = createTooltip(this.panel);
    this.listenControls();

    // Repaint on theme changes (VS Code swaps body classes) and on resize.
    const MO = this.win?.MutationObserver;
    this.themeObserver = MO ? new MO(() => this.schedule()) : null;
    this.themeObserver?.observe(doc.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
    this.resizeObserver = this.observeSize();

    this.summaryText('Waiting for a result…');
    this.layoutBody();
    this.render();
  }

  private listenSearch(): void {
    const { search } = this;
    search.addEventListener('input', () => {
      if (this.searchTimer) clearTimeout(this.searchTimer);
      // Large files: a few keystrokes per filter, not one each.
      const delay = (this.world?.containers.length ?? 0) > 500 ? 120 : 0;
      this.searchTimer = setTimeout(() => this.applyFilter(search.value), delay);
    });
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && search.value) {
        e.preventDefault();
        search.value = '';
        this.applyFilter('');
      }
    });
  }

  private createProblems(): ReturnType<typeof createProblems> {
    const { post } = this;
    return createProblems(this.doc, {
      open: this.problemsOpen,
      onToggle: (open) => {
        this.problemsOpen = open;
        this.persist();
        this.layoutBody();
        this.schedule();
      },
      onFocus: (p) => {
        const world = this.world;
        if (p.container) this.select({ kind: 'container', name: p.container }, false);
        else if (p.node && world?.nodeIndex.get(p.node)?.kind === 'node') this.select({ kind: 'node', name: p.node }, false);
        if (this.view !== 'placement') this.showView('placement');
        if (p.container) this.rendered?.showContainer?.(p.container);
        else if (p.node) this.rendered?.showNode?.(p.node);
      },
      onReveal: (p) => {
        if (p.line) post({ type: 'revealLine', line: p.line.line, character: p.line.character });
        else if (p.subject.kind === 'container' || p.subject.kind === 'node' || p.subject.kind === 'sds' || p.subject.kind === 'rack') post({ type: 'reveal', kind: p.subject.kind, name: p.subject.name });
        else if (p.subject.kind === 'target') post({ type: 'reveal', kind: this.world?.sdsSummaries.has(p.subject.name) ? 'sds' : 'rack', name: p.subject.name });
      },
    });
  }

  private listenControls(): void {
    const { scenarioSel, policySel, runBtn, svgBtn, pngBtn } = this.controls;
    const simulate = (): void => {
      const state = this.state;
      state.scenario = scenarioSel.value === '' ? null : scenarioSel.value;
      scenarioSel.title = state.scenario ?? 'the base deployment, no scenario';
      this.post({ type: 'simulate', scenario: state.scenario, policy: policySel.value as Policy });
      this.status.dataset.busy = 'true';
      this.summaryText('Simulating…');
    };
    runBtn.addEventListener('click', simulate);
    scenarioSel.addEventListener('change', simulate);
    policySel.addEventListener('change', simulate);
    svgBtn.addEventListener('click', () => {
      const svg = this.currentSvg();
      if (svg) this.post({ type: 'export', format: 'svg', data: svg });
    });
    pngBtn.addEventListener('click', () => {
      void this.exportPng().then((png) => {
        if (png) this.post({ type: 'export', format: 'png', data: png });
      });
    });
  }

  private observeSize(): ResizeObserver | null {
    const RO = (this.win as (Window & { ResizeObserver?: typeof ResizeObserver }) | null)?.ResizeObserver;
    if (!RO) return null;
    const { panel, body } = this;
    let lastSize = '';
    const ro = new RO(() => {
      // Read here, where the layout is done: renders use these instead of forcing one.
      this.known = { width: panel.clientWidth, height: panel.clientHeight, body: body.clientWidth };
      const s = `${this.known.width}x${this.known.height}x${this.known.body}`;
      if (s !== lastSize) {
        const first = lastSize === '';
        lastSize = s;
        if (!first || !this.data) this.schedule();
        else if (s !== this.renderedAt) this.schedule();
      }
    });
    ro.observe(panel);
    ro.observe(body);
    return ro;
  }

  private persist(): void {
    this.options.onStateChange?.({ view: this.view, filter: this.state.filter, problems: this.problemsOpen });
  }

  private summaryText(text: string): void {
    this.status.replaceChildren();
    this.status.appendChild(this.el('span', 'topo-summary', text));
  }

  private renderStatus(): void {
    delete this.status.dataset.busy;
    this.status.replaceChildren();
    if (!this.data) return this.summaryText('Waiting for a result…');
    fillStatus(this.status, this.el, this.data, this.shown, this.stale, this.world);
  }

  private size(): { width: number; height: number } {
    const { known, panel, root } = this;
    const w = known?.width || panel.clientWidth || Number(root.dataset.width) || 960;
    const h = known?.height || panel.clientHeight || Number(root.dataset.height) || 600;
    return { width: Math.max(320, w), height: Math.max(240, h) };
  }

  private layoutBody(): void {
    const w = this.known?.body || this.body.clientWidth || Number(this.root.dataset.width) || 960;
    const side = w >= SIDE_MIN_WIDTH;
    const problems = this.problems.element;
    this.body.classList.toggle('side', side);
    problems.classList.toggle('side', side);
    if (side) problems.style.width = `${SIDE_WIDTH}px`;
    else problems.style.removeProperty('width');
  }

  /** What has the keyboard focus in the view (to give it back after a render). */
  private focusKey(): [string, string] | null {
    const a = this.doc.activeElement;
    if (!a || !this.viewEl.contains(a)) return null;
    for (const k of ['data-name', 'data-ref', 'data-policy', 'data-index', 'data-column', 'data-row']) {
      const v = a.getAttribute(k);
      if (v !== null) return [k, v];
    }
    return a.classList.contains('topo-chart') ? ['class', 'topo-chart'] : null;
  }

  private refreshDerived(): void {
    const { world, state } = this;
    this.match = world ? applyQuery(parseQuery(state.filter), world) : NO_MATCH_FILTER;
    const name = state.selected?.kind === 'container' ? state.selected.name : state.highlight;
    this.focus = world && name ? focusOn(world, name) : null;
    const q = parseQuery(state.filter);
    if (!world || q.terms.length === 0) this.searchInfo.textContent = '';
    else {
      const match = this.match;
      const unknown = q.unknown.length ? ` · no field ${q.unknown.map((u) => `"${u}:"`).join(', ')} (fields: ${FIELDS.map((f) => f.id).join(', ')})` : '';
      const n = match.nodes?.size ?? 0;
      this.searchInfo.textContent = `${match.containers?.size ?? 0} of ${world.containers.length} containers, ${n} node${n === 1 ? '' : 's'}${unknown}`;
    }
  }

  select(sel: Selection | null, reveal = true): void {
    this.state.selected = sel;
    this.refreshDerived();
    this.rendered?.refreshMarks();
    this.problems.refresh(this.world, this.match, this.state.selected);
    if (sel && reveal) this.post({ type: 'reveal', kind: sel.kind, name: sel.name });
  }

  applyFilter(text: string): void {
    const { state, search } = this;
    if (text === state.filter) return;
    state.filter = text;
    if (search.value !== text) search.value = text;
    this.refreshDerived();
    this.rendered?.refreshMarks();
    this.problems.refresh(this.world, this.match, state.selected);
    this.persist();
  }

  private readonly render = (): void => {
    const { viewEl, view, data, world } = this;
    const key = this.focusKey();
    this.tooltip.hide();
    this.rendered?.destroy?.();
    viewEl.replaceChildren();
    viewEl.style.removeProperty('height');
    viewEl.dataset.view = view;
    for (const [v, b] of this.tabs) {
      b.setAttribute('aria-selected', String(v === view));
      b.tabIndex = v === view ? 0 : -1;
    }
    this.panel.setAttribute('aria-labelledby', `${this.id}-tab-${view}`);
    if (!data || !world) {
      this.rendered = null;
      viewEl.appendChild(this.el('p', 'topo-empty', 'Waiting for a placement…'));
      return;
    }
    const palette = readPalette(this.app);
    const measure = makeMeasure(this.doc, palette.font);
    const { width, height } = this.size();
    const known = this.known;
    this.renderedAt = known ? `${known.width}x${known.height}x${known.body}` : '';
    const shownData: UpdateMessage = { ...data, simulation: this.shown };
    const ctx: ViewContext = {
      host: viewEl, data: shownData, world, state: this.state, palette, tooltip: this.tooltip, post: this.post, width, height, measure,
      rerender: this.render,
      select: (sel) => this.select(sel),
      match: () => this.match,
      focus: () => this.focus,
    };
    this.rendered = RENDER[view](ctx);
    if (key) {
      const target = key[0] === 'class'
        ? viewEl.querySelector<HTMLElement>('.topo-chart')
        : Array.from(viewEl.querySelectorAll<HTMLElement>(`[${key[0]}]`)).find((e) => e.getAttribute(key[0]) === key[1]);
      target?.focus();
    }
  };

  showView(v: ViewId): void {
    if (v === this.view && this.rendered) return;
    this.view = v;
    this.options.onViewChange?.(v);
    this.persist();
    this.render();
  }

  handle(msg: unknown): boolean {
    const r = validateMessage(msg);
    if (!r.ok) {
      this.log(`ignored an invalid message: ${r.error}`);
      return false;
    }
    this.apply(r.value);
    return true;
  }

  private apply(msg: IncomingMessage): void {
    if (msg.type === 'highlight') {
      this.state.highlight = msg.container === '' ? null : msg.container;
      this.refreshDerived();
      this.rendered?.refreshMarks();
      return;
    }
    if (msg.type === 'stale') {
      if (!this.shown) return;
      this.stale = msg.reason;
      this.world = this.world ? { ...this.world, stale: this.stale } : this.world;
      this.renderStatus();
      this.render();
      return;
    }
    this.update(msg);
  }

  /** A new placement (and maybe simulation): the world, the pickers, the status, the problems, the view. */
  private update(msg: UpdateMessage): void {
    const { win, state, controls } = this;
    const t0 = win?.performance?.now();
    // Read the panel's width while the layout is clean (before this update changes the DOM).
    this.layoutBody();
    const data = this.data;
    const sameFile = data !== null && (data.source?.file ?? data.placement.file) === (msg.source?.file ?? msg.placement.file);
    // A new comparison ("Compare with HEAD") opens the changes view.
    const newChanges = msg.changes !== undefined && JSON.stringify(msg.changes) !== JSON.stringify(data?.changes);
    this.data = msg;
    if (newChanges && this.view !== 'changes') {
      this.view = 'changes';
      this.options.onViewChange?.('changes');
      this.persist();
    }
    if (msg.simulation) {
      this.shown = msg.simulation;
      this.stale = null;
    } else if (this.shown && sameFile) {
      // Keep the last simulation on screen until the next one arrives.
      this.stale = msg.reason ?? this.stale ?? 'the file changed since this simulation';
    } else {
      this.shown = null;
      this.stale = null;
    }
    const sim = msg.simulation;
    const world = (this.world = buildWorld({ placement: msg.placement, simulation: this.shown, facts: msg.facts ?? null, stale: this.stale, file: msg.source?.file ?? msg.facts?.file ?? msg.placement.file }));
    if (state.selected && !(state.selected.kind === 'container' ? world.containerIndex.has(state.selected.name) : world.nodeIndex.has(state.selected.name))) state.selected = null;
    fillScenarios(this.el, controls.scenarioSel, msg.scenarios);
    state.scenario = sim?.input.scenario ?? (state.scenario !== null && msg.scenarios.includes(state.scenario) ? state.scenario : null);
    controls.scenarioSel.value = state.scenario ?? '';
    controls.scenarioSel.title = state.scenario ?? 'the base deployment, no scenario';
    if (sim) controls.policySel.value = sim.input.policy;
    this.refreshDerived();
    this.renderStatus();
    this.problems.refresh(world, this.match, state.selected);
    this.render();
    if (t0 !== undefined && win?.performance?.mark) {
      win.performance.mark('topo-preview-rendered', { detail: { ms: win.performance.now() - t0 } });
    }
  }

  currentSvg(): string | null {
    return this.rendered?.exportSvg?.() ?? exportSvg(this.viewEl);
  }

  async exportPng(): Promise<string | null> {
    const svg = this.currentSvg();
    if (!svg) return null;
    try {
      return await svgToPng(svg, this.doc);
    } catch (e) {
      this.log(`PNG export failed: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }

  private schedule(): void {
    if (this.frame || !this.data) return;
    const raf = this.win?.requestAnimationFrame?.bind(this.win) ?? ((f: () => void) => setTimeout(f, 16));
    this.frame = Number(raf(() => {
      this.frame = 0;
      this.layoutBody();
      this.render();
    }));
  }

  destroy(): void {
    this.themeObserver?.disconnect();
    this.resizeObserver?.disconnect();
    this.rendered?.destroy?.();
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.root.replaceChildren();
  }
}
