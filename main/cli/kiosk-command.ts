// `portal kiosk [--config FILE] [--browser PATH]`: this site's kiosk in a supervised system
// Chromium, from its config file (defaults written on a first start).

import type { Logger } from '../../app/log/logger.js';
import { chromiumShell } from '../chromium/chromium-shell.js';
import { findBrowser } from '../chromium/find-browser.js';
import { defaultConfigPath } from '../config/config-store.js';
import { hostEnvironment } from '../site/host-environment.js';
import type { KioskHost } from '../site/kiosk-host.js';
import { startSite } from '../site/site-host.js';
import { UsageError } from '../util/usage-error.js';
import { parseFlags } from './command-args.js';

export const KIOSK_USAGE = `Usage: portal kiosk [--config FILE] [--browser PATH]

  --config FILE   the config file (default: portal/config.json in $XDG_CONFIG_HOME or ~/.config)
  --browser PATH  the Chromium to run (default: chromium, chromium-browser or google-chrome on PATH)

PORTAL_CHROMIUM_FLAGS adds flags to the browser's command line (space separated).
PORTAL_HEARTBEAT_TIMEOUT_MS: how long without a heartbeat before the page is reloaded (15000).
PORTAL_DEVTOOLS_PORT (development and benchmarks only) opens the browser's DevTools on that
port of 127.0.0.1 (0: any free one, in the profile's DevToolsActivePort); off by default.`;

/**
 * `attachLogFile` is called with the config directory as soon as it is known, so the log file
 * sits beside the config and holds everything from the config load on.
 */
export async function runKiosk(
  args: readonly string[],
  logger: Logger,
  attachLogFile: (directory: string) => void = () => {},
  recentLogs: () => readonly string[] = () => [],
): Promise<KioskHost> {
  const values = parseFlags(args, { config: { type: 'string' }, browser: { type: 'string' } }, KIOSK_USAGE);
  const browser = browserFor(values.browser, logger);
  const { host, config } = await startSite({
    configPath: values.config ?? defaultConfigPath(),
    shell: chromiumShell({ browser, extraFlags: chromiumFlags(), logger, ...devtoolsPort() }),
    attachLogFile,
    recentLogs,
    ...hostEnvironment(logger),
  });
  process.stdout.write(`kiosk ${config.site} in room ${config.room}: chromium (${browser}), local port ${host.port}\n`);
  return host;
}

/** The browser to run, with a word when there is no display to show it on. */
export function browserFor(explicit: string | undefined, logger: Logger): string {
  const browser = findBrowser(explicit);
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    process.stdout.write(
      'portal: no display (DISPLAY and WAYLAND_DISPLAY are unset); Chromium cannot show the kiosk until one is there. Start Portal from the desktop session, or use its autostart.\n',
    );
    logger.warn('no-display', {});
  }
  return browser;
}

/**
 * PORTAL_CHROMIUM_FLAGS: extra flags for the system Chromium, space separated. The kiosk's
 * DevTools are its own (the pipe; PORTAL_DEVTOOLS_PORT for a port), so flags that would open
 * them are refused.
 */
export function chromiumFlags(): string[] {
  const flags = (process.env['PORTAL_CHROMIUM_FLAGS'] ?? '').split(' ').filter(Boolean);
  const devtools = flags.find((flag) => /^--remote-debugging-/.test(flag));
  if (devtools !== undefined) {
    throw new UsageError(
      `PORTAL_CHROMIUM_FLAGS may not hold ${devtools.split('=')[0]}: the kiosk keeps its browser's DevTools off every port. For development, PORTAL_DEVTOOLS_PORT=0 opens one on 127.0.0.1.`,
    );
  }
  return flags;
}

/**
 * PORTAL_DEVTOOLS_PORT: a DevTools port on 127.0.0.1 for the kiosk's browser (0: any free one),
 * for development and benchmarks only; unset or empty, none (the kiosk's own way in is its pipe).
 */
export function devtoolsPort(): { devtoolsPort?: number } {
  const raw = process.env['PORTAL_DEVTOOLS_PORT'];
  if (raw === undefined || raw === '') return {};
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError(`PORTAL_DEVTOOLS_PORT must be a whole number from 0 to 65535, got '${raw}'.`);
  }
  return { devtoolsPort: port };
}
