// Debian's Chromium, driven by playwright-core: one browser process per site, a fake camera,
// the flags this machine needs as root, and a fresh profile each time.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['PORTAL_CHROMIUM'] ?? '/usr/bin/chromium';

export interface SiteBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly consoleLines: string[];
  close(): Promise<void>;
}

export async function openSite(url: string): Promise<SiteBrowser> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'portal-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
  await page.goto(url);
  return { context, page, consoleLines, close: () => context.close() };
}

export function portalState(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.documentElement.dataset['portalState']);
}

export async function waitForState(site: SiteBrowser, state: string, timeoutMs = 30_000): Promise<void> {
  try {
    await site.page.waitForFunction((wanted) => document.documentElement.dataset['portalState'] === wanted, state, {
      timeout: timeoutMs,
      polling: 100,
    });
  } catch (error) {
    const now = await portalState(site.page).catch(() => 'unknown');
    throw new Error(
      `state ${now}, not ${state}, after ${timeoutMs} ms; console:\n${site.consoleLines.slice(-20).join('\n')}`,
      { cause: error },
    );
  }
}

/** Frames decoded so far on video#remote, from the element itself. */
export function remoteFramesShown(page: Page): Promise<number> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('video#remote');
    return video?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
  });
}
