// The JSON Schemas of the CLI's documents (schemas/): each is what its TypeScript type generates
// (so a field added to the type without regenerating fails here), and the documents the CLI
// prints for many inputs validate against them (every object is closed: a field the schema does
// not know fails too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { DOCUMENTS, schemaFileName, schemaUrl, type DocumentName } from '../../../server/src/cli/documents';
import { generateSchemas, SCHEMA_DIR, staleSchemas } from '../../../scripts/schemas';
import { corpus, runOnCase, runsOnCase } from './corpus';

const NAMES = Object.keys(DOCUMENTS) as DocumentName[];

function validator(name: DocumentName) {
  const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, schemaFileName(name)), 'utf8')) as object;
  return new Ajv({ strict: true, allErrors: true }).compile(schema);
}

test('schemas/ holds exactly what the document types generate (npm run schemas)', () => {
  assert.deepEqual(staleSchemas(generateSchemas()), []);
});

test('every schema names itself: $id is the address the documents give in $schema', () => {
  for (const name of NAMES) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, schemaFileName(name)), 'utf8')) as { $id: string; required: string[]; additionalProperties: boolean };
    assert.equal(schema.$id, schemaUrl(name));
    assert.ok(schema.required.includes('$schema') && schema.required.includes('version'), name);
    assert.equal(schema.additionalProperties, false, name);
  }
});

const cases = corpus({ generated: 60, mutated: 60 });

for (const name of ['check', 'place'] as const) {
  test(`topo ${name} --format json validates against its schema, on ${cases.length} inputs`, async () => {
    const validate = validator(name);
    let withContent = 0;
    for (const c of cases) {
      const r = await runOnCase(c, [name, '{file}', '--format', 'json']);
      assert.ok(r.code === 0 || r.code === 1, `${c.name}: exit ${r.code}: ${r.err}`);
      const doc = JSON.parse(r.out) as { $schema: string; version: string; diagnostics?: unknown[]; targets?: unknown[] };
      assert.equal(doc.$schema, schemaUrl(name), c.name);
      assert.equal(doc.version, DOCUMENTS[name].version, c.name);
      assert.ok(validate(doc), `${c.name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
      if ((doc.diagnostics ?? doc.targets ?? []).length > 0) withContent++;
    }
    // The inputs exercise the schema: many documents are not empty.
    assert.ok(withContent >= 40, `only ${withContent} of ${cases.length} documents have content`);
  });
}

// simulate runs the whole simulator: the examples and fixtures only (those with errors print no document).
const simulated = corpus({ generated: 0, mutated: 0 }).filter((c) => !c.name.startsWith('regression'));

test(`topo simulate --format json and --compare --format json validate against their schemas, on ${simulated.length} inputs`, async () => {
  const validate = { simulate: validator('simulate'), compare: validator('compare') };
  let documents = 0;
  let withContainers = 0;
  for (const c of simulated) {
    const [one, all] = await runsOnCase(c, [['simulate', '{file}', '--format', 'json', '--budget', '200'], ['simulate', '{file}', '--compare', '--format', 'json', '--budget', '200']]);
    assert.ok(one.code === 0 || one.code === 1, `${c.name}: exit ${one.code}: ${one.err}`);
    if (one.out === '') {
      assert.match(one.err, /not simulated: the file has errors/, c.name);
      continue;
    }
    documents++;
    const doc = JSON.parse(one.out) as { $schema: string; version: string; containers: unknown[] };
    assert.equal(doc.$schema, schemaUrl('simulate'), c.name);
    assert.equal(doc.version, DOCUMENTS.simulate.version, c.name);
    assert.ok(validate.simulate(doc), `${c.name}: ${JSON.stringify(validate.simulate.errors?.slice(0, 3))}`);
    if (doc.containers.length > 0) withContainers++;
    const cmp = JSON.parse(all.out) as { $schema: string; version: string; ranking: string[]; runs: Record<string, { summary: { slowdown: number } }> };
    assert.equal(cmp.$schema, schemaUrl('compare'), c.name);
    assert.equal(cmp.version, DOCUMENTS.compare.version, c.name);
    assert.ok(validate.compare(cmp), `${c.name}: ${JSON.stringify(validate.compare.errors?.slice(0, 3))}`);
    const slowdowns = cmp.ranking.map((p) => cmp.runs[p].summary.slowdown);
    assert.deepEqual(slowdowns, [...slowdowns].sort((a, b) => a - b), `${c.name}: ranking is not by slowdown`);
  }
  assert.ok(documents >= 10 && withContainers >= 10, `only ${documents} documents, ${withContainers} with containers`);
});

test('the simulate schemas are closed: an extra field, a missing one or a fifth policy fails', async () => {
  const c = simulated.find((x) => x.name === 'examples/spec-example.topo');
  assert.ok(c);
  const [one, all] = await runsOnCase(c, [['simulate', '{file}', '--format', 'json'], ['simulate', '{file}', '--compare', '--format', 'json']]);
  const sim = validator('simulate');
  const doc = JSON.parse(one.out) as { containers: Record<string, unknown>[] } & Record<string, unknown>;
  assert.ok(sim(doc));
  assert.equal(sim({ ...doc, extra: 1 }), false);
  assert.equal(sim({ ...doc, containers: [{ ...doc.containers[0], added: true }] }), false);
  const { summary: _s, ...noSummary } = doc;
  assert.equal(sim(noSummary), false);
  const cmpValidate = validator('compare');
  const cmp = JSON.parse(all.out) as { runs: Record<string, unknown> } & Record<string, unknown>;
  assert.ok(cmpValidate(cmp));
  assert.equal(cmpValidate({ ...cmp, runs: { ...cmp.runs, numa: cmp.runs.cost } }), false);
  const { cost: _c, ...three } = cmp.runs;
  assert.equal(cmpValidate({ ...cmp, runs: three }), false);
});

test('the schemas are closed: a field they do not know, or a missing one, fails', async () => {
  const c = cases.find((x) => x.name === 'test/fixtures/T4xx/T400-rack-full.topo');
  assert.ok(c);
  for (const name of ['check', 'place'] as const) {
    const validate = validator(name);
    const doc = JSON.parse((await runOnCase(c, [name, '{file}', '--format', 'json'])).out) as Record<string, unknown>;
    assert.ok(validate(doc));
    assert.equal(validate({ ...doc, extra: 1 }), false, `${name}: an extra top-level field passes`);
    const list = (doc.diagnostics ?? doc.targets) as Record<string, unknown>[];
    assert.equal(validate({ ...doc, [name === 'check' ? 'diagnostics' : 'targets']: [{ ...list[0], added: true }] }), false, `${name}: an extra nested field passes`);
    const { version: _v, ...noVersion } = doc;
    assert.equal(validate(noVersion), false, `${name}: a document without version passes`);
  }
});
