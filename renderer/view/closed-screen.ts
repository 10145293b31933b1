// A closed site's screen: calm and dim, with the time at the site (closedDisplay `clock`), or
// nothing at all (`off`: the host puts the display to sleep where it can; black meanwhile).
// What it says about opening is the status line's; this adds the clock and the look.

import type { LinkSettings } from '../../app/config/link-settings.js';
import { timeText, wallClock, zoneOf } from '../../app/schedule/opening-hours.js';
import type { Disposable } from '../lifecycle/disposables.js';

const TICK_MS = 5_000;

export class ClosedScreen implements Disposable {
  private readonly root = document.documentElement;
  private readonly clock = document.getElementById('clock')!;
  private timer: ReturnType<typeof setInterval> | null = null;
  private timezone = 'UTC';

  /** `refresh` is called every few seconds while closed: the status says "tomorrow" until midnight. */
  constructor(private readonly refresh: () => void = () => undefined) {}

  /**
   * `closed`: the page shows `closed`; `own`: this site's hours closed it (only then may its
   * display go off: a site whose partner is closed says so, and stays awake for its people).
   */
  show(closed: boolean, own: boolean, settings: LinkSettings): void {
    if (!closed) {
      delete this.root.dataset['closedDisplay'];
      this.stopClock();
      return;
    }
    const off = own && settings.closedDisplay === 'off';
    if (off) this.root.dataset['closedDisplay'] = 'off';
    else delete this.root.dataset['closedDisplay'];
    this.timezone = zoneOf(settings.timezone);
    this.tick();
    this.timer ??= setInterval(() => {
      this.tick();
      this.refresh();
    }, TICK_MS);
    this.clock.hidden = off;
  }

  dispose(): void {
    this.stopClock();
    delete this.root.dataset['closedDisplay'];
  }

  private tick(): void {
    const text = timeText(wallClock(Date.now(), this.timezone).minute);
    if (this.clock.textContent !== text) this.clock.textContent = text;
  }

  private stopClock(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.clock.hidden = true;
    this.clock.textContent = '';
  }
}
