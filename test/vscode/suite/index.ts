// Mocha entry for the extension-host suite. `run()` is what @vscode/test-electron calls
// (extensionTestsPath); the e2e runner extension calls it inside code-server. When
// TOPO_TEST_RESULTS names a file, the results are also written there as JSON.
import Mocha from 'mocha';
import { writeFileSync } from 'node:fs';
import { defineSuite } from './extension.spec';
import { defineInteropSuite } from './interop.spec';
import { defineTasksSuite } from './tasks.spec';

export interface TestOutcome {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly ms?: number;
  readonly error?: string;
}

export interface SuiteResults {
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly tests: readonly TestOutcome[];
  readonly finished: string;
}

export function run(options: { resultsFile?: string; console?: boolean } = {}): Promise<SuiteResults> {
  const resultsFile = options.resultsFile ?? process.env.TOPO_TEST_RESULTS;
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, color: false, reporter: options.console === false ? 'json' : 'spec' });
  // The specs are bundled with this file: bind the BDD globals, then let them register.
  mocha.suite.emit('pre-require', globalThis, 'extension.spec', mocha);
  defineSuite();
  defineInteropSuite();
  defineTasksSuite();
  const tests: TestOutcome[] = [];
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const results: SuiteResults = {
          passed: tests.filter((t) => t.state === 'passed').length,
          failed: tests.filter((t) => t.state === 'failed').length,
          pending: tests.filter((t) => t.state === 'pending').length,
          tests,
          finished: new Date().toISOString(),
        };
        if (resultsFile) writeFileSync(resultsFile, JSON.stringify(results, null, 2));
        if (failures > 0) reject(Object.assign(new Error(`${failures} test(s) failed`), { results }));
        else resolve(results);
      });
      runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
      runner.on('fail', (t, err: Error) => tests.push({ title: t.fullTitle(), state: 'failed', ms: t.duration, error: `${err.message}${err.stack ? `\n${err.stack.split('\n').slice(1, 4).join('\n')}` : ''}` }));
      runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'pending' }));
    } catch (e) {
      reject(e);
    }
  });
}
