import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, simulateAll } from '../../../server/src/core/simulator/index';
import { applySaturation } from '../../../server/src/core/simulator/saturation';
import { Recorder } from '../../../server/src/core/simulator/stats';
import type { SimulationDiagnostic, SimulationResult } from '../../../server/src/core/result';
import { LineIndex } from '../../../server/src/core/text';
import { parseExpectations, rangeKey } from '../fixture-format';
import { EXAMPLES, PATH, POLICIES, example, modelOf, sdsText } from './helpers';

/*
 * Per-node and per-link traffic, saturated links and T504 (docs/simulator.md, "Traffic and
 * saturated links"; docs/language.md, T504).
 */

const near = (actual: number, expected: number, rel: number, what: string): void => {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} is not within ${rel * 100}% of ${expected}`);
};

/** The diagnostics of a run as fixture lines: `T504 L:C-L:C related L:C-L:C ...`. */
function described(diagnostics: readonly SimulationDiagnostic[], code: string): string[] {
  const key = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) => rangeKey(r.start.line, r.start.character, r.end.line, r.end.character);
  return diagnostics.filter((d) => d.code === code).map((d) => `${d.code} ${key(d.range)} related ${(d.related ?? []).map((r) => key(r.range)).join(' ')}`).sort();
}

function expectedOf(text: string): string[] {
  return parseExpectations(text).map((e) => `${e.code} ${e.range} related ${e.related.join(' ')}`).sort();
}

const link = (r: SimulationResult, name: string) => {
  const l = r.traffic?.links.find((x) => x.link === name);
  assert.ok(l, `no traffic on ${name}: ${JSON.stringify(r.traffic)}`);
  return l;
};
const node = (r: SimulationResult, ref: string) => {
  const n = r.traffic?.nodes.find((x) => x.ref === ref);
  assert.ok(n, `no traffic through ${ref}: ${JSON.stringify(r.traffic)}`);
  return n;
};

// ---------------------------------------------------------------- packed: a NIC over its nic

const PACKED = `defaults { headroom 0 }

rack r1 {
  node n1..n4 { cores 16 memory 64GiB nic 1Gbps }
#                                         ^^^^^ T504
}

container web {
#         ^^^ related
  replicas 4
  cpu 8
  memory 4GiB
  load 100%
  spread nodes
  talks db weight 10%
}

container db {
  cpu 4
  memory 16GiB
}
`;

test('packed: the bytes a NIC and the rack carry, computed by hand; T504 on the `nic` value with the sender as related information', () => {
  const r = simulate(modelOf(PACKED), { texts: new Map([[PATH, PACKED]]) });
  // web's 4 replicas spread over n1..n4; db (one replica) lands on n1 (spread pack: the least used node first).
  assert.deepEqual(r.containers.find((c) => c.name === 'db')?.nodes, { 'r1.n1': 1 });
  // Each web replica runs ceil(8 x 100%) = 8 vCPUs, no time slicing (n1: 8 + 4 x 50% = 10 of 16 cores),
  // so 8 x 1,000,000 accesses/s, 10% of them messages to db: 800,000 messages/s of 64 B = 51.2 MB/s.
  // The replica on n1 is local to db; the three on n2..n4 each send 51.2 MB/s into n1:
  //   n1 in = 3 x 51.2 MB/s = 153.6 MB/s = 1.2288 Gbps > 1 Gbps (125 MB/s); n2..n4 out = 51.2 MB/s each.
  near(node(r, 'r1.n1').peakIn, 153.6e6, 1e-9, 'n1 incoming');
  assert.equal(node(r, 'r1.n1').peakOut, 0);
  for (const ref of ['r1.n2', 'r1.n3', 'r1.n4']) near(node(r, ref).peakOut, 51.2e6, 1e-9, `${ref} outgoing`);
  near(link(r, 'r1').peak, 153.6e6, 1e-9, 'rack r1');
  // over the run (30 s): 153.6 MB/s x 30 s on the link
  near(link(r, 'r1').bytes, 153.6e6 * 30, 1e-9, 'rack r1 bytes');
  assert.equal(r.summary.networkBytes, link(r, 'r1').bytes, 'every byte is on a link');
  assert.deepEqual(described(r.diagnostics, 'T504'), expectedOf(PACKED));
  const d = r.diagnostics.find((x) => x.code === 'T504');
  assert.equal(d?.subject, 'r1.n1');
  assert.match(d?.message ?? '', /^predicted traffic into r1\.n1's NIC peaks at 1\.2 Gbps between 15 s and 15\.45 s, over its nic of 1 Gbps: raise `nic` to at least 2Gbps, or spread the containers that send most of it \(web\) over more nodes$/);
  assert.match(d?.related?.[0]?.message ?? '', /^web causes 100% of the traffic through r1\.n1's NIC$/);
  // at 2 Gbps it fits: no T504
  const fits = PACKED.replace('nic 1Gbps', 'nic 2Gbps');
  assert.deepEqual(simulate(modelOf(fits)).diagnostics.filter((x) => x.code === 'T504'), []);
});

test('a default nic: T504 on the node\'s name', () => {
  // 3 remote replicas x 32 vCPUs x 1,000,000/s x 60% x 64 B = 3.6864 GB/s into n1 > 25 Gbps (3.125 GB/s)
  const text = `defaults { headroom 0 }
rack r1 {
  node n1..n4 { cores 64 memory 64GiB }
#      ^^^^^^ T504
}
container web {
#         ^^^ related
  replicas 4
  cpu 32
  memory 4GiB
  load 100%
  spread nodes
  talks db weight 60%
}
container db { cpu 4 memory 16GiB }
`;
  const r = simulate(modelOf(text), { texts: new Map([[PATH, text]]) });
  near(node(r, 'r1.n1').peakIn, 3 * 32e6 * 0.6 * 64, 1e-9, 'n1 incoming');
  assert.deepEqual(described(r.diagnostics, 'T504'), expectedOf(text));
});

// ---------------------------------------------------------------- SDS: a rack link over its bandwidth

/** Two nodes of 8 cores (7 usable), one container of 8 vCPUs at 100% (4 per node), uniform accesses, `static`. */
const twoNodes = (bandwidth: string, tick = '10ms', duration = '4s'): string => sdsText(2, `container a {
  cpu 8
  memory 8GiB
  load 100%
  workingset 8GiB skew 0 writes 30%
  place on pod
}`, { bandwidth, policy: 'static', duration }).replace('defaults {', `defaults {\n  tick ${tick}`);

/*
 * By hand. First touch deals the 8 GiB out evenly over the two nodes and nothing moves
 * (`static`), so half of the accesses are remote: locality L = 1/2. A remote access costs
 * c = latency + 64 B / bandwidth. A vCPU computes 1 us per access (1,000,000 accesses per
 * second of computing) and stalls (1 - L) c per access, so it issues 1 / (1 us + c / 2)
 * accesses per second, half of them remote, 64 B each, all on rack r1's link.
 *
 * bandwidth 500 Mbps = 62.5 MB/s: c = 2 us + 64 / 62.5e6 s = 2 us + 1.024 us = 3.024 us;
 * per vCPU 1 / 2.512 us = 398,089.2 accesses/s, 199,044.6 remote, x 64 B = 12.7389 MB/s;
 * 8 vCPUs: 101.911 MB/s = 815.3 Mbps on the link, utilisation u = 101.911 / 62.5 = 1.6306.
 * Each node's NIC carries half of it each way (4 vCPUs): 50.96 MB/s, under 25 Gbps.
 */
const C500 = 2e-6 + 64 / 62.5e6;
const RATE500 = 1 / (1e-6 + C500 / 2);
const LINK500 = 8 * RATE500 * 0.5 * 64;

test('SDS by hand: the bytes per second on the rack link of two nodes; T504 on the rack\'s `bandwidth`', () => {
  const text = twoNodes('500Mbps');
  const r = simulate(modelOf(text), { texts: new Map([[PATH, text]]) });
  const shares = Object.values(r.containers[0].nodes);
  for (const s of shares) near(s, 0.5, 0.02, 'memory share');
  // L is 1/2 within 0.01 (the memory shares), which moves the figure by at most 0.8%
  near(link(r, 'r1').peak, LINK500, 0.015, 'rack r1 peak (hand)');
  // with the locality the run measured, the figure follows to rounding
  const L = r.containers[0].locality ?? NaN;
  near(link(r, 'r1').peak, 8 * 64 * (1 - L) / (1e-6 + (1 - L) * C500), 0.005, 'rack r1 peak (measured locality)');
  near(node(r, 'r1.n1').peakIn, LINK500 / 2, 0.02, 'n1 incoming');
  near(node(r, 'r1.n1').peakOut, LINK500 / 2, 0.02, 'n1 outgoing');
  near(link(r, 'r1').utilisation, LINK500 / 62.5e6, 0.015, 'utilisation');
  const t504 = r.diagnostics.filter((d) => d.code === 'T504');
  assert.equal(t504.length, 1, JSON.stringify(t504));
  const li = new LineIndex(text);
  assert.equal(text.slice(li.offset(t504[0].range.start), li.offset(t504[0].range.end)), '500Mbps');
  assert.equal(t504[0].subject, 'r1');
  assert.match(t504[0].message, /^predicted traffic between the nodes of rack r1 peaks at 0\.8 Gbps between 2 s and 2\.5 s, /);
  assert.match(t504[0].message, /over the rack's bandwidth of 0\.5 Gbps \(1\.6\dx what it carries\): raise `bandwidth` to at least 1Gbps, or move some of the containers that send most of it \(a\) to another rack$/);
  assert.match(t504[0].related?.[0]?.message ?? '', /^a causes 100% of the traffic between the nodes of rack r1 at its peak$/);
  assert.deepEqual(t504[0].related?.map((x) => text.slice(li.offset(x.range.start), li.offset(x.range.end))), ['a']);
});

test('SDS by hand under --exact: the link\'s bytes per second agree with the hand figure and the estimator', () => {
  const text = twoNodes('500Mbps', '10ms', '1s');
  const model = modelOf(text);
  const exact = simulate(model, { exact: true });
  const est = simulate(model);
  // every real access drawn: within sampling noise (about 400,000 remote accesses per bucket of 5 ms)
  near(link(exact, 'r1').bytes / 1, link(est, 'r1').bytes, 0.02, 'exact vs estimator, bytes over the run');
  near(link(exact, 'r1').bytes / exact.summary.simulatedSeconds, LINK500, 0.03, 'exact, mean rate vs hand');
  assert.equal(exact.summary.networkBytes, link(exact, 'r1').bytes);
});

// ---------------------------------------------------------------- saturation

test('saturation: a saturated link carries its bandwidth and no more, so the work that needs it shrinks (by hand); an unsaturated one is left alone', () => {
  // bandwidth 500 Mbps: the work offers 101.9 MB/s to a link that carries 62.5 MB/s. Each access moves
  // 32 B in expectation (half of them remote, 64 B each), so the link allows 62.5e6 / 32 = 1,953,125
  // accesses/s, 244,140.6 per vCPU: 0.244 s of computing per second, slowdown 1 / 0.244140625 = 4.096
  // (unsaturated it would be 1 + 1.512 = 2.512). Stall: 8 vCPUs x 4 s x (1 - 0.244140625) = 24.1875 s.
  const sat = simulate(modelOf(twoNodes('500Mbps')), { saturation: true });
  near(sat.containers[0].slowdown ?? NaN, 1 / ((62.5e6 / 32 / 8) * 1e-6), 0.015, 'saturated slowdown');
  near(sat.summary.stallSeconds, 8 * 4 * (1 - (62.5e6 / 32 / 8) * 1e-6), 0.015, 'saturated stall seconds');
  // 100 Gbps: c = 2.00512 us, u = 127.8 MB/s / 12.5 GB/s = 0.0102: slowdown 1 + 1.00256 = 2.00256, stall 8 x 499,361 x 4 x 1.00256 us = 16.02 s
  const fast = simulate(modelOf(twoNodes('100Gbps')), { saturation: true });
  // and bit-identical to a run without the model
  assert.equal(JSON.stringify({ ...fast.summary, wallMillis: 0 }), JSON.stringify({ ...simulate(modelOf(twoNodes('100Gbps'))).summary, wallMillis: 0 }));
  const c = 2e-6 + 64 / 12.5e9;
  near(fast.containers[0].slowdown ?? NaN, 1 + c / 2 / 1e-6, 0.015, 'unsaturated slowdown');
  near(fast.summary.stallSeconds, 8 * (1 / (1e-6 + c / 2)) * 4 * (c / 2), 0.015, 'unsaturated stall seconds');
  near(link(fast, 'r1').utilisation, (8 * (1 / (1e-6 + c / 2)) * 0.5 * 64) / 12.5e9, 0.015, 'unsaturated utilisation');
  assert.deepEqual(fast.diagnostics.filter((d) => d.code === 'T504'), []);
});

test('saturation: halving the bandwidth of a saturated link increases the stall', () => {
  const at = (bw: string) => simulate(modelOf(twoNodes(bw)), { saturation: true });
  const a = at('500Mbps');
  const b = at('250Mbps');
  assert.ok(b.summary.stallSeconds > a.summary.stallSeconds, `${b.summary.stallSeconds} > ${a.summary.stallSeconds}`);
  // 250 Mbps carries 31.25 MB/s: 976,562.5 accesses/s, 122,070 per vCPU, slowdown 8.192 (twice 4.096)
  near(b.containers[0].slowdown ?? NaN, 8.192, 0.015, '250 Mbps slowdown');
  near(a.containers[0].slowdown ?? NaN, 4.096, 0.015, '500 Mbps slowdown');
});

test('applySaturation: below capacity the recorder is bit-identical; over it the work shrinks to what the link carries', () => {
  const model = modelOf(twoNodes('100Gbps'));
  const cap = 12.5e9;
  // one container of 4 vCPUs in buckets of 0.5 s: 2 s elapsed, 0.5 s computing (no slicing), 1.5 s stall
  const make = (bytes: number): Recorder => {
    const rec = new Recorder(2, 0.5, 1, 2, 0, Int32Array.from([0, 0]), 1);
    rec.covered.fill(0.5);
    for (let b = 0; b < 2; b++) {
      rec.compute[b] = 0.5; rec.contended[b] = 0.5; rec.stall[b] = 1.5; rec.stallTotal[b] = 1.5;
      rec.linkBytes[b * rec.links] = bytes;
      rec.cLinkBytes.row(0, 0)[b] = bytes;
    }
    return rec;
  };
  const under = make(cap * 0.5);
  const before = JSON.stringify([Array.from(under.compute), Array.from(under.contended), Array.from(under.stall), Array.from(under.stallTotal)]);
  applySaturation(under, model);
  assert.equal(JSON.stringify([Array.from(under.compute), Array.from(under.contended), Array.from(under.stall), Array.from(under.stallTotal)]), before);
  // twice what the link carries in 0.5 s: 2 x cap bytes per second of computing, the link carries cap x 0.5 s,
  // so 0.25 s of computing fits; the 2 s elapsed stay: stall 2 - 0.25 = 1.75 s
  const over = make(cap * 1.0);
  applySaturation(over, model);
  for (let b = 0; b < 2; b++) {
    near(over.compute[b], 0.25, 1e-9, 'computing');
    near(over.stall[b], 1.75, 1e-9, 'stall');
    near(over.stallTotal[b], 1.75, 1e-9, 'stall total');
  }
  applySaturation(over, model);
  near(over.stallTotal[0], 1.75, 1e-9, 'once only');
});

// ---------------------------------------------------------------- independence of the tick and the sampling rate

test('tick independence: the peak traffic per link and node and the T504 verdict do not change when the tick is halved or doubled', (t) => {
  let worst = 0;
  for (const policy of POLICIES) {
    for (const bw of ['500Mbps', '2Gbps']) {
      const run = (tick: string) => simulate(modelOf(twoNodes(bw, tick).replace('policy static', `policy ${policy}`)));
      const base = run('10ms');
      for (const tick of ['5ms', '20ms']) {
        const r = run(tick);
        for (const l of base.traffic?.links ?? []) {
          const other = link(r, l.link);
          const d = Math.abs(other.peak - l.peak) / l.peak;
          worst = Math.max(worst, d);
          assert.ok(d <= 0.05, `${policy} ${bw}: the peak on ${l.link} moved by ${(d * 100).toFixed(1)}% at tick ${tick}`);
        }
        for (const n of base.traffic?.nodes ?? []) {
          const o = node(r, n.ref);
          const d = Math.abs(Math.max(o.peakIn, o.peakOut) - Math.max(n.peakIn, n.peakOut)) / Math.max(n.peakIn, n.peakOut);
          worst = Math.max(worst, d);
          assert.ok(d <= 0.05, `${policy} ${bw}: the peak through ${n.ref} moved by ${(d * 100).toFixed(1)}% at tick ${tick}`);
        }
        assert.deepEqual(r.diagnostics.filter((d) => d.code === 'T504').map((d) => d.subject), base.diagnostics.filter((d) => d.code === 'T504').map((d) => d.subject), `${policy} ${bw} tick ${tick}`);
      }
    }
  }
  t.diagnostic(`largest change of a peak: ${(worst * 100).toFixed(2)}%`);
});

test('sampling independence: under vcpu (sampled hops) halving or doubling the samples keeps the peak traffic and the verdict', () => {
  const text = twoNodes('2Gbps').replace('policy static', 'policy vcpu');
  const model = modelOf(text);
  const base = simulate(model);
  for (const samples of [0.5, 2]) {
    const r = simulate(model, { sampleRate: samples });
    for (const l of base.traffic?.links ?? []) {
      const d = Math.abs(link(r, l.link).peak - l.peak) / l.peak;
      assert.ok(d <= 0.05, `vcpu: the peak on ${l.link} moved by ${(d * 100).toFixed(1)}% at sampleRate ${samples}`);
      const total = Math.abs(link(r, l.link).bytes - l.bytes) / l.bytes;
      assert.ok(total <= 0.03, `vcpu: the bytes on ${l.link} moved by ${(total * 100).toFixed(1)}% at sampleRate ${samples}`);
    }
    assert.deepEqual(r.diagnostics.filter((d) => d.code === 'T504').map((d) => d.subject), base.diagnostics.filter((d) => d.code === 'T504').map((d) => d.subject));
  }
});

// ---------------------------------------------------------------- accounting and the examples

test('every byte the run counts is on a link, in every mode, on the examples (fabric included)', () => {
  for (const name of EXAMPLES) {
    const { model } = example(name);
    for (const policy of POLICIES) {
      const r = simulate(model, { policy, duration: 3 });
      const onLinks = (r.traffic?.links ?? []).reduce((s, l) => s + l.bytes, 0);
      near(onLinks, r.summary.networkBytes, 1e-6, `${name} ${policy}`);
    }
  }
});

test('the examples get T504 only where it is true: multi-rack\'s pod-b, which runs `page` and thrashes', () => {
  for (const name of [...EXAMPLES, 'sizing-costs', 'tenants']) {
    const { model } = example(name);
    const base = simulate(model);
    const t504 = base.diagnostics.filter((d) => d.code === 'T504').map((d) => d.subject).sort();
    if (name !== 'multi-rack') { assert.deepEqual(t504, [], name); continue; }
    // pod-b (r2.t1..t4) is the file's `page` SDS: its chunks bounce between the nodes at many times
    // what rack r2 carries (its containers run hundreds of times slower than alone: T503 says so too)
    assert.deepEqual(t504, ['r2', 'r2.t1', 'r2.t2', 'r2.t3', 'r2.t4']);
    assert.ok(base.containers.filter((c) => c.target === 'pod-b').every((c) => (c.slowdown ?? 0) > 2), JSON.stringify(base.containers));
    assert.ok(base.diagnostics.some((d) => d.code === 'T503'));
    // under cost the same file is clean
    assert.deepEqual(simulate(model, { policy: 'cost' }).diagnostics.filter((d) => d.code === 'T504').map((d) => d.message), []);
  }
  // (spec-example's scenario fails a node: the evacuation is an instant, not judged; no T504 either)
  const all = simulateAll(example('spec-example').model, {});
  assert.deepEqual(all.flatMap((r) => r.diagnostics.filter((d) => d.code === 'T504').map((d) => d.message)), []);
});
