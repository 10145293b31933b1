// One running portal: the camera feed, the link and the screen, with new settings applied live
// where the browser allows it. Whatever it starts, dispose() stops.

import { applyPlan } from '../../app/admin/apply-plan.js';
import type { LinkSettings } from '../../app/config/link-settings.js';
import type { PortalStateReport } from '../../app/bridge/bridge-schemas.js';
import type { ClosedNote } from '../../app/link/link-envelope.js';
import { linkErrorOf, partnerStateOf, portalStateOf } from '../../app/link/link-machine.js';
import { SIGNAL_PATH } from '../../app/signaling/protocol-limits.js';
import type { Disposable } from '../lifecycle/disposables.js';
import { LinkController } from '../link/link-controller.js';
import { CameraFeed } from '../media/camera-feed.js';
import type { SiteIdentity } from '../peer/site-identity.js';
import { SoundTimer } from '../media/sound-timer.js';
import { OpeningClock, type OpeningTime } from '../schedule/opening-clock.js';
import { ClosedScreen } from '../view/closed-screen.js';
import { showPicture } from '../view/picture.js';
import { statusText } from '../view/status-text.js';
import type { StatusView } from '../view/status-view.js';

/** How long an opening waits for the camera before it opens the link anyway. */
const CAMERA_WAIT_MS = 10_000;

export interface PageHooks {
  /** The display may sleep (closed, with closedDisplay `off`), or must be on. */
  displayOn?(on: boolean): void;
  /** This site's certificate for every session (site-identity.ts); none: the browser's own. */
  readonly identity?: SiteIdentity | null;
}

export class PortalPage implements Disposable {
  readonly feed: CameraFeed;
  readonly controller: LinkController;
  private readonly local = document.getElementById('local') as HTMLVideoElement;
  private readonly remote = document.getElementById('remote') as HTMLVideoElement;
  private readonly clock: OpeningClock;
  private readonly closedScreen = new ClosedScreen(() => this.controller.rerender());
  readonly sound: SoundTimer;
  /** Whether the hours have the site open (the camera in use); opening and closing run in turn. */
  private open = true;
  private hoursWork: Promise<void> = Promise.resolve();
  private disposed = false;

  /** Throws (a sentence) when the settings cannot run here, before anything is started. */
  constructor(
    public settings: LinkSettings,
    view: StatusView,
    private readonly hooks: PageHooks = {},
  ) {
    const signalUrl =
      settings.signal ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SIGNAL_PATH}`;
    checkSignalUrl(signalUrl);
    this.feed = new CameraFeed(settings);
    this.controller = new LinkController(
      settings,
      this.feed,
      signalUrl,
      {
        render: (state, serverMessage) => {
          const shown = portalStateOf(state);
          view.show(
            shown,
            statusText(state, this.settings, this.feed.status.problem, serverMessage),
            linkErrorOf(state),
          );
          this.closedScreen.show(shown === 'closed', state.closed !== null, this.settings);
        },
        remoteStream: (stream) => {
          this.remote.srcObject = stream;
          if (stream) void this.remote.play().catch(() => undefined);
        },
        partnerMessage: (text) => void this.sound.fromPartner(text),
        sessionUp: () => this.sound.sessionUp(),
      },
      hooks.identity ?? null,
    );
    this.sound = new SoundTimer(settings, {
      live: () => this.controller.portalState === 'live',
      closed: () => this.controller.portalState === 'closed',
      apply: (on) => this.applySound(on),
      tell: (message) => this.controller.tellPartner(message),
    });
    this.clock = new OpeningClock(settings, (time) => this.hoursChanged(time));
  }

  async start(): Promise<void> {
    // A site that starts closed (a reboot at night) never opens its camera: it joins its room
    // only to say it is closed.
    const now = this.clock.current;
    this.open = now.open;
    if (!now.open) this.controller.setHours(closedNote(now));
    // The camera opens while signaling connects; the link joins its room once the camera is in.
    // The display may have been left asleep (the host restarted while closed): an open site wakes it.
    if (now.open) this.hooks.displayOn?.(true);
    const camera = now.open ? this.feed.start() : Promise.resolve();
    this.controller.start(camera);
    this.clock.start();
    await camera;
    if (now.open) this.local.srcObject = this.feed.stream;
    this.showPicture();
  }

  /** The settings' picture and sound, with the sound timer's say over the sound. */
  private showPicture(): void {
    showPicture(this.settings, this.remote, this.local);
    this.applySound(this.sound.isOn);
  }

  /** Sound on or off: the partner's playback (where the settings have sound) and our microphone. */
  private applySound(on: boolean): void {
    this.remote.muted = !(on && this.settings.audio);
    for (const track of this.feed.stream.getAudioTracks()) track.enabled = on;
  }

  /** What the page tells its host besides its state: the partner, repairs, when it opens. */
  report(): Omit<PortalStateReport, 'state' | 'error'> {
    const state = this.controller.linkState;
    return {
      partner: partnerStateOf(state),
      sessionRepairs: state.sessionRepairs,
      closedUntil: state.closed?.opensAt ?? null,
    };
  }

  private hoursChanged(time: OpeningTime): void {
    this.hoursWork = this.hoursWork
      .then(() => (time.open ? this.opening() : this.closing(time)))
      .catch((error: unknown) => console.error(JSON.stringify({ event: 'hours-failed', message: String(error) })));
  }

  /** Closed by the hours: no session, the camera and microphone given back, the screen calm. */
  private closing(time: OpeningTime): void {
    if (this.disposed) return;
    const wasOpen = this.open;
    this.open = false;
    this.controller.setHours(closedNote(time));
    if (wasOpen) {
      console.info(JSON.stringify({ event: 'hours-closed', opensAt: time.changesAt }));
      this.feed.release();
      this.local.srcObject = null;
    }
    this.hooks.displayOn?.(this.settings.closedDisplay !== 'off');
  }

  /** Open again: the camera first, then the link, so the first session has a picture to send. */
  private async opening(): Promise<void> {
    if (this.disposed || this.open) return;
    this.open = true;
    console.info(JSON.stringify({ event: 'hours-open' }));
    this.hooks.displayOn?.(true);
    // A camera that does not answer does not keep the site closed: the link opens after 10 s
    // whatever the camera does (the test pattern goes out until it comes).
    await Promise.race([this.feed.start(), new Promise((resolve) => setTimeout(resolve, CAMERA_WAIT_MS))]);
    if (this.disposed) return;
    this.local.srcObject = this.feed.stream;
    this.showPicture();
    this.controller.setHours(null);
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
    this.sound.update(next);
    this.showPicture();
    if (plan.changed.some((name) => name === 'hours' || name === 'timezone' || name === 'closedDisplay'))
      this.clock.update(next);
    if (plan.capture || next.audio !== this.feed.stream.getAudioTracks().length > 0) {
      await this.feed.reconfigure(next);
      this.showPicture();
    }
    this.controller.updateSettings(next);
    if (plan.session) {
      this.controller.reconnect('settings changed');
      return 'A new call is starting with the new settings.';
    }
    return plan.capture || plan.sending ? 'Applied to the running call.' : 'Applied.';
  }

  dispose(): void {
    this.disposed = true;
    this.clock.dispose();
    this.sound.dispose();
    this.closedScreen.dispose();
    this.controller.dispose();
    this.feed.dispose();
    this.remote.srcObject = null;
    this.local.srcObject = null;
  }
}

function closedNote(time: OpeningTime): ClosedNote {
  return { opensAt: time.changesAt, timezone: time.timezone };
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
