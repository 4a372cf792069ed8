import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EXPORT, pngBytes, validateWebviewMessage } from '../../../client/src/webviewMessages';

const ok = (m: unknown) => {
  const v = validateWebviewMessage(m);
  assert.equal(v.ok, true, v.ok ? '' : v.reason);
  return v.ok ? v.message : undefined;
};
const bad = (m: unknown, re: RegExp) => {
  const v = validateWebviewMessage(m);
  assert.equal(v.ok, false, `accepted ${JSON.stringify(m)?.slice(0, 80)}`);
  if (!v.ok) assert.match(v.reason, re);
};

describe('validateWebviewMessage', () => {
  it('accepts the five message shapes and returns clean copies', () => {
    assert.deepEqual(ok({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(ok({ type: 'reveal', kind: 'container', name: 'query-api' }), { type: 'reveal', kind: 'container', name: 'query-api' });
    assert.deepEqual(ok({ type: 'reveal', kind: 'node', name: 'analytics.n3' }), { type: 'reveal', kind: 'node', name: 'analytics.n3' });
    assert.deepEqual(ok({ type: 'simulate', scenario: null, policy: 'cost' }), { type: 'simulate', scenario: null, policy: 'cost' });
    assert.deepEqual(ok({ type: 'simulate', scenario: 'node failure during a query burst', policy: 'page' }), { type: 'simulate', scenario: 'node failure during a query burst', policy: 'page' });
    assert.deepEqual(ok({ type: 'export', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }), { type: 'export', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' });
    assert.equal(ok({ type: 'export', format: 'svg', data: '<?xml version="1.0"?>\n<svg width="1"/>' })?.type, 'export');
    assert.equal(ok({ type: 'export', format: 'png', data: 'data:image/png;base64,iVBORw0KGgo=' })?.type, 'export');
    // The problems list reveals SDSs, racks and diagnostics' lines; the table exports CSV.
    assert.deepEqual(ok({ type: 'reveal', kind: 'sds', name: 'pod1' }), { type: 'reveal', kind: 'sds', name: 'pod1' });
    assert.deepEqual(ok({ type: 'reveal', kind: 'rack', name: 'r1' }), { type: 'reveal', kind: 'rack', name: 'r1' });
    assert.deepEqual(ok({ type: 'revealLine', line: 41, character: 2 }), { type: 'revealLine', line: 41, character: 2 });
    assert.deepEqual(ok({ type: 'export', format: 'csv', data: 'node,pressure\r\nr1.n1,0.5\r\n' }), { type: 'export', format: 'csv', data: 'node,pressure\r\nr1.n1,0.5\r\n' });
  });

  it('rejects non-objects, unknown types and extra fields', () => {
    for (const m of [null, undefined, 1, 'ready', [], [{ type: 'ready' }]]) bad(m, /not an object/);
    bad({ type: 'run' }, /unknown message type "run"/);
    bad({}, /unknown message type/);
    bad({ type: 'ready', x: 1 }, /unexpected field "x"/);
    bad({ type: 'reveal', kind: 'container', name: 'a', command: 'rm -rf' }, /unexpected field "command"/);
  });

  it('rejects bad reveal kinds and names', () => {
    bad({ type: 'reveal', kind: 'file', name: 'pod1' }, /kind/);
    bad({ type: 'reveal', kind: 'scenario', name: 'x' }, /kind/);
    bad({ type: 'reveal', kind: 'container', name: '' }, /name/);
    bad({ type: 'reveal', kind: 'container', name: 42 }, /name/);
    bad({ type: 'reveal', kind: 'container', name: '../../etc/passwd' }, /name/);
    bad({ type: 'reveal', kind: 'container', name: 'a b' }, /name/);
    bad({ type: 'reveal', kind: 'container', name: 'x'.repeat(257) }, /name/);
  });

  it('rejects reveal lines that are not zero-based integers', () => {
    for (const [line, character] of [[-1, 0], [1.5, 0], [0, -3], ['1', 0], [0, null], [1e9, 0], [Number.NaN, 0]]) bad({ type: 'revealLine', line, character }, /revealLine/);
    bad({ type: 'revealLine', line: 1 }, /revealLine/);
    bad({ type: 'revealLine', line: 1, character: 0, file: '/etc/passwd' }, /unexpected field "file"/);
  });

  it('rejects bad simulate policies and scenarios', () => {
    bad({ type: 'simulate', scenario: null, policy: 'fastest' }, /policy/);
    bad({ type: 'simulate', scenario: null }, /policy/);
    bad({ type: 'simulate', scenario: 3, policy: 'cost' }, /scenario/);
    bad({ type: 'simulate', scenario: '', policy: 'cost' }, /scenario/);
    bad({ type: 'simulate', scenario: 'a\nb', policy: 'cost' }, /scenario/);
    bad({ type: 'simulate', scenario: 's'.repeat(300), policy: 'cost' }, /scenario/);
  });

  it('rejects exports that are not what they claim or too large', () => {
    bad({ type: 'export', format: 'pdf', data: 'x' }, /format/);
    bad({ type: 'export', format: 'svg', data: '' }, /non-empty/);
    bad({ type: 'export', format: 'svg', data: '<html><script>alert(1)</script></html>' }, /not an SVG/);
    bad({ type: 'export', format: 'png', data: 'data:text/html;base64,PGh0bWw+' }, /PNG/);
    bad({ type: 'export', format: 'png', data: 'data:image/png;base64,!!!' }, /PNG/);
    bad({ type: 'export', format: 'svg', data: `<svg>${'x'.repeat(MAX_EXPORT)}` }, /too large/);
    bad({ type: 'export', format: 'csv', data: 'a,b\r\n\u001b[31mred\r\n' }, /control characters/);
    bad({ type: 'export', format: 'csv', data: `a${'x'.repeat(MAX_EXPORT)}` }, /too large/);
  });

  it('decodes PNG data URLs to bytes', () => {
    assert.deepEqual([...pngBytes('data:image/png;base64,iVBORw0KGgo=')], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});
