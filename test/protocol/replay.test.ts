// Incremental versus fresh: seeded random edit sequences (insertions, deletions, replacements at
// random offsets, braces and quotes included, some several changes in one notification, some
// undone again) sent to the real language server over stdio as incremental didChange
// notifications; after every edit the diagnostics the server publishes for that version must
// equal a from-scratch check of the same text through the core API (checkProgram, with a new
// file host that reads the same disk). Whatever the server keeps between edits (parse caches
// today, incremental reparse and binding after issue 17) must never show.
//
//   TOPO_REPLAY_EDITS (default 1000)  edits in all, over the examples and the fuzz corpus
//   TOPO_REPLAY_SEED  (default 1)     the seed; a failure names it, the file, the edit number and
//                                     writes the text before and after the edit to test-output/
//
// The corpus: examples/*.topo, test/fixtures/**/*.topo (at their paths, so imports resolve
// against the disk as they do in an editor) and the texts of test/fuzz/regressions/*.json
// (opened as files of the regressions folder that are not on the disk).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient, type Published } from './client';
import { checkProgram } from '../../server/src/core/check';
import { LineIndex } from '../../server/src/core/text';
import { NodeFileHost } from '../../server/src/node/fileHost';
import { seeded } from '../seeded';

const EDITS = Number(process.env.TOPO_REPLAY_EDITS ?? 1000);
const SEED = Number(process.env.TOPO_REPLAY_SEED ?? 1);
/** Edits on one file before the replay closes it and opens the next. */
const SESSION = 60;
const REPO = resolve(__dirname, '../..');

function topoFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...topoFiles(p));
    else if (name.endsWith('.topo')) out.push(p);
  }
  return out;
}

interface Start { readonly path: string; readonly text: string }

function corpus(): Start[] {
  const files = [...topoFiles(join(REPO, 'examples')), ...topoFiles(join(REPO, 'test/fixtures'))].map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const regDir = join(REPO, 'test/fuzz/regressions');
  const regressions = readdirSync(regDir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const r = JSON.parse(readFileSync(join(regDir, f), 'utf8')) as { input: { text: string } };
    return { path: join(regDir, f.replace(/\.json$/, '.topo')), text: r.input.text };
  });
  return [...files, ...regressions];
}

/** What an editor could publish for one diagnostic, in a form to compare. */
interface Seen { severity: number; code: string; message: string; range: string; related: string[] }

const SEVERITY: Record<string, number> = { error: 1, warning: 2, info: 3, information: 3, hint: 4 };

function rangeText(r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** A fresh check of `text` as the file at `path`, through the core API, as the server would publish it. */
function fresh(path: string, text: string): Seen[] {
  const check = checkProgram(path, new NodeFileHost(REPO, new Map([[path, text]])), { rootText: text });
  const index = new Map<string, LineIndex>();
  const ix = (file: string): LineIndex => {
    let x = index.get(file);
    if (!x) { x = new LineIndex(check.trees.get(file)?.text ?? ''); index.set(file, x); }
    return x;
  };
  const r = (file: string, span: { start: number; end: number }): string => rangeText({ start: ix(file).position(span.start), end: ix(file).position(span.end) });
  return check.diagnostics.filter((d) => d.file === path).map((d) => ({
    severity: SEVERITY[d.severity] ?? -1, code: d.code, message: d.message, range: r(d.file, d.span),
    related: d.related.map((x) => `${x.location.file} ${r(x.location.file, x.location.span)} ${x.message}`),
  }));
}

type LspDiagnostic = Published['diagnostics'][number] & { severity?: number; relatedInformation?: { location: { uri: string; range: Published['diagnostics'][number]['range'] }; message: string }[] };

function published(p: Published): Seen[] {
  return (p.diagnostics as LspDiagnostic[]).map((d) => ({
    severity: d.severity ?? -1, code: String(d.code), message: d.message, range: rangeText(d.range),
    related: (d.relatedInformation ?? []).map((x) => `${x.location.uri.startsWith('file:') ? fileURLToPath(x.location.uri) : x.location.uri} ${rangeText(x.location.range)} ${x.message}`),
  }));
}

// ------------------------------------------------------------------ the edits

const r = seeded(SEED);
const int = (n: number): number => Math.floor(r() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

const PIECES = [
  '{', '}', '{', '}', '"', '"', '{}', '""', '#', ' ', '  ', '\n', '\n', '\t', '\r\n', '.', '..', ',', '*', '%', '-', '\\', '\\"', 'é', '😀',
  'rack', 'node', 'container', 'sds', 'import', 'defaults', 'scenario', 'fabric', 'place on', 'replicas', 'cpu', 'memory', 'request', 'limit',
  'cores', 'talks', 'weight', 'oversubscribe', 'headroom', 'policy', 'nodes', 'reserve', 'priority', 'load', 'skew', 'writes', 'image',
  '0', '1', '3', '2.5', '500m', '8GiB', '90%', '2us', '100Gbps', '1e9', '99999999999999999999', 'n1..n4', 'r0.*', 'c1',
  '"registry.example/app:1"', 'container x { cpu 1 memory 1GiB }', 'node n9 { cores 8 memory 32GiB }', '# a comment\n', '}\n', ' {\n',
];

/** An offset that splits neither a \r\n nor a surrogate pair (an editor never does). */
function snap(text: string, o: number): number {
  if (o > 0 && o < text.length) {
    const a = text.charCodeAt(o - 1);
    const b = text.charCodeAt(o);
    if ((a === 13 && b === 10) || (a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff)) return o - 1;
  }
  return o;
}

interface Change { start: number; end: number; text: string }

function piece(text: string): string {
  if (r() < 0.15 && text.length > 0) { // a copy of some of the text (paste)
    const from = int(text.length);
    return text.slice(from, from + 1 + int(40));
  }
  return pick(PIECES);
}

function randomChange(text: string): Change {
  const at = snap(text, int(text.length + 1));
  const len = 1 + (r() < 0.8 ? int(4) : int(80));
  const end = snap(text, Math.min(text.length, at + len));
  const op = int(10);
  if (op < 4) return { start: at, end: at, text: piece(text) }; // insertion
  if (op < 7) return { start: at, end: Math.max(at, end), text: '' }; // deletion
  return { start: at, end: Math.max(at, end), text: piece(text) }; // replacement
}

// ------------------------------------------------------------------ the replay

test(`incremental didChange gives the diagnostics of a fresh check after every edit (${EDITS} edits, seed ${SEED})`, { timeout: Math.max(120_000, EDITS * 200) }, async () => {
  const starts = corpus();
  assert.ok(starts.length >= 10, `the corpus has ${starts.length} files`);
  const c = new TestClient();
  c.settings = { simulateOnSave: false, simulation: { maxMillis: 500 } };
  const t0 = Date.now();
  let done = 0;
  let multi = 0;
  let undos = 0;
  let resets = 0;
  let nonEmpty = 0;
  const files = new Set<string>();
  try {
    await c.initialize(pathToFileURL(REPO).href);
    for (let session = 0; done < EDITS; session++) {
      const start = starts[(session + SEED) % starts.length];
      files.add(start.path);
      const uri = pathToFileURL(start.path).href;
      let doc = TextDocument.create(uri, 'topo', 1, start.text);
      c.open(uri, start.text);
      const expectVersion = async (what: string, before: string): Promise<void> => {
        const v = doc.version;
        await c.diagnosticsOf(uri, v).catch((e: Error) => { throw new Error(`${e.message}; server stderr:\n${c.stderr}`); });
        const got = published(c.lastDiagnostics(uri)!);
        const want = fresh(start.path, doc.getText());
        if (got.length) nonEmpty++;
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          const out = resolve(REPO, 'test-output');
          mkdirSync(out, { recursive: true });
          const base = join(out, `replay-seed-${SEED}-edit-${done}`);
          writeFileSync(`${base}-before.topo`, before);
          writeFileSync(`${base}-after.topo`, doc.getText());
          assert.deepEqual(got, want, `after ${what} (edit ${done} of seed ${SEED}, on ${start.path}, version ${v}) the published diagnostics differ from a fresh check; texts before and after in ${base}-{before,after}.topo`);
        }
      };
      await expectVersion('didOpen', '');
      const history: { undo: Change[] }[] = [];
      for (let k = 0; k < SESSION && done < EDITS; k++, done++) {
        const before = doc.getText();
        let changes: Change[];
        let what: string;
        if (before.length > 4 * start.text.length + 4000 || (before.length < 3 && r() < 0.5)) {
          changes = [{ start: 0, end: before.length, text: start.text }];
          what = 'a reset to the start text';
          resets++;
          history.length = 0;
        } else if (history.length && r() < 0.1) {
          changes = history.pop()!.undo;
          what = 'an undo';
          undos++;
        } else {
          const n = r() < 0.1 ? 2 + int(3) : 1;
          changes = [];
          let t = before;
          const undo: Change[] = [];
          for (let i = 0; i < n; i++) {
            const ch = randomChange(t);
            undo.unshift({ start: ch.start, end: ch.start + ch.text.length, text: t.slice(ch.start, ch.end) });
            t = t.slice(0, ch.start) + ch.text + t.slice(ch.end);
            changes.push(ch);
          }
          if (n > 1) multi++;
          history.push({ undo });
          what = n > 1 ? `${n} changes in one notification` : 'an edit';
        }
        // Each change's range is in the text as the changes before it left it (LSP's order).
        const lsp = [];
        for (const ch of changes) {
          const range = { start: doc.positionAt(ch.start), end: doc.positionAt(ch.end) };
          lsp.push({ range, text: ch.text });
          doc = TextDocument.update(doc, [{ range, text: ch.text }], doc.version);
        }
        doc = TextDocument.update(doc, [], doc.version + 1);
        void c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: lsp });
        what = `${what} ${JSON.stringify(lsp)}`;
        await expectVersion(what, before);
        if (c.published.length > 1000) c.published.splice(0, c.published.length - 10);
        if ((done + 1) % 10_000 === 0) console.log(`replay: ${done + 1} edits compared, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      }
      c.close(uri);
    }
  } finally {
    await c.stop();
  }
  const s = (Date.now() - t0) / 1000;
  console.log(`replay: ${done} edits (${multi} with several changes, ${undos} undos, ${resets} resets) over ${files.size} files in ${s.toFixed(1)} s (${((s * 1000) / Math.max(1, done)).toFixed(1)} ms an edit); ${nonEmpty} of the checks had diagnostics`);
  assert.ok(nonEmpty > done / 4, 'most edited texts have diagnostics: the comparison compares something');
});

// The comparison itself must be able to fail: a diagnostic out of place or with another message is seen.
test('the replay comparison sees a moved or changed diagnostic', () => {
  const path = join(REPO, 'examples', 'replay-self-test.topo');
  const want = fresh(path, 'rack r { node n { cores 0 memory 1GiB } }\n');
  assert.ok(want.length > 0, 'the broken text has diagnostics');
  const moved = fresh(path, '\nrack r { node n { cores 0 memory 1GiB } }\n');
  assert.notDeepEqual(moved, want);
  assert.ok(dirname(path).endsWith('examples'));
});
