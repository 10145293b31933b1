// The admin overlay, [data-portal-admin]: a PIN-guarded settings form over the running portal.
// Opens with Ctrl+Shift+A or a three-second press on the top-left corner; Escape, Close or a
// minute without input closes it. Every control has a visible label; a wrong value gets its
// message next to it and nothing is saved until every field is right. The portal keeps running
// underneath.

import {
  ADMIN_CHECKBOXES,
  ADMIN_FIELDS,
  adminForm,
  linkWithAdminSettings,
  pairingCode,
  parseAdminForm,
  parsePairingCode,
  RESOLUTIONS,
  type AdminField,
  type AdminForm,
  type AdminSettings,
} from '../../app/admin/admin-settings.js';
import { applyNotice, applyPlan } from '../../app/admin/apply-plan.js';
import { lockMessage, pinProblem } from '../../app/admin/pin.js';
import { CODECS, DEGRADATIONS, ROTATIONS, type LinkSettings } from '../../app/config/link-settings.js';
import { h } from '../view/dom.js';
import type { AdminBackend } from './admin-backend.js';

export interface AdminHooks {
  /** The settings the page runs with now. */
  current(): LinkSettings;
  /** Applies saved settings to the running page; answers with what happened, for a person. */
  apply(next: LinkSettings): Promise<string>;
  reconnect(): void;
  reload(): void;
  toggleStats(): void;
  /** The picture this site sends now (the preview of the camera in use). */
  outgoing(): MediaStream;
}

const IDLE_MS = 60_000;
const CORNER_PX = 60;
const CORNER_HOLD_MS = 3_000;

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export class AdminOverlay {
  readonly element = h('div', {
    'data-portal-admin': true,
    role: 'dialog',
    'aria-modal': 'true',
    'aria-labelledby': 'admin-title',
    hidden: true,
  });
  private readonly message = h('p', { class: 'admin-message', role: 'status', 'aria-live': 'polite' });
  private readonly pinForm = h('form', { class: 'admin-pin' });
  private readonly settingsForm = h('form', { class: 'admin-settings', novalidate: true, hidden: true });
  private readonly controls = new Map<AdminField, Control>();
  private readonly errors = new Map<AdminField, HTMLElement>();
  private readonly notice = h('p', { class: 'admin-notice', role: 'note' });
  private readonly preview = h('video', { class: 'admin-preview', muted: true, autoplay: true, playsinline: true });
  private readonly pairingOut = h('input', { id: 'admin-pairing-out', readonly: true, type: 'text' });
  private readonly pairingIn = h('input', { id: 'admin-pairing-in', type: 'text', autocomplete: 'off' });
  private readonly logs = h('pre', { class: 'admin-log' });
  private previewStream: MediaStream | null = null;
  private idle: ReturnType<typeof setTimeout> | null = null;
  private lockTicker: ReturnType<typeof setInterval> | null = null;
  private corner: ReturnType<typeof setTimeout> | null = null;
  private pairingSignal: string | null = null;

  constructor(
    private readonly backend: AdminBackend,
    private readonly hooks: AdminHooks,
  ) {
    const close = h('button', { type: 'button', class: 'admin-close' }, 'Close');
    close.addEventListener('click', () => this.close());
    this.element.append(
      h(
        'div',
        { class: 'admin-panel' },
        h('header', {}, h('h2', { id: 'admin-title' }, 'Portal settings'), close),
        this.message,
        this.pinForm,
        this.settingsForm,
      ),
    );
    document.body.append(this.element);
    this.buildSettingsForm();
    this.listen();
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    this.element.hidden = false;
    this.touch();
    this.say('');
    this.settingsForm.hidden = true;
    try {
      const status = await this.backend.status();
      this.showPinForm(status.pinSet, status.lockedMs);
    } catch (error) {
      this.pinForm.replaceChildren();
      this.say(`The settings cannot be opened: ${(error as Error).message}`, true);
    }
  }

  close(): void {
    if (!this.isOpen) return;
    this.element.hidden = true;
    this.settingsForm.hidden = true;
    this.pinForm.replaceChildren();
    this.stopPreview();
    for (const timer of [this.idle, this.lockTicker]) if (timer !== null) clearTimeout(timer);
    this.idle = null;
    this.lockTicker = null;
  }

  private listen(): void {
    document.addEventListener('keydown', (event) => {
      const key = event.key.toLowerCase();
      if (event.ctrlKey && event.shiftKey && key === 'a') {
        event.preventDefault();
        if (this.isOpen) this.close();
        else void this.open();
      } else if (event.ctrlKey && event.shiftKey && key === 's') {
        event.preventDefault();
        this.hooks.toggleStats();
      } else if (key === 'escape' && this.isOpen) {
        this.close();
      }
    });
    // Any input while open keeps it open for another minute.
    for (const type of ['keydown', 'pointerdown', 'input']) document.addEventListener(type, () => this.touch(), true);
    // A touch screen: hold the top-left corner for three seconds.
    document.addEventListener('pointerdown', (event) => {
      if (this.isOpen || event.clientX > CORNER_PX || event.clientY > CORNER_PX) return;
      this.corner = setTimeout(() => void this.open(), CORNER_HOLD_MS);
    });
    for (const type of ['pointerup', 'pointercancel', 'pointerleave']) {
      document.addEventListener(type, () => {
        if (this.corner !== null) clearTimeout(this.corner);
        this.corner = null;
      });
    }
  }

  private touch(): void {
    if (!this.isOpen) return;
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.close(), IDLE_MS);
  }

  private say(text: string, problem = false): void {
    this.message.textContent = text;
    this.message.classList.toggle('problem', problem);
  }

  // The PIN: set a first one (PIN and Confirm PIN), or enter it.

  private showPinForm(pinSet: boolean, lockedMs: number): void {
    const pin = h('input', { id: 'admin-pin', type: 'password', inputmode: 'numeric', autocomplete: 'off' });
    const confirm = h('input', {
      id: 'admin-pin-confirm',
      type: 'password',
      inputmode: 'numeric',
      autocomplete: 'off',
    });
    const submit = h('button', { type: 'submit' }, pinSet ? 'Unlock' : 'Set PIN');
    this.pinForm.replaceChildren(
      h('p', {}, pinSet ? 'Enter the PIN to change settings.' : 'Set a PIN (4 to 12 digits) to guard the settings.'),
      h('label', { for: 'admin-pin' }, 'PIN'),
      pin,
      ...(pinSet ? [] : [h('label', { for: 'admin-pin-confirm' }, 'Confirm PIN'), confirm]),
      submit,
    );
    this.pinForm.hidden = false;
    this.pinForm.onsubmit = (event) => {
      event.preventDefault();
      void (pinSet ? this.unlock(pin.value) : this.setPin(pin.value, confirm.value));
    };
    if (lockedMs > 0) this.showLocked(lockedMs);
    else pin.focus();
  }

  private async setPin(pin: string, confirm: string): Promise<void> {
    const problem = pinProblem(pin);
    if (problem !== null) return this.say(problem, true);
    if (pin !== confirm) return this.say('The two PINs differ; type the same PIN twice.', true);
    try {
      await this.backend.setPin(pin);
      if (this.backend.mode === 'web') await this.backend.unlock(pin);
      await this.showSettings('PIN set.');
    } catch (error) {
      this.say((error as Error).message, true);
    }
  }

  private async unlock(pin: string): Promise<void> {
    try {
      const result = await this.backend.unlock(pin);
      if (result.ok) return await this.showSettings('');
      if (result.lockedMs > 0) return this.showLocked(result.lockedMs);
      this.say(
        `Wrong PIN. ${result.triesLeft} ${result.triesLeft === 1 ? 'try' : 'tries'} left before a five-minute lock.`,
        true,
      );
      const input = this.pinForm.querySelector('input');
      if (input) {
        input.value = '';
        input.focus();
      }
    } catch (error) {
      this.say((error as Error).message, true);
    }
  }

  private showLocked(lockedMs: number): void {
    const until = Date.now() + lockedMs;
    for (const control of this.pinForm.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button'))
      control.disabled = true;
    this.element.dataset['locked'] = 'true';
    const tick = (): void => {
      const left = until - Date.now();
      if (left <= 0) {
        if (this.lockTicker !== null) clearInterval(this.lockTicker);
        this.lockTicker = null;
        delete this.element.dataset['locked'];
        this.say('');
        this.showPinForm(true, 0);
        return;
      }
      this.say(lockMessage(left), true);
    };
    tick();
    if (this.lockTicker !== null) clearInterval(this.lockTicker);
    this.lockTicker = setInterval(tick, 1_000);
  }

  // The settings.

  private async showSettings(greeting: string): Promise<void> {
    const loaded = await this.backend.load();
    this.pairingSignal = loaded.pairingSignal;
    this.pinForm.hidden = true;
    this.pinForm.replaceChildren();
    await this.fillDevices(loaded.settings);
    this.fill(adminForm(loaded.settings));
    this.settingsForm.hidden = false;
    this.say(greeting);
    this.updateNotice();
    void this.showPreview();
    this.controls.get('site')?.focus();
  }

  private buildSettingsForm(): void {
    const host = this.backend.mode === 'host';
    const field = (name: AdminField, control: Control, hint?: string): HTMLElement => {
      control.id = `admin-${name}`;
      control.setAttribute('name', name);
      const error = h('p', { class: 'field-error', id: `admin-${name}-error`, 'aria-live': 'polite' });
      control.setAttribute('aria-describedby', error.id);
      this.controls.set(name, control);
      this.errors.set(name, error);
      const checkbox = control instanceof HTMLInputElement && control.type === 'checkbox';
      return h(
        'div',
        { class: checkbox ? 'field checkbox' : 'field' },
        h('label', { for: control.id }, ADMIN_FIELDS[name]),
        control,
        hint ? h('p', { class: 'hint' }, hint) : null,
        error,
      );
    };
    const text = (extra: Record<string, string> = {}) => h('input', { type: 'text', autocomplete: 'off', ...extra });
    const checkbox = () => h('input', { type: 'checkbox' });
    const select = (options: ReadonlyArray<readonly [string, string]>) =>
      h('select', {}, ...options.map(([value, label]) => h('option', { value }, label)));

    const key = h('input', { type: 'password', autocomplete: 'off' });
    const showKey = h('button', { type: 'button', class: 'inline', 'aria-label': 'Show key' }, 'Show');
    showKey.addEventListener('click', () => {
      key.type = key.type === 'password' ? 'text' : 'password';
      showKey.textContent = key.type === 'password' ? 'Show' : 'Hide';
    });
    const copy = h('button', { type: 'button', class: 'inline' }, 'Copy');
    copy.addEventListener('click', () => {
      this.pairingOut.select();
      void navigator.clipboard?.writeText(this.pairingOut.value).catch(() => undefined);
    });
    const usePairing = h('button', { type: 'button', class: 'inline' }, 'Use code');
    usePairing.addEventListener('click', () => this.usePairingCode());

    const link = h(
      'fieldset',
      {},
      h('legend', {}, 'Link'),
      field('site', text()),
      field('room', text()),
      h('div', { class: 'with-button' }, field('key', key), showKey),
      field(
        'signal',
        text({ placeholder: 'ws://HOST:8787/signal' }),
        host ? 'Empty while this site hosts the server.' : "Empty: this page's own server.",
      ),
      host ? field('hostSignaling', checkbox()) : null,
      host ? field('port', text({ inputmode: 'numeric' })) : null,
      h(
        'div',
        { class: 'field with-button' },
        h('label', { for: this.pairingOut.id }, 'Pairing code for the partner'),
        this.pairingOut,
        copy,
      ),
      h(
        'div',
        { class: 'field with-button' },
        h('label', { for: this.pairingIn.id }, 'Pairing code from the partner'),
        this.pairingIn,
        usePairing,
      ),
    );
    const network = h(
      'fieldset',
      {},
      h('legend', {}, 'Network'),
      field(
        'iceServers',
        h('textarea', { rows: '3', spellcheck: 'false' }),
        "One a line: stun:HOST:PORT, or turn:HOST:PORT USERNAME CREDENTIAL. Empty: the signaling server's.",
      ),
      field('relay', checkbox()),
    );
    const media = h(
      'fieldset',
      {},
      h('legend', {}, 'Camera and sound'),
      field('camera', select([])),
      this.preview,
      field('microphone', select([])),
      field('speaker', select([])),
      field('resolution', select(RESOLUTIONS.map((r) => [r, r.replace('x', ' x ')] as const))),
      field('fps', text({ inputmode: 'numeric' })),
      field('audio', checkbox()),
      field('volume', text({ inputmode: 'numeric' }), '0 to 100.'),
    );
    const picture = h(
      'fieldset',
      {},
      h('legend', {}, 'Picture'),
      field('mirror', checkbox()),
      field('rotation', select(ROTATIONS.map((r) => [String(r), `${r}°`] as const))),
      field(
        'fit',
        select([
          ['contain', 'Letterbox'],
          ['cover', 'Fill'],
        ]),
      ),
      field('preview', checkbox()),
    );
    const sendable = new Set(
      (RTCRtpSender.getCapabilities?.('video')?.codecs ?? []).map((c) =>
        c.mimeType.replace(/^video\//i, '').toUpperCase(),
      ),
    );
    const quality = h(
      'fieldset',
      {},
      h('legend', {}, 'Quality'),
      field('codec', select([['', 'Automatic'], ...CODECS.filter((c) => sendable.has(c)).map((c) => [c, c] as const)])),
      field('maxBitrate', text({ inputmode: 'numeric' }), 'kbit/s; empty for no cap.'),
      field(
        'degradation',
        select(
          DEGRADATIONS.map(
            (d) =>
              [
                d,
                {
                  'maintain-framerate': 'Maintain frame rate',
                  'maintain-resolution': 'Maintain resolution',
                  balanced: 'Balanced',
                }[d],
              ] as const,
          ),
        ),
      ),
    );

    const action = (label: string, run: () => void | Promise<void>) => {
      const button = h('button', { type: 'button' }, label);
      button.addEventListener('click', () => void run());
      return button;
    };
    const actions = h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      action('Reconnect now', () => {
        this.hooks.reconnect();
        this.say('Reconnecting: a new call starts now.');
      }),
      action('Reload', () => this.hooks.reload()),
      this.backend.restart !== null ? action('Restart', () => this.restart()) : null,
      action('Show stats', () => this.hooks.toggleStats()),
    );
    const logs =
      this.backend.logs !== null
        ? h('details', { class: 'admin-logs' }, h('summary', {}, 'Log (last 200 lines)'), this.logs)
        : null;
    // The newest lines each time the log is opened.
    logs?.addEventListener('toggle', () => {
      if (logs.open) void this.refreshLogs();
    });
    this.settingsForm.append(link, network, media, picture, quality, this.notice, actions, logs ?? '');
    this.settingsForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.apply();
    });
    this.settingsForm.addEventListener('input', () => this.updateNotice());
    this.settingsForm.addEventListener('change', (event) => {
      this.updateNotice();
      if (event.target === this.controls.get('camera')) void this.showPreview();
    });
  }

  private fill(form: AdminForm): void {
    for (const [name, control] of this.controls) {
      const value = form[name];
      if (typeof value === 'boolean') (control as HTMLInputElement).checked = value;
      else {
        if (control instanceof HTMLSelectElement) ensureOption(control, value);
        control.value = value;
      }
      this.showError(name, null);
    }
    this.updatePairing();
  }

  private read(): AdminForm {
    const form: Record<string, string | boolean> = {};
    for (const name of Object.keys(ADMIN_FIELDS) as AdminField[]) {
      const control = this.controls.get(name);
      const checkbox = (ADMIN_CHECKBOXES as readonly string[]).includes(name);
      // A web page has no server of its own to host: those controls are absent.
      form[name] =
        control === undefined
          ? checkbox
            ? false
            : name === 'port'
              ? '8787'
              : ''
          : checkbox
            ? (control as HTMLInputElement).checked
            : control.value;
    }
    return form as AdminForm;
  }

  private showError(name: AdminField, message: string | null): void {
    const error = this.errors.get(name);
    const control = this.controls.get(name);
    if (error === undefined || control === undefined) return;
    error.textContent = message ?? '';
    if (message === null) control.removeAttribute('aria-invalid');
    else control.setAttribute('aria-invalid', 'true');
  }

  private updateNotice(): void {
    const parsed = parseAdminForm(this.read(), this.backend.mode);
    this.notice.textContent = parsed.ok
      ? (applyNotice(applyPlan(this.hooks.current(), this.runWith(parsed.settings))) ?? '')
      : '';
    this.updatePairing();
  }

  /** The settings the page would run with: a host hosting its server keeps its own URL. */
  private runWith(settings: AdminSettings): LinkSettings {
    const link = linkWithAdminSettings(settings);
    return this.backend.mode === 'host' && settings.hostSignaling
      ? { ...link, signal: this.hooks.current().signal }
      : link;
  }

  private updatePairing(): void {
    const room = this.controls.get('room')?.value ?? '';
    const key = this.controls.get('key')?.value ?? '';
    this.pairingOut.value = pairingCode(room, key || null, this.pairingSignal);
  }

  private usePairingCode(): void {
    const parsed = parsePairingCode(this.pairingIn.value);
    if (!parsed.ok) return this.say(parsed.error, true);
    const set = (name: AdminField, value: string) => {
      const control = this.controls.get(name);
      if (control) control.value = value;
    };
    set('room', parsed.room);
    if (parsed.key !== null) set('key', parsed.key);
    if (parsed.signal !== null) set('signal', parsed.signal);
    const hosting = this.controls.get('hostSignaling') as HTMLInputElement | undefined;
    if (hosting) hosting.checked = false;
    this.updateNotice();
    this.say('Filled in from the pairing code; press Apply to use it.');
  }

  private async apply(): Promise<void> {
    const parsed = parseAdminForm(this.read(), this.backend.mode);
    for (const name of this.controls.keys()) this.showError(name, null);
    if (!parsed.ok) {
      for (const [name, message] of Object.entries(parsed.errors)) this.showError(name as AdminField, message);
      const first = Object.keys(parsed.errors)[0] as AdminField;
      this.controls.get(first)?.focus();
      this.say('Nothing was saved: correct the fields marked below.', true);
      return;
    }
    try {
      const saved = await this.backend.save(parsed.settings);
      if (saved.restartRequired) {
        // The hosted server moves only with a restart; until then the page keeps running as it is.
        this.say('Saved. Press Restart (below) to run the signaling server as set.');
        return;
      }
      this.say(`Saved. ${await this.hooks.apply(saved.link)}`);
      this.updateNotice();
    } catch (error) {
      this.say(`Not saved: ${(error as Error).message}`, true);
    }
  }

  private async restart(): Promise<void> {
    this.say('Restarting Portal…');
    try {
      await this.backend.restart?.();
    } catch (error) {
      this.say(`Could not restart: ${(error as Error).message}`, true);
    }
  }

  private async refreshLogs(): Promise<void> {
    try {
      const lines = (await this.backend.logs?.()) ?? [];
      this.logs.textContent = lines.join('\n');
    } catch (error) {
      this.logs.textContent = `The log could not be read: ${(error as Error).message}`;
    }
  }

  // Devices and the camera preview.

  private async fillDevices(settings: AdminSettings): Promise<void> {
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
    const options = (kind: MediaDeviceKind, first: string) => [
      ['', first] as const,
      ...devices
        .filter((d) => d.kind === kind && d.deviceId !== '' && d.deviceId !== 'default')
        .map((d, i) => [d.deviceId, d.label || `${kind} ${i + 1}`] as const),
    ];
    const fillSelect = (name: AdminField, list: ReadonlyArray<readonly [string, string]>, current: string | null) => {
      const control = this.controls.get(name) as HTMLSelectElement;
      control.replaceChildren(...list.map(([value, label]) => h('option', { value }, label)));
      if (current !== null) ensureOption(control, current);
    };
    fillSelect('camera', [...options('videoinput', 'First camera'), ['test-pattern', 'Test pattern']], settings.camera);
    fillSelect('microphone', options('audioinput', 'Default microphone'), settings.microphone);
    fillSelect('speaker', options('audiooutput', 'Default speaker'), settings.speaker);
  }

  private async showPreview(): Promise<void> {
    this.stopPreview();
    const chosen = this.controls.get('camera')?.value ?? '';
    const current = this.hooks.current().camera ?? '';
    if (chosen === current || chosen === 'test-pattern') {
      this.preview.srcObject = this.hooks.outgoing();
      return;
    }
    try {
      this.previewStream = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: chosen } } });
      this.preview.srcObject = this.previewStream;
    } catch {
      this.preview.srcObject = null;
    }
  }

  private stopPreview(): void {
    for (const track of this.previewStream?.getTracks() ?? []) track.stop();
    this.previewStream = null;
    this.preview.srcObject = null;
  }
}

/** A select shows a saved value even when it is not one of today's options (a label part, a custom size). */
function ensureOption(select: HTMLSelectElement, value: string): void {
  if (![...select.options].some((option) => option.value === value)) select.append(h('option', { value }, value));
}
