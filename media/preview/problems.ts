// The problems list: diagnostics (the check's and the simulator's) and the most loaded nodes,
// errors first, each a click away from its place in the graph and from its source line.
import type { Match } from './filter';
import type { Problem, World } from './world';
import type { Selection } from './views/context';

/** Rows drawn at most (the rest are counted). */
export const MAX_ROWS = 200;

export interface ProblemsOptions {
  readonly open: boolean;
  onToggle(open: boolean): void;
  onFocus(p: Problem): void;
  onReveal(p: Problem): void;
}

export interface ProblemsPane {
  readonly element: HTMLElement;
  refresh(world: World | null, match: Match, selected: Selection | null): void;
}

const SEVERITY_WORD: Record<Problem['severity'], string> = { error: 'error', warning: 'warning', information: 'info', hint: 'hint', pressure: 'load' };

export function createProblems(doc: Document, o: ProblemsOptions): ProblemsPane {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] => {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  let open = o.open;
  const box = el('aside', 'topo-problems');
  box.setAttribute('aria-label', 'Problems');
  const head = el('button', 'topo-problems-head');
  head.type = 'button';
  const list = el('ol', 'topo-problems-list');
  box.append(head, list);
  let current: readonly Problem[] = [];
  head.addEventListener('click', () => {
    open = !open;
    apply();
    o.onToggle(open);
  });
  const apply = (): void => {
    head.setAttribute('aria-expanded', String(open));
    list.hidden = !open;
    box.classList.toggle('closed', !open);
  };

  function row(p: Problem, world: World, match: Match, selected: Selection | null): HTMLLIElement {
    const li = el('li', `topo-problem ${p.severity}`);
    li.dataset.problem = p.id;
    const dim = (match.nodes && p.node && !match.nodes.has(p.node)) || (match.containers && p.container && !match.containers.has(p.container));
    if (dim) li.classList.add('dimmed');
    if (selected && ((selected.kind === 'node' && p.node === selected.name && !p.container) || (selected.kind === 'container' && p.container === selected.name))) li.classList.add('selected');
    const main = el('button', 'topo-problem-focus');
    main.type = 'button';
    const sev = el('span', 'topo-sev', SEVERITY_WORD[p.severity]);
    const subject = el('span', 'topo-problem-subject', p.subject.name.split(/[\\/]/).pop() ?? p.subject.name);
    main.append(sev, subject);
    if (p.code) main.appendChild(el('span', 'topo-problem-code', p.code));
    if (p.pressure !== null) {
      const bar = el('span', 'topo-pressure');
      const fill = el('span', `topo-pressure-fill${p.pressure > 1 + 1e-9 ? ' over' : p.pressure > 0.9 ? ' high' : ''}`);
      fill.style.width = `${Math.round(Math.min(1, p.pressure) * 100)}%`;
      bar.appendChild(fill);
      main.appendChild(bar);
    }
    main.appendChild(el('span', 'topo-problem-text', p.text));
    const where = p.container ? `container ${p.container}` : p.node ? `node ${p.node}` : p.target ? p.target : '';
    main.title = `${p.code ? `${p.code} ` : ''}${p.text}${where ? `\nShow ${where} in the graph` : ''}`;
    main.disabled = !p.node && !p.container;
    main.addEventListener('click', () => o.onFocus(p));
    li.appendChild(main);
    const canReveal = p.line !== null || ['container', 'node', 'sds', 'rack', 'target'].includes(p.subject.kind);
    if (canReveal && world) {
      const src = el('button', 'topo-problem-source', p.line ? `line ${p.line.line + 1}` : 'source');
      src.type = 'button';
      src.title = p.line ? `Go to line ${p.line.line + 1}` : `Go to the declaration of ${p.subject.name}`;
      src.addEventListener('click', () => o.onReveal(p));
      li.appendChild(src);
    }
    return li;
  }

  apply();
  return {
    element: box,
    refresh(world, match, selected) {
      current = world?.problems ?? [];
      const errors = current.filter((p) => p.severity === 'error').length;
      const warnings = current.filter((p) => p.severity === 'warning').length;
      const top = current.find((p) => p.severity === 'pressure');
      head.replaceChildren();
      head.appendChild(el('span', 'topo-problems-title', 'Problems'));
      const bits: [string, string][] = [];
      if (errors) bits.push([`${errors} error${errors === 1 ? '' : 's'}`, 'error']);
      if (warnings) bits.push([`${warnings} warning${warnings === 1 ? '' : 's'}`, 'warning']);
      if (!errors && !warnings) bits.push(['none', 'none']);
      if (top) bits.push([`most loaded ${top.subject.name} ${Math.round((top.pressure ?? 0) * 100)}%`, 'pressure']);
      for (const [t, cls] of bits) head.appendChild(el('span', `topo-problems-count ${cls}`, t));
      list.replaceChildren();
      if (!world) return;
      for (const p of current.slice(0, MAX_ROWS)) list.appendChild(row(p, world, match, selected));
      if (current.length > MAX_ROWS) list.appendChild(el('li', 'topo-problem more', `and ${current.length - MAX_ROWS} more (see the Problems panel)`));
    },
  };
}
