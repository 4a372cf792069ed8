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
  readonly rackFill: string;
  /** Locality 0..1 -> colour (red, yellow, green). */
  readonly locality: (f: number) => string;
  /** Utilisation 0..1 -> colour for the heatmap. */
  readonly heat: (f: number) => string;
  /** Pressure 0..1 (over 1: overcommitted) -> tile colour: near the background when idle, red at 100%. */
  readonly pressure: (f: number) => string;
  /** The colour of the i-th tenant (World.tenants): categorical, apart from the locality scale's red, yellow and green. */
  readonly tenant: (i: number) => string;
  /** A light tint of a colour over the node fill (container chips). */
  readonly tint: (c: string, amount?: number) => string;
  /** Text colour readable on `background`. */
  readonly onColor: (background: string) => string;
  /** The font family of the page. */
  readonly font: string;
}

const LIGHT: Record<string, string> = {
  bg: '#ffffff', fg: '#1f2328', muted: '#656d76', border: '#d0d7de', red: '#cf222e', yellow: '#bf8700',
  green: '#1a7f37', blue: '#0969da', purple: '#8250df', focus: '#0969da', nodeFill: '#f6f8fa', rackFill: '#fbfbfc',
};

const FALLBACK_FONT = 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif';

function luminance(c: string): number {
  const v = d3color(c)?.rgb();
  if (!v) return 1;
  const f = (x: number): number => {
    const s = x / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(v.r) + 0.7152 * f(v.g) + 0.0722 * f(v.b);
}

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
  for (const [k, v] of Object.entries(LIGHT)) p[k] = read(style, k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`), v);
  const red = p.red!, yellow = p.yellow!, green = p.green!, blue = p.blue!, bg = p.bg!;
  const loc = interpolateRgbBasis([red, yellow, green]);
  const heatLow = interpolateRgb(bg, blue)(0.12);
  // Sequential: near-background when idle, through blue, to red when saturated.
  const heat = piecewise(interpolateLab, [heatLow, blue, red]);
  const pressure = piecewise(interpolateLab, [interpolateRgb(bg, blue)(0.08), interpolateRgb(bg, blue)(0.45), yellow, red]);
  const nodeFill = p.nodeFill!;
  const fg = p.fg!;
  const font = style?.getPropertyValue('--topo-font').trim() || FALLBACK_FONT;
  const dark = luminance(bg) < 0.3;
  // Painting asks for the same colours many times a frame: remember them.
  const memo = <K>(f: (k: K) => string): ((k: K) => string) => {
    const m = new Map<K, string>();
    return (k) => {
      let v = m.get(k);
      if (v === undefined) {
        v = f(k);
        if (m.size > 5000) m.clear();
        m.set(k, v);
      }
      return v;
    };
  };
  const q = (f: number): number => Math.round(Math.max(0, Math.min(1, f)) * 200) / 200;
  const locMemo = memo((f: number) => loc(f));
  const pressureMemo = memo((f: number) => pressure(f));
  const tints = new Map<string, (c: string) => string>();
  const tintOf = (amount: number): ((c: string) => string) => {
    const k = String(amount);
    let t = tints.get(k);
    if (!t) tints.set(k, (t = memo((c: string) => interpolateRgb(nodeFill, c)(amount))));
    return t;
  };
  const defaultTint = dark ? 0.3 : 0.22;
  // blue and purple of the theme, then fixed hues readable on light and dark backgrounds
  const tenantColours = [blue, p.purple!, dark ? '#f0883e' : '#bc4c00', dark ? '#39c5cf' : '#1b7c83', dark ? '#f778ba' : '#bf3989', dark ? '#a5d6ff' : '#6e7781'];
  return {
    bg, fg, muted: p.muted!, border: p.border!, red, yellow, green, blue, purple: p.purple!, focus: p.focus!,
    nodeFill, rackFill: p.rackFill!, font,
    locality: (f) => locMemo(q(f)),
    heat: (f) => heat(Math.max(0, Math.min(1, f))),
    pressure: (f) => pressureMemo(q(f)),
    tint: (c, amount = defaultTint) => tintOf(amount)(c),
    tenant: (i) => tenantColours[((i % tenantColours.length) + tenantColours.length) % tenantColours.length]!,
    onColor: memo((b: string) => {
      const l = luminance(b);
      const lf = luminance(fg);
      const lb = luminance(bg);
      // Whichever of the theme's foreground and background contrasts more.
      const contrast = (a: number, c: number): number => (Math.max(a, c) + 0.05) / (Math.min(a, c) + 0.05);
      return contrast(l, lf) >= contrast(l, lb) ? fg : bg;
    }),
  };
}
