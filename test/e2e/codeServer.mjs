/* global fetch */
// Installs (once, cached outside the repository) and runs code-server, VS Code's own workbench and
// Node extension host served to a browser. Follows shared/recipes/real-editor.md step by step.
//   node test/e2e/codeServer.mjs install   — install into the cache (idempotent) and exit
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, renameSync, writeFileSync, readdirSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'topo');
export const codeServerDir = join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
const marker = join(codeServerDir, '.topo-installed');
export const entry = join(codeServerDir, 'out', 'node', 'entry.js');

const APT_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'ripgrep', 'chromium'];

/** A failed step: the message says which step and why, so CI output is enough to act on. */
export class StepError extends Error {}

function step(title, cmd, args, opts = {}) {
  console.log(`[code-server] ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) throw new StepError(`code-server install step "${title}" could not run: ${r.error.message}`);
  if (r.status !== 0) throw new StepError(`code-server install step "${title}" failed (exit ${r.status ?? r.signal}); command: ${cmd} ${args.join(' ')}`);
}

function missingAptPackages() {
  return APT_PACKAGES.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
}

export function isInstalled() {
  return existsSync(marker) && existsSync(entry);
}

/** Installs code-server into the cache unless it is already there. Returns the install directory. */
export function ensureCodeServer() {
  if (isInstalled()) return codeServerDir;
  const missing = missingAptPackages();
  if (missing.length) {
    if (process.getuid?.() !== 0) throw new StepError(`code-server needs the Debian packages ${missing.join(' ')}; install them (apt-get install -y ${missing.join(' ')}) and rerun`);
    step('apt-get update', 'apt-get', ['update', '-qq']);
    step('apt-get install', 'apt-get', ['install', '-y', '-qq', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  mkdirSync(cacheRoot, { recursive: true });
  const staging = join(cacheRoot, `staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    step('npm pack', 'npm', ['pack', `code-server@${CODE_SERVER_VERSION}`, '--silent'], { cwd: staging });
    const tgz = readdirSync(staging).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new StepError('npm pack produced no tarball');
    step('unpack', 'tar', ['xzf', tgz], { cwd: staging });
    const pkg = join(staging, 'package');
    const vscodeDir = join(pkg, 'lib', 'vscode');
    // The postinstall would fetch ripgrep from the internet; Debian's rg is linked in instead.
    step('install VS Code dependencies', 'npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: vscodeDir });
    step('rebuild native modules', 'npm', ['rebuild', '@vscode/spdlog', 'node-pty', 'native-watchdog', 'kerberos', '@vscode/deviceid'], { cwd: vscodeDir, env: { ...process.env, npm_config_yes: 'true' } });
    const rgBin = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
    mkdirSync(rgBin, { recursive: true });
    rmSync(join(rgBin, 'rg'), { force: true });
    symlinkSync('/usr/bin/rg', join(rgBin, 'rg'));
    rmSync(join(vscodeDir, 'node_modules.asar'), { force: true });
    symlinkSync('node_modules', join(vscodeDir, 'node_modules.asar'));
    step('install code-server dependencies', 'npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: pkg });
    step('rebuild argon2', 'npm', ['rebuild', 'argon2'], { cwd: pkg });
    if (!existsSync(join(pkg, 'out', 'node', 'entry.js'))) throw new StepError('code-server package has no out/node/entry.js');
    rmSync(codeServerDir, { recursive: true, force: true });
    renameSync(pkg, codeServerDir);
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return codeServerDir;
}

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => res(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Installs a VSIX into the given extensions directory with code-server's own CLI. */
export function installExtension(vsix, extensionsDir, userDataDir) {
  step('install extension', process.execPath, [entry, '--install-extension', resolve(vsix), '--force', '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir]);
}

/**
 * Starts code-server on a free loopback port; resolves when it answers HTTP. The returned stop()
 * kills the whole process group and is safe to call twice.
 */
export async function startCodeServer({ userDataDir, extensionsDir, workspace, log, env = {} }) {
  const port = await freePort();
  const args = [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir, '--disable-telemetry', '--disable-update-check', workspace];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  const collect = (b) => { output += b.toString(); log?.(b.toString()); };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = false;
  child.on('exit', () => { exited = true; });
  const stop = () => {
    if (exited || child.pid === undefined) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    exited = true;
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new StepError(`code-server exited while starting:\n${output.slice(-2000)}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return { url, port, stop, output: () => output };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  stop();
  throw new StepError(`code-server did not answer on ${url} within 60 s:\n${output.slice(-2000)}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv[2] === 'install') {
  try {
    const t0 = Date.now();
    const dir = ensureCodeServer();
    console.log(`[code-server] ready in ${dir} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    console.error(`[code-server] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
