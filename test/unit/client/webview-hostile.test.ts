// The preview webview as an attacker would try it: messages it posts to the extension that are
// malformed, oversized, mistyped or built to pollute prototypes; and the HTML and CSP it is given.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EXPORT, MAX_NAME, validateWebviewMessage } from '../../../client/src/webviewMessages';
import { contentSecurityPolicy, makeNonce, missingBundleHtml, previewHtml } from '../../../client/src/webviewHtml';

function describe_(m: unknown): string {
  try {
    return String(JSON.stringify(m, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x))).slice(0, 100);
  } catch {
    return Object.prototype.toString.call(m);
  }
}

function reject(m: unknown, re: RegExp = /./): string {
  const v = validateWebviewMessage(m);
  assert.equal(v.ok, false, `accepted ${describe_(m)}`);
  if (!v.ok) assert.match(v.reason, re);
  return v.ok ? '' : v.reason;
}

describe('webview -> extension messages, hostile', () => {
  it('never throws, whatever the value (types no JSON encoder could print included)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.type = cyclic;
    const values: unknown[] = [
      { type: 1n }, { type: Symbol('ready') }, cyclic, { type: () => 'ready' }, { type: new Date() }, { type: ['ready'] },
      { type: { toString: () => 'ready' } }, { type: 'ready'.padEnd(1e6, 'x') }, Object.create(null), new Map([['type', 'ready']]),
    ];
    for (const m of values) {
      const v = validateWebviewMessage(m);
      assert.equal(v.ok, false);
      if (!v.ok) assert.ok(v.reason.length < 200, 'a short reason, not the value');
    }
    assert.match(reject({ type: 1n }), /unknown message type \(a bigint\)/);
    assert.match(reject(cyclic), /unknown message type \(a object\)/);
  });

  it('own __proto__ / constructor keys (as JSON.parse makes them) are extra fields, and pollute nothing', () => {
    for (const json of [
      '{"type":"ready","__proto__":{"polluted":true}}',
      '{"type":"reveal","kind":"container","name":"web","__proto__":{"polluted":true}}',
      '{"type":"simulate","scenario":null,"policy":"cost","constructor":{"prototype":{"polluted":true}}}',
    ]) reject(JSON.parse(json) as unknown, /unexpected field "(__proto__|constructor)"/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // A name that spells a prototype key is only a name (compared as text when revealing it).
    const v = validateWebviewMessage({ type: 'reveal', kind: 'container', name: '__proto__' });
    assert.ok(v.ok && v.message.type === 'reveal' && Object.getPrototypeOf(v.message) === Object.prototype);
  });

  it('wrong types in every field are refused', () => {
    reject({ type: 'reveal', kind: ['container'], name: 'web' }, /kind/);
    reject({ type: 'reveal', kind: 'container', name: ['web'] }, /name/);
    reject({ type: 'reveal', kind: 'container', name: { length: 3 } }, /name/);
    reject({ type: 'reveal', kind: 'container' }, /name/);
    reject({ type: 'simulate', scenario: null, policy: 'cost ' }, /policy/);
    reject({ type: 'simulate', scenario: null, policy: ['cost'] }, /policy/);
    reject({ type: 'simulate', scenario: ['a'], policy: 'cost' }, /scenario/);
    reject({ type: 'simulate', scenario: false, policy: 'cost' }, /scenario/);
    reject({ type: 'export', format: 'svg', data: ['<svg>'] }, /non-empty string/);
    reject({ type: 'export', format: 'svg', data: { length: 5 } }, /non-empty string/);
    reject({ type: 'export', format: ['svg'], data: '<svg/>' }, /format/);
  });

  it('names and scenarios with control characters, quotes or path syntax are refused', () => {
    for (const name of ['a\u0000', 'a\u007f', 'a"b', 'a\nb', '../x', '/etc/passwd', 'a;rm', 'a b', '-x', '.hidden', 'é']) reject({ type: 'reveal', kind: 'node', name }, /name/);
    for (const scenario of ['a\u0000b', 'a\u001bb', 'a\u007fb', 'say "hi"', 'a\rb']) reject({ type: 'simulate', scenario, policy: 'cost' }, /scenario/);
  });

  it('sizes: at the limit accepted, one past refused', () => {
    assert.equal(validateWebviewMessage({ type: 'reveal', kind: 'container', name: 'x'.repeat(MAX_NAME) }).ok, true);
    reject({ type: 'reveal', kind: 'container', name: 'x'.repeat(MAX_NAME + 1) }, /name/);
    assert.equal(validateWebviewMessage({ type: 'simulate', scenario: 's'.repeat(MAX_NAME), policy: 'page' }).ok, true);
    reject({ type: 'simulate', scenario: 's'.repeat(MAX_NAME + 1), policy: 'page' }, /scenario/);
    const svg = '<svg>';
    assert.equal(validateWebviewMessage({ type: 'export', format: 'svg', data: svg + ' '.repeat(MAX_EXPORT - svg.length) }).ok, true);
    reject({ type: 'export', format: 'svg', data: svg + ' '.repeat(MAX_EXPORT - svg.length + 1) }, /too large/);
  });

  it('exports that smuggle something else are refused', () => {
    reject({ type: 'export', format: 'svg', data: '<!DOCTYPE html><svg>' }, /not an SVG/);
    reject({ type: 'export', format: 'svg', data: 'x<svg>' }, /not an SVG/);
    reject({ type: 'export', format: 'png', data: 'data:image/png;base64,AAAA\n<script>' }, /PNG/);
    reject({ type: 'export', format: 'png', data: 'data:image/svg+xml;base64,PHN2Zz4=' }, /PNG/);
    reject({ type: 'export', format: 'png', data: 'DATA:image/png;base64,AAAA' }, /PNG/);
  });
});

describe('webview HTML and CSP', () => {
  const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
  const directives = (p: string): Map<string, string[]> => new Map(p.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

  it('the policy is exactly: nothing by default; scripts by nonce; styles, fonts and images from the extension', () => {
    const nonce = makeNonce();
    const d = directives(contentSecurityPolicy(cspSource, nonce));
    assert.deepEqual([...d.keys()].sort(), ['default-src', 'font-src', 'img-src', 'script-src', 'style-src']);
    assert.deepEqual(d.get('default-src'), ["'none'"], 'connect, frame, object, media, worker, form, base all fall back to none');
    assert.deepEqual(d.get('script-src'), [`'nonce-${nonce}'`], 'no host, no unsafe-inline, no unsafe-eval');
    assert.deepEqual(d.get('style-src'), [cspSource]);
    assert.deepEqual(d.get('font-src'), [cspSource]);
    assert.deepEqual(d.get('img-src'), [cspSource, 'data:']);
  });

  it('the page loads nothing remote, and the policy comes before anything it governs', () => {
    const nonce = makeNonce();
    const html = previewHtml({ cspSource, scriptUri: `${cspSource}/dist/media/preview.js`, styleUri: `${cspSource}/dist/media/preview.css`, nonce, title: 'x' });
    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(urls, [`${cspSource}/dist/media/preview.css`, `${cspSource}/dist/media/preview.js`]);
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<link'), 'the CSP meta precedes the stylesheet');
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<script'), 'and the script');
    assert.doesNotMatch(html, /<(iframe|object|embed|base|form|img)\b/i);
  });

  it('hostile titles, URIs and nonces cannot break out of their attributes', () => {
    const nonce = makeNonce();
    const html = previewHtml({ cspSource, scriptUri: `${cspSource}/a.js" onload="alert(1)`, styleUri: `${cspSource}/a.css'><script>alert(2)</script>`, nonce, title: '</title><script>alert(3)</script>' });
    assert.equal((html.match(/<script\b/g) ?? []).length, 1, 'still one script element');
    // Each tag keeps exactly its own attributes: the quotes in the values were escaped.
    const attributes = (tag: string): string[] => [...(new RegExp(`<${tag}\\b([^>]*)>`).exec(html)?.[1] ?? '').matchAll(/\s([a-z-]+)="[^"]*"/g)].map((m) => m[1]);
    assert.deepEqual(attributes('script'), ['nonce', 'src']);
    assert.deepEqual(attributes('link'), ['rel', 'href']);
    assert.match(html, /src="[^"]*a\.js&quot; onload=&quot;alert\(1\)"/);
    assert.match(html, /&lt;\/title&gt;&lt;script&gt;alert\(3\)/);
    for (const bad of ['', 'short', `${'a'.repeat(20)}"`, `${'a'.repeat(20)} 'unsafe-inline'`, `${'a'.repeat(20)};script-src *`]) {
      assert.throws(() => previewHtml({ cspSource, scriptUri: '', styleUri: '', nonce: bad, title: '' }), /nonce/, JSON.stringify(bad));
    }
  });

  it('the page shown when the bundle is missing allows no script at all and escapes what it names', () => {
    const html = missingBundleHtml(cspSource, '<img src=x onerror=alert(1)>');
    const csp = /content="([^"]*)"/.exec(html)?.[1] ?? '';
    const d = directives(csp.replace(/;$/, ''));
    assert.deepEqual(d.get('default-src'), ["'none'"]);
    assert.equal(d.has('script-src'), false);
    assert.doesNotMatch(html, /<img/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });
});
