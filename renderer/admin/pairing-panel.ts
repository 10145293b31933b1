// Pairing by code, in the Link section: the code for the partner (room, key, this site's server
// and its fingerprint, to copy) and a field to paste the partner's, which fills room, key and
// server and pins the partner's fingerprint. The
// server's address in the code is chosen from the host's list (this machine may have a LAN, a
// VPN and a container bridge); the choice is remembered in this browser's storage.

import { pairingCode, parsePairingCode } from '../../app/admin/admin-settings.js';
import {
  choosePairingSignal,
  pairingSignalLabel,
  parseRememberedSignal,
  type PairingSignal,
} from '../../app/admin/pairing-signals.js';
import { h } from '../view/dom.js';
import type { SettingsForm } from './settings-form.js';

export class PairingPanel {
  private readonly out = h('input', { id: 'admin-pairing-out', readonly: true, type: 'text' });
  private readonly in = h('input', { id: 'admin-pairing-in', type: 'text', autocomplete: 'off' });
  /** Where the partner reaches this site's server: the host's candidates, the chosen one selected. */
  private readonly address = h('select', { id: 'admin-pairing-signal' });
  private readonly addressRow = h(
    'div',
    { class: 'field', hidden: true },
    h('label', { for: this.address.id }, 'Partner reaches this portal at'),
    this.address,
    h('p', { class: 'hint' }, 'The address the pairing code gives: one on the network the partner site can reach.'),
  );
  private candidates: readonly PairingSignal[] = [];
  /** This site's fingerprint for the partner to pin (null: its identity is not kept, none to give). */
  fingerprint: string | null = null;

  constructor(
    private readonly form: SettingsForm,
    private readonly said: (text: string, problem?: boolean) => void,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeLocalStorage(),
  ) {
    this.address.addEventListener('change', () => {
      const chosen = this.candidates.find((candidate) => candidate.url === this.address.value);
      if (chosen) remember(this.storage, chosen);
      this.update();
    });
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
        this.addressRow,
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

  /** The signaling URL the code gives the partner (null: none to give). */
  get signal(): string | null {
    return this.candidates.length > 0 ? this.address.value : null;
  }

  /** The host's candidates, best first; the one chosen before is selected again where it is offered. */
  offer(candidates: readonly PairingSignal[]): void {
    this.candidates = candidates;
    const chosen = choosePairingSignal(candidates, parseRememberedSignal(read(this.storage)));
    this.address.replaceChildren(
      ...candidates.map((candidate) =>
        h('option', { value: candidate.url, title: candidate.url }, pairingSignalLabel(candidate)),
      ),
    );
    if (chosen) this.address.value = chosen.url;
    // Shown where there is a choice, or a word on the one there is (eth0, this machine only);
    // a web page's one server is in the code already.
    this.addressRow.hidden = candidates.length === 0 || (candidates.length === 1 && candidates[0]!.interface === null);
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

/** Where the chosen address is remembered, in this browser's (the kiosk profile's) storage. */
const CHOSEN_SIGNAL_KEY = 'portal.pairingSignal';

function safeLocalStorage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null; // a page without storage (an opaque origin) remembers nothing
  }
}

function read(storage: Pick<Storage, 'getItem'> | null): string | null {
  try {
    return storage?.getItem(CHOSEN_SIGNAL_KEY) ?? null;
  } catch {
    return null;
  }
}

function remember(storage: Pick<Storage, 'setItem'> | null, chosen: PairingSignal): void {
  try {
    storage?.setItem(CHOSEN_SIGNAL_KEY, JSON.stringify({ url: chosen.url, interface: chosen.interface }));
  } catch {
    // Storage full or refused: the choice holds until the overlay is opened again.
  }
}
