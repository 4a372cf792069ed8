// The preview application: toolbar (view tabs, scenario and policy pickers, export), the
// current view, the tooltip; keeps zoom, pan, selection and toggles across updates.
import { readPalette, type Palette } from './colors';
import { bytes, count, percent1, seconds } from './format';
import { POLICIES, simulatedNothing, type IncomingMessage, type Policy, type Post, type UpdateMessage } from './messages';
import { createTooltip } from './tooltip';
import { validateMessage } from './validate';
import { exportSvg, svgToPng } from './export';
import type { RenderedView, ViewContext, ViewId, ViewState } from './views/context';
import { renderPlacement } from './views/placement';
import { renderTimeline } from './views/timeline';
import { renderHeatmap } from './views/heatmap';
import { renderCompare } from './views/compare';

export const VIEWS: readonly { id: ViewId; label: string }[] = [
  { id: 'placement', label: 'Placement' },
  { id: 'timeline', label: 'Locality over time' },
  { id: 'heatmap', label: 'Node heatmap' },
  { id: 'compare', label: 'Policy comparison' },
];

const RENDER: Record<ViewId, (ctx: ViewContext) => RenderedView> = {
  placement: renderPlacement,
  timeline: renderTimeline,
  heatmap: renderHeatmap,
  compare: renderCompare,
};

export interface PreviewOptions {
  readonly post: Post;
  /** Where rejected messages are reported (default console.warn). */
  readonly log?: (text: string) => void;
  readonly initialView?: ViewId;
  /** Called whenever the visible view changes (hosts persist it). */
  readonly onViewChange?: (view: ViewId) => void;
}

export interface Preview {
  /** Validates and applies a message; returns false (and logs) when it was rejected. */
  handle(msg: unknown): boolean;
  showView(view: ViewId): void;
  readonly view: ViewId;
  readonly state: ViewState;
  /** The element of the current view. */
  readonly viewElement: HTMLElement;
  /** Mode of the current view's heavy marks. */
  readonly mode: RenderedView['mode'] | null;
  exportSvg(): string | null;
  exportPng(): Promise<string | null>;
  destroy(): void;
}

let uid = 0;

export function createPreview(root: HTMLElement, options: PreviewOptions): Preview {
  const doc = root.ownerDocument;
  const win = doc.defaultView;
  const log = options.log ?? ((t: string) => console.warn(`[topo preview] ${t}`));
  const post: Post = (m) => options.post(m);
  const id = `topo${++uid}`;
  const state: ViewState = { zoom: new Map(), selected: null, highlight: null, perContainer: false, heatMetric: 'cpu', scenario: null };
  let view: ViewId = options.initialView ?? 'placement';
  let data: UpdateMessage | null = null;
  let rendered: RenderedView | null = null;
  let palette: Palette;

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] => {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

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
    const b = el('button', 'topo-tab', v.label);
    b.type = 'button';
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
  toolbar.appendChild(controls);
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
  const svgBtn = el('button', 'topo-button', 'Export SVG');
  svgBtn.type = 'button';
  const pngBtn = el('button', 'topo-button', 'Export PNG');
  pngBtn.type = 'button';
  controls.append(scenarioLabel, policyLabel, runBtn, svgBtn, pngBtn);

  const status = el('div', 'topo-status');
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  app.appendChild(status);
  const panel = el('div', 'topo-views');
  panel.id = `${id}-panel`;
  panel.setAttribute('role', 'tabpanel');
  app.appendChild(panel);
  const viewEl = el('div', 'topo-view');
  panel.appendChild(viewEl);
  const tooltip = createTooltip(panel);

  const simulate = (): void => {
    state.scenario = scenarioSel.value === '' ? null : scenarioSel.value;
    post({ type: 'simulate', scenario: state.scenario, policy: policySel.value as Policy });
    status.dataset.busy = 'true';
    summaryText('Simulating…');
  };
  runBtn.addEventListener('click', simulate);
  scenarioSel.addEventListener('change', simulate);
  policySel.addEventListener('change', simulate);
  svgBtn.addEventListener('click', () => {
    const svg = exportSvg(viewEl);
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
    const sim = data.simulation;
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
      const errors = sim.diagnostics.filter((d) => d.severity === 'error').length;
      if (sim.diagnostics.length) {
        const d = el('span', `topo-diag${errors ? ' error' : ''}`, `${sim.diagnostics.length} simulator diagnostic${sim.diagnostics.length === 1 ? '' : 's'}`);
        d.title = sim.diagnostics.map((x) => `${x.code} ${x.subject}: ${x.message}`).slice(0, 20).join('\n');
        status.appendChild(d);
      }
    } else {
      status.appendChild(el('span', 'topo-note', 'placement only (not simulated yet)'));
    }
    const unplaced = data.placement.targets.reduce((a, t) => a + t.unplaced.length, 0);
    if (unplaced) status.appendChild(el('span', 'topo-diag error', `${unplaced} replica${unplaced === 1 ? '' : 's'} fit nowhere`));
    const lost = data.placement.targets.filter((t) => !t.headroom.ok);
    if (lost.length) status.appendChild(el('span', 'topo-diag', `failure headroom short on ${lost.map((t) => t.target).join(', ')}`));
  }

  function size(): { width: number; height: number } {
    const w = panel.clientWidth || Number(root.dataset.width) || 960;
    const h = panel.clientHeight || Number(root.dataset.height) || 600;
    return { width: Math.max(320, w), height: Math.max(240, h) };
  }

  function focusKey(): [string, string] | null {
    const a = doc.activeElement;
    if (!a || !viewEl.contains(a)) return null;
    for (const k of ['data-name', 'data-ref', 'data-policy', 'data-index']) {
      const v = a.getAttribute(k);
      if (v !== null) return [k, v];
    }
    return a.classList.contains('topo-chart') ? ['class', 'topo-chart'] : null;
  }

  function render(): void {
    const key = focusKey();
    tooltip.hide();
    viewEl.replaceChildren();
    viewEl.dataset.view = view;
    for (const [v, b] of tabs) {
      b.setAttribute('aria-selected', String(v === view));
      b.tabIndex = v === view ? 0 : -1;
    }
    panel.setAttribute('aria-labelledby', `${id}-tab-${view}`);
    if (!data) {
      rendered = null;
      viewEl.appendChild(el('p', 'topo-empty', 'Waiting for a placement…'));
      return;
    }
    palette = readPalette(app);
    const { width, height } = size();
    const ctx: ViewContext = {
      host: viewEl, data, state, palette, tooltip, post, width, height,
      rerender: render,
      select: (sel) => {
        state.selected = sel;
        rendered?.refreshMarks();
        post({ type: 'reveal', kind: sel.kind, name: sel.name });
      },
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
    render();
  }

  function apply(msg: IncomingMessage): void {
    if (msg.type === 'highlight') {
      state.highlight = msg.container === '' ? null : msg.container;
      rendered?.refreshMarks();
      return;
    }
    data = msg;
    const sim = msg.simulation;
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
    if (sim) policySel.value = sim.input.policy;
    renderStatus();
    render();
  }

  async function doExportPng(): Promise<string | null> {
    const svg = exportSvg(viewEl);
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
      const s = `${panel.clientWidth}x${panel.clientHeight}`;
      if (s !== lastSize) {
        lastSize = s;
        schedule();
      }
    })
    : null;
  resizeObserver?.observe(panel);

  summaryText('Waiting for a result…');
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
    get view() {
      return view;
    },
    state,
    viewElement: viewEl,
    get mode() {
      return rendered?.mode ?? null;
    },
    exportSvg: () => exportSvg(viewEl),
    exportPng: doExportPng,
    destroy() {
      themeObserver?.disconnect();
      resizeObserver?.disconnect();
      root.replaceChildren();
    },
  };
}
