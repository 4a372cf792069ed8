// The sizing lens's words and its quick fix, through the core's API on real checks and real
// sizing: the range rewritten keeps the names' style (zero padding, qualified or not), one node is
// written without a range, and no fix is offered where the nodes are not one range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { MemoryHost } from '../../../server/src/core/host';
import { sizingAnchors, sizingFix, sizingLensTitle } from '../../../server/src/core/ide/sizing-lens';
import { sizeModel, type SizeTarget } from '../../../server/src/core/sizing/index';

const PATH = '/w/a.topo';

function sized(text: string): { fixed: (name: string) => string | null; targets: SizeTarget[]; anchors: ReturnType<typeof sizingAnchors> } {
  const check = checkText(text, PATH);
  const targets = sizeModel(check.model);
  const host = new MemoryHost(new Map([[PATH, text]]), '/w');
  return {
    targets,
    anchors: sizingAnchors(check.model),
    fixed: (name) => {
      const t = targets.find((x) => x.name === name)!;
      const fix = sizingFix(check, PATH, host, t);
      if (!fix) return null;
      let out = text;
      for (const e of [...fix.edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
      return out;
    },
  };
}

test('zero-padded names stay padded; the count 1 is one node, not a range', () => {
  // 4 replicas of 6 cores on 8-core nodes: one a node, 4 nodes, and one more for headroom 1: 5
  const five = sized('rack r { node n01..n12 { cores 8 memory 32GiB } }\ncontainer a { replicas 4 cpu 6 memory 1GiB place on r }\n');
  assert.equal(five.targets[0]!.needed?.nodes, 5);
  assert.equal(five.fixed('r'), 'rack r { node n01..n05 { cores 8 memory 32GiB } }\ncontainer a { replicas 4 cpu 6 memory 1GiB place on r }\n');
  const one = sized('defaults { headroom 0 }\nrack r { node n1..n3 { cores 8 memory 32GiB } }\ncontainer a { cpu 1 memory 1GiB place on r }\n');
  assert.equal(one.targets[0]!.needed?.nodes, 1);
  assert.match(one.fixed('r')!, /node n1 \{/);
});

test('no fix where the nodes are two declarations, and the lens says what the CLI says', () => {
  const two = sized('rack r { node a1..a6 { cores 8 memory 32GiB price 100 } node b1..b6 { cores 8 memory 32GiB price 100 } }\ncontainer c { replicas 4 cpu 6 memory 1GiB place on r }\n');
  assert.equal(two.fixed('r'), null);
  const t = two.targets[0]!;
  assert.equal(sizingLensTitle(t), `needs ${t.needed!.nodes} of 12 nodes · decided by ${t.reason} · saves ${(12 - t.needed!.nodes) * 100}`);
  assert.deepEqual(two.anchors.map((a) => a.key), ['rack:r']);
});
