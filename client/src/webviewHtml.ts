// The preview webview's HTML: a strict Content-Security-Policy (nothing but the extension's own
// media and a per-load nonce for the one script), no inline styles or scripts, no remote URLs.
// No vscode import (unit-tested under Node).

export interface PreviewHtmlInput {
  /** webview.cspSource */
  readonly cspSource: string;
  /** webview.asWebviewUri(dist/media/preview.js).toString() */
  readonly scriptUri: string;
  /** webview.asWebviewUri(dist/media/preview.css).toString() */
  readonly styleUri: string;
  readonly nonce: string;
  readonly title: string;
}

/** 128 random bits, base64url; a fresh one for each HTML load. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    // data: only for the PNG export, which rasterises the SVG through an <img>.
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function previewHtml(i: PreviewHtmlInput): string {
  if (!/^[A-Za-z0-9_-]{16,}$/.test(i.nonce)) throw new Error('nonce must be at least 16 base64url characters');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(i.cspSource, i.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(i.styleUri)}">
<title>${escapeHtml(i.title)}</title>
</head>
<body>
<div id="topo-preview-root"></div>
<script nonce="${i.nonce}" src="${escapeHtml(i.scriptUri)}"></script>
</body>
</html>
`;
}

/** Shown instead of the preview when its bundle is missing from the installed extension. */
export function missingBundleHtml(cspSource: string, what: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${escapeHtml(cspSource)};">
<title>Topo Placement</title></head>
<body><p>The Topo preview cannot start: ${escapeHtml(what)} is missing from the extension. Rebuild it with <code>npm run build</code>.</p></body></html>
`;
}
