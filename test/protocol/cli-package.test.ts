// The installable CLI: `npm pack` (its prepack builds the bundles) gives a package with exactly
// what `topo` runs; installed with `npm install -g` into a temporary prefix and run with only
// Node on the PATH, from a folder outside the repository, `topo --version`, `check`, `simulate`,
// `fmt` and `place` work and its documents name the schemas the package carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };

/** What the CLI's package must hold: bin, the top-level bundles the build wrote (the CLI and its worker), the schemas; npm adds the rest. */
function expectedFiles(): string[] {
  const bundles = readdirSync(join(REPO, 'dist')).filter((f) => f.endsWith('.js')).map((f) => `dist/${f}`);
  const schemas = readdirSync(join(REPO, 'schemas')).filter((f) => f.endsWith('.schema.json')).map((f) => `schemas/${f}`);
  return ['LICENSE', 'README.md', 'package.json', 'bin/topo.js', ...bundles, ...schemas].sort();
}

function run(cmd: string, args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout ?? '', err: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

test('npm pack, npm install -g into a temporary prefix, and topo runs with only Node', { timeout: 600_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'topo-pack-'));
  try {
    const npmEnv = { ...process.env, npm_config_cache: join(tmp, 'npm-cache'), npm_config_update_notifier: 'false' };
    const packed = run('npm', ['pack', '--pack-destination', tmp], { cwd: REPO, env: npmEnv });
    assert.equal(packed.code, 0, packed.err);
    const tarball = join(tmp, `${pkg.name}-${pkg.version}.tgz`);
    assert.ok(existsSync(tarball), `no ${tarball}: ${readdirSync(tmp).join(', ')}`);

    const listed = run('tar', ['-tzf', tarball], { cwd: tmp });
    assert.equal(listed.code, 0, listed.err);
    const files = listed.out.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')).sort();
    assert.deepEqual(files, expectedFiles(), 'the package holds exactly what the CLI runs');

    const prefix = join(tmp, 'prefix');
    const installed = run('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { cwd: tmp, env: npmEnv });
    assert.equal(installed.code, 0, installed.err);
    const home = join(prefix, 'lib', 'node_modules', pkg.name);
    assert.ok(!existsSync(join(home, 'node_modules')), 'installing pulled in dependencies');

    // A machine with only Node: the prefix's bin and node's own folder on the PATH, nothing else.
    const work = join(tmp, 'work');
    const env: NodeJS.ProcessEnv = { PATH: [join(prefix, 'bin'), dirname(process.execPath)].join(':'), HOME: tmp };
    run('mkdir', ['-p', work], { cwd: tmp });
    copyFileSync(join(REPO, 'examples/spec-example.topo'), join(work, 'spec-example.topo'));
    const topo = (...args: string[]) => run('topo', args, { cwd: work, env });

    const version = topo('--version');
    assert.equal(version.code, 0, version.err);
    assert.equal(version.out, `topo ${pkg.version}\n`);

    const check = topo('check', 'spec-example.topo');
    assert.equal(check.code, 0, check.err);
    assert.equal(check.out, '1 file checked: 0 errors, 0 warnings\n');

    const sim = topo('simulate', 'spec-example.topo', '--format', 'json');
    assert.equal(sim.code, 0, sim.err);
    const doc = JSON.parse(sim.out) as { input: { file: string }; summary: { locality: number } };
    assert.equal(doc.input.file, 'spec-example.topo');
    assert.ok(doc.summary.locality > 0 && doc.summary.locality <= 1);

    const text = topo('simulate', 'spec-example.topo', '--scenario', 'lose a node');
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^spec-example\.topo: scenario "lose a node"/);

    assert.equal(topo('fmt', '--check', 'spec-example.topo').code, 0);
    const place = topo('place', 'spec-example.topo', '--format', 'json');
    assert.equal(place.code, 0, place.err);
    const schema = (JSON.parse(place.out) as { $schema: string }).$schema;
    assert.ok(existsSync(join(home, 'schemas', schema.slice(schema.lastIndexOf('/') + 1))), `${schema} is not in the package`);

    const broken = topo('check', 'missing.topo');
    assert.equal(broken.code, 2);
    assert.match(broken.err, /cannot read missing\.topo/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
