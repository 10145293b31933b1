// Signaling over TLS end to end, with a certificate chain made by the test (a root CA, an
// intermediate, a server certificate for 127.0.0.1 and localhost): portal serve presents the
// chain, and every client checks it for real against the root alone. Node's client and
// Chromium (which trusts the root through an NSS database in a HOME of the test's own, with no
// flag that skips a check) connect; without the root, or without the intermediate, they do not.
// Two Chromium sites go live over wss://, and a kiosk whose config file names a wss:// server.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configText, defaultConfig } from '../../app/config/portal-config.js';
import { runCli, type RunningCli } from '../support/built-cli.js';
import { CHROMIUM, waitForState, type SiteBrowser } from '../support/chromium.js';
import { cspViolations, policedBrowser } from '../support/policed-browser.js';
import { freePort } from '../support/free-port.js';
import { chromiumHomeTrusting, makeTestChain, type TestChain } from '../support/test-ca.js';
import { TestSite } from '../support/test-site.js';
import { startXvfb, type Xvfb } from '../support/xvfb.js';

let chain: TestChain;
let trustingHome: string;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
beforeAll(() => {
  chain = makeTestChain();
  trustingHome = chromiumHomeTrusting(chain);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
});

async function serveTls(certFile = chain.certFile): Promise<{ cli: RunningCli; port: number }> {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'portal-key-')), 'room.key');
  writeFileSync(keyFile, 'tls-key\n', { mode: 0o600 });
  const cli = runCli([
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--key-file',
    keyFile,
    '--tls-cert',
    certFile,
    '--tls-key',
    chain.keyFile,
  ]);
  cleanups.push(() => cli.child.exitCode === null && cli.child.kill('SIGKILL'));
  const [, url] = await cli.waitForLine(/^listening on (\S+)$/);
  expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  return { cli, port: Number(new URL(url!).port) };
}

const browser = async (home: string): Promise<SiteBrowser> => {
  const site = await policedBrowser({ home });
  cleanups.push(() => site.close());
  return site;
};
const waitForLive = (site: SiteBrowser) => waitForState(site, 'live', 60_000);

describe('signaling over wss:// with a real certificate chain', () => {
  it("is reached by a client that trusts the root only, and refused by one that does not, or without the chain's intermediate", async () => {
    const { port } = await serveTls();
    const url = `wss://127.0.0.1:${port}/signal`;
    const site = await TestSite.connect(url, { ca: chain.ca });
    site.send({ type: 'join', v: 1, room: 'lobby', site: 'dublin', key: 'tls-key' });
    expect((await site.next('joined')).room).toBe('lobby');
    site.close();
    const byName = await TestSite.connect(`wss://localhost:${port}/signal`, { ca: chain.ca });
    byName.close();
    await expect(TestSite.connect(url)).rejects.toMatchObject({ code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' });

    const leafOnly = await serveTls(chain.leafOnlyFile);
    await expect(TestSite.connect(`wss://127.0.0.1:${leafOnly.port}/signal`, { ca: chain.ca })).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });

  it('brings two Chromium sites live over wss://, under the page CSP, with no violation', async () => {
    const { port } = await serveTls();
    const signal = encodeURIComponent(`wss://127.0.0.1:${port}/signal`);
    const dublin = await browser(trustingHome);
    const oslo = await browser(trustingHome);
    const opened = await dublin.page.goto(
      `https://127.0.0.1:${port}/?room=lobby&site=dublin&key=tls-key&signal=${signal}`,
    );
    expect(opened?.headers()['content-security-policy']).toContain(
      `connect-src 'self' wss://127.0.0.1:${port} https://127.0.0.1:${port};`,
    );
    // By name, and its own origin's /signal (wss:// because the page is https://).
    await oslo.page.goto(`https://localhost:${port}/?room=lobby&site=oslo&key=tls-key`);
    await Promise.all([waitForLive(dublin), waitForLive(oslo)]);
    expect(await cspViolations(dublin.page)).toEqual([]);
    expect(await cspViolations(oslo.page)).toEqual([]);
  });

  it('is refused by a Chromium that does not trust the root', async () => {
    const { port } = await serveTls();
    const stranger = await browser(mkdtempSync(join(tmpdir(), 'portal-home-')));
    await expect(stranger.page.goto(`https://127.0.0.1:${port}/`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
  });
});

describe('a kiosk whose config file names a wss:// server', () => {
  let xvfb: Xvfb;
  beforeAll(async () => {
    xvfb = await startXvfb();
  });
  afterAll(async () => {
    await xvfb.stop();
  });

  it('goes live with its partner over it', async () => {
    const { port } = await serveTls();
    const dir = mkdtempSync(join(tmpdir(), 'portal-kiosk-'));
    const configPath = join(dir, 'config.json');
    const localPort = await freePort();
    writeFileSync(
      configPath,
      configText({
        ...defaultConfig('dublin', 'tls-key'),
        room: 'lobby',
        signaling: { host: false, port: localPort, url: `wss://127.0.0.1:${port}/signal`, turn: null },
      }),
    );
    // The kiosk's Chromium trusts the root as any browser of that user would: through its HOME.
    const kiosk = runCli(['kiosk', '--config', configPath, '--browser', CHROMIUM], {
      DISPLAY: xvfb.display,
      HOME: trustingHome,
      PORTAL_CHROMIUM_FLAGS: '--use-fake-device-for-media-stream --disable-gpu',
    });
    cleanups.push(() => kiosk.child.exitCode === null && kiosk.child.kill('SIGKILL'));
    await kiosk.waitForLine(/local port (\d+)$/, 20_000);
    const oslo = await browser(trustingHome);
    await oslo.page.goto(`https://127.0.0.1:${port}/?room=lobby&site=oslo&key=tls-key`);
    const kioskState = async () =>
      ((await (await fetch(`http://127.0.0.1:${localPort}/healthz`)).json()) as { kiosks: Array<{ state: string }> })
        .kiosks[0]?.state;
    await expect.poll(kioskState, { timeout: 60_000, interval: 500 }).toBe('live');
    await waitForLive(oslo);
    kiosk.child.kill('SIGTERM');
    expect((await kiosk.exited).code).toBe(0);
  });
});
