// A site's identity outlives its certificate. A browser gives a certificate a year at most
// (fingerprint.ts), so a month before the current one ends the site makes its next one, keeps it
// beside the current one, and tells its partner over each verified session; at the end it
// switches to it. The partner, told by the site it pinned, accepts the next fingerprint as the
// same site (successors.ts), so no person has to pair the two again every year.

import { expiresWithin, IDENTITY_RENEW_BEFORE_MS, parseFingerprint } from './fingerprint.js';

/** The next certificate is made this long before the current one expires. */
export const IDENTITY_NEXT_LEAD_MS = 30 * 24 * 60 * 60 * 1_000;

export interface RolloverTiming {
  /** How long before the current one expires the next one is made. */
  readonly nextLeadMs: number;
  /** How long before the current one expires the site switches to the next one. */
  readonly switchBeforeMs: number;
}

export const ROLLOVER_TIMING: RolloverTiming = {
  nextLeadMs: IDENTITY_NEXT_LEAD_MS,
  switchBeforeMs: IDENTITY_RENEW_BEFORE_MS,
};

/**
 * What the site does with its identity now, given when the current and next certificates expire
 * (ms since 1970; null: there is none):
 * - `keep`: nothing to do;
 * - `make-next`: the current one ends within the lead time and there is no next one yet;
 * - `switch`: the current one is about to end (or is gone) and the next one is good: it becomes
 *   the current one, and a partner that was told of it accepts it;
 * - `renew`: the current one is about to end and there is no good next one: a new certificate,
 *   which a partner that pins this site refuses until it pairs again.
 */
export function rolloverStep(
  current: number | null,
  next: number | null,
  now: number,
  timing: RolloverTiming = ROLLOVER_TIMING,
): 'keep' | 'make-next' | 'switch' | 'renew' {
  const nextGood = next !== null && !expiresWithin(next, now, timing.switchBeforeMs);
  if (current === null || expiresWithin(current, now, timing.switchBeforeMs)) return nextGood ? 'switch' : 'renew';
  if (!nextGood && expiresWithin(current, now, timing.nextLeadMs)) return 'make-next';
  return 'keep';
}

/**
 * The data-channel message that tells the partner this site's next fingerprint:
 * `identity:next:` then its 64 hex digits (no colons, as in the pairing code).
 */
export function identityNextMessage(fingerprint: string): string {
  return `identity:next:${fingerprint.replace(/:/g, '')}`;
}

const NEXT_MESSAGE = /^identity:next:([0-9A-F]{64})$/;

/** The fingerprint an `identity:next:` message names, as Portal writes it; null: not one. */
export function parseIdentityNext(text: string): string | null {
  const match = NEXT_MESSAGE.exec(text);
  const parsed = match === null ? null : parseFingerprint(match[1]!);
  return parsed?.ok ? parsed.text : null;
}
