import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'test-output/**', '.vscode-test/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // no-implied-eval recognises setTimeout("code") only on a known global: declare the timers and
    // global objects for TypeScript (the .mjs block below declares its own).
    files: ['**/*.ts'],
    languageOptions: { globals: { setTimeout: 'readonly', setInterval: 'readonly', execScript: 'readonly', window: 'readonly', global: 'readonly', globalThis: 'readonly' } },
  },
  {
    // No eval, no Function constructor, no string timers, anywhere (test/unit/security checks these
    // stay on; the webview's CSP forbids them at run time too).
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode', 'vscode-*', 'vscode-languageserver*'], message: 'The core knows nothing of editors.' },
            { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'url'], message: 'The core runs in a browser too: file access goes through FileHost.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'bin/**/*.js', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
