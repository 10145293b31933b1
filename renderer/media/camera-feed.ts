// The picture this site sends: the configured camera, or the moving test pattern whenever there
// is none, so there is always a live video track and the partner never sees black. One outgoing
// MediaStream lives as long as the page; when the camera goes or comes back its video track is
// swapped and listeners replace it on their senders, without renegotiating.

import type { LinkSettings } from '../../app/config/link-settings.js';
import type { Disposable } from '../lifecycle/disposables.js';
import { startTestPattern, type TestPattern } from './test-pattern.js';

export type FeedSource = 'camera' | 'test-pattern';

export interface FeedStatus {
  readonly source: FeedSource;
  /** Why the camera is not in use, when it should be. */
  readonly problem: string | null;
}

/** How often to look for the camera again while it is missing (besides `devicechange`). */
const RETRY_MS = 3_000;

export class CameraFeed implements Disposable {
  readonly stream = new MediaStream();
  private pattern: TestPattern | null = null;
  private camera: MediaStream | null = null;
  private retry: ReturnType<typeof setInterval> | null = null;
  private acquiring = false;
  private statusNow: FeedStatus = { source: 'test-pattern', problem: null };
  private readonly trackListeners = new Set<(oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack) => void>();
  private readonly statusListeners = new Set<(status: FeedStatus) => void>();
  private readonly onDeviceChange = (): void => void this.tryCamera();
  private disposed = false;
  /** Released (a closed site): nothing is opened until start() again. */
  private released = false;
  /** The camera being opened, if one is: start() after a release waits for it. */
  private acquisition: Promise<void> = Promise.resolve();

  constructor(private settings: LinkSettings) {}

  get status(): FeedStatus {
    return this.statusNow;
  }

  /** Called with (old, new) whenever the outgoing video track is swapped; answers with a stop. */
  onTrackChange(listener: (oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack) => void): () => void {
    this.trackListeners.add(listener);
    return () => void this.trackListeners.delete(listener);
  }

  onStatus(listener: (status: FeedStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => void this.statusListeners.delete(listener);
  }

  /** Releases the camera (its light goes off), the pattern and every timer and listener. */
  dispose(): void {
    if (this.disposed) return;
    this.release();
    this.disposed = true;
    this.trackListeners.clear();
    this.statusListeners.clear();
  }

  /**
   * Gives the camera and microphone back (the camera's light goes off) and stops the pattern,
   * until start() again: a site closed by its hours sends nothing. Listeners stay.
   */
  release(): void {
    if (this.disposed) return;
    this.released = true;
    this.stopRetrying();
    navigator.mediaDevices?.removeEventListener('devicechange', this.onDeviceChange);
    this.closeCamera();
    this.pattern?.stop();
    this.pattern = null;
    for (const track of this.stream.getTracks()) {
      track.stop();
      this.stream.removeTrack(track);
    }
  }

  async start(): Promise<void> {
    this.released = false;
    if (this.settings.camera === 'test-pattern') {
      this.usePattern('test pattern', null);
      return;
    }
    navigator.mediaDevices.addEventListener('devicechange', this.onDeviceChange);
    // Released and started again while a camera was still opening: that attempt gives its camera
    // back when it arrives, so wait for it and open anew.
    await this.acquisition;
    await this.tryCamera();
  }

  /** Opens the camera; on failure sends the test pattern and keeps looking. True when it worked. */
  tryCamera(): Promise<boolean> {
    if (this.acquiring) return Promise.resolve(false);
    const attempt = this.openCamera();
    this.acquisition = attempt.then(() => undefined);
    return attempt;
  }

  private async openCamera(): Promise<boolean> {
    if (
      this.disposed ||
      this.released ||
      this.acquiring ||
      this.camera !== null ||
      this.settings.camera === 'test-pattern'
    )
      return false;
    this.acquiring = true;
    try {
      const camera = await navigator.mediaDevices.getUserMedia(
        constraints(
          this.settings,
          await findDeviceId('videoinput', this.settings.camera),
          this.settings.audio ? await findDeviceId('audioinput', this.settings.microphone) : null,
        ),
      );
      if (this.disposed || this.released) {
        // Disposed or released while the camera was opening: give it back at once.
        for (const track of camera.getTracks()) track.stop();
        return false;
      }
      const video = camera.getVideoTracks()[0];
      if (video === undefined) throw new DOMException('The camera gave no video track.', 'NotFoundError');
      // A window between two rooms shows people moving: keep the frame rate over sharpness.
      video.contentHint = 'motion';
      video.addEventListener('ended', () => this.cameraLost(camera));
      this.camera = camera;
      this.stopRetrying();
      const audio = camera.getAudioTracks()[0];
      if (audio !== undefined) this.swapTrack(audio);
      this.swapTrack(video);
      this.pattern?.stop();
      this.pattern = null;
      this.setStatus({ source: 'camera', problem: null });
      return true;
    } catch (error) {
      if (this.disposed || this.released) return false;
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
    if (this.disposed || this.released) return;
    const { site, width, height, fps } = this.settings;
    this.pattern?.stop();
    this.pattern = startTestPattern(site, width, height, fps, note);
    const track = this.pattern.stream.getVideoTracks()[0]!;
    this.swapTrack(track);
    this.setStatus({ source: 'test-pattern', problem });
  }

  /** Puts `track` in the outgoing stream in place of the one of its kind; senders follow. */
  private swapTrack(track: MediaStreamTrack): void {
    const old = track.kind === 'video' ? this.stream.getVideoTracks()[0] : this.stream.getAudioTracks()[0];
    if (old === track) return;
    this.stream.addTrack(track);
    if (old !== undefined) {
      this.stream.removeTrack(old);
      for (const listener of this.trackListeners) listener(old, track);
      // The pattern's own tracks are stopped with it; a camera's track when the camera goes.
    }
  }

  /**
   * New capture settings, live and without renegotiating: the same camera takes the new size and
   * frame rate through applyConstraints; another camera or microphone is opened and swapped in on
   * the same senders, then the old one closed. Sound switched on or off changes the tracks a
   * call carries, so the caller starts a new session for that.
   */
  async reconfigure(next: LinkSettings): Promise<void> {
    const before = this.settings;
    this.settings = next;
    if (next.camera === 'test-pattern') {
      this.stopRetrying();
      this.closeCamera();
      this.usePattern('test pattern', null);
      return;
    }
    if (!next.audio) for (const track of this.stream.getAudioTracks()) this.dropAudio(track);
    const video = this.camera?.getVideoTracks()[0];
    const sameDevices =
      before.camera === next.camera && before.microphone === next.microphone && before.audio === next.audio;
    if (sameDevices && video !== undefined) {
      try {
        await video.applyConstraints(videoConstraints(next));
        return;
      } catch (error) {
        console.warn(JSON.stringify({ event: 'apply-constraints-failed', message: String(error) }));
      }
    }
    if (this.camera === null && this.pattern !== null) {
      // No camera yet: the pattern at the new size meanwhile, and look for the (new) camera.
      this.usePattern('no camera', this.statusNow.problem);
    }
    const old = this.camera;
    this.camera = null;
    await this.tryCamera();
    if (old !== null) for (const track of old.getTracks()) if (!this.stream.getTracks().includes(track)) track.stop();
  }

  private closeCamera(): void {
    const camera = this.camera;
    this.camera = null;
    if (camera === null) return;
    for (const track of camera.getTracks()) {
      if (track.kind === 'audio') this.dropAudio(track);
      else track.stop();
    }
  }

  private dropAudio(track: MediaStreamTrack): void {
    this.stream.removeTrack(track);
    track.stop();
  }

  private setStatus(status: FeedStatus): void {
    this.statusNow = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private keepRetrying(): void {
    if (this.disposed || this.released) return;
    this.retry ??= setInterval(() => void this.tryCamera(), RETRY_MS);
  }

  private stopRetrying(): void {
    if (this.retry !== null) clearInterval(this.retry);
    this.retry = null;
  }
}

function videoConstraints(settings: LinkSettings): MediaTrackConstraints {
  return {
    width: { ideal: settings.width },
    height: { ideal: settings.height },
    frameRate: { ideal: settings.fps },
  };
}

function constraints(
  settings: LinkSettings,
  deviceId: string | null,
  microphoneId: string | null,
): MediaStreamConstraints {
  return {
    video: { ...videoConstraints(settings), ...(deviceId === null ? {} : { deviceId: { exact: deviceId } }) },
    audio: settings.audio
      ? {
          echoCancellation: true,
          noiseSuppression: true,
          autoGainControl: true,
          ...(microphoneId === null ? {} : { deviceId: { exact: microphoneId } }),
        }
      : false,
  };
}

/** A deviceId, or the first device of the kind whose label contains the setting; null for any. */
async function findDeviceId(kind: MediaDeviceKind, wanted: string | null): Promise<string | null> {
  if (wanted === null) return null;
  const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === kind);
  const match =
    devices.find((d) => d.deviceId === wanted) ??
    devices.find((d) => d.label.toLowerCase().includes(wanted.toLowerCase()));
  const what = kind === 'videoinput' ? 'camera' : 'microphone';
  if (match === undefined) throw new DOMException(`No ${what} matches '${wanted}'.`, 'NotFoundError');
  return match.deviceId;
}

function cameraProblem(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotFoundError':
    case 'OverconstrainedError':
      return error instanceof DOMException && /^No (camera|microphone) matches/.test(error.message)
        ? `${error.message} Check the setting, or plug the device in.`
        : 'No camera found. Plug a camera in; the partner sees a test pattern meanwhile.';
    case 'NotAllowedError':
      return 'Camera access was refused. Allow the camera for this page.';
    case 'NotReadableError':
      return 'The camera is busy or failed. Close other programs using it, or replug it.';
    default:
      return `The camera could not be opened (${error instanceof Error ? error.message : String(error)}).`;
  }
}
