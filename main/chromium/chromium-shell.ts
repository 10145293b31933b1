// The supervised-Chromium shell: each display is a system Chromium in kiosk mode on the
// renderer served at 127.0.0.1, its bridge the local HTTP one with the display's secret (in the
// URL's fragment, which the kiosk sends over the browser's DevTools pipe, never on its argv).

import type { Logger } from '../../app/log/logger.js';
import type { DisplayShell } from '../display/display-shell.js';
import {
  chromiumFlags,
  hardwareVideoSwitches,
  probeVideoDevices,
  type BrowserSwitches,
} from '../display/hardware-video.js';
import { ChromiumKiosk } from './chromium-kiosk.js';

export interface ChromiumShellOptions {
  readonly browser: string;
  readonly extraFlags: readonly string[];
  readonly logger: Logger;
  /** PORTAL_DEVTOOLS_PORT: a DevTools port besides the pipe, for development only. */
  readonly devtoolsPort?: number;
}

export function chromiumShell(options: ChromiumShellOptions): DisplayShell {
  return {
    name: 'chromium',
    httpBridge: true,
    open(display) {
      const logger = options.logger.child(`chromium.${display.spec.site}`);
      const video = hardwareVideoSwitches(display.spec.hardwareVideo, probeVideoDevices());
      logger.info('hardware-video', { mode: display.spec.hardwareVideo, reason: video.reason });
      const kiosk = new ChromiumKiosk({
        browser: options.browser,
        url: `http://127.0.0.1:${display.localPort}/#bridge=${display.secret}`,
        profileDir: display.spec.profileDir,
        extraFlags: withVideoFlags(video, options.extraFlags),
        logger,
        watchdog: display.watchdog,
        runningAsRoot: process.getuid?.() === 0,
        ...(display.spec.window ? { window: display.spec.window } : {}),
        ...(options.devtoolsPort === undefined ? {} : { devtoolsPort: options.devtoolsPort }),
      });
      kiosk.start();
      return kiosk;
    },
  };
}

const ENABLE_FEATURES = '--enable-features=';

/**
 * The hardware video flags, then PORTAL_CHROMIUM_FLAGS (a person's own win), with every
 * --enable-features merged into one: Chromium keeps only the last of them.
 */
export function withVideoFlags(video: BrowserSwitches, extraFlags: readonly string[]): string[] {
  const features = extraFlags
    .filter((flag) => flag.startsWith(ENABLE_FEATURES))
    .flatMap((flag) => flag.slice(ENABLE_FEATURES.length).split(','))
    .filter(Boolean);
  return [...chromiumFlags(video, features), ...extraFlags.filter((flag) => !flag.startsWith(ENABLE_FEATURES))];
}
