// What every view receives from the app.
import type { ZoomTransform } from 'd3';
import type { Palette } from '../colors';
import type { Match } from '../filter';
import type { Focus } from '../focus';
import type { Post, UpdateMessage } from '../messages';
import type { Measure, TextBox } from '../paint';
import type { Tooltip } from '../tooltip';
import type { World } from '../world';
import type { LayoutMemo } from './placement-layout';

export type ViewId = 'placement' | 'table' | 'timeline' | 'heatmap' | 'compare' | 'changes';

export interface Selection {
  readonly kind: 'container' | 'node';
  readonly name: string;
}

export interface TableState {
  kind: 'nodes' | 'containers';
  /** Column id and direction per table. */
  sort: Record<'nodes' | 'containers', { readonly column: string; readonly descending: boolean }>;
}

/** State that survives updates (zoom, pan, selection, toggles). */
export interface ViewState {
  zoom: Map<ViewId, ZoomTransform>;
  /** Whether the placement's zoom is the person's (kept across updates) or the automatic fit (redone at each render). */
  userZoom: boolean;
  selected: Selection | null;
  highlight: string | null;
  perContainer: boolean;
  heatMetric: 'cpu' | 'memory';
  scenario: string | null;
  /** The search box's text. */
  filter: string;
  table: TableState;
  /** The placement layout's memory (heights only grow while the structure stays). */
  layout: LayoutMemo | null;
}

export interface ViewContext {
  readonly host: HTMLElement;
  /** The latest update, with the simulation shown (possibly an earlier text's: world.stale). */
  readonly data: UpdateMessage;
  readonly world: World;
  readonly state: ViewState;
  readonly palette: Palette;
  readonly tooltip: Tooltip;
  readonly post: Post;
  readonly width: number;
  readonly height: number;
  /** Asks the app to re-render the current view (after a toggle). */
  readonly rerender: () => void;
  /** Records a selection (click) and tells the host to reveal it. */
  readonly select: (sel: Selection | null) => void;
  /** The search box's matches now (null sets: no filter). */
  readonly match: () => Match;
  /** The focused container (selected, else under the editor cursor), with its chain. */
  readonly focus: () => Focus | null;
  readonly measure: Measure;
}

/** A rendered view: can repaint cheaply on highlight/selection changes. */
export interface RenderedView {
  /** Applies state.highlight / state.selected without rebuilding. */
  refreshMarks(): void;
  /** 'svg' or 'canvas': how the heavy marks were drawn. */
  readonly mode: 'svg' | 'canvas' | 'empty';
  /** A standalone SVG of what is on screen, when the view paints it itself (else the app serialises its SVG). */
  exportSvg?(): string;
  /** Brings a node (and its rack) into view at a zoom where it is legible. */
  showNode?(ref: string): void;
  /** Brings a container and its talks chain into view, in detail. */
  showContainer?(name: string): void;
  /** Brings a whole rack into view, as large as it fits (at most as a node would be shown). */
  showRack?(name: string): void;
  /** The texts painted last, with their boxes (tests check that none overlap). */
  texts?(): readonly TextBox[];
  /** The placement's level of detail and its overview tiles as painted last (screen pixels). */
  painted?(): { readonly level: 'overview' | 'detail'; readonly tiles: readonly { readonly ref: string; readonly x: number; readonly y: number; readonly w: number; readonly h: number }[] };
  /** Paints so far and how long they took, in ms (the benchmark reads it). */
  stats?(): { readonly draws: number; readonly lastMs: number; readonly maxMs: number };
  /** Detaches listeners and timers. */
  destroy?(): void;
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

/**
 * The canvas a view paints its heavy marks on, appended to `host` at css size w x h; `below`: the
 * element (the view's toolbar) it is placed under. `c2d` is null when the DOM has no 2D canvas (jsdom).
 */
export function marksCanvas(host: HTMLElement, w: number, h: number, below?: HTMLElement): { canvas: HTMLCanvasElement; c2d: CanvasRenderingContext2D | null } {
  const canvas = host.ownerDocument.createElement('canvas');
  canvas.className = 'topo-marks';
  canvas.setAttribute('aria-hidden', 'true');
  host.appendChild(canvas);
  if (below) canvas.style.top = `${below.offsetHeight || 0}px`;
  return { canvas, c2d: setupCanvas(canvas, w, h) };
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
