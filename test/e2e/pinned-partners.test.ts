// Pinned partners in two real Chromium sites against a real `portal serve`: each site's
// certificate is its identity, kept across reloads; a site that pins its partner's fingerprint
// goes live with that partner, and never shows a frame of any other, while it quietly tries again
// until the pin is put right.

import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { servePortal, type RunningCli } from '../support/built-cli.js';
import { openSite, portalState, waitForState, type SiteBrowser } from '../support/chromium.js';

const FINGERPRINT = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;
const servers: RunningCli[] = [];
const browsers: SiteBrowser[] = [];

afterEach(async () => {
  await Promise.all(browsers.splice(0).map((site) => site.close().catch(() => undefined)));
  for (const server of servers.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

/**
 * Test-only watch on the page, from before it loads: every page state it showed, and what
 * video#remote ever got: a source, frames presented (requestVideoFrameCallback), frames decoded,
 * a width.
 */
const WATCH = `(() => {
  const seen = { states: [], attached: false, presented: 0, decoded: 0, width: 0 };
  window.__seen = seen;
  new MutationObserver(() => {
    const state = document.documentElement.dataset.portalState || '';
    if (seen.states[seen.states.length - 1] !== state) seen.states.push(state);
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-portal-state'] });
  const find = setInterval(() => {
    const video = document.getElementById('remote');
    if (!video) return;
    clearInterval(find);
    const presented = () => { seen.presented++; video.requestVideoFrameCallback(presented); };
    video.requestVideoFrameCallback(presented);
    setInterval(() => {
      if (video.srcObject) seen.attached = true;
      seen.width = Math.max(seen.width, video.videoWidth);
      seen.decoded = Math.max(seen.decoded, video.getVideoPlaybackQuality().totalVideoFrames);
    }, 20);
  }, 5);
})();`;

/** A browser whose IndexedDB refuses to open, as a profile whose storage is broken. */
const NO_STORAGE = `IDBFactory.prototype.open = function () { throw new DOMException('storage is off in this test', 'UnknownError'); };`;

/**
 * getStats answering 1.5 s late while window.__slowStats holds, as on a busy machine: the pin's
 * check then takes that long after DTLS is up, while the media could already flow.
 */
const SLOW_STATS = `(() => {
  window.__slowStats = true;
  const getStats = RTCPeerConnection.prototype.getStats;
  RTCPeerConnection.prototype.getStats = function (...args) {
    const late = window.__slowStats ? new Promise((resolve) => setTimeout(resolve, 1500)) : Promise.resolve();
    return late.then(() => getStats.apply(this, args));
  };
})()`;

/**
 * The first peer connection's stats show no partner certificate for 4 s after it is connected (a
 * DTLS handshake whose stats come late): the pin's check waits that long, while simple-peer's own
 * stats (the candidate pair) let its data channel open, so our side could send meanwhile.
 */
const LATE_CERTIFICATE = `(() => {
  const getStats = RTCPeerConnection.prototype.getStats;
  let first = null;
  let connectedAt = 0;
  RTCPeerConnection.prototype.getStats = function (...args) {
    first = first || this;
    if (this === first && this.connectionState === 'connected' && connectedAt === 0) connectedAt = Date.now();
    const hide = this === first && (connectedAt === 0 || Date.now() - connectedAt < 4000);
    return getStats.apply(this, args).then((report) => {
      if (!hide) return report;
      const copy = new Map();
      report.forEach((r, id) => {
        if (r.type !== 'transport') return copy.set(id, r);
        const { remoteCertificateId, ...rest } = r;
        copy.set(id, rest);
      });
      return copy;
    });
  };
})()`;

/**
 * The RTP packets and data-channel messages that came in on every peer connection of the page,
 * polled while each is open.
 */
const RTP_WATCH = `(() => {
  window.__rtpIn = 0;
  window.__messagesIn = 0;
  const counted = new Map();
  const messages = new Map();
  setInterval(async () => {
    for (const pc of window.__portalPeerConnections) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats().catch(() => null);
      if (!stats) continue;
      let packets = 0;
      let received = 0;
      stats.forEach((r) => {
        if (r.type === 'inbound-rtp') packets += r.packetsReceived || 0;
        if (r.type === 'data-channel') received += r.messagesReceived || 0;
      });
      counted.set(pc, Math.max(counted.get(pc) || 0, packets));
      messages.set(pc, Math.max(messages.get(pc) || 0, received));
    }
    window.__rtpIn = [...counted.values()].reduce((a, b) => a + b, 0);
    window.__messagesIn = [...messages.values()].reduce((a, b) => a + b, 0);
  }, 10);
})()`;

interface Seen {
  readonly states: string[];
  readonly attached: boolean;
  readonly presented: number;
  readonly decoded: number;
  readonly width: number;
}

const seen = (page: Page) => page.evaluate('window.__seen') as Promise<Seen>;
const fingerprintOf = async (site: SiteBrowser): Promise<string> => {
  await site.page.waitForFunction(() => document.documentElement.dataset['portalFingerprint'], null, {
    timeout: 10_000,
  });
  return (await site.page.evaluate('document.documentElement.dataset.portalFingerprint')) as string;
};
const pageError = (page: Page) => page.evaluate('document.documentElement.dataset.portalError');
const linesWith = (site: SiteBrowser, text: string) => site.consoleLines.filter((line) => line.includes(text)).length;

async function site(base: string, name: string, extra = '', scripts: string[] = []): Promise<SiteBrowser> {
  const browser = await openSite(`${base}/?room=lobby&site=${name}&key=e2e-key${extra}`, async (context) => {
    for (const script of [WATCH, ...scripts]) await (context as BrowserContext).addInitScript(script);
  });
  browsers.push(browser);
  return browser;
}

async function openSettings(page: Page, pin: string): Promise<void> {
  await page.keyboard.press('Control+Shift+A');
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByLabel('Confirm PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Set PIN' }).click();
  await page.getByLabel('Resolution').waitFor({ state: 'visible' });
}

const partnerSeen = (page: Page) => page.getByLabel("Partner's fingerprint, as its last call showed it");

describe('pinned partners in Chromium', () => {
  it('goes live with the pinned partner, which learns this site, and keeps its fingerprint across a reload', async () => {
    const { url } = await servePortal(servers);
    const dublin = await site(url, 'dublin');
    const dublinPrint = await fingerprintOf(dublin);
    expect(dublinPrint).toMatch(FINGERPRINT);
    // Pinned as a person may type it: lower case, no colons.
    const oslo = await site(url, 'oslo', `&partnerFingerprint=${dublinPrint.replace(/:/g, '').toLowerCase()}`);
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);
    expect(linesWith(oslo, '"event":"partner-verified"')).toBeGreaterThanOrEqual(1);
    const osloPrint = await fingerprintOf(oslo);
    expect(osloPrint).not.toBe(dublinPrint);

    // Dublin learned oslo's identity from the call, to pin it; its pairing code carries its own.
    await openSettings(dublin.page, '2468');
    await expect.poll(() => partnerSeen(dublin.page).inputValue()).toBe(osloPrint);
    expect(await dublin.page.getByLabel("This portal's fingerprint").inputValue()).toBe(dublinPrint);
    expect(await dublin.page.getByLabel('Pairing code for the partner').inputValue()).toMatch(
      new RegExp(`^portal-pair:v2;room=lobby;key=e2e-key;signal=.*;fingerprint=${dublinPrint.replace(/:/g, '')}$`),
    );
    await dublin.page.getByRole('button', { name: 'Pin this partner' }).click();
    expect(await dublin.page.getByLabel("Partner's fingerprint", { exact: true }).inputValue()).toBe(osloPrint);
    await dublin.page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => dublin.page.locator('.admin-message').textContent()).toMatch(/Saved\. A new call/);
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);

    // The same identity after a reload: oslo's pin still holds, and so does dublin's own.
    await dublin.page.reload();
    expect(await fingerprintOf(dublin)).toBe(dublinPrint);
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);
    expect(linesWith(dublin, '"event":"partner-verified"')).toBeGreaterThanOrEqual(1);

    // A new identity only when an admin asks, twice: oslo's pin no longer holds.
    await dublin.page.keyboard.press('Control+Shift+A');
    await dublin.page.getByLabel('PIN', { exact: true }).fill('2468');
    await dublin.page.getByRole('button', { name: 'Unlock' }).click();
    await dublin.page.getByRole('button', { name: 'New identity' }).click();
    expect(await dublin.page.locator('.admin-message').textContent()).toMatch(/Press New identity again/);
    expect(await fingerprintOf(dublin)).toBe(dublinPrint);
    await dublin.page.getByRole('button', { name: 'New identity' }).click();
    await expect.poll(() => fingerprintOf(dublin)).not.toBe(dublinPrint);
    expect(await dublin.page.getByLabel('Pairing code for the partner').inputValue()).toContain(
      `fingerprint=${(await fingerprintOf(dublin)).replace(/:/g, '')}`,
    );
    await waitForState(oslo, 'error');
    expect(await pageError(oslo.page)).toBe('fingerprint');
  });

  it('never shows a frame of a partner that is not the pinned one, and goes live once the pin is put right', async () => {
    const { url } = await servePortal(servers);
    // Dublin's storage is broken: it runs anyway, with an identity for this load, and says so.
    const dublin = await site(url, 'dublin', '', [NO_STORAGE]);
    const dublinPrint = await fingerprintOf(dublin);
    expect(dublinPrint).toMatch(FINGERPRINT);
    expect(linesWith(dublin, '"event":"identity-not-kept"')).toBe(1);
    const wrong = dublinPrint.startsWith('00') ? dublinPrint.replace(/^00/, '11') : dublinPrint.replace(/^../, '00');
    await dublin.page.evaluate(RTP_WATCH);
    const oslo = await site(url, 'oslo', `&partnerFingerprint=${wrong}`, [SLOW_STATS, LATE_CERTIFICATE]);

    await waitForState(oslo, 'error');
    expect(await pageError(oslo.page)).toBe('fingerprint');
    expect(await oslo.page.textContent('#status-title')).toBe(
      'The partner site is not the one this portal was paired with.',
    );
    expect(await oslo.page.textContent('#status-detail')).toBe('Pair again from the settings.');
    // It keeps trying, quietly: new calls, each refused, the page in error all along.
    await expect
      .poll(() => linesWith(oslo, '"event":"partner-untrusted"'), { timeout: 30_000, interval: 250 })
      .toBeGreaterThanOrEqual(3);
    const refused = await seen(oslo.page);
    expect(refused).toMatchObject({ attached: false, presented: 0, decoded: 0, width: 0 });
    expect(refused.states).not.toContain('live');
    expect(refused.states.slice(refused.states.indexOf('error'))).toEqual(['error']);
    // Nor did dublin get anything of oslo's camera, nor a data-channel message, while oslo checked.
    expect((await seen(dublin.page)).states).not.toContain('live');
    expect(await dublin.page.evaluate('window.__rtpIn')).toBe(0);
    expect(await dublin.page.evaluate('window.__messagesIn')).toBe(0);
    expect(await portalState(oslo.page)).toBe('error');

    // The pin put right in oslo's settings, in place: live, with no reload.
    await oslo.page.evaluate('window.__sameLoad = true; window.__slowStats = false');
    await openSettings(oslo.page, '1357');
    await expect.poll(() => partnerSeen(oslo.page).inputValue()).toBe(dublinPrint);
    await oslo.page.getByRole('button', { name: 'Pin this partner' }).click();
    await oslo.page.getByRole('button', { name: 'Apply' }).click();
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);
    expect(await oslo.page.evaluate('window.__sameLoad')).toBe(true);
    // The watch above sees frames when there are some.
    await expect.poll(async () => (await seen(oslo.page)).presented, { timeout: 5_000 }).toBeGreaterThan(0);
    // The watch above counts messages when there are some (oslo's heartbeats, once verified).
    await expect.poll(() => dublin.page.evaluate('window.__messagesIn'), { timeout: 5_000 }).toBeGreaterThan(0);
    expect(await seen(oslo.page)).toMatchObject({ attached: true });
  });
});
