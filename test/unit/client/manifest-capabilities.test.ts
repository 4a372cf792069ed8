// What package.json declares about untrusted and virtual workspaces, against the facts that make
// it true (the virtual-workspace behaviour itself: test/protocol/virtual-workspace.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const repo = resolve(__dirname, '../../..');
interface Setting { type: string; enum?: unknown[] }
interface Manifest {
  main: string;
  browser?: string;
  capabilities: {
    untrustedWorkspaces: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces: { supported: boolean | 'limited'; description?: string };
  };
  contributes: { configuration: { properties: Record<string, Setting> } };
}
const manifest = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8')) as Manifest;
const settings = manifest.contributes.configuration.properties;

test('Restricted Mode: limited to one setting, which a workspace could use to make simulations run for minutes', () => {
  const u = manifest.capabilities.untrustedWorkspaces;
  assert.equal(u.supported, 'limited');
  assert.deepEqual(u.restrictedConfigurations, ['topo.simulation.maxMillis']);
  for (const key of u.restrictedConfigurations ?? []) assert.ok(settings[key], `${key} is a contributed setting`);
  assert.match(u.description ?? '', /topo\.simulation\.maxMillis/);
});

test('no setting can name a program, a path or arguments: every text setting is a choice from a list', () => {
  // This is what lets everything else run in an untrusted workspace. A free-text setting (a server
  // path, extra arguments) would need a trust review and a place in restrictedConfigurations.
  for (const [key, s] of Object.entries(settings)) {
    assert.ok(['boolean', 'number', 'string'].includes(s.type), `${key}: ${s.type}`);
    if (s.type === 'string') assert.ok(Array.isArray(s.enum) && s.enum.length > 0, `${key} is free text`);
  }
});

test('virtual workspaces: limited, saying what does not work, with a web entry that is built', () => {
  const v = manifest.capabilities.virtualWorkspaces;
  assert.equal(v.supported, 'limited');
  assert.match(v.description ?? '', /open editors.*imports of files that are not open/);
  const build = readFileSync(resolve(repo, 'scripts/build.mjs'), 'utf8');
  for (const entry of [manifest.main, manifest.browser]) {
    assert.ok(entry, 'a Node and a web entry');
    assert.ok(build.includes(`out: '${entry!.replace(/^\.\//, '')}'`), `${entry} is a build output`);
  }
});
