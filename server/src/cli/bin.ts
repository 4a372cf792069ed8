// The CLI's process entry (bundled to dist/cli.js and started by bin/topo.js).
import { main } from './main';
import { processIo } from './io';

// A reader that stops early (`topo check FILE | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
