// A site's opening hours: a weekly schedule such as `mon-fri 08:00-20:00; sat,sun 10:00-16:00`,
// read in an IANA time zone. Outside its hours a site is closed (docs/surface.md). Pure: the
// clock comes in as a number, the zone's rules from the JavaScript engine's Intl.
//
//   hours := `24/7` | rule (`;` rule)*
//   rule  := [days] range (`,` range)*        no days: every day
//   days  := day[-day] (`,` day[-day])*       mon tue wed thu fri sat sun; `fri-mon` wraps
//   range := HH:MM-HH:MM                       00:00 to 24:00; an end at or before its start
//                                              runs past midnight into the next day

export const ALWAYS_OPEN = '24/7';
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_TITLES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;

/** Minutes of the week (Monday 00:00 is 0), as [start, end) spans, sorted and merged. */
export interface OpeningHours {
  readonly text: string;
  readonly spans: readonly (readonly [number, number])[];
}

export type HoursParse =
  { readonly ok: true; readonly hours: OpeningHours } | { readonly ok: false; readonly error: string };

/** Reads a schedule; the error says which part is wrong and what is expected, as a sentence's end. */
export function parseOpeningHours(raw: string): HoursParse {
  const text = raw.trim().replace(/\s+/g, ' ').toLowerCase();
  if (text === ALWAYS_OPEN) return { ok: true, hours: { text, spans: [[0, WEEK_MINUTES]] } };
  if (text === '') return fail(`must be ${ALWAYS_OPEN} or a weekly schedule such as mon-fri 08:00-20:00`);
  if (text.length > 500) return fail('must be at most 500 characters');
  const spans: [number, number][] = [];
  const rules = text.split(';').map((rule) => rule.trim());
  for (const [index, rule] of rules.entries()) {
    if (rule === '' && index === rules.length - 1 && index > 0) continue; // a trailing `;`
    const where = `rule ${index + 1} ('${rule}')`;
    const match = /^(?:([a-z,\- ]+?) )?([0-9:,\- ]+)$/.exec(rule);
    if (match === null)
      return fail(`${where} must be days and times such as mon-fri 08:00-20:00 (days: ${DAYS.join(' ')})`);
    const days = match[1] === undefined ? [0, 1, 2, 3, 4, 5, 6] : parseDays(match[1].replace(/ /g, ''));
    if (typeof days === 'string') return fail(`${where}: ${days}`);
    for (const range of match[2]!.replace(/ /g, '').split(',')) {
      const times = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(range);
      if (times === null) return fail(`${where}: '${range}' must be a time range such as 08:00-20:00`);
      const [start, end] = [minuteOfDay(times[1]!, times[2]!), minuteOfDay(times[3]!, times[4]!)];
      if (start === null || end === null || start === DAY_MINUTES)
        return fail(`${where}: '${range}' must use times from 00:00 to 24:00`);
      const length = end > start ? end - start : end + DAY_MINUTES - start;
      for (const day of days) {
        const from = day * DAY_MINUTES + start;
        if (from + length <= WEEK_MINUTES) spans.push([from, from + length]);
        else spans.push([from, WEEK_MINUTES], [0, from + length - WEEK_MINUTES]); // past Sunday night
      }
    }
  }
  return { ok: true, hours: { text: text.replace(/ ?;$/, ''), spans: merge(spans) } };
}

function fail(error: string): HoursParse {
  return { ok: false, error };
}

function parseDays(raw: string): number[] | string {
  const days = new Set<number>();
  for (const part of raw.split(',')) {
    const [first, last, ...extra] = part.split('-');
    const from = DAYS.indexOf(first as (typeof DAYS)[number]);
    const to = last === undefined ? from : DAYS.indexOf(last as (typeof DAYS)[number]);
    if (from < 0 || to < 0 || extra.length > 0)
      return `'${part}' must be a day or days such as mon, sat,sun or mon-fri`;
    for (let day = from; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === to) break;
    }
  }
  return [...days].sort();
}

function minuteOfDay(hours: string, minutes: string): number | null {
  const [h, m] = [Number(hours), Number(minutes)];
  if (m > 59 || h > 24 || (h === 24 && m > 0)) return null;
  return h * 60 + m;
}

function merge(spans: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const span of spans.sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last !== undefined && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

/** Whether `name` is a time zone this engine knows (an IANA name such as Europe/Dublin). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The zone the hours are read in: the one set, else this machine's. */
export function zoneOf(timezone: string | null): string {
  return timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A moment as a wall clock in a zone: day of the week (Monday 0) and minute of the day. */
export interface WallTime {
  readonly day: number;
  readonly minute: number;
}

/** Where the schedule stands at a moment, and its next change. */
export interface HoursState {
  readonly open: boolean;
  /** When it next closes (while open) or opens (while closed), ms since 1970; null: never. */
  readonly changesAt: number | null;
  /** The same moment on the site's wall clock, for people: "opens Mon 08:00". */
  readonly changesAtWall: WallTime | null;
}

export function hoursAt(hours: OpeningHours, timeZone: string, nowMs: number): HoursState {
  const wall = wallClock(nowMs, timeZone);
  const minute = wall.day * DAY_MINUTES + wall.minute;
  const open = hours.spans.some(([start, end]) => start <= minute && minute < end);
  // The boundaries where the state flips; a span that ends at Sunday midnight and one that
  // starts at Monday 00:00 are one opening.
  const edges = hours.spans
    .flatMap(([start, end]) => [start % WEEK_MINUTES, end % WEEK_MINUTES])
    .filter((edge) => isOpenAt(hours, edge) !== isOpenAt(hours, (edge + WEEK_MINUTES - 1) % WEEK_MINUTES));
  if (edges.length === 0) return { open, changesAt: null, changesAtWall: null };
  // Minutes to the next edge, 1 to a week: an edge at this very minute is a week away.
  const ahead = Math.min(...edges.map((edge) => ((edge - minute + WEEK_MINUTES - 1) % WEEK_MINUTES) + 1));
  const target = (minute + ahead) % WEEK_MINUTES;
  // The wall clock `ahead` minutes on (at the minute's start), back to a moment in this zone.
  const wallTarget = Math.floor(localMs(nowMs, timeZone) / 60_000) * 60_000 + ahead * 60_000;
  return {
    open,
    changesAt: momentOfWall(wallTarget, timeZone, nowMs),
    changesAtWall: { day: Math.floor(target / DAY_MINUTES), minute: target % DAY_MINUTES },
  };
}

function isOpenAt(hours: OpeningHours, minute: number): boolean {
  return hours.spans.some(([start, end]) => start <= minute && minute < end);
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let known = formats.get(timeZone);
  if (known === undefined) {
    known = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, known);
  }
  return known;
}

function partsOf(ms: number, timeZone: string): Record<string, string> {
  return Object.fromEntries(
    format(timeZone)
      .formatToParts(ms)
      .map((part) => [part.type, part.value]),
  );
}

export function wallClock(ms: number, timeZone: string): WallTime {
  const parts = partsOf(ms, timeZone);
  return {
    day: DAY_TITLES.indexOf(parts['weekday'] as (typeof DAY_TITLES)[number]),
    minute: Number(parts['hour']) * 60 + Number(parts['minute']),
  };
}

/** The zone's wall clock at `ms`, written as if it were UTC (so offsets are differences). */
function localMs(ms: number, timeZone: string): number {
  const p = partsOf(ms, timeZone);
  const whole = Date.UTC(
    Number(p['year']),
    Number(p['month']) - 1,
    Number(p['day']),
    Number(p['hour']),
    Number(p['minute']),
    Number(p['second']),
  );
  return whole + (ms - Math.floor(ms / 1000) * 1000);
}

/**
 * The first moment after `after` that a wall clock reading happens in a zone, trying the offsets
 * half a day either side (summer time changes once in between at most). An hour that happens
 * twice (autumn) gives its next time; one that never happens (the hour skipped in spring) gives a
 * moment after the jump. Callers look again at least every minute, so that moment only has to
 * be close.
 */
function momentOfWall(wall: number, timeZone: string, after: number): number {
  const candidates = [wall - 43_200_000, wall + 43_200_000]
    .map((probe) => wall - (localMs(probe, timeZone) - probe))
    .filter((moment) => moment > after);
  const exact = candidates.filter((moment) => localMs(moment, timeZone) === wall);
  if (exact.length > 0) return Math.min(...exact);
  const later = candidates.filter((moment) => localMs(moment, timeZone) > wall);
  return later.length > 0 ? Math.min(...later) : after + 60_000;
}

/** "Mon 08:00". */
export function wallText(wall: WallTime): string {
  return `${DAY_TITLES[wall.day]} ${timeText(wall.minute)}`;
}

/** "08:00". */
export function timeText(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
