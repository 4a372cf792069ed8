// The preview application: toolbar (view tabs, search box, scenario and policy pickers, export),
// the status line, the current view, the problems list, the tooltip. Keeps zoom, pan, selection,
// the filter and toggles across updates, and the last simulation across edits (marked stale).
import { readPalette, type Palette } from './colors';
import { bytes, count, percent1, seconds } from './format';
import { POLICIES, simulatedNothing, type IncomingMessage, type Policy, type Post, type UpdateMessage, type SimulationResult } from './messages';
import { createTooltip } from './tooltip';
import { validateMessage } from './validate';
import { exportSvg, svgToPng } from './export';
import { makeMeasure, type Measure } from './paint';
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

/** `short`: the tab's text (a side panel has little room); `label`: its accessible name. */
export const VIEWS: readonly { id: ViewId; label: string; short: string }[] = [
  { id: 'placement', label: 'Placement', short: 'Placement' },
  { id: 'table', label: 'Table', short: 'Table' },
  { id: 'timeline', label: 'Locality over time', short: 'Locality' },
  { id: 'heatmap', label: 'Node heatmap', short: 'Heatmap' },
  { id: 'compare', label: 'Policy comparison', short: 'Policies' },
];

const RENDER: Record<ViewId, (ctx: ViewContext) => RenderedView> = {
  placement: renderPlacement,
  table: renderTable,
  timeline: renderTimeline,
  heatmap: renderHeatmap,
  compare: renderCompare,
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

export function createPreview(root: HTMLElement, options: PreviewOptions): Preview {
  const doc = root.ownerDocument;
  const win = doc.defaultView;
  const log = options.log ?? ((t: string) => console.warn(`[topo preview] ${t}`));
  const post: Post = (m) => options.post(m);
  const id = `topo${++uid}`;
  const state: ViewState = {
    zoom: new Map(), userZoom: false, selected: null, highlight: null, perContainer: false, heatMetric: 'cpu', scenario: null,
    filter: options.initialFilter ?? '', layout: null,
    table: { kind: 'nodes', sort: { nodes: { column: 'pressure', descending: true }, containers: { column: 'locality', descending: false } } },
  };
  let view: ViewId = options.initialView ?? 'placement';
  let data: UpdateMessage | null = null;
  /** The simulation on screen: the latest, or the one before when the latest update had none. */
  let shown: SimulationResult | null = null;
  let stale: string | null = null;
  let world: World | null = null;
  let rendered: RenderedView | null = null;
  let palette: Palette;
  let measure: Measure = makeMeasure(doc, 'sans-serif');
  let problemsOpen = options.initialProblems ?? true;
  let match: Match = NO_MATCH_FILTER;
  let focus: Focus | null = null;

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] => {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const persist = (): void => options.onStateChange?.({ view, filter: state.filter, problems: problemsOpen });

  root.replaceChildren();
  const app = el('div', 'topo-preview');
  root.appendChild(app);
  const toolbar = el('div', 'topo-toolbar');
  app.appendChild(toolbar);
  const tablist = el('div', 'topo-tabs');
  tablist.setAttribute('role', 'tablist');
  tablist.setAttribute('aria-label', 'Preview views');
  toolbar.appendChild(tablist);
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
    b.addEventListener('click', () => showView(v.id));
    tablist.appendChild(b);
    tabs.set(v.id, b);
  }
  tablist.addEventListener('keydown', (e) => {
    const i = VIEWS.findIndex((v) => v.id === view);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? VIEWS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const v = VIEWS[(next + VIEWS.length) % VIEWS.length]!.id;
    showView(v);
    tabs.get(v)!.focus();
  });

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

  // ---- search
  const searchRow = el('div', 'topo-searchrow');
  app.appendChild(searchRow);
  const search = el('input', 'topo-search');
  search.type = 'search';
  search.placeholder = 'Filter: container, node, image…  (image:redis, node:r1.n3)';
  search.setAttribute('aria-label', 'Filter containers and nodes');
  search.title = `Words match any of: ${FIELDS.map((f) => `${f.id} (${f.help})`).join(', ')}. field:word asks one; all words must match.`;
  search.spellcheck = false;
  search.value = state.filter;
  const searchInfo = el('span', 'topo-search-info');
  searchInfo.setAttribute('aria-live', 'polite');
  searchRow.append(search, searchInfo, controls);
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    if (searchTimer) clearTimeout(searchTimer);
    // Large files: a few keystrokes per filter, not one each.
    const delay = (world?.containers.length ?? 0) > 500 ? 120 : 0;
    searchTimer = setTimeout(() => applyFilter(search.value), delay);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && search.value) {
      e.preventDefault();
      search.value = '';
      applyFilter('');
    }
  });

  const status = el('div', 'topo-status');
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  app.appendChild(status);
  const body = el('div', 'topo-body');
  app.appendChild(body);
  const panel = el('div', 'topo-views');
  panel.id = `${id}-panel`;
  panel.setAttribute('role', 'tabpanel');
  const viewEl = el('div', 'topo-view');
  panel.appendChild(viewEl);
  const problems = createProblems(doc, {
    open: problemsOpen,
    onToggle: (open) => {
      problemsOpen = open;
      persist();
      layoutBody();
      schedule();
    },
    onFocus: (p) => {
      if (p.container) select({ kind: 'container', name: p.container }, false);
      else if (p.node && world?.nodeIndex.get(p.node)?.kind === 'node') select({ kind: 'node', name: p.node }, false);
      if (view !== 'placement') showView('placement');
      if (p.container) rendered?.showContainer?.(p.container);
      else if (p.node) rendered?.showNode?.(p.node);
    },
    onReveal: (p) => {
      if (p.line) post({ type: 'revealLine', line: p.line.line, character: p.line.character });
      else if (p.subject.kind === 'container' || p.subject.kind === 'node' || p.subject.kind === 'sds' || p.subject.kind === 'rack') post({ type: 'reveal', kind: p.subject.kind, name: p.subject.name });
      else if (p.subject.kind === 'target') post({ type: 'reveal', kind: world?.sdsSummaries.has(p.subject.name) ? 'sds' : 'rack', name: p.subject.name });
    },
  });
  body.append(panel, problems.element);
  const tooltip = createTooltip(panel);

  const simulate = (): void => {
    state.scenario = scenarioSel.value === '' ? null : scenarioSel.value;
    scenarioSel.title = state.scenario ?? 'the base deployment, no scenario';
    post({ type: 'simulate', scenario: state.scenario, policy: policySel.value as Policy });
    status.dataset.busy = 'true';
    summaryText('Simulating…');
  };
  runBtn.addEventListener('click', simulate);
  scenarioSel.addEventListener('change', simulate);
  policySel.addEventListener('change', simulate);
  svgBtn.addEventListener('click', () => {
    const svg = currentSvg();
    if (svg) post({ type: 'export', format: 'svg', data: svg });
  });
  pngBtn.addEventListener('click', () => {
    void doExportPng().then((png) => {
      if (png) post({ type: 'export', format: 'png', data: png });
    });
  });

  function summaryText(text: string): void {
    status.replaceChildren();
    status.appendChild(el('span', 'topo-summary', text));
  }

  function renderStatus(): void {
    delete status.dataset.busy;
    status.replaceChildren();
    if (!data) return summaryText('Waiting for a result…');
    const sim = shown;
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

  /** The sizes the resize observer saw last (null before it reported). */
  let known: { width: number; height: number; body: number } | null = null;
  /** The sizes the view was last rendered at (`WxHxB`). */
  let renderedAt = '';

  function size(): { width: number; height: number } {
    const w = known?.width || panel.clientWidth || Number(root.dataset.width) || 960;
    const h = known?.height || panel.clientHeight || Number(root.dataset.height) || 600;
    return { width: Math.max(320, w), height: Math.max(240, h) };
  }

  function layoutBody(): void {
    const w = known?.body || body.clientWidth || Number(root.dataset.width) || 960;
    const side = w >= SIDE_MIN_WIDTH;
    body.classList.toggle('side', side);
    problems.element.classList.toggle('side', side);
    if (side) problems.element.style.width = `${SIDE_WIDTH}px`;
    else problems.element.style.removeProperty('width');
  }

  function focusKey(): [string, string] | null {
    const a = doc.activeElement;
    if (!a || !viewEl.contains(a)) return null;
    for (const k of ['data-name', 'data-ref', 'data-policy', 'data-index', 'data-column', 'data-row']) {
      const v = a.getAttribute(k);
      if (v !== null) return [k, v];
    }
    return a.classList.contains('topo-chart') ? ['class', 'topo-chart'] : null;
  }

  function refreshDerived(): void {
    match = world ? applyQuery(parseQuery(state.filter), world) : NO_MATCH_FILTER;
    const name = state.selected?.kind === 'container' ? state.selected.name : state.highlight;
    focus = world && name ? focusOn(world, name) : null;
    const q = parseQuery(state.filter);
    if (!world || q.terms.length === 0) searchInfo.textContent = '';
    else {
      const unknown = q.unknown.length ? ` · no field ${q.unknown.map((u) => `"${u}:"`).join(', ')} (fields: ${FIELDS.map((f) => f.id).join(', ')})` : '';
      const n = match.nodes?.size ?? 0;
      searchInfo.textContent = `${match.containers?.size ?? 0} of ${world.containers.length} containers, ${n} node${n === 1 ? '' : 's'}${unknown}`;
    }
  }

  function select(sel: Selection | null, reveal = true): void {
    state.selected = sel;
    refreshDerived();
    rendered?.refreshMarks();
    problems.refresh(world, match, state.selected);
    if (sel && reveal) post({ type: 'reveal', kind: sel.kind, name: sel.name });
  }

  function applyFilter(text: string): void {
    if (text === state.filter) return;
    state.filter = text;
    if (search.value !== text) search.value = text;
    refreshDerived();
    rendered?.refreshMarks();
    problems.refresh(world, match, state.selected);
    persist();
  }

  function render(): void {
    const key = focusKey();
    tooltip.hide();
    rendered?.destroy?.();
    viewEl.replaceChildren();
    viewEl.style.removeProperty('height');
    viewEl.dataset.view = view;
    for (const [v, b] of tabs) {
      b.setAttribute('aria-selected', String(v === view));
      b.tabIndex = v === view ? 0 : -1;
    }
    panel.setAttribute('aria-labelledby', `${id}-tab-${view}`);
    if (!data || !world) {
      rendered = null;
      viewEl.appendChild(el('p', 'topo-empty', 'Waiting for a placement…'));
      return;
    }
    palette = readPalette(app);
    measure = makeMeasure(doc, palette.font);
    const { width, height } = size();
    renderedAt = known ? `${known.width}x${known.height}x${known.body}` : '';
    const shownData: UpdateMessage = { ...data, simulation: shown };
    const ctx: ViewContext = {
      host: viewEl, data: shownData, world, state, palette, tooltip, post, width, height, measure,
      rerender: render,
      select: (sel) => select(sel),
      match: () => match,
      focus: () => focus,
    };
    rendered = RENDER[view](ctx);
    if (key) {
      const target = key[0] === 'class'
        ? viewEl.querySelector<HTMLElement>('.topo-chart')
        : Array.from(viewEl.querySelectorAll<HTMLElement>(`[${key[0]}]`)).find((e) => e.getAttribute(key[0]) === key[1]);
      target?.focus();
    }
  }

  function showView(v: ViewId): void {
    if (v === view && rendered) return;
    view = v;
    options.onViewChange?.(v);
    persist();
    render();
  }

  function apply(msg: IncomingMessage): void {
    if (msg.type === 'highlight') {
      state.highlight = msg.container === '' ? null : msg.container;
      refreshDerived();
      rendered?.refreshMarks();
      return;
    }
    if (msg.type === 'stale') {
      if (!shown) return;
      stale = msg.reason;
      world = world ? { ...world, stale } : world;
      renderStatus();
      render();
      return;
    }
    const t0 = win?.performance?.now();
    // Read the panel's width while the layout is clean (before this update changes the DOM).
    layoutBody();
    const sameFile = data !== null && (data.source?.file ?? data.placement.file) === (msg.source?.file ?? msg.placement.file);
    data = msg;
    if (msg.simulation) {
      shown = msg.simulation;
      stale = null;
    } else if (shown && sameFile) {
      // Keep the last simulation on screen until the next one arrives.
      stale = msg.reason ?? stale ?? 'the file changed since this simulation';
    } else {
      shown = null;
      stale = null;
    }
    const sim = msg.simulation;
    world = buildWorld({ placement: msg.placement, simulation: shown, facts: msg.facts ?? null, stale, file: msg.source?.file ?? msg.facts?.file ?? msg.placement.file });
    if (state.selected && !(state.selected.kind === 'container' ? world.containerIndex.has(state.selected.name) : world.nodeIndex.has(state.selected.name))) state.selected = null;
    scenarioSel.replaceChildren();
    const none = el('option', undefined, '(none)');
    none.value = '';
    scenarioSel.appendChild(none);
    for (const s of msg.scenarios) {
      const o = el('option', undefined, s);
      o.value = s;
      scenarioSel.appendChild(o);
    }
    state.scenario = sim?.input.scenario ?? (state.scenario !== null && msg.scenarios.includes(state.scenario) ? state.scenario : null);
    scenarioSel.value = state.scenario ?? '';
    scenarioSel.title = state.scenario ?? 'the base deployment, no scenario';
    if (sim) policySel.value = sim.input.policy;
    refreshDerived();
    renderStatus();
    problems.refresh(world, match, state.selected);
    render();
    if (t0 !== undefined && win?.performance?.mark) {
      win.performance.mark('topo-preview-rendered', { detail: { ms: win.performance.now() - t0 } });
    }
  }

  function currentSvg(): string | null {
    return rendered?.exportSvg?.() ?? exportSvg(viewEl);
  }

  async function doExportPng(): Promise<string | null> {
    const svg = currentSvg();
    if (!svg) return null;
    try {
      return await svgToPng(svg, doc);
    } catch (e) {
      log(`PNG export failed: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }

  // Repaint on theme changes (VS Code swaps body classes) and on resize.
  let frame = 0;
  const schedule = (): void => {
    if (frame || !data) return;
    const raf = win?.requestAnimationFrame?.bind(win) ?? ((f: () => void) => setTimeout(f, 16));
    frame = Number(raf(() => {
      frame = 0;
      layoutBody();
      render();
    }));
  };
  const MO = win?.MutationObserver;
  const themeObserver = MO ? new MO(schedule) : null;
  themeObserver?.observe(doc.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  const RO = (win as (Window & { ResizeObserver?: typeof ResizeObserver }) | null)?.ResizeObserver;
  let lastSize = '';
  const resizeObserver = RO
    ? new RO(() => {
      // Read here, where the layout is done: renders use these instead of forcing one.
      known = { width: panel.clientWidth, height: panel.clientHeight, body: body.clientWidth };
      const s = `${known.width}x${known.height}x${known.body}`;
      if (s !== lastSize) {
        const first = lastSize === '';
        lastSize = s;
        if (!first || !data) schedule();
        else if (s !== renderedAt) schedule();
      }
    })
    : null;
  resizeObserver?.observe(panel);
  resizeObserver?.observe(body);

  summaryText('Waiting for a result…');
  layoutBody();
  render();

  return {
    handle(msg: unknown): boolean {
      const r = validateMessage(msg);
      if (!r.ok) {
        log(`ignored an invalid message: ${r.error}`);
        return false;
      }
      apply(r.value);
      return true;
    },
    showView,
    setFilter: (text) => applyFilter(text.slice(0, 200)),
    select: (sel) => select(sel, false),
    get view() {
      return view;
    },
    state,
    get world() {
      return world;
    },
    viewElement: viewEl,
    get rendered() {
      return rendered;
    },
    get mode() {
      return rendered?.mode ?? null;
    },
    exportSvg: currentSvg,
    exportPng: doExportPng,
    destroy() {
      themeObserver?.disconnect();
      resizeObserver?.disconnect();
      rendered?.destroy?.();
      if (searchTimer) clearTimeout(searchTimer);
      root.replaceChildren();
    },
  };
}
