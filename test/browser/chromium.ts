// What every browser test starts with: Debian's Chromium through playwright-core, and the page
// it drives served from dist/ (a static server here, or the playground's scripts/serve.mjs).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const repo = resolve(__dirname, '..', '..');
export const dist = join(repo, 'dist');

/** Chromium headless, offline: no GPU, no sandbox (containers), nothing fetched in the background. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Fails the test run early when the bundle a test drives was not built. */
export function assertBuilt(file: string): void {
  assert.ok(existsSync(join(dist, file)), 'run the build first (node scripts/build.mjs)');
}

/** Listens on a free port of 127.0.0.1; the server's base URL (no trailing slash). */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const a = server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
}

/**
 * A server of dist/'s files with these content types; `route` answers first (true: it did).
 * Paths that leave dist/ or name no file get 404.
 */
export function distServer(types: Readonly<Record<string, string>>, route?: (path: string, req: IncomingMessage, res: ServerResponse) => boolean): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (route?.(path, req, res)) return;
    const file = resolve(dist, `.${path}`);
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
}

export interface Playground {
  readonly browser: Browser;
  /** The playground's URL, with a trailing slash. */
  readonly base: string;
  close(): Promise<void>;
}

/** The built playground served by scripts/serve.mjs on a free port, and Chromium to open it. */
export async function startPlayground(): Promise<Playground> {
  assertBuilt('playground/index.html');
  const server = spawn(process.execPath, ['scripts/serve.mjs', '--no-build'], { cwd: repo, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((ok, fail) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/localhost:(\d+)\//.exec(out);
      if (m) ok(`http://127.0.0.1:${m[1]}/`);
    });
    server.on('exit', (code) => fail(new Error(`serve.mjs exited (${code})`)));
  });
  const browser = await launchChromium().catch((e: unknown) => {
    server.kill();
    throw e;
  });
  return {
    browser, base,
    async close() {
      await browser.close();
      server.kill();
    },
  };
}
