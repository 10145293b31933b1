// The local picture: the configured camera, or the test pattern when there is none (or when it
// is asked for), so there is always a video track to send.

import type { LinkSettings } from '../../app/config/link-settings.js';
import { startTestPattern, type TestPattern } from './test-pattern.js';

export interface LocalMedia {
  readonly stream: MediaStream;
  readonly source: 'camera' | 'test-pattern';
  /** Why the camera is not in use, when it is not. */
  readonly problem: string | null;
  stop(): void;
}

export async function openLocalMedia(settings: LinkSettings): Promise<LocalMedia> {
  if (settings.camera === 'test-pattern') return pattern(settings, 'test pattern', null);
  try {
    const stream = await navigator.mediaDevices.getUserMedia(
      constraints(settings, await findDeviceId(settings.camera)),
    );
    const [track] = stream.getVideoTracks();
    // A camera that shows people: keep the frame rate up over sharpness under a tight link.
    if (track) track.contentHint = 'motion';
    return { stream, source: 'camera', problem: null, stop: () => stream.getTracks().forEach((t) => t.stop()) };
  } catch (error) {
    const problem = cameraProblem(error);
    return pattern(settings, 'no camera', problem);
  }
}

function pattern(settings: LinkSettings, note: string, problem: string | null): LocalMedia {
  const testPattern: TestPattern = startTestPattern(settings.site, settings.width, settings.height, settings.fps, note);
  return { stream: testPattern.stream, source: 'test-pattern', problem, stop: () => testPattern.stop() };
}

function constraints(settings: LinkSettings, deviceId: string | null): MediaStreamConstraints {
  return {
    video: {
      width: { ideal: settings.width },
      height: { ideal: settings.height },
      frameRate: { ideal: settings.fps },
      ...(deviceId === null ? {} : { deviceId: { exact: deviceId } }),
    },
    audio: settings.audio ? { echoCancellation: true, noiseSuppression: true, autoGainControl: true } : false,
  };
}

/** A deviceId, or the first camera whose label contains the setting; null for any camera. */
async function findDeviceId(wanted: string | null): Promise<string | null> {
  if (wanted === null) return null;
  const cameras = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
  const match =
    cameras.find((d) => d.deviceId === wanted) ??
    cameras.find((d) => d.label.toLowerCase().includes(wanted.toLowerCase()));
  if (match === undefined) throw new DOMException(`No camera matches '${wanted}'.`, 'NotFoundError');
  return match.deviceId;
}

function cameraProblem(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotFoundError':
    case 'OverconstrainedError':
      return error instanceof DOMException && error.message.startsWith('No camera matches')
        ? `${error.message} Check the camera setting, or plug the camera in.`
        : 'No camera found. Plug a camera in; the partner sees a test pattern meanwhile.';
    case 'NotAllowedError':
      return 'Camera access was refused. Allow the camera for this page.';
    case 'NotReadableError':
      return 'The camera is busy or failed. Close other programs using it, or replug it.';
    default:
      return `The camera could not be opened (${error instanceof Error ? error.message : String(error)}).`;
  }
}
