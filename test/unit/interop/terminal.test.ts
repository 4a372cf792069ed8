import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main';
import type { CliIo } from '../../../server/src/cli/io';
import { echoLine, jsonText, terminalText } from '../../../server/src/cli/terminal';
import { firstForbidden, hostileCompose, hostileFileNames, hostileKubernetes, hostileTopos, PAYLOADS } from './hostile';

async function run(cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd };
  const code = await main(args, io);
  return { code, out, err };
}

function assertClean(what: string, text: string): void {
  const bad = firstForbidden(text);
  assert.equal(bad, undefined, `${what}: ${bad}`);
}

test('terminalText escapes every control but the line break; jsonText stays JSON and escapes DEL, C1 and bidi', () => {
  assert.equal(terminalText('a\x1b[31mb\x07c\td\re\x7ff\u009bg\u202eh\nI'), 'a\\x1b[31mb\\x07c\\td\\re\\x7ff\\x9bg\\u202eh\nI');
  for (const p of PAYLOADS) assert.equal(firstForbidden(terminalText(p)), undefined, JSON.stringify(p));
  const value = { s: PAYLOADS.join('|') };
  const json = jsonText(value);
  assert.equal(firstForbidden(json), undefined);
  assert.deepEqual(JSON.parse(json), value);
});

test('echoLine: tabs expand, controls are escaped, and the caret stays under the same characters', () => {
  const src = '\tcontainer c { place on \x1b[31mr2 }';
  const at = src.indexOf('r2');
  const e = echoLine(src, at, at + 2);
  assert.equal(e.text, '    container c { place on \\x1b[31mr2 }');
  assert.equal(e.text.slice(e.caret.indexOf('^'), e.caret.indexOf('^') + e.caret.trim().length), 'r2');
  // a range over an escaped character covers its whole escape
  const esc = src.indexOf('\x1b');
  const e2 = echoLine(src, esc, esc + 1);
  assert.equal(e2.text.slice(e2.caret.indexOf('^'), e2.caret.indexOf('^') + e2.caret.trim().length), '\\x1b');
});

test('hostile files, file names, scenario names and YAML: no command writes a control character (in process, 200 inputs)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-hostile-'));
  try {
    let runs = 0;
    const files = hostileTopos(7, 200);
    for (const [i, f] of files.entries()) {
      writeFileSync(join(dir, f.name), f.text);
      const commands: string[][] = [['check', f.name], ['check', f.name, '--format', 'json'], ['place', f.name], ['check', f.name, '--format', 'sarif'], ['check', f.name, '--format', 'github'], ['fmt', f.name, '--diff'], ['fmt', f.name, '--check']];
      if (i % 5 === 0) commands.push(['export', 'k8s', f.name, '--out', `out${i}`]);
      if (f.scenario) commands.push(['simulate', f.name, '--scenario', f.scenario], ['simulate', f.name, '--scenario', `${f.scenario}\x1b[0m missing`]);
      for (const args of commands) {
        const r = await run(dir, args);
        runs++;
        assert.ok(r.code === 0 || r.code === 1 || r.code === 2, `${args.join(' ')}: exit ${r.code}\n${r.err}`);
        assertClean(`${JSON.stringify(args)} stdout`, r.out);
        assertClean(`${JSON.stringify(args)} stderr`, r.err);
        if ((args.includes('json') || args.includes('sarif')) && r.out) JSON.parse(r.out);
      }
    }
    for (const name of hostileFileNames()) {
      writeFileSync(join(dir, name), 'rack r1 { node n1 { cores 8 memory 32GiB } }\ncontainer c { cpu 1 memory 1GiB place on r2 }\n');
      for (const args of [['check', name], ['place', name], ['simulate', name], ['export', 'k8s', name, '--out', 'o'], ['check', `${name}.missing`], ['import', 'compose', name]]) {
        const r = await run(dir, args);
        runs++;
        assertClean(`${JSON.stringify(args)} stdout`, r.out);
        assertClean(`${JSON.stringify(args)} stderr`, r.err);
      }
    }
    writeFileSync(join(dir, 'h.compose.yaml'), hostileCompose());
    writeFileSync(join(dir, 'h.k8s.yaml'), hostileKubernetes());
    for (const args of [['import', 'compose', 'h.compose.yaml'], ['import', 'k8s', 'h.k8s.yaml'], ['import', 'k8s', 'binary.topo'], ['import', 'compose', 'binary.topo']]) {
      const r = await run(dir, args);
      runs++;
      assertClean(`${JSON.stringify(args)} stdout`, r.out);
      assertClean(`${JSON.stringify(args)} stderr`, r.err);
    }
    // the payloads did reach the output, escaped (the test would pass vacuously otherwise)
    const shown = await run(dir, ['check', 'h2.topo']);
    assert.match(shown.out + shown.err, /\\x1b|\\x07|\\x9b|\\u202e|\\x7f|\\x00|\\r|\\t/);
    const imported = await run(dir, ['import', 'compose', 'h.compose.yaml']);
    assert.match(imported.err, /\\x1b\[31m/);
    assert.ok(runs > 1400, `${runs} runs`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
