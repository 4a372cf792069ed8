import { checkProgram } from '../../../server/src/core/check';
import { MemoryHost } from '../../../server/src/core/host';
import { simulateAll } from '../../../server/src/core/simulator/index';
import { LineIndex } from '../../../server/src/core/text';
import { isExpectationLine, parseExpectations, rangeKey } from '../fixture-format';

/**
 * Runs a ```topo example of docs/language.md through the core as `topo check` and
 * `topo simulate` would, and compares what it reports with the example's annotations (the
 * fixtures' format: `#   ^^^ T400` or `#@ L:C-L:C T400`).
 */

export const DOC_ROOT = '/work/doc';

export interface ExampleOutcome {
  /** `T400 3:11-3:13`, sorted, one per distinct code and range. */
  readonly actual: string[];
  readonly expected: string[];
  /** The root file's text with the actual diagnostics written as annotations (for messages). */
  readonly annotated: string;
  readonly simulated: boolean;
}

/** Splits an example at `# file: NAME` lines (kept, as comments); the first file is the root. */
export function exampleFiles(code: string): Map<string, string> {
  const files = new Map<string, string>();
  const lines = code.split('\n');
  let name = 'main.topo';
  let body: string[] = [];
  const flush = (): void => { if (body.some((l) => l.trim() !== '') || files.size === 0) files.set(`${DOC_ROOT}/${name}`, `${body.join('\n').replace(/\n*$/, '')}\n`); };
  for (const line of lines) {
    const m = /^# file: (\S+)\s*$/.exec(line);
    if (m) {
      if (body.some((l) => l.trim() !== '')) flush();
      name = m[1];
      body = [line];
    } else body.push(line);
  }
  flush();
  return files;
}

const outcomes = new Map<string, ExampleOutcome>();

/** The outcome of an example (remembered: several tests look at the same examples). */
export function runExample(code: string): ExampleOutcome {
  let o = outcomes.get(code);
  if (!o) { o = run(code); outcomes.set(code, o); }
  return o;
}

function run(code: string): ExampleOutcome {
  const files = exampleFiles(code);
  const [root, rootText] = [...files][0];
  const result = checkProgram(root, new MemoryHost(files, DOC_ROOT), { rootText });
  const found = new Map<string, { code: string; line: number; startCol: number; endLine: number; endCol: number }>();
  const add = (file: string, code: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): void => {
    const k = `${code} ${file === root ? '' : `${file.slice(DOC_ROOT.length + 1)}@`}${rangeKey(r.start.line, r.start.character, r.end.line, r.end.character)}`;
    if (file === root) found.set(k, { code, line: r.start.line, startCol: r.start.character, endLine: r.end.line, endCol: r.end.character });
    else found.set(k, { code, line: -1, startCol: 0, endLine: 0, endCol: 0 });
  };
  const ix = new Map<string, LineIndex>();
  const indexOf = (f: string): LineIndex => { let i = ix.get(f); if (!i) { i = new LineIndex(result.trees.get(f)?.text ?? ''); ix.set(f, i); } return i; };
  for (const d of result.diagnostics) add(d.file, d.code, indexOf(d.file).range(d.span));
  const simulated = !result.diagnostics.some((d) => d.severity === 'error');
  if (simulated) {
    const texts = new Map([...result.trees].map(([f, t]) => [f, t.text] as [string, string]));
    // As `topo simulate` runs them: the default budget, the base deployment and each scenario.
    for (const run of simulateAll(result.model, { texts, placement: result.placement })) for (const d of run.diagnostics) add(d.file, d.code, d.range);
  }
  const expected = parseExpectations(rootText).map((e) => `${e.code} ${e.range}`).sort();
  return { actual: [...found.keys()].sort(), expected, annotated: annotate(rootText, [...found.values()]), simulated };
}

/** The text without its annotation lines, then with the given diagnostics as annotations. */
function annotate(text: string, found: { code: string; line: number; startCol: number; endLine: number; endCol: number }[]): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const kept: { line: string; from: number }[] = [];
  lines.forEach((line, i) => { if (!isExpectationLine(line)) kept.push({ line, from: i }); });
  const out: string[] = [];
  for (const k of kept) {
    out.push(k.line);
    for (const d of found) {
      if (d.line !== k.from) continue;
      if (d.endLine === d.line && d.startCol >= 1 && d.endCol > d.startCol) out.push(`#${' '.repeat(d.startCol - 1)}${'^'.repeat(d.endCol - d.startCol)} ${d.code}`);
      else out.push(`#@ ${d.line}:${d.startCol}-${d.endLine}:${d.endCol} ${d.code}`);
    }
  }
  return `${out.join('\n')}\n(line numbers of #@ are those of the text with its annotation lines)`;
}
