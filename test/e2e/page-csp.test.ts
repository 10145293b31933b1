// The page as `portal serve` (and every kiosk host) serves it, under the same strict CSP as the
// Electron shell's, in real Chromium: two sites go live with their signaling server on another
// origin and no violation; what the page does besides (the /healthz probe of that server,
// throwaway peer connections to ask STUN/TURN) passes the policy; anything else is refused; no
// other page can frame it; and a DNS-rebinding name gets no page at all.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { servePortal, type RunningCli } from '../support/built-cli.js';
import { waitForState, type SiteBrowser } from '../support/chromium.js';
import { cspViolations, policedBrowser } from '../support/policed-browser.js';

const servers: RunningCli[] = [];
const browsers: SiteBrowser[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await Promise.all(browsers.splice(0).map((site) => site.close().catch(() => undefined)));
  for (const server of servers.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

async function open(args?: readonly string[]): Promise<SiteBrowser> {
  const site = await policedBrowser(args ? { args } : {});
  browsers.push(site);
  return site;
}

describe('the page served by portal serve', () => {
  it('goes live under its strict CSP with a signaling server of another origin, and refuses anything else', async () => {
    // The page from one server, signaling through another (another port: another origin).
    const pages = await servePortal(servers);
    const signaling = await servePortal(servers);
    const signal = `ws://127.0.0.1:${signaling.port}/signal`;
    const dublin = await open();
    const response = await dublin.page.goto(
      `${pages.url}/?room=lobby&site=dublin&key=e2e-key&signal=${encodeURIComponent(signal)}`,
    );
    expect(response?.headers()).toMatchObject({
      'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob: mediastream:; connect-src 'self' ws://127.0.0.1:${signaling.port} http://127.0.0.1:${signaling.port}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'`,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
    const oslo = await open();
    await oslo.page.goto(`${signaling.url}/?room=lobby&site=oslo&key=e2e-key`);
    await Promise.all([waitForState(dublin, 'live', 60_000), waitForState(oslo, 'live', 60_000)]);
    expect(await cspViolations(dublin.page)).toEqual([]);
    expect(await cspViolations(oslo.page)).toEqual([]);

    // What the signaling client does when the server falls silent: GET /healthz of that server
    // (no-cors), and a throwaway peer connection asking a STUN server for its address.
    const probed = await dublin.page.evaluate(async (port) => {
      const answered = await fetch(`http://127.0.0.1:${port}/healthz`, { mode: 'no-cors', cache: 'no-store' }).then(
        () => 'answered',
        (error: unknown) => String(error),
      );
      const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:3478' }] });
      pc.createDataChannel('probe');
      await pc.setLocalDescription(await pc.createOffer());
      pc.close();
      return answered;
    }, signaling.port);
    expect(probed).toBe('answered');
    expect(await cspViolations(dublin.page)).toEqual([]);

    // Anywhere else is refused, and seen.
    await dublin.page.evaluate(async () => {
      try {
        new WebSocket('ws://127.0.0.1:9/elsewhere');
      } catch {
        // Refused before it starts.
      }
      await fetch('http://127.0.0.1:9/healthz', { mode: 'no-cors' }).catch(() => undefined);
    });
    await expect
      .poll(() => cspViolations(dublin.page))
      .toEqual([
        expect.stringMatching(/^connect-src ws:\/\/127\.0\.0\.1:9\//),
        expect.stringMatching(/^connect-src http:\/\/127\.0\.0\.1:9\//),
      ]);
  });

  it('reaches a signaling server of another origin saved from its overlay, by opening the URL that names it', async () => {
    // What the overlay's Apply (or a pairing code) leaves in this browser's storage: a server on
    // another origin. The page's own URL names none, so its CSP would not let it reach that one.
    const pages = await servePortal(servers);
    const signaling = await servePortal(servers);
    const signal = `ws://127.0.0.1:${signaling.port}/signal`;
    const dublin = await open();
    await dublin.context.addInitScript(
      `localStorage.setItem('portal.params', ${JSON.stringify(JSON.stringify({ signal }))});`,
    );
    await dublin.page.goto(`${pages.url}/?room=lobby&site=dublin&key=e2e-key`);
    const oslo = await open();
    await oslo.page.goto(`${signaling.url}/?room=lobby&site=oslo&key=e2e-key`);
    await Promise.all([waitForState(dublin, 'live', 60_000), waitForState(oslo, 'live', 60_000)]);
    expect(new URL(dublin.page.url()).searchParams.get('signal')).toBe(signal);
    expect(await cspViolations(dublin.page)).toEqual([]);
  });

  it('cannot be framed by another page', async () => {
    const pages = await servePortal(servers);
    // Another site's page, with no policy of its own, that frames the portal.
    const framing = createServer((_req, res) =>
      res.end(`<!doctype html><iframe src="${pages.url}/?room=lobby&site=framed"></iframe>`),
    );
    await new Promise<void>((resolve) => framing.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      framing.closeAllConnections();
      return new Promise((resolve) => framing.close(resolve));
    });
    const framer = await open();
    const refused = framer.page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
    await framer.page.goto(`http://127.0.0.1:${(framing.address() as AddressInfo).port}/`);
    expect((await refused).text()).toBe(
      `Framing '${pages.url}/' violates the following Content Security Policy directive: "frame-ancestors 'none'". The request has been blocked.\n`,
    );
    // The portal never ran in it: the frame holds Chromium's error page.
    await expect
      .poll(() => framer.page.frames().map((frame) => frame.url()))
      .toContain('chrome-error://chromewebdata/');
  });

  it('gives a name that resolves to it afterwards (DNS rebinding) no page', async () => {
    const pages = await servePortal(servers);
    // As if rebound.example had resolved to the attacker's server first and to this one now.
    const browser = await open(['--host-resolver-rules=MAP rebound.example 127.0.0.1']);
    const response = await browser.page.goto(`http://rebound.example:${pages.port}/?room=lobby&site=x`);
    expect(response?.status()).toBe(403);
    expect(await browser.page.textContent('body')).toMatch(
      /^This server does not answer to the name 'rebound\.example'/,
    );
    // Its own name and address still get the page.
    for (const base of [`http://localhost:${pages.port}`, pages.url]) {
      expect((await browser.page.goto(`${base}/?room=lobby&site=x`))?.status()).toBe(200);
    }
  });
});
