// Issue 15, the simulator's part, through the real interfaces: the built CLI as a process
// (`node bin/topo.js simulate`) and the language server over stdio.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestClient } from './client';

const BIN = resolve(__dirname, '../../bin/topo.js');

interface Sim {
  summary: { locality: number; networkBytes: number };
  containers: { name: string; replicas: number; locality: number | null; slowdown: number | null; nodes: Record<string, number> }[];
  events: { kind: string; target: string; absorbed: boolean }[];
  diagnostics: { code: string; message: string; subject: string; scenario?: string | null }[];
}

/** Runs the CLI on one file written to a fresh folder. */
function topo(args: string[], text: string): { code: number; out: string; err: string } {
  const dir = mkdtempSync(join(tmpdir(), 'topo-issue15-sim-'));
  try {
    writeFileSync(join(dir, 'a.topo'), text);
    const r = spawnSync(process.execPath, [BIN, ...args.map((a) => (a === 'FILE' ? 'a.topo' : a))], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function simulate(text: string, ...args: string[]): { code: number; sim: Sim } {
  const r = topo(['simulate', 'FILE', '--format', 'json', ...args], text);
  assert.ok(r.code === 0 || r.code === 1, r.err);
  return { code: r.code, sim: JSON.parse(r.out) as Sim };
}

/** Text output joined across its wrapped lines. */
const unwrapped = (out: string): string => out.replace(/\n {4}/g, ' ');

// ---------------------------------------------------------------- 1. scale on packed targets

const FRONTEND = `rack ra {
  node w1..w18 { cores 16 memory 64GiB }
}
container frontend {
  replicas 12
  cpu 1
  memory 2GiB
  spread nodes
  place on ra
}
scenario "black friday" {
  at 5s scale frontend to 30
}
scenario "fill the rack" {
  at 5s scale frontend to 18
}
defaults { duration 10s }
`;

test('scale on a rack honours spread: 30 replicas with `spread nodes` on 18 nodes is not absorbed (T501 naming spread), 18 are, one per node', () => {
  // the same count in the base deployment is T405: the scenario follows the placement engine's rules
  const base = topo(['check', 'FILE', '--format', 'json'], FRONTEND.replace('replicas 12', 'replicas 30'));
  assert.ok((JSON.parse(base.out) as { diagnostics: { code: string }[] }).diagnostics.some((d) => d.code === 'T405'), base.out);
  const over = simulate(FRONTEND, '--scenario', 'black friday');
  assert.equal(over.code, 1, 'an event that is not absorbed stops the scenario: exit 1');
  assert.deepEqual(over.sim.events.map((e) => [e.kind, e.target, e.absorbed]), [['scale', 'frontend', false]]);
  const t501 = over.sim.diagnostics.find((d) => d.code === 'T501');
  assert.match(t501?.message ?? '', /scaling frontend to 30 at 5s does not fit rack ra: 12 of the new replicas cannot start \(`spread nodes` allows one replica per node, and every node left has one\)/);
  const text = topo(['simulate', 'FILE', '--scenario', 'black friday'], FRONTEND);
  assert.match(unwrapped(text.out), /error T501: scaling frontend to 30 at 5s does not fit rack ra/);
  const fits = simulate(FRONTEND, '--scenario', 'fill the rack');
  assert.equal(fits.code, 0);
  assert.equal(fits.sim.events[0].absorbed, true);
  const frontend = fits.sim.containers.find((c) => c.name === 'frontend')!;
  assert.equal(frontend.replicas, 18);
  assert.equal(Object.keys(frontend.nodes).length, 18, 'one replica on every node');
});

const NOTEBOOKS = `rack lab {
  node g1..g8 { cores 16 memory 128GiB }
}
container notebook {
  replicas 10
  cpu request 500m limit 2
  memory 4GiB
  place on lab
}
scenario "class starts" {
  at 5s scale notebook to 60
}
scenario "too many" {
  at 5s scale notebook to 70
}
defaults { duration 10s }
`;

test('scale on a rack honours the per-node limit allowance: no node ends with more limits than cores; past it, T501 says so', () => {
  const ok = simulate(NOTEBOOKS, '--scenario', 'class starts');
  assert.equal(ok.sim.events[0].absorbed, true);
  const nb = ok.sim.containers.find((c) => c.name === 'notebook')!;
  assert.equal(nb.replicas, 60);
  // 2 cores of limit each against 16 cores per node: at most 8 per node
  for (const [node, share] of Object.entries(nb.nodes)) assert.ok(Math.round(share * 60) <= 8, `${node} holds ${Math.round(share * 60)} notebooks`);
  const over = simulate(NOTEBOOKS, '--scenario', 'too many');
  assert.equal(over.code, 1);
  assert.match(over.sim.diagnostics.find((d) => d.code === 'T501')?.message ?? '', /6 of the new replicas cannot start \(the nodes of rack lab have room for its requests but not for its limits/);
});

test('a failed node\'s replicas restart by the same rules; when they cannot, T501 names the replicas and why', () => {
  const text = `rack r {
  node n1..n3 { cores 8 memory 32GiB }
}
container api {
  replicas 3
  cpu 1
  memory 2GiB
  spread nodes
  place on r
}
scenario "lose n2" {
  at 2s fail r.n2
}
defaults { duration 4s headroom 0 }
`;
  const r = simulate(text, '--scenario', 'lose n2');
  assert.equal(r.code, 1);
  assert.match(r.sim.diagnostics.find((d) => d.code === 'T501')?.message ?? '', /when r\.n2 fails at 2s, 1 of its 1 replicas of api cannot restart \(`spread nodes` allows one replica per node/);
  const loose = simulate(text.replace('  spread nodes\n', ''), '--scenario', 'lose n2');
  assert.equal(loose.code, 0);
  assert.equal(loose.sim.events[0].absorbed, true);
  const api = loose.sim.containers.find((c) => c.name === 'api')!;
  assert.equal(api.replicas, 3);
  assert.equal(api.nodes['r.n2'], undefined, 'nothing left on the failed node');
});

// ---------------------------------------------------------------- 2. T503 on every target kind

test('T503 on a packed target: CPU time slicing over 2x is reported, with the cause', () => {
  const text = `defaults {
  oversubscribe cpu 4 memory 1
  duration 2s
}
rack r {
  node n1 { cores 4 memory 64GiB }
}
container batch {
  replicas 2
  cpu request 1 limit 8
  load 100%
  memory 4GiB
  place on r
}
`;
  const r = simulate(text);
  const batch = r.sim.containers.find((c) => c.name === 'batch')!;
  assert.ok(Math.abs(batch.slowdown! - 4) < 1e-6, `16 cores of demand on 4: ${batch.slowdown}`);
  const t503 = r.sim.diagnostics.find((d) => d.code === 'T503');
  assert.equal(t503?.subject, 'batch');
  assert.match(t503?.message ?? '', /batch runs 4(\.0+)?x slower than alone/);
  assert.match(t503?.message ?? '', /time slicing/);
  // at 2x or less it is quiet: the rule is the printed (rounded) slowdown over 2
  const fine = simulate(text.replace('limit 8', 'limit 4'));
  assert.equal(fine.sim.diagnostics.filter((d) => d.code === 'T503').length, 0);
});

// ---------------------------------------------------------------- 3. network bytes of packed talks

test('packed targets count the talks traffic that crosses nodes (64 B per message): a hand-computed case', () => {
  const text = `defaults { duration 2s }
rack r {
  node n1..n2 { cores 8 memory 32GiB }
}
container a {
  cpu 1
  load 100%
  memory 1GiB
  talks b weight 50%
  place on r.n1
}
container b {
  cpu 1
  load 100%
  memory 1GiB
  place on r.n2
}
`;
  const r = simulate(text);
  // a: 1 vCPU x 2 s x 1e6 accesses/s x 50% to b, all across the network, 64 B each; b talks to nobody
  assert.equal(r.sim.summary.networkBytes, 64_000_000);
  assert.equal(r.sim.containers.find((c) => c.name === 'a')!.locality, 0.5);
  const same = simulate(text.replace('place on r.n2', 'place on r.n1'));
  assert.equal(same.sim.summary.networkBytes, 0, 'on one node nothing crosses');
  assert.match(topo(['simulate', 'FILE'], text).out, /network 61\.04MiB/);
});

// ---------------------------------------------------------------- 4. scale to 0

test('`scale C to 0`: the container gets no locality or slowdown figure, and no T500', () => {
  const text = `${FRONTEND.replace('scenario "black friday"', 'scenario quiet').replace('scale frontend to 30', 'scale frontend to 0')}
container api {
  cpu 1
  memory 1GiB
  talks frontend weight 90%
  place on ra
}
`;
  const r = simulate(text, '--scenario', 'quiet');
  const frontend = r.sim.containers.find((c) => c.name === 'frontend')!;
  assert.equal(frontend.replicas, 0);
  assert.equal(frontend.locality, null);
  assert.equal(frontend.slowdown, null);
  assert.ok(!r.sim.diagnostics.some((d) => d.subject === 'frontend'), JSON.stringify(r.sim.diagnostics));
  assert.match(topo(['simulate', 'FILE', '--scenario', 'quiet'], text).out, /\n {2}frontend +0 +ra +- +-\n/);
});

// ---------------------------------------------------------------- 6. nothing to simulate

test('an empty file, or one with nothing that runs, says there is nothing to simulate', () => {
  for (const text of ['', '# just a comment\n', 'rack r {\n  node n1 { cores 4 memory 8GiB }\n}\n']) {
    const r = topo(['simulate', 'FILE'], text);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'a.topo: nothing to simulate: no container with replicas runs on an SDS, a rack or a node set\n');
    assert.doesNotMatch(r.out, /100\.0%/);
    const compare = topo(['simulate', 'FILE', '--compare'], text);
    assert.match(compare.out, /nothing to simulate/);
  }
});

// ---------------------------------------------------------------- 5. scenario diagnostics, through the language server

const SCENARIO_T500 = `defaults { duration 4s }
rack r1 {
  node n1..n2 { cores 8 memory 32GiB }
}
sds pod {
  nodes r1.*
  policy static
}
container db {
  cpu 4
  memory 24GiB
  workingset 24GiB skew 0
  place on pod
}
scenario "more load" {
  at 1s load db 50%
}
`;

let c: TestClient;
before(async () => {
  c = new TestClient();
  await c.initialize();
});
after(async () => { await c.stop(); });

test('language server: a scenario\'s T500 names the scenario and relates the scenario and the base run\'s figure', async () => {
  const uri = 'file:///work/issue15-sim/scenario.topo';
  c.open(uri, SCENARIO_T500);
  c.save(uri);
  type Diag = { code: string; message: string; range: { start: { line: number } }; relatedInformation?: { location: { uri: string; range: { start: { line: number } } }; message: string }[] };
  const t500s = await c.until('the simulator diagnostics', () => {
    const d = (c.lastDiagnostics(uri)?.diagnostics ?? []) as Diag[];
    const found = d.filter((x) => x.code === 'T500');
    return found.length === 2 ? found : undefined;
  }, 60_000);
  const base = t500s.find((d) => !/scenario/.test(d.message))!;
  const scen = t500s.find((d) => /in scenario "more load"/.test(d.message))!;
  assert.ok(base && scen, JSON.stringify(t500s));
  assert.match(base.message, /^predicted locality of db is \d+(\.\d)?%/);
  assert.match(scen.message, /^predicted locality of db in scenario "more load" is \d+(\.\d)?%/);
  const related = scen.relatedInformation ?? [];
  assert.equal(related.length, 2, JSON.stringify(related));
  assert.equal(related[0].message, 'scenario "more load"');
  assert.equal(related[0].location.uri, uri);
  assert.equal(related[0].location.range.start.line, 14, 'at the scenario\'s name');
  assert.match(related[1].message, /^in the base deployment: locality \d+\.\d% ± \d+\.\d$/);
  assert.equal(related[1].location.range.start.line, base.range.start.line, 'at the base run\'s T500');
  const basePct = /is (\d+(\.\d)?)%/.exec(base.message)![1];
  assert.ok(related[1].message.includes(`${Number(basePct).toFixed(1)}%`) || related[1].message.includes(basePct), `${related[1].message} vs ${base.message}`);
});
