// Tells the kiosk host the page is alive, and in which state, every two seconds: what the
// host's watchdog waits for before it reloads or restarts the display.

import { PORTAL_STATES, type PortalState } from '../../app/link/link-machine.js';
import type { BridgeClient } from '../bridge/bridge-client.js';
import type { Disposable } from '../lifecycle/disposables.js';

const EVERY_MS = 2_000;

export function startHeartbeat(bridge: BridgeClient): Disposable {
  const beat = (): void => {
    const raw = document.documentElement.dataset['portalState'];
    const state: PortalState = (PORTAL_STATES as readonly string[]).includes(raw ?? '')
      ? (raw as PortalState)
      : 'starting';
    const error = state === 'error' ? (document.documentElement.dataset['portalError'] ?? null) : null;
    bridge.call('reportState', { state, error }).catch(() => undefined);
  };
  beat();
  const timer = setInterval(beat, EVERY_MS);
  return { dispose: () => clearInterval(timer) };
}
