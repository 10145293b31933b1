// The picture this site sends: the configured camera, or the moving test pattern whenever there
// is none, so there is always a live video track and the partner never sees black. One outgoing
// MediaStream lives as long as the page; when the camera goes or comes back its video track is
// swapped and listeners replace it on their senders, without renegotiating.

import type { LinkSettings } from '../../app/config/link-settings.js';
import { startTestPattern, type TestPattern } from './test-pattern.js';

export type FeedSource = 'camera' | 'test-pattern';

export interface FeedStatus {
  readonly source: FeedSource;
  /** Why the camera is not in use, when it should be. */
  readonly problem: string | null;
}

/** How often to look for the camera again while it is missing (besides `devicechange`). */
const RETRY_MS = 3_000;

export class CameraFeed {
  readonly stream = new MediaStream();
  private pattern: TestPattern | null = null;
  private camera: MediaStream | null = null;
  private retry: ReturnType<typeof setInterval> | null = null;
  private acquiring = false;
  private statusNow: FeedStatus = { source: 'test-pattern', problem: null };
  private readonly trackListeners = new Set<(oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack) => void>();
  private readonly statusListeners = new Set<(status: FeedStatus) => void>();

  constructor(private readonly settings: LinkSettings) {}

  get status(): FeedStatus {
    return this.statusNow;
  }

  /** Called with (old, new) whenever the outgoing video track is swapped. */
  onTrackChange(listener: (oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack) => void): void {
    this.trackListeners.add(listener);
  }

  onStatus(listener: (status: FeedStatus) => void): void {
    this.statusListeners.add(listener);
  }

  async start(): Promise<void> {
    if (this.settings.camera === 'test-pattern') {
      this.usePattern('test pattern', null);
      return;
    }
    navigator.mediaDevices.addEventListener('devicechange', () => void this.tryCamera());
    await this.tryCamera();
  }

  /** Opens the camera; on failure sends the test pattern and keeps looking. True when it worked. */
  async tryCamera(): Promise<boolean> {
    if (this.acquiring || this.camera !== null || this.settings.camera === 'test-pattern') return false;
    this.acquiring = true;
    try {
      const camera = await navigator.mediaDevices.getUserMedia(
        constraints(this.settings, await findDeviceId(this.settings.camera)),
      );
      const video = camera.getVideoTracks()[0];
      if (video === undefined) throw new DOMException('The camera gave no video track.', 'NotFoundError');
      // A window between two rooms shows people moving: keep the frame rate over sharpness.
      video.contentHint = 'motion';
      video.addEventListener('ended', () => this.cameraLost(camera));
      this.camera = camera;
      this.stopRetrying();
      for (const audio of camera.getAudioTracks())
        if (!this.stream.getAudioTracks().length) this.stream.addTrack(audio);
      this.swapVideo(video);
      this.pattern?.stop();
      this.pattern = null;
      this.setStatus({ source: 'camera', problem: null });
      return true;
    } catch (error) {
      if (this.pattern === null) this.usePattern('no camera', cameraProblem(error));
      else this.setStatus({ source: 'test-pattern', problem: cameraProblem(error) });
      this.keepRetrying();
      return false;
    } finally {
      this.acquiring = false;
    }
  }

  /** The camera's track ended (unplugged, taken by another program): pattern now, camera later. */
  private cameraLost(camera: MediaStream): void {
    if (this.camera !== camera) return;
    this.camera = null;
    for (const track of camera.getTracks()) {
      track.stop();
      if (track.kind === 'audio') this.stream.removeTrack(track);
    }
    this.usePattern('no camera', 'The camera stopped. Check its cable; Portal picks it up again by itself.');
    this.keepRetrying();
    void this.tryCamera();
  }

  private usePattern(note: string, problem: string | null): void {
    const { site, width, height, fps } = this.settings;
    this.pattern?.stop();
    this.pattern = startTestPattern(site, width, height, fps, note);
    const track = this.pattern.stream.getVideoTracks()[0]!;
    this.swapVideo(track);
    this.setStatus({ source: 'test-pattern', problem });
  }

  private swapVideo(track: MediaStreamTrack): void {
    const old = this.stream.getVideoTracks()[0];
    if (old === track) return;
    this.stream.addTrack(track);
    if (old !== undefined) {
      this.stream.removeTrack(old);
      for (const listener of this.trackListeners) listener(old, track);
      // The pattern's own tracks are stopped with it; a camera's track when the camera goes.
    }
  }

  private setStatus(status: FeedStatus): void {
    this.statusNow = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private keepRetrying(): void {
    this.retry ??= setInterval(() => void this.tryCamera(), RETRY_MS);
  }

  private stopRetrying(): void {
    if (this.retry !== null) clearInterval(this.retry);
    this.retry = null;
  }
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
