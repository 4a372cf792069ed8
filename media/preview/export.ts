// Export of the current view: a self-contained SVG string (computed theme colours inlined,
// canvas layers embedded as images) and a PNG data URL rasterised from it.

const STYLE_PROPS = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity',
  'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility', 'paint-order',
  'text-transform', 'letter-spacing',
] as const;

const DROP_ATTRS = ['tabindex', 'role', 'aria-label', 'aria-hidden', 'class'];

/** Serialises the view's chart as standalone SVG; null when the view has no chart. */
export function exportSvg(view: HTMLElement): string | null {
  const svg = view.querySelector<SVGSVGElement>('svg.topo-chart');
  if (!svg) return null;
  const win = view.ownerDocument.defaultView;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const dst = [clone, ...Array.from(clone.querySelectorAll('*'))];
  src.forEach((el, i) => {
    const out = dst[i]!;
    let cs: CSSStyleDeclaration | null = null;
    try {
      cs = win ? win.getComputedStyle(el) : null;
    } catch {
      cs = null;
    }
    if (cs) {
      for (const p of STYLE_PROPS) {
        const v = cs.getPropertyValue(p);
        // Attributes set by the renderer (data-driven colours) win over generic CSS.
        if (v && !out.hasAttribute(p)) out.setAttribute(p, v);
      }
    }
    for (const a of DROP_ATTRS) out.removeAttribute(a);
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  clone.setAttribute('viewBox', `0 0 ${svg.getAttribute('width')} ${svg.getAttribute('height')}`);
  // Canvas layers (large results) become embedded images at the same place.
  const canvas = view.querySelector<HTMLCanvasElement>('canvas.topo-marks');
  if (canvas) {
    let url = '';
    try {
      url = String(canvas.toDataURL('image/png') || '');
    } catch {
      url = '';
    }
    if (url.startsWith('data:image/png')) {
      const img = clone.ownerDocument.createElementNS('http://www.w3.org/2000/svg', 'image');
      img.setAttribute('x', '0');
      img.setAttribute('y', String(canvas.getBoundingClientRect().top - svg.getBoundingClientRect().top || 0));
      img.setAttribute('width', canvas.style.width.replace('px', ''));
      img.setAttribute('height', canvas.style.height.replace('px', ''));
      img.setAttribute('href', url);
      const events = clone.querySelector('g.events');
      if (events) clone.insertBefore(img, events);
      else clone.appendChild(img);
    }
  }
  const xml = new (win?.XMLSerializer ?? XMLSerializer)().serializeToString(clone);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}

/** Rasterises an SVG string into a PNG data URL (2x), or rejects when the browser cannot. */
export function svgToPng(svgText: string, doc: Document, scale = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const w = Number(/\bwidth="([\d.]+)"/.exec(svgText)?.[1] ?? 800);
    const h = Number(/\bheight="([\d.]+)"/.exec(svgText)?.[1] ?? 600);
    const img = new (doc.defaultView?.Image ?? Image)();
    const timer = setTimeout(() => reject(new Error('the image did not load')), 10_000);
    img.onload = () => {
      clearTimeout(timer);
      const canvas = doc.createElement('canvas');
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      const c2 = canvas.getContext('2d');
      if (!c2) return reject(new Error('no 2D canvas'));
      c2.scale(scale, scale);
      c2.drawImage(img, 0, 0, w, h);
      try {
        resolve(canvas.toDataURL('image/png'));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    img.onerror = () => {
      clearTimeout(timer);
      reject(new Error('the SVG could not be rasterised'));
    };
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  });
}
