// The table: nodes or containers with their numbers, sortable by any column, filtered by the
// search box, exportable as CSV. Rows are drawn only where the scroll position shows them.
import { bytes, cores, percent } from '../format';
import { withError } from '../describe';
import type { Problem, WContainer, WNode, World } from '../world';
import type { RenderedView, ViewContext } from './context';

export const ROW_H = 24;
/** Rows drawn beyond the visible ones, each way. */
const OVERSCAN = 12;

type Value = number | string | null;

export interface Column<R> {
  readonly id: string;
  readonly label: string;
  /** The header's tooltip: what and in which unit. */
  readonly title: string;
  readonly numeric: boolean;
  /** What sorts. */
  value(r: R): Value;
  /** What is shown. */
  text(r: R): string;
  /** CSV: the raw values (cores, bytes, fractions), one or more cells. */
  readonly csv: readonly { readonly header: string; value(r: R): Value }[];
  /** Renders a pressure bar in the cell. */
  readonly bar?: (r: R) => number | null;
}

const num = (v: number | null | undefined): Value => (v === undefined || v === null ? null : v);
const coresText = (v: number | null | undefined): string => (v === undefined || v === null ? '–' : cores(Math.round(v * 10) / 10));
const bytesText = (v: number | null | undefined): string => (v === undefined || v === null ? '–' : bytes(v));

function problemsOf(w: World): { node: Map<string, Problem[]>; container: Map<string, Problem[]> } {
  const node = new Map<string, Problem[]>();
  const container = new Map<string, Problem[]>();
  for (const p of w.problems) {
    if (p.severity === 'pressure') continue;
    if (p.container) (container.get(p.container) ?? container.set(p.container, []).get(p.container)!).push(p);
    else if (p.node) (node.get(p.node) ?? node.set(p.node, []).get(p.node)!).push(p);
  }
  return { node, container };
}

const problemsText = (ps: readonly Problem[] | undefined): string => (ps?.length ? [...new Set(ps.map((p) => p.code ?? p.severity))].join(' ') : '');

export function nodeColumns(w: World): Column<WNode>[] {
  const probs = problemsOf(w).node;
  const col = (id: string, label: string, title: string, get: (n: WNode) => number | null | undefined, fmt: (v: number | null | undefined) => string, header: string): Column<WNode> => ({
    id, label, title, numeric: true, value: (n) => num(get(n)), text: (n) => fmt(get(n)), csv: [{ header, value: (n) => num(get(n)) }],
  });
  return [
    { id: 'node', label: 'Node', title: 'RACK.NODE', numeric: false, value: (n) => n.ref, text: (n) => n.ref, csv: [{ header: 'node', value: (n) => n.ref }] },
    { id: 'target', label: 'Target', title: 'The SDS or rack/node set it serves', numeric: false, value: (n) => n.sds ?? n.target, text: (n) => `${n.sds ? 'SDS ' : ''}${n.sds ?? n.target ?? '–'}${n.spare ? ' (spare)' : ''}${n.failed ? ' (failed)' : ''}`, csv: [{ header: 'target', value: (n) => n.sds ?? n.target }, { header: 'role', value: (n) => (n.failed ? 'failed' : n.spare ? 'spare' : 'active') }] },
    {
      id: 'pressure', label: 'Pressure', title: 'The largest of: CPU or memory used (simulation), CPU or memory requested of the allowance', numeric: true,
      // Ties (many nodes at 100%) in the order of the problems list: the other shares decide.
      value: (n) => n.pressure + n.load * 1e-9, text: (n) => percent(n.pressure), csv: [{ header: 'pressure', value: (n) => n.pressure }, { header: 'pressure_what', value: (n) => n.pressureText }], bar: (n) => n.pressure,
    },
    col('cpuReq', 'CPU req', 'CPU requested by the replicas placed here, cores (an SDS: the simulator places them)', (n) => n.requested?.cpu, coresText, 'cpu_requested_cores'),
    col('cpuLim', 'CPU lim', 'CPU limits of the replicas placed here, cores', (n) => n.limited?.cpu, coresText, 'cpu_limited_cores'),
    col('cpuAllow', 'CPU allow', 'Cores x CPU oversubscription', (n) => n.allowance?.cpu, coresText, 'cpu_allowance_cores'),
    col('cpuUsed', 'CPU used', 'Cores busy in the simulation', (n) => n.used?.cpu, coresText, 'cpu_used_cores'),
    col('memReq', 'Mem req', 'Memory requested by the replicas placed here', (n) => n.requested?.memory, bytesText, 'memory_requested_bytes'),
    col('memLim', 'Mem lim', 'Memory limits of the replicas placed here', (n) => n.limited?.memory, bytesText, 'memory_limited_bytes'),
    col('memAllow', 'Mem allow', 'Memory x memory oversubscription', (n) => n.allowance?.memory, bytesText, 'memory_allowance_bytes'),
    col('memUsed', 'Mem used', 'Memory in use in the simulation', (n) => n.used?.memory, bytesText, 'memory_used_bytes'),
    col('cores', 'Cores', 'Cores of the node', (n) => n.capacity.cpu, coresText, 'cores'),
    col('memory', 'Memory', 'Memory of the node', (n) => n.capacity.memory, bytesText, 'memory_bytes'),
    { id: 'containers', label: 'Containers', title: 'Containers with a replica or a share of memory here', numeric: true, value: (n) => n.containers.length, text: (n) => String(n.containers.length), csv: [{ header: 'containers', value: (n) => n.containers.length }] },
    { id: 'problems', label: 'Problems', title: 'Diagnostics about the node', numeric: false, value: (n) => problemsText(probs.get(n.ref)), text: (n) => problemsText(probs.get(n.ref)), csv: [{ header: 'problems', value: (n) => problemsText(probs.get(n.ref)) }] },
  ];
}

export function containerColumns(w: World): Column<WContainer>[] {
  const probs = problemsOf(w).container;
  const total = (c: WContainer, f: (x: { cpu: number; memory: number }) => number, of: 'request' | 'limit'): number | null => (c[of] ? f(c[of]!) * c.replicas : null);
  return [
    { id: 'container', label: 'Container', title: 'Name', numeric: false, value: (c) => c.name, text: (c) => c.name, csv: [{ header: 'container', value: (c) => c.name }] },
    { id: 'image', label: 'Image', title: 'image', numeric: false, value: (c) => c.image, text: (c) => c.image ?? '–', csv: [{ header: 'image', value: (c) => c.image }] },
    { id: 'target', label: 'Target', title: 'place on', numeric: false, value: (c) => c.target, text: (c) => c.target ?? '–', csv: [{ header: 'target', value: (c) => c.target }] },
    { id: 'replicas', label: 'Replicas', title: 'Replicas (unplaced ones in parentheses)', numeric: true, value: (c) => c.replicas, text: (c) => `${c.replicas}${c.unplaced ? ` (${c.unplaced} unplaced)` : ''}`, csv: [{ header: 'replicas', value: (c) => c.replicas }, { header: 'unplaced', value: (c) => c.unplaced }] },
    {
      id: 'locality', label: 'Locality', title: 'Predicted share of local memory accesses, steady state (± 95% interval when the simulator gives one)', numeric: true,
      value: (c) => c.locality, text: (c) => withError(c.locality, c.localityError, percent, (e) => (e * 100).toFixed(1)),
      csv: [{ header: 'locality', value: (c) => c.locality }, { header: 'locality_error', value: (c) => c.localityError }],
    },
    {
      id: 'slowdown', label: 'Slowdown', title: '(compute + stall) / compute, steady state (± 95% interval)', numeric: true,
      value: (c) => c.slowdown, text: (c) => withError(c.slowdown, c.slowdownError, (s) => `${s.toFixed(2)}×`, (e) => e.toFixed(2)),
      csv: [{ header: 'slowdown', value: (c) => c.slowdown }, { header: 'slowdown_error', value: (c) => c.slowdownError }],
    },
    { id: 'cpuReq', label: 'CPU req', title: 'CPU requested, all replicas, cores', numeric: true, value: (c) => total(c, (x) => x.cpu, 'request'), text: (c) => coresText(total(c, (x) => x.cpu, 'request')), csv: [{ header: 'cpu_request_cores_per_replica', value: (c) => c.request?.cpu ?? null }, { header: 'cpu_requested_cores', value: (c) => total(c, (x) => x.cpu, 'request') }] },
    { id: 'cpuLim', label: 'CPU lim', title: 'CPU limits, all replicas, cores', numeric: true, value: (c) => total(c, (x) => x.cpu, 'limit'), text: (c) => coresText(total(c, (x) => x.cpu, 'limit')), csv: [{ header: 'cpu_limit_cores_per_replica', value: (c) => c.limit?.cpu ?? null }, { header: 'cpu_limited_cores', value: (c) => total(c, (x) => x.cpu, 'limit') }] },
    { id: 'memReq', label: 'Mem req', title: 'Memory requested, all replicas', numeric: true, value: (c) => total(c, (x) => x.memory, 'request'), text: (c) => bytesText(total(c, (x) => x.memory, 'request')), csv: [{ header: 'memory_request_bytes_per_replica', value: (c) => c.request?.memory ?? null }, { header: 'memory_requested_bytes', value: (c) => total(c, (x) => x.memory, 'request') }] },
    { id: 'memLim', label: 'Mem lim', title: 'Memory limits, all replicas', numeric: true, value: (c) => total(c, (x) => x.memory, 'limit'), text: (c) => bytesText(total(c, (x) => x.memory, 'limit')), csv: [{ header: 'memory_limit_bytes_per_replica', value: (c) => c.limit?.memory ?? null }, { header: 'memory_limited_bytes', value: (c) => total(c, (x) => x.memory, 'limit') }] },
    { id: 'memUsed', label: 'Memory', title: 'Memory of all its replicas in the simulation', numeric: true, value: (c) => (w.simulated ? c.memory : null), text: (c) => (w.simulated ? bytesText(c.memory) : '–'), csv: [{ header: 'memory_used_bytes', value: (c) => (w.simulated ? c.memory : null) }] },
    {
      id: 'nodes', label: 'Nodes', title: 'Where it is: replicas per node, or shares of its memory', numeric: false,
      value: (c) => c.presence[0]?.node ?? null,
      text: (c) => c.presence.slice(0, 3).map((p) => (p.replicas ? `${p.node}${p.replicas > 1 ? ` ×${p.replicas}` : ''}` : `${p.node} ${percent(p.memory)}`)).join(', ') + (c.presence.length > 3 ? ', …' : ''),
      csv: [{ header: 'nodes', value: (c) => c.presence.map((p) => (p.replicas ? `${p.node}*${p.replicas}` : `${p.node}:${p.memory}`)).join(' ') }],
    },
    { id: 'problems', label: 'Problems', title: 'Diagnostics about the container', numeric: false, value: (c) => problemsText(probs.get(c.name)), text: (c) => problemsText(probs.get(c.name)), csv: [{ header: 'problems', value: (c) => problemsText(probs.get(c.name)) }] },
  ];
}

function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null || a === '') return 1;
  if (b === null || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

export function sortRows<R>(rows: readonly R[], col: Column<R>, descending: boolean): R[] {
  // Empty cells stay last either way; ties keep their order.
  return rows.map((r, i) => [r, col.value(r), i] as const).sort(([, a, i], [, b, j]) => {
    const empty = (v: Value): boolean => v === null || v === '';
    if (empty(a) !== empty(b)) return empty(a) ? 1 : -1;
    const c = compare(a, b);
    return (descending ? -c : c) || i - j;
  }).map(([r]) => r);
}

/** One CSV field: quoted when needed; a text a spreadsheet would take for a formula is prefixed with '. */
export function csvField(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  // eslint-disable-next-line no-control-regex
  let s = v.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<R>(rows: readonly R[], cols: readonly Column<R>[]): string {
  const cells = cols.flatMap((c) => c.csv);
  const lines = [cells.map((c) => csvField(c.header)).join(',')];
  for (const r of rows) lines.push(cells.map((c) => csvField(c.value(r))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

type El = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => HTMLElementTagNameMap[K];

function elementMaker(doc: Document): El {
  return (tag, cls, text) => {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
}

/** Nodes | Containers, the count, Export CSV. */
function viewBar(ctx: ViewContext, el: El, kind: 'nodes' | 'containers'): { bar: HTMLElement; countEl: HTMLElement; csvBtn: HTMLButtonElement } {
  const { state } = ctx;
  const bar = el('div', 'topo-viewbar');
  bar.setAttribute('role', 'radiogroup');
  bar.setAttribute('aria-label', 'Table rows');
  for (const [k, label] of [['nodes', 'Nodes'], ['containers', 'Containers']] as const) {
    const b = el('button', 'topo-button', label);
    b.type = 'button';
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', String(kind === k));
    b.addEventListener('click', () => {
      if (state.table.kind === k) return;
      state.table.kind = k;
      ctx.rerender();
    });
    bar.appendChild(b);
  }
  const countEl = el('span', 'topo-note');
  const csvBtn = el('button', 'topo-button', 'Export CSV');
  csvBtn.type = 'button';
  csvBtn.title = 'The rows shown (filtered, sorted), with raw numbers: cores, bytes, fractions';
  bar.append(countEl, csvBtn);
  return { bar, countEl, csvBtn };
}

/** The header: a sort button per column, the sorted one marked. */
function headerRow<R>(ctx: ViewContext, el: El, cols: readonly Column<R>[], sortCol: Column<R>, kind: 'nodes' | 'containers'): HTMLTableRowElement {
  const { state } = ctx;
  const sortState = state.table.sort[kind];
  const tr = el('tr');
  cols.forEach((c, i) => {
    const th = el('th', c.numeric ? 'num' : undefined);
    th.scope = 'col';
    th.setAttribute('aria-colindex', String(i + 1));
    const b = el('button', 'topo-th', c.label);
    b.type = 'button';
    b.dataset.column = c.id;
    b.title = `${c.title}. Click to sort.`;
    const sorted = c.id === sortCol.id;
    th.setAttribute('aria-sort', sorted ? (sortState.descending ? 'descending' : 'ascending') : 'none');
    if (sorted) b.appendChild(el('span', 'topo-sort', sortState.descending ? ' ▼' : ' ▲'));
    b.addEventListener('click', () => {
      const same = state.table.sort[kind].column === c.id;
      state.table.sort[kind] = { column: c.id, descending: same ? !state.table.sort[kind].descending : c.numeric };
      ctx.rerender();
    });
    th.appendChild(b);
    tr.appendChild(th);
  });
  return tr;
}

/** Row `i` of the sorted rows: a cell per column (pressure bars where the column has one). */
function bodyRow<R>(doc: Document, el: El, r: R, cols: readonly Column<R>[], i: number, key: string, selected: boolean, selectRow: () => void): HTMLTableRowElement {
  const row = el('tr', selected ? 'selected' : undefined);
  row.dataset.row = key;
  row.setAttribute('aria-rowindex', String(i + 2));
  row.tabIndex = -1;
  for (const c of cols) {
    const td = el('td', c.numeric ? 'num' : undefined);
    const text = c.text(r);
    if (c.bar) {
      const f = c.bar(r);
      if (f !== null) {
        const b = el('span', 'topo-pressure');
        const fill = el('span', `topo-pressure-fill${f > 1 + 1e-9 ? ' over' : f > 0.9 ? ' high' : ''}`);
        fill.style.width = `${Math.round(Math.min(1, f) * 100)}%`;
        b.appendChild(fill);
        td.appendChild(b);
      }
    }
    td.appendChild(doc.createTextNode(text));
    if (!c.numeric && text.length > 24) td.title = text;
    row.appendChild(td);
  }
  row.addEventListener('click', () => selectRow());
  row.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      selectRow();
    }
  });
  return row;
}

export function renderTable(ctx: ViewContext): RenderedView {
  const { host, world, state, width, height } = ctx;
  const doc = host.ownerDocument;
  const el = elementMaker(doc);
  const kind = state.table.kind;
  const { bar, countEl, csvBtn } = viewBar(ctx, el, kind);
  host.appendChild(bar);

  const scroll = el('div', 'topo-table-scroll');
  scroll.tabIndex = 0;
  scroll.setAttribute('aria-label', `${kind === 'nodes' ? 'Nodes' : 'Containers'} table`);
  host.appendChild(scroll);
  const viewH = Math.max(160, height - 44);
  scroll.style.height = `${viewH}px`;
  scroll.style.maxWidth = `${width}px`;
  const table = el('table', 'topo-table');
  table.setAttribute('role', 'grid');
  scroll.appendChild(table);
  const thead = el('thead');
  const tbody = el('tbody');
  table.append(thead, tbody);

  const draw = <R>(cols: Column<R>[], all: readonly R[], keyOf: (r: R) => string, shown: (r: R) => boolean, selectRow: (r: R) => void, isSelected: (r: R) => boolean): void => {
    const sortState = state.table.sort[kind];
    const sortCol = cols.find((c) => c.id === sortState.column) ?? cols[0]!;
    const rows = sortRows(all.filter(shown), sortCol, sortState.descending);
    countEl.textContent = rows.length === all.length ? `${all.length} ${kind}` : `${rows.length} of ${all.length} ${kind} (filtered)`;
    table.setAttribute('aria-rowcount', String(rows.length + 1));
    thead.replaceChildren(headerRow(ctx, el, cols, sortCol, kind));

    let first = -1;
    let last = -1;
    const paintRows = (): void => {
      const top = scroll.scrollTop;
      const from = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
      const to = Math.min(rows.length, Math.ceil((top + viewH) / ROW_H) + OVERSCAN);
      if (from === first && to === last) return;
      first = from;
      last = to;
      const frag = doc.createDocumentFragment();
      const spacer = (h: number): HTMLTableRowElement => {
        const s = el('tr', 'topo-spacer');
        s.setAttribute('aria-hidden', 'true');
        const td = el('td');
        td.colSpan = cols.length;
        td.style.height = `${h}px`;
        s.appendChild(td);
        return s;
      };
      if (from > 0) frag.appendChild(spacer(from * ROW_H));
      for (let i = from; i < to; i++) {
        const r = rows[i]!;
        frag.appendChild(bodyRow(doc, el, r, cols, i, keyOf(r), isSelected(r), () => selectRow(r)));
      }
      if (to < rows.length) frag.appendChild(spacer((rows.length - to) * ROW_H));
      tbody.replaceChildren(frag);
    };
    onScroll = paintRows;
    paintRows();
    repaint = () => { first = -1; paintRows(); };
    csvBtn.onclick = () => ctx.post({ type: 'export', format: 'csv', data: toCsv(rows, cols) });
  };

  let repaint = (): void => {};
  let onScroll = (): void => {};
  let pending = 0;
  const win = doc.defaultView;
  scroll.addEventListener('scroll', () => {
    if (pending) return;
    const raf = win?.requestAnimationFrame?.bind(win);
    if (raf) pending = raf(() => { pending = 0; onScroll(); });
    else onScroll();
  });
  const rebuild = (): void => {
    const match = ctx.match();
    if (kind === 'nodes') {
      draw(nodeColumns(world), world.nodes.filter((n) => n.kind === 'node'), (n) => n.ref, (n) => !match.nodes || match.nodes.has(n.ref),
        (n) => ctx.select({ kind: 'node', name: n.ref }), (n) => state.selected?.kind === 'node' && state.selected.name === n.ref);
    } else {
      draw(containerColumns(world), world.containers, (c) => c.name, (c) => !match.containers || match.containers.has(c.name),
        (c) => ctx.select({ kind: 'container', name: c.name }), (c) => state.selected?.kind === 'container' && state.selected.name === c.name);
    }
  };
  rebuild();
  let lastMatch = ctx.match();
  return {
    mode: 'svg',
    refreshMarks() {
      // A new filter rebuilds the rows; a new selection only repaints them.
      const m = ctx.match();
      if (m !== lastMatch) {
        lastMatch = m;
        scroll.scrollTop = 0;
        rebuild();
      } else repaint();
    },
  };
}
