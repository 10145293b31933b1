// A kiosk host with no browser: its displays are only recorded, so a test can call their bridge
// handlers (reportState, ...) and read /healthz and /metrics from a real server on real sockets.

import { silentLogger } from '../../app/log/logger.js';
import type { DisplayShell, HostedDisplay } from '../../main/display/display-shell.js';
import { startKioskHost, type KioskHost } from '../../main/site/kiosk-host.js';
import { DEFAULT_WATCHDOG } from '../../main/watchdog/display-watchdog.js';

/** A shell that shows nothing: it keeps each display the host hands it, for the test to drive. */
export function recordingShell(httpBridge = false): { readonly shell: DisplayShell; readonly shown: HostedDisplay[] } {
  const shown: HostedDisplay[] = [];
  const shell: DisplayShell = {
    name: 'chromium',
    httpBridge,
    open: (display) => {
      shown.push(display);
      return { stop: async () => {} };
    },
  };
  return { shell, shown };
}

export interface FakeKioskHost {
  readonly host: KioskHost;
  /** The display of `site`, as the host handed it to its shell. */
  display(site: string): HostedDisplay;
}

export async function startFakeKioskHost(
  sites: readonly string[],
  options: { readonly port?: number; readonly clock?: () => number } = {},
): Promise<FakeKioskHost> {
  const { shell, shown } = recordingShell();
  const host = await startKioskHost({
    shell,
    displays: sites.map((site) => ({
      site,
      settings: () => {
        throw new Error('not asked');
      },
      warning: null,
      hardwareVideo: 'off',
      profileDir: '/nonexistent',
    })),
    signaling: null,
    port: options.port ?? 0,
    staticDir: '/nonexistent',
    watchdog: DEFAULT_WATCHDOG,
    logger: silentLogger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { host, display: (site) => shown.find((d) => d.spec.site === site)! };
}
