// The lint rules that keep eval out and the core off the file system stay on: lint the things
// they forbid, as files at real places in the tree, and expect the errors (`npm test -- lint`
// runs the same configuration over the whole tree).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';

const repo = resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: repo });

async function ruleHits(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: resolve(repo, filePath) });
  return r.messages.map((m) => `${m.ruleId ?? 'parse'}:${m.line}`);
}

const EVALS = [
  "export const a = eval('1');",
  "export const b = new Function('return 1');",
  "setTimeout('alert(1)', 0);",
  "setInterval('alert(1)', 10);",
  "window.setTimeout('alert(1)', 0);",
  "globalThis.setTimeout('alert(1)', 0);",
].join('\n');

test('eval, new Function and string timers are errors in every part of the tree', async () => {
  const all = ['no-eval:1', 'no-new-func:2', 'no-implied-eval:3', 'no-implied-eval:4', 'no-implied-eval:5', 'no-implied-eval:6'];
  for (const file of ['server/src/core/probe.ts', 'server/src/server/probe.ts', 'server/src/node/probe.ts', 'server/src/cli/probe.ts', 'client/src/probe.ts', 'media/preview/probe.ts', 'media/playground/probe.ts', 'test/unit/probe.test.ts', 'bench/probe.ts']) {
    assert.deepEqual(await ruleHits(file, EVALS), all, file);
  }
  // Node scripts have no `window`.
  const node = EVALS.split('\n').filter((l) => !l.startsWith('window.')).join('\n');
  assert.deepEqual(await ruleHits('scripts/probe.mjs', node), ['no-eval:1', 'no-new-func:2', 'no-implied-eval:3', 'no-implied-eval:4', 'no-implied-eval:5']);
});

test('the core imports neither Node built-ins nor editor APIs: files come through FileHost', async () => {
  const code = [
    "import { readFileSync } from 'node:fs';",
    "import * as fs from 'fs';",
    "import { join } from 'path';",
    "import { spawn } from 'child_process';",
    "import { Worker } from 'worker_threads';",
    "import * as vscode from 'vscode';",
    "import { createConnection } from 'vscode-languageserver/node';",
    'export const all = [readFileSync, fs, join, spawn, Worker, vscode, createConnection];',
  ].join('\n');
  const hits = await ruleHits('server/src/core/model/probe.ts', code);
  assert.deepEqual(hits, [1, 2, 3, 4, 5, 6, 7].map((l) => `no-restricted-imports:${l}`));
  // The hosts outside the core may (that is where NodeFileHost lives).
  assert.deepEqual(await ruleHits('server/src/node/probe.ts', code), []);
});
