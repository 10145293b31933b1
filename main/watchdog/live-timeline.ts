// How long a page was live over the last day, in fixed memory: one slot per minute of the day
// (and one more, for the minute the day began in), each holding the live milliseconds of the
// minute it was last written for. A kiosk runs for months and a flapping link may go live and
// back hundreds of times an hour; a list of intervals would grow with that, 1,441 numbers never
// do. The price: the oldest minute's share is estimated, as if it was live evenly.

const MINUTE_MS = 60_000;
export const DAY_MINUTES = 24 * 60;
const SLOTS = DAY_MINUTES + 1;

export class LiveTimeline {
  /** The minute (since 1970) each slot holds, or -1 for none yet. */
  private readonly minuteOf = new Array<number>(SLOTS).fill(-1);
  private readonly liveMs = new Array<number>(SLOTS).fill(0);

  /** The page was live from `fromMs` to `toMs`. */
  add(fromMs: number, toMs: number): void {
    let at = fromMs;
    while (at < toMs) {
      const minute = Math.floor(at / MINUTE_MS);
      const end = Math.min(toMs, (minute + 1) * MINUTE_MS);
      const slot = minute % SLOTS;
      if (this.minuteOf[slot] !== minute) {
        this.minuteOf[slot] = minute;
        this.liveMs[slot] = 0;
      }
      this.liveMs[slot]! += end - at;
      at = end;
    }
  }

  /** Live milliseconds in the 24 h up to `nowMs`. */
  liveMsUpTo(nowMs: number): number {
    const now = Math.floor(nowMs / MINUTE_MS);
    const oldest = now - DAY_MINUTES;
    // The part of the oldest minute that is still within the day.
    const oldestShare = 1 - (nowMs - now * MINUTE_MS) / MINUTE_MS;
    let total = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      const minute = this.minuteOf[slot]!;
      if (minute > oldest && minute <= now) total += this.liveMs[slot]!;
      else if (minute === oldest) total += this.liveMs[slot]! * oldestShare;
    }
    return Math.round(total);
  }
}
