// What a change does ("Topo: Compare with HEAD", `topo diff`): per target its nodes, capacity and
// requests before → after; diagnostics gained and lost; replicas that move (container, replica,
// from → to); per container the predicted locality and slowdown before → after, "no change" when
// the difference is inside the simulator's intervals. Tables: each changed figure is marked.
import { bytes, cores, percent1 } from '../format';
import type { DiffResult, DiffPrediction, DiffTargetState } from '../messages';
import type { RenderedView, ViewContext } from './context';

/** Most moved replicas listed (the rest are counted). */
const MAX_MOVES = 200;

const KIND: Record<DiffResult['targets'][number]['kind'], string> = { rack: 'rack', nodes: 'node set', sds: 'SDS' };

type Cell = string | { readonly text: string; readonly cls?: string; readonly title?: string };

function table(doc: Document, caption: string, heads: readonly string[], rows: readonly (readonly Cell[])[], cls: string): HTMLTableElement {
  const t = doc.createElement('table');
  t.className = `topo-changes-table ${cls}`;
  const c = doc.createElement('caption');
  c.textContent = caption;
  t.appendChild(c);
  const head = doc.createElement('tr');
  for (const h of heads) {
    const th = doc.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.appendChild(th);
  }
  t.createTHead().appendChild(head);
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const cell of r) {
      const td = tr.insertCell();
      if (typeof cell === 'string') td.textContent = cell;
      else {
        td.textContent = cell.text;
        if (cell.cls) td.className = cell.cls;
        if (cell.title) td.title = cell.title;
      }
    }
  }
  return t;
}

/** `before → after`, marked when they differ; `—` for a side where it is absent. */
function change(before: string | null, after: string | null): Cell {
  const b = before ?? '—', a = after ?? '—';
  return b === a ? { text: b, cls: 'same' } : { text: `${b} → ${a}`, cls: 'changed' };
}

function targetRows(d: DiffResult): Cell[][] {
  const f = (s: DiffTargetState | null, g: (s: DiffTargetState) => string): string | null => (s ? g(s) : null);
  return d.targets.map((t) => {
    const same = JSON.stringify(t.before) === JSON.stringify(t.after);
    return [
      `${KIND[t.kind]} ${t.name}`,
      change(f(t.before, (s) => String(s.nodes)), f(t.after, (s) => String(s.nodes))),
      change(f(t.before, (s) => cores(s.capacity.cpu)), f(t.after, (s) => cores(s.capacity.cpu))),
      change(f(t.before, (s) => bytes(s.capacity.memory)), f(t.after, (s) => bytes(s.capacity.memory))),
      change(f(t.before, (s) => cores(s.requested.cpu)), f(t.after, (s) => cores(s.requested.cpu))),
      change(f(t.before, (s) => bytes(s.requested.memory)), f(t.after, (s) => bytes(s.requested.memory))),
      change(f(t.before, (s) => String(s.unplaced)), f(t.after, (s) => String(s.unplaced))),
      same ? { text: 'no change', cls: 'verdict same' } : { text: t.before === null ? 'new' : t.after === null ? 'gone' : 'changed', cls: 'verdict changed' },
    ];
  });
}

function prediction(p: DiffPrediction | null, which: 'locality' | 'slowdown'): string | null {
  if (!p) return null;
  // the interval only where the simulator gives one (a deterministic run has none)
  if (which === 'locality') return p.locality === null ? '—' : `${percent1(p.locality)}${p.localityError > 0 ? ` ±${(p.localityError * 100).toFixed(1)}` : ''}`;
  return p.slowdown === null ? '—' : `${p.slowdown.toFixed(2)}x${p.slowdownError > 0 ? ` ±${p.slowdownError.toFixed(2)}` : ''}`;
}

/** A verdict where a side has no prediction: that version has errors (not simulated) or lacks the container. */
function missingSide(c: DiffResult['containers'][number], d: DiffResult): Cell | null {
  if (c.before && c.after) return null;
  if (!c.before && !c.after) return { text: 'not simulated', cls: 'verdict same', title: 'neither version was simulated (errors)' };
  const side = c.before ? 'after' : 'before';
  const version = c.before ? d.new : d.old;
  return { text: `not simulated ${side}`, cls: 'verdict same', title: `${version} has errors, or no container ${c.name}: it was not simulated` };
}

function containerRows(d: DiffResult): Cell[][] {
  return d.containers.map((c) => {
    const missing = missingSide(c, d);
    const verdict: Cell = missing ?? (c.changed
      ? { text: 'changed', cls: 'verdict changed', title: 'the difference is larger than the two intervals' }
      : { text: 'no change', cls: 'verdict same', title: 'any difference is inside the simulator\u2019s intervals' });
    // marked only when it changed beyond the intervals between two predictions
    const mark = (b: string | null, a: string | null): Cell => (c.changed && !missing ? change(b, a) : { text: b === a ? (b ?? '—') : `${b ?? '—'} → ${a ?? '—'}`, cls: 'same' });
    return [c.name, mark(prediction(c.before, 'locality'), prediction(c.after, 'locality')), mark(prediction(c.before, 'slowdown'), prediction(c.after, 'slowdown')), verdict];
  });
}

function section(doc: Document, title: string, summary: string): HTMLElement {
  const s = doc.createElement('section');
  s.className = 'topo-changes-section';
  const h = doc.createElement('h3');
  h.textContent = title;
  const p = doc.createElement('span');
  p.className = 'topo-changes-summary';
  p.textContent = ` ${summary}`;
  h.appendChild(p);
  s.appendChild(h);
  return s;
}

function diagnosticsList(ctx: ViewContext, d: DiffResult): HTMLElement {
  const doc = ctx.host.ownerDocument;
  const { gained, lost } = d.diagnostics;
  const s = section(doc, 'Diagnostics', gained.length + lost.length ? `${gained.length} gained, ${lost.length} lost` : 'no change');
  const ul = doc.createElement('ul');
  ul.className = 'topo-changes-diagnostics';
  for (const [sign, list, cls] of [['+', gained, 'gained'], ['−', lost, 'lost']] as const) {
    for (const x of list) {
      const li = doc.createElement('li');
      li.className = `${cls} ${x.severity}`;
      li.textContent = `${sign} ${x.severity} ${x.code} ${x.file}:${x.range.start.line + 1}: ${x.message}`;
      if (cls === 'gained' && x.file === d.new) {
        li.tabIndex = 0;
        li.title = 'Show in the editor';
        const go = (): void => ctx.post({ type: 'revealLine', line: x.range.start.line, character: x.range.start.character });
        li.addEventListener('click', go);
        li.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
      }
      ul.appendChild(li);
    }
  }
  if (ul.childElementCount) s.appendChild(ul);
  return s;
}

export function renderChanges(ctx: ViewContext): RenderedView {
  const doc = ctx.host.ownerDocument;
  const d = ctx.data.changes;
  const root = doc.createElement('div');
  root.className = 'topo-changes';
  ctx.host.appendChild(root);
  if (!d) {
    const p = doc.createElement('p');
    p.className = 'topo-empty';
    p.textContent = 'No comparison yet: run “Topo: Compare with HEAD” to see what your edits change.';
    root.appendChild(p);
    return { mode: 'empty', refreshMarks() {} };
  }
  const head = doc.createElement('h2');
  head.className = 'topo-changes-title';
  head.textContent = `${d.old} → ${d.new}`;
  root.appendChild(head);

  const changedTargets = d.targets.filter((t) => JSON.stringify(t.before) !== JSON.stringify(t.after)).length;
  const targets = section(doc, 'Capacity per target', changedTargets ? `${changedTargets} of ${d.targets.length} changed` : 'no change');
  if (d.targets.length) targets.appendChild(table(doc, 'Active nodes, their capacity and what the containers request, before → after', ['target', 'nodes', 'cores', 'memory', 'requested cores', 'requested memory', 'unplaced replicas', ''], targetRows(d), 'targets'));
  root.appendChild(targets);

  root.appendChild(diagnosticsList(ctx, d));

  const moves = section(doc, 'Moved replicas', d.moves.length ? `${d.moves.length} replica${d.moves.length === 1 ? '' : 's'}` : 'none');
  if (d.moves.length) {
    const none = (side: 'before' | 'after'): Cell => ({ text: side === 'before' ? '(new or unplaced)' : '(removed or unplaced)', cls: 'same', title: `no such replica ${side}, or it was not placed` });
    const rows = d.moves.slice(0, MAX_MOVES).map((m): Cell[] => [m.container, `#${m.replica}`, m.from ?? none('before'), '→', m.to ?? none('after')]);
    moves.appendChild(table(doc, 'Where each replica runs: a node, or the SDS', ['container', 'replica', 'from', '', 'to'], rows, 'moves'));
    if (d.moves.length > MAX_MOVES) {
      const more = doc.createElement('p');
      more.className = 'topo-changes-more';
      more.textContent = `and ${d.moves.length - MAX_MOVES} more (topo diff lists them all)`;
      moves.appendChild(more);
    }
  }
  root.appendChild(moves);

  const both = d.containers.filter((c) => c.before && c.after);
  const changedContainers = both.filter((c) => c.changed).length;
  const unsimulated = [d.containers.some((c) => c.before) ? null : d.old, d.containers.some((c) => c.after) ? null : d.new].filter((x): x is string => x !== null && d.containers.length > 0);
  const summary = unsimulated.length ? `${unsimulated.join(' and ')} not simulated (fix ${unsimulated.length === 1 ? 'its' : 'their'} errors to compare predictions)` : changedContainers ? `${changedContainers} changed beyond their intervals` : 'no change beyond the intervals';
  const containers = section(doc, 'Predicted locality and slowdown', summary);
  if (d.containers.length) containers.appendChild(table(doc, 'Base deployment, steady state, with 95% intervals', ['container', 'locality', 'slowdown', ''], containerRows(d), 'containers'));
  root.appendChild(containers);
  return { mode: 'empty', refreshMarks() {} };
}
