// What a kiosk host hands a shell (the supervised Chromium, the Electron window) and what a
// shell gives back: the shared words of main/site and the shells, in a folder both import, so
// the dependencies between them go one way (site and the shells import this; it imports neither).

import type { LinkSettings } from '../../app/config/link-settings.js';
import type { HardwareVideo } from '../../app/settings/registry.js';
import type { BridgeEvents } from '../../native-bridge/bridge-events.js';
import type { BridgeHandlers } from '../../native-bridge/contract.js';
import type { DisplayWatchdog } from '../watchdog/display-watchdog.js';

/** The admin overlay's calls, as a site with a config file answers them. */
export type AdminHandlers = Pick<
  BridgeHandlers,
  'adminStatus' | 'setPin' | 'unlock' | 'getAdminSettings' | 'saveAdminSettings' | 'getLogs' | 'restart'
>;

/** A window of its own instead of the full-screen kiosk (the demo's two sites side by side). */
export interface WindowPlacement {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface DisplaySpec {
  readonly site: string;
  /** The renderer's settings, once the local port is known. */
  readonly settings: (localPort: number) => LinkSettings;
  /** A sentence to show at the foot of the screen (a config file that could not be used). */
  readonly warning: string | null;
  /** Hardware video in the browser (the Chromium shell's switches; Electron's are set at its start). */
  readonly hardwareVideo: HardwareVideo;
  /** The browser profile (Chromium shell). */
  readonly profileDir: string;
  /** Full-screen kiosk when absent. */
  readonly window?: WindowPlacement;
  /** The admin overlay's calls; absent, the overlay says this kiosk keeps no settings (the demo). */
  readonly admin?: AdminHandlers;
}

/** One display as the host hands it to its shell. */
export interface HostedDisplay {
  readonly spec: DisplaySpec;
  readonly watchdog: DisplayWatchdog;
  /** What the page's bridge calls do; the shell wires them to its transport. */
  readonly handlers: BridgeHandlers;
  /** What the host tells the page without being asked; the shell carries it to its transport. */
  readonly events: BridgeEvents;
  /** The display's HTTP bridge secret (only meaningful when the shell uses the HTTP bridge). */
  readonly secret: string;
  readonly localPort: number;
}

export interface RunningDisplay {
  stop(): Promise<void>;
}

export interface DisplayShell {
  readonly name: 'chromium' | 'electron';
  /** The page reaches the host over the local HTTP bridge (else over the shell's own IPC). */
  readonly httpBridge: boolean;
  /** Shows the display and keeps it shown, carrying out its watchdog's actions. */
  open(display: HostedDisplay): RunningDisplay;
}
