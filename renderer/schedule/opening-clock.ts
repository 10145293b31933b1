// Watches the page's opening hours on the real clock and says when the site opens or closes.
// It looks again at each change and at least every 20 s, so a clock that is set, a machine that
// slept or a summer-time jump is noticed within that time.

import type { LinkSettings } from '../../app/config/link-settings.js';
import {
  hoursAt,
  parseOpeningHours,
  zoneOf,
  type HoursState,
  type OpeningHours,
} from '../../app/schedule/opening-hours.js';
import type { Disposable } from '../lifecycle/disposables.js';

const LOOK_AGAIN_MS = 20_000;

export interface OpeningTime extends HoursState {
  readonly timezone: string;
}

export class OpeningClock implements Disposable {
  private hours: OpeningHours;
  private timezone: string;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last: OpeningTime | null = null;
  private disposed = false;

  constructor(
    settings: LinkSettings,
    private readonly changed: (time: OpeningTime) => void,
    private readonly now: () => number = Date.now,
  ) {
    [this.hours, this.timezone] = OpeningClock.read(settings);
  }

  /** The hours as they stand now (no event). */
  get current(): OpeningTime {
    return { ...hoursAt(this.hours, this.timezone, this.now()), timezone: this.timezone };
  }

  /** Starts watching; `changed` is called now and at every opening and closing. */
  start(): void {
    this.look(true);
  }

  /** New hours or zone from the settings: looked at at once. */
  update(settings: LinkSettings): void {
    [this.hours, this.timezone] = OpeningClock.read(settings);
    this.look(true);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private look(always: boolean): void {
    if (this.disposed) return;
    const time = this.current;
    const news = always || this.last === null || this.last.open !== time.open;
    this.last = time;
    if (news) this.changed(time);
    if (this.timer !== null) clearTimeout(this.timer);
    // A change that is not ahead (it cannot be, but a clock may be set back meanwhile): look
    // again at the usual pace rather than at once.
    const ahead = time.changesAt === null ? 0 : time.changesAt - this.now();
    const untilChange = ahead > 0 ? ahead + 20 : LOOK_AGAIN_MS;
    this.timer = setTimeout(() => this.look(false), Math.min(untilChange, LOOK_AGAIN_MS));
  }

  private static read(settings: LinkSettings): [OpeningHours, string] {
    const parsed = parseOpeningHours(settings.hours);
    // The settings were parsed on their way in; a schedule that fails here is a bug, and a
    // portal that is open is the better mistake.
    const hours = parsed.ok ? parsed.hours : { text: '24/7', spans: [[0, 7 * 24 * 60]] as const };
    return [hours, zoneOf(settings.timezone)];
  }
}
