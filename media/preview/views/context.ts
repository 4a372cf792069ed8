// What every view receives from the app.
import type { ZoomTransform } from 'd3';
import type { Palette } from '../colors';
import type { Post, UpdateMessage } from '../messages';
import type { Tooltip } from '../tooltip';

export type ViewId = 'placement' | 'timeline' | 'heatmap' | 'compare';

export interface Selection {
  readonly kind: 'container' | 'node';
  readonly name: string;
}

/** State that survives updates (zoom, pan, selection, toggles). */
export interface ViewState {
  zoom: Map<ViewId, ZoomTransform>;
  selected: Selection | null;
  highlight: string | null;
  perContainer: boolean;
  heatMetric: 'cpu' | 'memory';
  scenario: string | null;
}

export interface ViewContext {
  readonly host: HTMLElement;
  readonly data: UpdateMessage;
  readonly state: ViewState;
  readonly palette: Palette;
  readonly tooltip: Tooltip;
  readonly post: Post;
  readonly width: number;
  readonly height: number;
  /** Asks the app to re-render the current view (after a toggle). */
  readonly rerender: () => void;
  /** Records a selection (click) and tells the host to reveal it. */
  readonly select: (sel: Selection) => void;
}

/** A rendered view: can repaint cheaply on highlight/selection changes. */
export interface RenderedView {
  /** Applies state.highlight / state.selected without rebuilding. */
  refreshMarks(): void;
  /** 'svg' or 'canvas': how the heavy marks were drawn. */
  readonly mode: 'svg' | 'canvas' | 'empty';
}

/** Above this many container marks (or edges x 0.5) the placement graph paints on a canvas. */
export const CANVAS_MARKS = 600;
/** Above this many heatmap cells the heatmap paints on a canvas. */
export const CANVAS_CELLS = 12_000;
/** Above this many per-container lines the locality chart paints them on a canvas. */
export const CANVAS_LINES = 150;

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** Makes a canvas of css size w x h sharp on high-DPI screens; null when the DOM has no 2D canvas (jsdom). */
export function setupCanvas(canvas: HTMLCanvasElement, w: number, h: number): CanvasRenderingContext2D | null {
  const ratio = canvas.ownerDocument.defaultView?.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(w * ratio));
  canvas.height = Math.max(1, Math.round(h * ratio));
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  let ctx: CanvasRenderingContext2D | null = null;
  try {
    ctx = canvas.getContext('2d');
  } catch {
    ctx = null;
  }
  if (ctx) ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** Activates `fn` on click and on Enter/Space for a focusable mark. */
export function onActivate(el: Element, fn: () => void): void {
  el.addEventListener('click', (e) => {
    e.stopPropagation();
    fn();
  });
  el.addEventListener('keydown', (e) => {
    const k = (e as KeyboardEvent).key;
    if (k === 'Enter' || k === ' ') {
      e.preventDefault();
      fn();
    }
  });
}
