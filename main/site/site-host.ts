// This site's kiosk from its config file, in whichever shell: load the config (first start
// writes defaults; a bad file falls back with a warning), then run its one display through the
// kiosk host, with the admin overlay's calls saving into the same file. A restart (from the
// overlay) stops the host and starts it again from the file. `portal kiosk`, `portal start` and
// the Electron main process all start here.

import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { PortalConfig } from '../../app/config/portal-config.js';
import type { Logger } from '../../app/log/logger.js';
import { ConfigStore } from '../config/config-store.js';
import type { DisplayPower } from '../display/display-power.js';
import type { WatchdogOptions } from '../watchdog/display-watchdog.js';
import { startKioskHost, type DisplayShell, type KioskHost } from './kiosk-host.js';
import { createSiteAdmin } from './site-admin.js';
import { linkSettingsFor } from './site-settings.js';

export interface SiteOptions {
  readonly configPath: string;
  readonly shell: DisplayShell;
  readonly staticDir: string;
  readonly watchdog: WatchdogOptions;
  readonly logger: Logger;
  /** Called with the config directory before the config is read, so the log file holds it all. */
  readonly attachLogFile?: (directory: string) => void;
  /** The host's last log lines, for the admin overlay. */
  readonly recentLogs?: () => readonly string[];
  /**
   * Asked at each restart from the overlay: true when the shell starts its whole process again
   * instead (Electron takes its switches only at its start), so the host is not restarted here.
   */
  readonly restartsProcess?: () => boolean;
  /** How the display sleeps while closed (Electron adds its power-save blocker); else the default. */
  readonly displayPower?: DisplayPower;
}

export interface RunningSite {
  /** The running host; after a restart, the new one (same port unless the config changed it). */
  readonly host: KioskHost;
  /** The config as it is now. */
  readonly config: PortalConfig;
  readonly configPath: string;
}

export async function startSite(options: SiteOptions): Promise<RunningSite> {
  const configPath = resolve(options.configPath);
  const directory = dirname(configPath);
  await mkdir(directory, { recursive: true });
  options.attachLogFile?.(directory);
  const store = new ConfigStore(configPath, options.logger);

  let config: PortalConfig;
  let host: KioskHost | null = null;
  let stopped = false;

  const admin = createSiteAdmin({
    store,
    config: () => config,
    setConfig: (next) => (config = next),
    localPort: () => host?.port ?? config.signaling.port,
    recentLogs: options.recentLogs ?? (() => []),
    restart: () => void restart(),
    logger: options.logger.child('admin'),
  });

  const launch = async (): Promise<KioskHost> => {
    const loaded = await store.load();
    if (loaded.warning !== null) options.logger.warn('config-warning', { message: loaded.warning });
    config = loaded.config;
    return startKioskHost({
      shell: options.shell,
      displays: [
        {
          site: config.site,
          // Read at each call: the admin overlay may have saved new settings since.
          settings: (port) => linkSettingsFor(config, port),
          warning: loaded.warning,
          hardwareVideo: config.hardwareVideo,
          profileDir: join(directory, 'chromium-profile'),
          admin,
        },
      ],
      // signaling.turn matters only to the server this site hosts; a guest site gets its
      // partner's server's credentials in `joined`.
      signaling: config.signaling.host ? { keys: { key: config.key }, turn: config.signaling.turn } : null,
      port: config.signaling.port,
      staticDir: options.staticDir,
      watchdog: options.watchdog,
      ...(options.displayPower ? { displayPower: options.displayPower } : {}),
      logger: options.logger,
    });
  };

  let restarting: Promise<void> | null = null;
  const restart = (): Promise<void> =>
    (restarting ??= (async () => {
      if (stopped || host === null) return;
      if (options.restartsProcess?.() === true) return;
      options.logger.info('site-restart', {});
      const old = host;
      host = null;
      await old.stop();
      const next = await launch();
      if (stopped) await next.stop();
      else host = next;
    })().finally(() => (restarting = null)));

  host = await launch();
  return {
    host: {
      get port() {
        return host?.port ?? config.signaling.port;
      },
      async stop() {
        stopped = true;
        await restarting;
        await host?.stop();
      },
    },
    get config() {
      return config;
    },
    configPath,
  };
}
