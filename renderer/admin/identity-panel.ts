// Identity, in the Link section: this site's fingerprint (what a partner pins; a new identity on
// request) and the partner's as the last call saw it, with a button that pins it. Pinning only
// fills the field: the admin compares it with what the partner's settings show, then Applies.

import { parseFingerprint } from '../../app/identity/fingerprint.js';
import type { PartnerIdentity } from '../link/link-controller.js';
import type { IdentityInfo } from '../peer/site-identity.js';
import { h } from '../view/dom.js';
import type { SettingsForm } from './settings-form.js';

export interface IdentitySource {
  identity(): { readonly own: IdentityInfo | null; readonly partner: PartnerIdentity | null };
  renewIdentity(): Promise<void>;
}

/** How often the fields are read again while the settings are open (a call may come meanwhile). */
const REFRESH_MS = 1_000;
/** A New identity press waits this long for the second press that confirms it. */
const CONFIRM_MS = 10_000;

export class IdentityPanel {
  private readonly own = h('input', { id: 'admin-fingerprint-own', readonly: true, type: 'text' });
  private readonly ownHint = h('p', { class: 'hint', id: 'admin-fingerprint-own-hint' });
  private readonly partner = h('input', { id: 'admin-fingerprint-partner', readonly: true, type: 'text' });
  private readonly partnerHint = h('p', { class: 'hint', id: 'admin-fingerprint-partner-hint' });
  private readonly pin = h('button', { type: 'button', class: 'inline' }, 'Pin this partner');
  private readonly renew = h('button', { type: 'button', class: 'inline' }, 'New identity');
  private refresh: ReturnType<typeof setInterval> | null = null;
  private confirmUntil = 0;

  constructor(
    private readonly form: SettingsForm,
    private readonly source: IdentitySource,
    private readonly said: (text: string, problem?: boolean) => void,
  ) {
    this.own.setAttribute('aria-describedby', this.ownHint.id);
    this.partner.setAttribute('aria-describedby', this.partnerHint.id);
    this.pin.addEventListener('click', () => this.pinPartner());
    this.renew.addEventListener('click', () => void this.renewIdentity());
    form.sections
      .get('link')!
      .append(
        h(
          'div',
          { class: 'field with-button' },
          h('label', { for: this.own.id }, "This portal's fingerprint"),
          this.own,
          this.renew,
          this.ownHint,
        ),
        h(
          'div',
          { class: 'field with-button' },
          h('label', { for: this.partner.id }, "Partner's fingerprint, as its last call showed it"),
          this.partner,
          this.pin,
          this.partnerHint,
        ),
      );
  }

  /** Shows the fields now and keeps them current while the settings are open. */
  start(): void {
    this.update();
    this.refresh ??= setInterval(() => this.update(), REFRESH_MS);
  }

  stop(): void {
    if (this.refresh !== null) clearInterval(this.refresh);
    this.refresh = null;
    this.confirmUntil = 0;
  }

  update(): void {
    const { own, partner } = this.source.identity();
    this.own.value = own?.fingerprint ?? '';
    this.ownHint.textContent =
      own === null
        ? 'This browser gave the page no certificate of its own: a partner cannot pin this site.'
        : (own.problem ??
          (own.next === null
            ? `Kept in this browser; it lasts until ${new Date(own.expires).toLocaleDateString()}, the longest a browser allows. A month before, the next one is made and told to the partner over a call, which then accepts it without pairing again.`
            : `Kept in this browser until ${new Date(own.expires).toLocaleDateString()}; its next one (${own.next.fingerprint.slice(0, 11)}...) is ready, told to the partner at each call, and takes over then. A partner that takes no call before then must pair again.`));
    this.ownHint.classList.toggle('problem', own?.problem != null);
    const typed = parseFingerprint(this.form.control('partnerFingerprint')?.value ?? '');
    const pinned = typed.ok ? typed.text : null;
    this.partner.value = partner?.fingerprint ?? '';
    this.pin.disabled = !partner?.fingerprint || partner.fingerprint === pinned;
    this.partnerHint.textContent =
      partner === null
        ? 'No call has reached the partner yet.'
        : partner.fingerprint === null
          ? 'The last call showed no certificate of the partner.'
          : partner.matched === true
            ? partner.renewed
              ? `${partner.site ?? 'The partner'} is the pinned site with its renewed identity, which it announced over an earlier call: accepted without pairing again.`
              : `${partner.site ?? 'The partner'} is the pinned site.`
            : partner.matched === false
              ? `${partner.site ?? 'The partner'} is NOT the pinned site: no picture of it is shown. Pin it only if this is the fingerprint its own settings show.`
              : `${partner.site ?? 'The partner'} is not pinned: any site with the room key is shown.`;
  }

  private pinPartner(): void {
    const fingerprint = this.source.identity().partner?.fingerprint;
    if (!fingerprint) return;
    this.form.set('partnerFingerprint', fingerprint);
    this.form.element.dispatchEvent(new Event('input'));
    this.update();
    this.said(
      "The partner's fingerprint is filled in. Check that it is the one the partner's own settings show, then press Apply to pin it.",
    );
  }

  private async renewIdentity(): Promise<void> {
    if (Date.now() > this.confirmUntil) {
      this.confirmUntil = Date.now() + CONFIRM_MS;
      this.said(
        "A new identity changes this site's fingerprint: a partner that pinned this site shows nothing of it until it pairs again. Press New identity again to go ahead.",
        true,
      );
      return;
    }
    this.confirmUntil = 0;
    try {
      await this.source.renewIdentity();
      // The pairing code (above) follows the form's input.
      this.form.element.dispatchEvent(new Event('input'));
      this.said('This site has a new identity; give the partner a new pairing code (above).');
    } catch (error) {
      this.said(`No new identity: ${(error as Error).message}`, true);
    }
  }
}
