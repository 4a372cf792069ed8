// Drawing primitives in screen pixels, painted on a canvas (the live view) or written as SVG (the
// export): one drawing code, two outputs. Text is measured once per string and size, elided to
// the room it has (the full text goes in the tooltip), and every text drawn is recorded with its
// box, so that tests can check that no two overlap.
import { color as d3color } from 'd3';

export interface Style {
  readonly fill?: string;
  readonly stroke?: string;
  readonly width?: number;
  readonly dash?: readonly number[];
  readonly alpha?: number;
  readonly radius?: number;
}

export interface TextStyle {
  readonly size: number;
  readonly bold?: boolean;
  readonly fill: string;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly alpha?: number;
}

export interface TextBox {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Painter {
  rect(x: number, y: number, w: number, h: number, s: Style): void;
  line(x1: number, y1: number, x2: number, y2: number, s: Style): void;
  curve(x1: number, y1: number, cx: number, cy: number, x2: number, y2: number, s: Style): void;
  polygon(points: readonly (readonly [number, number])[], s: Style): void;
  circle(x: number, y: number, r: number, s: Style): void;
  /** Text vertically centred on y. Returns its box. */
  text(t: string, x: number, y: number, s: TextStyle): TextBox;
  readonly texts: TextBox[];
}

export type Measure = (text: string, size: number, bold?: boolean) => number;

/** A measure that also gives each character's advance (elision without measuring every prefix). */
interface Advances { advances?: (text: string, size: number, bold?: boolean) => number[] }

/**
 * Text widths: the sum of each character's advance, measured once per font on the page's canvas
 * (an estimate without one: jsdom). Summing advances ignores kerning, which only narrows text:
 * a text measured so is never wider on screen than its slot.
 */
export function makeMeasure(doc: Document, family: string): Measure {
  let ctx: CanvasRenderingContext2D | null = null;
  try {
    ctx = doc.createElement('canvas').getContext('2d');
  } catch {
    ctx = null;
  }
  const fonts = new Map<string, Map<string, number>>();
  let current = '';
  const advance = (adv: Map<string, number>, key: string, ch: string, size: number, bold: boolean): number => {
    let a = adv.get(ch);
    if (a === undefined) {
      if (ctx) {
        // Setting a font is parsed each time: only when it changes.
        if (current !== key) {
          ctx.font = `${bold ? '600 ' : ''}${size}px ${family}`;
          current = key;
        }
        a = ctx.measureText(ch).width;
      } else {
        a = size * (bold ? 0.62 : 0.56);
      }
      adv.set(ch, a);
    }
    return a;
  };
  const table = (size: number, bold: boolean): [Map<string, number>, string] => {
    const key = `${bold ? 'b' : 'n'}${size}`;
    let adv = fonts.get(key);
    if (!adv) fonts.set(key, (adv = new Map()));
    return [adv, key];
  };
  const m: Measure & Advances = (text, size, bold = false) => {
    const [adv, key] = table(size, bold);
    let w = 0;
    for (const ch of text) w += advance(adv, key, ch, size, bold);
    return w;
  };
  m.advances = (text, size, bold = false) => {
    const [adv, key] = table(size, bold);
    return Array.from(text, (ch) => advance(adv, key, ch, size, bold));
  };
  return m;
}

/** The longest prefix of `chars` (advances) whose width is at most `room`, in characters. */
function fitting(chars: readonly number[], room: number): number {
  let w = 0;
  let k = 0;
  while (k < chars.length && w + chars[k]! <= room) w += chars[k++]!;
  return k;
}

const ELLIPSIS = '…';

/** `text` cut to fit `max` pixels with an ellipsis; '' when not even one character and the ellipsis fit. */
export function elide(measure: Measure, text: string, max: number, size: number, bold = false): string {
  if (max <= 0) return '';
  if (measure(text, size, bold) <= max) return text;
  const adv = (measure as Measure & Advances).advances;
  if (adv) {
    const chars = Array.from(text);
    const k = fitting(adv(text, size, bold), max - measure(ELLIPSIS, size, bold));
    return k === 0 ? '' : chars.slice(0, k).join('') + ELLIPSIS;
  }
  let lo = 0;
  let hi = text.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(text.slice(0, mid) + ELLIPSIS, size, bold) <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : text.slice(0, lo) + ELLIPSIS;
}

/**
 * Like `elide`, but keeps the name's last part (`checkout-gateway-22` -> `chec…-22`): generated
 * and numbered names differ at their end.
 */
export function elideMiddle(measure: Measure, text: string, max: number, size: number, bold = false): string {
  if (measure(text, size, bold) <= max) return text;
  const cut = Math.max(text.lastIndexOf('-'), text.lastIndexOf('.'), text.lastIndexOf('_'));
  const tail = cut > 0 && text.length - cut <= 8 ? text.slice(cut) : '';
  if (tail) {
    const head = text.slice(0, cut);
    const room = max - measure(ELLIPSIS + tail, size, bold);
    const adv = (measure as Measure & Advances).advances;
    let k = 0;
    if (adv) k = fitting(adv(head, size, bold), room);
    else while (k < head.length && measure(head.slice(0, k + 1), size, bold) <= room) k++;
    if (k >= 2) return head.slice(0, k) + ELLIPSIS + tail;
  }
  return elide(measure, text, max, size, bold);
}

export class CanvasPainter implements Painter {
  readonly texts: TextBox[] = [];
  private font = '';
  // The context's state as last set: each assignment of a colour or a dash is parsed again by
  // the canvas, even when unchanged (thousands of chips a frame).
  private alpha = -1;
  private fillStyle = '';
  private strokeStyle = '';
  private lineWidth = -1;
  private dash = '\u0000'; // (unknown: the context keeps the last draw's)
  private align = '';
  constructor(private readonly c: CanvasRenderingContext2D, private readonly family: string, private readonly measure: Measure) {
    c.textBaseline = 'middle';
  }

  private setAlpha(a: number): void {
    if (a !== this.alpha) this.c.globalAlpha = this.alpha = a;
  }

  private setFill(f: string): void {
    if (f !== this.fillStyle) this.c.fillStyle = this.fillStyle = f;
  }

  private apply(s: Style): void {
    this.setAlpha(s.alpha ?? 1);
    if (s.fill) this.setFill(s.fill);
    if (s.stroke) {
      if (s.stroke !== this.strokeStyle) this.c.strokeStyle = this.strokeStyle = s.stroke;
      const lw = s.width ?? 1;
      if (lw !== this.lineWidth) this.c.lineWidth = this.lineWidth = lw;
      const dash = s.dash ? s.dash.join(',') : '';
      if (dash !== this.dash) {
        this.dash = dash;
        this.c.setLineDash(s.dash ? [...s.dash] : []);
      }
    }
  }

  private finish(s: Style): void {
    if (s.fill) this.c.fill();
    if (s.stroke) this.c.stroke();
  }

  rect(x: number, y: number, w: number, h: number, s: Style): void {
    this.apply(s);
    if (!s.stroke && !(s.radius && w > 2 * s.radius && h > 2 * s.radius)) {
      if (s.fill) this.c.fillRect(x, y, w, h);
      return;
    }
    this.c.beginPath();
    if (s.radius && w > 2 * s.radius && h > 2 * s.radius && this.c.roundRect) this.c.roundRect(x, y, w, h, s.radius);
    else this.c.rect(x, y, w, h);
    this.finish(s);
  }

  line(x1: number, y1: number, x2: number, y2: number, s: Style): void {
    this.apply(s);
    this.c.beginPath();
    this.c.moveTo(x1, y1);
    this.c.lineTo(x2, y2);
    this.c.stroke();
  }

  curve(x1: number, y1: number, cx: number, cy: number, x2: number, y2: number, s: Style): void {
    this.apply(s);
    this.c.beginPath();
    this.c.moveTo(x1, y1);
    this.c.quadraticCurveTo(cx, cy, x2, y2);
    this.c.stroke();
  }

  polygon(points: readonly (readonly [number, number])[], s: Style): void {
    this.apply(s);
    this.c.beginPath();
    points.forEach(([x, y], i) => (i ? this.c.lineTo(x, y) : this.c.moveTo(x, y)));
    this.c.closePath();
    this.finish(s);
  }

  circle(x: number, y: number, r: number, s: Style): void {
    this.apply(s);
    this.c.beginPath();
    this.c.arc(x, y, r, 0, Math.PI * 2);
    this.finish(s);
  }

  text(t: string, x: number, y: number, s: TextStyle): TextBox {
    const w = this.measure(t, s.size, s.bold);
    this.setAlpha(s.alpha ?? 1);
    // Setting a font is parsed each time: only when it changes.
    const font = `${s.bold ? '600 ' : ''}${s.size}px ${this.family}`;
    if (font !== this.font) this.c.font = this.font = font;
    this.setFill(s.fill);
    const align: CanvasTextAlign = s.anchor === 'middle' ? 'center' : s.anchor === 'end' ? 'right' : 'left';
    if (align !== this.align) this.c.textAlign = this.align = align;
    this.c.fillText(t, x, y);
    const box = boxOf(t, x, y, w, s);
    this.texts.push(box);
    return box;
  }
}

function boxOf(t: string, x: number, y: number, w: number, s: TextStyle): TextBox {
  const left = s.anchor === 'middle' ? x - w / 2 : s.anchor === 'end' ? x - w : x;
  return { text: t, x: left, y: y - s.size * 0.6, w, h: s.size * 1.2 };
}

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
const num = (n: number): string => String(Math.round(n * 100) / 100);
/** Colours as rgb()/rgba(): the export must not depend on CSS variables. */
const col = (c: string): string => {
  const v = d3color(c);
  return v ? v.formatRgb() : c;
};

/** Writes SVG elements; `svg()` wraps them in a standalone document. */
export class SvgPainter implements Painter {
  readonly texts: TextBox[] = [];
  private readonly out: string[] = [];
  constructor(private readonly family: string, private readonly measure: Measure) {}

  private attrs(s: Style): string {
    const a: string[] = [];
    a.push(`fill="${s.fill ? col(s.fill) : 'none'}"`);
    if (s.stroke) {
      a.push(`stroke="${col(s.stroke)}"`, `stroke-width="${num(s.width ?? 1)}"`);
      if (s.dash?.length) a.push(`stroke-dasharray="${s.dash.map(num).join(' ')}"`);
    }
    if (s.alpha !== undefined && s.alpha < 1) a.push(`opacity="${num(s.alpha)}"`);
    return a.join(' ');
  }

  rect(x: number, y: number, w: number, h: number, s: Style): void {
    const r = s.radius ? ` rx="${num(s.radius)}"` : '';
    this.out.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(Math.max(0, w))}" height="${num(Math.max(0, h))}"${r} ${this.attrs(s)}/>`);
  }

  line(x1: number, y1: number, x2: number, y2: number, s: Style): void {
    this.out.push(`<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" ${this.attrs({ ...s, fill: undefined })}/>`);
  }

  curve(x1: number, y1: number, cx: number, cy: number, x2: number, y2: number, s: Style): void {
    this.out.push(`<path d="M${num(x1)},${num(y1)}Q${num(cx)},${num(cy)} ${num(x2)},${num(y2)}" ${this.attrs({ ...s, fill: undefined })}/>`);
  }

  polygon(points: readonly (readonly [number, number])[], s: Style): void {
    this.out.push(`<polygon points="${points.map(([x, y]) => `${num(x)},${num(y)}`).join(' ')}" ${this.attrs(s)}/>`);
  }

  circle(x: number, y: number, r: number, s: Style): void {
    this.out.push(`<circle cx="${num(x)}" cy="${num(y)}" r="${num(r)}" ${this.attrs(s)}/>`);
  }

  text(t: string, x: number, y: number, s: TextStyle): TextBox {
    const w = this.measure(t, s.size, s.bold);
    const anchor = s.anchor && s.anchor !== 'start' ? ` text-anchor="${s.anchor}"` : '';
    const weight = s.bold ? ' font-weight="600"' : '';
    const op = s.alpha !== undefined && s.alpha < 1 ? ` opacity="${num(s.alpha)}"` : '';
    this.out.push(`<text x="${num(x)}" y="${num(y)}" dominant-baseline="central" font-size="${num(s.size)}"${weight}${anchor}${op} fill="${col(s.fill)}">${esc(t)}</text>`);
    const box = boxOf(t, x, y, w, s);
    this.texts.push(box);
    return box;
  }

  /** A standalone SVG document of width x height with the painted elements. */
  svg(width: number, height: number, label: string): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="${esc(this.family)}"><title>${esc(label)}</title>${this.out.join('')}</svg>`;
  }
}

/** Pairs of recorded texts whose boxes overlap (by more than `slack` pixels each way). */
export function overlaps(texts: readonly TextBox[], slack = 0.5): [TextBox, TextBox][] {
  const out: [TextBox, TextBox][] = [];
  const sorted = [...texts].sort((a, b) => a.x - b.x);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      if (b.x >= a.x + a.w - slack) break;
      if (b.y < a.y + a.h - slack && a.y < b.y + b.h - slack) out.push([a, b]);
    }
  }
  return out;
}
