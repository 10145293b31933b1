// `portal kiosk [--config FILE] [--browser PATH]`: this site's kiosk in a supervised system
// Chromium, from its config file (defaults written on a first start).

import type { Logger } from '../../app/log/logger.js';
import { chromiumShell } from '../chromium/chromium-shell.js';
import { findBrowser } from '../chromium/find-browser.js';
import { defaultConfigPath } from '../config/config-store.js';
import { hostEnvironment } from '../site/host-environment.js';
import type { KioskHost } from '../site/kiosk-host.js';
import { startSite } from '../site/site-host.js';
import { parseFlags } from './command-args.js';

export const KIOSK_USAGE = `Usage: portal kiosk [--config FILE] [--browser PATH]

  --config FILE   the config file (default: portal/config.json in $XDG_CONFIG_HOME or ~/.config)
  --browser PATH  the Chromium to run (default: chromium, chromium-browser or google-chrome on PATH)

PORTAL_CHROMIUM_FLAGS adds flags to the browser's command line (space separated).
PORTAL_HEARTBEAT_TIMEOUT_MS: how long without a heartbeat before the page is reloaded (15000).`;

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
    shell: chromiumShell({ browser, extraFlags: chromiumFlags(), logger }),
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

/** PORTAL_CHROMIUM_FLAGS: extra flags for the system Chromium, space separated. */
export function chromiumFlags(): string[] {
  return (process.env['PORTAL_CHROMIUM_FLAGS'] ?? '').split(' ').filter(Boolean);
}
