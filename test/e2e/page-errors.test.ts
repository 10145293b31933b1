// A page that cannot run as it is says why and what to do, never stays at `starting`, and
// still opens its settings so the kiosk can be fixed where it stands.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { servePortal, type RunningCli } from '../support/built-cli.js';
import { CHROMIUM, chromiumArgs, openSite, waitForState, type SiteBrowser } from '../support/chromium.js';

const servers: RunningCli[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close().catch(() => undefined)));
  for (const server of servers.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

async function serve(): Promise<string> {
  return (await servePortal(servers)).url;
}

async function settingsOpen(site: SiteBrowser): Promise<void> {
  await site.page.keyboard.press('Control+Shift+A');
  await site.page.locator('[data-portal-admin]').waitFor({ state: 'visible' });
  expect(await site.page.getByLabel('Confirm PIN', { exact: true }).isVisible()).toBe(true);
}

describe('a page that cannot run as it is', () => {
  it('names a signaling address the browser cannot open, and opens its settings', async () => {
    const base = await serve();
    const site = await openSite(`${base}/?room=lobby&site=dublin&key=e2e-key&signal=ws://127.0.0.1:99999/signal`);
    closers.push(() => site.close());
    await waitForState(site, 'error');
    expect(await site.page.evaluate(() => document.documentElement.dataset['portalError'])).toBe('config');
    expect(await site.page.textContent('#status')).toMatch(/`signal` must be a ws:\/\/ or wss:\/\/ URL/);
    await settingsOpen(site);
  });

  it('says the camera needs https:// or localhost on a plain http page from another host', async () => {
    // portal.test is this machine under another name: not localhost, so not a secure context;
    // the server is told it is one of its names, as it would be on a network that gives it one.
    const base = (await servePortal(servers, 0, ['--public-name', 'portal.test'])).url;
    const port = new URL(base).port;
    const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'portal-insecure-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: [...chromiumArgs({ fakeCamera: true }), '--host-resolver-rules=MAP portal.test 127.0.0.1'],
    });
    closers.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleLines: string[] = [];
    page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
    await page.goto(`http://portal.test:${port}/?room=lobby&site=dublin&key=e2e-key`);
    const site: SiteBrowser = { context, page, consoleLines, close: () => context.close() };
    await waitForState(site, 'error');
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    expect(await page.evaluate(() => document.documentElement.dataset['portalError'])).toBe('insecure');
    expect(await page.textContent('#status-title')).toBe('The camera needs https:// or localhost');
    expect(await page.textContent('#status-detail')).toContain(`http://localhost:${port}/`);
    expect(consoleLines).toEqual([]);
    await settingsOpen(site);
  });
});
