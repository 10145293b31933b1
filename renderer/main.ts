// The portal page: its settings (from the kiosk host, or the URL with this browser's saved
// changes over it), the local picture, the link, the screen, the admin overlay and the stats
// view. New settings from the overlay are applied to the running page, keeping the call up
// where the browser allows it.

import './zod-jitless.js';
import { applyPlan } from '../app/admin/apply-plan.js';
import { parseLinkSettings, type LinkSettings, type SettingsResult } from '../app/config/link-settings.js';
import { PORTAL_STATES, portalStateOf, type PortalState } from '../app/link/link-machine.js';
import { SIGNAL_PATH } from '../app/signaling/protocol-limits.js';
import { HostAdminBackend, paramsWithSaved, WebAdminBackend, type AdminBackend } from './admin/admin-backend.js';
import { AdminOverlay } from './admin/admin-overlay.js';
import { connectBridge, type BridgeClient } from './bridge/bridge-client.js';
import { LinkController } from './link/link-controller.js';
import { CameraFeed } from './media/camera-feed.js';
import { StatsView } from './stats/stats-view.js';
import { showPicture } from './view/picture.js';
import { StatusView } from './view/status-view.js';
import { statusText } from './view/status-text.js';
import { keepScreenOn } from './view/wake-lock.js';

async function main(): Promise<void> {
  const view = new StatusView();
  const bridge = connectBridge();
  const urlParams = Object.fromEntries(new URLSearchParams(location.search));
  keepScreenOn();
  const parsed = await loadSettings(bridge, urlParams);
  if (bridge !== null) startHeartbeat(bridge);
  let page: PortalPage | null = null;
  const stats = new StatsView(() => page?.controller.stats() ?? null);
  if (!parsed.ok) {
    view.show('error', { title: 'Settings needed', detail: parsed.errors.map((e) => e.message).join('\n') }, 'config');
    // A web page can still be set up from its overlay: what is wrong is left empty to fill in.
    if (bridge === null) {
      const draft = draftSettings(
        paramsWithSaved(urlParams),
        parsed.errors.map((e) => e.parameter),
      );
      new AdminOverlay(new WebAdminBackend(() => draft, urlParams), {
        current: () => draft,
        apply: async () => {
          setTimeout(() => location.reload(), 300);
          return 'Starting with the new settings.';
        },
        reconnect: () => location.reload(),
        reload: () => location.reload(),
        toggleStats: () => stats.toggle(),
        outgoing: () => new MediaStream(),
      });
    }
    return;
  }
  page = new PortalPage(parsed.settings, view);
  await page.start();
  const running = page;
  const backend: AdminBackend =
    bridge !== null ? new HostAdminBackend(bridge) : new WebAdminBackend(() => running.settings, urlParams);
  new AdminOverlay(backend, {
    current: () => running.settings,
    apply: (next) => running.apply(next),
    reconnect: () => running.controller.reconnect('asked for at the kiosk'),
    reload: () => location.reload(),
    toggleStats: () => stats.toggle(),
    outgoing: () => running.feed.stream,
  });
}

/** One running portal: the camera feed, the link and the screen, and new settings applied live. */
class PortalPage {
  readonly feed: CameraFeed;
  readonly controller: LinkController;
  private readonly local = document.getElementById('local') as HTMLVideoElement;
  private readonly remote = document.getElementById('remote') as HTMLVideoElement;

  constructor(
    public settings: LinkSettings,
    view: StatusView,
  ) {
    this.feed = new CameraFeed(settings);
    const signalUrl =
      settings.signal ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SIGNAL_PATH}`;
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
    await this.feed.start();
    this.local.srcObject = this.feed.stream;
    showPicture(this.settings, this.remote, this.local);
    this.controller.start();
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
}

/**
 * One source of settings: the kiosk host through the bridge, or the page's URL parameters with
 * this browser's saved changes over them. A host's warning (a config file it could not use) is
 * shown at the foot of the screen.
 */
async function loadSettings(
  bridge: BridgeClient | null,
  urlParams: Readonly<Record<string, string>>,
): Promise<SettingsResult> {
  if (bridge === null) return parseLinkSettings(paramsWithSaved(urlParams));
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

/** The settings of a page whose parameters are wrong: the good ones kept, the bad ones at their defaults. */
function draftSettings(params: Readonly<Record<string, string>>, bad: readonly string[]): LinkSettings {
  const good = Object.fromEntries(Object.entries(params).filter(([name]) => !bad.includes(name)));
  const parsed = parseLinkSettings({ ...good, room: good['room'] ?? 'room', site: good['site'] ?? 'site' });
  if (!parsed.ok) throw new Error('the defaults do not parse');
  return { ...parsed.settings, room: good['room'] ?? '', site: good['site'] ?? '' };
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
