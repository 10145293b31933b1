import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../../main/electron/app-protocol.js';
import { contentSecurityPolicy } from '../../../../main/signaling/content-security-policy.js';

function site() {
  const base = mkdtempSync(join(tmpdir(), 'portal-app-protocol-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Portal</title>');
  writeFileSync(join(root, 'assets', 'main.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'not for the page');
  const handler = createAppProtocolHandler({
    rootDir: root,
    csp: () => contentSecurityPolicy('ws://127.0.0.1:8787/signal'),
  });
  return (url: string, method = 'GET') => handler(new Request(url, { method }));
}

describe('the app:// protocol', () => {
  it('serves the renderer with its type and a strict CSP', async () => {
    const get = site();
    const index = await get('app://portal/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>Portal</title>');
    const csp = index.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:8787 http://127.0.0.1:8787;");
    expect(csp).not.toContain('unsafe');
    const script = await get('app://portal/assets/main.js?v=1');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('is never handed a literal .. : the URL parser resolves it before any handler runs', async () => {
    // Chromium parses the URL before Electron calls the handler, as Request does here, and the
    // parser takes %2e%2e for .. too; only an encoded slash (..%2f, below) reaches the handler's
    // own check, and those cases fail without it.
    expect(new Request('app://portal/assets/../../secret.txt').url).toBe('app://portal/secret.txt');
    expect((await site()('app://portal/assets/../../secret.txt')).status).toBe(404);
  });

  it.each([
    'app://portal/%2e%2e/secret.txt',
    'app://portal/assets/%2e%2e/%2e%2e/secret.txt',
    'app://portal/..%2fsecret.txt',
    'app://portal/assets%2f..%2f..%2fsecret.txt',
    'app://portal/missing.js',
    'app://elsewhere/index.html',
  ])('answers 404 for %s, never a file outside the renderer', async (url) => {
    const response = await site()(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('not for the page');
  });

  it('refuses anything but GET and HEAD, and bad escapes', async () => {
    expect((await site()('app://portal/', 'POST')).status).toBe(405);
    expect((await site()('app://portal/%E0%A4%A')).status).toBe(400);
    const head = await site()('app://portal/', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('lets the page reach only the configured signaling server, or its own origin', () => {
    expect(contentSecurityPolicy('wss://signal.example.org:443/signal')).toContain(
      "connect-src 'self' wss://signal.example.org https://signal.example.org;",
    );
    expect(contentSecurityPolicy(null)).toContain("connect-src 'self';");
    // One the browser cannot open is left out, and the page still gets its policy.
    expect(contentSecurityPolicy('ws://127.0.0.1:99999/signal')).toContain("connect-src 'self';");
  });
});
