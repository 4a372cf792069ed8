// End-to-end harness (`node test/e2e/run.mjs`, the `e2e` suite of scripts/test.mjs):
//  1. installs code-server into ~/.cache/topo (once; see codeServer.mjs and the recipe),
//  2. packages the extension (`npm run package`) and a test-runner extension, installs both,
//  3. starts code-server on a free loopback port (always stopped: finally + signal handlers),
//  4. opens the workbench in Debian's Chromium on a scratch copy of test/vscode/workspace: the
//     runner extension runs the extension-host suite (test/vscode/suite) there and writes results,
//  5. drives the UI on another scratch copy (Problems count, squiggle, completion, preview),
//     with screenshots in test-output/e2e/.
// Options:
//   TOPO_E2E_BREAK_SERVER=1   install a copy of the extension whose server path is wrong (must fail)
//   --check-broken            run with that broken copy and succeed only if the suite fails
//   --suite-only / --ui-only  run one half
//   --web                     the UI checks with the extension in the browser's web worker extension
//                             host (its `browser` entry and the web-worker language server), as in
//                             VS Code for the Web; no Node language server may start
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, installExtension, startCodeServer, StepError } from './codeServer.mjs';
import { checkVsixContents, listVsix, packageBrokenExtension, packageExtension, packageRunner } from './vsix.mjs';
import { CHROMIUM_FLAGS, openWorkbench, runUiChecks } from './ui.mjs';
import { root } from '../vscode/build.mjs';
import { scratchWorkspace } from '../vscode/workspace.mjs';

const args = process.argv.slice(2);
const checkBroken = args.includes('--check-broken');
const web = args.includes('--web');
const broken = checkBroken || process.env.TOPO_E2E_BREAK_SERVER === '1';
const doSuite = !args.includes('--ui-only') && !web;
const doUi = !args.includes('--suite-only') && !checkBroken;

const outDir = join(root, 'test-output', checkBroken ? 'e2e-broken' : web ? 'e2e-web' : 'e2e');
const work = join(tmpdir(), `topo-e2e-${process.pid}`);
const cleanups = [];
let cleaning = false;
async function cleanup() {
  if (cleaning) return;
  cleaning = true;
  while (cleanups.length) {
    try { await cleanups.pop()(); } catch { /* keep cleaning */ }
  }
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { console.error(`e2e: ${sig}, stopping code-server`); void cleanup().finally(() => process.exit(130)); });
}

const t0 = Date.now();
const log = (s) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);
const report = { suite: null, ui: [], vsix: [], broken, failures: [] };

async function waitForFile(file, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new StepError(`timed out after ${ms / 1000} s waiting for ${what} (${file})`);
}

async function main() {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  mkdirSync(work, { recursive: true });
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));

  log('code-server: checking the cache');
  ensureCodeServer();

  log('packaging the extension');
  const goodVsix = packageExtension();
  const problems = checkVsixContents(listVsix(goodVsix));
  report.vsix = problems;
  if (problems.length) report.failures.push(`VSIX contents: ${problems.join('; ')}`);
  const vsix = broken ? packageBrokenExtension(work) : goodVsix;
  const runnerVsix = await packageRunner(work);

  const userDataDir = join(work, 'user-data');
  const extensionsDir = join(work, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'window.restoreWindows': 'none',
    'files.autoSave': 'off',
    'editor.quickSuggestionsDelay': 10,
    // --web: run the extension where VS Code for the Web runs it, in the browser's extension host.
    ...(web ? { 'remote.extensionKind': { 'topo-dev.topo': ['ui'] } } : {}),
  }, null, 2));
  log(`installing ${broken ? 'the BROKEN ' : ''}extension and the test runner`);
  installExtension(vsix, extensionsDir, userDataDir);
  installExtension(runnerVsix, extensionsDir, userDataDir);

  const serverLog = join(outDir, 'code-server.log');
  let serverOutput = '';
  const server = await startCodeServer({ userDataDir, extensionsDir, workspace: work, log: (s) => { serverOutput += s; } });
  cleanups.push(() => { server.stop(); writeFileSync(serverLog, serverOutput); });
  log(`code-server on ${server.url}`);

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS, headless: true });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });

  if (doSuite) {
    const results = join(work, 'suite-results.json');
    const ws = scratchWorkspace('topo-e2e-suite-', results);
    cleanups.push(() => rmSync(ws, { recursive: true, force: true }));
    const page = await context.newPage();
    log('extension-host suite: opening the workbench on the suite folder');
    await openWorkbench(page, `${server.url}/?folder=${encodeURIComponent(ws)}`);
    const r = await waitForFile(results, 8 * 60_000, 'the extension-host suite results');
    report.suite = r;
    writeFileSync(join(outDir, 'suite-results.json'), JSON.stringify(r, null, 2));
    for (const t of r.tests) console.log(`  ${t.state === 'passed' ? 'ok  ' : t.state === 'pending' ? 'skip' : 'FAIL'} ${t.title}${t.ms !== undefined ? ` (${t.ms} ms)` : ''}${t.error ? `\n       ${t.error.split('\n').join('\n       ')}` : ''}`);
    log(`extension-host suite: ${r.passed} passed, ${r.failed} failed, ${r.pending} pending`);
    if (r.failed > 0 || r.passed === 0) report.failures.push(`extension-host suite: ${r.failed} failed, ${r.passed} passed`);
    await page.screenshot({ path: join(outDir, '00-suite-workbench.png') }).catch(() => undefined);
    await page.close();
  }

  if (doUi) {
    const ws = scratchWorkspace('topo-e2e-ui-');
    cleanups.push(() => rmSync(ws, { recursive: true, force: true }));
    // a repository with everything committed: "Topo: Compare with HEAD" reads HEAD through the git extension
    const git = (...a) => execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', '-c', 'commit.gpgsign=false', ...a], { cwd: ws, stdio: 'pipe' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'the e2e workspace');
    const page = await context.newPage();
    const consoleLines = [];
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    cleanups.push(() => writeFileSync(join(outDir, 'browser-console.log'), consoleLines.join('\n')));
    log('UI checks');
    report.ui = await runUiChecks({ page, baseUrl: server.url, workspace: ws, outDir, web });
    for (const c of report.ui) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name} (${(c.ms / 1000).toFixed(1)} s): ${c.detail}`);
    for (const c of report.ui) if (!c.ok) report.failures.push(`UI: ${c.name}: ${c.detail}`);
    if (web) {
      const nodeServers = nodeServerPids();
      console.log(`  ${nodeServers.length === 0 ? 'ok  ' : 'FAIL'} the language server ran in the browser: ${nodeServers.length} Node language server processes`);
      if (nodeServers.length) report.failures.push(`--web: a Node language server was started (pids ${nodeServers.join(', ')}): the extension did not run in the web worker extension host`);
    }
    await page.close();
  }
}

/**
 * Pids of processes running this run's installed extension's Node language server (Linux
 * /proc). Only servers under this run's extensions folder count: other sessions on the machine
 * (tests, editors) may run their own.
 */
function nodeServerPids() {
  const out = [];
  const ours = (a) => a.startsWith(`${work}/`) && a.endsWith('dist/server/node.js');
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').some(ours)) out.push(Number(d));
    } catch { /* exited */ }
  }
  return out;
}

let code = 0;
try {
  await main();
} catch (e) {
  report.failures.push(e instanceof StepError ? e.message : `unexpected error: ${e instanceof Error ? e.stack : e}`);
} finally {
  await cleanup();
}
writeFileSync(join(outDir, 'report.json'), JSON.stringify(report, null, 2));
if (checkBroken) {
  const suiteFailed = report.suite && report.suite.failed > 0;
  if (suiteFailed) {
    console.log(`e2e --check-broken: as required, the suite FAILS with a broken extension (${report.suite.failed} failed, ${report.suite.passed} passed)`);
  } else {
    console.error(`e2e --check-broken: the suite did not fail with a broken extension${report.failures.length ? `; it could not run: ${report.failures.join('; ')}` : ''}`);
    code = 1;
  }
} else if (report.failures.length) {
  console.error(`\ne2e FAILED${broken ? ' (TOPO_E2E_BREAK_SERVER=1: the installed extension has a wrong server path)' : ''}:\n - ${report.failures.join('\n - ')}\nScreenshots and logs: ${outDir}`);
  code = 1;
} else {
  console.log(`\ne2e passed in ${((Date.now() - t0) / 1000).toFixed(0)} s; screenshots in ${outDir}`);
}
process.exit(code);
