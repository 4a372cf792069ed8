// `npm run test:vscode`: the extension-host suite in a VS Code downloaded by @vscode/test-electron
// (the standard way; needs internet). Offline, test/e2e/run.mjs runs the same suite in code-server.
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { buildSuite, root } from './build.mjs';
import { scratchWorkspace } from './workspace.mjs';

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('test:vscode: the build failed');
  process.exit(1);
}
const suite = await buildSuite();
const workspace = scratchWorkspace();
try {
  await runTests({
    version: process.env.TOPO_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
  console.log('test:vscode: all extension-host tests passed');
} catch (e) {
  const msg = e instanceof Error ? e.message : String(e);
  if (/getaddrinfo|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|download|fetch failed/i.test(msg)) {
    console.error(`test:vscode: could not download VS Code (${msg}).\nThis machine is offline: run the same suite in code-server with \`node test/e2e/run.mjs\`.`);
  } else {
    console.error(`test:vscode: ${msg}`);
  }
  process.exitCode = 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
