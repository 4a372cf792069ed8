// A scratch copy of test/vscode/workspace for one run (the suite edits and saves files).
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './build.mjs';

/** Marker file: the e2e runner extension runs the suite only in a folder that has it. */
export const SUITE_MARKER = '.topo-e2e-suite';

/**
 * Copies the suite's files to a new temporary folder. With `resultsFile`, also writes the marker
 * that makes the e2e runner extension run the suite there and write its results to that file.
 */
export function scratchWorkspace(prefix = 'topo-vscode-', resultsFile) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(root, 'test', 'vscode', 'workspace'), dir, { recursive: true });
  if (resultsFile) writeFileSync(join(dir, SUITE_MARKER), JSON.stringify({ results: resultsFile }));
  return dir;
}
