// Theme colours. The stylesheet maps VS Code's theme variables (with fallbacks) onto --topo-*
// variables; code that paints pixels (canvas, continuous scales) resolves them here.
import { interpolateLab, interpolateRgb, interpolateRgbBasis, piecewise, color as d3color } from 'd3';

export interface Palette {
  readonly bg: string;
  readonly fg: string;
  readonly muted: string;
  readonly border: string;
  readonly red: string;
  readonly yellow: string;
  readonly green: string;
  readonly blue: string;
  readonly purple: string;
  readonly focus: string;
  readonly nodeFill: string;
  /** Locality 0..1 -> colour (red, yellow, green). */
  readonly locality: (f: number) => string;
  /** Utilisation 0..1 -> colour for the heatmap. */
  readonly heat: (f: number) => string;
}

const LIGHT: Record<string, string> = {
  bg: '#ffffff', fg: '#1f2328', muted: '#656d76', border: '#d0d7de', red: '#cf222e', yellow: '#bf8700',
  green: '#1a7f37', blue: '#0969da', purple: '#8250df', focus: '#0969da', nodeFill: '#f6f8fa',
};

function read(style: CSSStyleDeclaration | null, name: string, fallback: string): string {
  const v = style?.getPropertyValue(`--topo-${name}`).trim();
  // Only accept values the browser has resolved to a colour d3 understands.
  return v && d3color(v) ? v : fallback;
}

/** Resolves the palette from the computed style of `el` (falls back to the light theme). */
export function readPalette(el: Element): Palette {
  const view = el.ownerDocument.defaultView;
  let style: CSSStyleDeclaration | null = null;
  try {
    style = view ? view.getComputedStyle(el) : null;
  } catch {
    style = null;
  }
  const p: Record<string, string> = {};
  for (const [k, v] of Object.entries(LIGHT)) p[k] = read(style, k === 'nodeFill' ? 'node-fill' : k, v);
  const red = p.red!, yellow = p.yellow!, green = p.green!, blue = p.blue!, bg = p.bg!;
  const loc = interpolateRgbBasis([red, yellow, green]);
  const heatLow = interpolateRgb(bg, blue)(0.12);
  // Sequential: near-background when idle, through blue, to red when saturated.
  const heat = piecewise(interpolateLab, [heatLow, blue, red]);
  return {
    bg, fg: p.fg!, muted: p.muted!, border: p.border!, red, yellow, green, blue, purple: p.purple!, focus: p.focus!,
    nodeFill: p.nodeFill!,
    locality: (f) => loc(Math.max(0, Math.min(1, f))),
    heat: (f) => heat(Math.max(0, Math.min(1, f))),
  };
}
