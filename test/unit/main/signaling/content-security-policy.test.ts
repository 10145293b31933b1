import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  pageHeaders,
  signalingOrigin,
} from '../../../../main/signaling/content-security-policy.js';

const directives = (csp: string) => Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d]));

describe("the page's Content-Security-Policy", () => {
  it('runs only its own scripts and styles, in no frame, with no plugins or forms', () => {
    const csp = directives(contentSecurityPolicy(null));
    expect(csp).toEqual({
      'default-src': "default-src 'none'",
      'script-src': "script-src 'self'",
      'style-src': "style-src 'self'",
      'img-src': "img-src 'self' data:",
      'media-src': "media-src 'self' blob: mediastream:",
      'connect-src': "connect-src 'self'",
      'base-uri': "base-uri 'none'",
      'form-action': "form-action 'none'",
      'frame-ancestors': "frame-ancestors 'none'",
      'object-src': "object-src 'none'",
    });
  });

  it('connects to each signaling server named, once, and to nothing that is not one', () => {
    expect(
      directives(
        contentSecurityPolicy(
          'wss://signal.example.org:443/signal',
          'ws://192.0.2.7:8787/signal',
          'wss://signal.example.org/other',
          'https://elsewhere.example/',
          'not a url',
          null,
        ),
      )['connect-src'],
    ).toBe(
      "connect-src 'self' wss://signal.example.org https://signal.example.org ws://192.0.2.7:8787 http://192.0.2.7:8787",
    );
  });

  it('reads the origin of ws:// and wss:// URLs only', () => {
    expect(signalingOrigin('ws://[::1]:8787/signal')).toBe('ws://[::1]:8787');
    expect(signalingOrigin('http://127.0.0.1:8787/')).toBeNull();
    // A host that could end a source or a directive is never written into the policy.
    for (const url of ["ws://a'b/", 'ws://a;sandbox/', 'ws://a,script-src/', 'ws://a*b/']) {
      expect(new URL(url).protocol).toBe('ws:');
      expect(signalingOrigin(url)).toBeNull();
    }
  });

  it('comes with nosniff, no framing for older browsers, and no referrer', () => {
    expect(pageHeaders('x')).toEqual({
      'content-security-policy': 'x',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
  });
});
