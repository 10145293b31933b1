// A kiosk host's series on /metrics, the same facts as its /healthz `kiosks`, labelled by site:
// read from the displays' health at each scrape, so the two never disagree. Registered in the
// embedded signaling server's registry (docs/surface.md#health lists them).

import { Counter, Gauge, type Registry } from 'prom-client';
import { REPAIR_STEPS } from '../../app/health/healthz.js';
import { PORTAL_STATES } from '../../app/link/link-machine.js';
import type { KioskHealthFields } from '../watchdog/kiosk-health.js';

export interface KioskSeries extends KioskHealthFields {
  readonly site: string;
}

export function registerKioskMetrics(registry: Registry, kiosks: () => readonly KioskSeries[]): void {
  const registers = [registry];
  new Gauge({
    name: 'portal_kiosk_state',
    help: "1 for the page state a kiosk's page reported last, 0 for the others.",
    labelNames: ['site', 'state'],
    registers,
    collect() {
      this.reset();
      for (const kiosk of kiosks())
        for (const state of PORTAL_STATES) this.set({ site: kiosk.site, state }, kiosk.state === state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'portal_kiosk_partner_state',
    help: "1 for the partner's page state as a kiosk's page sees it, 0 for the others; no series without a partner.",
    labelNames: ['site', 'partner', 'state'],
    registers,
    collect() {
      this.reset();
      for (const { site, partner } of kiosks()) {
        if (partner === null) continue;
        for (const state of PORTAL_STATES)
          this.set({ site, partner: partner.site, state }, partner.state === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'portal_kiosk_live_seconds',
    help: "Seconds a kiosk's page was live in the last 24 hours.",
    labelNames: ['site'],
    registers,
    collect() {
      this.reset();
      for (const kiosk of kiosks()) this.set({ site: kiosk.site }, kiosk.liveSeconds);
    },
  });
  new Gauge({
    name: 'portal_kiosk_last_live_timestamp_seconds',
    help: "When a kiosk's page was last seen live, in seconds since 1970; no series before the first time.",
    labelNames: ['site'],
    registers,
    collect() {
      this.reset();
      for (const { site, lastLiveAt } of kiosks())
        if (lastLiveAt !== null) this.set({ site }, Date.parse(lastLiveAt) / 1000);
    },
  });
  new Gauge({
    name: 'portal_kiosk_heartbeat_age_seconds',
    help: "Seconds since a kiosk's page last reported its state; no series before the first report.",
    labelNames: ['site'],
    registers,
    collect() {
      this.reset();
      for (const { site, heartbeatAgeSeconds } of kiosks())
        if (heartbeatAgeSeconds !== null) this.set({ site }, heartbeatAgeSeconds);
    },
  });
  // Counters whose count is kept by the health record: set from it at each scrape.
  new Counter({
    name: 'portal_kiosk_repairs_total',
    help: 'Repairs of a kiosk since its host started, by step: session (a new call), reload (the page), restart (the display).',
    labelNames: ['site', 'step'],
    registers,
    collect() {
      this.reset();
      for (const { site, repairs } of kiosks())
        for (const step of REPAIR_STEPS) this.inc({ site, step }, repairs[step]);
    },
  });
  new Counter({
    name: 'portal_kiosk_quiet_reloads_total',
    help: "Daily reloads of a kiosk's page while its site was closed, since its host started (not repairs).",
    labelNames: ['site'],
    registers,
    collect() {
      this.reset();
      for (const { site, quietReloads } of kiosks()) this.inc({ site }, quietReloads);
    },
  });
}
