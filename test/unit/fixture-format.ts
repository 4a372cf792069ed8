import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Expectations written inside a fixture, as comment lines:
 *   `#   ^^^ T200`          carets under the nearest preceding non-expectation line
 *   `#@ 12:4-12:9 T101`     explicit zero-based line:character range
 *   `#@ sub/b.topo@1:7-1:15 T204`  a range in another file (path relative to the fixture)
 *   `#   ^^ related` / `#@ L:C-L:C related`   a related location of the previous expectation
 */
export interface Expected {
  code: string;
  range: string;
  related: string[];
}

const CARET = /^(\s*)#(\s*)(\^+)\s+(T\d{3}|related)\s*$/;
const EXPLICIT = /^\s*#@\s*(?:([\w./-]+)@)?(\d+):(\d+)-(\d+):(\d+)\s+(T\d{3}|related)\s*$/;

export function isExpectationLine(line: string): boolean {
  return CARET.test(line) || EXPLICIT.test(line);
}

export function rangeKey(sl: number, sc: number, el: number, ec: number): string {
  return `${sl}:${sc}-${el}:${ec}`;
}

export function parseExpectations(text: string): Expected[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const out: Expected[] = [];
  let sourceLine = -1;
  lines.forEach((line, i) => {
    const caret = CARET.exec(line);
    const explicit = EXPLICIT.exec(line);
    let code: string | undefined;
    let range: string | undefined;
    if (caret) {
      const col = caret[1].length + 1 + caret[2].length;
      code = caret[4];
      range = rangeKey(sourceLine, col, sourceLine, col + caret[3].length);
    } else if (explicit) {
      code = explicit[6];
      range = (explicit[1] ? `${explicit[1]}@` : '') + rangeKey(+explicit[2], +explicit[3], +explicit[4], +explicit[5]);
    } else {
      sourceLine = i;
      return;
    }
    if (code === 'related') {
      const last = out[out.length - 1];
      if (!last) throw new Error(`line ${i + 1}: "related" with no expectation before it`);
      last.related.push(range);
    } else out.push({ code, range, related: [] });
  });
  return out;
}

/** Every fixture root under a folder (folders starting with `_` hold imported helper files only). */
export function findFixtures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!name.startsWith('_')) out.push(...findFixtures(p));
    } else if (name.endsWith('.topo')) out.push(p);
  }
  return out;
}
