import { describe, expect, it } from 'vitest';
import type { PortalStateReport } from '../../../../app/bridge/bridge-schemas.js';
import type { PortalState } from '../../../../app/link/link-machine.js';
import { DisplayWatchdog } from '../../../../main/watchdog/display-watchdog.js';
import { KioskHealth } from '../../../../main/watchdog/kiosk-health.js';

const HOUR = 3_600_000;

function clocked() {
  let now = Date.UTC(2026, 11, 1, 9);
  const health = new KioskHealth(() => now);
  const watchdog = new DisplayWatchdog(() => now);
  const report = (state: PortalState, extra: Partial<PortalStateReport> = {}) => {
    watchdog.heartbeat(state);
    health.report({ state, error: null, ...extra });
  };
  /** The page reports `state` every 2 s for `ms`. */
  const reportFor = (ms: number, state: PortalState, extra: Partial<PortalStateReport> = {}) => {
    for (let t = 0; t < ms; t += 2_000) {
      report(state, extra);
      now += 2_000;
    }
  };
  return {
    health,
    report,
    reportFor,
    advance: (ms: number) => (now += ms),
    fields: () => health.fields(watchdog.status),
  };
}

describe("a kiosk's health", () => {
  it('starts with nothing seen: no partner, never live, no repairs', () => {
    const { fields } = clocked();
    expect(fields()).toEqual({
      state: 'starting',
      partner: null,
      lastLiveAt: null,
      liveSeconds: 0,
      repairs: { session: 0, reload: 0, restart: 0 },
      restarts: 0,
      opensAt: null,
      quietReloads: 0,
      heartbeatAgeSeconds: null,
    });
  });

  it('counts the seconds live in the last 24 h, and when it was last live', () => {
    const { report, reportFor, fields, advance } = clocked();
    reportFor(HOUR, 'live');
    reportFor(HOUR, 'reconnecting');
    expect(fields()).toMatchObject({ liveSeconds: 3_600, lastLiveAt: '2026-12-01T09:59:58.000Z' });
    reportFor(30 * 60_000, 'live');
    report('waiting');
    expect(fields().liveSeconds).toBe(5_400);
    advance(23 * HOUR);
    // The first hour is over a day ago; the half hour live at 11:00 is not.
    expect(fields()).toMatchObject({ liveSeconds: 1_800, lastLiveAt: '2026-12-01T11:29:58.000Z' });
  });

  it('counts the live time since the last report while it may be trusted, and not a silence after it', () => {
    const { report, fields, advance } = clocked();
    report('live');
    advance(4_000);
    expect(fields().liveSeconds).toBe(4);
    advance(HOUR);
    // The page said live, then nothing for an hour: ten seconds of it, not the hour.
    expect(fields().liveSeconds).toBe(10);
    report('live');
    expect(fields().liveSeconds).toBe(10);
  });

  it('keeps the partner as the page last saw it', () => {
    const { report, fields } = clocked();
    report('live', { partner: { site: 'oslo', state: 'live' } });
    expect(fields().partner).toEqual({ site: 'oslo', state: 'live' });
    // A page that says nothing of its partner (an older one) leaves it as it was.
    report('live');
    expect(fields().partner).toEqual({ site: 'oslo', state: 'live' });
    report('waiting', { partner: null });
    expect(fields().partner).toBeNull();
  });

  it("keeps a running total of the page's session repairs across its reloads", () => {
    const { report, fields } = clocked();
    for (const n of [0, 1, 1, 3]) report('live', { sessionRepairs: n });
    expect(fields().repairs.session).toBe(3);
    // Reloaded: the page counts from 0 again.
    for (const n of [0, 0, 2]) report('live', { sessionRepairs: n });
    expect(fields().repairs.session).toBe(5);
    // Reloaded again, straight into a repair.
    report('live', { sessionRepairs: 1 });
    expect(fields().repairs.session).toBe(6);
  });

  it("takes reloads, restarts and quiet reloads from the display's watchdog", () => {
    let now = 0;
    const watchdog = new DisplayWatchdog(() => now);
    const health = new KioskHealth(() => now);
    watchdog.displayStarted();
    watchdog.displayStarted();
    watchdog.reloaded({ type: 'reload', reason: 'no heartbeat', quiet: false });
    watchdog.reloaded({ type: 'reload', reason: 'quiet hour', quiet: true });
    watchdog.reloaded({ type: 'reload', reason: 'quiet hour', quiet: true });
    now += 1_000;
    expect(health.fields(watchdog.status)).toMatchObject({
      repairs: { session: 0, reload: 1, restart: 1 },
      restarts: 1,
      quietReloads: 2,
    });
  });
});

describe("a closed kiosk's health", () => {
  it('says when a site closed by its hours opens, and forgets it once the page is anything else', () => {
    const { report, fields } = clocked();
    const opens = Date.UTC(2026, 11, 2, 8);
    report('closed', { closedUntil: opens });
    expect(fields()).toMatchObject({ state: 'closed', opensAt: '2026-12-02T08:00:00.000Z' });
    report('negotiating', { closedUntil: null });
    expect(fields().opensAt).toBeNull();
  });
});
