// `topo sweep` as a user runs it (issue 20, part 3): the parallel run equals the one-thread run,
// the Kubernetes Indexed Job validates and its shards, run here as the pods would run them
// (separate processes, JOB_COMPLETION_INDEX set, the ConfigMap's files at the mount), merge to
// exactly the table and lines of one local run; the table's means and intervals are those of a
// hand computation over the run lines; bad flags and bad results get usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap } from 'kubernetes-models/v1';
import { BIN, topo } from './cli';

/** A small deployment in a subfolder that imports its racks: 2 scenarios (with the base deployment) × 4 policies. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topo-cli-sweep-'));
  writeFileSync(join(dir, 'topo.json'), '');
  mkdirSync(join(dir, 'plans'));
  writeFileSync(join(dir, 'plans', 'racks.topo'), 'rack r1 {\n  node n1..n3 { cores 8 memory 64GiB }\n}\n');
  writeFileSync(join(dir, 'plans', 'small.topo'), [
    'import "racks.topo"',
    'defaults { duration 2s }',
    'sds big {',
    '  nodes r1.n1..n3',
    '}',
    'container db { replicas 1 cpu 12 memory 80GiB place on big }',
    'container web { replicas 2 cpu 2 memory 8GiB place on big }',
    'scenario "lose n3" {',
    '  at 1s fail r1.n3',
    '}',
    '',
  ].join('\n'));
  return dir;
}

interface Line { readonly type: string; readonly [k: string]: unknown }

function lines(text: string): Line[] {
  return text.trim().split('\n').map((l) => JSON.parse(l) as Line);
}

/** Runs the CLI with an environment of its own, as a separate process (several at once). */
function topoAsync(cwd: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString('utf8'); });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

test('the parallel run gives the same table and lines as --jobs 1, and nothing but them on a pipe', () => {
  const dir = project();
  try {
    const one = topo(dir, ['sweep', 'plans/small.topo', '--seeds', '3', '--jobs', '1']);
    const two = topo(dir, ['sweep', 'plans/small.topo', '--seeds', '3', '--jobs', '2']);
    assert.equal(one.code, 0, one.err);
    assert.equal(two.code, 0, two.err);
    assert.equal(two.out, one.out);
    assert.match(one.out, /^plans\/small\.topo: 2 scenarios × 4 policies × 3 seeds = 24 runs \(seeds 1\.\.3\)$/m);
    assert.equal(one.out.split('\n').filter((l) => /^ {2}(base|lose n3) +(static|page|vcpu|cost) /.test(l)).length, 8, one.out);
    // stderr is not a terminal: no progress bar, no control character anywhere
    assert.equal(two.err, '');
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    assert.doesNotMatch(two.out, /[\u0000-\u0009\u000b-\u001f\u007f]/);
    const j1 = topo(dir, ['sweep', 'plans/small.topo', '--seeds', '3', '--jobs', '1', '--format', 'jsonl']);
    const j2 = topo(dir, ['sweep', 'plans/small.topo', '--seeds', '3', '--jobs', '2', '--format', 'jsonl']);
    assert.equal(j2.out, j1.out);
    const runs = lines(j1.out).filter((l) => l.type === 'run');
    assert.deepEqual(runs.map((r) => r.index), Array.from({ length: 24 }, (_, i) => i));
    assert.deepEqual(runs.slice(0, 4).map((r) => [r.scenario, r.policy, r.seed]), [[null, 'static', 1], [null, 'static', 2], [null, 'static', 3], [null, 'page', 1]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Indexed Job validates, and its shards run as pods merge to exactly the table and lines of one run', async () => {
  const dir = project();
  try {
    const flags = ['--seeds', '2..4', '--policies', 'cost,vcpu,static'];
    const emitted = topo(dir, ['sweep', 'plans/small.topo', ...flags, '--emit', 'k8s-job', '--image', 'registry.example/topo:0.1.0', '--shards', '4']);
    assert.equal(emitted.code, 0, emitted.err);
    const objs = parseAllDocuments(emitted.out).map((d) => d.toJS() as Record<string, unknown>);
    assert.deepEqual(objs.map((o) => o.kind), ['ConfigMap', 'Job']);
    const cm = new ConfigMap(objs[0] as never);
    cm.validate();
    const job = new Job(objs[1] as never);
    job.validate();
    const spec = job.spec;
    assert.ok(spec);
    assert.equal(spec.completionMode, 'Indexed');
    assert.equal(spec.completions, 4);
    assert.equal(spec.parallelism, 4);
    const pod = spec.template.spec;
    assert.ok(pod);
    const [container] = pod.containers;
    assert.equal(container.image, 'registry.example/topo:0.1.0');
    const volume = pod.volumes?.find((v) => v.configMap?.name === cm.metadata?.name);
    assert.ok(volume?.configMap?.items, 'the pods mount the ConfigMap');
    const mount = container.volumeMounts?.find((m) => m.name === volume.name)?.mountPath;
    assert.equal(mount, '/topo');
    // the pods' file system: the ConfigMap's items at the mount
    const podRoot = join(dir, 'pod-topo');
    for (const item of volume.configMap.items) {
      mkdirSync(dirname(join(podRoot, item.path)), { recursive: true });
      writeFileSync(join(podRoot, item.path), cm.data?.[item.key] ?? '');
    }
    assert.equal(readFileSync(join(podRoot, 'plans/racks.topo'), 'utf8'), readFileSync(join(dir, 'plans/racks.topo'), 'utf8'), 'the import travels with the file');
    const command = [...(container.command ?? []), ...(container.args ?? [])];
    assert.equal(command[0], 'topo');
    const args = command.slice(1).map((a) => (a.startsWith('/topo/') ? join(podRoot, a.slice('/topo/'.length)) : a));
    // every shard in its own process, at once, with its index as the Job controller sets it
    const elsewhere = mkdtempSync(join(tmpdir(), 'topo-cli-sweep-pod-'));
    const shards = await Promise.all([0, 1, 2, 3].map((i) => topoAsync(elsewhere, args, { JOB_COMPLETION_INDEX: String(i) })));
    rmSync(elsewhere, { recursive: true, force: true });
    shards.forEach((s, i) => {
      assert.equal(s.code, 0, s.err);
      assert.equal(s.err, '', 'a pod writes nothing but its lines');
      writeFileSync(join(dir, `shard-${i}.jsonl`), s.out);
    });
    const counts = shards.map((s) => lines(s.out).filter((l) => l.type === 'run').length);
    assert.deepEqual(counts, [5, 5, 4, 4], '18 runs over 4 shards');
    const local = topo(dir, ['sweep', 'plans/small.topo', ...flags]);
    assert.equal(local.code, 0, local.err);
    const merged = topo(dir, ['sweep', 'merge', 'shard-3.jsonl', 'shard-1.jsonl', 'shard-0.jsonl', 'shard-2.jsonl']);
    assert.equal(merged.code, 0, merged.err);
    assert.equal(merged.out, local.out);
    const localLines = topo(dir, ['sweep', 'plans/small.topo', ...flags, '--format', 'jsonl']);
    const mergedLines = topo(dir, ['sweep', 'merge', 'shard-0.jsonl', 'shard-1.jsonl', 'shard-2.jsonl', 'shard-3.jsonl', '--format', 'jsonl']);
    assert.equal(mergedLines.out, localLines.out);
    // kubectl logs of a retried pod: the shard twice, and a line of the pod's own
    writeFileSync(join(dir, 'logs.txt'), `starting\n${shards[2].out}${shards[2].out}`);
    const retried = topo(dir, ['sweep', 'merge', 'shard-0.jsonl', 'shard-1.jsonl', 'logs.txt', 'shard-3.jsonl']);
    assert.equal(retried.code, 0, retried.err);
    assert.equal(retried.out, local.out);
    assert.match(retried.err, /skipped 1 line that is not JSON \(first logs\.txt:1\)/);
    // a shard missing, a shard of another version of the file, a run cut short
    const missing = topo(dir, ['sweep', 'merge', 'shard-0.jsonl', 'shard-2.jsonl']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /shards 1, 3 of 4 missing/);
    const other = lines(shards[1].out).map((l) => (l.type === 'sweep' ? { ...l, digest: '0'.repeat(64) } : l));
    writeFileSync(join(dir, 'other.jsonl'), other.map((l) => JSON.stringify(l)).join('\n'));
    const versions = topo(dir, ['sweep', 'merge', 'shard-0.jsonl', 'other.jsonl', 'shard-2.jsonl', 'shard-3.jsonl']);
    assert.equal(versions.code, 2);
    assert.match(versions.err, /are not shards of one sweep: plans\/small\.topo differs between them/);
    writeFileSync(join(dir, 'cut.jsonl'), shards[1].out.slice(0, -40));
    const cut = topo(dir, ['sweep', 'merge', 'shard-0.jsonl', 'cut.jsonl', 'shard-2.jsonl', 'shard-3.jsonl']);
    assert.equal(cut.code, 2);
    assert.match(cut.err, /cut\.jsonl:6: not JSON/);
    writeFileSync(join(dir, 'short.jsonl'), shards[1].out.split('\n').slice(0, 3).join('\n'));
    const short = topo(dir, ['sweep', 'merge', 'shard-0.jsonl', 'short.jsonl', 'shard-2.jsonl', 'shard-3.jsonl']);
    assert.equal(short.code, 2);
    assert.match(short.err, /3 of 18 runs missing \(of shard 1\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** t(0.975, n-1) for n = 2..5, from a published table (Abramowitz & Stegun 26.10). */
const T = { 2: 12.706, 3: 4.303, 4: 3.182, 5: 2.776 } as const;

test('the table\'s means and 95% intervals are those of a hand computation over the run lines', () => {
  const dir = project();
  try {
    const args = ['sweep', 'plans/small.topo', '--seeds', '1,5,9', '--policies', 'vcpu', '--scenarios', 'lose n3,base'];
    const jsonl = topo(dir, [...args, '--format', 'jsonl']);
    assert.equal(jsonl.code, 0, jsonl.err);
    const text = topo(dir, args);
    assert.match(text.out, /\(seeds 1, 5, 9\)/);
    const runs = lines(jsonl.out).filter((l) => l.type === 'run');
    assert.deepEqual(runs.map((r) => [r.scenario, r.seed]), [['lose n3', 1], ['lose n3', 5], ['lose n3', 9], [null, 1], [null, 5], [null, 9]]);
    for (const scenario of ['lose n3', null]) {
      const mine = runs.filter((r) => r.scenario === scenario);
      const row = text.out.split('\n').find((l) => l.startsWith(`  ${scenario ?? 'base'} `));
      assert.ok(row, text.out);
      const cells = row.trim().split(/ {2,}/);
      const hand = (field: string): { mean: number; half: number } => {
        const xs = mine.map((r) => r[field] as number);
        const mean = (xs[0] + xs[1] + xs[2]) / 3;
        const sd = Math.sqrt(((xs[0] - mean) ** 2 + (xs[1] - mean) ** 2 + (xs[2] - mean) ** 2) / 2);
        return { mean, half: (T[3] * sd) / Math.sqrt(3) };
      };
      const parse = (cell: string): { mean: number; half: number } => {
        const m = /^([\d,.]+)[%xs]? ± ([\d.]+)$/.exec(cell);
        assert.ok(m, cell);
        return { mean: Number(m[1].replace(/,/g, '')), half: Number(m[2]) };
      };
      const [, policy, locality, slowdown, stall, vcpuMoves] = cells;
      assert.equal(policy, 'vcpu');
      const close = (got: { mean: number; half: number }, want: { mean: number; half: number }, scale: number, digits: number, what: string): void => {
        assert.ok(Math.abs(got.mean - want.mean * scale) <= 0.5 * 10 ** -digits + 1e-9, `${what} mean: ${got.mean} vs ${want.mean * scale}`);
        // half-widths print at least their first significant digit
        assert.ok(Math.abs(got.half - want.half * scale) <= Math.max(0.5 * 10 ** -digits, 0.5 * 10 ** Math.floor(Math.log10(want.half * scale || 1))) + 1e-9, `${what} half-width: ${got.half} vs ${want.half * scale}`);
      };
      close(parse(locality), hand('locality'), 100, 1, 'locality');
      close(parse(slowdown), hand('slowdown'), 1, 2, 'slowdown');
      close(parse(stall), hand('stallSeconds'), 1, 2, 'stall');
      close(parse(vcpuMoves), hand('vcpuMigrations'), 1, 1, 'vCPU moves');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad flags and bad input get a usage error naming the fix (exit 2), never a stack', () => {
  const dir = project();
  try {
    const cases: [string[], RegExp][] = [
      [['sweep'], /no file given/],
      [['sweep', 'plans/small.topo', 'plans/racks.topo'], /one file at a time/],
      [['sweep', 'nope.topo'], /cannot read nope\.topo: no such file/],
      [['sweep', 'plans/small.topo', '--seeds', '0'], /--seeds 0: a count of seeds from 1/],
      [['sweep', 'plans/small.topo', '--seeds', 'ten'], /--seeds takes a count \(10: seeds 1\.\.10\), a range \(5\.\.9\) or a list/],
      [['sweep', 'plans/small.topo', '--seeds', '9..3'], /the range goes down; write 3\.\.9/],
      [['sweep', 'plans/small.topo', '--seeds', '1,2,1'], /lists seed 1 twice/],
      [['sweep', 'plans/small.topo', '--policies', 'fast'], /unknown policy "fast"; the policies are static, page, vcpu, cost/],
      [['sweep', 'plans/small.topo', '--scenarios', 'lose n4'], /no scenario named "lose n4"; the file has "lose n3" \(and `base`, the base deployment\)/],
      [['sweep', 'plans/small.topo', '--jobs', '0'], /--jobs must be a number of worker threads from 1 to 256/],
      [['sweep', 'plans/small.topo', '--format', 'json'], /--format must be one of: text, jsonl/],
      [['sweep', 'plans/small.topo', '--shard', '4/4'], /--shard must be INDEX\/COUNT with 0 <= INDEX < COUNT/],
      [['sweep', 'plans/small.topo', '--shards', '4'], /JOB_COMPLETION_INDEX .*is not set: give --shard INDEX\/N/],
      [['sweep', 'plans/small.topo', '--emit', 'k8s-job'], /--emit k8s-job needs --image IMAGE/],
      [['sweep', 'plans/small.topo', '--emit', 'helm', '--image', 'x'], /--emit takes k8s-job/],
      [['sweep', 'plans/small.topo', '--image', 'x'], /--image goes with --emit k8s-job/],
      [['sweep', 'plans/small.topo', '--emit', 'k8s-job', '--image', 'x', '--shards', '99'], /--shards must be a count from 1 to 40/],
      [['sweep', 'plans/small.topo', '--emit', 'k8s-job', '--image', 'x', '--name', 'My_Job'], /is not a Job name Kubernetes takes/],
      [['sweep', 'plans/small.topo', '--emit', 'k8s-job', '--image', 'x', '--jobs', '2'], /--jobs does not go with --emit k8s-job/],
      [['sweep', 'plans/small.topo', '--out', 'plans/racks.topo'], /plans\/racks\.topo exists; use --force to overwrite it/],
      [['sweep', 'plans/small.topo', '--frobnicate'], /unknown option --frobnicate/],
      [['sweep', 'merge'], /no results given/],
      [['sweep', 'merge', 'plans/small.topo'], /plans\/small\.topo:1: not JSON|no sweep results/],
    ];
    for (const [args, message] of cases) {
      const r = topo(dir, args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message, args.join(' '));
      assert.match(r.err, /usage: topo sweep FILE/, args.join(' '));
      assert.doesNotMatch(r.err, /internal error|at .*\.js:\d+/, args.join(' '));
    }
    assert.equal(readFileSync(join(dir, 'plans/racks.topo'), 'utf8').startsWith('rack r1'), true, '--out did not touch the existing file');
    // a JOB_COMPLETION_INDEX that is not one of the shards
    const pod = spawnSync(process.execPath, [BIN, 'sweep', 'plans/small.topo', '--shards', '3'], { cwd: dir, env: { ...process.env, JOB_COMPLETION_INDEX: '3' } });
    assert.equal(pod.status, 2);
    assert.match(pod.stderr.toString(), /JOB_COMPLETION_INDEX is "3": it must be a shard index from 0 to 2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('on a terminal a progress bar on stderr, then the table; the bar holds nothing but its own characters', { skip: spawnSync('script', ['--version']).status !== 0 && 'needs script(1) for a terminal' }, () => {
  const dir = project();
  try {
    // script(1) gives the CLI a pseudo-terminal: stdout and stderr both arrive here
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} sweep plans/small.topo --seeds 2 --policies cost,static --jobs 2`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const bars = r.stdout.split('\r').filter((s) => s.startsWith('['));
    assert.ok(bars.length >= 1, r.stdout);
    assert.match(bars[bars.length - 1], /^\[#+\] 8\/8 runs \d+s/);
    for (const b of bars) assert.match(b, /^\[[#-]+\] \d+\/8 runs \d+s *$/);
    assert.match(r.stdout, /8 runs in [\d.]+ s on 2 threads/);
    assert.match(r.stdout, / {2}lose n3 +static /);
    // no escape sequence: the bar is redrawn with a carriage return only
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    assert.doesNotMatch(r.stdout, /\u001b/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Dockerfile builds the image the Job runs: node:20-slim with topo on the PATH', () => {
  const text = readFileSync(join(__dirname, '../../Dockerfile'), 'utf8');
  assert.match(text, /^FROM node:20-slim/m);
  assert.match(text, /npm pack/);
  assert.match(text, /npm install -g .*topo\.tgz/);
  assert.match(text, /^ENTRYPOINT \["topo"\]$/m, 'the Job runs `topo` (its command); the image has it on the PATH');
});
