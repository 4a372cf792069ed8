import { UsageError, type CliIo } from './io';
import { CHECK_USAGE, runCheck } from './check';
import { DIFF_USAGE, runDiff } from './diff';
import { EXPORT_USAGE, runExport } from './export';
import { FMT_USAGE, runFmt } from './fmt';
import { IMPORT_USAGE, runImport } from './import';
import { LSP_USAGE, runLsp } from './lsp';
import { PLACE_USAGE, runPlace } from './place';
import { SIMULATE_USAGE, runSimulate } from './simulate';
import { SIZE_USAGE, runSize } from './size';
import { oneLine, terminalIo } from './terminal';
import { TOPO_VERSION } from './version';

type Command = (args: string[], io: CliIo) => number | Promise<number>;

/** The `topo` commands. One line each. */
const COMMANDS: Record<string, { run: Command; usage: string; summary: string }> = {
  check: { run: runCheck, usage: CHECK_USAGE, summary: 'check files and print diagnostics (T1xx-T4xx)' },
  fmt: { run: runFmt, usage: FMT_USAGE, summary: 'format files in place as the editor does (--check: list unformatted files; --diff: show the changes)' },
  export: { run: runExport, usage: EXPORT_USAGE, summary: 'write Kubernetes manifests (one set per target) from a .topo file' },
  import: { run: runImport, usage: IMPORT_USAGE, summary: 'convert Kubernetes manifests or a Compose file into a .topo file' },
  lsp: { run: runLsp, usage: LSP_USAGE, summary: 'start the language server over stdio (for any editor with an LSP client)' },
  place: { run: runPlace, usage: PLACE_USAGE, summary: 'show where every replica goes (per target and node)' },
  size: { run: runSize, usage: SIZE_USAGE, summary: 'the fewest nodes each rack, node set and SDS needs (no T4xx error, headroom, locality)' },
  diff: { run: runDiff, usage: DIFF_USAGE, summary: 'what a change does: capacity per target, diagnostics gained and lost, moved replicas, locality' },
  simulate: { run: runSimulate, usage: SIMULATE_USAGE, summary: 'predict locality, migrations and scenarios (mobility simulator)' },
};

export function usage(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  return [
    'Topo: design and analyse deployments on racks and software-defined servers.',
    '',
    'Usage:',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Exit status: 0 no errors, 1 errors found, 2 usage problem or unreadable file.',
  ].join('\n');
}

/** Runs one command. Everything it writes goes through `terminalIo`: no control character from user text reaches the terminal. */
export async function main(argv: string[], rawIo: CliIo): Promise<number> {
  const io = terminalIo(rawIo);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${usage()}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out(`topo ${TOPO_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`topo: unknown command \`${oneLine(name)}\`\n\n${usage()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`topo ${name}: ${oneLine(e.message)}\nusage: ${command.usage}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`topo ${name}: internal error: ${oneLine(message)}\nPlease report this with the file that caused it.\n`);
    return 70;
  }
}
