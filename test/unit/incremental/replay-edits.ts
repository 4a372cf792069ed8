import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { seeded } from '../../seeded';

/** The texts edits are replayed on: the examples, the fixtures and the fuzz corpus's inputs. */
export function corpus(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.topo')) out.push({ name: p, text: readFileSync(p, 'utf8') });
    }
  };
  walk('examples');
  walk('test/fixtures');
  for (const n of readdirSync('test/fuzz/regressions').sort()) {
    const r = JSON.parse(readFileSync(join('test/fuzz/regressions', n), 'utf8')) as { input?: { text?: unknown } };
    if (typeof r.input?.text === 'string') out.push({ name: n, text: r.input.text });
  }
  return out;
}

/** What people type: pieces of the language, digits, blanks, line breaks, braces, comments, quotes. */
const PIECES = [' ', ' ', '\n', '\n  ', '1', '8', '0', 'x', 'e', '.', '..', ',', '{', '}', '}\n', '#', '# note\n', '"', ';', '*', 'GiB', 'm', '%', '\r\n', '\r',
  'container c {\n  cpu request 1\n}\n', 'node n9 { cores 4 memory 8GiB }\n', 'replicas 3', 'cpu ', 'memory ', 'place on ', 'rack ', 'sds s { nodes r1.n1..n2 }\n', 'import "x.topo"\n'];

/** One random edit of `text`: mostly small (a character typed or deleted), sometimes a whole line or a piece of syntax. */
export function randomEdit(text: string, r: () => number): string {
  const at = Math.floor(r() * (text.length + 1));
  const x = r();
  if (x < 0.35) return text.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + text.slice(at);
  if (x < 0.6) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(r() * 3)));
  if (x < 0.8) {
    // replace a digit (a value changed), the most common edit of a planner
    const digits = [...text.matchAll(/\d/g)];
    if (!digits.length) return text + '\n';
    const d = digits[Math.floor(r() * digits.length)].index;
    return text.slice(0, d) + String(Math.floor(r() * 10)) + text.slice(d + 1);
  }
  if (x < 0.9) {
    // a line deleted or duplicated
    const ls = text.lastIndexOf('\n', at - 1) + 1;
    let le = text.indexOf('\n', at);
    le = le < 0 ? text.length : le + 1;
    return r() < 0.5 ? text.slice(0, ls) + text.slice(le) : text.slice(0, le) + text.slice(ls, le) + text.slice(le);
  }
  return text.slice(0, at) + String.fromCharCode(32 + Math.floor(r() * 95)) + text.slice(at);
}

export { seeded };
