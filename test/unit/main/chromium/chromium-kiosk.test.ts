// The supervised Chromium with fake browsers on fake DevTools pipes: what goes on its command
// line (never the bridge secret, never a DevTools port unless asked), what goes over the pipe
// (the portal page, the window's bounds, the watchdog's reload), what a pipe that closes does, and
// that the browser's refusing its pages to DevTools (the kiosk's managed policy) changes none of it.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogFields, Logger } from '../../../../app/log/logger.js';
import { ChromiumKiosk, type ChromiumKioskOptions } from '../../../../main/chromium/chromium-kiosk.js';
import { DisplayWatchdog } from '../../../../main/watchdog/display-watchdog.js';
import { FakeCdpBrowser } from '../../../support/fake-cdp-browser.js';
import { FakeChild } from '../../../support/fake-child.js';

const URL = 'http://127.0.0.1:8787/#bridge=s3cr3t-s3cr3t';

beforeEach(
  () => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }),
);
afterEach(() => void vi.useRealTimers());

/** A logger that keeps its lines. */
function recordingLogger() {
  const lines: Array<{ level: string; event: string; fields: LogFields }> = [];
  const logger: Logger = {
    debug: (event, fields = {}) => lines.push({ level: 'debug', event, fields }),
    info: (event, fields = {}) => lines.push({ level: 'info', event, fields }),
    warn: (event, fields = {}) => lines.push({ level: 'warn', event, fields }),
    error: (event, fields = {}) => lines.push({ level: 'error', event, fields }),
    child: () => logger,
  };
  return { logger, lines, events: () => lines.map((line) => line.event) };
}

function setup(options: Partial<ChromiumKioskOptions> = {}, heartbeatTimeoutMs = 60_000, devtoolsPolicy = false) {
  const children: FakeChild[] = [];
  const browsers: FakeCdpBrowser[] = [];
  const log = recordingLogger();
  const watchdog = new DisplayWatchdog(() => Date.now(), {
    heartbeatTimeoutMs,
    maxRestarts: 5,
    windowMs: 60_000,
    coolDownMs: 10_000,
  });
  const kiosk = new ChromiumKiosk({
    browser: '/usr/bin/chromium',
    url: URL,
    profileDir: mkdtempSync(join(tmpdir(), 'portal-kiosk-test-')),
    extraFlags: [],
    logger: log.logger,
    watchdog,
    runningAsRoot: false,
    spawn: (_command, args) => {
      const child = new FakeChild(args);
      children.push(child);
      const browser = FakeCdpBrowser.on(child);
      browser.devtoolsPolicy = devtoolsPolicy;
      browsers.push(browser);
      queueMicrotask(() => child.run());
      return child.asChild();
    },
    ...options,
  });
  return { kiosk, children, browsers, watchdog, log };
}

/** Lets the kiosk's pipe traffic (streams, microtasks) settle while the fake clock moves. */
async function settle(ms = 50): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await vi.advanceTimersByTimeAsync(ms / 10);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the supervised Chromium over its DevTools pipe', () => {
  it('starts the browser on an empty tab with the pipe and no port: the secret is on no command line', async () => {
    const { kiosk, children } = setup();
    kiosk.start();
    await settle();
    const args = children[0]!.args;
    expect(args).toContain('--remote-debugging-pipe');
    expect(args).toContain('--kiosk');
    expect(args.at(-1)).toBe('about:blank');
    expect(args.filter((arg) => arg.startsWith('--remote-debugging-'))).toEqual(['--remote-debugging-pipe']);
    expect(args.join(' ')).not.toMatch(/s3cr3t|bridge=|127\.0\.0\.1:8787/);
    await kiosk.stop();
  });

  it('opens the portal page over the pipe in place of the empty tab, once its window covers the screen', async () => {
    const { kiosk, browsers, log } = setup();
    kiosk.start();
    await settle();
    const browser = browsers[0]!;
    expect(browser.opened()).toEqual([URL]);
    expect(browser.tabUrls()).toEqual([URL]);
    const setBounds = browser.methods().indexOf('Browser.setWindowBounds');
    expect(setBounds).toBeGreaterThan(-1);
    expect(setBounds).toBeLessThan(browser.methods().indexOf('Target.createTarget'));
    expect(log.events()).toContain('chromium-page-opened');
    expect(browser.window).toEqual({ left: 0, top: 0, width: 1280, height: 721, windowState: 'fullscreen' });
    expect(log.lines.find((line) => line.event === 'chromium-window-placed')?.fields).toEqual({
      screen: '1280x720+0+0',
      from: '1050x700+10+10',
      to: '1280x721+0+0',
    });
    // The URL, and so the secret, is never logged.
    expect(JSON.stringify(log.lines)).not.toContain('s3cr3t');
    await kiosk.stop();
  });

  it('places a window of its own (the demo) by its flags, and leaves its bounds alone', async () => {
    const { kiosk, children, browsers } = setup({ window: { x: 960, y: 0, width: 960, height: 600 } });
    kiosk.start();
    await settle();
    expect(children[0]!.args).toEqual(
      expect.arrayContaining(['--window-position=960,0', '--window-size=960,600', '--app=about:blank']),
    );
    expect(children[0]!.args).not.toContain('--kiosk');
    expect(browsers[0]!.methods()).not.toContain('Browser.setWindowBounds');
    expect(browsers[0]!.tabUrls()).toEqual([URL]);
    await kiosk.stop();
  });

  it('opens a DevTools port on loopback only when asked (PORTAL_DEVTOOLS_PORT), and warns that it is open', async () => {
    const { kiosk, children, log } = setup({ devtoolsPort: 0 });
    kiosk.start();
    await settle();
    expect(children[0]!.args).toEqual(
      expect.arrayContaining([
        '--remote-debugging-pipe',
        '--remote-debugging-address=127.0.0.1',
        '--remote-debugging-port=0',
      ]),
    );
    expect(log.lines.find((line) => line.event === 'chromium-devtools-port-open')).toMatchObject({
      level: 'warn',
      fields: { port: 0 },
    });
    await kiosk.stop();
  });

  for (const devtoolsPolicy of [false, true]) {
    const under = devtoolsPolicy ? 'with DevTools refused on the page by policy' : 'without a policy';
    it(`reloads a page that stopped its heartbeat as a new tab with a fresh query, closing the hung one (${under})`, async () => {
      const { kiosk, browsers, watchdog, log } = setup({}, 2_000, devtoolsPolicy);
      kiosk.start();
      await settle();
      await settle(3_000);
      const browser = browsers[0]!;
      const [, reloaded] = browser.opened();
      expect(reloaded).toMatch(/^http:\/\/127\.0\.0\.1:8787\/\?reload=\d+#bridge=s3cr3t-s3cr3t$/);
      expect(browser.tabUrls()).toEqual([reloaded]);
      expect(watchdog.status.reloads).toBe(1);
      expect(watchdog.status.restarts).toBe(0);
      expect(browser.methods()).not.toContain('Target.attachToTarget');
      expect(log.events()).not.toContain('renderer-reload-error');
      await kiosk.stop();
    });
  }

  it('runs under the policy exactly as without it: page, window and screen checks never attach to the page', async () => {
    const { kiosk, browsers, log } = setup({}, 60_000, true);
    kiosk.start();
    await settle();
    browsers[0]!.screen = { left: 0, top: 0, width: 1920, height: 1080 };
    await settle(10_000);
    const browser = browsers[0]!;
    expect(browser.tabUrls()).toEqual([URL]);
    expect(browser.window).toEqual({ left: 0, top: 0, width: 1920, height: 1081, windowState: 'fullscreen' });
    expect(browser.methods()).not.toContain('Target.attachToTarget');
    expect(log.lines.filter((line) => line.level === 'warn' || line.level === 'error')).toEqual([]);
    await kiosk.stop();
  });

  it('restarts the browser at once, saying so once, when a hung page cannot be replaced by a new tab', async () => {
    const { kiosk, children, watchdog, browsers, log } = setup({}, 2_000, true);
    kiosk.start();
    await settle();
    browsers[0]!.overrides.set('Target.closeTarget', () => ({ error: 'Target closing failed' }));
    await settle(3_000);
    expect(log.lines.filter((line) => line.event.startsWith('renderer-reload-'))).toEqual([
      {
        level: 'warn',
        event: 'renderer-reload-error',
        fields: { message: 'Target.closeTarget: Target closing failed' },
      },
      { level: 'warn', event: 'renderer-reload-failed', fields: { next: 'restart the browser' } },
    ]);
    expect(children[0]!.signals).toEqual(['SIGKILL']);
    await settle(1_000);
    expect(children).toHaveLength(2);
    expect(watchdog.status.restarts).toBe(1);
    expect(browsers[1]!.opened()[0]).toBe(URL);
    await kiosk.stop();
  });

  it('makes the window a reload opened its page in cover the screen (another one, opened with Ctrl+N)', async () => {
    const { kiosk, browsers } = setup({}, 2_000, true);
    kiosk.start();
    await settle();
    const browser = browsers[0]!;
    browser.window = { left: 20, top: 20, width: 1050, height: 700, windowState: 'normal' };
    await settle(3_000);
    expect(browser.opened()).toHaveLength(2);
    expect(browser.window).toEqual({ left: 0, top: 0, width: 1280, height: 721, windowState: 'fullscreen' });
    await kiosk.stop();
  });

  it('kills a browser that closed its pipe but lives on, and the watchdog brings a new one with a new pipe', async () => {
    const { kiosk, children, browsers, watchdog, log } = setup();
    kiosk.start();
    await settle();
    browsers[0]!.closePipe();
    await settle(1_000);
    // A moment's grace: a browser that exits closes its pipe first.
    expect(children[0]!.signals).toEqual([]);
    await settle(1_500);
    expect(children[0]!.signals).toEqual(['SIGKILL']);
    expect(log.events()).toContain('chromium-pipe-closed');
    await settle(1_000);
    expect(children).toHaveLength(2);
    expect(watchdog.status.restarts).toBe(1);
    expect(browsers[1]!.tabUrls()).toEqual([URL]);
    await kiosk.stop();
  });

  it('takes a browser that exits (its pipe closing with it) as one exit, killing nothing', async () => {
    const { kiosk, children, browsers, watchdog, log } = setup();
    kiosk.start();
    await settle();
    children[0]!.exit(null, 'SIGSEGV');
    await settle(3_000);
    expect(children[0]!.signals).toEqual([]);
    expect(log.events()).not.toContain('chromium-pipe-closed');
    expect(children).toHaveLength(2);
    expect(watchdog.status.restarts).toBe(1);
    expect(browsers[1]!.tabUrls()).toEqual([URL]);
    await kiosk.stop();
  });

  it('restarts the browser when a reload cannot go through (no new tab)', async () => {
    const { kiosk, children, browsers, watchdog } = setup({}, 2_000);
    kiosk.start();
    await settle();
    browsers[0]!.overrides.set('Target.createTarget', () => ({ error: 'Failed to open a new tab' }));
    await settle(3_000);
    expect(children[0]!.signals).toEqual(['SIGKILL']);
    await settle(1_000);
    expect(children).toHaveLength(2);
    expect(watchdog.status.restarts).toBe(1);
    await kiosk.stop();
  });

  it('covers the screen again when its size changes, and only then', async () => {
    const { kiosk, browsers } = setup();
    kiosk.start();
    await settle();
    const browser = browsers[0]!;
    const resizes = () => browser.commands.filter((c) => c.method === 'Browser.setWindowBounds').length;
    expect(resizes()).toBe(3);
    // A window manager (or a person) that moves the window is not fought.
    browser.window = { left: 0, top: 0, width: 800, height: 600, windowState: 'normal' };
    await settle(10_000);
    expect(resizes()).toBe(3);
    // Another monitor.
    browser.screen = { left: 0, top: 0, width: 1920, height: 1080 };
    await settle(10_000);
    expect(resizes()).toBe(5);
    expect(browser.window).toEqual({ left: 0, top: 0, width: 1920, height: 1081, windowState: 'fullscreen' });
    await kiosk.stop();
  });

  it('still shows the page when its window could not be placed, and places it at the next look', async () => {
    const { kiosk, browsers, log } = setup();
    kiosk.start();
    // Spawned at once; it runs (and is driven) a moment later.
    browsers[0]!.overrides.set('Browser.getWindowForTarget', () => ({ error: 'Browser window not found' }));
    await settle();
    expect(browsers[0]!.tabUrls()).toEqual([URL]);
    expect(log.lines.find((line) => line.event === 'chromium-window-place-failed')).toMatchObject({
      level: 'warn',
      fields: { message: 'Browser.getWindowForTarget: Browser window not found' },
    });
    await settle(10_000);
    // Said once a browser: the next looks fail as quietly.
    expect(log.lines.filter((line) => line.event === 'chromium-window-place-failed').map((l) => l.level)).toEqual([
      'warn',
    ]);
    expect(log.lines.find((line) => line.event === 'chromium-screen-check-failed')).toMatchObject({ level: 'debug' });
    browsers[0]!.overrides.delete('Browser.getWindowForTarget');
    await settle(10_000);
    expect(browsers[0]!.window).toEqual({ left: 0, top: 0, width: 1280, height: 721, windowState: 'fullscreen' });
    await kiosk.stop();
  });

  it('closes its end of the pipe when stopped', async () => {
    const { kiosk, browsers, children } = setup();
    kiosk.start();
    await settle();
    await kiosk.stop();
    expect(children[0]!.signals).toEqual(['SIGTERM']);
    expect(browsers[0]!.toBrowser.destroyed).toBe(true);
  });
});
