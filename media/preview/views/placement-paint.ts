// Paints the placement graph for a zoom transform, in screen pixels, on any Painter (the canvas on
// screen, SVG for the export). Two levels of detail:
//   overview (node cards narrower than OVERVIEW_NODE_PX): each rack is summarised in its box (name,
//     counts, the worst problem, bars for CPU requests and limits and memory requests, each SDS
//     likewise), its nodes as tiles coloured by pressure;
//   detail: node cards (name, capacity, CPU and memory bars) and container chips, labelled where the
//     chip is wide enough (elided, the full name in the tooltip).
// Text is placed in slots that cannot overlap (inside its chip, card, rack header or line), and a
// text that does not fit its slot is elided or left out.
import type { Palette } from '../colors';
import type { Match } from '../filter';
import type { Focus } from '../focus';
import { edgeKey } from '../focus';
import { bytes, cores, percent } from '../format';
import { elide, elideMiddle, type Measure, type Painter } from '../paint';
import type { Summary, World, WNode } from '../world';
import { UNPLACED } from '../world';
import { NODE_HEADER, NODE_PAD, NODE_W, RACK_HEADER, SDS_TOP, edgeControl, type LChip, type LNode, type LRack, type PlacementLayout } from './placement-layout';

/** Below this screen width of a node card the graph shows the overview. */
export const OVERVIEW_NODE_PX = 110;
/** A chip gets its label from this screen width on. */
const LABEL_MIN_W = 34;

export interface SceneEdge {
  readonly from: string;
  readonly to: string;
  readonly weight: number;
  /** Share local (simulation), null before one. */
  readonly locality: number | null;
}

export interface Scene {
  readonly layout: PlacementLayout;
  readonly world: World;
  readonly palette: Palette;
  readonly measure: Measure;
  readonly t: { readonly x: number; readonly y: number; readonly k: number };
  readonly width: number;
  readonly height: number;
  readonly match: Match;
  readonly focus: Focus | null;
  readonly selectedNode: string | null;
  /** The container under the editor cursor (a ring), when it is not the focus. */
  readonly highlight: string | null;
  readonly edges: readonly SceneEdge[];
  /** Draw every edge (small results) or only the focused chain's. */
  readonly allEdges: boolean;
  /** A person is zooming or panning: crowded views leave the chips' labels for when they stop. */
  readonly moving?: boolean;
}

/** While moving, chip labels are left out above this many chips on screen (they come back when the view settles). */
export const MOVING_LABEL_CHIPS = 300;

export interface Rect { readonly x: number; readonly y: number; readonly w: number; readonly h: number }

export interface Painted {
  readonly level: 'overview' | 'detail';
  /** Overview: the node tiles and rack headers as drawn (screen pixels), for hit-testing. */
  readonly tiles: readonly (Rect & { readonly ref: string })[];
  readonly heads: readonly (Rect & { readonly rack: string })[];
}

export function levelOf(k: number): Painted['level'] {
  return NODE_W * k < OVERVIEW_NODE_PX ? 'overview' : 'detail';
}

const FAINT = 0.16;
const FAINT_NODE = 0.42;

function shownNode(s: Scene, ref: string): boolean {
  if (s.match.nodes && !s.match.nodes.has(ref)) return false;
  if (s.focus && !s.focus.nodes.has(ref) && !s.focus.chainNodes.has(ref) && !s.focus.devices.has(ref)) return false;
  return true;
}

function shownChip(s: Scene, name: string): boolean {
  if (s.match.containers && !s.match.containers.has(name)) return false;
  if (s.focus && !s.focus.chain.has(name)) return false;
  return true;
}

function barColor(p: Palette, f: number): string {
  return f > 1 + 1e-9 ? p.red : f > 0.9 ? p.yellow : p.blue;
}

export function paintScene(p: Painter, s: Scene): Painted {
  const { palette: c, t, width, height, layout } = s;
  p.rect(0, 0, width, height, { fill: c.bg });
  const level = levelOf(t.k);
  const X = (x: number): number => x * t.k + t.x;
  const Y = (y: number): number => y * t.k + t.y;
  const visible = (x: number, y: number, w: number, h: number): boolean => X(x + w) >= 0 && X(x) <= width && Y(y + h) >= 0 && Y(y) <= height;
  const tiles: (Rect & { ref: string })[] = [];
  const heads: (Rect & { rack: string })[] = [];
  for (const r of layout.racks) {
    if (!visible(r.x, r.y, r.w, r.h)) continue;
    p.rect(X(r.x), Y(r.y), r.w * t.k, r.h * t.k, { fill: c.rackFill, stroke: c.border, radius: 6 });
    if (level === 'overview') overviewRack(p, s, r, tiles, heads);
    else detailRack(p, s, r);
  }
  if (level === 'detail') {
    // Edges under the chips, over the cards: a chip's label stays readable.
    paintEdges(p, s);
    const tags = callouts(s, p.texts);
    const shown: LChip[] = [];
    for (const r of layout.racks) {
      if (!visible(r.x, r.y, r.w, r.h)) continue;
      for (const n of r.nodes) if (visible(n.x, n.y, n.w, n.h)) for (const ch of n.chips) if (visible(ch.x, ch.y, ch.w, ch.h)) shown.push(ch);
    }
    const labels = !s.moving || shown.length <= MOVING_LABEL_CHIPS;
    for (const ch of shown) chipMark(p, s, ch, tags, labels);
    for (const tg of tags) {
      p.rect(tg.x, tg.y, tg.w, tg.h, { fill: c.bg, stroke: tg.focused ? c.fg : c.focus, width: tg.focused ? 1.5 : 1, radius: 3 });
      p.text(tg.text, tg.x + 4, tg.y + tg.h / 2, { size: 10, bold: tg.focused, fill: c.fg });
    }
  }
  return { level, tiles, heads };
}

// ---------------------------------------------------------------- overview

interface Line { readonly h: number; draw(y: number): void }

function bars(p: Painter, s: Scene, x: number, w: number, sum: Summary): Line[] {
  const c = s.palette;
  const m = s.measure;
  const rows: [string, number, number, string][] = [
    ['CPU req', sum.cpuRequested, sum.cpuAllowance, `${cores(sum.cpuRequested)} of ${cores(sum.cpuAllowance)} cores allowed`],
    ['CPU lim', sum.cpuLimited, sum.cpuAllowance, ''],
    ['Mem req', sum.memoryRequested, sum.memoryAllowance, ''],
  ];
  // Narrow racks: the short labels (the tooltip says them whole).
  const long = m('CPU req', 9) <= Math.min(46, w * 0.3) - 2;
  const labelW = long ? Math.min(46, w * 0.3) : m('mem', 9) + 4;
  const pctW = 34;
  const barW = w - labelW - pctW - 4;
  if (barW < 16) return [];
  return rows.map(([label, a, b]) => ({
    h: 11,
    draw(y: number) {
      const f = b > 0 ? a / b : 0;
      const l = elide(m, long ? label : label === 'CPU req' ? 'req' : label === 'CPU lim' ? 'lim' : 'mem', labelW - 2, 9);
      if (l) p.text(l, x, y + 5.5, { size: 9, fill: c.muted });
      p.rect(x + labelW, y + 2, barW, 7, { fill: c.border, alpha: 0.55, radius: 2 });
      p.rect(x + labelW, y + 2, Math.max(0, Math.min(1, f)) * barW, 7, { fill: barColor(c, f), radius: 2 });
      p.text(b > 0 ? percent(f) : '–', x + w, y + 5.5, { size: 9, fill: f > 1 + 1e-9 ? c.red : c.fg, anchor: 'end' });
    },
  }));
}

function severityColor(c: Palette, severity: string | undefined): string {
  return severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.blue;
}

/** A header's tail on one line: the counts in their colour, then the worst problem in its own; elided as one text. */
function headTail(p: Painter, s: Scene, counts: string, countsFill: string, worst: string, worstFill: string, x: number, y: number, w: number, size: number): void {
  const a = elide(s.measure, counts, w, size);
  if (!a) return;
  const box = p.text(a, x, y, { size, fill: countsFill });
  if (a !== counts || !worst) return;
  const b = elide(s.measure, worst, w - box.w, size);
  if (b) p.text(b, x + box.w, y, { size, fill: worstFill });
}

function worstLine(p: Painter, s: Scene, x: number, w: number, sum: Summary): Line[] {
  const wst = sum.worst;
  if (!wst) return [];
  const c = s.palette;
  const col = severityColor(c, wst.severity);
  const text = elide(s.measure, `${wst.code ? `${wst.code} ` : ''}${wst.text}`, w - 12, 9.5);
  if (!text) return [];
  return [{ h: 13, draw(y) { p.circle(x + 3.5, y + 6.5, 3.5, { fill: col }); p.text(text, x + 11, y + 6.5, { size: 9.5, fill: col }); } }];
}

function overviewRack(p: Painter, s: Scene, r: LRack, tiles: (Rect & { ref: string })[], heads: (Rect & { rack: string })[]): void {
  const { palette: c, measure: m, t, world } = s;
  const rx = r.x * t.k + t.x;
  const ry = r.y * t.k + t.y;
  const rw = r.w * t.k;
  const rh = r.h * t.k;
  const pad = 6;
  const x = rx + pad;
  const w = rw - 2 * pad;
  const bottom = ry + rh - pad;
  let y = ry + pad;
  const sum = world.rackSummaries.get(r.name);
  const lines: Line[] = [];
  const title = r.name === UNPLACED ? 'not placed' : `RACK ${r.name}`;
  const t1 = elide(m, title, w, 11, true);
  if (t1) {
    const counts = sum ? ` · ${sum.nodes} node${sum.nodes === 1 ? '' : 's'} · ${sum.containers} container${sum.containers === 1 ? '' : 's'}` : '';
    lines.push({
      h: 15,
      draw(yy) {
        const b = p.text(t1, x, yy + 7, { size: 11, bold: true, fill: c.fg });
        const rest = elide(m, counts, w - b.w, 10);
        if (rest && t1 === title) p.text(rest, x + b.w, yy + 7, { size: 10, fill: c.muted });
      },
    });
  }
  if (sum && r.name !== UNPLACED) lines.push(...worstLine(p, s, x, w, sum), ...bars(p, s, x, w, sum));
  for (const l of lines) {
    if (y + l.h > bottom) break;
    l.draw(y);
    y += l.h;
  }
  heads.push({ rack: r.name, x: rx, y: ry, w: rw, h: y - ry });
  y += 3;
  // Groups of tiles: each SDS with its own line, then the rest. One tile size for the rack.
  const groups = r.groups.filter((g) => g.nodes.length);
  const headerH = (g: (typeof groups)[number]): number => (g.sds !== null ? 14 : groups.length > 1 ? 4 : 0);
  const room = bottom - y;
  let size = 0;
  for (let sz = 64; sz >= 5; sz -= sz > 24 ? 2 : 1) {
    const cols = Math.max(1, Math.floor(w / sz));
    const need = groups.reduce((a, g) => a + headerH(g) + Math.ceil(g.nodes.length / cols) * sz, 0);
    if (need <= room) { size = sz; break; }
  }
  if (size === 0) return;
  const cols = Math.max(1, Math.floor(w / size));
  for (const g of groups) {
    if (g.sds !== null) {
      const ss = world.sdsSummaries.get(g.sds);
      const label = elide(m, `SDS ${g.sds}`, w, 9.5, true); // the name first, the numbers where room is left
      if (label) {
        const b = p.text(label, x, y + 7, { size: 9.5, bold: true, fill: c.purple });
        if (ss) {
          const f = (a: number, bb: number): string => (bb > 0 ? percent(a / bb) : '–');
          const wst = ss.worst ? ` · ${ss.worst.code ?? '!'}` : '';
          const rest = elide(m, ` req ${f(ss.cpuRequested, ss.cpuAllowance)} · lim ${f(ss.cpuLimited, ss.cpuAllowance)} · mem ${f(ss.memoryRequested, ss.memoryAllowance)}${wst}`, w - b.w, 9);
          if (rest) p.text(rest, x + b.w, y + 7, { size: 9, fill: ss.worst?.severity === 'error' ? c.red : c.muted });
        }
      }
    }
    y += headerH(g);
    g.nodes.forEach((n, i) => {
      const tx = x + (i % cols) * size;
      const ty = y + Math.floor(i / cols) * size;
      tile(p, s, n, tx, ty, size - 2);
      tiles.push({ ref: n.ref, x: tx, y: ty, w: size - 2, h: size - 2 });
    });
    y += Math.ceil(g.nodes.length / cols) * size;
  }
}

function tile(p: Painter, s: Scene, n: LNode, x: number, y: number, size: number): void {
  const c = s.palette;
  const wn = n.node;
  const alpha = shownNode(s, n.ref) ? 1 : FAINT_NODE;
  const fill = wn.kind !== 'node' ? c.nodeFill : wn.failed ? c.border : c.pressure(wn.pressure);
  const hottest = s.world.hottest === n.ref;
  p.rect(x, y, size, size, { fill, stroke: wn.failed ? c.red : c.border, dash: wn.spare || wn.kind !== 'node' ? [2, 2] : undefined, alpha, radius: 2 });
  if (hottest) {
    p.rect(x - 1.5, y - 1.5, size + 3, size + 3, { stroke: c.bg, width: 3, radius: 3 });
    p.rect(x - 1.5, y - 1.5, size + 3, size + 3, { stroke: c.fg, width: 2, radius: 3 });
  }
  if (s.selectedNode === n.ref || s.focus?.nodes.has(n.ref)) p.rect(x - 3, y - 3, size + 6, size + 6, { stroke: c.focus, width: 2, radius: 3 });
  else if (s.focus?.chainNodes.has(n.ref)) p.rect(x - 2, y - 2, size + 4, size + 4, { stroke: c.focus, width: 1, dash: [3, 2], radius: 3 });
  if (size < 15) return;
  const fs = Math.min(10, Math.max(7, Math.floor(size * 0.3)));
  const ink = c.onColor(fill);
  const name = wn.kind === 'node' ? wn.label : '…';
  const two = size >= 30 && wn.kind === 'node';
  const label = elide(s.measure, name, size - 4, fs, hottest);
  if (label) p.text(label, x + size / 2, y + size / 2 - (two ? fs * 0.6 : 0), { size: fs, bold: hottest, fill: ink, anchor: 'middle', alpha });
  if (two) {
    const second = elide(s.measure, wn.failed ? 'failed' : percent(wn.pressure), size - 4, fs - 1, hottest);
    if (second) p.text(second, x + size / 2, y + size / 2 + fs * 0.65, { size: fs - 1, bold: hottest, fill: wn.failed ? c.red : ink, anchor: 'middle', alpha });
  }
}

// ---------------------------------------------------------------- detail

function detailRack(p: Painter, s: Scene, r: LRack): void {
  const { palette: c, measure: m, t, world, layout } = s;
  const rx = r.x * t.k + t.x;
  const ry = r.y * t.k + t.y;
  const rw = r.w * t.k;
  const headH = RACK_HEADER * t.k;
  const sum = world.rackSummaries.get(r.name);
  if (headH >= 13) {
    const title = r.name === UNPLACED ? 'NOT PLACED' : `RACK ${r.name}`;
    const y = ry + Math.min(headH / 2, 12);
    const t1 = elide(m, title, rw - 16, 11, true);
    if (t1) {
      const b = p.text(t1, rx + 10, y, { size: 11, bold: true, fill: c.muted });
      if (sum && t1 === title && r.name !== UNPLACED) {
        const f = (a: number, bb: number): string => (bb > 0 ? percent(a / bb) : '–');
        const worst = sum.worst ? ` · ${sum.worst.code ?? sum.worst.severity} ${sum.worst.text}` : '';
        const counts = ` · ${sum.nodes} nodes · ${sum.containers} containers · CPU req ${f(sum.cpuRequested, sum.cpuAllowance)} · lim ${f(sum.cpuLimited, sum.cpuAllowance)} · mem ${f(sum.memoryRequested, sum.memoryAllowance)}`;
        headTail(p, s, counts, c.muted, worst, severityColor(c, sum.worst?.severity), rx + 10 + b.w, y, rw - 20 - b.w, 10);
      }
    }
  }
  for (const b of layout.boundaries) {
    if (b.rack !== r.name) continue;
    p.rect(b.x * t.k + t.x, b.y * t.k + t.y, b.w * t.k, b.h * t.k, { stroke: c.purple, width: 1.5, dash: [6, 3], radius: 8 });
    const bandH = SDS_TOP * t.k;
    if (bandH >= 11) {
      const ss = world.sdsSummaries.get(b.sds);
      const f = (a: number, bb: number): string => (bb > 0 ? percent(a / bb) : '–');
      const label = `SDS ${b.sds}${b.first ? '' : ' (cont.)'}`;
      const bx = b.x * t.k + t.x + 8;
      const by = b.y * t.k + t.y + Math.min(bandH * 0.45, 9);
      const l = elide(m, label, b.w * t.k - 16, 10, true);
      if (l) {
        const box = p.text(l, bx, by, { size: 10, bold: true, fill: c.purple });
        if (ss && l === label) {
          const worst = ss.worst ? ` · ${ss.worst.code ?? ss.worst.severity} ${ss.worst.text}` : '';
          const counts = ` · CPU req ${f(ss.cpuRequested, ss.cpuAllowance)} · lim ${f(ss.cpuLimited, ss.cpuAllowance)} · mem ${f(ss.memoryRequested, ss.memoryAllowance)}`;
          headTail(p, s, counts, c.purple, worst, severityColor(c, ss.worst?.severity), bx + box.w, by, b.w * t.k - 20 - box.w, 9.5);
        }
      }
    }
  }
  for (const n of r.nodes) {
    if (n.y * t.k + t.y > s.height || (n.y + n.h) * t.k + t.y < 0 || n.x * t.k + t.x > s.width || (n.x + n.w) * t.k + t.x < 0) continue;
    nodeCard(p, s, n);
  }
}

function nodeCard(p: Painter, s: Scene, n: LNode): void {
  const { palette: c, measure: m, t } = s;
  const wn = n.node;
  const x = n.x * t.k + t.x;
  const y = n.y * t.k + t.y;
  const w = n.w * t.k;
  const h = n.h * t.k;
  const alpha = shownNode(s, n.ref) ? 1 : FAINT_NODE;
  const hottest = s.world.hottest === n.ref;
  p.rect(x, y, w, h, {
    fill: wn.kind === 'node' ? c.nodeFill : c.rackFill, stroke: wn.failed ? c.red : hottest ? c.fg : c.border,
    width: hottest ? 1.5 : 1, dash: wn.failed ? [4, 2] : wn.spare || wn.kind !== 'node' ? [2, 2] : undefined, alpha, radius: 4,
  });
  if (s.selectedNode === n.ref) p.rect(x - 1.5, y - 1.5, w + 3, h + 3, { stroke: c.focus, width: 2, radius: 5 });
  const pad = NODE_PAD * t.k;
  // Name line: in the top 18 units of the card.
  const lineH = 18 * t.k;
  if (lineH >= 9) {
    const fs = Math.max(8, Math.min(11, Math.floor(lineH * 0.85)));
    const ly = y + Math.min(lineH / 2 + 1, 11);
    const name = wn.kind === 'node' ? wn.label : wn.kind === 'pool' ? `${wn.sds}: ${wn.label}` : wn.label;
    const nameText = elide(m, name, w - 2 * pad, fs, true);
    let used = 0;
    if (nameText) used = p.text(nameText, x + pad, ly, { size: fs, bold: true, fill: c.fg, alpha }).w;
    let right = '';
    const devices = s.focus?.devices.get(n.ref);
    if (devices) right = `io ${devices.join(', ')}`;
    else if (wn.kind === 'node') right = `${cores(wn.capacity.cpu)} cores · ${bytes(wn.capacity.memory)}${wn.failed ? ' · failed' : ''}`;
    const room = w - 2 * pad - used - 8;
    const capText = room > 30 ? elide(m, right, room, Math.min(10, fs)) : '';
    if (capText) {
      if (devices) {
        const tw = m(capText, 10, true);
        p.rect(x + w - pad - tw - 6, ly - 7, tw + 6, 14, { fill: c.focus, radius: 3 });
        p.text(capText, x + w - pad - 3, ly, { size: 10, bold: true, fill: c.onColor(c.focus), anchor: 'end' });
      } else {
        p.text(capText, x + w - pad, ly, { size: Math.min(10, fs), fill: c.muted, anchor: 'end', alpha });
      }
    }
  }
  if (wn.kind === 'node') {
    const cpu = wn.used ? share(wn.used.cpu, wn.capacity.cpu) : wn.requested && wn.allowance ? share(wn.requested.cpu, wn.allowance.cpu) : 0;
    const mem = wn.used ? share(wn.used.memory, wn.capacity.memory) : wn.requested && wn.allowance ? share(wn.requested.memory, wn.allowance.memory) : 0;
    // The bars are 10 units apart: their labels fit when that is at least a line of 7 px text.
    const labelSize = Math.min(9, Math.floor(10 * t.k * 0.8));
    const showLabels = labelSize >= 7;
    const bx = x + (showLabels ? 34 : NODE_PAD) * t.k;
    const bw = w - (showLabels ? 34 + NODE_PAD : 2 * NODE_PAD) * t.k;
    ([['CPU', cpu, 22], ['MEM', mem, 32]] as const).forEach(([label, f, dy]) => {
      const by = y + dy * t.k;
      const bh = 6 * t.k;
      if (showLabels) p.text(label, x + pad, by + bh / 2, { size: labelSize, fill: c.muted, alpha });
      p.rect(bx, by, bw, bh, { fill: c.border, alpha: 0.55 * alpha, radius: Math.min(2, bh / 2) });
      p.rect(bx, by, Math.max(0, Math.min(1, f)) * bw, bh, { fill: barColor(c, f), alpha, radius: Math.min(2, bh / 2) });
    });
  }
}

const share = (a: number, b: number): number => (b > 0 ? a / b : 0);

interface Tag extends Rect { readonly text: string; readonly focused: boolean }

const hits = (a: Rect, b: Rect): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * The focused chain's names, in full, above their chips when the chips are too small to hold
 * them (each tag where no other tag is; chip labels under a tag are left out).
 */
function callouts(s: Scene, drawn: readonly Rect[]): Tag[] {
  if (!s.focus) return [];
  const { t, measure: m, layout } = s;
  const out: Tag[] = [];
  const names = [s.focus.container, ...[...s.focus.chain].filter((n) => n !== s.focus!.container)];
  for (const name of names) {
    const ch = layout.chipsOf.get(name)?.[0];
    if (!ch) continue;
    const x = ch.x * t.k + t.x;
    const y = ch.y * t.k + t.y;
    const w = ch.w * t.k;
    if (x > s.width || y > s.height || x + w < 0 || y < 0) continue;
    if (m(name, Math.max(8, Math.min(11, Math.floor(ch.h * t.k * 0.7)))) + 12 <= w) continue; // its chip holds it
    const tw = m(name, 10, name === s.focus.container) + 8;
    const tx = Math.max(0, Math.min(s.width - tw, x));
    // Above the chip, else below it: where no tag and no text drawn before (node names) is.
    for (const ty of [y - 16, y + ch.h * t.k + 2]) {
      const tag: Tag = { text: name, focused: name === s.focus.container, x: tx, y: ty, w: tw, h: 14 };
      if (ty < 0 || ty + 14 > s.height || out.some((o) => hits(o, tag)) || drawn.some((d) => hits(d, tag))) continue;
      out.push(tag);
      break;
    }
  }
  return out;
}

function chipMark(p: Painter, s: Scene, ch: LChip, tags: readonly Tag[] = [], labels = true): void {
  const { palette: c, measure: m, t, world } = s;
  const x = ch.x * t.k + t.x;
  const y = ch.y * t.k + t.y;
  const w = ch.w * t.k;
  const h = ch.h * t.k;
  if (x > s.width || y > s.height || x + w < 0 || y + h < 0) return;
  const wc = world.containerIndex.get(ch.container);
  const loc = wc?.locality ?? null;
  const col = loc === null ? c.muted : c.locality(loc);
  const alpha = shownChip(s, ch.container) ? 1 : FAINT;
  const part = ch.kind === 'part';
  // Moving through a crowded view: square chips without outlines (cheaper), the full ones when it settles.
  if (labels) p.rect(x, y, w, h, { fill: part ? c.nodeFill : c.tint(col), stroke: col, width: 1, dash: part ? [3, 2] : undefined, alpha, radius: Math.min(3, h / 3) });
  else p.rect(x, y, w, h, { fill: part ? c.border : c.tint(col), alpha });
  const stripe = Math.max(1.5, Math.min(4, w * 0.06));
  if (!part) p.rect(x, y, stripe, h, { fill: col, alpha });
  // its tenant: a bar along the bottom in the tenant's colour (the legend names them)
  const ti = wc?.tenant ? world.tenants.findIndex((tn) => tn.name === wc.tenant?.name) : -1;
  if (ti >= 0) p.rect(x, y + h - Math.max(2, Math.min(4, h * 0.18)), w, Math.max(2, Math.min(4, h * 0.18)), { fill: c.tenant(ti), alpha });
  const focused = s.focus?.container === ch.container;
  if (focused || s.highlight === ch.container) p.rect(x - 2, y - 2, w + 4, h + 4, { stroke: focused ? c.fg : c.focus, width: 2, radius: Math.min(4, h / 3 + 1) });
  if (labels && w >= LABEL_MIN_W && h >= 9) {
    const size = Math.max(8, Math.min(part ? 10 : 11, Math.floor(h * 0.7)));
    const suffix = part ? ` ${percent(ch.share)}` : ch.replicas > 1 ? ` ×${ch.replicas}` : '';
    const room = w - (part ? 0 : stripe) - 6;
    // The name elided in its middle, then the suffix if there is room for it.
    let label = elideMiddle(m, ch.container + suffix, room, size);
    if (suffix && label !== ch.container + suffix) {
      // The name first: the suffix only when the name keeps most of itself.
      const nm = elideMiddle(m, ch.container, room - m(suffix, size), size);
      label = nm === ch.container || nm.length >= 10 ? nm + suffix : elideMiddle(m, ch.container, room, size);
    }
    const lx = x + (part ? 0 : stripe) + 3;
    const under = tags.some((tg) => hits(tg, { x: lx, y: y + h / 2 - size * 0.6, w: m(label, size), h: size * 1.2 }));
    if (label && !under) p.text(label, lx, y + h / 2, { size, fill: part ? c.muted : c.fg, alpha });
  }
}

function paintEdges(p: Painter, s: Scene): void {
  const { palette: c, t, layout } = s;
  const focusEdges = s.focus?.edges;
  const maxW = s.edges.reduce((a, e) => Math.max(a, e.weight), 0);
  for (const e of s.edges) {
    const inFocus = focusEdges?.has(edgeKey(e.from, e.to)) ?? false;
    if (!s.allEdges && !inFocus) continue;
    const a = layout.chipsOf.get(e.from)?.[0];
    const b = layout.chipsOf.get(e.to)?.[0];
    if (!a || !b || a === b) continue;
    const x1 = (a.x + a.w / 2) * t.k + t.x, y1 = (a.y + a.h / 2) * t.k + t.y;
    const x2 = (b.x + b.w / 2) * t.k + t.x, y2 = (b.y + b.h / 2) * t.k + t.y;
    if (Math.max(x1, x2) < 0 || Math.min(x1, x2) > s.width || Math.max(y1, y2) < 0 || Math.min(y1, y2) > s.height) {
      // Both ends off one side: nothing to see.
      if ((x1 < 0 && x2 < 0) || (x1 > s.width && x2 > s.width) || (y1 < 0 && y2 < 0) || (y1 > s.height && y2 > s.height)) continue;
    }
    const [cx, cy] = edgeControl(x1, y1, x2, y2);
    const width = (maxW > 0 ? 0.75 + 3.25 * Math.sqrt(e.weight / maxW) : 1) * Math.min(1.5, Math.max(0.6, t.k));
    const alpha = focusEdges ? (inFocus ? 0.95 : 0.06) : 0.55;
    p.curve(x1, y1, cx, cy, x2, y2, { stroke: e.locality === null ? c.muted : c.locality(e.locality), width: inFocus ? width + 1 : width, alpha });
    if (inFocus) {
      // An arrowhead at the callee.
      const ang = Math.atan2(y2 - cy, x2 - cx);
      const L = 7;
      p.polygon([[x2, y2], [x2 - L * Math.cos(ang - 0.45), y2 - L * Math.sin(ang - 0.45)], [x2 - L * Math.cos(ang + 0.45), y2 - L * Math.sin(ang + 0.45)]], { fill: e.locality === null ? c.muted : c.locality(e.locality), alpha });
    }
  }
}

/** World rectangle of a node card (for zooming to it). */
export function nodeRect(n: LNode): Rect {
  return { x: n.x, y: n.y, w: n.w, h: n.h };
}

export { NODE_HEADER };
export type { WNode };
