// A jsdom page with a preview in it, recording what the preview posts and logs.
/// <reference lib="dom" />
import { JSDOM, VirtualConsole } from 'jsdom';
import { createPreview, type Preview } from '../../../media/preview/app';
import type { OutgoingMessage, UpdateMessage } from '../../../media/preview/messages';
import { generate, generateComparison, type GenOptions } from './generate';

export interface Page {
  dom: JSDOM;
  doc: Document;
  root: HTMLElement;
  preview: Preview;
  posted: OutgoingMessage[];
  logs: string[];
  mouse(type: string, target: Element, clientX?: number, clientY?: number): void;
  key(target: Element, key: string): void;
}

export function page(width = 1000, height = 700): Page {
  const vc = new VirtualConsole();
  vc.on('jsdomError', (e: Error) => {
    // jsdom has no 2D canvas; the preview copes with that (getContext returns null).
    if (!/getContext|toDataURL/.test(e.message)) throw e;
  });
  const dom = new JSDOM('<!DOCTYPE html><html><body><div id="root"></div></body></html>', { pretendToBeVisual: true, virtualConsole: vc });
  const doc = dom.window.document;
  const root = doc.getElementById('root')!;
  root.dataset.width = String(width);
  root.dataset.height = String(height);
  const posted: OutgoingMessage[] = [];
  const logs: string[] = [];
  const preview = createPreview(root, { post: (m) => posted.push(m), log: (t) => logs.push(t) });
  const win = dom.window;
  return {
    dom, doc, root, preview, posted, logs,
    mouse(type, target, clientX = 0, clientY = 0) {
      target.dispatchEvent(new win.MouseEvent(type, { bubbles: true, cancelable: true, clientX, clientY }));
    },
    key(target, key) {
      target.dispatchEvent(new win.KeyboardEvent('keydown', { bubbles: true, cancelable: true, key }));
    },
  };
}

export function update(o: GenOptions, extra: Partial<UpdateMessage> = {}, compare = false): UpdateMessage {
  const g = generate(o);
  return {
    type: 'update', placement: g.placement, simulation: g.simulation, scenarios: g.scenarios,
    source: { file: g.placement.file }, ...(compare ? { results: generateComparison(o) } : {}), ...extra,
  };
}

/** Parses `translate(x,y) scale(k)` as written by d3's ZoomTransform.toString(). */
export function parseTransform(s: string | null): { x: number; y: number; k: number } {
  const m = /translate\(([-\d.e]+),([-\d.e]+)\) scale\(([-\d.e]+)\)/.exec(s ?? '');
  if (!m) throw new Error(`not a zoom transform: ${s}`);
  return { x: Number(m[1]), y: Number(m[2]), k: Number(m[3]) };
}
