// A kiosk host: one local HTTP server (renderer, HTTP bridge, /healthz, and the signaling server
// when this machine hosts it) and one supervised Chromium per display. `portal kiosk` runs one
// display from the config file; `portal demo` runs two sites side by side.

import { randomBytes } from 'node:crypto';
import type { LinkSettings } from '../../app/config/link-settings.js';
import type { Logger } from '../../app/log/logger.js';
import { ChromiumKiosk, type WindowPlacement } from '../chromium/chromium-kiosk.js';
import { createHttpBridge } from '../chromium/http-bridge.js';
import type { KeyPolicy } from '../signaling/key-policy.js';
import { startSignalingServer } from '../signaling/signaling-server.js';
import { DisplayWatchdog, type WatchdogOptions } from '../watchdog/display-watchdog.js';

export interface DisplaySpec {
  readonly site: string;
  /** The renderer's settings, once the local port is known. */
  readonly settings: (localPort: number) => LinkSettings;
  /** A sentence to show at the foot of the screen (a config file that could not be used). */
  readonly warning: string | null;
  readonly profileDir: string;
  /** Full-screen kiosk when absent. */
  readonly window?: WindowPlacement;
}

export interface KioskHostOptions {
  readonly browser: string;
  readonly displays: readonly DisplaySpec[];
  /** Host the signaling server with these keys, on every interface unless `listen` says. */
  readonly signaling: { readonly keys: KeyPolicy; readonly listen?: string } | null;
  readonly port: number;
  readonly staticDir: string;
  readonly extraFlags: readonly string[];
  readonly watchdog: WatchdogOptions;
  readonly logger: Logger;
}

export interface KioskHost {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startKioskHost(options: KioskHostOptions): Promise<KioskHost> {
  let localPort = options.port;
  const displays = options.displays.map((spec) => ({
    spec,
    secret: randomBytes(24).toString('base64url'),
    watchdog: new DisplayWatchdog(() => Date.now(), options.watchdog),
  }));
  const bridge = createHttpBridge(
    displays.map(({ spec, secret, watchdog }) => ({
      secret,
      handlers: {
        reportState: ({ state }) => watchdog.heartbeat(state),
        getSettings: () => ({ settings: spec.settings(localPort), warning: spec.warning }),
      },
    })),
    options.logger.child('bridge'),
  );
  const server = await startSignalingServer({
    // Hosting: reachable by the partner. Not hosting: this machine only, and no site may join.
    host: options.signaling ? (options.signaling.listen ?? '0.0.0.0') : '127.0.0.1',
    port: options.port,
    keys: options.signaling?.keys ?? { rooms: {} },
    logger: options.logger.child('signaling'),
    staticDir: options.staticDir,
    routes: bridge,
    health: () => ({
      kiosks: displays.map(({ spec, watchdog }) => ({
        site: spec.site,
        shell: 'chromium',
        ...watchdog.status,
        state: watchdog.status.state ?? 'starting',
      })),
    }),
  });
  localPort = server.port;
  const kiosks = displays.map(
    ({ spec, secret, watchdog }) =>
      new ChromiumKiosk({
        browser: options.browser,
        url: `http://127.0.0.1:${server.port}/#bridge=${secret}`,
        profileDir: spec.profileDir,
        extraFlags: options.extraFlags,
        logger: options.logger.child(`chromium.${spec.site}`),
        watchdog,
        runningAsRoot: process.getuid?.() === 0,
        ...(spec.window ? { window: spec.window } : {}),
      }),
  );
  for (const kiosk of kiosks) kiosk.start();
  return {
    port: server.port,
    async stop() {
      await Promise.all(kiosks.map((kiosk) => kiosk.stop()));
      await server.close();
    },
  };
}
