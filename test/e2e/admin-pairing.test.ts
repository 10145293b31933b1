// The pairing code's address in a kiosk host's admin overlay, in real Chromium: a real kiosk
// host (its HTTP bridge, its admin calls, its signaling server) whose machine has a container
// bridge, a VPN and a LAN, as a fake os.networkInterfaces says; the page opened the way the
// Chromium shell opens it. The overlay lists the addresses, the LAN first; choosing another
// changes the code, and the choice holds when the page loads again.

import { mkdirSync, writeFileSync } from 'node:fs';
import type { NetworkInterfaceInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePairingCode } from '../../app/admin/admin-settings.js';
import { defaultConfig, type PortalConfig } from '../../app/config/portal-config.js';
import { silentLogger } from '../../app/log/logger.js';
import type { HostedDisplay } from '../../main/display/display-shell.js';
import { startKioskHost, type KioskHost } from '../../main/site/kiosk-host.js';
import type { NetworkInterfaces } from '../../main/site/pairing-candidates.js';
import { createSiteAdmin } from '../../main/site/site-admin.js';
import { linkSettingsFor } from '../../main/site/site-settings.js';
import { DEFAULT_WATCHDOG } from '../../main/watchdog/display-watchdog.js';
import { servePortal, type RunningCli } from '../support/built-cli.js';
import { openSite, waitForState, type SiteBrowser } from '../support/chromium.js';
import { recordingShell } from '../support/fake-kiosk-host.js';

const BUILT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const v4 = (address: string): NetworkInterfaceInfo => ({
  address,
  family: 'IPv4',
  internal: false,
  netmask: '255.255.255.0',
  mac: '02:00:00:00:00:01',
  cidr: `${address}/24`,
});

/** Docker's bridge first, as Linux lists it when Docker came up before the LAN. */
const INTERFACES: NetworkInterfaces = {
  lo: [{ ...v4('127.0.0.1'), internal: true }],
  docker0: [v4('172.17.0.1')],
  wg0: [v4('10.8.0.2')],
  enp3s0: [
    v4('192.168.1.20'),
    {
      address: 'fe80::1e1b:dff:fe7a:1',
      family: 'IPv6',
      internal: false,
      netmask: 'ffff:ffff:ffff:ffff::',
      mac: '02:00:00:00:00:01',
      cidr: 'fe80::1e1b:dff:fe7a:1/64',
      scopeid: 2,
    },
  ],
};

/** A kiosk host as `portal kiosk` runs one, with a shell that only records its display. */
async function kioskHost(): Promise<{ host: KioskHost; display: HostedDisplay }> {
  let config: PortalConfig = defaultConfig('dublin', 'pairing-e2e-key-0123456789');
  const { shell, shown } = recordingShell(true);
  const admin = createSiteAdmin({
    store: { save: async () => {} },
    config: () => config,
    setConfig: (next) => (config = next),
    localPort: () => host.port,
    recentLogs: () => [],
    restart: () => {},
    logger: silentLogger,
    networkInterfaces: () => INTERFACES,
  });
  const host: KioskHost = await startKioskHost({
    shell,
    displays: [
      {
        site: config.site,
        settings: (port) => linkSettingsFor(config, port),
        warning: null,
        hardwareVideo: 'off',
        profileDir: '/nonexistent',
        admin,
      },
    ],
    signaling: { keys: { key: config.key }, listen: '127.0.0.1' },
    port: 0,
    staticDir: BUILT_RENDERER_DIR,
    watchdog: DEFAULT_WATCHDOG,
    logger: silentLogger,
  });
  cleanups.push(() => host.stop());
  return { host, display: shown[0]! };
}

async function open(url: string): Promise<SiteBrowser> {
  const site = await openSite(url);
  cleanups.push(() => site.close().catch(() => undefined));
  return site;
}

const address = (page: Page) => page.getByLabel('Partner reaches this portal at');
const code = (page: Page) => page.getByLabel('Pairing code for the partner').inputValue();
const signalOf = async (page: Page) => {
  const parsed = parsePairingCode(await code(page));
  return parsed.ok ? parsed.signal : parsed.error;
};

describe("the pairing code's address, in a kiosk host's overlay", () => {
  it('lists the LAN first, puts the chosen address in the code, and keeps the choice after a reload', async () => {
    const { host, display } = await kioskHost();
    const url = `http://127.0.0.1:${host.port}/#bridge=${display.secret}`;
    const dublin = await open(url);
    await waitForState(dublin, 'waiting');

    await dublin.page.keyboard.press('Control+Shift+A');
    await dublin.page.getByLabel('PIN', { exact: true }).fill('2468');
    await dublin.page.getByLabel('Confirm PIN', { exact: true }).fill('2468');
    await dublin.page.getByRole('button', { name: 'Set PIN' }).click();
    await address(dublin.page).waitFor({ state: 'visible' });

    const port = host.port;
    expect(await address(dublin.page).locator('option').allTextContents()).toEqual([
      'enp3s0: 192.168.1.20',
      'docker0: 172.17.0.1',
      'wg0: 10.8.0.2',
    ]);
    // The LAN's address, not the container bridge's that the OS lists first.
    expect(await signalOf(dublin.page)).toBe(`ws://192.168.1.20:${port}/signal`);

    await address(dublin.page).selectOption(`ws://10.8.0.2:${port}/signal`);
    await expect.poll(() => signalOf(dublin.page)).toBe(`ws://10.8.0.2:${port}/signal`);
    expect(parsePairingCode(await code(dublin.page))).toMatchObject({
      room: 'portal',
      key: 'pairing-e2e-key-0123456789',
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(`${ARTIFACTS}admin-pairing.png`, await dublin.page.locator('.admin-panel').screenshot());

    // The next time the overlay opens, even after the page loaded again, the choice holds.
    await dublin.page.reload();
    await waitForState(dublin, 'waiting');
    await dublin.page.keyboard.press('Control+Shift+A');
    await dublin.page.getByLabel('PIN', { exact: true }).fill('2468');
    await dublin.page.getByRole('button', { name: 'Unlock' }).click();
    await address(dublin.page).waitFor({ state: 'visible' });
    expect(await address(dublin.page).inputValue()).toBe(`ws://10.8.0.2:${port}/signal`);
    expect(await signalOf(dublin.page)).toBe(`ws://10.8.0.2:${port}/signal`);
  });

  it('shows no choice on a web page, which knows one way to its server', async () => {
    const servers: RunningCli[] = [];
    cleanups.push(() => servers.forEach((server) => server.child.exitCode === null && server.child.kill('SIGKILL')));
    const { url } = await servePortal(servers);
    const dublin = await open(`${url}/?room=lobby&site=dublin&key=e2e-key`);
    await waitForState(dublin, 'waiting');
    await dublin.page.keyboard.press('Control+Shift+A');
    await dublin.page.getByLabel('PIN', { exact: true }).fill('2468');
    await dublin.page.getByLabel('Confirm PIN', { exact: true }).fill('2468');
    await dublin.page.getByRole('button', { name: 'Set PIN' }).click();
    await dublin.page.getByLabel('Pairing code for the partner').waitFor({ state: 'visible' });
    expect(await address(dublin.page).isVisible()).toBe(false);
    expect(await signalOf(dublin.page)).toBe(`${url.replace('http', 'ws')}/signal`);
  });
});
