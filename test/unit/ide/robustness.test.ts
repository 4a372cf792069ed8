import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkText } from '../../../server/src/core/check';
import * as ide from '../../../server/src/core/ide/index';
import { FILE } from './helpers';
import { seeded as rng } from '../../seeded';

const PIECES = ['{', '}', '.', '..', ',', '"', '#', 'r1.', 'place on ', 'node n1..', '4GiB', '\n', ' ', 'at 5s add ', 'talks ', '*', ';', '-', 'é', '\u{1F600}'];

test('every feature answers (never throws) on mutated inputs, and its spans stay inside the text', () => {
  const sources = ['examples/spec-example.topo', 'examples/multi-rack.topo', 'examples/microservices-rack.topo'].map((f) => readFileSync(f, 'utf8'));
  const next = rng(7);
  for (let k = 0; k < 60; k++) {
    let text = sources[k % sources.length];
    for (let e = 0; e < 3; e++) {
      const at = Math.floor(next() * (text.length + 1));
      text = next() < 0.5 ? text.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 8));
    }
    const s = { file: FILE, text, check: checkText(text, FILE) };
    const inside = (sp: { start: number; end: number }): void => assert.ok(sp.start >= 0 && sp.start <= sp.end && sp.end <= text.length, `span ${sp.start}-${sp.end} in ${text.length}`);
    for (const t of ide.semanticTokens(s)) inside(t.span);
    for (const d of ide.documentSymbols(s)) inside(d.span);
    ide.foldingRanges(s);
    ide.inlayHints(s, { start: 0, end: text.length }, { utilisation: true, locality: true });
    for (let j = 0; j < 15; j++) {
      const o = Math.floor(next() * (text.length + 1));
      for (const c of ide.completion(s, o)) if (c.replace) inside(c.replace);
      const h = ide.hover(s, o);
      if (h) inside(h.span);
      ide.definition(s, o);
      ide.references(s, o, true);
      ide.documentHighlights(s, o);
      const p = ide.prepareRename(s, o);
      if (p) inside(p.span);
      ide.rename(s, o, 'renamed');
      for (const r of ide.selectionRanges(s, [o])[0]) inside(r);
      ide.codeActions(s, { start: o, end: o }, s.check.diagnostics);
    }
    ide.workspaceSymbols([s.check], 'a');
  }
});
