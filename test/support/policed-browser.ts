// A Chromium for tests of what the page's headers and the host's checks let through: its own
// profile, optionally its own HOME (whose NSS database holds the roots it trusts) and flags, and
// every CSP violation the page sees kept in window.__cspViolations.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, chromiumArgs, trackPeerConnections, type SiteBrowser } from './chromium.js';

export async function policedBrowser(options: { home?: string; args?: readonly string[] } = {}): Promise<SiteBrowser> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'portal-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: [...chromiumArgs({ fakeCamera: true }), ...(options.args ?? [])],
    ...(options.home ? { env: { ...process.env, HOME: options.home } } : {}),
  });
  await trackPeerConnections(context);
  await context.addInitScript(`
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  `);
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
  return { context, page, consoleLines, close: () => context.close() };
}

/** The page's CSP violations so far (a function, not a string: the policy refuses eval). */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}
