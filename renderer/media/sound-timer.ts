// Sound with a timer (audioMinutes): sound goes out for that many minutes of live call, then both
// sites mute and say so until someone touches the screen (or presses Sound on in the admin
// overlay). Either site's timer or touch decides for both: the change goes to the partner on the
// data channel (`sound:off:WHEN`, `sound:on:WHEN`; the later change wins), and a new session
// starts by saying where sound stands. A closing ends the call: sound is on at the next opening.

import type { LinkSettings } from '../../app/config/link-settings.js';
import type { Disposable } from '../lifecycle/disposables.js';

const TICK_MS = 1_000;

export interface SoundHooks {
  /** Whether the call is live now (only live time counts). */
  live(): boolean;
  /** Whether the page shows `closed` (the count starts again, with sound on, after a closing). */
  closed(): boolean;
  /** Sound goes on or off here: the microphone's track and the partner's playback. */
  apply(on: boolean): void;
  /** A message for the partner's data channel; false when there is no channel to say it on. */
  tell(message: string): boolean;
}

/** `sound:off:1764583200000`: sound off since then (ms since 1970); the later change wins. */
const MESSAGE = /^sound:(on|off)(?::(\d{1,15}))?$/;

export class SoundTimer implements Disposable {
  private on = true;
  /** When sound last changed here or at the partner (0: never); the later change wins. */
  private changedAt = 0;
  private liveMs = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly note = document.getElementById('sound-note')!;
  private readonly onTouch = (event: PointerEvent): void => {
    if (this.on || (event.target instanceof Element && event.target.closest('[data-portal-admin]'))) return;
    this.change(true, 'touched');
  };

  constructor(
    private settings: LinkSettings,
    private readonly hooks: SoundHooks,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => this.tick(), TICK_MS);
    document.addEventListener('pointerdown', this.onTouch);
  }

  get isOn(): boolean {
    return this.on;
  }

  update(settings: LinkSettings): void {
    this.settings = settings;
    if (!settings.audio && !this.on) this.set(true, 'audio setting', this.changedAt);
  }

  /** Sound on again, from the admin overlay. */
  turnOn(): void {
    if (!this.on) this.change(true, 'admin overlay');
  }

  /** A message from the partner's data channel; true when it was one of the sound timer's. */
  fromPartner(message: string): boolean {
    const match = MESSAGE.exec(message);
    if (match === null) return false;
    // No sound here: nothing to turn off, nor a note to show.
    if (!this.settings.audio) return true;
    const on = match[1] === 'on';
    // A partner of this version says when; one that does not, means now.
    const at = match[2] === undefined ? this.now() : Number(match[2]);
    if (at > this.changedAt && on !== this.on) this.set(on, 'partner', at);
    else if (at > this.changedAt) this.changedAt = at;
    return true;
  }

  /** A new session is up: the partner hears where sound stands, if it ever changed. */
  sessionUp(): void {
    if (this.changedAt > 0) this.hooks.tell(this.message());
  }

  dispose(): void {
    clearInterval(this.timer);
    document.removeEventListener('pointerdown', this.onTouch);
    this.note.hidden = true;
  }

  private tick(): void {
    if (this.hooks.closed()) {
      // A closing ends the call: the next opening starts with sound, and counts from zero.
      if (!this.on) this.set(true, 'closed', this.changedAt);
      this.liveMs = 0;
      return;
    }
    // A microphone that came back (replugged) while sound is off starts muted too.
    if (!this.on) this.hooks.apply(false);
    const limit = this.settings.audio ? this.settings.audioMinutes * 60_000 : 0;
    if (!this.on || limit === 0 || !this.hooks.live()) return;
    this.liveMs += TICK_MS;
    if (this.liveMs >= limit) this.change(false, `${this.settings.audioMinutes} min of sound`);
  }

  /** A change made here: it is news for the partner. */
  private change(on: boolean, why: string): void {
    this.set(on, why, this.now());
    this.hooks.tell(this.message());
  }

  private message(): string {
    return `sound:${this.on ? 'on' : 'off'}:${this.changedAt}`;
  }

  private set(on: boolean, why: string, at: number): void {
    this.on = on;
    this.changedAt = at;
    this.liveMs = 0;
    console.info(JSON.stringify({ event: on ? 'sound-on' : 'sound-off', why }));
    this.hooks.apply(on);
    this.note.hidden = on;
    this.note.textContent =
      navigator.maxTouchPoints > 0
        ? 'Sound is off · touch to talk again'
        : 'Sound is off · touch the screen, or Sound on in the admin overlay (Ctrl+Shift+A), to talk again';
  }
}
