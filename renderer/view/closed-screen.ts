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

  show(closed: boolean, settings: LinkSettings): void {
    if (!closed) {
      delete this.root.dataset['closedDisplay'];
      this.stopClock();
      return;
    }
    this.root.dataset['closedDisplay'] = settings.closedDisplay;
    this.timezone = zoneOf(settings.timezone);
    if (settings.closedDisplay === 'clock') {
      this.tick();
      this.timer ??= setInterval(() => this.tick(), TICK_MS);
      this.clock.hidden = false;
    } else this.stopClock();
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
