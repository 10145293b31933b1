// This site's kiosk from its config file, in whichever shell: load the config (first start
// writes defaults; a bad file falls back with a warning), then run its one display through the
// kiosk host. `portal kiosk`, `portal start` and the Electron main process all start here.

import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { PortalConfig } from '../../app/config/portal-config.js';
import type { Logger } from '../../app/log/logger.js';
import { ConfigStore } from '../config/config-store.js';
import type { WatchdogOptions } from '../watchdog/display-watchdog.js';
import { startKioskHost, type DisplayShell, type KioskHost } from './kiosk-host.js';
import { linkSettingsFor } from './site-settings.js';

export interface SiteOptions {
  readonly configPath: string;
  readonly shell: DisplayShell;
  readonly staticDir: string;
  readonly watchdog: WatchdogOptions;
  readonly logger: Logger;
  /** Called with the config directory before the config is read, so the log file holds it all. */
  readonly attachLogFile?: (directory: string) => void;
}

export interface RunningSite {
  readonly host: KioskHost;
  readonly config: PortalConfig;
  readonly configPath: string;
}

export async function startSite(options: SiteOptions): Promise<RunningSite> {
  const configPath = resolve(options.configPath);
  const directory = dirname(configPath);
  await mkdir(directory, { recursive: true });
  options.attachLogFile?.(directory);
  const loaded = await new ConfigStore(configPath, options.logger).load();
  if (loaded.warning !== null) options.logger.warn('config-warning', { message: loaded.warning });
  const config = loaded.config;
  const host = await startKioskHost({
    shell: options.shell,
    displays: [
      {
        site: config.site,
        settings: (port) => linkSettingsFor(config, port),
        warning: loaded.warning,
        profileDir: join(directory, 'chromium-profile'),
      },
    ],
    signaling: config.signaling.host ? { keys: { key: config.key } } : null,
    port: config.signaling.port,
    staticDir: options.staticDir,
    watchdog: options.watchdog,
    logger: options.logger,
  });
  return { host, config, configPath };
}
