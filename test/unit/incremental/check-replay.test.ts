import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { checkProgram, type CheckResult } from '../../../server/src/core/check';
import { MemoryHost } from '../../../server/src/core/host';
import { ProgramChecker } from '../../../server/src/core/incremental';
import { corpus, randomEdit, seeded } from './replay-edits';

const EDITS = Number(process.env.TOPO_REPLAY_CHECK_EDITS ?? 100_000);
const ROOT = '/ws/main.topo';
/** An imported file, so the program has a second file that does not change while the root does. */
const COMMON = '/ws/common.topo';
const COMMON_TEXT = 'rack shared {\n  node s1..s2 { cores 16 memory 64GiB }\n}\n';

/** Everything a check gives that an editor shows or uses, as plain data (the trees are compared by reparse.test.ts). */
function observable(c: CheckResult): unknown {
  return { texts: [...c.trees].map(([f, t]) => [f, t.text]), model: c.model, diagnostics: c.diagnostics, placement: c.placement, names: c.names };
}

test(`the language server's incremental check equals a fresh check after every one of ${EDITS} random edits`, () => {
  const texts = corpus();
  const r = seeded(23);
  const checker = new ProgramChecker();
  const perText = Math.ceil(EDITS / texts.length);
  let done = 0;
  for (const { name, text: start } of texts) {
    let text = r() < 0.3 ? `import "common.topo"\n${start}` : start;
    const original = text;
    for (let i = 0; i < perText && done < EDITS; i++, done++) {
      const next = i % 4 === 3 ? original : randomEdit(text, r);
      const host = new MemoryHost(new Map([[ROOT, next], [COMMON, COMMON_TEXT]]), '/ws');
      const got = checker.check(ROOT, host, { rootText: next });
      const want = checkProgram(ROOT, host, { rootText: next });
      if (!isDeepStrictEqual(observable(got), observable(want))) {
        assert.deepStrictEqual(observable(got), observable(want), `${name}, edit ${i}: ${JSON.stringify(text).slice(0, 300)} -> ${JSON.stringify(next).slice(0, 300)}`);
      }
      text = next;
    }
  }
  assert.equal(done, EDITS);
  assert.ok(checker.stats.incremental > EDITS * 0.25, `only ${checker.stats.incremental} of ${EDITS} checks reparsed incrementally (${checker.stats.whole} whole)`);
  console.log(`checks: ${checker.stats.incremental} incremental reparses, ${checker.stats.whole} whole-file parses`);
});
