// The kiosk's page, driven over a DevTools pipe whose other end is a fake browser: with the
// browser-wide commands only, so that the managed policy that refuses the page to DevTools
// (DeveloperToolsAvailability 2, the fake's `devtoolsPolicy`) changes nothing.

import { describe, expect, it } from 'vitest';
import { CdpPipe } from '../../../../main/chromium/cdp-pipe.js';
import { KioskPage } from '../../../../main/chromium/kiosk-page.js';
import { FakeCdpBrowser } from '../../../support/fake-cdp-browser.js';

function setup(devtoolsPolicy = false) {
  const browser = new FakeCdpBrowser();
  browser.devtoolsPolicy = devtoolsPolicy;
  const pipe = new CdpPipe(browser.toBrowser, browser.fromBrowser);
  return { browser, pipe };
}

const URL = 'http://127.0.0.1:8787/#bridge=secret';

describe("the kiosk's page over the DevTools pipe", () => {
  it("waits for the browser to open its first tab (not the address bar's drop-down), without attaching to it", async () => {
    const { browser, pipe } = setup();
    browser.tabAfter = 2;
    const page = await KioskPage.find(pipe, { pollMs: 5 });
    expect(page.targetId).toBe('TAB');
    expect(browser.methods()).toEqual(['Target.getTargets', 'Target.getTargets', 'Target.getTargets']);
    pipe.dispose();
  });

  it('says so when the browser opens no tab in time', async () => {
    const { browser, pipe } = setup();
    browser.tabAfter = Infinity;
    await expect(KioskPage.find(pipe, { timeoutMs: 50, pollMs: 5 })).rejects.toThrow(
      'the browser opened no tab within 0.05 s',
    );
    pipe.dispose();
  });

  for (const devtoolsPolicy of [false, true]) {
    it(`opens the page in a new tab and closes the empty one (${devtoolsPolicy ? 'attaching refused by policy' : 'no policy'})`, async () => {
      const { browser, pipe } = setup(devtoolsPolicy);
      const page = await KioskPage.find(pipe);
      await page.open(URL);
      expect(browser.tabUrls()).toEqual([URL]);
      expect(page.targetId).toBe('T1');
      expect(browser.methods()).toEqual(['Target.getTargets', 'Target.createTarget', 'Target.closeTarget']);
      expect(browser.commands.at(-1)!.params).toEqual({ targetId: 'TAB' });
      pipe.dispose();
    });

    it(`reloads a page by opening it again in a new tab and closing the old one (${devtoolsPolicy ? 'attaching refused by policy' : 'no policy'})`, async () => {
      const { browser, pipe } = setup(devtoolsPolicy);
      const page = await KioskPage.find(pipe);
      await page.open(URL);
      await page.open('http://127.0.0.1:8787/?reload=1#bridge=secret');
      expect(browser.tabUrls()).toEqual(['http://127.0.0.1:8787/?reload=1#bridge=secret']);
      expect(page.targetId).toBe('T2');
      // The window is the new tab's from then on.
      await page.window();
      expect(browser.commands.at(-1)!.params).toEqual({ targetId: 'T2' });
      expect(browser.methods()).not.toContain('Target.attachToTarget');
      pipe.dispose();
    });
  }

  it('rejects when the browser opens no tab for the page, keeping the tab it had', async () => {
    const { browser, pipe } = setup();
    const page = await KioskPage.find(pipe);
    browser.overrides.set('Target.createTarget', () => ({ error: 'Failed to open a new tab' }));
    await expect(page.open(URL)).rejects.toThrow('Target.createTarget: Failed to open a new tab');
    expect(page.targetId).toBe('TAB');
    expect(browser.tabUrls()).toEqual(['about:blank']);
    pipe.dispose();
  });

  it('rejects when the old tab (a hung page) stays open, and takes the new one as the page', async () => {
    const { browser, pipe } = setup();
    const page = await KioskPage.find(pipe);
    browser.overrides.set('Target.closeTarget', () => ({ result: { success: false } }));
    await expect(page.open(URL)).rejects.toThrow('Target.closeTarget: the browser kept the tab shown before');
    expect(page.targetId).toBe('T1');
    pipe.dispose();
  });

  it('takes an old tab that is gone already as closed', async () => {
    const { browser, pipe } = setup();
    const page = await KioskPage.find(pipe);
    browser.tabs.splice(0);
    await page.open(URL);
    expect(browser.tabUrls()).toEqual([URL]);
    pipe.dispose();
  });

  it('makes a window that does not cover the screen cover it, and full screen again', async () => {
    const { browser, pipe } = setup(true);
    const page = await KioskPage.find(pipe);
    const fit = await page.coverScreen();
    expect(fit).toEqual({
      action: 'resized',
      screen: { left: 0, top: 0, width: 1280, height: 720 },
      from: { left: 10, top: 10, width: 1050, height: 700, windowState: 'fullscreen' },
      to: { left: 0, top: 0, width: 1280, height: 721, windowState: 'fullscreen' },
    });
    const bounds = browser.commands.filter((c) => c.method === 'Browser.setWindowBounds').map((c) => c.params);
    expect(bounds).toEqual([
      { windowId: 7, bounds: { windowState: 'normal' } },
      { windowId: 7, bounds: { left: 0, top: 0, width: 1280, height: 721 } },
      { windowId: 7, bounds: { windowState: 'fullscreen' } },
    ]);
    expect(browser.methods()).not.toContain('Target.attachToTarget');
    pipe.dispose();
  });

  it('leaves alone a window that covers the screen already (a window manager made it full screen)', async () => {
    const { browser, pipe } = setup();
    browser.window = { left: 0, top: 0, width: 1280, height: 720, windowState: 'fullscreen' };
    const page = await KioskPage.find(pipe);
    expect(await page.coverScreen()).toMatchObject({ action: 'covered' });
    expect(browser.methods()).not.toContain('Browser.setWindowBounds');
    pipe.dispose();
  });

  it('resizes a normal window without asking for the normal state first', async () => {
    const { browser, pipe } = setup();
    browser.window = { left: 0, top: 0, width: 800, height: 600, windowState: 'normal' };
    const page = await KioskPage.find(pipe);
    await page.coverScreen({ left: 0, top: 0, width: 1920, height: 1080 });
    const bounds = browser.commands
      .filter((c) => c.method === 'Browser.setWindowBounds')
      .map((c) => c.params['bounds']);
    expect(bounds).toEqual([{ left: 0, top: 0, width: 1920, height: 1081 }, { windowState: 'fullscreen' }]);
    pipe.dispose();
  });

  it("reads the screen the window is on from the browser's list of screens, under the policy too", async () => {
    const { browser, pipe } = setup(true);
    const page = await KioskPage.find(pipe);
    const screens = [
      { left: 0, top: 0, width: 1920, height: 1080, isPrimary: true },
      { left: 1920, top: 0, width: 1024, height: 768, isPrimary: false },
    ];
    browser.overrides.set('Emulation.getScreenInfos', () => ({ result: { screenInfos: screens } }));
    browser.window = { left: 2000, top: 10, width: 800, height: 600, windowState: 'normal' };
    expect(await page.screen()).toEqual({ left: 1920, top: 0, width: 1024, height: 768 });
    // A window on no screen goes to the primary one.
    browser.window = { left: 5000, top: 5000, width: 800, height: 600, windowState: 'normal' };
    expect(await page.screen()).toEqual({ left: 0, top: 0, width: 1920, height: 1080 });
    expect(browser.methods()).not.toContain('Target.attachToTarget');
    browser.overrides.set('Emulation.getScreenInfos', () => ({ result: { screenInfos: [] } }));
    await expect(page.screen()).rejects.toThrow('the browser lists no screen ({"screenInfos":[]})');
    pipe.dispose();
  });

  it('asks the page for its screen where the browser has no list of screens, and lets the page go', async () => {
    const { browser, pipe } = setup();
    browser.overrides.set('Emulation.getScreenInfos', () => ({ error: "'Emulation.getScreenInfos' wasn't found" }));
    const page = await KioskPage.find(pipe);
    browser.screen = { left: 0, top: 0, width: 1024, height: 768 };
    expect(await page.screen()).toEqual({ left: 0, top: 0, width: 1024, height: 768 });
    expect(browser.methods().slice(-3)).toEqual([
      'Target.attachToTarget',
      'Runtime.evaluate',
      'Target.detachFromTarget',
    ]);
    expect(browser.commands.at(-1)!.params).toEqual({ sessionId: 'S1' });
    browser.overrides.set('Runtime.evaluate', () => ({ result: { result: { type: 'string', value: '{}' } } }));
    await expect(page.screen()).rejects.toThrow('the page gave no screen size');
    pipe.dispose();
  });

  it('says why there is no screen size where the browser has no list and the policy refuses the page', async () => {
    const { browser, pipe } = setup(true);
    browser.overrides.set('Emulation.getScreenInfos', () => ({ error: "'Emulation.getScreenInfos' wasn't found" }));
    const page = await KioskPage.find(pipe);
    await expect(page.coverScreen()).rejects.toThrow(
      "the browser gives no screen size (Emulation.getScreenInfos: 'Emulation.getScreenInfos' wasn't found; Target.attachToTarget: Not allowed)",
    );
    expect(browser.methods()).not.toContain('Browser.setWindowBounds');
    pipe.dispose();
  });
});
