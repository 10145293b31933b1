// How the pictures sit on this screen: fit (letterbox or fill), the partner's picture mirrored,
// rotation for a display
// mounted in portrait, the local preview, and the partner's sound (on or off, volume, speaker).

import type { LinkSettings } from '../../app/config/link-settings.js';

export function showPicture(settings: LinkSettings, remote: HTMLVideoElement, local: HTMLVideoElement): void {
  remote.style.objectFit = settings.fit;
  const turned = settings.rotation === 90 || settings.rotation === 270;
  // A quarter turn swaps the element's sides, so it still covers the screen once turned.
  remote.classList.toggle('turned', turned);
  remote.style.transform = `${turned ? 'translate(-50%, -50%) ' : ''}rotate(${settings.rotation}deg)${settings.mirror ? ' scaleX(-1)' : ''}`;
  local.hidden = !settings.preview;
  // The preview is always a mirror, as people expect of themselves.
  local.style.transform = `rotate(${settings.rotation}deg) scaleX(-1)`;
  remote.muted = !settings.audio;
  remote.volume = settings.volume / 100;
  void chooseSpeaker(remote, settings.speaker);
}

async function chooseSpeaker(remote: HTMLVideoElement, wanted: string | null): Promise<void> {
  const sink = remote as HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> };
  if (sink.setSinkId === undefined) return;
  let id = '';
  if (wanted !== null) {
    const outputs = ((await navigator.mediaDevices?.enumerateDevices()) ?? []).filter((d) => d.kind === 'audiooutput');
    id =
      outputs.find((d) => d.deviceId === wanted)?.deviceId ??
      outputs.find((d) => d.label.toLowerCase().includes(wanted.toLowerCase()))?.deviceId ??
      '';
  }
  await sink
    .setSinkId(id)
    .catch((error: unknown) => console.warn(JSON.stringify({ event: 'speaker-unavailable', message: String(error) })));
}
