// The playground's esbuild entries and copies, spread into scripts/build.mjs.
// Output: dist/playground/ holds everything the page needs (no CDN): index.html, playground.js
// and .css (monaco + preview styles), codicon font, and three workers.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Always minified: the playground is served to people, and monaco is large.
const browser = { platform: 'browser', target: 'es2022', minify: true };

/** `import examples from 'topo-examples'`: every examples/*.topo, as { name: text }, at build time. */
const examplesPlugin = {
  name: 'topo-examples',
  setup(build) {
    build.onResolve({ filter: /^topo-examples$/ }, () => ({ path: 'examples', namespace: 'topo-examples' }));
    build.onLoad({ filter: /.*/, namespace: 'topo-examples' }, () => {
      const files = readdirSync('examples').filter((f) => f.endsWith('.topo')).sort();
      const examples = Object.fromEntries(files.map((f) => [f, readFileSync(join('examples', f), 'utf8')]));
      return { contents: `export default ${JSON.stringify(examples)};`, loader: 'js', watchFiles: files.map((f) => join('examples', f)), watchDirs: ['examples'] };
    });
  },
};

/** The language server's browser entry (written by the server work; skipped with a warning until it exists). */
const serverEntry = 'server/src/browser/main.ts';
if (!existsSync(serverEntry)) console.warn(`playground: ${serverEntry} does not exist yet; the page will run without the language server`);

export const playgroundEntries = [
  { in: 'media/playground/main.ts', out: 'dist/playground/playground.js', ...browser, format: 'iife', loader: { '.ttf': 'file' }, plugins: [examplesPlugin] },
  { in: 'media/playground/editorWorker.ts', out: 'dist/playground/editor.worker.js', ...browser, format: 'iife' },
  { in: 'media/playground/simulatorWorker.ts', out: 'dist/playground/simulator.worker.js', ...browser, format: 'iife' },
  ...(existsSync(serverEntry) ? [{ in: serverEntry, out: 'dist/playground/server.worker.js', ...browser, format: 'iife' }] : []),
];

export const playgroundCopies = [['media/playground/index.html', 'dist/playground/index.html']];
