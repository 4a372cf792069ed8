// `--format github`: one workflow command per finding, with the escaping the Actions runner
// undoes (checked by unescaping with the runner's rules and comparing to the JSON output).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckDocument } from '../../../server/src/cli/documents';
import { escapeData, escapeProperty } from '../../../server/src/cli/github';
import { REPO, runIn } from './corpus';

/** The runner's unescaping: properties `%3A` `%2C` `%0D` `%0A` `%25`, data `%0D` `%0A` `%25` (%25 last). */
function unescape(s: string, property: boolean): string {
  let out = s.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  if (property) out = out.replace(/%3A/g, ':').replace(/%2C/g, ',');
  return out.replace(/%25/g, '%');
}

interface Command {
  readonly name: string;
  readonly props: Record<string, string>;
  readonly message: string;
}

/** Parses `::name k=v,k=v::message` the way the runner does: properties end at the first `::`. */
function parse(line: string): Command {
  const m = /^::([a-z]+) ([^]*?)::([^]*)$/.exec(line);
  assert.ok(m, `not a workflow command: ${line}`);
  const props: Record<string, string> = {};
  for (const kv of m[2].split(',')) {
    const eq = kv.indexOf('=');
    props[kv.slice(0, eq)] = unescape(kv.slice(eq + 1), true);
  }
  return { name: m[1], props, message: unescape(m[3], false) };
}

test('escaping: %, CR and LF in data; also : and , in properties; round trip', () => {
  assert.equal(escapeData('50% of\r\nx: a, b'), '50%25 of%0D%0Ax: a, b');
  assert.equal(escapeProperty('C:\\a,b%.topo\n'), 'C%3A\\a%2Cb%25.topo%0A');
  for (const s of ['%0A', '%%25', 'a:b,c', '\r\n\n%3A', '']) {
    assert.equal(unescape(escapeProperty(s), true), s);
    assert.equal(unescape(escapeData(s), false), s);
  }
});

test('topo check --format github: one command per diagnostic, positions and messages as the JSON gives them', async () => {
  for (const f of ['test/fixtures/T4xx/T405-spread.topo', 'test/fixtures/T4xx/T402-near-allowance.topo', 'test/fixtures/T1xx/T101-unclosed-block.topo']) {
    const g = await runIn(REPO, ['check', f, '--format', 'github']);
    const j = await runIn(REPO, ['check', f, '--format', 'json']);
    assert.equal(g.code, j.code);
    const doc = JSON.parse(j.out) as CheckDocument;
    const lines = g.out.split('\n').filter((l) => l.startsWith('::'));
    assert.equal(lines.length, doc.diagnostics.length, f);
    assert.match(g.out, /\n?\d+ files? checked: \d+ errors?, \d+ warnings?\n$/);
    lines.forEach((line, i) => {
      const d = doc.diagnostics[i];
      const c = parse(line);
      assert.equal(c.name, d.severity === 'error' ? 'error' : 'warning');
      assert.equal(c.props.file, f);
      assert.equal(c.props.title, d.code);
      assert.equal(c.props.line, String(d.range.start.line + 1));
      assert.equal(c.props.col, String(d.range.start.character + 1));
      assert.equal(c.props.endLine, String(d.range.end.line + 1));
      if (d.range.end.line === d.range.start.line) assert.equal(c.props.endColumn, String(Math.max(d.range.start.character + 1, d.range.end.character)));
      const notes = d.relatedInformation.map((r) => `\n${r.file}:${r.range.start.line + 1}:${r.range.start.character + 1}: note: ${r.message}`).join('');
      assert.equal(c.message, d.message + notes);
    });
  }
});

test('file names with , : % and a newline-free message with % survive the escaping', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-gh-'));
  try {
    const name = 'a,b:c%d.topo';
    writeFileSync(join(dir, name), 'rack r1 {\n  node n1 { cores 8 memory 32GiB }\n}\ncontainer a { cpu 1 memory 1GiB load 150% place on r1 }\n');
    const g = await runIn(dir, ['check', name, '--format', 'github']);
    const j = JSON.parse((await runIn(dir, ['check', name, '--format', 'json'])).out) as CheckDocument;
    const cmds = g.out.split('\n').filter((l) => l.startsWith('::')).map(parse);
    assert.ok(cmds.length > 0 && cmds.length === j.diagnostics.length);
    assert.ok(g.out.includes('file=a%2Cb%3Ac%25d.topo,') && g.out.includes('`150%25`'), g.out);
    for (const [i, c] of cmds.entries()) {
      assert.equal(c.props.file, name);
      assert.equal(c.message.split('\n')[0], j.diagnostics[i].message);
    }
    assert.ok(!g.out.split('\n').some((l) => l.startsWith('::') && /::[^:]*,[^=]*::/.test(l.replace(/^::[a-z]+ /, '::'))), 'a raw comma in a property');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
