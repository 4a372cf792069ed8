// Test-runner extension for code-server: when the opened folder has a `.topo-e2e-suite` file
// ({"results": "/abs/path.json"}), it runs the bundled suite (suite.js, the same one
// @vscode/test-electron runs) once and writes the results there. The harness waits for that file.
/* global require, module, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry that VS Code loads with require() */
'use strict';
const vscode = require('vscode');
const fs = require('node:fs');
const path = require('node:path');

async function activate() {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!folder || folder.uri.scheme !== 'file') return;
  let marker;
  try {
    marker = JSON.parse(fs.readFileSync(path.join(folder.uri.fsPath, '.topo-e2e-suite'), 'utf8'));
  } catch {
    return;
  }
  const results = marker && marker.results;
  if (typeof results !== 'string' || fs.existsSync(results) || fs.existsSync(`${results}.running`)) return;
  fs.writeFileSync(`${results}.running`, String(process.pid));
  try {
    const suite = require('./suite.js');
    await suite.run({ resultsFile: results, console: false });
  } catch (e) {
    if (!fs.existsSync(results)) {
      fs.writeFileSync(results, JSON.stringify({ passed: 0, failed: 1, pending: 0, tests: [{ title: 'suite', state: 'failed', error: String(e && e.stack || e) }], finished: new Date().toISOString() }));
    }
  }
}

module.exports = { activate, deactivate() {} };
