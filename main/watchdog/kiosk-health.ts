// A display's health as its host keeps it, from the page's state reports and the watchdog's
// counts: the partner as the page sees it, when it was last live and how long in the last day,
// and the repairs by step. The page counts the sessions it repaired since it loaded; the host
// keeps the running total across reloads and restarts, which it sees as the page's number going
// down. The clock comes in through the constructor.

import type { PortalStateReport } from '../../app/bridge/bridge-schemas.js';
import type { KioskEntry } from '../../app/health/healthz.js';
import type { PortalState } from '../../app/link/link-machine.js';
import type { WatchdogStatus } from './display-watchdog.js';
import { LiveTimeline } from './live-timeline.js';

/**
 * A live report counts for this long at most, until the next report: the page reports every 2 s,
 * so a longer silence is a hang or a reload, whatever the last report said.
 */
export const MAX_REPORT_GAP_MS = 10_000;

/** The health fields of a `/healthz` kiosk entry (the host adds `site` and `shell`). */
export type KioskHealthFields = Required<Omit<KioskEntry, 'site' | 'shell'>>;

export class KioskHealth {
  private last: { readonly at: number; readonly state: PortalState } | null = null;
  private partner: KioskHealthFields['partner'] = null;
  private lastLiveAt: number | null = null;
  private opensAt: number | null = null;
  private readonly timeline = new LiveTimeline();
  /** Session repairs of pages before the current one, and the current page's last number. */
  private sessionsBefore = 0;
  private sessionsNow = 0;

  constructor(private readonly now: () => number) {}

  report(report: PortalStateReport): void {
    const at = this.now();
    if (this.last?.state === 'live') this.timeline.add(this.last.at, Math.min(at, this.last.at + MAX_REPORT_GAP_MS));
    if (report.state === 'live') this.lastLiveAt = at;
    this.last = { at, state: report.state };
    // A page that sends no partner (an older one) leaves the last known in place.
    if (report.partner !== undefined) this.partner = report.partner;
    this.opensAt = report.state === 'closed' ? (report.closedUntil ?? null) : null;
    if (report.sessionRepairs !== undefined) {
      if (report.sessionRepairs < this.sessionsNow) this.sessionsBefore += this.sessionsNow;
      this.sessionsNow = report.sessionRepairs;
    }
  }

  /** The fields for `/healthz`, with the watchdog's view of the same display. */
  fields(watchdog: WatchdogStatus): KioskHealthFields {
    const now = this.now();
    // Live since the last report, as far as the report may be trusted.
    const ongoing =
      this.last?.state === 'live' ? Math.max(0, Math.min(now, this.last.at + MAX_REPORT_GAP_MS) - this.last.at) : 0;
    const liveMs = this.timeline.liveMsUpTo(now) + ongoing;
    return {
      state: watchdog.state ?? 'starting',
      partner: this.partner,
      lastLiveAt: this.lastLiveAt === null ? null : new Date(this.lastLiveAt).toISOString(),
      liveSeconds: Math.min(86_400, Math.round(liveMs / 1000)),
      repairs: {
        session: this.sessionsBefore + this.sessionsNow,
        reload: watchdog.reloads,
        restart: watchdog.restarts,
      },
      restarts: watchdog.restarts,
      opensAt: this.opensAt === null ? null : new Date(this.opensAt).toISOString(),
      quietReloads: watchdog.quietReloads,
      heartbeatAgeSeconds: watchdog.heartbeatAgeSeconds,
    };
  }
}
