// The admin overlay, [data-portal-admin]: a PIN-guarded settings form over the running portal.
// Opens with Ctrl+Shift+A or a three-second press on the top-left corner; Escape, Close or a
// minute without input closes it. Every control has a visible label; a wrong value gets its
// message next to it and nothing is saved until every field is right. The portal keeps running
// underneath. This file only puts the panels together: the shortcuts, the PIN, the settings form
// (generated from the registry), devices, pairing, this site's and the partner's identity, and
// the host's actions and log.

import {
  adminForm,
  linkWithAdminSettings,
  parseAdminForm,
  type AdminSettings,
} from '../../app/admin/admin-settings.js';
import { applyNotice, applyPlan } from '../../app/admin/apply-plan.js';
import type { LinkSettings } from '../../app/config/link-settings.js';
import { h } from '../view/dom.js';
import type { AdminBackend } from './admin-backend.js';
import { listenForShortcuts } from './admin-shortcuts.js';
import { DeviceFields } from './device-fields.js';
import { DisposableStore, Timer, type Disposable } from '../lifecycle/disposables.js';
import { IdentityPanel, type IdentitySource } from './identity-panel.js';
import { PairingPanel } from './pairing-panel.js';
import { PinPanel } from './pin-panel.js';
import { SettingsForm } from './settings-form.js';

export interface AdminHooks extends IdentitySource {
  /** The settings the page runs with now. */
  current(): LinkSettings;
  /** Applies saved settings to the running page; answers with what happened, for a person. */
  apply(next: LinkSettings): Promise<string>;
  reconnect(): void;
  reload(): void;
  toggleStats(): void;
  /** Sound on again after the sound timer turned it off (audioMinutes). */
  soundOn(): void;
  /** The picture this site sends now (the preview of the camera in use). */
  outgoing(): MediaStream;
}

const IDLE_MS = 60_000;

export class AdminOverlay implements Disposable {
  readonly element = h('div', {
    'data-portal-admin': true,
    role: 'dialog',
    'aria-modal': 'true',
    'aria-labelledby': 'admin-title',
    hidden: true,
  });
  private readonly message = h('p', { class: 'admin-message', role: 'status', 'aria-live': 'polite' });
  private readonly notice = h('p', { class: 'admin-notice', role: 'note' });
  private readonly logs = h('pre', { class: 'admin-log' });
  private readonly store = new DisposableStore();
  private readonly idle = new Timer();
  private readonly pin: PinPanel;
  private readonly form: SettingsForm;
  private readonly devices: DeviceFields;
  private readonly pairing: PairingPanel;
  private readonly identity: IdentityPanel;

  constructor(
    private readonly backend: AdminBackend,
    private readonly hooks: AdminHooks,
  ) {
    this.pin = new PinPanel(backend, {
      say: (text, problem) => this.say(text, problem),
      unlocked: (greeting) => this.showSettings(greeting),
      locked: (on) => {
        if (on) this.element.dataset['locked'] = 'true';
        else delete this.element.dataset['locked'];
      },
    });
    this.form = new SettingsForm(backend.mode === 'host');
    this.devices = new DeviceFields(this.form, () => ({
      camera: hooks.current().camera,
      outgoing: hooks.outgoing(),
    }));
    this.form.control('camera')?.after(this.devices.preview);
    this.pairing = new PairingPanel(this.form, (text, problem) => this.say(text, problem));
    this.identity = new IdentityPanel(this.form, hooks, (text, problem) => this.say(text, problem));
    this.form.element.append(this.notice, this.actions(), this.logPanel() ?? '');

    const close = h('button', { type: 'button', class: 'admin-close' }, 'Close');
    close.addEventListener('click', () => this.close());
    this.element.append(
      h(
        'div',
        { class: 'admin-panel' },
        h('header', {}, h('h2', { id: 'admin-title' }, 'Portal settings'), close),
        this.message,
        this.pin.element,
        this.form.element,
      ),
    );
    document.body.append(this.element);
    this.store.add(() => this.element.remove());
    this.store.add(() => this.idle.dispose());
    this.store.add(() => this.pin.dispose());
    this.store.add(() => this.devices.dispose());
    this.store.add(() => this.identity.stop());

    this.form.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.apply();
    });
    this.form.element.addEventListener('input', () => this.updateNotice());
    this.form.element.addEventListener('change', (event) => {
      this.updateNotice();
      if (event.target === this.form.control('camera')) void this.devices.showPreview();
    });
    const shortcuts = listenForShortcuts({
      isOpen: () => this.isOpen,
      toggle: () => (this.isOpen ? this.close() : void this.open()),
      open: () => void this.open(),
      close: () => this.close(),
      toggleStats: () => hooks.toggleStats(),
      activity: () => this.touch(),
    });
    this.store.add(() => shortcuts.dispose());
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  async open(): Promise<void> {
    if (this.isOpen || this.store.isDisposed) return;
    this.element.hidden = false;
    this.touch();
    this.say('');
    this.form.element.hidden = true;
    try {
      const status = await this.backend.status();
      this.pin.show(status.pinSet, status.lockedMs);
    } catch (error) {
      this.pin.hide();
      this.say(`The settings cannot be opened: ${(error as Error).message}`, true);
    }
  }

  close(): void {
    if (!this.isOpen) return;
    this.element.hidden = true;
    this.form.element.hidden = true;
    this.pin.hide();
    this.devices.stopPreview();
    this.identity.stop();
    this.idle.cancel();
  }

  /** Removes the overlay and every listener and timer it set; idempotent. */
  dispose(): void {
    this.close();
    this.store.dispose();
  }

  private touch(): void {
    if (this.isOpen) this.idle.start(IDLE_MS, () => this.close());
  }

  private say(text: string, problem = false): void {
    this.message.textContent = text;
    this.message.classList.toggle('problem', problem);
  }

  private async showSettings(greeting: string): Promise<void> {
    const loaded = await this.backend.load();
    this.pairing.offer(loaded.pairingSignals);
    this.pin.hide();
    const form = adminForm(loaded.settings);
    await this.devices.fill(form);
    this.form.fill(form);
    this.form.element.hidden = false;
    this.say(greeting);
    this.identity.start();
    this.updateNotice();
    void this.devices.showPreview();
    this.form.control('site')?.focus();
  }

  private updateNotice(): void {
    const parsed = parseAdminForm(this.form.read(), this.backend.mode);
    this.notice.textContent = parsed.ok
      ? (applyNotice(applyPlan(this.hooks.current(), this.runWith(parsed.settings))) ?? '')
      : '';
    // A code carries this site's fingerprint only where it is kept: a partner would pin it in vain.
    const own = this.hooks.identity().own;
    this.pairing.fingerprint = own?.kept ? own.fingerprint : null;
    this.pairing.update();
    this.identity.update();
  }

  /** The settings the page would run with: a host hosting its server keeps its own URL. */
  private runWith(settings: AdminSettings): LinkSettings {
    const link = linkWithAdminSettings(settings);
    return this.backend.mode === 'host' && settings.hostSignaling
      ? { ...link, signal: this.hooks.current().signal }
      : link;
  }

  private async apply(): Promise<void> {
    const parsed = parseAdminForm(this.form.read(), this.backend.mode);
    this.form.showErrors(parsed.ok ? {} : parsed.errors);
    if (!parsed.ok) {
      this.say('Nothing was saved: correct the fields marked below.', true);
      return;
    }
    try {
      const saved = await this.backend.save(parsed.settings);
      if (saved.restartRequired) {
        // The hosted server moves, and the browser takes new switches, only with a restart; until
        // then the page keeps running as it is.
        this.say('Saved. Press Restart (below) for the new settings to take effect.');
        return;
      }
      this.say(`Saved. ${await this.hooks.apply(saved.link)}`);
      this.updateNotice();
    } catch (error) {
      this.say(`Not saved: ${(error as Error).message}`, true);
    }
  }

  private actions(): HTMLElement {
    const action = (label: string, run: () => void | Promise<void>) => {
      const button = h('button', { type: 'button' }, label);
      button.addEventListener('click', () => void run());
      return button;
    };
    return h(
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
      action('Sound on', () => {
        this.hooks.soundOn();
        this.say('Sound is on (where the Audio setting is).');
      }),
    );
  }

  /** The host's last log lines, read anew each time the panel is opened; none for a web page. */
  private logPanel(): HTMLElement | null {
    const read = this.backend.logs;
    if (read === null) return null;
    const panel = h('details', { class: 'admin-logs' }, h('summary', {}, 'Log (last 200 lines)'), this.logs);
    panel.addEventListener('toggle', () => {
      if (!panel.open) return;
      read().then(
        (lines) => (this.logs.textContent = lines.join('\n')),
        (error: unknown) => (this.logs.textContent = `The log could not be read: ${(error as Error).message}`),
      );
    });
    return panel;
  }

  private async restart(): Promise<void> {
    this.say('Restarting Portal…');
    try {
      await this.backend.restart?.();
    } catch (error) {
      this.say(`Could not restart: ${(error as Error).message}`, true);
    }
  }
}
