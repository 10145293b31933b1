// One source of settings for the page: the kiosk host through the bridge, or the page's URL
// parameters with this browser's saved changes over them. A host's warning (a config file it
// could not use) is shown at the foot of the screen.

import { parseLinkSettings, type LinkSettings, type SettingsResult } from '../../app/config/link-settings.js';
import { paramsWithSaved } from '../admin/admin-backend.js';
import type { BridgeClient } from '../bridge/bridge-client.js';

export async function loadSettings(
  bridge: BridgeClient | null,
  urlParams: Readonly<Record<string, string>>,
): Promise<SettingsResult> {
  if (bridge === null) {
    const params = paramsWithSaved(urlParams);
    // The page's CSP lets it reach the signaling server its URL names (portal serve builds the
    // policy from `?signal=`), so a server saved from the overlay or a pairing code is reached
    // from the URL that names it: the page opens that one instead, once.
    const moved = urlNamingSignal(location.href, params['signal'] ?? null);
    if (moved !== null) {
      location.replace(moved);
      return new Promise<SettingsResult>(() => undefined);
    }
    return parseLinkSettings(params);
  }
  try {
    const result = await bridge.call('getSettings', null);
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

/** The page's URL with `?signal=` set to `signal` (removed when null); null when it says so already. */
export function urlNamingSignal(href: string, signal: string | null): string | null {
  const url = new URL(href);
  if (url.searchParams.get('signal') === signal) return null;
  if (signal === null) url.searchParams.delete('signal');
  else url.searchParams.set('signal', signal);
  return url.toString();
}

/**
 * The settings of a page that cannot start as it is: the good ones kept, the bad ones at their
 * defaults (room and site left empty to fill in), so the overlay can show them all.
 */
export function draftSettings(params: Readonly<Record<string, string>>, bad: readonly string[]): LinkSettings {
  const good = Object.fromEntries(Object.entries(params).filter(([name]) => !bad.includes(name)));
  const parsed = parseLinkSettings({ ...good, room: good['room'] ?? 'room', site: good['site'] ?? 'site' });
  if (!parsed.ok) throw new Error('the defaults do not parse');
  return { ...parsed.settings, room: good['room'] ?? '', site: good['site'] ?? '' };
}
