// One running portal: the camera feed, the link and the screen, with new settings applied live
// where the browser allows it. Whatever it starts, dispose() stops.

import { applyPlan } from '../../app/admin/apply-plan.js';
import type { LinkSettings } from '../../app/config/link-settings.js';
import { portalStateOf } from '../../app/link/link-machine.js';
import { SIGNAL_PATH } from '../../app/signaling/protocol-limits.js';
import type { Disposable } from '../lifecycle/disposables.js';
import { LinkController } from '../link/link-controller.js';
import { CameraFeed } from '../media/camera-feed.js';
import { showPicture } from '../view/picture.js';
import { statusText } from '../view/status-text.js';
import type { StatusView } from '../view/status-view.js';

export class PortalPage implements Disposable {
  readonly feed: CameraFeed;
  readonly controller: LinkController;
  private readonly local = document.getElementById('local') as HTMLVideoElement;
  private readonly remote = document.getElementById('remote') as HTMLVideoElement;

  /** Throws (a sentence) when the settings cannot run here, before anything is started. */
  constructor(
    public settings: LinkSettings,
    view: StatusView,
  ) {
    const signalUrl =
      settings.signal ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SIGNAL_PATH}`;
    checkSignalUrl(signalUrl);
    this.feed = new CameraFeed(settings);
    this.controller = new LinkController(settings, this.feed, signalUrl, {
      render: (state, serverMessage) => {
        view.show(
          portalStateOf(state),
          statusText(state, this.settings, this.feed.status.problem, serverMessage),
          state.refused?.code ?? null,
        );
      },
      remoteStream: (stream) => {
        this.remote.srcObject = stream;
        if (stream) void this.remote.play().catch(() => undefined);
      },
    });
  }

  async start(): Promise<void> {
    // The camera opens while signaling connects; the link joins its room once the camera is in.
    const camera = this.feed.start();
    this.controller.start(camera);
    await camera;
    this.local.srcObject = this.feed.stream;
    showPicture(this.settings, this.remote, this.local);
  }

  /** Applies saved settings; answers with what happened, in a sentence for the overlay. */
  async apply(next: LinkSettings): Promise<string> {
    const plan = applyPlan(this.settings, next);
    if (plan.changed.length === 0) return 'Nothing changed.';
    if (plan.link) {
      // A new site, room, key or server: the page starts over with the saved settings.
      setTimeout(() => location.reload(), 300);
      return 'Reconnecting with the new link settings.';
    }
    this.settings = next;
    showPicture(next, this.remote, this.local);
    if (plan.capture || next.audio !== this.feed.stream.getAudioTracks().length > 0) await this.feed.reconfigure(next);
    this.controller.updateSettings(next);
    if (plan.session) {
      this.controller.reconnect('settings changed');
      return 'A new call is starting with the new settings.';
    }
    return plan.capture || plan.sending ? 'Applied to the running call.' : 'Applied.';
  }

  dispose(): void {
    this.controller.dispose();
    this.feed.dispose();
    this.remote.srcObject = null;
    this.local.srcObject = null;
  }
}

/** The browser opens only what its WebSocket accepts; say so before a socket throws. */
function checkSignalUrl(url: string): void {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'ws:' || parsed.protocol === 'wss:') return;
  } catch {
    // Not a URL at all: the sentence below.
  }
  throw new Error(
    `The signaling server address '${url}' cannot be opened: it must be a ws:// or wss:// URL with a host and a port from 1 to 65535. Fix it in the settings (Ctrl+Shift+A).`,
  );
}
