// Bundles every entry point with esbuild. `node scripts/build.mjs [--watch] [--minify]`.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, cpSync } from 'node:fs';
import { playgroundEntries, playgroundCopies } from '../media/playground/build.mjs';

const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

const node = { platform: 'node', format: 'cjs', target: 'node20' };
const browser = { platform: 'browser', target: 'es2022' };

/** One line per bundle. Add yours here; `in` must exist. */
export const entries = [
  { in: 'server/src/cli/bin.ts', out: 'dist/cli.js', ...node },
  { in: 'server/src/node/main.ts', out: 'dist/server/node.js', ...node },
  { in: 'server/src/node/simulatorWorker.ts', out: 'dist/server/simulator-worker.js', ...node },
  // The Node server starts its simulator worker from beside its own bundle: dist/server/ for the
  // extension's server (node.js), dist/ for the CLI's (`topo lsp --stdio` runs inside cli.js).
  { in: 'server/src/node/simulatorWorker.ts', out: 'dist/simulator-worker.js', ...node },
  // The sizing lenses' and "Compare with HEAD"'s worker, beside each server bundle likewise.
  { in: 'server/src/node/analysisWorker.ts', out: 'dist/server/analysis-worker.js', ...node },
  { in: 'server/src/node/analysisWorker.ts', out: 'dist/analysis-worker.js', ...node },
  // `topo sweep --jobs N` starts its worker threads from beside cli.js.
  { in: 'server/src/cli/sweepWorker.ts', out: 'dist/sweep-worker.js', ...node },
  { in: 'server/src/browser/main.ts', out: 'dist/server/browser.js', ...browser, format: 'iife' },
  { in: 'client/src/extension.ts', out: 'dist/client/extension.js', ...node, external: ['vscode'] },
  // VS Code for the Web: the same client in the web worker extension host, with the browser server.
  { in: 'client/src/extension.web.ts', out: 'dist/client/extension.web.js', ...browser, format: 'cjs', external: ['vscode'] },
  { in: 'media/preview/main.ts', out: 'dist/media/preview.js', ...browser, format: 'iife' },
  ...playgroundEntries,
];

/** Files copied as they are (from, to). */
const copies = [['media/preview/preview.css', 'dist/media/preview.css'], ['media/preview/standalone.html', 'dist/media/standalone.html'], ...playgroundCopies];

const common = { bundle: true, sourcemap: true, minify, logLevel: 'warning', legalComments: 'none' };

mkdirSync('dist', { recursive: true });
const contexts = [];
for (const e of entries) {
  if (!existsSync(e.in)) throw new Error(`build entry ${e.in} does not exist`);
  const { in: entry, out, ...opts } = e;
  const ctx = await esbuild.context({ ...common, ...opts, entryPoints: [entry], outfile: out });
  contexts.push(ctx);
}
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${contexts.length} bundles`);
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  for (const [from, to] of copies) if (existsSync(from)) cpSync(from, to, { recursive: true });
  console.log(`built ${contexts.length} bundles`);
}
