// One tooltip per preview: plain text lines (textContent only, never HTML).

export interface Tooltip {
  show(lines: readonly string[], clientX: number, clientY: number): void;
  /** Shows the tooltip next to an element (keyboard focus). */
  showAt(lines: readonly string[], el: Element): void;
  hide(): void;
  readonly element: HTMLElement;
}

export function createTooltip(container: HTMLElement): Tooltip {
  const doc = container.ownerDocument;
  const el = doc.createElement('div');
  el.className = 'topo-tooltip';
  el.setAttribute('role', 'tooltip');
  el.id = `topo-tooltip-${Math.random().toString(36).slice(2, 8)}`;
  el.hidden = true;
  container.appendChild(el);

  function place(x: number, y: number): void {
    const host = container.getBoundingClientRect();
    const w = el.offsetWidth || 200;
    const h = el.offsetHeight || 60;
    let left = x - host.left + 14;
    let top = y - host.top + 14;
    const maxW = container.clientWidth || 800;
    const maxH = container.clientHeight || 600;
    if (left + w > maxW) left = Math.max(0, x - host.left - w - 14);
    if (top + h > maxH) top = Math.max(0, y - host.top - h - 14);
    el.style.left = `${left}px`;
    el.style.top = `${top}px`;
  }

  function fill(lines: readonly string[]): void {
    el.replaceChildren();
    lines.forEach((line, i) => {
      const div = doc.createElement('div');
      if (i === 0) div.className = 'topo-tooltip-title';
      div.textContent = line;
      el.appendChild(div);
    });
    el.hidden = false;
  }

  return {
    element: el,
    show(lines, x, y) {
      fill(lines);
      place(x, y);
    },
    showAt(lines, target) {
      fill(lines);
      const r = target.getBoundingClientRect();
      place(r.right, r.top);
    },
    hide() {
      el.hidden = true;
    },
  };
}
