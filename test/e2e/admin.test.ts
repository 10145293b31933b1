// The admin overlay and the stats view in real Chromium, driven by keys and clicks as a person
// would: two web-page sites against a real `portal serve`, settings kept in the browser's local
// storage. Screenshots of the overlay and the stats view go to test-results/.

import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { servePortal, type RunningCli } from '../support/built-cli.js';
import { openSite, waitForState, type SiteBrowser } from '../support/chromium.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const servers: RunningCli[] = [];
const browsers: SiteBrowser[] = [];

afterEach(async () => {
  await Promise.all(browsers.splice(0).map((site) => site.close().catch(() => undefined)));
  for (const server of servers.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

async function serve(): Promise<string> {
  return (await servePortal(servers)).url;
}

/** A site whose every page state is recorded in window.__states, in order. */
async function site(base: string, name: string, extra = ''): Promise<SiteBrowser> {
  const browser = await openSite(`${base}/?room=lobby&site=${name}&key=e2e-key${extra}`, async (context) => {
    await context.addInitScript(() => {
      const states: string[] = [];
      (window as unknown as { __states: string[] }).__states = states;
      new MutationObserver(() => {
        const state = document.documentElement.dataset['portalState'] ?? '';
        if (states.at(-1) !== state) states.push(state);
        // The document is observed from before <html> exists, so no change is missed.
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-portal-state'] });
    });
  });
  browsers.push(browser);
  return browser;
}

const states = (page: Page) => page.evaluate(() => (window as unknown as { __states: string[] }).__states.slice());
const remoteWidth = (page: Page) =>
  page.evaluate(() => (document.getElementById('remote') as HTMLVideoElement).videoWidth);
const admin = (page: Page) => page.locator('[data-portal-admin]');

async function openAdmin(page: Page): Promise<void> {
  await page.keyboard.press('Control+Shift+A');
  await admin(page).waitFor({ state: 'visible' });
}

async function setPin(page: Page, pin: string): Promise<void> {
  await openAdmin(page);
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByLabel('Confirm PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Set PIN' }).click();
  await page.getByLabel('Resolution').waitFor({ state: 'visible' });
}

async function unlock(page: Page, pin: string): Promise<void> {
  await openAdmin(page);
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/**
 * Saves a screenshot as a test artifact, and checks it shows something: the picture has many
 * colours, not one flat fill.
 */
async function artifact(page: Page, name: string, element?: string): Promise<void> {
  const png = element ? await page.locator(element).screenshot() : await page.screenshot();
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(`${ARTIFACTS}${name}.png`, png);
  const colours = await page.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4 * 7)
      seen.add((pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!);
    return seen.size;
  }, png.toString('base64'));
  expect(colours, `${name}.png is blank`).toBeGreaterThan(20);
}

describe('the admin overlay', () => {
  it('sets a PIN, changes the resolution live, and keeps it after a reload', async () => {
    const base = await serve();
    // Dublin starts small, so the partner's picture visibly grows when the setting changes.
    const dublin = await site(base, 'dublin', '&width=320&height=240');
    const oslo = await site(base, 'oslo');
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);
    await expect.poll(() => remoteWidth(oslo.page), { timeout: 10_000 }).toBe(320);

    await setPin(dublin.page, '2468');
    // No password field anywhere: one would make the browser offer to save it over the kiosk.
    expect(await dublin.page.locator('input[type=password]').count()).toBe(0);
    expect(
      await dublin.page
        .getByLabel('Key', { exact: true })
        .evaluate((input) => getComputedStyle(input).getPropertyValue('-webkit-text-security')),
    ).toBe('disc');
    await artifact(dublin.page, 'admin-overlay');
    // The recording works: both sites have been through their states to live.
    expect((await states(dublin.page)).at(-1)).toBe('live');
    expect((await states(oslo.page)).at(-1)).toBe('live');
    const before = (await states(dublin.page)).length;
    const osloBefore = (await states(oslo.page)).length;
    await dublin.page.getByLabel('Resolution').selectOption('640x480');
    await dublin.page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => dublin.page.textContent('.admin-message'))
      .toMatch(/^Saved\. Applied to the running call\./);
    // The partner receives 640 pixels wide within a few seconds, and dublin never left live.
    await expect.poll(() => remoteWidth(oslo.page), { timeout: 8_000 }).toBe(640);
    expect((await states(dublin.page)).slice(before)).toEqual([]);
    expect((await states(oslo.page)).slice(osloBefore)).toEqual([]);

    await dublin.page.reload();
    await waitForState(dublin, 'live');
    await unlock(dublin.page, '2468');
    await expect.poll(() => dublin.page.getByLabel('Resolution').inputValue()).toBe('640x480');
    await expect.poll(() => remoteWidth(oslo.page), { timeout: 10_000 }).toBe(640);
    // Escape closes it; the portal ran underneath all along.
    await dublin.page.keyboard.press('Escape');
    await expect.poll(() => admin(dublin.page).isVisible()).toBe(false);
    expect(await dublin.page.evaluate(() => document.documentElement.dataset['portalState'])).toBe('live');
  });

  it('locks for five minutes after five wrong PINs', async () => {
    const base = await serve();
    const dublin = await site(base, 'dublin');
    await waitForState(dublin, 'waiting');
    await setPin(dublin.page, '2468');
    await dublin.page.getByRole('button', { name: 'Close' }).click();
    await unlock(dublin.page, '1111');
    await expect.poll(() => dublin.page.textContent('.admin-message')).toMatch(/^Wrong PIN\. 4 tries left/);
    for (const left of ['3 tries', '2 tries', '1 try', null]) {
      await dublin.page.getByLabel('PIN', { exact: true }).fill('1111');
      await dublin.page.getByRole('button', { name: 'Unlock' }).click();
      if (left !== null) {
        await expect
          .poll(() => dublin.page.textContent('.admin-message'))
          .toMatch(new RegExp(`^Wrong PIN\\. ${left} left`));
      }
    }
    await expect
      .poll(() => dublin.page.textContent('.admin-message'))
      .toMatch(/^Locked after 5 wrong PINs\. Try again in (5 min|4 min \d+ s)\.$/);
    expect(await dublin.page.getByLabel('PIN', { exact: true }).isDisabled()).toBe(true);
    // Closing and opening again does not lift it, nor does the right PIN.
    await dublin.page.keyboard.press('Escape');
    await openAdmin(dublin.page);
    await expect.poll(() => dublin.page.textContent('.admin-message')).toMatch(/^Locked after 5 wrong PINs/);
    expect(await dublin.page.getByLabel('PIN', { exact: true }).isDisabled()).toBe(true);
  });

  it('locks after forty wrong PINs sent at once, and stays locked when opened again', async () => {
    const base = await serve();
    const dublin = await site(base, 'dublin');
    await waitForState(dublin, 'waiting');
    await setPin(dublin.page, '2468');
    await dublin.page.getByRole('button', { name: 'Close' }).click();
    await openAdmin(dublin.page);
    // Forty submits before the first answer: each reads the same wrong PIN from the field.
    await dublin.page.evaluate(() => {
      const form = document.querySelector<HTMLFormElement>('form.admin-pin')!;
      form.querySelector<HTMLInputElement>('#admin-pin')!.value = '1111';
      for (let i = 0; i < 40; i++) form.requestSubmit();
    });
    await expect.poll(() => dublin.page.textContent('.admin-message')).toMatch(/^Locked after 5 wrong PINs/);
    await dublin.page.keyboard.press('Escape');
    await openAdmin(dublin.page);
    await expect.poll(() => admin(dublin.page).getAttribute('data-locked')).toBe('true');
    // The lock is in this browser's storage, so a reload does not lift it either.
    const stored = await dublin.page.evaluate(() => JSON.parse(localStorage.getItem('portal.admin.lock') ?? 'null'));
    expect(stored).toMatchObject({ lockedUntil: expect.any(Number) });
  });

  it('shows a wrong value next to its field and saves nothing', async () => {
    const base = await serve();
    const dublin = await site(base, 'dublin');
    await waitForState(dublin, 'waiting');
    await setPin(dublin.page, '2468');
    await dublin.page.getByLabel('Max bitrate').fill('abc');
    await dublin.page.getByLabel('Site').fill('a b');
    await dublin.page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => dublin.page.textContent('#admin-maxBitrate-error'))
      .toBe("Max bitrate must be a whole number of kbit/s from 50 to 100000 (or empty for no cap), got 'abc'.");
    expect(await dublin.page.textContent('#admin-site-error')).toMatch(/^Site must be 1-64 characters/);
    expect(await dublin.page.getByLabel('Max bitrate').getAttribute('aria-invalid')).toBe('true');
    expect(await dublin.page.textContent('.admin-message')).toBe('Nothing was saved: correct the fields marked below.');
    expect(await dublin.page.evaluate(() => localStorage.getItem('portal.params'))).toBeNull();
  });

  it('sets up a page opened without settings, from its overlay', async () => {
    const base = await serve();
    const bare = await openSite(`${base}/`);
    browsers.push(bare);
    await waitForState(bare, 'error');
    await setPin(bare.page, '2468');
    await bare.page.getByLabel('Site', { exact: true }).fill('dublin');
    await bare.page.getByLabel('Room', { exact: true }).fill('lobby');
    await bare.page.getByLabel('Key', { exact: true }).fill('e2e-key');
    await bare.page.getByRole('button', { name: 'Apply' }).click();
    // The page starts over with the saved settings, and they hold on the next load too.
    await waitForState(bare, 'waiting');
    await bare.page.reload();
    await waitForState(bare, 'waiting');
    expect(await bare.page.textContent('#status')).toMatch(/dublin is in room lobby/);
  });

  it('closes itself after a minute without input', async () => {
    const base = await serve();
    const dublin = await openSite(`${base}/?room=lobby&site=dublin&key=e2e-key`, (context) => context.clock.install());
    browsers.push(dublin);
    await waitForState(dublin, 'waiting');
    await openAdmin(dublin.page);
    await dublin.page.clock.fastForward(50_000);
    await dublin.page.getByLabel('PIN', { exact: true }).fill('13');
    await dublin.page.clock.fastForward(50_000);
    expect(await admin(dublin.page).isVisible()).toBe(true);
    await dublin.page.clock.fastForward(11_000);
    await expect.poll(() => admin(dublin.page).isVisible()).toBe(false);
  });

  it("fills room, key and server from the partner's pairing code", async () => {
    const base = await serve();
    const dublin = await site(base, 'dublin');
    // Oslo has the wrong key, so the server turns it away until it takes dublin's code.
    const oslo = await site(base, 'oslo', '&key=wrong-key');
    await Promise.all([waitForState(dublin, 'waiting'), waitForState(oslo, 'error')]);
    await setPin(dublin.page, '2468');
    const code = await dublin.page.getByLabel('Pairing code for the partner').inputValue();
    expect(code).toMatch(
      /^portal-pair:v2;room=lobby;key=e2e-key;signal=ws%3A%2F%2F127\.0\.0\.1%3A\d+%2Fsignal;fingerprint=[0-9A-F]{64}$/,
    );
    await setPin(oslo.page, '1357');
    await oslo.page.getByLabel('Room', { exact: true }).fill('elsewhere');
    await oslo.page.getByLabel('Pairing code from the partner').fill(code);
    await oslo.page.getByRole('button', { name: 'Use code' }).click();
    expect(await oslo.page.getByLabel('Room', { exact: true }).inputValue()).toBe('lobby');
    expect(await oslo.page.getByLabel('Key', { exact: true }).inputValue()).toBe('e2e-key');
    expect(await oslo.page.getByLabel('Signaling server').inputValue()).toBe(`${base.replace('http', 'ws')}/signal`);
    // ...and pins dublin's fingerprint, which the code carries.
    expect(await oslo.page.getByLabel("Partner's fingerprint", { exact: true }).inputValue()).toBe(
      await dublin.page.evaluate(() => document.documentElement.dataset['portalFingerprint']),
    );
    // Applying it joins dublin's room with dublin's key.
    await oslo.page.getByRole('button', { name: 'Apply' }).click();
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);
  });

  it('opens with a three-second press on the top-left corner of a touch screen', async () => {
    const base = await serve();
    const dublin = await openSite(`${base}/?room=lobby&site=dublin&key=e2e-key`, (context) => context.clock.install());
    browsers.push(dublin);
    await waitForState(dublin, 'waiting');
    await dublin.page.mouse.move(10, 10);
    // A press let go after 2.9 s does nothing ...
    await dublin.page.mouse.down();
    await dublin.page.clock.runFor(2_900);
    await dublin.page.mouse.up();
    await dublin.page.clock.runFor(1_000);
    expect(await admin(dublin.page).isVisible()).toBe(false);
    // ... one held for 3 s opens the settings, and a press elsewhere does not.
    await dublin.page.mouse.move(200, 200);
    await dublin.page.mouse.down();
    await dublin.page.clock.runFor(3_100);
    await dublin.page.mouse.up();
    expect(await admin(dublin.page).isVisible()).toBe(false);
    await dublin.page.mouse.move(10, 10);
    await dublin.page.mouse.down();
    await dublin.page.clock.runFor(3_000);
    await dublin.page.mouse.up();
    await expect.poll(() => admin(dublin.page).isVisible()).toBe(true);
    expect(await dublin.page.getByLabel('Confirm PIN', { exact: true }).isVisible()).toBe(true);
  });
});

describe('the stats view', () => {
  it('shows the call figures with a candidate type, updated every second', async () => {
    const base = await serve();
    const dublin = await site(base, 'dublin');
    const oslo = await site(base, 'oslo');
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);
    const stats = dublin.page.locator('[data-portal-stats]');
    expect(await stats.isVisible()).toBe(false);
    await dublin.page.keyboard.press('Control+Shift+S');
    await stats.waitFor({ state: 'visible' });
    const row = (label: string) => stats.locator('tr', { hasText: label }).locator('td').textContent();
    await expect.poll(() => row('Candidate'), { timeout: 5_000 }).toMatch(/^host \(partner host\)$/);
    await expect.poll(() => row('Bitrate out / in'), { timeout: 5_000 }).toMatch(/^\d+ \/ \d+ kbit\/s$/);
    expect(await row('Sending')).toMatch(/^\d+x\d+ at \d+ fps$/);
    expect(await row('Receiving')).toMatch(/^\d+x\d+ at \d+ fps$/);
    expect(await row('Round trip')).toMatch(/^\d+ ms$/);
    expect(await row('Codec out / in')).toMatch(/^[A-Z0-9]+ \/ [A-Z0-9]+$/);
    await artifact(dublin.page, 'stats-view');
    await dublin.page.keyboard.press('Control+Shift+S');
    await expect.poll(() => stats.isVisible()).toBe(false);
  });
});
