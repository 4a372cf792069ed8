// The `$topo` problem matcher the extension contributes (package.json) reads the CLI's text
// output: on the real output of `topo check` and `topo simulate`, it matches exactly the
// diagnostic lines (not the echoed source, the carets, the notes or the summary), and what it
// captures is what the JSON output says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckDocument } from '../../../server/src/cli/documents';
import { corpus, REPO, runIn, runsOnCase } from './corpus';

interface Matcher {
  name: string;
  owner: string;
  fileLocation: string[];
  pattern: { regexp: string; file: number; line: number; column: number; severity: number; code: number; message: number };
}

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { contributes: { problemMatchers: Matcher[] } };
const matcher = manifest.contributes.problemMatchers.find((m) => m.name === 'topo');

/** VS Code's severity words (Severity.fromValue, and `hint` as info); anything else would count as an error. */
const VSCODE_SEVERITY: Record<string, string> = { error: 'error', warning: 'warning', info: 'information', hint: 'hint' };

interface Match { file: string; line: number; column: number; severity: string; code: string; message: string }

function matches(output: string): Match[] {
  assert.ok(matcher);
  const re = new RegExp(matcher.pattern.regexp);
  const p = matcher.pattern;
  const out: Match[] = [];
  for (const line of output.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    assert.ok(m[p.severity] in VSCODE_SEVERITY, `severity ${m[p.severity]} is not one VS Code reads`);
    out.push({ file: m[p.file], line: Number(m[p.line]), column: Number(m[p.column]), severity: VSCODE_SEVERITY[m[p.severity]], code: m[p.code], message: m[p.message] });
  }
  return out;
}

function expected(doc: CheckDocument): Match[] {
  return doc.diagnostics.map((d) => ({ file: d.file, line: d.range.start.line + 1, column: d.range.start.character + 1, severity: d.severity, code: d.code, message: d.message }));
}

test('the extension contributes $topo for the CLI\'s file:line:col: severity CODE: message', () => {
  assert.ok(matcher, 'package.json has no problem matcher named topo');
  // Not the language client's collection (`topo`): markers of one owner replace each other.
  assert.equal(matcher.owner, 'topo-cli');
  assert.deepEqual(matcher.fileLocation, ['autoDetect', '${workspaceFolder}']);
});

test('$topo matches every diagnostic of topo check\'s text output and nothing else, on the corpus', async () => {
  let total = 0;
  for (const c of corpus({ generated: 40, mutated: 40 })) {
    const [text, jsonOut] = await runsOnCase(c, [['check', '{file}'], ['check', '{file}', '--format', 'json']]);
    const json = JSON.parse(jsonOut.out) as CheckDocument;
    assert.deepEqual(matches(text.out), expected(json), c.name);
    total += json.diagnostics.length;
  }
  assert.ok(total > 200, `${total} diagnostics`);
});

test('$topo on several files, a file outside the working directory, and topo simulate\'s T5xx', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-matcher-'));
  const other = mkdtempSync(join(tmpdir(), 'topo-matcher-out-'));
  try {
    const bad = 'rack r1 {\n  node n1 { cores 8 memory 32GiB }\n}\ncontainer a { cpu 1 memory 1GiB place on r9 }\n';
    writeFileSync(join(dir, 'a b.topo'), bad);
    writeFileSync(join(other, 'c.topo'), bad);
    const args = ['a b.topo', join(other, 'c.topo')];
    const text = await runIn(dir, ['check', ...args]);
    const json = JSON.parse((await runIn(dir, ['check', ...args, '--format', 'json'])).out) as CheckDocument;
    const found = matches(text.out);
    assert.deepEqual(found, expected(json));
    assert.deepEqual(found.map((m) => m.file), ['a b.topo', join(other, 'c.topo')]);

    writeFileSync(join(dir, 'sim.topo'), 'defaults { duration 4s }\nrack r1 {\n  node n1..n2 { cores 8 memory 64GiB }\n}\nsds pod {\n  nodes r1.n1..n2\n  policy static\n}\ncontainer a {\n  cpu 4\n  memory 16GiB\n  workingset 16GiB skew 0 writes 30%\n  place on pod\n}\n');
    const sim = await runIn(dir, ['simulate', 'sim.topo']);
    const simJson = JSON.parse((await runIn(dir, ['simulate', 'sim.topo', '--format', 'json'])).out) as { diagnostics: { file: string; code: string; severity: string; message: string; range: { start: { line: number; character: number } } }[] };
    assert.ok(simJson.diagnostics.length > 0);
    assert.deepEqual(matches(sim.out), simJson.diagnostics.map((d) => ({ file: d.file, line: d.range.start.line + 1, column: d.range.start.character + 1, severity: d.severity, code: d.code, message: d.message })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
});
