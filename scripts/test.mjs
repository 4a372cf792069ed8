// The test command: `npm test` runs everything CI runs; `npm test -- unit protocol` runs some suites.
// Suites are found by folder, so adding a test file needs no edit here:
//   test/unit/**/*.test.ts      node:test, on the core and other plain modules (no build needed)
//   test/fuzz/fuzz.ts           a one-minute fuzz run over the core (fixed seed; `npm run fuzz -- --minutes N` for long runs)
//   test/grammar/*.topo         vscode-tmgrammar-test over the TextMate grammar
//   test/protocol/**/*.test.ts  node:test, the bundled language server over stdio (after build)
//   test/browser/**/*.test.ts   node:test driving Debian's Chromium with playwright-core (after build)
//   test/e2e/run.mjs            VS Code (code-server) end-to-end harness (after build)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const all = ['typecheck', 'lint', 'build', 'unit', 'fuzz', 'grammar', 'protocol', 'browser', 'e2e'];
const asked = process.argv.slice(2);
const suites = asked.length ? asked : all;
for (const s of suites) if (!all.includes(s)) { console.error(`unknown suite ${s}; known: ${all.join(', ')}`); process.exit(2); }

function find(dir, pred) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p, pred));
    else if (pred(p)) out.push(p);
  }
  return out;
}

function run(title, cmd, args, env = {}) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`=== ${title} FAILED (exit ${r.status ?? r.signal}) after ${secs}s`);
    process.exit(1);
  }
  console.log(`=== ${title} ok (${secs}s)`);
}

const isTest = (p) => p.endsWith('.test.ts');
const nodeTest = (files, extra = []) => ['--import', 'tsx', '--test', ...extra, '--test-reporter=spec', ...files];

for (const s of suites) {
  switch (s) {
    case 'typecheck': {
      const configs = ['tsconfig.json', ...find('server/src', (p) => p.endsWith('tsconfig.json')), ...find('media', (p) => p.endsWith('tsconfig.json'))];
      for (const c of configs) run(`typecheck ${c}`, 'npx', ['tsc', '-p', c, '--noEmit']);
      break;
    }
    case 'lint': run('lint', 'npx', ['eslint', '.', '--max-warnings=0']); break;
    case 'build': run('build', 'node', ['scripts/build.mjs']); break;
    case 'unit': { const f = find('test/unit', isTest); if (f.length) run('unit tests', 'node', nodeTest(f)); break; }
    case 'fuzz': run('fuzz (one minute, seed 1)', 'node', ['--import', 'tsx', 'test/fuzz/fuzz.ts', '--seconds', '60', '--seed', '1']); break;
    case 'grammar': {
      const f = find('test/grammar', (p) => p.endsWith('.topo'));
      if (f.length) run('grammar tests', 'npx', ['vscode-tmgrammar-test', '-g', 'syntaxes/topo.tmLanguage.json', ...f]);
      break;
    }
    case 'protocol': { const f = find('test/protocol', isTest); if (f.length) run('protocol tests', 'node', nodeTest(f, ['--test-concurrency=1'])); break; }
    case 'browser': { const f = find('test/browser', isTest); if (f.length) run('browser tests', 'node', nodeTest(f, ['--test-concurrency=1'])); break; }
    case 'e2e':
      run('VS Code end-to-end', 'node', ['test/e2e/run.mjs']);
      // The same suite must fail against an extension whose server cannot start.
      run('VS Code end-to-end, broken extension must fail', 'node', ['test/e2e/run.mjs', '--check-broken']);
      // The extension as VS Code for the Web runs it: in the browser, with the web-worker server.
      run('VS Code end-to-end, web worker extension host', 'node', ['test/e2e/run.mjs', '--web']);
      break;
  }
}
console.log('\nall suites passed');
