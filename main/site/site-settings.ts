// What the renderer runs with at a kiosk, from the config file: the page's settings, with the
// kiosk's own server when it hosts one.

import type { LinkSettings } from '../../app/config/link-settings.js';
import { settingsFromConfig, type PortalConfig } from '../../app/config/portal-config.js';
import { pageSettings } from '../../app/settings/registry.js';

export function linkSettingsFor(config: PortalConfig, localPort: number): LinkSettings {
  return {
    ...pageSettings(settingsFromConfig(config)),
    signal: config.signaling.host ? `ws://127.0.0.1:${localPort}/signal` : config.signaling.url,
  };
}
