// Sound with a timer (audioMinutes): sound goes out for that many minutes of live call, then both
// sites mute and say so until someone touches the screen (or presses Sound on in the admin
// overlay). Either site's timer or touch decides for both: the change goes to the partner on the
// data channel (`sound:off`, `sound:on`), and a new session starts by saying where sound stands.

import type { LinkSettings } from '../../app/config/link-settings.js';
import type { Disposable } from '../lifecycle/disposables.js';

const TICK_MS = 1_000;

export interface SoundHooks {
  /** Whether the call is live now (only live time counts). */
  live(): boolean;
  /** Sound goes on or off here: the microphone's track and the partner's playback. */
  apply(on: boolean): void;
  /** Tell the partner; false when there is no channel to tell it on. */
  tell(on: boolean): void;
}

export const SOUND_MESSAGES = { on: 'sound:on', off: 'sound:off' } as const;

export class SoundTimer implements Disposable {
  private on = true;
  private liveMs = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly note = document.getElementById('sound-note')!;
  private readonly onTouch = (event: PointerEvent): void => {
    if (this.on || (event.target instanceof Element && event.target.closest('[data-portal-admin]'))) return;
    this.set(true, 'touched');
  };

  constructor(
    private settings: LinkSettings,
    private readonly hooks: SoundHooks,
  ) {
    this.timer = setInterval(() => this.tick(), TICK_MS);
    document.addEventListener('pointerdown', this.onTouch);
  }

  get isOn(): boolean {
    return this.on;
  }

  update(settings: LinkSettings): void {
    this.settings = settings;
    if (!settings.audio && !this.on) this.set(true, 'audio setting', false);
  }

  /** Sound on again, from the admin overlay. */
  turnOn(): void {
    if (!this.on) this.set(true, 'admin overlay');
  }

  /** A message from the partner's data channel; true when it was one of ours. */
  fromPartner(message: string): boolean {
    if (message === SOUND_MESSAGES.off) {
      if (this.on) this.set(false, 'partner', false);
      return true;
    }
    if (message === SOUND_MESSAGES.on) {
      if (!this.on) this.set(true, 'partner', false);
      return true;
    }
    return false;
  }

  /** A new session is up: the partner hears where sound stands, if it is off. */
  sessionUp(): void {
    if (!this.on) this.hooks.tell(false);
  }

  dispose(): void {
    clearInterval(this.timer);
    document.removeEventListener('pointerdown', this.onTouch);
    this.note.hidden = true;
  }

  private tick(): void {
    // A microphone that came back (replugged) while sound is off starts muted too.
    if (!this.on) this.hooks.apply(false);
    const limit = this.settings.audio ? this.settings.audioMinutes * 60_000 : 0;
    if (!this.on || limit === 0 || !this.hooks.live()) return;
    this.liveMs += TICK_MS;
    if (this.liveMs >= limit) this.set(false, `${this.settings.audioMinutes} min of sound`);
  }

  private set(on: boolean, why: string, tell = true): void {
    this.on = on;
    this.liveMs = 0;
    console.info(JSON.stringify({ event: on ? 'sound-on' : 'sound-off', why }));
    this.hooks.apply(on);
    if (tell) this.hooks.tell(on);
    this.note.hidden = on;
    this.note.textContent =
      navigator.maxTouchPoints > 0
        ? 'Sound is off · touch to talk again'
        : 'Sound is off · touch the screen, or Sound on in the admin overlay (Ctrl+Shift+A), to talk again';
  }
}
