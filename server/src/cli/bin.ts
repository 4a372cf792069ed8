// The CLI's process entry (bundled to dist/cli.js and started by bin/topo.js).
import { main } from './main';
import { processIo } from './io';

main(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
