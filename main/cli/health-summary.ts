// What `portal status` prints from a /healthz answer, and whether all is well: a screen a person
// reads at a glance, and one verdict for cron or a monitoring system. A kiosk is well when its
// page is `live`, or `closed` by its opening hours, and says so: a page that has not reported
// for STALE_HEARTBEAT_SECONDS is not believed, whatever it said last (the watchdog has reloaded
// it by then, and that did not help). A `portal serve` has no kiosks: answering is all it does.

import type { Healthz, KioskEntry } from '../../app/health/healthz.js';

/** Twice the watchdog's default heartbeat timeout: the reload it brings has had its chance. */
export const STALE_HEARTBEAT_SECONDS = 30;

/** A site opens within seconds of its opening time (live within 10 s); past a minute it is stuck. */
const OPENING_GRACE_MS = 60_000;

export interface HealthSummary {
  readonly text: string;
  readonly ok: boolean;
}

export function summarize(healthz: Healthz, url: string, nowMs: number): HealthSummary {
  const server = `Portal at ${url}: up ${duration(healthz.uptimeSeconds)}; ${count(healthz.rooms, 'room')}, ${count(healthz.sites, 'site')}, ${count(healthz.connections, 'connection')}`;
  const kiosks = healthz.kiosks;
  if (kiosks === undefined || kiosks.length === 0) {
    return { text: `${server}\nNo kiosks here: a signaling server (portal serve).\nOK: the server answers.`, ok: true };
  }
  const problems = kiosks.flatMap((kiosk) => {
    const problem = problemOf(kiosk, nowMs);
    return problem === null ? [] : [`${kiosk.site} ${problem}`];
  });
  const verdict =
    problems.length === 0
      ? `OK: ${kiosks.length === 1 ? 'the kiosk is' : 'every kiosk is'} live or closed by its hours.`
      : `NOT OK: ${problems.join('; ')}.`;
  return {
    text: [server, '', ...kiosks.flatMap((k) => [...kioskLines(k, nowMs), '']), verdict].join('\n'),
    ok: problems.length === 0,
  };
}

/** Why a kiosk is not well, as the end of a sentence that starts with its site; null when it is. */
function problemOf(kiosk: KioskEntry, nowMs: number): string | null {
  const age = kiosk.heartbeatAgeSeconds;
  if (age === null) return `has not reported yet (${kiosk.state})`;
  if (age > STALE_HEARTBEAT_SECONDS) return `has not reported for ${duration(age)} (last ${kiosk.state})`;
  // Closed as scheduled: until its opening time (a minute's grace to open), or by its partner's hours.
  if (kiosk.state === 'closed' && kiosk.opensAt && Date.parse(kiosk.opensAt) + OPENING_GRACE_MS < nowMs)
    return `is still closed, past its opening time (${kiosk.opensAt})`;
  if (kiosk.state === 'live' || kiosk.state === 'closed') return null;
  // A state is a word from a kiosk that may be newer than this Portal: most read after "is".
  if (kiosk.state === 'error') return 'shows an error';
  if (kiosk.state === 'no-camera') return 'has no camera';
  return `is ${kiosk.state}`;
}

const LABEL = 14;
const row = (label: string, value: string): string => `  ${label.padEnd(LABEL)} ${value}`;
/** A field an older kiosk host does not send. */
const NOT_SENT = 'not reported (an older Portal)';

function kioskLines(kiosk: KioskEntry, nowMs: number): string[] {
  const partner =
    kiosk.partner === undefined
      ? NOT_SENT
      : kiosk.partner === null
        ? 'none in the room'
        : `${kiosk.partner.site}, ${kiosk.partner.state}`;
  const repairs =
    kiosk.repairs === undefined
      ? `${count(kiosk.restarts, 'restart')} (other steps ${NOT_SENT})`
      : `${count(kiosk.repairs.session, 'new session')}, ${count(kiosk.repairs.reload, 'reload')}, ${count(kiosk.repairs.restart, 'restart')}`;
  const opens = kiosk.opensAt ? ` · opens ${kiosk.opensAt}` : '';
  return [
    `${kiosk.site} (${kiosk.shell}): ${kiosk.state}${opens}`,
    row('partner', partner),
    row('last live', lastLive(kiosk.lastLiveAt, kiosk.state, nowMs)),
    row(
      'live',
      kiosk.liveSeconds === undefined
        ? NOT_SENT
        : `${duration(kiosk.liveSeconds)} of the last 24 h (${Math.round((kiosk.liveSeconds / 86_400) * 100)} %)`,
    ),
    row('repairs', repairs),
    row('quiet reloads', kiosk.quietReloads === undefined ? NOT_SENT : String(kiosk.quietReloads)),
    row('heartbeat', kiosk.heartbeatAgeSeconds === null ? 'none yet' : `${duration(kiosk.heartbeatAgeSeconds)} ago`),
  ];
}

function lastLive(at: string | null | undefined, state: string, nowMs: number): string {
  if (at === undefined) return NOT_SENT;
  if (at === null) return 'not since the kiosk started';
  if (state === 'live') return 'now';
  const ago = Math.max(0, Math.round((nowMs - Date.parse(at)) / 1000));
  return `${duration(ago)} ago (${at})`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** 42 s, 7 min, 3 h 12 min, 2 d 5 h. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h${minutes % 60 === 0 ? '' : ` ${minutes % 60} min`}`;
  const days = Math.floor(hours / 24);
  return `${days} d${hours % 24 === 0 ? '' : ` ${hours % 24} h`}`;
}
