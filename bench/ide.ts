// The ide layer on a generated 10,000-line topology: completion, hover and the other per-request
// features on a checked snapshot (the server checks once per edit; requests must not re-analyse).
import { checkText } from '../server/src/core/check';
import * as ide from '../server/src/core/ide/index';
import type { IdeSnapshot } from '../server/src/core/ide/types';
import { generateTopology, seeded } from './generate';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function time(label: string, runs: number, f: (i: number) => void): string {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return `${label.padEnd(28)} p50 ${percentile(ms, 50).toFixed(2)} ms  p95 ${percentile(ms, 95).toFixed(2)} ms  max ${ms[ms.length - 1].toFixed(2)} ms  (${runs} runs)`;
}

export function benchIde(): string[] {
  const { text } = generateTopology(10_000);
  const file = '/work/bench.topo';
  const t0 = performance.now();
  const check = checkText(text, file);
  const checkMs = performance.now() - t0;
  const s: IdeSnapshot = { file, text, check };
  const lines = text.split('\n');
  const r = seeded(7);
  const offsets: number[] = [];
  let acc = 0;
  const starts = lines.map((l) => { const o = acc; acc += l.length + 1; return o; });
  // A third anywhere in a line, a third at the end of a line (after a value), a third where a
  // line's text starts (a property keyword): where people type.
  for (let i = 0; i < 200; i++) {
    const ln = Math.floor(r() * lines.length);
    const line = lines[ln];
    const indent = line.length - line.trimStart().length;
    offsets.push(starts[ln] + (i % 3 === 0 ? Math.floor(r() * (line.length + 1)) : i % 3 === 1 ? line.length : indent));
  }
  const out = [`${lines.length} lines, ${check.model.nodes.length} nodes, ${check.model.containers.length} containers; check ${checkMs.toFixed(0)} ms`];
  // The first request builds the per-snapshot index (cached after).
  const f0 = performance.now();
  ide.hover(s, offsets[0]);
  out.push(`first request (builds the index)  ${(performance.now() - f0).toFixed(1)} ms`);
  // Cold: the first completion and hover on a fresh check (what follows every edit).
  const fresh = [checkText(text, file), checkText(text, file), checkText(text, file)];
  out.push(time('completion (fresh check)', 3, (i) => ide.completion({ file, text, check: fresh[i] }, offsets[i])));
  out.push(time('hover (fresh check)', 3, (i) => ide.hover({ file, text, check: fresh[i] }, offsets[i + 1])));
  const placeOn = text.indexOf('place on ') + 'place on '.length;
  out.push(time('completion after `place on `', 50, () => ide.completion(s, placeOn)));
  out.push(time('completion', 200, (i) => ide.completion(s, offsets[i])));
  out.push(time('hover', 200, (i) => ide.hover(s, offsets[i])));
  out.push(time('definition', 200, (i) => ide.definition(s, offsets[i])));
  out.push(time('references', 50, (i) => ide.references(s, offsets[i], true)));
  out.push(time('documentHighlights', 50, (i) => ide.documentHighlights(s, offsets[i])));
  out.push(time('inlayHints (one screen)', 100, (i) => ide.inlayHints(s, { start: offsets[i], end: offsets[i] + 3000 }, { utilisation: true, locality: true })));
  out.push(time('semanticTokens', 5, () => ide.semanticTokens(s)));
  out.push(time('documentSymbols', 5, () => ide.documentSymbols(s)));
  out.push(time('foldingRanges', 5, () => ide.foldingRanges(s)));
  out.push(time('format (whole file)', 3, () => ide.format(text, file, { tabSize: 2, insertSpaces: true })));
  return out;
}
