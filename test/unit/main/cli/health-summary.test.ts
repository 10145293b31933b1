import { describe, expect, it } from 'vitest';
import type { Healthz, KioskEntry } from '../../../../app/health/healthz.js';
import { duration, summarize } from '../../../../main/cli/health-summary.js';

const NOW = Date.UTC(2026, 12 - 1, 1, 12);
const URL = 'http://dublin.local:8787/healthz';

const kiosk = (over: Partial<KioskEntry> = {}): KioskEntry => ({
  site: 'dublin',
  shell: 'chromium',
  state: 'live',
  partner: { site: 'oslo', state: 'live' },
  lastLiveAt: new Date(NOW - 1_000).toISOString(),
  liveSeconds: 82_080,
  repairs: { session: 3, reload: 1, restart: 0 },
  restarts: 0,
  quietReloads: 1,
  heartbeatAgeSeconds: 1,
  ...over,
});
const healthz = (kiosks?: KioskEntry[]): Healthz => ({
  status: 'ok',
  uptimeSeconds: 11_520,
  rooms: 1,
  sites: 2,
  connections: 2,
  ...(kiosks ? { kiosks } : {}),
});

describe("portal status's summary", () => {
  it('shows a live kiosk on one screen and calls it well', () => {
    const { text, ok } = summarize(healthz([kiosk()]), URL, NOW);
    expect(ok).toBe(true);
    expect(text).toBe(
      [
        'Portal at http://dublin.local:8787/healthz: up 3 h 12 min; 1 room, 2 sites, 2 connections',
        '',
        'dublin (chromium): live',
        '  partner        oslo, live',
        '  last live      now',
        '  live           22 h 48 min of the last 24 h (95 %)',
        '  repairs        3 new sessions, 1 reload, 0 restarts',
        '  quiet reloads  1',
        '  heartbeat      1 s ago',
        '',
        'OK: the kiosk is live or closed by its hours.',
      ].join('\n'),
    );
    expect(text.split('\n').length).toBeLessThan(25);
  });

  it('calls a kiosk closed by its hours well, and says when it was last live', () => {
    const lastLiveAt = new Date(NOW - 4 * 3_600_000).toISOString();
    const { text, ok } = summarize(healthz([kiosk({ state: 'closed', partner: null, lastLiveAt })]), URL, NOW);
    expect(ok).toBe(true);
    expect(text).toContain(`  last live      4 h ago (${lastLiveAt})`);
    expect(text).toContain('  partner        none in the room');
  });

  it('calls a kiosk still closed past its opening time not well, with a minute to open', () => {
    const closedUntil = (ms: number) => kiosk({ state: 'closed', opensAt: new Date(ms).toISOString() });
    expect(summarize(healthz([closedUntil(NOW + 3_600_000)]), URL, NOW).ok).toBe(true);
    expect(summarize(healthz([closedUntil(NOW - 30_000)]), URL, NOW).ok).toBe(true);
    const stuck = summarize(healthz([closedUntil(NOW - 120_000)]), URL, NOW);
    expect(stuck.ok).toBe(false);
    expect(stuck.text).toContain('NOT OK: dublin is still closed, past its opening time (2026-12-01T11:58:00.000Z).');
    // Closed by the partner's hours: no opening time of its own, and well.
    expect(summarize(healthz([kiosk({ state: 'closed', opensAt: null })]), URL, NOW).ok).toBe(true);
  });

  it.each([
    [{ state: 'reconnecting' }, 'NOT OK: dublin is reconnecting.'],
    [{ state: 'error' }, 'NOT OK: dublin shows an error.'],
    [{ heartbeatAgeSeconds: 95 }, 'NOT OK: dublin has not reported for 1 min (last live).'],
    [{ state: 'starting', heartbeatAgeSeconds: null }, 'NOT OK: dublin has not reported yet (starting).'],
  ] as const)('calls %j not well, and says why', (over, verdict) => {
    const { text, ok } = summarize(healthz([kiosk(over)]), URL, NOW);
    expect(ok).toBe(false);
    expect(text.split('\n').at(-1)).toBe(verdict);
  });

  it('names every kiosk that is not well', () => {
    const kiosks = [kiosk(), kiosk({ site: 'oslo', state: 'waiting' }), kiosk({ site: 'rome', state: 'no-camera' })];
    const { text, ok } = summarize(healthz(kiosks), URL, NOW);
    expect(ok).toBe(false);
    expect(text.split('\n').at(-1)).toBe('NOT OK: oslo is waiting; rome has no camera.');
  });

  it('calls a server without kiosks well when it answers', () => {
    const { text, ok } = summarize(healthz(), URL, NOW);
    expect(ok).toBe(true);
    expect(text).toContain('No kiosks here: a signaling server (portal serve).');
  });

  it('says which fields an older kiosk host does not send, and still judges by its state', () => {
    const { site, shell, state, restarts, heartbeatAgeSeconds } = kiosk({ restarts: 2 });
    const { text, ok } = summarize(healthz([{ site, shell, state, restarts, heartbeatAgeSeconds }]), URL, NOW);
    expect(ok).toBe(true);
    expect(text).toContain('  partner        not reported (an older Portal)');
    expect(text).toContain('  repairs        2 restarts (other steps not reported (an older Portal))');
  });

  it.each([
    [0, '0 s'],
    [59, '59 s'],
    [60, '1 min'],
    [3_600, '1 h'],
    [11_520, '3 h 12 min'],
    [86_400, '1 d'],
    [190_800, '2 d 5 h'],
  ])('writes %i seconds as %s', (seconds, words) => {
    expect(duration(seconds)).toBe(words);
  });
});
