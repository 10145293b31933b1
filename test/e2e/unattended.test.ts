// A portal nobody attends, on the real clock: opening hours (two real Chromium sites through a
// real `portal serve`, one of them with hours that close it at a minute's turn and open it a
// minute later) and sound with a timer. Nobody touches anything until the sound test touches the
// screen; the tests wait for the clock, side by side (they are mostly waiting). The hours test
// sets its pages' clock up to a minute ahead, as a kiosk's clock may be, so that the minute turns
// 40 s after it starts instead of up to 85 s.

import { describe, expect, it } from 'vitest';
import { servePortal, type RunningCli } from '../support/built-cli.js';
import { openSite, waitForState, type SiteBrowser } from '../support/chromium.js';
import { useSceneCamera } from '../support/scene-camera.js';

/** What one test opened, closed when that test ends (the tests run side by side). */
interface Opened {
  readonly servers: RunningCli[];
  readonly browsers: SiteBrowser[];
}

function cleanedUp(onTestFinished: (fn: () => Promise<void>) => void): Opened {
  const mine: Opened = { servers: [], browsers: [] };
  onTestFinished(async () => {
    await Promise.all(mine.browsers.map((site) => site.close().catch(() => undefined)));
    for (const server of mine.servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  });
  return mine;
}

/** Every track getUserMedia handed out, and whether it still runs: window.__captured(). */
const CAPTURE_WATCH = `(() => {
  const tracks = [];
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    tracks.push(...stream.getTracks());
    return stream;
  };
  window.__captured = () => ({ total: tracks.length, live: tracks.filter((t) => t.readyState === 'live').length });
  window.__capturedAudio = () => tracks.filter((t) => t.kind === 'audio');
})();`;

/** The page's clock `aheadMs` ahead of the machine's; it runs at the real rate. */
const clockAhead = (aheadMs: number) => `(() => {
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + ${aheadMs};
})();`;

async function site(
  mine: Opened,
  url: string,
  camera: 'scene' | 'fake device' = 'scene',
  aheadMs = 0,
): Promise<SiteBrowser> {
  const browser = await openSite(url, async (context) => {
    if (camera === 'scene') await useSceneCamera(context, { width: 640, height: 360, fps: 30 });
    await context.addInitScript({ content: CAPTURE_WATCH });
    if (aheadMs !== 0) await context.addInitScript({ content: clockAhead(aheadMs) });
  });
  mine.browsers.push(browser);
  return browser;
}

const captured = (browser: SiteBrowser) =>
  browser.page.evaluate('window.__captured()') as Promise<{ total: number; live: number }>;

/** Open peer connections (not closed) the page holds. */
const openPeerConnections = (browser: SiteBrowser) =>
  browser.page.evaluate(
    '(window.__portalPeerConnections || []).filter((pc) => pc.connectionState !== "closed" && pc.signalingState !== "closed").length',
  ) as Promise<number>;

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const sleepUntil = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now())));

describe.concurrent('a portal nobody attends, on the real clock', () => {
  it('closes both sites at the hour, releasing the camera, and both are live within 10 s of the opening', async ({
    onTestFinished,
  }) => {
    const mine = cleanedUp(onTestFinished);
    // Closed for one minute, 40 s from now (time to go live first) by the pages' clock, which
    // runs `ahead` ms ahead of ours so that this is a minute's turn. The range that runs from the
    // opening past midnight round to the closing is open all the rest of the day. Times below are
    // the pages' except where `ahead` is taken off to sleep until them.
    const start = Date.now() + 40_000;
    const closesAt = Math.ceil(start / 60_000) * 60_000;
    const ahead = closesAt - start;
    const opensAt = closesAt + 60_000;
    const hours = encodeURIComponent(`${hhmm(opensAt)}-${hhmm(closesAt)}`);
    const { url } = await servePortal(mine.servers, 0);
    const base = `${url}/?room=hours&key=e2e-key`;
    const dublin = await site(mine, `${base}&site=dublin&hours=${hours}&timezone=UTC`, 'scene', ahead);
    const oslo = await site(mine, `${base}&site=oslo&timezone=Asia/Tokyo`, 'scene', ahead);
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);
    expect((await captured(dublin)).live).toBeGreaterThan(0);

    await sleepUntil(closesAt - ahead);
    await Promise.all([waitForState(dublin, 'closed', 5_000), waitForState(oslo, 'closed', 5_000)]);
    expect(await dublin.page.textContent('#status-title')).toBe(`Closed · opens at ${hhmm(opensAt)}`);
    const tokyo = new Date(opensAt + 9 * 3_600_000).toISOString().slice(11, 16);
    expect(await oslo.page.textContent('#status-title')).toMatch(
      new RegExp(
        `^Dublin is closed · opens (at|tomorrow at) ${hhmm(opensAt)} Dublin time \\((tomorrow at )?${tokyo} here\\)$`,
      ),
    );
    // The camera's light is off, nothing is sent, and the closed screen shows the time.
    expect((await captured(dublin)).live).toBe(0);
    expect(await openPeerConnections(dublin)).toBe(0);
    expect(await openPeerConnections(oslo)).toBe(0);
    expect(await dublin.page.evaluate("document.querySelector('video#remote').srcObject")).toBeNull();
    expect(await dublin.page.textContent('#clock')).toMatch(/^\d\d:\d\d$/);
    await dublin.page.screenshot({ path: '/tmp/portal-closed.png' }).catch(() => undefined);
    await oslo.page.screenshot({ path: '/tmp/portal-partner-closed.png' }).catch(() => undefined);

    // A closed site that reboots comes back closed, without touching the camera.
    await dublin.page.reload();
    await waitForState(dublin, 'closed', 10_000);
    expect(await captured(dublin)).toEqual({ total: 0, live: 0 });
    await waitForState(oslo, 'closed', 5_000);

    await sleepUntil(opensAt - ahead);
    const opened = Date.now();
    await Promise.all([waitForState(dublin, 'live', 10_000), waitForState(oslo, 'live', 10_000)]);
    const liveAfterMs = Date.now() - opened;
    console.info(`both live ${liveAfterMs} ms after the opening`);
    expect(liveAfterMs).toBeLessThan(10_000);
    expect((await captured(dublin)).live).toBeGreaterThan(0);
  }, 180_000);

  it('shows nothing while closed with closedDisplay=off, and says so when the hours are wrong', async ({
    onTestFinished,
  }) => {
    const mine = cleanedUp(onTestFinished);
    const { url } = await servePortal(mine.servers, 0);
    // Open one minute a week, starting a day from now: closed now.
    const later = Date.now() + 86_400_000;
    const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(later).getUTCDay()];
    const hours = encodeURIComponent(`${day} ${hhmm(later)}-${hhmm(later + 60_000)}`);
    const dark = await site(
      mine,
      `${url}/?room=dark&key=e2e-key&site=dublin&hours=${hours}&timezone=UTC&closedDisplay=off`,
    );
    await waitForState(dark, 'closed');
    expect(await dark.page.isVisible('#status')).toBe(false);
    expect(dark.consoleLines).toContain('info: {"event":"display-power","on":false}');
    expect(await captured(dark)).toEqual({ total: 0, live: 0 });

    const wrong = await site(
      mine,
      `${url}/?room=dark&key=e2e-key&site=oslo&hours=${encodeURIComponent('mon-fri 8-20')}`,
    );
    await waitForState(wrong, 'error');
    expect(await wrong.page.textContent('#status-detail')).toContain(
      "`hours` rule 1 ('mon-fri 8-20'): '8-20' must be a time range such as 08:00-20:00",
    );
  });

  it('mutes both sites after audioMinutes of call, and a touch at either site brings sound back to both', async ({
    onTestFinished,
  }) => {
    const mine = cleanedUp(onTestFinished);
    const { url } = await servePortal(mine.servers, 0);
    const base = `${url}/?room=sound&key=e2e-key&audio=1&width=320&height=240&fps=15`;
    // Only Dublin has a limit: Oslo mutes because Dublin tells it.
    const dublin = await site(mine, `${base}&site=dublin&audioMinutes=1&volume=40`, 'fake device');
    const oslo = await site(mine, `${base}&site=oslo`, 'fake device');
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);
    const live = Date.now();
    const sound = (browser: SiteBrowser) =>
      browser.page.evaluate(`({
        note: document.getElementById('sound-note').hidden ? null : document.getElementById('sound-note').textContent,
        muted: document.querySelector('video#remote').muted,
        volume: document.querySelector('video#remote').volume,
        sending: window.__capturedAudio().filter((t) => t.readyState === 'live').map((t) => t.enabled),
        echoCancellation: window.__capturedAudio()[0]?.getSettings().echoCancellation ?? null,
      })`) as Promise<{
        note: string | null;
        muted: boolean;
        volume: number;
        sending: boolean[];
        echoCancellation: boolean | null;
      }>;
    expect(await sound(dublin)).toEqual({
      note: null,
      muted: false,
      volume: 0.4,
      sending: [true],
      echoCancellation: true,
    });

    await dublin.page.waitForFunction(() => !document.getElementById('sound-note')!.hidden, null, {
      timeout: 90_000,
      polling: 250,
    });
    console.info(`sound off after ${Math.round((Date.now() - live) / 1000)} s of call`);
    expect(Date.now() - live).toBeGreaterThan(55_000);
    await oslo.page.waitForFunction(() => !document.getElementById('sound-note')!.hidden, null, {
      timeout: 5_000,
      polling: 100,
    });
    for (const browser of [dublin, oslo]) {
      const now = await sound(browser);
      expect(now).toMatchObject({
        note: expect.stringMatching(/^Sound is off · touch/),
        muted: true,
        sending: [false],
      });
    }
    await dublin.page.screenshot({ path: '/tmp/portal-sound-off.png' }).catch(() => undefined);

    await oslo.page.mouse.click(200, 200);
    for (const browser of [oslo, dublin])
      await browser.page.waitForFunction(() => document.getElementById('sound-note')!.hidden, null, {
        timeout: 5_000,
        polling: 100,
      });
    for (const browser of [dublin, oslo])
      expect(await sound(browser)).toMatchObject({ note: null, muted: false, sending: [true] });
  }, 180_000);
});
