// The portal page: settings from the URL, the local picture, the link, and the screen.

import { parseLinkSettings } from '../app/config/link-settings.js';
import { portalStateOf } from '../app/link/link-machine.js';
import { SIGNAL_PATH } from '../app/signaling/protocol-limits.js';
import { LinkController } from './link/link-controller.js';
import { CameraFeed } from './media/camera-feed.js';
import { StatusView } from './view/status-view.js';
import { statusText } from './view/status-text.js';

async function main(): Promise<void> {
  const view = new StatusView();
  const params = Object.fromEntries(new URLSearchParams(location.search));
  const parsed = parseLinkSettings(params);
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

void main();
