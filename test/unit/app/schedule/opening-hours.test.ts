import { describe, expect, it } from 'vitest';
import { hoursAt, parseOpeningHours, wallText, type OpeningHours } from '../../../../app/schedule/opening-hours.js';

function parsed(text: string): OpeningHours {
  const result = parseOpeningHours(text);
  if (!result.ok) throw new Error(result.error);
  return result.hours;
}

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('parseOpeningHours', () => {
  it('reads days, day ranges, lists and several ranges a day, case and spaces aside', () => {
    const hours = parsed('Mon-Fri  08:00-12:00,13:00-20:00; sat,sun 10:00-16:00;');
    expect(hours.text).toBe('mon-fri 08:00-12:00,13:00-20:00; sat,sun 10:00-16:00');
    expect(hours.spans.slice(0, 2)).toEqual([
      [8 * 60, 12 * 60],
      [13 * 60, 20 * 60],
    ]);
    expect(hours.spans).toHaveLength(12);
  });

  it('reads 24/7 as always open, and a rule without days as every day', () => {
    expect(parsed('24/7').spans).toEqual([[0, 7 * 1440]]);
    expect(parsed('09:00-17:00').spans).toHaveLength(7);
  });

  it('runs a range that ends at or before its start past midnight, and fri-mon across the week', () => {
    expect(parsed('sun 22:00-02:00').spans).toEqual([
      [0, 120],
      [6 * 1440 + 22 * 60, 7 * 1440],
    ]);
    expect(parsed('fri-mon 10:00-11:00').spans.map(([start]) => Math.floor(start / 1440))).toEqual([0, 4, 5, 6]);
    expect(parsed('mon 00:00-24:00').spans).toEqual([[0, 1440]]);
  });

  it.each([
    ['', /must be 24\/7 or a weekly schedule/],
    ['mon-fri', /rule 1 \('mon-fri'\) must be days and times/],
    ['moo 08:00-09:00', /'moo' must be a day or days such as mon, sat,sun or mon-fri/],
    ['mon 08:00', /'08:00' must be a time range such as 08:00-20:00/],
    ['mon 25:00-26:00', /must use times from 00:00 to 24:00/],
    ['mon 08:60-09:00', /must use times from 00:00 to 24:00/],
    ['mon 24:00-01:00', /must use times from 00:00 to 24:00/],
    ['mon 08:00-09:00;; tue 08:00-09:00', /rule 2 \(''\)/],
    ['x'.repeat(501), /at most 500 characters/],
  ])('refuses %j, saying what is wrong', (text, message) => {
    const result = parseOpeningHours(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe('hoursAt', () => {
  const week = parsed('mon-fri 08:00-20:00; sat,sun 10:00-16:00');

  it('is open inside the hours until they end, closed outside until they open', () => {
    // Tuesday 1 December 2026; Dublin is on UTC in winter.
    expect(hoursAt(week, 'Europe/Dublin', at('2026-12-01T12:00:00Z'))).toEqual({
      open: true,
      changesAt: at('2026-12-01T20:00:00Z'),
      changesAtWall: { day: 1, minute: 20 * 60 },
    });
    const night = hoursAt(week, 'Europe/Dublin', at('2026-12-04T21:30:00Z'));
    expect([night.open, iso(night.changesAt), wallText(night.changesAtWall!)]).toEqual([
      false,
      '2026-12-05T10:00:00.000Z',
      'Sat 10:00',
    ]);
  });

  it('changes at the minute the hours say, not a minute late', () => {
    expect(hoursAt(week, 'UTC', at('2026-12-01T07:59:59.999Z')).open).toBe(false);
    expect(hoursAt(week, 'UTC', at('2026-12-01T08:00:00Z')).open).toBe(true);
    expect(hoursAt(week, 'UTC', at('2026-12-01T19:59:59Z')).open).toBe(true);
    expect(hoursAt(week, 'UTC', at('2026-12-01T20:00:00Z')).open).toBe(false);
  });

  it('reads the hours in the zone given', () => {
    const newYork = hoursAt(week, 'America/New_York', at('2026-12-01T12:00:00Z'));
    expect([newYork.open, iso(newYork.changesAt)]).toEqual([false, '2026-12-01T13:00:00.000Z']);
  });

  it('keeps the wall clock across summer time', () => {
    // Dublin goes to UTC+1 at 01:00 UTC on Sunday 29 March 2026: it opens at 10:00 local, 09:00 UTC.
    const spring = hoursAt(week, 'Europe/Dublin', at('2026-03-29T00:30:00Z'));
    expect(iso(spring.changesAt)).toBe('2026-03-29T09:00:00.000Z');
    // And back on 25 October: Monday opens at 08:00 UTC again.
    const autumn = hoursAt(week, 'Europe/Dublin', at('2026-10-25T17:00:00Z'));
    expect(iso(autumn.changesAt)).toBe('2026-10-26T08:00:00.000Z');
  });

  it('gives the next time of an hour that happens twice, and a time after the hour that never happens', () => {
    // London goes back from 02:00 BST to 01:00 GMT at 01:00 UTC on Sunday 25 October 2026.
    const twice = parsed('sun 00:00-01:30');
    // 01:10 GMT, the second 01:10 of the night: open until 01:30 GMT, not the 01:30 BST already past.
    const second = hoursAt(twice, 'Europe/London', at('2026-10-25T01:10:00Z'));
    expect([second.open, iso(second.changesAt)]).toEqual([true, '2026-10-25T01:30:00.000Z']);
    const first = hoursAt(twice, 'Europe/London', at('2026-10-25T00:10:00Z'));
    expect([first.open, iso(first.changesAt)]).toEqual([true, '2026-10-25T00:30:00.000Z']);
    // Spring: 01:00 GMT jumps to 02:00 BST on 29 March 2026; an opening at 01:30 comes with the jump.
    const skipped = hoursAt(parsed('sun 01:30-03:00'), 'Europe/London', at('2026-03-29T00:30:00Z'));
    expect(skipped.open).toBe(false);
    expect(skipped.changesAt).toBeGreaterThan(at('2026-03-29T00:30:00Z'));
    expect(skipped.changesAt).toBeLessThanOrEqual(at('2026-03-29T01:30:00Z'));
  });

  it('never changes when always open, and joins Sunday night to Monday morning', () => {
    expect(hoursAt(parsed('24/7'), 'UTC', Date.now())).toEqual({ open: true, changesAt: null, changesAtWall: null });
    const overnight = hoursAt(parsed('sun 22:00-24:00; mon 00:00-02:00'), 'UTC', at('2026-12-06T23:00:00Z'));
    expect([overnight.open, iso(overnight.changesAt)]).toEqual([true, '2026-12-07T02:00:00.000Z']);
  });
});
