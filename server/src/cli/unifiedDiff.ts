// Unified diffs (`diff -u`, what `patch` and reviewers read) of two texts, by lines: Myers'
// O(ND) shortest edit script between the common prefix and suffix, hunks with three lines of
// context. Past MAX_EDITS differing lines the middle is shown as one replacement (still a
// correct diff, not the shortest).

const CONTEXT = 3;
const MAX_EDITS = 2000;

type Op = ' ' | '-' | '+';

interface Line {
  readonly op: Op;
  readonly text: string;
  /** The line has no line break after it (the text's last line). */
  readonly noEol: boolean;
}

/** Lines with their breaks removed; `noEol` on a last line without one. */
function splitLines(text: string): { lines: string[]; lastNoEol: boolean } {
  if (text === '') return { lines: [], lastNoEol: false };
  const lines = text.split('\n');
  const lastNoEol = lines[lines.length - 1] !== '';
  if (!lastNoEol) lines.pop();
  return { lines, lastNoEol };
}

/**
 * The shortest edit script of a against b (Myers 1986, forward greedy), or null past `max`
 * edits. The trace keeps, per round d, the furthest x of the diagonals -d-1..d+1 before it.
 */
function myers(a: readonly string[], b: readonly string[], max: number): Op[] | null {
  const n = a.length;
  const m = b.length;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    const before = trace[d];
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && before[k - 1 + d + 1] < before[k + 1 + d + 1]);
      let x = down ? before[k + 1 + d + 1] : before[k - 1 + d + 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, d, n, m);
    }
  }
  return null;
}

function backtrack(trace: readonly Int32Array[], d: number, n: number, m: number): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let e = d; e > 0; e--) {
    const before = trace[e];
    const at = (k: number): number => before[k + e + 1];
    const k = x - y;
    const down = k === -e || (k !== e && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX + (down ? 0 : 1) && y > prevY + (down ? 1 : 0)) { ops.push(' '); x--; y--; }
    ops.push(down ? '+' : '-');
    if (down) y--; else x--;
  }
  while (x > 0 && y > 0) { ops.push(' '); x--; y--; }
  return ops.reverse();
}

/** The lines of a and b merged into one script (context, deletions, insertions). */
function script(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const ma = a.slice(pre, a.length - suf);
  const mb = b.slice(pre, b.length - suf);
  const middle = myers(ma, mb, Math.min(MAX_EDITS, ma.length + mb.length)) ?? [...ma.map((): Op => '-'), ...mb.map((): Op => '+')];
  return [...new Array<Op>(pre).fill(' '), ...middle, ...new Array<Op>(suf).fill(' ')];
}

/**
 * `--- fromLabel` / `+++ toLabel` and the hunks turning `from` into `to`; '' when they are equal.
 * A last line without a line break is followed by `\ No newline at end of file`.
 */
export function unifiedDiff(from: string, to: string, fromLabel: string, toLabel: string): string {
  if (from === to) return '';
  const a = splitLines(from);
  const b = splitLines(to);
  // Keys: a last line without its line break differs from the same text with one.
  const keys = (t: { lines: string[]; lastNoEol: boolean }): string[] => t.lines.map((l, i) => `${i === t.lines.length - 1 && t.lastNoEol ? 'N' : 'L'}${l}`);
  const ops = script(keys(a), keys(b));
  const lines: Line[] = [];
  let i = 0;
  let j = 0;
  for (const op of ops) {
    if (op === '+') { lines.push({ op, text: b.lines[j], noEol: j === b.lines.length - 1 && b.lastNoEol }); j++; }
    else { lines.push({ op, text: a.lines[i], noEol: i === a.lines.length - 1 && a.lastNoEol }); i++; if (op === ' ') j++; }
  }
  const out = [`--- ${fromLabel}\n`, `+++ ${toLabel}\n`];
  // Hunks: runs of changes with up to 2 x CONTEXT unchanged lines between them.
  let k = 0;
  while (k < lines.length) {
    while (k < lines.length && lines[k].op === ' ') k++;
    if (k >= lines.length) break;
    const start = Math.max(0, k - CONTEXT);
    let end = k;
    for (;;) {
      while (end < lines.length && lines[end].op !== ' ') end++;
      let gap = end;
      while (gap < lines.length && lines[gap].op === ' ') gap++;
      if (gap < lines.length && gap - end <= 2 * CONTEXT) { end = gap; continue; }
      end = Math.min(lines.length, end + CONTEXT);
      break;
    }
    out.push(hunk(lines, start, end));
    k = end;
  }
  return out.join('');
}

function hunk(lines: readonly Line[], start: number, end: number): string {
  let aStart = 0;
  let bStart = 0;
  for (let i = 0; i < start; i++) {
    if (lines[i].op !== '+') aStart++;
    if (lines[i].op !== '-') bStart++;
  }
  let aLen = 0;
  let bLen = 0;
  const body: string[] = [];
  for (let i = start; i < end; i++) {
    const l = lines[i];
    if (l.op !== '+') aLen++;
    if (l.op !== '-') bLen++;
    body.push(`${l.op}${l.text}\n`);
    if (l.noEol) body.push('\\ No newline at end of file\n');
  }
  const range = (s: number, len: number): string => (len === 1 ? `${s + 1}` : `${len === 0 ? s : s + 1},${len}`);
  return `@@ -${range(aStart, aLen)} +${range(bStart, bLen)} @@\n${body.join('')}`;
}
