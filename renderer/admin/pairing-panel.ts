// Pairing by code, in the Link section: the code for the partner (room, key, this site's server
// and its fingerprint, to copy) and a field to paste the partner's, which fills room, key and
// server and pins the partner's fingerprint.

import { pairingCode, parsePairingCode } from '../../app/admin/admin-settings.js';
import { h } from '../view/dom.js';
import type { SettingsForm } from './settings-form.js';

export class PairingPanel {
  private readonly out = h('input', { id: 'admin-pairing-out', readonly: true, type: 'text' });
  private readonly in = h('input', { id: 'admin-pairing-in', type: 'text', autocomplete: 'off' });
  /** The signaling URL a partner should use, from the host (null: none to give). */
  signal: string | null = null;
  /** This site's fingerprint for the partner to pin (null: its identity is not kept, none to give). */
  fingerprint: string | null = null;

  constructor(
    private readonly form: SettingsForm,
    private readonly said: (text: string, problem?: boolean) => void,
  ) {
    const copy = h('button', { type: 'button', class: 'inline' }, 'Copy');
    copy.addEventListener('click', () => {
      this.out.select();
      void navigator.clipboard?.writeText(this.out.value).catch(() => undefined);
    });
    const use = h('button', { type: 'button', class: 'inline' }, 'Use code');
    use.addEventListener('click', () => this.use());
    form.sections
      .get('link')!
      .append(
        h(
          'div',
          { class: 'field with-button' },
          h('label', { for: this.out.id }, 'Pairing code for the partner'),
          this.out,
          copy,
        ),
        h(
          'div',
          { class: 'field with-button' },
          h('label', { for: this.in.id }, 'Pairing code from the partner'),
          this.in,
          use,
        ),
      );
  }

  /** The code as the form holds room and key now. */
  update(): void {
    const room = this.form.control('room')?.value ?? '';
    const key = this.form.control('key')?.value ?? '';
    this.out.value = pairingCode(room, key || null, this.signal, this.fingerprint);
  }

  private use(): void {
    const parsed = parsePairingCode(this.in.value);
    if (!parsed.ok) return this.said(parsed.error, true);
    this.form.set('room', parsed.room);
    if (parsed.key !== null) this.form.set('key', parsed.key);
    if (parsed.signal !== null) this.form.set('signal', parsed.signal);
    this.form.set('hostSignaling', '0');
    // The code's fingerprint is the partner's identity; a code without one (an older Portal's)
    // leaves no pin of an earlier partner behind.
    this.form.set('partnerFingerprint', parsed.fingerprint ?? '');
    this.form.element.dispatchEvent(new Event('input'));
    this.said(
      parsed.fingerprint === null
        ? 'Filled in from the pairing code; press Apply to use it. The code carries no fingerprint, so the partner is not pinned: pin it below once its picture shows.'
        : "Filled in from the pairing code, the partner's fingerprint pinned; press Apply to use it.",
    );
  }
}
