// Decides how to bring a display (Electron window or supervised Chromium) back: a missed
// heartbeat gets a reload first, then a restart of the display; a display that died is
// restarted. Restarts are capped within a window, then wait a cool-down, so a crash loop does
// not spin. A closed site's page also gets its daily quiet reload from here (quiet-reload.ts),
// so both shells carry it out the way they carry out a repair. The clock comes in through the
// constructor; the shells carry out the actions and say when a reload or a restart happened.

import type { PortalState } from '../../app/link/link-machine.js';
import { DEFAULT_QUIET_RELOAD, QuietReload, type QuietReloadOptions } from './quiet-reload.js';

export interface WatchdogOptions {
  /** No heartbeat for this long: the renderer is hung. */
  readonly heartbeatTimeoutMs: number;
  /** At most this many restarts within `windowMs` ... */
  readonly maxRestarts: number;
  readonly windowMs: number;
  /** ... then wait this long after the last one before the next. */
  readonly coolDownMs: number;
  /** When a closed site's page gets its daily reload; DEFAULT_QUIET_RELOAD when absent. */
  readonly quietReload?: QuietReloadOptions;
}

export const DEFAULT_WATCHDOG: WatchdogOptions = {
  heartbeatTimeoutMs: 15_000,
  maxRestarts: 5,
  windowMs: 5 * 60_000,
  coolDownMs: 60_000,
};

export type WatchdogAction =
  | { readonly type: 'none' }
  /** `quiet`: the daily reload of a closed site's page, not a repair. */
  | { readonly type: 'reload'; readonly reason: string; readonly quiet: boolean }
  | { readonly type: 'restart-display'; readonly reason: string }
  | { readonly type: 'wait'; readonly reason: string; readonly untilMs: number };

export interface WatchdogStatus {
  readonly state: PortalState | null;
  readonly restarts: number;
  /** Reloads that repaired a page (a missed heartbeat, a hang), carried out. */
  readonly reloads: number;
  /** Daily reloads of a closed site's page, carried out. */
  readonly quietReloads: number;
  readonly heartbeatAgeSeconds: number | null;
}

export class DisplayWatchdog {
  private lastHeartbeat: number | null = null;
  private state: PortalState | null = null;
  private reloadedAt: number | null = null;
  private readonly restartTimes: number[] = [];
  /** Displays brought back and running again: counted when they run, not when decided. */
  private restartCount = 0;
  private reloadCount = 0;
  private quietReloadCount = 0;
  private readonly quiet: QuietReload;
  private everStarted = false;
  private startedAt: number;

  constructor(
    private readonly now: () => number,
    private readonly options: WatchdogOptions = DEFAULT_WATCHDOG,
  ) {
    this.startedAt = now();
    this.quiet = new QuietReload(now, options.quietReload ?? DEFAULT_QUIET_RELOAD);
  }

  get status(): WatchdogStatus {
    const age = this.lastHeartbeat === null ? null : Math.round((this.now() - this.lastHeartbeat) / 1000);
    return {
      state: this.state,
      restarts: this.restartCount,
      reloads: this.reloadCount,
      quietReloads: this.quietReloadCount,
      heartbeatAgeSeconds: age,
    };
  }

  /** The page is alive, in `state`; `closedUntil`: when this site opens while closed by its hours. */
  heartbeat(state: PortalState, closedUntil: number | null = null): void {
    this.lastHeartbeat = this.now();
    this.state = state;
    this.reloadedAt = null;
    this.quiet.observe(state, closedUntil);
  }

  /** The shell reloaded the page as `action` said: counted when done, not when decided. */
  reloaded(action: Extract<WatchdogAction, { type: 'reload' }>): void {
    if (action.quiet) this.quietReloadCount += 1;
    else this.reloadCount += 1;
  }

  /**
   * The shell's display is up (a browser process running, a window open). Every start after the
   * first is a restart that happened: a restart decided but refused by the OS is not counted.
   */
  displayStarted(): void {
    if (this.everStarted) this.restartCount += 1;
    this.everStarted = true;
  }

  /** The display process or window is gone (exited, crashed, renderer gone). */
  displayGone(reason: string): WatchdogAction {
    return this.restart(reason);
  }

  /**
   * The shell saw the page stop answering (Electron's `unresponsive`): the same ladder as a
   * missed heartbeat, a reload first, then a restart if it hangs again before a heartbeat.
   */
  hung(reason: string): WatchdogAction {
    if (this.reloadedAt === null) {
      this.reloadedAt = this.now();
      return { type: 'reload', reason, quiet: false };
    }
    return this.restart(`${reason} after a reload`);
  }

  /** Called every second or so: is the renderer still answering? Is a closed page due its reload? */
  tick(): WatchdogAction {
    const now = this.now();
    const since = this.lastHeartbeat ?? this.startedAt;
    if (now - since < this.options.heartbeatTimeoutMs) {
      // Only a page that answers gets its quiet reload; one that does not is a repair's business.
      const quiet = this.lastHeartbeat === null ? null : this.quiet.due();
      if (quiet === null) return { type: 'none' };
      this.quiet.decided();
      return { type: 'reload', reason: quiet, quiet: true };
    }
    if (this.reloadedAt === null) {
      this.reloadedAt = now;
      return { type: 'reload', reason: `no heartbeat for ${Math.round((now - since) / 1000)} s`, quiet: false };
    }
    if (now - this.reloadedAt < this.options.heartbeatTimeoutMs) return { type: 'none' };
    return this.restart('no heartbeat after a reload');
  }

  private restart(reason: string): WatchdogAction {
    const now = this.now();
    while (this.restartTimes.length > 0 && now - this.restartTimes[0]! > this.options.windowMs)
      this.restartTimes.shift();
    if (this.restartTimes.length >= this.options.maxRestarts) {
      const untilMs = this.restartTimes[this.restartTimes.length - 1]! + this.options.coolDownMs;
      if (now < untilMs)
        return {
          type: 'wait',
          reason: `${reason}; ${this.restartTimes.length} restarts in a row, cooling down`,
          untilMs,
        };
    }
    this.restartTimes.push(now);
    // A restarted display gets a fresh heartbeat allowance.
    this.startedAt = now;
    this.lastHeartbeat = null;
    this.reloadedAt = null;
    return { type: 'restart-display', reason };
  }
}
