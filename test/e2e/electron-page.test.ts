// The renderer as the Electron shell runs it, in real Chromium: served by the app protocol's
// handler (over a loopback HTTP adapter, since there is no Electron binary here) with its strict
// CSP, and one site taking its settings and reporting its heartbeat through `window.portal`
// verbs shaped like the preload's. The two sites must go live with no CSP violation.

import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { PortalConfig } from '../../app/config/portal-config.js';
import { defaultConfig } from '../../app/config/portal-config.js';
import { createAppProtocolHandler } from '../../main/electron/app-protocol.js';
import { contentSecurityPolicy } from '../../main/signaling/content-security-policy.js';
import { linkSettingsFor } from '../../main/site/site-settings.js';
import { parseBridgeArgs, type BridgeCall } from '../../native-bridge/contract.js';
import { runCli, type RunningCli } from '../support/built-cli.js';
import { openSite, waitForState, type SiteBrowser } from '../support/chromium.js';

/** The built renderer (`npm test` builds before it tests). */
const BUILT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The app:// handler behind http://127.0.0.1:PORT, each request rewritten to app://portal/... */
async function appProtocolOverHttp(signalUrl: string): Promise<string> {
  const handler = createAppProtocolHandler({
    rootDir: BUILT_RENDERER_DIR,
    csp: () => contentSecurityPolicy(signalUrl),
  });
  const server: Server = createServer((req, res) => {
    void handler(new Request(`app://portal${req.url ?? '/'}`, { method: req.method ?? 'GET' })).then(
      async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** Every CSP violation the page sees, kept for the test. */
async function recordViolations(site: SiteBrowser): Promise<string[]> {
  return site.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

async function open(url: string, bridge?: (call: string, args: unknown) => unknown): Promise<SiteBrowser> {
  const site = await openSite(url, async (context) => {
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    if (bridge === undefined) return;
    // What the preload exposes: one verb per call, each a promise of the host's answer.
    await context.exposeBinding('__portalHost', (_source, call: string, args: unknown) => bridge(call, args));
    await context.addInitScript(() => {
      const host = (window as unknown as { __portalHost: (call: string, args: unknown) => Promise<unknown> })
        .__portalHost;
      (window as unknown as { portal: unknown }).portal = Object.freeze({
        reportState: (args: unknown) => host('reportState', args),
        getSettings: (args: unknown) => host('getSettings', args),
      });
    });
  });
  cleanups.push(() => site.close().catch(() => undefined));
  return site;
}

describe('the renderer under the Electron shell', () => {
  it('goes live under the strict CSP, with settings and heartbeats over window.portal', async () => {
    const server: RunningCli = runCli(['serve', '--host', '127.0.0.1', '--port', '0', '--key', 'e2e-key']);
    cleanups.push(() => server.child.exitCode === null && server.child.kill('SIGKILL'));
    const [, serverUrl] = await server.waitForLine(/^listening on (\S+)$/);
    const port = Number(new URL(serverUrl!).port);
    const base = await appProtocolOverHttp(`ws://127.0.0.1:${port}/signal`);

    // Dublin is the Electron kiosk: no URL parameters, everything from the bridge.
    const config: PortalConfig = { ...defaultConfig('dublin', 'e2e-key'), room: 'lobby' };
    const reports: unknown[] = [];
    const host = (call: string, args: unknown): unknown => {
      // The main process parses every payload with the contract before a handler runs.
      const parsed = parseBridgeArgs(call as BridgeCall, args);
      if (!parsed.ok) throw new Error(parsed.error);
      if (call === 'reportState') return void reports.push(parsed.value);
      return { settings: linkSettingsFor(config, port), warning: null };
    };
    const dublin = await open(`${base}/`, host);
    await waitForState(dublin, 'waiting');
    const oslo = await open(`${base}/?room=lobby&site=oslo&key=e2e-key&signal=ws://127.0.0.1:${port}/signal`);
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);
    await expect
      .poll(() => reports.at(-1), { timeout: 5_000 })
      .toEqual({
        state: 'live',
        error: null,
        partner: { site: 'oslo', state: 'live' },
        sessionRepairs: 0,
        closedUntil: null,
      });

    expect(await recordViolations(dublin)).toEqual([]);
    expect(await recordViolations(oslo)).toEqual([]);
    // And the policy holds: a connection anywhere else is refused and seen.
    await dublin.page.evaluate(() => {
      try {
        new WebSocket('ws://127.0.0.1:9/elsewhere');
      } catch {
        // Refused before it starts.
      }
    });
    await expect
      .poll(() => recordViolations(dublin))
      .toEqual([expect.stringMatching(/^connect-src ws:\/\/127\.0\.0\.1:9/)]);
  });
});
