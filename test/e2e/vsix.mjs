// Builds the VSIX files the end-to-end harness installs: the real one (`npm run package`), a
// deliberately broken copy (its server path is wrong) and the test-runner extension.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StepError } from './codeServer.mjs';
import { root, buildSuite } from '../vscode/build.mjs';

const vsce = join(root, 'node_modules', '.bin', 'vsce');

function run(title, cmd, args, cwd) {
  console.log(`[vsix] ${title}`);
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new StepError(`${title} failed (exit ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-3000)}`);
  return r.stdout;
}

export function listVsix(vsix) {
  const out = run(`list ${vsix}`, 'unzip', ['-Z1', vsix], root);
  return out.split('\n').filter(Boolean);
}

/** What must and must not be inside the extension's VSIX. Returns problems (empty when fine). */
export function checkVsixContents(files) {
  const problems = [];
  for (const f of ['extension/package.json', 'extension/dist/client/extension.js', 'extension/dist/server/node.js', 'extension/dist/media/preview.js',
    'extension/dist/media/preview.css', 'extension/syntaxes/topo.tmLanguage.json', 'extension/language-configuration.json',
    'extension/LICENSE.txt', 'extension/changelog.md', 'extension/readme.md', 'extension/media/icons/topo-file.svg']) {
    if (!files.includes(f)) problems.push(`missing ${f}`);
  }
  for (const f of files) {
    const bad = /\.(ts|map|mjs)$/.test(f) || /(^|\/)node_modules\//.test(f)
      || (!f.startsWith('extension/dist/') && /^extension\/(test|server|client|bench|examples|scripts|docs)\//.test(f));
    if (bad) problems.push(`should not contain ${f}`);
  }
  return problems;
}

/** `npm run package` (minified build + vsce). Returns the VSIX path. */
export function packageExtension() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(root, `${pkg.name}-${pkg.version}.vsix`);
  rmSync(vsix, { force: true });
  run('npm run package', 'npm', ['run', 'package', '--silent'], root);
  if (!existsSync(vsix)) throw new StepError(`npm run package did not produce ${vsix}`);
  return vsix;
}

/** A copy of the extension whose client starts a server module that does not exist. */
export function packageBrokenExtension(outDir) {
  const stage = join(outDir, 'broken-extension');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const f of ['package.json', '.vscodeignore', 'README.md', 'LICENSE', 'CHANGELOG.md', 'language-configuration.json', 'dist', 'media', 'syntaxes']) {
    if (existsSync(join(root, f))) cpSync(join(root, f), join(stage, f), { recursive: true });
  }
  const client = join(stage, 'dist', 'client', 'extension.js');
  const js = readFileSync(client, 'utf8');
  if (!js.includes('dist/server/node.js')) throw new StepError('cannot break the extension: dist/client/extension.js does not name dist/server/node.js');
  writeFileSync(client, js.split('dist/server/node.js').join('dist/server/no-such-server.js'));
  const vsix = join(outDir, 'topo-broken.vsix');
  run('package the broken extension', vsce, ['package', '--no-dependencies', '--no-rewrite-relative-links', '-o', vsix], stage);
  return vsix;
}

/** The test-runner extension with the bundled suite. */
export async function packageRunner(outDir) {
  const suite = await buildSuite();
  const stage = join(outDir, 'runner-extension');
  rmSync(stage, { recursive: true, force: true });
  cpSync(join(root, 'test', 'e2e', 'runner'), stage, { recursive: true });
  cpSync(suite, join(stage, 'suite.js'));
  writeFileSync(join(stage, 'LICENSE'), 'MIT\n');
  writeFileSync(join(stage, 'README.md'), '# Topo end-to-end test runner\n\nRuns the Topo extension-host suite inside code-server.\n');
  writeFileSync(join(stage, '.vscodeignore'), '');
  const vsix = join(outDir, 'topo-e2e-runner.vsix');
  run('package the test-runner extension', vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], stage);
  return vsix;
}
