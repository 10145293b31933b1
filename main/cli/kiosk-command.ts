// `portal kiosk [--config FILE] [--browser PATH]`: this site's kiosk in a supervised system
// Chromium. Loads the config (writing defaults on a first start), serves the renderer, the
// HTTP bridge and /healthz on the local port (with the embedded signaling server when this site
// hosts it), and keeps the browser running.

import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from '../../app/log/logger.js';
import { ChromiumKiosk } from '../chromium/chromium-kiosk.js';
import { findBrowser } from '../chromium/find-browser.js';
import { createHttpBridge } from '../chromium/http-bridge.js';
import { ConfigStore, defaultConfigPath } from '../config/config-store.js';
import { startSignalingServer } from '../signaling/signaling-server.js';
import { linkSettingsFor } from '../site/site-settings.js';
import { DEFAULT_WATCHDOG, DisplayWatchdog, type WatchdogOptions } from '../watchdog/display-watchdog.js';
import { BUILT_RENDERER_DIR } from './serve-command.js';
import { UsageError } from './usage-error.js';

export const KIOSK_USAGE = `Usage: portal kiosk [--config FILE] [--browser PATH]

  --config FILE   the config file (default: portal/config.json in $XDG_CONFIG_HOME or ~/.config)
  --browser PATH  the Chromium to run (default: chromium, chromium-browser or google-chrome on PATH)

PORTAL_CHROMIUM_FLAGS adds flags to the browser's command line (space separated).
PORTAL_HEARTBEAT_TIMEOUT_MS: how long without a heartbeat before the page is reloaded (15000).`;

export interface RunningKiosk {
  readonly url: string;
  stop(): Promise<void>;
}

export async function runKiosk(args: readonly string[], logger: Logger): Promise<RunningKiosk> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      options: { config: { type: 'string' }, browser: { type: 'string' } },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${KIOSK_USAGE}`);
  }
  const browser = findBrowser(values.browser);
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    process.stdout.write(
      'portal: no display (DISPLAY and WAYLAND_DISPLAY are unset); Chromium cannot show the kiosk until one is there. Start Portal from the desktop session, or use its autostart.\n',
    );
    logger.warn('no-display', {});
  }
  const configPath = resolve(values.config ?? defaultConfigPath());
  const loaded = await new ConfigStore(configPath, logger).load();
  if (loaded.warning !== null) logger.warn('config-warning', { message: loaded.warning });
  const config = loaded.config;

  const watchdog = new DisplayWatchdog(() => Date.now(), watchdogOptions());
  const secret = randomBytes(24).toString('base64url');
  let localPort = config.signaling.port;
  const bridge = createHttpBridge(
    secret,
    {
      reportState: ({ state }) => watchdog.heartbeat(state),
      getSettings: () => ({ settings: linkSettingsFor(config, localPort), warning: loaded.warning }),
    },
    logger.child('bridge'),
  );
  let kiosk: ChromiumKiosk | null = null;
  const server = await startSignalingServer({
    // Hosting: reachable by the partner. Not hosting: this machine only, and no site may join.
    host: config.signaling.host ? '0.0.0.0' : '127.0.0.1',
    port: config.signaling.port,
    keys: config.signaling.host ? { key: config.key } : { rooms: {} },
    logger: logger.child('signaling'),
    staticDir: BUILT_RENDERER_DIR,
    routes: bridge,
    health: () => ({
      kiosks: [
        { site: config.site, shell: 'chromium', ...watchdog.status, state: watchdog.status.state ?? 'starting' },
      ],
    }),
  });
  localPort = server.port;
  const url = `http://127.0.0.1:${server.port}/#bridge=${secret}`;
  kiosk = new ChromiumKiosk({
    browser,
    url,
    profileDir: join(dirname(configPath), 'chromium-profile'),
    extraFlags: (process.env['PORTAL_CHROMIUM_FLAGS'] ?? '').split(' ').filter(Boolean),
    logger: logger.child('chromium'),
    watchdog,
    runningAsRoot: process.getuid?.() === 0,
  });
  kiosk.start();
  process.stdout.write(
    `kiosk ${config.site} in room ${config.room}: chromium (${browser}), local port ${server.port}\n`,
  );
  return {
    url: server.url,
    async stop() {
      await kiosk?.stop();
      await server.close();
    },
  };
}

function watchdogOptions(): WatchdogOptions {
  const raw = process.env['PORTAL_HEARTBEAT_TIMEOUT_MS'];
  if (raw === undefined) return DEFAULT_WATCHDOG;
  const ms = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(ms >= 1_000 && ms <= 600_000)) {
    throw new UsageError(
      `PORTAL_HEARTBEAT_TIMEOUT_MS must be a whole number of milliseconds from 1000 to 600000, got '${raw}'.`,
    );
  }
  return { ...DEFAULT_WATCHDOG, heartbeatTimeoutMs: ms };
}
