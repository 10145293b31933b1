import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseLinkSettings } from '../../../../app/config/link-settings.js';
import { OpeningClock, type OpeningTime } from '../../../../renderer/schedule/opening-clock.js';

function settings(hours: string) {
  const parsed = parseLinkSettings({ room: 'r', site: 's', hours, timezone: 'UTC' });
  if (!parsed.ok) throw new Error(parsed.errors[0]!.message);
  return parsed.settings;
}

describe('the opening clock', () => {
  let now = Date.parse('2026-12-01T07:59:30Z');
  beforeEach(() => {
    vi.useFakeTimers();
    now = Date.parse('2026-12-01T07:59:30Z');
  });
  afterEach(() => vi.useRealTimers());

  const advance = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  it('says where the hours stand at once, then each opening and closing at its minute', () => {
    const seen: OpeningTime[] = [];
    const clock = new OpeningClock(
      settings('mon-fri 08:00-08:02'),
      (time) => seen.push(time),
      () => now,
    );
    clock.start();
    expect(seen.map((t) => t.open)).toEqual([false]);
    expect(seen[0]!.changesAt).toBe(Date.parse('2026-12-01T08:00:00Z'));
    advance(29_900);
    expect(seen).toHaveLength(1);
    advance(200);
    expect(seen.map((t) => t.open)).toEqual([false, true]);
    advance(120_000);
    expect(seen.map((t) => t.open)).toEqual([false, true, false]);
    clock.dispose();
    advance(7 * 86_400_000);
    expect(seen).toHaveLength(3);
  });

  it('notices within 20 s a clock that was set forward, and new hours at once', () => {
    const seen: boolean[] = [];
    const clock = new OpeningClock(
      settings('mon-fri 08:00-20:00'),
      (time) => seen.push(time.open),
      () => now,
    );
    clock.start();
    // The machine's clock jumps ahead to the middle of the next day (it slept, or was set):
    // the timer set for 08:00 today has not fired, and does not need to.
    now = Date.parse('2026-12-02T12:00:00Z');
    advance(20_000);
    expect(seen).toEqual([false, true]);
    clock.update(settings('sat 10:00-11:00'));
    expect(seen).toEqual([false, true, false]);
    clock.dispose();
  });
});
