import { describe, expect, it } from 'vitest';
import { IDENTITY_LIFETIME_MS, IDENTITY_RENEW_BEFORE_MS } from '../../../../app/identity/fingerprint.js';
import {
  IDENTITY_NEXT_LEAD_MS,
  identityNextMessage,
  parseIdentityNext,
  rolloverStep,
} from '../../../../app/identity/rollover.js';

const DAY = 24 * 60 * 60 * 1_000;
const NOW = Date.UTC(2025, 5, 1);
const FP = '3F:A0:5C:11:D2:7E:90:4B:AA:06:E1:38:C5:72:1D:F9:64:0B:8E:23:57:C0:9A:41:EF:12:76:D8:3B:A5:0C:9C';

describe("a site's identity over the year", () => {
  it('keeps a fresh certificate and makes no next one while more than 30 days are left', () => {
    expect(IDENTITY_NEXT_LEAD_MS).toBe(30 * DAY);
    expect(rolloverStep(NOW + IDENTITY_LIFETIME_MS, null, NOW)).toBe('keep');
    expect(rolloverStep(NOW + 30 * DAY + 1, null, NOW)).toBe('keep');
  });

  it('makes the next certificate once fewer than 30 days are left, and only once', () => {
    expect(rolloverStep(NOW + 30 * DAY - 1, null, NOW)).toBe('make-next');
    expect(rolloverStep(NOW + 2 * DAY, null, NOW)).toBe('make-next');
    expect(rolloverStep(NOW + 29 * DAY, NOW + 29 * DAY + IDENTITY_LIFETIME_MS, NOW)).toBe('keep');
  });

  it('keeps using the current one, with its next beside it, until a day is left, then switches', () => {
    const next = NOW + IDENTITY_LIFETIME_MS - 29 * DAY;
    expect(rolloverStep(NOW + IDENTITY_RENEW_BEFORE_MS + 1, next, NOW)).toBe('keep');
    expect(rolloverStep(NOW + IDENTITY_RENEW_BEFORE_MS - 1, next, NOW)).toBe('switch');
    // A page that was off over the end (a kiosk stored for the winter) switches as it starts.
    expect(rolloverStep(NOW - 10 * DAY, next, NOW)).toBe('switch');
    expect(rolloverStep(null, next, NOW)).toBe('switch');
  });

  it('renews, breaking the pin, when the end comes with no good next one', () => {
    expect(rolloverStep(NOW + IDENTITY_RENEW_BEFORE_MS - 1, null, NOW)).toBe('renew');
    expect(rolloverStep(NOW - DAY, NOW + 1_000, NOW)).toBe('renew');
    expect(rolloverStep(null, null, NOW)).toBe('renew');
    expect(rolloverStep(Number.NaN, null, NOW)).toBe('renew');
  });

  it('makes a new next one when the kept next one is itself near its end', () => {
    expect(rolloverStep(NOW + 10 * DAY, NOW + 1_000, NOW)).toBe('make-next');
  });

  it('follows the timing it is given (a test scales it to seconds)', () => {
    const timing = { nextLeadMs: 90_000, switchBeforeMs: 75_000 };
    expect(rolloverStep(NOW + 89_000, null, NOW, timing)).toBe('make-next');
    expect(rolloverStep(NOW + 80_000, NOW + IDENTITY_LIFETIME_MS, NOW, timing)).toBe('keep');
    expect(rolloverStep(NOW + 74_000, NOW + IDENTITY_LIFETIME_MS, NOW, timing)).toBe('switch');
  });
});

describe('the identity:next message', () => {
  it('carries the fingerprint as 64 hex digits and is read back as Portal writes it', () => {
    const text = identityNextMessage(FP);
    expect(text).toBe(`identity:next:${FP.replace(/:/g, '')}`);
    expect(parseIdentityNext(text)).toBe(FP);
  });

  it.each([
    ['a heartbeat', 'hb'],
    ['a sound message', 'sound:off:1700000000000'],
    ['a short fingerprint', 'identity:next:3FA0'],
    ['one with colons', `identity:next:${FP}`],
    ['lower case', `identity:next:${FP.replace(/:/g, '').toLowerCase()}`],
    ['trailing text', `identity:next:${FP.replace(/:/g, '')}x`],
  ])('is not read from %s', (_what, text) => {
    expect(parseIdentityNext(text)).toBeNull();
  });
});
