// `--format sarif`: SARIF 2.1.0 that validates against the OASIS schema (the 2.1.0 schema as
// @microsoft/jest-sarif ships it, read offline from node_modules), with every rule described from
// docs/language.md, results at the diagnostics' ranges, related locations, and fixes that
// really fix the file when applied by their line/column regions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { DIAGNOSTIC_SEVERITY, type DiagnosticCode } from '../../../server/src/core/diagnostics';
import { codeReference } from '../../../server/src/core/reference';
import type { CheckDocument } from '../../../server/src/cli/documents';
import { DOC, OUT, rulesFromDoc, rulesModule } from '../../../scripts/rules';
import { corpus, REPO, runIn, runOnCase } from './corpus';

const SCHEMA = join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

function sarifValidator() {
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false }) // the schema's `language` pattern is not valid with the u flag;
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
}

const validate = sarifValidator();

function assertValid(log: unknown, what: string): asserts log is Sarif.Log {
  assert.ok(validate(log), `${what}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
}

/** Applies SARIF replacements by their 1-based line/column regions (an implementation independent of the CLI's). */
function applyReplacements(text: string, replacements: readonly Sarif.Replacement[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (line: number, column: number): number => lineStarts[line - 1] + column - 1;
  const spans = replacements.map((r) => {
    const g = r.deletedRegion;
    assert.ok(g.startLine && g.startColumn && g.endLine && g.endColumn);
    return { start: offset(g.startLine, g.startColumn), end: offset(g.endLine, g.endColumn), text: r.insertedContent?.text ?? '' };
  }).sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

test('the rules are generated from docs/language.md (npm run rules)', () => {
  assert.equal(readFileSync(OUT, 'utf8'), rulesModule(rulesFromDoc(readFileSync(DOC, 'utf8'))));
});

test('SARIF of a clean run validates and lists every code as a rule with its reference link', async () => {
  const r = await runIn(REPO, ['check', 'examples/spec-example.topo', '--format', 'sarif']);
  assert.equal(r.code, 0, r.err);
  const log = JSON.parse(r.out) as unknown;
  assertValid(log, 'clean run');
  assert.equal(log.version, '2.1.0');
  const run = log.runs[0];
  assert.deepEqual(run.results, []);
  const rules = run.tool.driver.rules ?? [];
  assert.deepEqual(rules.map((x) => x.id), Object.keys(DIAGNOSTIC_SEVERITY));
  for (const rule of rules) {
    const code = rule.id as DiagnosticCode;
    assert.equal(rule.helpUri, codeReference(code));
    assert.equal(rule.defaultConfiguration?.level, DIAGNOSTIC_SEVERITY[code] === 'error' ? 'error' : 'warning');
    assert.ok(rule.shortDescription?.text && !rule.shortDescription.text.includes('`'), code);
    assert.ok((rule.fullDescription?.text.length ?? 0) > (rule.shortDescription?.text.length ?? 0) / 2, code);
    assert.ok(rule.help?.text.includes(codeReference(code)), code);
  }
  assert.equal(run.originalUriBaseIds?.['%SRCROOT%']?.uri, `${pathToFileURL(REPO).href}/`);
});

test('SARIF results match the JSON diagnostics: rule, level, region, message, related locations', async () => {
  for (const f of ['test/fixtures/T4xx/T405-spread.topo', 'test/fixtures/T2xx/T201-duplicate-name.topo', 'test/fixtures/T1xx/T100-unexpected-token.topo', 'test/fixtures/T4xx/T400-sds-requests.topo']) {
    const s = await runIn(REPO, ['check', f, '--format', 'sarif']);
    const j = await runIn(REPO, ['check', f, '--format', 'json']);
    assert.equal(s.code, j.code, f);
    const log = JSON.parse(s.out) as unknown;
    assertValid(log, f);
    const doc = JSON.parse(j.out) as CheckDocument;
    const results = log.runs[0].results ?? [];
    assert.equal(results.length, doc.diagnostics.length, f);
    assert.ok(results.length > 0, f);
    results.forEach((res, i) => {
      const d = doc.diagnostics[i];
      assert.equal(res.ruleId, d.code);
      assert.equal(log.runs[0].tool.driver.rules?.[res.ruleIndex ?? -1]?.id, d.code);
      assert.equal(res.level, d.severity === 'error' ? 'error' : 'warning');
      assert.equal(res.message.text, d.message);
      const loc = res.locations?.[0].physicalLocation;
      assert.deepEqual(loc?.artifactLocation, { uri: f, uriBaseId: '%SRCROOT%' });
      assert.deepEqual(loc?.region, { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 });
      assert.deepEqual((res.relatedLocations ?? []).map((x) => [x.message?.text, x.physicalLocation?.region?.startLine]), d.relatedInformation.map((x) => [x.message, x.range.start.line + 1]));
    });
  }
});

test('SARIF fixes, applied by their regions, remove the diagnostic they fix', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-sarif-'));
  try {
    let fixed = 0;
    for (const f of ['T4xx/T405-spread.topo', 'T4xx/T401-rack-limits.topo', 'T4xx/T400-rack-full.topo', 'T3xx/T303-request-over-limit.topo', 'T1xx/T104-unknown-property.topo', 'T2xx/T200-unknown-reference.topo']) {
      const text = readFileSync(join(REPO, 'test/fixtures', f), 'utf8');
      writeFileSync(join(dir, 'a.topo'), text);
      const log = JSON.parse((await runIn(dir, ['check', 'a.topo', '--format', 'sarif'])).out) as Sarif.Log;
      for (const res of log.runs[0].results ?? []) {
        for (const fix of res.fixes ?? []) {
          assert.ok(fix.description?.text, f);
          const changes = fix.artifactChanges;
          assert.equal(changes.length, 1, `${f}: a fix of one file`);
          assert.equal(changes[0].artifactLocation.uri, 'a.topo');
          writeFileSync(join(dir, 'a.topo'), applyReplacements(text, changes[0].replacements));
          const after = JSON.parse((await runIn(dir, ['check', 'a.topo', '--format', 'json'])).out) as CheckDocument;
          const region = res.locations?.[0].physicalLocation?.region;
          const still = after.diagnostics.filter((d) => d.code === res.ruleId && d.range.start.line + 1 === region?.startLine && d.message === res.message.text);
          assert.deepEqual(still, [], `${f}: "${fix.description?.text}" leaves ${res.ruleId}`);
          fixed++;
          writeFileSync(join(dir, 'a.topo'), text);
        }
      }
    }
    assert.ok(fixed >= 6, `only ${fixed} fixes were tried`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SARIF artifact URIs: relative ones are percent-encoded against %SRCROOT%, files outside the working directory are file: URIs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-sarif-'));
  const other = mkdtempSync(join(tmpdir(), 'topo-sarif-out-'));
  try {
    const bad = 'rack r1 {\n  node n1 { cores 8 memory 32GiB }\n}\ncontainer a { cpu 1 memory 1GiB place on r9 }\n';
    writeFileSync(join(dir, 'my file#1.topo'), bad);
    writeFileSync(join(other, 'b.topo'), bad);
    const log = JSON.parse((await runIn(dir, ['check', 'my file#1.topo', join(other, 'b.topo'), '--format', 'sarif'])).out) as unknown;
    assertValid(log, 'uris');
    const uris = (log.runs[0].results ?? []).map((x) => x.locations?.[0].physicalLocation?.artifactLocation);
    assert.deepEqual(uris, [{ uri: 'my%20file%231.topo', uriBaseId: '%SRCROOT%' }, { uri: pathToFileURL(join(other, 'b.topo')).href }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
});

test('SARIF validates on the whole corpus (examples, fixtures, fuzz regressions, generated and mutated programs)', async () => {
  const cases = corpus({ generated: 40, mutated: 40 });
  let results = 0;
  for (const c of cases) {
    const r = await runOnCase(c, ['check', '{file}', '--format', 'sarif']);
    assert.ok(r.code === 0 || r.code === 1, `${c.name}: exit ${r.code} ${r.err}`);
    const log = JSON.parse(r.out) as unknown;
    assertValid(log, c.name);
    results += log.runs[0].results?.length ?? 0;
  }
  assert.ok(results > cases.length, `${results} results on ${cases.length} inputs`);
});

const T500 = `defaults { duration 4s }
rack r1 {
  latency 2us
  bandwidth 100Gbps
  node n1..n2 { cores 8 memory 64GiB }
}
sds pod {
  nodes r1.n1..n2
  policy static
}
container a {
  cpu 4
  memory 16GiB
  workingset 16GiB skew 0 writes 30%
  place on pod
}
`;

test('topo simulate --format sarif reports the T5xx with the simulator\'s ranges; the file\'s errors when it cannot simulate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'topo-sarif-sim-'));
  try {
    writeFileSync(join(dir, 'sim.topo'), T500);
    const r = await runIn(dir, ['simulate', 'sim.topo', '--format', 'sarif']);
    assert.equal(r.code, 0, r.err);
    const log = JSON.parse(r.out) as unknown;
    assertValid(log, 'simulate');
    const sim = JSON.parse((await runIn(dir, ['simulate', 'sim.topo', '--format', 'json'])).out) as { diagnostics: { code: string; message: string; range: { start: { line: number; character: number } } }[] };
    const results = log.runs[0].results ?? [];
    assert.ok(results.some((x) => x.ruleId === 'T500' && x.level === 'warning'), JSON.stringify(results));
    assert.deepEqual(results.map((x) => [x.ruleId, x.message.text, x.locations?.[0].physicalLocation?.region?.startLine]), sim.diagnostics.map((d) => [d.code, d.message, d.range.start.line + 1]));
    writeFileSync(join(dir, 'bad.topo'), 'rack r1 {\n  node n1 { cores -3 }\n}\n');
    const bad = await runIn(dir, ['simulate', 'bad.topo', '--format', 'sarif']);
    assert.equal(bad.code, 1);
    const badLog = JSON.parse(bad.out) as unknown;
    assertValid(badLog, 'simulate with errors');
    assert.ok((badLog.runs[0].results ?? []).length > 0 && (badLog.runs[0].results ?? []).every((x) => x.level === 'error'));
    assert.match(bad.err, /not simulated: the file has errors/);
    assert.equal((await runIn(dir, ['simulate', 'sim.topo', '--format', 'sarif', '--compare'])).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the SARIF schema check can fail: a wrong level, a line 0 or a missing message is refused', async () => {
  const log = JSON.parse((await runIn(REPO, ['check', 'test/fixtures/T4xx/T405-spread.topo', '--format', 'sarif'])).out) as Sarif.Log;
  assertValid(log, 'as printed');
  const res = (log.runs[0].results ?? [])[0];
  const withResult = (r: object): unknown => ({ ...log, runs: [{ ...log.runs[0], results: [r] }] });
  assert.equal(validate(withResult({ ...res, level: 'fatal' })), false);
  assert.equal(validate(withResult({ ...res, locations: [{ physicalLocation: { ...res.locations?.[0].physicalLocation, region: { startLine: 0 } } }] })), false);
  const { message: _m, ...noMessage } = res;
  assert.equal(validate(withResult(noMessage)), false);
});
