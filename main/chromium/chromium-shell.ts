// The supervised-Chromium shell: each display is a system Chromium in kiosk mode on the
// renderer served at 127.0.0.1, its bridge the local HTTP one with the display's secret.

import type { Logger } from '../../app/log/logger.js';
import type { DisplayShell } from '../display/display-shell.js';
import { ChromiumKiosk } from './chromium-kiosk.js';

export interface ChromiumShellOptions {
  readonly browser: string;
  readonly extraFlags: readonly string[];
  readonly logger: Logger;
}

export function chromiumShell(options: ChromiumShellOptions): DisplayShell {
  return {
    name: 'chromium',
    httpBridge: true,
    open(display) {
      const kiosk = new ChromiumKiosk({
        browser: options.browser,
        url: `http://127.0.0.1:${display.localPort}/#bridge=${display.secret}`,
        profileDir: display.spec.profileDir,
        extraFlags: options.extraFlags,
        logger: options.logger.child(`chromium.${display.spec.site}`),
        watchdog: display.watchdog,
        runningAsRoot: process.getuid?.() === 0,
        ...(display.spec.window ? { window: display.spec.window } : {}),
      });
      kiosk.start();
      return kiosk;
    },
  };
}
