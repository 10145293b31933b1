// Decides how to bring a display (Electron window or supervised Chromium) back: a missed
// heartbeat gets a reload first, then a restart of the display; a display that died is
// restarted. Restarts are capped within a window, then wait a cool-down, so a crash loop does
// not spin. The clock comes in through the constructor; the shells carry out the actions.

import type { PortalState } from '../../app/link/link-machine.js';

export interface WatchdogOptions {
  /** No heartbeat for this long: the renderer is hung. */
  readonly heartbeatTimeoutMs: number;
  /** At most this many restarts within `windowMs` ... */
  readonly maxRestarts: number;
  readonly windowMs: number;
  /** ... then wait this long after the last one before the next. */
  readonly coolDownMs: number;
}

export const DEFAULT_WATCHDOG: WatchdogOptions = {
  heartbeatTimeoutMs: 15_000,
  maxRestarts: 5,
  windowMs: 5 * 60_000,
  coolDownMs: 60_000,
};

export type WatchdogAction =
  | { readonly type: 'none' }
  | { readonly type: 'reload'; readonly reason: string }
  | { readonly type: 'restart-display'; readonly reason: string }
  | { readonly type: 'wait'; readonly reason: string; readonly untilMs: number };

export interface WatchdogStatus {
  readonly state: PortalState | null;
  readonly restarts: number;
  readonly heartbeatAgeSeconds: number | null;
}

export class DisplayWatchdog {
  private lastHeartbeat: number | null = null;
  private state: PortalState | null = null;
  private reloadedAt: number | null = null;
  private readonly restartTimes: number[] = [];
  /** Displays brought back and running again: counted when they run, not when decided. */
  private restartCount = 0;
  private everStarted = false;
  private startedAt: number;

  constructor(
    private readonly now: () => number,
    private readonly options: WatchdogOptions = DEFAULT_WATCHDOG,
  ) {
    this.startedAt = now();
  }

  get status(): WatchdogStatus {
    const age = this.lastHeartbeat === null ? null : Math.round((this.now() - this.lastHeartbeat) / 1000);
    return { state: this.state, restarts: this.restartCount, heartbeatAgeSeconds: age };
  }

  heartbeat(state: PortalState): void {
    this.lastHeartbeat = this.now();
    this.state = state;
    this.reloadedAt = null;
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
      return { type: 'reload', reason };
    }
    return this.restart(`${reason} after a reload`);
  }

  /** Called every second or so: is the renderer still answering? */
  tick(): WatchdogAction {
    const now = this.now();
    const since = this.lastHeartbeat ?? this.startedAt;
    if (now - since < this.options.heartbeatTimeoutMs) return { type: 'none' };
    if (this.reloadedAt === null) {
      this.reloadedAt = now;
      return { type: 'reload', reason: `no heartbeat for ${Math.round((now - since) / 1000)} s` };
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
