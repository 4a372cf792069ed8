import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { blocks, containerAt, findDeclaration, nodeDeclares, scenarioNames } from '../../../client/src/topoText';
import { DECLARATION_KEYWORDS, NAMED_DECLARATIONS } from '../../../server/src/core/syntax/schema';

const analytics = readFileSync(new URL('../../../examples/analytics-sds.topo', import.meta.url), 'utf8');
const tenants = readFileSync(new URL('../../../examples/tenants.topo', import.meta.url), 'utf8');

describe('topoText', () => {
  it('lists scenario names, quoted or not, skipping comments', () => {
    assert.deepEqual(scenarioNames(analytics), ['node failure during a query burst', 'scale-queries']);
    assert.deepEqual(scenarioNames('# scenario fake {\nscenario a { }\ncontainer x { }\nscenario "b c" {}\nscenario a {}'), ['a', 'b c']);
    assert.deepEqual(scenarioNames(''), []);
  });

  it('finds the container around an offset', () => {
    const at = (needle: string) => containerAt(analytics, analytics.indexOf(needle));
    assert.equal(at('registry.local/analytics/ingest'), 'ingest');
    assert.equal(at('talks columnstore weight 40%'), 'query-api');
    assert.equal(at('reserve cores 2'), '');
    assert.equal(at('at 10s fail'), '');
    // The name itself and the closing brace belong to the block.
    const text = 'container web {\n  cpu 1\n}\n';
    assert.equal(containerAt(text, 0), 'web');
    assert.equal(containerAt(text, text.lastIndexOf('}')), 'web');
    assert.equal(containerAt(text, text.length), '');
  });

  it('finds container, node and SDS declarations by name', () => {
    const span = findDeclaration(analytics, 'container', 'query-api');
    assert.ok(span);
    assert.equal(analytics.slice(span.start, span.end), 'query-api');
    assert.match(analytics.slice(analytics.lastIndexOf('\n', span.start) + 1, span.end), /^container query-api$/);
    const n3 = findDeclaration(analytics, 'node', 'analytics.n3');
    assert.ok(n3);
    assert.equal(analytics.slice(n3.start, n3.end), 'n1..n6');
    const n7 = findDeclaration(analytics, 'node', 'analytics.n7');
    assert.ok(n7);
    assert.equal(analytics.slice(n7.start, n7.end), 'n7');
    assert.equal(findDeclaration(analytics, 'node', 'analytics.n8'), undefined);
    assert.equal(findDeclaration(analytics, 'node', 'other.n3'), undefined);
    assert.equal(findDeclaration(analytics, 'container', 'nope'), undefined);
    const sds = findDeclaration(analytics, 'node', 'warehouse');
    assert.ok(sds);
    assert.equal(analytics.slice(sds.start, sds.end), 'warehouse');
  });

  it('reads every named declaration of the language, tenants too', () => {
    // one block of each named kind: the client lists them all, in order
    const text = NAMED_DECLARATIONS.map((k, i) => `${k} x${i} {\n}\n`).join('');
    assert.deepEqual(blocks(text).map((b) => `${b.keyword} ${b.name}`), NAMED_DECLARATIONS.map((k, i) => `${k} x${i}`));
    // the unnamed ones (defaults, fabric) and import are not declarations with a name
    for (const k of DECLARATION_KEYWORDS) if (!(NAMED_DECLARATIONS as readonly string[]).includes(k)) assert.deepEqual(blocks(`${k} {\n}\n`), [], k);
    const span = findDeclaration(tenants, 'tenant', 'payments');
    assert.ok(span);
    assert.match(tenants.slice(tenants.lastIndexOf('\n', span.start) + 1, span.end), /^tenant payments$/);
    assert.equal(findDeclaration(tenants, 'tenant', 'storefront'), undefined, 'a container is not a tenant');
  });

  it('matches node ranges with prefixes and leading zeros', () => {
    assert.equal(nodeDeclares('n1..n8', 'n8'), true);
    assert.equal(nodeDeclares('n1..n8', 'n9'), false);
    assert.equal(nodeDeclares('n1..n8', 'm3'), false);
    assert.equal(nodeDeclares('n01..n16', 'n07'), true);
    assert.equal(nodeDeclares('n3', 'n3'), true);
    assert.equal(nodeDeclares('n3', 'n4'), false);
  });

  it('never throws on broken text and ignores braces in comments and strings', () => {
    const broken = 'container a {\n  image "x { y\n  cpu 1\ncontainer b { # }\n}';
    assert.doesNotThrow(() => blocks(broken));
    assert.deepEqual(blocks('rack r { node n1 { cores 1 }').map((b) => `${b.keyword} ${b.name}`), ['rack r', 'node n1']);
    assert.deepEqual(blocks('container "q" {}\n} } container z {}').map((b) => b.name), ['z']);
    for (let i = 0; i < analytics.length; i += 97) assert.doesNotThrow(() => blocks(analytics.slice(0, i)));
  });
});
