// The page's Content-Security-Policy and the headers that go with it, one policy for every way
// the page is served: the Electron shell's app:// protocol and the HTTP server of `portal
// serve` and the kiosk hosts (sirv). Here, in the lowest folder that serves the page, so both
// import it (docs/architecture.md: electron > ... > signaling).

/**
 * Scripts and styles from Portal's own files only (no inline script, no eval), no plugins, no
 * frames (neither in the page nor the page in another's), no forms; network connections only
 * to the page's own origin and the signaling servers named: each one's `ws(s)://HOST:PORT`, and
 * its `http(s)://HOST:PORT` too, where the page probes `/healthz` when the server falls silent
 * (Chromium does not take a ws: source for http:, whatever CSP 3 says; the e2e test tries it).
 * The WebRTC connections themselves (STUN, TURN, media) are not fetches and no directive here
 * governs them.
 */
export function contentSecurityPolicy(...signalUrls: readonly (string | null)[]): string {
  // An address that is not a URL opens nothing, so it is left out: the page still loads and
  // says what is wrong with it, instead of a window left blank by a policy that cannot be built.
  const origins = [
    ...new Set(
      signalUrls
        .map(signalingOrigin)
        .filter((origin) => origin !== null)
        .flatMap((origin) => [origin, origin.replace(/^ws/, 'http')]),
    ),
  ];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob: mediastream:",
    ["connect-src 'self'", ...origins].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** A host the policy may name: a DNS name or an IP literal, nothing that could end a source. */
const PLAIN_HOST = /^(?:[a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/;

/**
 * `ws(s)://host:port` of a signaling URL; null for anything else (it opens nothing). A URL's
 * host may hold `;`, `,` or `'`, which would end a source or a directive in the policy (a
 * `?signal=` in a link someone was sent): such a host is left out, never written in.
 */
export function signalingOrigin(url: string | null): string | null {
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') return null;
  return PLAIN_HOST.test(parsed.hostname) ? parsed.origin : null;
}

/** Every answer that carries the page or one of its files. */
export function pageHeaders(csp: string): Record<string, string> {
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    // An older browser that ignores frame-ancestors still refuses to frame the page.
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}
