// Tells the kiosk host the page is alive, and in which state, every two seconds: what the
// host's watchdog waits for before it reloads or restarts the display, and what its health
// report (/healthz) says of the site.

import type { PortalStateReport } from '../../app/bridge/bridge-schemas.js';
import { PORTAL_STATES, type PortalState } from '../../app/link/link-machine.js';
import type { BridgeClient } from '../bridge/bridge-client.js';
import type { Disposable } from '../lifecycle/disposables.js';

const EVERY_MS = 2_000;

/** `more`: what the running page adds (its partner, repairs, when it opens); {} before it runs. */
export function startHeartbeat(
  bridge: BridgeClient,
  more: () => Omit<PortalStateReport, 'state' | 'error'> = () => ({}),
): Disposable {
  const beat = (): void => {
    const raw = document.documentElement.dataset['portalState'];
    const state: PortalState = (PORTAL_STATES as readonly string[]).includes(raw ?? '')
      ? (raw as PortalState)
      : 'starting';
    const error = state === 'error' ? (document.documentElement.dataset['portalError'] ?? null) : null;
    bridge.call('reportState', { ...more(), state, error }).catch(() => undefined);
  };
  beat();
  const timer = setInterval(beat, EVERY_MS);
  return { dispose: () => clearInterval(timer) };
}
