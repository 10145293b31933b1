// The portal page: settings from the URL, the local picture, the link, and the screen.

import './zod-jitless.js';
import { parseLinkSettings, type LinkSettings, type SettingsResult } from '../app/config/link-settings.js';
import { PORTAL_STATES, type PortalState } from '../app/link/link-machine.js';
import { connectBridge, type BridgeClient } from './bridge/bridge-client.js';
import { portalStateOf } from '../app/link/link-machine.js';
import { SIGNAL_PATH } from '../app/signaling/protocol-limits.js';
import { LinkController } from './link/link-controller.js';
import { CameraFeed } from './media/camera-feed.js';
import { StatusView } from './view/status-view.js';
import { statusText } from './view/status-text.js';

async function main(): Promise<void> {
  const view = new StatusView();
  const bridge = connectBridge();
  const parsed = await loadSettings(bridge);
  if (bridge !== null) startHeartbeat(bridge);
  if (!parsed.ok) {
    view.show('error', { title: 'Settings needed', detail: parsed.errors.map((e) => e.message).join('\n') }, 'config');
    return;
  }
  const settings = parsed.settings;
  const feed = new CameraFeed(settings);
  await feed.start();
  const local = document.getElementById('local') as HTMLVideoElement;
  local.srcObject = feed.stream;
  local.hidden = !settings.preview;
  const remote = document.getElementById('remote') as HTMLVideoElement;
  // Sound is off unless asked for; then the partner's audio plays with the picture.
  remote.muted = !settings.audio;
  remote.style.objectFit = settings.fit;
  const signalUrl =
    settings.signal ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SIGNAL_PATH}`;
  const controller = new LinkController(settings, feed, signalUrl, {
    render: (state, serverMessage) => {
      view.show(
        portalStateOf(state),
        statusText(state, settings, feed.status.problem, serverMessage),
        state.refused?.code ?? null,
      );
    },
    remoteStream: (stream) => {
      remote.srcObject = stream;
      if (stream) void remote.play().catch(() => undefined);
    },
  });
  controller.start();
}

/**
 * One source of settings: the kiosk host through the bridge, or the page's URL parameters.
 * A host's warning (a config file it could not use) is shown at the foot of the screen.
 */
async function loadSettings(bridge: BridgeClient | null): Promise<SettingsResult> {
  if (bridge === null) return parseLinkSettings(Object.fromEntries(new URLSearchParams(location.search)));
  try {
    const result = (await bridge.call('getSettings', null)) as { settings: LinkSettings; warning: string | null };
    const notice = document.getElementById('notice')!;
    notice.textContent = result.warning ?? '';
    notice.hidden = result.warning === null;
    return { ok: true, settings: result.settings };
  } catch (error) {
    return {
      ok: false,
      errors: [
        { parameter: 'bridge', message: `The kiosk host did not give the settings: ${(error as Error).message}` },
      ],
    };
  }
}

/** Tells the host the page is alive, and in which state, every two seconds. */
function startHeartbeat(bridge: BridgeClient): void {
  const beat = (): void => {
    const raw = document.documentElement.dataset['portalState'];
    const state: PortalState = (PORTAL_STATES as readonly string[]).includes(raw ?? '')
      ? (raw as PortalState)
      : 'starting';
    const error = state === 'error' ? (document.documentElement.dataset['portalError'] ?? null) : null;
    bridge.call('reportState', { state, error }).catch(() => undefined);
  };
  beat();
  setInterval(beat, 2_000);
}

void main();
