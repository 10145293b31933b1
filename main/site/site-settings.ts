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
    microphone: config.microphone,
    speaker: config.speaker,
    width: config.width,
    height: config.height,
    fps: config.fps,
    audio: config.audio,
    volume: config.volume,
    codec: config.codec,
    maxBitrate: config.maxBitrate,
    degradation: config.degradation,
    iceServers: config.iceServers.length > 0 ? config.iceServers : null,
    relay: config.relay,
    preview: config.preview,
    fit: config.fit,
    mirror: config.mirror,
    rotation: config.rotation,
  };
}
