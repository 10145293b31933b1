// The fast-forward soak: two sites with their own opening hours, in their own time zones, through
// a simulated year of hours, network cuts, signaling outages, frozen pictures and partner reboots,
// on the link machine's fake clock. After every opening, closing and fault, both sites must settle
// where the hours say: `live` when both are open, `closed` when either is not. A state that never
// ends fails the run.

import { describe, expect, it } from 'vitest';
import { hoursAt, parseOpeningHours, type OpeningHours } from '../../../../app/schedule/opening-hours.js';
import { LinkSim, type SimSite } from '../../../support/link-sim.js';

interface SiteHours {
  readonly name: string;
  readonly hours: OpeningHours;
  readonly timezone: string;
  site: SimSite;
  open: boolean;
  reboots: number;
}

function hours(text: string): OpeningHours {
  const parsed = parseOpeningHours(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.hours;
}

/** A small deterministic random source (mulberry32), so a failing year can be run again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FAULTS = ['cut', 'signaling', 'frozen', 'reboot'] as const;
type Fault = (typeof FAULTS)[number];

describe('a simulated year of opening hours, cuts and reboots', () => {
  it('always settles live inside both sites’ hours and closed outside them', () => {
    const rand = random(20_261_201);
    const sim = new LinkSim();
    const start = Date.parse('2026-01-01T00:00:00Z');
    const end = Date.parse('2027-01-01T00:00:00Z');
    sim.now = start;
    const sites: SiteHours[] = [
      {
        name: 'dublin',
        hours: hours('mon-fri 08:00-20:00; sat,sun 10:00-16:00'),
        timezone: 'Europe/Dublin',
        open: true,
        reboots: 0,
      } as SiteHours,
      {
        name: 'oslo',
        hours: hours('mon-sat 07:00-12:00,13:00-22:30; sun 22:00-02:00'),
        timezone: 'Europe/Oslo',
        open: true,
        reboots: 0,
      } as SiteHours,
    ];
    const stats = { openings: 0, closings: 0, faults: {} as Record<Fault, number>, slowestSettleMs: 0, liveHours: 0 };

    /** The hours as they stand now, told to each site that changed (or to every site, `all`). */
    const tellHours = (all = false): void => {
      for (const entry of sites) {
        const now = hoursAt(entry.hours, entry.timezone, sim.now);
        if (!all && now.open === entry.open) continue;
        if (now.open !== entry.open) stats[now.open ? 'openings' : 'closings'] += 1;
        entry.open = now.open;
        entry.site.dispatch({
          type: 'hours',
          closed: now.open ? null : { opensAt: now.changesAt, timezone: entry.timezone },
        });
      }
    };
    const retired: SimSite[] = [];
    const boot = (entry: SiteHours): void => {
      if (entry.site !== undefined) retired.push(entry.site);
      entry.site = sim.addSite(entry.name, `${entry.name}-boot${entry.reboots}`);
      // A page reads its hours before it joins: a site that boots closed never opens a session.
      const now = hoursAt(entry.hours, entry.timezone, sim.now);
      entry.open = now.open;
      if (!now.open)
        entry.site.dispatch({ type: 'hours', closed: { opensAt: now.changesAt, timezone: entry.timezone } });
      entry.site.start();
    };
    for (const entry of sites) boot(entry);

    const expected = () => (sites.every((entry) => entry.open) ? 'live' : 'closed');
    const settled = () => sites.every((entry) => entry.site.portalState === expected());
    /** Both where the hours say within `limitMs`: 10 s after an opening, as the issue asks. */
    const settle = (what: string, limitMs = 90_000): void => {
      let took: number;
      try {
        took = sim.until(settled, limitMs);
      } catch (error) {
        throw new Error(`${new Date(sim.now).toISOString()} after ${what}: ${(error as Error).message}`);
      }
      stats.slowestSettleMs = Math.max(stats.slowestSettleMs, took);
    };
    /** Moves time on to `until`, cheaply while nothing happens. */
    const idleUntil = (until: number): void => {
      while (sim.now < until) {
        if (expected() === 'live') {
          const step = until - sim.now;
          stats.liveHours += step / 3_600_000;
          sim.skipSteady(step);
          sim.advance(0);
        } else sim.advance(until - sim.now);
      }
    };
    const nextHoursChange = (): number =>
      Math.min(...sites.map((entry) => hoursAt(entry.hours, entry.timezone, sim.now).changesAt ?? Infinity));

    settle('the first start');
    let nextFault = sim.now + rand() * 8 * 3_600_000;
    while (sim.now < end) {
      const change = nextHoursChange();
      if (change <= nextFault) {
        idleUntil(change);
        tellHours();
        settle('an opening or closing', 10_000);
        continue;
      }
      idleUntil(nextFault);
      const fault = FAULTS[Math.floor(rand() * FAULTS.length)]!;
      stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
      const lasts = Math.round(1_000 + rand() * (fault === 'reboot' ? 60_000 : 120_000));
      const victim = sites[Math.floor(rand() * sites.length)]!;
      // The fault lasts its time whatever the hours do meanwhile; hours changing inside it are
      // told as they happen.
      const faultEnd = sim.now + lasts;
      const during = (): void => {
        for (let at = nextHoursChange(); at < faultEnd; at = nextHoursChange()) {
          sim.advance(at - sim.now);
          tellHours();
        }
        sim.advance(faultEnd - sim.now);
      };
      switch (fault) {
        case 'cut':
          sim.mediaPath = false;
          during();
          sim.mediaPath = true;
          break;
        case 'signaling':
          sim.serverUp = false;
          sim.dropSignaling();
          during();
          sim.serverUp = true;
          break;
        case 'frozen':
          sim.frames = false;
          during();
          sim.frames = true;
          break;
        case 'reboot':
          sim.kill(victim.site);
          victim.reboots += 1;
          during();
          boot(victim);
          break;
      }
      settle(`a ${Math.round(lasts / 1000)} s ${fault} at ${victim.name}`);
      nextFault = sim.now + rand() * 8 * 3_600_000;
    }
    // A year later, still where the hours say, and nothing left that never ends.
    tellHours(true);
    settle('the last day');
    const faultCount = Object.values(stats.faults).reduce((a, b) => a + b, 0);
    // No two sites talking to each other in a loop: a handful of signals per event at most.
    const signals = [...sites.map((entry) => entry.site), ...retired].reduce(
      (sum, site) => sum + site.effects.filter((effect) => effect.type === 'send-signal').length,
      0,
    );
    const perEvent = signals / (stats.openings + stats.closings + faultCount);
    console.info(
      `a year: ${stats.openings} openings, ${stats.closings} closings, ${faultCount} faults ${JSON.stringify(stats.faults)}, ${Math.round(stats.liveHours)} h live, slowest settle ${(stats.slowestSettleMs / 1000).toFixed(1)} s, ${perEvent.toFixed(1)} signals an event`,
    );
    expect(perEvent).toBeLessThan(40);
    expect(stats.openings).toBeGreaterThan(500);
    expect(faultCount).toBeGreaterThan(500);
    for (const fault of FAULTS) expect(stats.faults[fault]).toBeGreaterThan(100);
  }, 120_000);
});
