import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main';
import { shares } from '../../../server/src/cli/simulate';
import { formatRate } from '../../../server/src/core/placement/format';
import type { CliIo } from '../../../server/src/cli/io';
import type { SimulationResult } from '../../../server/src/core/result';

const ROOT = join(__dirname, '../../..');
const BIN = join(ROOT, 'bin/topo.js');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: ROOT };
  const code = await main(['simulate', ...args], io);
  return { code, out, err };
}

/** The CLI as a process (the bundle in dist/; built by the test runner's build step). */
function topo(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function file(text: string, name = 'f.topo'): string {
  const dir = mkdtempSync(join(tmpdir(), 'topo-sim-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('topo simulate --format json prints the v2 document for a scenario, policy and seed', async () => {
  const r = await run(['examples/spec-example.topo', '--scenario', 'lose a node', '--policy', 'page', '--seed', '7', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as SimulationResult;
  assert.equal(doc.version, '2');
  assert.deepEqual([doc.input.file, doc.input.scenario, doc.input.policy, doc.input.seed, doc.input.samples, doc.input.exact], ['examples/spec-example.topo', 'lose a node', 'page', 7, 32, false]);
  assert.equal(doc.events.length, 2);
  for (const c of doc.containers) assert.ok(typeof c.localityError === 'number' && typeof c.slowdownError === 'number', c.name);
  assert.ok(typeof doc.summary.localityError === 'number' && typeof doc.summary.slowdown === 'number');
});

test('topo simulate text: summary with intervals, containers, where memory and vCPUs are, nodes, events', async () => {
  const r = await run(['examples/spec-example.topo', '--scenario', 'lose a node']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^examples\/spec-example\.topo: scenario "lose a node", policy cost, seed 1\n20s simulated in ticks of 10 ms, 32 samples per vCPU per tick\n/);
  assert.match(r.out, /\nlocality \d+\.\d% ± \d+\.\d {2}slowdown \d+\.\d+x ± \d+\.\d+ {2}stall/);
  assert.match(r.out, /\n {2}container +replicas +target +locality +slowdown\n/);
  assert.match(r.out, /\n {2}analytics +1 +pod1 +\d+\.\d% ± \d+\.\d +\d+\.\d+x ± \d+\.\d+\n/);
  assert.match(r.out, /\n {2}container +memory on +vCPUs on\n/);
  assert.match(r.out, /\n {2}r1\.n3 +pod1 .*FAILED/);
  assert.match(r.out, /\n {2}5s +fail +r1\.n3 +yes/);
});

test('topo simulate --compare: policies ranked by slowdown with intervals; json: ranking and runs by policy', async () => {
  const t = await run(['examples/spec-example.topo', '--compare']);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /\nranked by slowdown: {2}1\. cost \d+\.\d+x ± \d+\.\d+ {2}2\. /);
  assert.match(t.out, /\n {2} +cost +\S+ +\S+ +\S+\n {2}slowdown +\d/);
  const j = await run(['examples/spec-example.topo', '--compare', '--format', 'json']);
  const doc = JSON.parse(j.out) as { version: string; ranking: string[]; runs: Record<string, SimulationResult> };
  assert.equal(doc.version, '1');
  assert.deepEqual(Object.keys(doc.runs), ['static', 'page', 'vcpu', 'cost']);
  assert.deepEqual([...doc.ranking].sort(), ['cost', 'page', 'static', 'vcpu']);
  assert.equal(doc.ranking[0], t.out.match(/ranked by slowdown: {2}1\. (\w+)/)?.[1]);
  assert.ok(doc.runs.cost.summary.slowdown < doc.runs.static.summary.slowdown);
});

test('topo simulate --samples, --budget and --exact', async () => {
  const few = JSON.parse((await run(['examples/spec-example.topo', '--policy', 'vcpu', '--samples', '8', '--format', 'json'])).out) as SimulationResult;
  assert.equal(few.input.samples, 8);
  const tight = JSON.parse((await run(['examples/spec-example.topo', '--policy', 'page', '--budget', '5', '--format', 'json'])).out) as SimulationResult;
  assert.match(tight.diagnostics.find((d) => d.code === 'T502')?.message ?? '', /within its share of the 5 ms budget/);
  const small = file(`rack r1 {\n  node n1..n2 { cores 8 memory 32GiB }\n}\nsds pod { nodes r1.* }\ncontainer a {\n  cpu 2\n  load 100%\n  memory 4GiB\n  place on pod\n}\ndefaults { duration 1s }\n`);
  const exact = await run([small, '--exact', '--format', 'json']);
  assert.equal(exact.code, 0, exact.err);
  const doc = JSON.parse(exact.out) as SimulationResult;
  assert.equal(doc.input.exact, true);
  assert.ok(doc.summary.sampledAccesses > 1e6, 'every real access drawn');
  // too slow for --exact: a usage error naming the estimate
  const big = await run(['examples/analytics-sds.topo', '--exact']);
  assert.equal(big.code, 2);
  assert.match(big.err, /--exact would draw [0-9.]+ billion real accesses, about \d+ s here \(the limit is 60 s\)/);
  for (const bad of [['--samples', '0'], ['--samples', 'x'], ['--budget', '-3'], ['--budget', 'soon']]) {
    const r = await run(['examples/spec-example.topo', ...bad]);
    assert.equal(r.code, 2, bad.join(' '));
    assert.match(r.err, new RegExp(bad[0]));
  }
});

test('topo simulate exit codes: 2 for usage, 1 when the file has errors or an event is not absorbed (T501)', async () => {
  assert.equal((await run([])).code, 2);
  assert.equal((await run(['examples/spec-example.topo', '--policy', 'fast'])).code, 2);
  assert.equal((await run(['examples/spec-example.topo', '--seed', 'x'])).code, 2);
  const bad = await run(['examples/spec-example.topo', '--scenario', 'nope']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /no scenario named "nope"; the file has "lose a node"/);
  const broken = file('rack r1 {\n  node n1 { cores -3 }\n}\n', 'broken.topo');
  const r = await run([broken]);
  assert.equal(r.code, 1);
  assert.match(r.err, /not simulated: the file has errors/);
  assert.equal(r.out, '');
  const lose = file(`rack r1 {
  node n1..n2 { cores 8 memory 64GiB }
}
sds pod { nodes r1.* }
container a {
  cpu 2
  memory 100GiB
  workingset 20GiB
  place on pod
}
scenario lose {
  at 1s fail r1.n2
}
defaults { duration 2s }
`);
  const stopped = await run([lose, '--scenario', 'lose']);
  assert.equal(stopped.code, 1);
  assert.match(stopped.out.replace(/\n {4}/g, ' '), /error T501: when r1\.n2 fails at 1s, the surviving nodes cannot hold its memory: the scenario stops there/);
  assert.match(stopped.out, /the figures cover the first 1s/);
  assert.doesNotMatch(stopped.out, /100GiB \/ 64GiB/, 'no node shown holding more than it has');
  assert.equal((await run([lose])).code, 0, 'the base deployment is fine');
});

test('the CLI process (bin/topo.js): text lines fit in 100 columns, on every example and a node set of 18 nodes', () => {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const wide = file(`rack ra {
  node w1..w18 { cores 16 memory 64GiB }
}
container a-container-with-a-long-name-for-its-column {
  replicas 12
  cpu 1
  memory 1GiB
  spread nodes
  place on ra.w1..w12
}
`);
  for (const f of ['examples/spec-example.topo', 'examples/analytics-sds.topo', 'examples/multi-rack.topo', 'examples/microservices-rack.topo', wide]) {
    for (const extra of [[], ['--compare']]) {
      const r = topo(['simulate', f, ...extra]);
      assert.ok(r.code === 0 || r.code === 1, `${f}: ${r.err}`);
      for (const line of r.out.split('\n')) assert.ok([...line].length <= 100, `${f} ${extra.join(' ')}: ${line.length} columns: ${line}`);
    }
  }
  const r = topo(['simulate', wide]);
  assert.match(r.out, /ra\.w1\.\.w12 /, 'the node set in its compact form');
});

test('topo simulate examples/*.topo --compare: every file ranked, cost best or within 5% of the best on each; json takes one file', async () => {
  const examples = ['examples/analytics-sds.topo', 'examples/microservices-rack.topo', 'examples/multi-rack.topo', 'examples/spec-example.topo'];
  const text = await run([...examples, '--compare']);
  assert.equal(text.code, 0, text.err);
  for (const f of examples) assert.match(text.out, new RegExp(`^${f.replace('.', '\\.')}: base deployment`, 'm'));
  assert.equal(text.out.match(/^ranked by slowdown:/gm)?.length, examples.length);
  for (const f of examples) {
    const r = await run([f, '--compare', '--format', 'json']);
    const byPolicy = (JSON.parse(r.out) as { runs: Record<string, SimulationResult> }).runs;
    const best = Math.min(...Object.values(byPolicy).map((x) => x.summary.slowdown));
    assert.ok(byPolicy.cost.summary.slowdown <= best * 1.05, `${f}: cost ${byPolicy.cost.summary.slowdown} against the best ${best}`);
  }
  const two = await run([examples[0], examples[1], '--format', 'json']);
  assert.equal(two.code, 2);
  assert.match(two.err, /--format json takes one file/);
});

test('scenario names and messages reach the terminal without raw control characters', async () => {
  const name = 'evil\u001b[31mred\u0007';
  const f = file(`rack r {
  node n1..n2 { cores 8 memory 32GiB }
}
container a {
  cpu 1
  memory 1GiB
  talks b weight 90%
  place on r.n1
}
container b {
  cpu 1
  memory 1GiB
  place on r.n2
}
scenario "${name}" {
  at 1s fail r.n2
}
defaults { duration 2s }
`);
  const r = await run([f, '--scenario', name]);
  assert.ok(r.out.length > 0, r.err);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(r.out, /[\u0000-\u0008\u000b-\u001f\u007f]/);
  assert.match(r.out, /scenario "evil\\x1b\[31mred\\x07"/);
});

test('each SDS runs its own policy; --policy (and a scenario\'s policy) override every SDS\'s, and the text says which ran', async () => {
  const sds = (a: string, b: string, scenario = ''): string => `rack r1 {\n  node n1..n4 { cores 8 memory 32GiB }\n}\nsds a {\n  nodes r1.n1..n2\n${a}}\nsds b {\n  nodes r1.n3..n4\n${b}}\n` +
    `container x {\n  cpu 6\n  load 100%\n  memory 16GiB\n  skew 0\n  place on a\n}\ncontainer y {\n  cpu 6\n  load 100%\n  memory 16GiB\n  skew 0\n  place on b\n}\ndefaults { duration 4s }\n${scenario}`;
  const json = async (text: string, args: string[] = []): Promise<SimulationResult> => JSON.parse((await run([file(text), '--format', 'json', ...args])).out) as SimulationResult;
  const mixed = await json(sds('  policy static\n', '  policy vcpu\n'));
  assert.deepEqual(mixed.input.sdsPolicies, { a: 'static', b: 'vcpu' });
  const allStatic = await json(sds('  policy static\n', '  policy static\n'));
  const allVcpu = await json(sds('  policy vcpu\n', '  policy vcpu\n'));
  // x on a ran static, y on b ran vcpu: the same figures as when the whole file runs that policy
  assert.deepEqual([mixed.containers[0].locality, mixed.containers[0].slowdown], [allStatic.containers[0].locality, allStatic.containers[0].slowdown]);
  assert.deepEqual([mixed.containers[1].locality, mixed.containers[1].slowdown], [allVcpu.containers[1].locality, allVcpu.containers[1].slowdown]);
  assert.notEqual(allStatic.containers[1].slowdown, allVcpu.containers[1].slowdown, 'the two policies give different figures here');
  const text = await run([file(sds('  policy static\n', '  policy vcpu\n'))]);
  assert.match(text.out, /: base deployment, policy static on a, vcpu on b, seed 1\n/);
  const onlyB = await run([file(sds('', '  policy vcpu\n'))]);
  assert.match(onlyB.out, /: base deployment, policy vcpu on b, cost elsewhere, seed 1\n/);
  // the run's --policy overrides every SDS's
  const forced = await json(sds('  policy static\n', '  policy vcpu\n'), ['--policy', 'page']);
  assert.equal(forced.input.policy, 'page');
  assert.deepEqual(forced.input.sdsPolicies, { a: 'page', b: 'page' });
  assert.match((await run([file(sds('  policy static\n', '  policy vcpu\n')), '--policy', 'page'])).out, /: base deployment, policy page, seed 1\n/);
  // so does a scenario's policy, for that scenario's run
  const scen = await json(sds('  policy static\n', '  policy vcpu\n', 'scenario "all cost" {\n  policy cost\n  at 1s load x 50%\n}\n'), ['--scenario', 'all cost']);
  assert.deepEqual(scen.input.sdsPolicies, { a: 'cost', b: 'cost' });
});

test('an interval is printed as ± 0.0 only when it is zero: a smaller one shows its first digit', async () => {
  const { errorText, localityText, slowdownText } = await import('../../../server/src/cli/simulate');
  assert.equal(errorText(0, 1), '0.0');
  assert.equal(errorText(0.0003, 2), '0.0003');
  assert.equal(errorText(0.04, 1), '0.04');
  assert.equal(errorText(0.06, 1), '0.1');
  assert.equal(localityText(0.5, 0), '50.0% ± 0.0');
  assert.equal(localityText(0.5, 0.000005), '50.0% ± 0.0005');
  assert.equal(slowdownText(16.04, 0.000123), '16.0x ± 0.0001');
  // a sampled run (vcpu) states a non-zero interval, and the text does not round it to zero
  const r = await run(['examples/analytics-sds.topo', '--policy', 'vcpu']);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out.split('\n')[2], /± 0\.0\b(?!\d)/);
});

test('a tiny half-width is written in decimals, never with an exponent', async () => {
  const { errorText } = await import('../../../server/src/cli/simulate');
  assert.equal(errorText(5e-7, 1), '0.0000005');
  assert.equal(errorText(0.00036, 2), '0.0004');
  assert.equal(errorText(1e-12, 1), '0.0');
});

test('rates and shares in the text report: units that fit the size, no exponents, no 0% entries', () => {
  assert.equal(formatRate(12.5e9), '100 Gbps');
  assert.equal(formatRate(1.5e9 / 8), '1.5 Gbps');
  assert.equal(formatRate(480e6 / 8), '480 Mbps');
  assert.equal(formatRate(2.5e6 / 8), '2.5 Mbps');
  assert.equal(formatRate(48e3 / 8), '48 kbps');
  assert.equal(formatRate(6), '<1 kbps');
  assert.equal(formatRate(0), '0 Gbps');
  assert.equal(shares({ a: 1, b: 0, c: 0 }), 'a 100%');
  assert.equal(shares({ a: 0.996, b: 0.004 }), 'a 100%, b <1%');
  assert.equal(shares({ a: 0.5, b: 0.3, c: 0.2 }), 'a 50%, b 30%, +1');
  assert.equal(shares({}), '-');
});
