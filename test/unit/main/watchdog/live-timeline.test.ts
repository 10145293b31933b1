import { describe, expect, it } from 'vitest';
import { DAY_MINUTES, LiveTimeline } from '../../../../main/watchdog/live-timeline.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const start = Date.UTC(2026, 11, 1, 0, 0, 0);

describe('the live timeline', () => {
  it('adds up live time across minutes, to the millisecond', () => {
    const timeline = new LiveTimeline();
    timeline.add(start + 30_000, start + 2 * MIN + 500);
    timeline.add(start + 5 * MIN, start + 5 * MIN + 1_234);
    expect(timeline.liveMsUpTo(start + 10 * MIN)).toBe(90_500 + 1_234);
  });

  it('forgets what is older than a day, to the minute', () => {
    const timeline = new LiveTimeline();
    timeline.add(start, start + 2 * HOUR);
    expect(timeline.liveMsUpTo(start + 24 * HOUR - 1)).toBe(2 * HOUR);
    expect(timeline.liveMsUpTo(start + 25 * HOUR)).toBe(HOUR);
    expect(timeline.liveMsUpTo(start + 26 * HOUR)).toBe(0);
  });

  it('holds a day of live at most, however long it runs', () => {
    const timeline = new LiveTimeline();
    for (let day = 0; day < 90; day++) timeline.add(start + day * 24 * HOUR, start + (day + 1) * 24 * HOUR);
    expect(timeline.liveMsUpTo(start + 90 * 24 * HOUR)).toBe(DAY_MINUTES * MIN);
    expect(timeline.liveMsUpTo(start + 90 * 24 * HOUR + 30_000)).toBe(DAY_MINUTES * MIN - 30_000);
  });

  it('counts the part of the oldest minute still within the day', () => {
    const timeline = new LiveTimeline();
    timeline.add(start, start + MIN);
    expect(timeline.liveMsUpTo(start + 24 * HOUR + 15_000)).toBe(45_000);
  });

  it('counts nothing from the future, nor from a minute whose slot a later one took', () => {
    const timeline = new LiveTimeline();
    timeline.add(start, start + MIN);
    expect(timeline.liveMsUpTo(start - HOUR)).toBe(0);
    // A day and a minute later the same slot starts afresh.
    timeline.add(start + (DAY_MINUTES + 1) * MIN, start + (DAY_MINUTES + 1) * MIN + 10_000);
    expect(timeline.liveMsUpTo(start + (DAY_MINUTES + 1) * MIN + 30_000)).toBe(10_000);
  });
});
