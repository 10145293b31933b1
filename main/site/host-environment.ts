// What every kiosk host (portal kiosk, portal start, portal demo, the Electron main process)
// takes from the environment and the build: where the renderer is, and the watchdog's timing.

import type { Logger } from '../../app/log/logger.js';
import { UsageError } from '../util/usage-error.js';
import { DEFAULT_WATCHDOG, type WatchdogOptions } from '../watchdog/display-watchdog.js';
import { BUILT_RENDERER_DIR } from './built-paths.js';

/** What every kiosk host takes from the environment and the build: renderer, watchdog. */
export function hostEnvironment(logger: Logger) {
  return { staticDir: BUILT_RENDERER_DIR, watchdog: watchdogOptions(), logger };
}

export function watchdogOptions(): WatchdogOptions {
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
