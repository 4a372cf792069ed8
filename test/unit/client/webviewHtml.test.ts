import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, makeNonce, previewHtml } from '../../../client/src/webviewHtml';

const csp = 'https://file+.vscode-resource.vscode-cdn.net';

describe('preview webview HTML', () => {
  it('makes fresh 128-bit nonces', () => {
    const a = makeNonce();
    assert.match(a, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(a, makeNonce());
  });

  it('allows only the extension media and the nonce script', () => {
    const p = contentSecurityPolicy(csp, 'abcdefghijklmnopqrstuv');
    assert.match(p, /^default-src 'none'; /);
    assert.match(p, /script-src 'nonce-abcdefghijklmnopqrstuv'/);
    assert.doesNotMatch(p, /unsafe-inline|unsafe-eval|https?:\/\/(?!file\+)|\*/);
  });

  it('loads exactly one script with the nonce, no inline script or style', () => {
    const nonce = makeNonce();
    const html = previewHtml({ cspSource: csp, scriptUri: `${csp}/dist/media/preview.js`, styleUri: `${csp}/dist/media/preview.css`, nonce, title: 'Topo <b>x</b>' });
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0], `<script nonce="${nonce}" src="${csp}/dist/media/preview.js">`);
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
    assert.match(html, /<title>Topo &lt;b&gt;x&lt;\/b&gt;<\/title>/);
    assert.match(html, /<div id="topo-preview-root"><\/div>/);
    assert.throws(() => previewHtml({ cspSource: csp, scriptUri: '', styleUri: '', nonce: '" onload="x', title: '' }), /nonce/);
  });
});
