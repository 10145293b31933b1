// The decisions behind the host's HTTP port, on the headers and addresses themselves; the
// integration tests (test/integration/site/kiosk-host-guard.test.ts) send them over sockets.

import { describe, expect, it } from 'vitest';
import {
  bridgeRequestProblem,
  hostName,
  isLoopbackAddress,
  pageHostProblem,
} from '../../../../main/signaling/request-guard.js';

const rule = { names: ['portal.example.org', 'kiosk-7'] };

describe('hostName', () => {
  it.each([
    ['127.0.0.1:8787', '127.0.0.1'],
    ['LOCALHOST', 'localhost'],
    ['[::1]:8787', '::1'],
    ['[::1]', '::1'],
    ['portal.example.org.', 'portal.example.org'],
    ['Portal.Example.org:443', 'portal.example.org'],
  ])('reads %s as %s', (header, name) => {
    expect(hostName(header)).toBe(name);
  });

  it.each([undefined, '', 'a b', 'evil.example@127.0.0.1', '[zz::1]', 'host:port', '127.0.0.1:8787/x'])(
    'finds no name in %s',
    (header) => {
      expect(hostName(header)).toBeNull();
    },
  );
});

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('takes %s for this machine', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });

  it.each([undefined, '192.0.2.2', '::ffff:192.0.2.2', '10.0.0.1', 'fe80::1', '::', '0.0.0.0', '128.0.0.1'])(
    'takes %s for another',
    (address) => {
      expect(isLoopbackAddress(address)).toBe(false);
    },
  );
});

describe('the page answers only to names that cannot be rebound', () => {
  it.each([
    '127.0.0.1:8787',
    '192.0.2.2:8787',
    '[2001:db8::7]:8787',
    'localhost:8787',
    'portal.localhost',
    'portal.example.org',
    'PORTAL.example.org:443',
    'kiosk-7:8787',
  ])('serves Host %s', (header) => {
    expect(pageHostProblem(header, rule)).toBeNull();
  });

  it('refuses a name it was not given, saying how to give it', () => {
    expect(pageHostProblem('evil.example:8787', rule)).toBe(
      "This server does not answer to the name 'evil.example': it answers to its IP addresses, localhost, its own host name and the names given to portal serve with --public-name.",
    );
    expect(pageHostProblem('example.org', rule)).toMatch(/'example\.org'/);
    expect(pageHostProblem('portal.example.org.evil.example', rule)).toMatch(/does not answer/);
  });

  it('refuses a request without a Host, or with one that is not a name', () => {
    expect(pageHostProblem(undefined, rule)).toBe('This server needs a Host header.');
    expect(pageHostProblem('a b', rule)).toBe("This server does not answer to the Host 'a b'.");
  });
});

describe('the bridge answers the kiosk page on this machine only', () => {
  const good = {
    remoteAddress: '127.0.0.1',
    host: '127.0.0.1:8787',
    origin: 'http://127.0.0.1:8787',
    scheme: 'http' as const,
  };

  it('lets the page on this machine call, with or without an Origin', () => {
    expect(bridgeRequestProblem(good)).toBeNull();
    expect(bridgeRequestProblem({ ...good, origin: undefined })).toBeNull();
    expect(bridgeRequestProblem({ ...good, remoteAddress: '::ffff:127.0.0.1' })).toBeNull();
    expect(bridgeRequestProblem({ ...good, host: 'localhost:8787', origin: 'http://localhost:8787' })).toBeNull();
  });

  it('refuses another machine, whatever it sends', () => {
    expect(bridgeRequestProblem({ ...good, remoteAddress: '192.0.2.2' })).toEqual({
      reason: 'peer',
      message: 'Bridge call refused: the bridge answers this machine only.',
    });
    expect(bridgeRequestProblem({ ...good, remoteAddress: undefined })?.reason).toBe('peer');
  });

  it('refuses what a reverse proxy on this machine relays from elsewhere', () => {
    expect(bridgeRequestProblem({ ...good, proxied: true })).toEqual({
      reason: 'proxy',
      message: 'Bridge call refused: the bridge is not served through a proxy.',
    });
  });

  it('refuses a name that is not loopback, as a rebinding page would send', () => {
    for (const host of ['evil.example:8787', '192.0.2.2:8787', undefined, 'a b']) {
      expect(bridgeRequestProblem({ ...good, host, origin: undefined })?.reason).toBe('host');
    }
  });

  it("refuses a call from another site's page", () => {
    for (const origin of ['http://evil.example', 'http://127.0.0.1:9999', 'https://127.0.0.1:8787', 'null']) {
      expect(bridgeRequestProblem({ ...good, origin })).toEqual({
        reason: 'origin',
        message: "Bridge call refused: it comes from another site than the kiosk's page.",
      });
    }
  });
});
