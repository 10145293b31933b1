// A site's identity is the sha-256 fingerprint of its DTLS certificate, written as in SDP's
// `a=fingerprint:sha-256 AB:CD:...` (32 bytes in upper-case hex, colon-separated). People copy
// one from a screen or a pairing code, so the text form takes it in any case, with or without
// the colons, and writes it back one way. The partner's is read from a live connection's stats.

/** A fingerprint as this Portal writes it: 32 upper-case hex bytes, colon-separated. */
export const FINGERPRINT_PATTERN = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;

export const FINGERPRINT_RULE = 'a sha-256 fingerprint: 64 hex digits, in pairs separated by colons or not';

export type FingerprintParse =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

/**
 * Reads a fingerprint typed or pasted by a person: any case, colons between every pair or none,
 * and an optional leading `sha-256` (as SDP writes it). Answers with it as Portal writes it, or
 * the end of a sentence saying what is wrong ("must be ...").
 */
export function parseFingerprint(raw: string): FingerprintParse {
  const text = raw.trim().replace(/^sha-256\s+/i, '');
  const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
  const hex = text.includes(':') ? text.split(':') : null;
  const pairs = hex ?? text.match(/.{1,2}/g) ?? [];
  const wellFormed = pairs.every((pair) => /^[0-9A-Fa-f]{2}$/.test(pair));
  if (wellFormed && pairs.length === 32) return { ok: true, text: pairs.join(':').toUpperCase() };
  const digits = text.replace(/:/g, '');
  const why = !/^[0-9A-Fa-f]*$/.test(digits)
    ? 'it holds characters other than hex digits and colons'
    : digits.length !== 64
      ? `it has ${digits.length} hex digits`
      : 'its colons must stand between every pair of digits';
  return {
    ok: false,
    error: `must be ${FINGERPRINT_RULE} (such as 3F:A0:...:9C, as the partner's settings show it), and ${why}: got '${shown}'`,
  };
}

/** The fields of getStats() reports that lead to the partner's certificate. */
export interface CertificateStatsEntry {
  readonly id: string;
  readonly type: string;
  readonly remoteCertificateId?: string;
  readonly selectedCandidatePairId?: string;
  readonly dtlsState?: string;
  readonly fingerprint?: string;
  readonly fingerprintAlgorithm?: string;
}

/**
 * The partner's certificate fingerprint as the live connection saw it in its DTLS handshake:
 * the transport's `remoteCertificateId`, then that certificate's stats (its chain's first, which
 * is the one the handshake authenticated). Null until DTLS is up, or when it is not sha-256 (the
 * only kind Portal pins). A connection carries one transport here (bundled media and data).
 */
export function remoteFingerprintOf(reports: Iterable<CertificateStatsEntry>): string | null {
  const byId = new Map<string, CertificateStatsEntry>();
  const transports: CertificateStatsEntry[] = [];
  for (const report of reports) {
    byId.set(report.id, report);
    if (report.type === 'transport' && report.remoteCertificateId !== undefined) transports.push(report);
  }
  for (const transport of transports) {
    const certificate = byId.get(transport.remoteCertificateId!);
    if (certificate?.type !== 'certificate' || certificate.fingerprint === undefined) continue;
    if (certificate.fingerprintAlgorithm?.toLowerCase() !== 'sha-256') continue;
    const parsed = parseFingerprint(certificate.fingerprint);
    if (parsed.ok) return parsed.text;
  }
  return null;
}

/**
 * How long a site's certificate is asked to last. Chromium (WebRTC's RTCCertificateGenerator)
 * clamps `expires` to a year (kYearInSeconds) and defaults to 30 days, and an RTCPeerConnection
 * refuses an expired certificate ("Expired certificate(s)"), so a year is the longest identity
 * a site can keep; asking for more gets a year without a word.
 */
export const IDENTITY_LIFETIME_MS = 365 * 24 * 60 * 60 * 1_000;

/** A certificate with less than this left is replaced: a session must never be refused for it. */
export const IDENTITY_RENEW_BEFORE_MS = 24 * 60 * 60 * 1_000;

/** Whether a certificate that expires at `expires` (ms since 1970) ends within `ms` of `now`. */
export function expiresWithin(expires: number, now: number, ms: number): boolean {
  return !Number.isFinite(expires) || expires - now < ms;
}
