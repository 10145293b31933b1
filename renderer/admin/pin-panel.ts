// The PIN in front of the settings: set a first one (PIN and Confirm PIN), or enter it; while
// locked after too many wrong tries, the controls are off and the time left is counted down.

import { lockMessage, pinProblem } from '../../app/admin/pin.js';
import { h } from '../view/dom.js';
import type { AdminBackend } from './admin-backend.js';
import type { Disposable } from '../lifecycle/disposables.js';

export interface PinPanelHooks {
  /** Says something in the overlay's message line. */
  say(text: string, problem?: boolean): void;
  /** The PIN was right (or just set): show the settings. */
  unlocked(greeting: string): Promise<void>;
  /** Marks the overlay locked (data-locked) or not. */
  locked(on: boolean): void;
}

export class PinPanel implements Disposable {
  readonly element = h('form', { class: 'admin-pin' });
  private lockTicker: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly backend: AdminBackend,
    private readonly hooks: PinPanelHooks,
  ) {}

  show(pinSet: boolean, lockedMs: number): void {
    // Masked text fields rather than type=password: a password field makes the browser offer
    // to save it in a bubble over the kiosk, which nobody at a kiosk should have to dismiss.
    const masked = { type: 'text', class: 'masked', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false' };
    const pin = h('input', { id: 'admin-pin', ...masked });
    const confirm = h('input', { id: 'admin-pin-confirm', ...masked });
    const submit = h('button', { type: 'submit' }, pinSet ? 'Unlock' : 'Set PIN');
    this.element.replaceChildren(
      h('p', {}, pinSet ? 'Enter the PIN to change settings.' : 'Set a PIN (4 to 12 digits) to guard the settings.'),
      h('label', { for: 'admin-pin' }, 'PIN'),
      pin,
      ...(pinSet ? [] : [h('label', { for: 'admin-pin-confirm' }, 'Confirm PIN'), confirm]),
      submit,
    );
    this.element.hidden = false;
    this.element.onsubmit = (event) => {
      event.preventDefault();
      void (pinSet ? this.unlock(pin.value) : this.setPin(pin.value, confirm.value));
    };
    if (lockedMs > 0) this.showLocked(lockedMs);
    else pin.focus();
  }

  hide(): void {
    this.stopTicker();
    this.element.hidden = true;
    this.element.replaceChildren();
  }

  dispose(): void {
    this.hide();
    this.element.onsubmit = null;
  }

  private async setPin(pin: string, confirm: string): Promise<void> {
    const problem = pinProblem(pin);
    if (problem !== null) return this.hooks.say(problem, true);
    if (pin !== confirm) return this.hooks.say('The two PINs differ; type the same PIN twice.', true);
    try {
      await this.backend.setPin(pin);
      if (this.backend.mode === 'web') await this.backend.unlock(pin);
      await this.hooks.unlocked('PIN set.');
    } catch (error) {
      this.hooks.say((error as Error).message, true);
    }
  }

  private async unlock(pin: string): Promise<void> {
    try {
      const result = await this.backend.unlock(pin);
      if (result.ok) return await this.hooks.unlocked('');
      if (result.lockedMs > 0) return this.showLocked(result.lockedMs);
      this.hooks.say(
        `Wrong PIN. ${result.triesLeft} ${result.triesLeft === 1 ? 'try' : 'tries'} left before a five-minute lock.`,
        true,
      );
      const input = this.element.querySelector('input');
      if (input) {
        input.value = '';
        input.focus();
      }
    } catch (error) {
      this.hooks.say((error as Error).message, true);
    }
  }

  private showLocked(lockedMs: number): void {
    const until = Date.now() + lockedMs;
    for (const control of this.element.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button'))
      control.disabled = true;
    this.hooks.locked(true);
    const tick = (): void => {
      const left = until - Date.now();
      if (left <= 0) {
        this.stopTicker();
        this.hooks.locked(false);
        this.hooks.say('');
        this.show(true, 0);
        return;
      }
      this.hooks.say(lockMessage(left), true);
    };
    tick();
    this.stopTicker();
    this.lockTicker = setInterval(tick, 1_000);
  }

  private stopTicker(): void {
    if (this.lockTicker !== null) clearInterval(this.lockTicker);
    this.lockTicker = null;
  }
}
