// The portal page put together: its settings, this site's identity (its certificate), the
// running portal (when it can run), the admin overlay (always, so every setting can be fixed at
// the kiosk), the stats view, the host's heartbeat and events, and the wake lock. startPortal answers with one Disposable that stops
// all of it, so the page can be started again in place.

import type { LinkSettings } from '../../app/config/link-settings.js';
import { HostAdminBackend, paramsWithSaved, WebAdminBackend } from '../admin/admin-backend.js';
import { AdminOverlay } from '../admin/admin-overlay.js';
import { connectBridge } from '../bridge/bridge-client.js';
import { DisposableStore, type Disposable } from '../lifecycle/disposables.js';
import { SiteIdentity } from '../peer/site-identity.js';
import { StatsView } from '../stats/stats-view.js';
import { StatusView } from '../view/status-view.js';
import { keepScreenOn } from '../view/wake-lock.js';
import { startHeartbeat } from './heartbeat.js';
import { PortalPage, type PageHooks } from './portal-page.js';
import { draftSettings, loadSettings } from './settings-source.js';

export async function startPortal(): Promise<Disposable> {
  const store = new DisposableStore();
  const view = new StatusView();
  const bridge = connectBridge();
  const urlParams = Object.fromEntries(new URLSearchParams(location.search));
  // Read from the page's storage while the settings load; sessions need it from the first.
  const identityLoaded = SiteIdentity.load();
  let screen: Disposable | null = keepScreenOn();
  store.add(() => screen?.dispose());
  let page: PortalPage | null = null;
  if (bridge !== null) {
    const heartbeat = startHeartbeat(bridge, () => page?.report() ?? {});
    store.add(() => heartbeat.dispose());
  }
  // Not known at the start: the first word (on when the page starts open) is always said.
  let displayOn: boolean | null = null;
  const hooks = {
    // Closed with the display off: the wake lock goes, so the screen may sleep, and the host is
    // asked to put it to sleep now; on again when it opens (or the setting changes).
    displayOn(on: boolean): void {
      if (on === displayOn || store.isDisposed) return;
      displayOn = on;
      console.info(JSON.stringify({ event: 'display-power', on }));
      if (on) screen ??= keepScreenOn();
      else {
        screen?.dispose();
        screen = null;
      }
      bridge?.call('setDisplayPower', { on }).catch((error: unknown) => {
        console.warn(JSON.stringify({ event: 'display-power-failed', message: String(error) }));
      });
    },
  };
  // A page that stops (a restart in place, a reload) leaves the display on.
  store.add(() => {
    if (displayOn === false) bridge?.call('setDisplayPower', { on: true }).catch(() => undefined);
  });
  const stats = new StatsView(
    () => page?.controller.stats() ?? null,
    () => page?.controller.pathText() ?? null,
  );
  store.add(() => stats.dispose());

  const parsed = await loadSettings(bridge, urlParams);
  const identity = await identityLoaded;
  if (identity !== null) {
    const root = document.documentElement;
    root.dataset['portalFingerprint'] = identity.fingerprint;
    const stop = identity.onChange((info) => (root.dataset['portalFingerprint'] = info.fingerprint));
    store.add(() => {
      stop();
      identity.dispose();
      delete root.dataset['portalFingerprint'];
    });
  }
  let current: LinkSettings;
  if (!parsed.ok) {
    view.show('error', { title: 'Settings needed', detail: parsed.errors.map((e) => e.message).join('\n') }, 'config');
    // What is wrong is left empty to fill in from the overlay.
    current = draftSettings(
      bridge === null ? paramsWithSaved(urlParams) : {},
      parsed.errors.map((e) => e.parameter),
    );
  } else {
    current = parsed.settings;
    page = await startPage(current, view, { ...hooks, identity });
    if (page !== null) store.add(() => page?.dispose());
  }

  const running = (): PortalPage | null => page;
  const overlay = new AdminOverlay(
    bridge !== null
      ? new HostAdminBackend(bridge)
      : new WebAdminBackend(() => running()?.settings ?? current, urlParams),
    {
      current: () => running()?.settings ?? current,
      apply: async (next) => {
        const live = running();
        if (live !== null) return live.apply(next);
        // Nothing runs yet: start over with what was saved.
        setTimeout(() => location.reload(), 300);
        return 'Starting with the new settings.';
      },
      reconnect: () =>
        running() === null ? location.reload() : running()!.controller.reconnect('asked for at the kiosk'),
      reload: () => location.reload(),
      toggleStats: () => stats.toggle(),
      soundOn: () => running()?.sound.turnOn(),
      outgoing: () => running()?.feed.stream ?? new MediaStream(),
      identity: () => ({ own: identity?.info ?? null, partner: running()?.controller.partnerIdentity ?? null }),
      renewIdentity: async () => {
        if (identity === null) throw new Error('this browser gives the page no certificate of its own to renew');
        await identity.renew('asked');
        // The next call presents the new certificate.
        running()?.controller.reconnect('new identity');
      },
    },
  );
  store.add(() => overlay.dispose());
  if (bridge !== null) {
    // The host changed the settings (a save, later a schedule): the running page follows.
    const stop = bridge.on('settingsChanged', ({ settings }) => void running()?.apply(settings));
    store.add(stop);
  }
  return store;
}

/** The running portal, or null with the reason on screen when it cannot run here. */
async function startPage(settings: LinkSettings, view: StatusView, hooks: PageHooks): Promise<PortalPage | null> {
  const needsCapture = settings.camera !== 'test-pattern' || settings.audio;
  if (needsCapture && (!window.isSecureContext || navigator.mediaDevices === undefined)) {
    view.show(
      'error',
      {
        title: 'The camera needs https:// or localhost',
        detail: `A browser gives the camera only to secure pages. Open this page as https://${location.host}${location.pathname} (portal serve --tls-cert and --tls-key), or on the machine that serves it as http://localhost:${location.port || '80'}${location.pathname}.`,
      },
      'insecure',
    );
    return null;
  }
  let page: PortalPage | null = null;
  try {
    page = new PortalPage(settings, view, hooks);
    await page.start();
    return page;
  } catch (error) {
    page?.dispose();
    const message = error instanceof Error ? error.message : String(error);
    console.error(JSON.stringify({ event: 'page-start-failed', message }));
    view.show('error', { title: 'Portal could not start', detail: message }, 'config');
    return null;
  }
}
