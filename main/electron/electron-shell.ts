// The Electron shell for the kiosk host: the site's one display is a kiosk window on
// app://portal/, served by the app protocol with the CSP for this site's signaling server, its
// bridge the IPC wrapper. Electron's modules come in as arguments, so tests pass fakes.

import type { IpcMain, Protocol } from 'electron';
import type { Logger } from '../../app/log/logger.js';
import type { DisplayShell, WindowPlacement } from '../display/display-shell.js';
import { contentSecurityPolicy } from '../signaling/content-security-policy.js';
import { createAppProtocolHandler } from './app-protocol.js';
import { bridgeEventChannel } from '../../native-bridge/contract.js';
import { registerBridge } from './ipc-bridge.js';
import { ElectronDisplay, type KioskScreen, type KioskWindow } from './kiosk-window.js';
import { PORTAL_ORIGIN, PORTAL_SCHEME } from './portal-origin.js';

export interface ElectronShellOptions {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly protocol: Pick<Protocol, 'handle' | 'unhandle'>;
  readonly createWindow: (placement: WindowPlacement | undefined) => KioskWindow;
  /** The built renderer (dist/renderer). */
  readonly rendererDir: string;
  readonly logger: Logger;
  /** The screen a full-screen kiosk covers (electron.screen's primary display). */
  readonly screen?: KioskScreen;
}

export function electronShell(options: ElectronShellOptions): DisplayShell {
  let opened = false;
  return {
    name: 'electron',
    httpBridge: false,
    open(display) {
      // One IPC channel per call and one app:// handler per app: one display at a time, and a
      // restarted host opens its display again once the old one has stopped.
      if (opened) throw new Error("The Electron shell shows one display, this site's.");
      opened = true;
      options.protocol.handle(
        PORTAL_SCHEME,
        createAppProtocolHandler({
          rootDir: options.rendererDir,
          csp: () => contentSecurityPolicy(display.spec.settings(display.localPort).signal),
        }),
      );
      const unregister = registerBridge(options.ipcMain, display.handlers, options.logger.child('bridge'));
      const shown = new ElectronDisplay({
        createWindow: () => options.createWindow(display.spec.window),
        url: `${PORTAL_ORIGIN}/`,
        watchdog: display.watchdog,
        logger: options.logger.child(`electron.${display.spec.site}`),
        ...(options.screen && display.spec.window === undefined ? { screen: options.screen } : {}),
      });
      shown.start();
      const stopEvents = display.events.subscribe((event, payload) => shown.send(bridgeEventChannel(event), payload));
      return {
        async stop() {
          stopEvents();
          await shown.stop();
          unregister();
          options.protocol.unhandle(PORTAL_SCHEME);
          opened = false;
        },
      };
    },
  };
}
