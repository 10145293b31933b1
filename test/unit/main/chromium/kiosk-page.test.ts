// The kiosk's tab, driven over a DevTools pipe whose other end is a fake browser.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { CdpPipe } from '../../../../main/chromium/cdp-pipe.js';
import { KioskPage } from '../../../../main/chromium/kiosk-page.js';
import { FakeCdpBrowser } from '../../../support/fake-cdp-browser.js';

function setup() {
  const browser = new FakeCdpBrowser();
  const pipe = new CdpPipe(browser.toBrowser, browser.fromBrowser);
  return { browser, pipe };
}

afterEach(() => void vi.useRealTimers());

describe("the kiosk's tab over the DevTools pipe", () => {
  it('waits for the browser to open its tab, and attaches to it in a flat session', async () => {
    const { browser, pipe } = setup();
    browser.tabAfter = 2;
    const page = await KioskPage.find(pipe, { pollMs: 5 });
    expect(page.targetId).toBe('TAB');
    expect(browser.methods()).toEqual([
      'Target.getTargets',
      'Target.getTargets',
      'Target.getTargets',
      'Target.attachToTarget',
    ]);
    expect(browser.commands.at(-1)!.params).toEqual({ targetId: 'TAB', flatten: true });
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

  it('sends the tab to a URL in its session, and says when the browser could not load it', async () => {
    const { browser, pipe } = setup();
    const page = await KioskPage.find(pipe);
    await page.navigate('http://127.0.0.1:8787/#bridge=secret');
    expect(browser.commands.at(-1)).toEqual({
      method: 'Page.navigate',
      params: { url: 'http://127.0.0.1:8787/#bridge=secret' },
      sessionId: 'S1',
    });
    browser.overrides.set('Page.navigate', () => ({
      result: { frameId: 'F', errorText: 'net::ERR_CONNECTION_REFUSED' },
    }));
    await expect(page.navigate('http://127.0.0.1:1/')).rejects.toThrow(
      'the page did not load: net::ERR_CONNECTION_REFUSED',
    );
    pipe.dispose();
  });

  it('reloads a hung page into a fresh renderer: crashes it, then loads the URL', async () => {
    const { browser, pipe } = setup();
    const page = await KioskPage.find(pipe);
    vi.useFakeTimers();
    const reload = page.reload('http://127.0.0.1:8787/?reload=1#bridge=secret');
    await vi.advanceTimersByTimeAsync(0);
    expect(browser.methods().slice(-1)).toEqual(['Page.crash']);
    await vi.advanceTimersByTimeAsync(500);
    await reload;
    expect(browser.methods().slice(-2)).toEqual(['Page.crash', 'Page.navigate']);
    expect(browser.navigations()).toEqual(['http://127.0.0.1:8787/?reload=1#bridge=secret']);
    pipe.dispose();
  });

  it('attaches to its tab again when the browser has let its session go', async () => {
    const { browser, pipe } = setup();
    const page = await KioskPage.find(pipe);
    let refused = false;
    browser.overrides.set('Page.navigate', (command) => {
      if (command.sessionId !== 'S1') return { result: {} };
      refused = true;
      return { error: 'Session with given id not found.' };
    });
    await page.navigate('http://127.0.0.1:8787/');
    expect(refused).toBe(true);
    expect(browser.commands.filter((c) => c.method === 'Page.navigate').map((c) => c.sessionId)).toEqual(['S1', 'S2']);
    pipe.dispose();
  });

  it('makes a window that does not cover the screen cover it, and full screen again', async () => {
    const { browser, pipe } = setup();
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

  it('reads the screen from the page, and refuses an answer that is not one', async () => {
    const { browser, pipe } = setup();
    const page = await KioskPage.find(pipe);
    browser.screen = { left: 1920, top: 0, width: 1024, height: 768 };
    expect(await page.screen()).toEqual({ left: 1920, top: 0, width: 1024, height: 768 });
    browser.overrides.set('Runtime.evaluate', () => ({ result: { result: { type: 'string', value: '{}' } } }));
    await expect(page.screen()).rejects.toThrow('the page gave no screen size');
    pipe.dispose();
  });
});
