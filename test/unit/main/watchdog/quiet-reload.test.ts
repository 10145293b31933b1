import { describe, expect, it } from 'vitest';
import { QuietReload, type QuietReloadOptions } from '../../../../main/watchdog/quiet-reload.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const options: QuietReloadOptions = { closedForMs: 10 * MIN, beforeOpeningMs: 15 * MIN, gapMs: 20 * HOUR };

/** A site that closes at 18:00 and opens at 08:00, on a clock that starts at 18:00 of day 0. */
function closedNights() {
  let now = Date.UTC(2026, 11, 1, 18);
  const policy = new QuietReload(() => now, options);
  const opening = (day: number) => Date.UTC(2026, 11, 2 + day, 8);
  return {
    policy,
    at: (ms: number) => (now = ms),
    advance: (ms: number) => (now += ms),
    now: () => now,
    opening,
    /** Reports every minute from now to `untilMs`, as `closedUntil` says, and the reloads decided. */
    reportUntil(untilMs: number, closedUntil: (at: number) => number | null, state: 'closed' | 'live' = 'closed') {
      const decided: number[] = [];
      while (now < untilMs) {
        policy.observe(state, closedUntil(now));
        if (policy.due() !== null) {
          decided.push(now);
          policy.decided();
        }
        now += MIN;
      }
      return decided;
    },
  };
}

describe('the quiet reload', () => {
  it('reloads a closed page once a night, ten minutes into its closing', () => {
    const clock = closedNights();
    const nights: number[] = [];
    for (let day = 0; day < 5; day++) {
      nights.push(...clock.reportUntil(clock.opening(day), () => clock.opening(day)));
      // Open all day: nothing to do.
      expect(clock.reportUntil(clock.opening(day) + 10 * HOUR, () => null)).toEqual([]);
    }
    expect(nights).toEqual([0, 1, 2, 3, 4].map((day) => Date.UTC(2026, 11, 1 + day, 18, 10)));
  });

  it('says why, with how long it has been closed and how long until it opens', () => {
    const clock = closedNights();
    clock.policy.observe('closed', clock.opening(0));
    clock.advance(10 * MIN);
    expect(clock.policy.due()).toBe('quiet hour: closed for 10 min, opens in 830 min');
  });

  it('never reloads a page that is live, whatever it says of its hours', () => {
    const clock = closedNights();
    expect(clock.reportUntil(clock.opening(0), () => clock.opening(0), 'live')).toEqual([]);
  });

  it('waits out a closing that flickers: the ten minutes start again after each opening', () => {
    const clock = closedNights();
    const decided = clock.reportUntil(clock.now() + 2 * HOUR, (at) =>
      Math.floor(at / MIN) % 8 === 0 ? null : clock.opening(0),
    );
    expect(decided).toEqual([]);
  });

  it('leaves the last quarter of an hour before opening alone', () => {
    const clock = closedNights();
    // Closed only 20 minutes: ten minutes in, it opens in ten.
    const opensSoon = clock.now() + 20 * MIN;
    expect(clock.reportUntil(opensSoon, () => opensSoon)).toEqual([]);
    // A host started at 07:40 into a closed night: in the last quarter of an hour by 07:50.
    const late = closedNights();
    late.at(Date.UTC(2026, 11, 2, 7, 40));
    expect(late.reportUntil(late.opening(0), () => late.opening(0))).toEqual([]);
    // The same at 07:30 still gets its reload at 07:40.
    const earlier = closedNights();
    earlier.at(Date.UTC(2026, 11, 2, 7, 30));
    expect(earlier.reportUntil(earlier.opening(0), () => earlier.opening(0))).toEqual([Date.UTC(2026, 11, 2, 7, 40)]);
  });

  it('is at most one a day however often the site closes', () => {
    const clock = closedNights();
    const decided: number[] = [];
    // Closed for an hour, open for an hour, around the clock, for two days.
    for (let hour = 0; hour < 48; hour += 2) {
      const opensAt = clock.now() + HOUR;
      decided.push(...clock.reportUntil(opensAt, () => opensAt));
      decided.push(...clock.reportUntil(opensAt + HOUR, () => null));
    }
    expect(decided.length).toBe(3);
    for (let i = 1; i < decided.length; i++) expect(decided[i]! - decided[i - 1]!).toBeGreaterThanOrEqual(20 * HOUR);
  });
});
