// Replays every input the fuzzer found (test/fuzz/regressions/*.json) through the same
// invariants, so a fixed bug stays fixed. Small inputs are checked at every offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { replay } from '../../fuzz/fuzz';
import { checkInput, validEdits } from '../../fuzz/invariants';
import { readRegression, regressionFiles, TIMED } from '../../fuzz/regressions';

const files = regressionFiles();

test('the fuzzer has regression fixtures to replay', () => {
  assert.ok(files.length > 0, 'test/fuzz/regressions is empty');
});

for (const f of files) {
  const r = readRegression(f);
  test(`fuzz regression ${basename(f)}: ${r.invariant}`, { timeout: 120_000 }, () => {
    if (TIMED.has(r.invariant)) {
      // a hang cannot be interrupted in this thread: replay it in a child with a timeout
      const p = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '../../fuzz/fuzz.ts'), '--replay', f], { encoding: 'utf8', timeout: 90_000 });
      assert.equal(p.status, 0, `${p.signal ? `killed by ${p.signal} (still hangs)` : p.stdout}${p.stderr}`);
      return;
    }
    const still = replay(r);
    assert.deepEqual(still.map((x) => `${x.invariant}${x.offset === null ? '' : ` at ${x.offset}`}: ${x.message.split('\n')[0]}`), [], `${r.source}\n${JSON.stringify(r.input.text)}`);
  });
}

test('the edit check refuses overlapping and out-of-range edits', () => {
  const e = (start: number, end: number, newText = 'x'): { file: string; span: { start: number; end: number }; newText: string } => ({ file: 'f', span: { start, end }, newText });
  assert.equal(validEdits('abcdef', [e(0, 2), e(2, 4)]), null);
  assert.equal(validEdits('abcdef', [e(3, 3), e(3, 3)]), null, 'insertions at one point do not overlap');
  assert.match(validEdits('abcdef', [e(0, 3), e(2, 4)]) ?? '', /overlap/);
  assert.match(validEdits('abcdef', [e(4, 7)]) ?? '', /outside/);
  assert.match(validEdits('abcdef', [e(3, 2)]) ?? '', /outside/);
});

test('the invariants hold on a clean file at every offset (no false alarms)', () => {
  const text = '# a pod\nrack r1 {\n  node n1..n3 { cores 8 memory 64GiB disk nvme0 1TB }\n}\nsds pod { nodes r1.n1..n3 }\ncontainer web { cpu 1 memory 2GiB io r1.n1.nvme0 place on pod }\nscenario "lose one" { at 1s fail r1.n2 }\n';
  const report = checkInput({ path: '/ws/main.topo', text, files: {}, offsets: [] }, { everyOffset: true });
  assert.ok(report.clean);
  assert.deepEqual(report.failures, []);
  assert.ok((report.millis.simulate ?? 0) > 0, 'the clean file was simulated');
});
