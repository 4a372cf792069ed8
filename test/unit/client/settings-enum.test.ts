import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { POLICIES } from '../../../server/src/core/syntax/schema';
import { DEFAULT_SETTINGS, readSettings } from '../../../server/src/server/settings';

const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { enum?: string[]; enumDescriptions?: string[]; default?: unknown }> } | { properties: Record<string, { enum?: string[]; enumDescriptions?: string[]; default?: unknown }> }[] };
};

function setting(name: string): { enum?: string[]; enumDescriptions?: string[]; default?: unknown } {
  const c = manifest.contributes.configuration;
  const all = Array.isArray(c) ? c : [c];
  const found = all.map((x) => x.properties[name]).find((p) => p !== undefined);
  assert.ok(found, `package.json contributes ${name}`);
  return found;
}

test('the topo.defaultPolicy setting offers exactly the core\'s policies, each described, and the server takes each', () => {
  const s = setting('topo.defaultPolicy');
  assert.deepEqual(s.enum, [...POLICIES]);
  assert.equal(s.enumDescriptions?.length, POLICIES.length);
  assert.ok(POLICIES.includes(s.default as (typeof POLICIES)[number]), `the default ${String(s.default)} is a policy`);
  for (const p of POLICIES) assert.equal(readSettings({ defaultPolicy: p }).defaultPolicy, p);
  assert.equal(readSettings({ defaultPolicy: 'nope' }).defaultPolicy, DEFAULT_SETTINGS.defaultPolicy);
});
