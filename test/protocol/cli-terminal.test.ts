// `node bin/topo.js` on hostile inputs (check in every format, place, simulate, export, import, fmt): the bytes it writes to stdout and stderr never hold a
// control character (other than the line break), DEL, a C1 control or a bidirectional override,
// whatever the file, its name, a scenario name or an imported YAML holds (issue 15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forbiddenBytes, hostileCompose, hostileFileNames, hostileKubernetes, hostileTopos } from '../unit/interop/hostile';
import { topo } from './cli';

function assertClean(args: readonly string[], r: { stdout: Buffer; stderr: Buffer }): void {
  for (const [name, bytes] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
    const bad = forbiddenBytes(bytes);
    assert.equal(bad, undefined, `topo ${JSON.stringify(args)} ${name}: ${bad}`);
  }
}

test('the CLI process never writes a terminal control from user input (check, place, simulate, export, import)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-cli-hostile-'));
  try {
    let runs = 0;
    let simulated = 0;
    const exec = (args: string[]) => {
      const r = topo(dir, args);
      runs++;
      assert.ok(r.code === 0 || r.code === 1 || r.code === 2, `topo ${JSON.stringify(args)} exited ${r.code}: ${r.err}`);
      assertClean(args, r);
      return r;
    };
    const files = hostileTopos(11, 16); // four of each kind, and the binary file
    for (const [i, f] of files.entries()) {
      writeFileSync(join(dir, f.name), f.text);
      exec(['check', f.name]);
      const json = exec(['check', f.name, '--format', 'json']);
      JSON.parse(json.out);
      if (i % 4 === 0) exec(['place', f.name]);
      if (i % 4 === 2) JSON.parse(exec(['check', f.name, '--format', 'sarif']).out);
      if (i % 4 === 3) exec(['check', f.name, '--format', 'github']);
      if (i % 4 === 1) exec(['fmt', f.name, '--diff']);
      if (i % 4 === 1) exec(['export', 'k8s', f.name, '--out', `out${i}`]);
      if (f.scenario && !f.scenario.includes('\0')) { // an argument cannot hold NUL
        const sim = exec(['simulate', f.name, '--scenario', f.scenario, '--seed', '1']);
        if (sim.code === 0 && /^h\d+\.topo: scenario "s\d+\\/.test(sim.out)) simulated++;
      }
    }
    for (const name of hostileFileNames()) {
      writeFileSync(join(dir, name), 'rack r1 { node n1 { cores 8 memory 32GiB } }\ncontainer c { cpu 1 memory 1GiB place on r2 }\n');
      exec(['check', name]);
      exec(['check', `${name}.missing`]);
    }
    writeFileSync(join(dir, 'h.compose.yaml'), hostileCompose());
    writeFileSync(join(dir, 'h.k8s.yaml'), hostileKubernetes());
    const compose = exec(['import', 'compose', 'h.compose.yaml']);
    assert.equal(compose.code, 0, compose.err);
    assert.match(compose.err, /\\x1b\[31m/, 'the payload is shown, escaped');
    exec(['import', 'k8s', 'h.k8s.yaml']);
    exec(['import', 'k8s', 'binary.topo']);
    const binary = exec(['check', 'binary.topo']);
    assert.equal(binary.code, 1);
    assert.match(binary.out, /\\x00|\\x1b|\\x7f/);
    exec(['simulate', 'h0.topo', '--scenario', 'no\x1b]0;such\x07 scenario']);
    exec(['nosuch\x1b[31mcommand']);
    assert.ok(runs >= 50, `${runs} runs`);
    assert.ok(simulated >= 1, 'a scenario with a hostile name was simulated and its name shown escaped');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
