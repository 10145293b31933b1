// What the renderer runs with at a kiosk, from the config file.

import type { LinkSettings } from '../../app/config/link-settings.js';
import type { PortalConfig } from '../../app/config/portal-config.js';

export function linkSettingsFor(config: PortalConfig, localPort: number): LinkSettings {
  return {
    room: config.room,
    site: config.site,
    key: config.key,
    signal: config.signaling.host ? `ws://127.0.0.1:${localPort}/signal` : config.signaling.url,
    camera: config.camera,
    width: config.width,
    height: config.height,
    fps: config.fps,
    audio: config.audio,
    codec: config.codec,
    maxBitrate: config.maxBitrate,
    iceServers: null,
    relay: config.relay,
    preview: config.preview,
    fit: config.fit,
  };
}
