// What a closed portal says, in words for a person across the room: when it opens, in the time of
// the site that is closed and, for its partner elsewhere, in local time too.

import type { ClosedNote } from '../link/link-envelope.js';
import { timeText, wallClock, wallText } from './opening-hours.js';

const DAY_MS = 86_400_000;

/** "at 08:00" today, "tomorrow at 08:00", else "Mon 08:00" (a week at most away). */
function when(opensAt: number, timeZone: string, now: number): string {
  const then = wallClock(opensAt, timeZone);
  const today = wallClock(now, timeZone);
  if (opensAt - now < DAY_MS && then.day === today.day) return `at ${timeText(then.minute)}`;
  if (opensAt - now < 2 * DAY_MS && then.day === (today.day + 1) % 7) return `tomorrow at ${timeText(then.minute)}`;
  return wallText(then);
}

/** A site name at the head of a sentence. */
function named(site: string): string {
  return site.charAt(0).toUpperCase() + site.slice(1);
}

/** This site is closed: "Closed · opens Mon 08:00". */
export function ownClosedText(note: ClosedNote, now: number): string {
  return note.opensAt === null ? 'Closed' : `Closed · opens ${when(note.opensAt, note.timezone, now)}`;
}

/**
 * The partner is closed: "Dublin is closed · opens at 08:00 Dublin time (03:00 here)"; the local
 * time is left out where both sites keep the same time.
 */
export function partnerClosedText(partner: string, note: ClosedNote, localZone: string, now: number): string {
  const closed = `${named(partner)} is closed`;
  if (note.opensAt === null) return closed;
  const there = when(note.opensAt, note.timezone, now);
  const here = when(note.opensAt, localZone, now);
  if (there === here && sameClock(note.opensAt, note.timezone, localZone)) return `${closed} · opens ${there}`;
  return `${closed} · opens ${there} ${named(partner)} time (${here.replace(/^at /, '')} here)`;
}

function sameClock(at: number, a: string, b: string): boolean {
  const [x, y] = [wallClock(at, a), wallClock(at, b)];
  return x.day === y.day && x.minute === y.minute;
}
