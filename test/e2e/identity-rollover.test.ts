// A pinned partner's yearly renewal in two real Chromium sites against a real `portal serve`, the
// year scaled to seconds by the identity module's test-only hook (`window.__portalIdentityTest`):
// the pinned site makes its next identity, tells the pinning site over a verified call, switches,
// and the pinning site goes live with it, nobody pairing again. And a page whose storage failed
// at its start goes back to its kept identity once the storage answers.

import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { servePortal, type RunningCli } from '../support/built-cli.js';
import { openSite, waitForState, type SiteBrowser } from '../support/chromium.js';

const servers: RunningCli[] = [];
const browsers: SiteBrowser[] = [];

afterEach(async () => {
  await Promise.all(browsers.splice(0).map((site) => site.close().catch(() => undefined)));
  for (const server of servers.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

/**
 * TEST-ONLY timing: a first certificate that lasts 100 s (its next one is then due at once, 30
 * days being more than that), the switch when 80 s are left (20 s after the start), looked at
 * twice a second. The next certificate gets the browser's full year, as in a kiosk.
 */
const SHORT_YEAR = `window.__portalIdentityTest = { firstLifetimeMs: 100000, switchBeforeMs: 80000, checkMs: 500 };`;

/** IndexedDB refuses its first open while sessionStorage says so; the storage is tried each second. */
const STORAGE_FAILS_ONCE = `(() => {
  window.__portalIdentityTest = { retryMs: 1000 };
  if (!sessionStorage.getItem('failStorage')) return;
  const open = IDBFactory.prototype.open;
  let fails = 1;
  IDBFactory.prototype.open = function (...args) {
    if (fails-- > 0) throw new DOMException('storage is off in this test', 'UnknownError');
    return open.apply(this, args);
  };
})()`;

const fingerprintOf = (page: Page) =>
  page.evaluate('document.documentElement.dataset.portalFingerprint') as Promise<string | undefined>;
const linesWith = (site: SiteBrowser, text: string) => site.consoleLines.filter((line) => line.includes(text));
const logged = (site: SiteBrowser, event: string) =>
  linesWith(site, `"event":"${event}"`).map(
    (line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>,
  );

async function site(base: string, name: string, extra = '', scripts: string[] = []): Promise<SiteBrowser> {
  const browser = await openSite(`${base}/?room=lobby&site=${name}&key=e2e-key${extra}`, async (context) => {
    for (const script of scripts) await (context as BrowserContext).addInitScript(script);
  });
  browsers.push(browser);
  return browser;
}

describe("a pinned partner's identity over the year, in Chromium", () => {
  it('goes live with the pinned site after its yearly switch, told of its next identity over an earlier call', async () => {
    const { url } = await servePortal(servers);
    const dublin = await site(url, 'dublin', '', [SHORT_YEAR]);
    await expect.poll(() => logged(dublin, 'identity-next-made').length, { timeout: 10_000 }).toBe(1);
    const made = logged(dublin, 'identity-next-made')[0]!;
    const first = made['fingerprint'] as string;
    const next = made['next'] as string;
    expect(await fingerprintOf(dublin.page)).toBe(first);
    expect(next).not.toBe(first);

    const oslo = await site(url, 'oslo', `&partnerFingerprint=${first}`);
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);
    // Told over the verified call, oslo keeps dublin's next identity as the pin's successor.
    await expect.poll(() => logged(oslo, 'partner-successor-learned').length, { timeout: 10_000 }).toBe(1);
    expect(logged(oslo, 'partner-successor-learned')[0]).toMatchObject({ pin: first, from: first, next });

    // The switch: dublin's identity is the next one, kept across a reload, which opens a new call.
    await expect.poll(() => fingerprintOf(dublin.page), { timeout: 30_000, interval: 250 }).toBe(next);
    expect(logged(dublin, 'identity-switched')[0]).toMatchObject({ from: first, to: next, kept: true });
    await dublin.page.reload();
    await expect.poll(() => fingerprintOf(dublin.page), { timeout: 10_000 }).toBe(next);
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);
    expect(logged(oslo, 'partner-verified').at(-1)).toMatchObject({ fingerprint: next, renewed: true });
    expect(logged(oslo, 'partner-untrusted')).toHaveLength(0);

    // Oslo's overlay says why the partner is accepted.
    await oslo.page.keyboard.press('Control+Shift+A');
    await oslo.page.getByLabel('PIN', { exact: true }).fill('1357');
    await oslo.page.getByLabel('Confirm PIN', { exact: true }).fill('1357');
    await oslo.page.getByRole('button', { name: 'Set PIN' }).click();
    await expect
      .poll(() => oslo.page.locator('#admin-fingerprint-partner-hint').textContent())
      .toMatch(/is the pinned site with its renewed identity/);
    // The pin in the settings is still the first fingerprint: nobody paired again.
    expect(await oslo.page.getByLabel("Partner's fingerprint", { exact: true }).inputValue()).toBe(first);
  });

  it('goes back to its kept identity once the storage that failed at the start answers', async () => {
    const { url } = await servePortal(servers);
    const dublin = await site(url, 'dublin', '', [STORAGE_FAILS_ONCE]);
    await expect.poll(() => fingerprintOf(dublin.page), { timeout: 10_000 }).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    const kept = (await fingerprintOf(dublin.page))!;
    await dublin.page.evaluate("sessionStorage.setItem('failStorage', '1')");
    await dublin.page.reload();
    await expect.poll(() => logged(dublin, 'identity-not-kept').length, { timeout: 10_000 }).toBe(1);
    const forThisLoad = logged(dublin, 'identity-not-kept')[0]!['fingerprint'];
    expect(forThisLoad).not.toBe(kept);
    await expect.poll(() => fingerprintOf(dublin.page), { timeout: 15_000, interval: 250 }).toBe(kept);
    expect(logged(dublin, 'identity-kept-again')[0]).toMatchObject({ from: forThisLoad, fingerprint: kept });
  });
});
