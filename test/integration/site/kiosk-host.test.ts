// A kiosk host on a real port with a shell that shows nothing: the page's state reports go in
// through the display's bridge handlers, as either transport would deliver them, and /healthz
// and /metrics are read over HTTP, on a clock the test moves.

import { afterEach, describe, expect, it } from 'vitest';
import type { PortalStateReport } from '../../../app/bridge/bridge-schemas.js';
import { HealthzSchema } from '../../../app/health/healthz.js';
import type { KioskHost } from '../../../main/site/kiosk-host.js';
import { startFakeKioskHost } from '../../support/fake-kiosk-host.js';

const hosts: KioskHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

async function startHost(sites: readonly string[]) {
  let now = Date.UTC(2026, 11, 1, 9);
  const { host, display } = await startFakeKioskHost(sites, { clock: () => now });
  hosts.push(host);
  return {
    host,
    advance: (ms: number) => (now += ms),
    report: (site: string, report: Omit<PortalStateReport, 'error'>) =>
      display(site).handlers.reportState({ error: null, ...report }),
    display,
    healthz: async () => HealthzSchema.parse(await (await fetch(`http://127.0.0.1:${host.port}/healthz`)).json()),
    metrics: async () => (await fetch(`http://127.0.0.1:${host.port}/metrics`)).text(),
  };
}

describe('a kiosk host, for health from afar', () => {
  it("shows each display's partner, live time, last live moment and repairs by step in /healthz", async () => {
    const kiosk = await startHost(['dublin']);
    const partner = { site: 'oslo', state: 'live' } as const;
    for (let i = 0; i < 30; i++) {
      await kiosk.report('dublin', { state: 'live', partner, sessionRepairs: i < 20 ? 2 : 1, closedUntil: null });
      kiosk.advance(2_000);
    }
    await kiosk.report('dublin', { state: 'reconnecting', partner, sessionRepairs: 1, closedUntil: null });
    kiosk.display('dublin').watchdog.reloaded({ type: 'reload', reason: 'no heartbeat for 15 s', quiet: false });
    kiosk.display('dublin').watchdog.displayStarted();
    kiosk.display('dublin').watchdog.displayStarted();
    kiosk.advance(3_000);

    expect((await kiosk.healthz()).kiosks).toEqual([
      {
        site: 'dublin',
        shell: 'chromium',
        state: 'reconnecting',
        partner,
        lastLiveAt: '2026-12-01T09:00:58.000Z',
        liveSeconds: 60,
        // Two sessions on the first page, one on the page after its reload.
        repairs: { session: 3, reload: 1, restart: 1 },
        restarts: 1,
        opensAt: null,
        quietReloads: 0,
        heartbeatAgeSeconds: 3,
      },
    ]);
  });

  it('gives /metrics the same facts, labelled by site', async () => {
    const kiosk = await startHost(['dublin', 'oslo']);
    await kiosk.report('dublin', { state: 'live', partner: { site: 'oslo', state: 'live' }, sessionRepairs: 4 });
    kiosk.advance(2_000);
    await kiosk.report('dublin', { state: 'live', partner: { site: 'oslo', state: 'live' }, sessionRepairs: 4 });
    await kiosk.report('oslo', { state: 'closed', partner: null, closedUntil: Date.UTC(2026, 11, 2, 8) });
    kiosk.display('oslo').watchdog.reloaded({ type: 'reload', reason: 'quiet hour', quiet: true });

    const text = await kiosk.metrics();
    const sample = (series: string) => text.match(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm'))?.[1];
    expect(sample('portal_kiosk_state{site="dublin",state="live"}')).toBe('1');
    expect(sample('portal_kiosk_state{site="dublin",state="waiting"}')).toBe('0');
    expect(sample('portal_kiosk_state{site="oslo",state="closed"}')).toBe('1');
    expect(sample('portal_kiosk_partner_state{site="dublin",partner="oslo",state="live"}')).toBe('1');
    expect(text).not.toMatch(/^portal_kiosk_partner_state\{site="oslo"/m);
    expect(sample('portal_kiosk_live_seconds{site="dublin"}')).toBe('2');
    expect(sample('portal_kiosk_live_seconds{site="oslo"}')).toBe('0');
    expect(sample('portal_kiosk_last_live_timestamp_seconds{site="dublin"}')).toBe(
      String(Date.UTC(2026, 11, 1, 9) / 1000 + 2),
    );
    expect(text).not.toMatch(/^portal_kiosk_last_live_timestamp_seconds\{site="oslo"/m);
    expect(sample('portal_kiosk_repairs_total{site="dublin",step="session"}')).toBe('4');
    expect(sample('portal_kiosk_repairs_total{site="oslo",step="restart"}')).toBe('0');
    expect(sample('portal_kiosk_quiet_reloads_total{site="oslo"}')).toBe('1');
    expect(sample('portal_kiosk_heartbeat_age_seconds{site="oslo"}')).toBe('0');
    expect(text).toMatch(/^# TYPE portal_kiosk_repairs_total counter$/m);
    // The server's own series are still there.
    expect(sample('portal_signaling_rooms')).toBe('0');
  });
});
