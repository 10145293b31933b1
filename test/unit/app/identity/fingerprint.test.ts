import { describe, expect, it } from 'vitest';
import {
  IDENTITY_LIFETIME_MS,
  IDENTITY_RENEW_BEFORE_MS,
  expiresWithin,
  parseFingerprint,
  remoteFingerprintOf,
} from '../../../../app/identity/fingerprint.js';

const FP = '3F:A0:5C:11:D2:7E:90:4B:AA:06:E1:38:C5:72:1D:F9:64:0B:8E:23:57:C0:9A:41:EF:12:76:D8:3B:A5:0C:9C';
const OTHER = FP.replace(/^3F/, '40');

describe('a fingerprint typed by a person', () => {
  it.each([
    ['as SDP writes it', FP],
    ['in lower case', FP.toLowerCase()],
    ['without colons', FP.replace(/:/g, '')],
    [
      'in mixed case without colons, with spaces around',
      ` ${FP.replace(/:/g, '').toLowerCase().replace(/^3f/, '3F')} `,
    ],
    ["after SDP's algorithm name", `sha-256 ${FP.toLowerCase()}`],
  ])('is read %s, and written back upper case with colons', (_how, raw) => {
    expect(parseFingerprint(raw)).toEqual({ ok: true, text: FP });
  });

  it.each([
    ['too short', 'AB:CD:EF', /it has 6 hex digits: got 'AB:CD:EF'$/],
    ['too long', `${FP}:00`, /it has 66 hex digits/],
    ['not hex', FP.replace(/^3F/, 'ZZ'), /characters other than hex digits and colons/],
    ['with colons in the wrong places', `3FA0:${FP.slice(6)}`, /colons must stand between every pair/],
    ['empty', '', /it has 0 hex digits/],
  ])('is refused when %s, saying what a fingerprint is', (_how, raw, why) => {
    const parsed = parseFingerprint(raw);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toMatch(/^must be a sha-256 fingerprint: 64 hex digits, in pairs separated by colons or not/);
    expect(parsed.error).toMatch(why);
  });

  it('quotes at most the first 40 characters of what it refuses', () => {
    const parsed = parseFingerprint('x'.repeat(500));
    expect(!parsed.ok && parsed.error).toMatch(/got 'x{40}\.\.\.'$/);
  });
});

describe("the partner's fingerprint from a connection's stats", () => {
  const transport = { id: 'T01', type: 'transport', dtlsState: 'connected', remoteCertificateId: 'CFremote' };
  const local = { id: 'CFlocal', type: 'certificate', fingerprint: OTHER, fingerprintAlgorithm: 'sha-256' };
  const remote = { id: 'CFremote', type: 'certificate', fingerprint: FP, fingerprintAlgorithm: 'sha-256' };

  it("is the certificate the transport's DTLS handshake saw from the partner, not ours", () => {
    expect(remoteFingerprintOf([local, transport, remote])).toBe(FP);
    expect(remoteFingerprintOf([{ ...transport, remoteCertificateId: 'CFlocal' }, local, remote])).toBe(OTHER);
  });

  it('is not known before DTLS is up, nor when the certificate is hashed another way', () => {
    const { remoteCertificateId: _r, ...handshaking } = transport;
    expect(remoteFingerprintOf([handshaking, local, remote])).toBeNull();
    expect(remoteFingerprintOf([transport, local])).toBeNull();
    expect(remoteFingerprintOf([transport, { ...remote, fingerprintAlgorithm: 'sha-1' }])).toBeNull();
    expect(remoteFingerprintOf([])).toBeNull();
  });

  it('is read in any case the browser writes it', () => {
    expect(remoteFingerprintOf([transport, { ...remote, fingerprint: FP.toLowerCase() }])).toBe(FP);
  });
});

describe("a site's certificate", () => {
  const now = Date.UTC(2026, 0, 1);

  it('is asked for a year, the most Chromium gives', () => {
    expect(IDENTITY_LIFETIME_MS).toBe(365 * 86_400_000);
  });

  it('is replaced only in its last day, or when it has no expiry at all', () => {
    const identityNeedsRenewal = (expires: number, at: number) => expiresWithin(expires, at, IDENTITY_RENEW_BEFORE_MS);
    expect(identityNeedsRenewal(now + IDENTITY_LIFETIME_MS, now)).toBe(false);
    expect(identityNeedsRenewal(now + IDENTITY_RENEW_BEFORE_MS + 1, now)).toBe(false);
    expect(identityNeedsRenewal(now + IDENTITY_RENEW_BEFORE_MS - 1, now)).toBe(true);
    expect(identityNeedsRenewal(now - 1, now)).toBe(true);
    expect(identityNeedsRenewal(Number.NaN, now)).toBe(true);
  });
});
