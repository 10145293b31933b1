// When a closed site's page is reloaded to shed what a browser accumulates over days of video
// (memory, GPU buffers, a slow leak in a library): once a day, in the quiet of closed hours,
// never while it could be live. The page says it is closed by its own opening hours by
// reporting when it opens (`closedUntil`); the policy waits until it has been closed a while (a
// closing that flickers is not the quiet hour) and leaves the last minutes before it opens alone
// (a page reloading then might not be ready at opening time). The clock comes in through the
// constructor; the watchdog asks at each tick and the shells carry out its reload.

import type { PortalState } from '../../app/link/link-machine.js';

export interface QuietReloadOptions {
  /** Closed for at least this long before the reload ... */
  readonly closedForMs: number;
  /** ... and at least this long before it opens ... */
  readonly beforeOpeningMs: number;
  /** ... and at least this long after the last quiet reload: once a day, at most. */
  readonly gapMs: number;
}

export const DEFAULT_QUIET_RELOAD: QuietReloadOptions = {
  closedForMs: 10 * 60_000,
  // An hour: a short closing (lunch) is left alone, so the daily reload stays in the night.
  beforeOpeningMs: 60 * 60_000,
  // Under a day, so a site whose closing time moves a little still gets its reload every night.
  gapMs: 20 * 3_600_000,
};

export class QuietReload {
  /** Since when the page has reported that this site is closed by its hours; null while open. */
  private closedSince: number | null = null;
  private closedUntil: number | null = null;
  private lastReloadAt: number | null = null;

  constructor(
    private readonly now: () => number,
    private readonly options: QuietReloadOptions = DEFAULT_QUIET_RELOAD,
  ) {}

  /**
   * What the page reported: its state, and when this site opens while it is closed by its hours
   * (else null). A live page is never closed, whatever it says.
   */
  observe(state: PortalState, closedUntil: number | null): void {
    if (closedUntil === null || state === 'live') this.closedSince = null;
    else this.closedSince ??= this.now();
    this.closedUntil = closedUntil;
  }

  /** Why the page should be reloaded now, or null when it should not. */
  due(): string | null {
    if (this.closedSince === null || this.closedUntil === null) return null;
    const now = this.now();
    if (now - this.closedSince < this.options.closedForMs) return null;
    if (this.closedUntil - now < this.options.beforeOpeningMs) return null;
    if (this.lastReloadAt !== null && now - this.lastReloadAt < this.options.gapMs) return null;
    const minutes = Math.round((now - this.closedSince) / 60_000);
    return `quiet hour: closed for ${minutes} min, opens in ${Math.round((this.closedUntil - now) / 60_000)} min`;
  }

  /** The reload was decided: none again within the gap, whether or not the shell managed it. */
  decided(): void {
    this.lastReloadAt = this.now();
  }
}
