import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TurnCredentialIssuer, turnCredential } from '../../../../main/signaling/turn-credentials.js';

const SECRET = 'portal-turn-secret';
const URLS = ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp'];

describe('turnCredential', () => {
  it('names the expiry and the site, and signs them with HMAC-SHA1 of the secret, base64', () => {
    // Computed with `printf %s '1700003601:dublin' | openssl dgst -sha1 -hmac portal-turn-secret -binary | base64`.
    expect(turnCredential(SECRET, 'dublin', 1_700_003_601)).toEqual({
      username: '1700003601:dublin',
      credential: '2ttzL3R8mwetj/xj68i9TcVNiY4=',
      expiresAt: 1_700_003_601,
    });
  });

  it('agrees with node:crypto for any site name', () => {
    const { username, credential } = turnCredential('another secret', 'site.name_with-marks', 42);
    expect(username).toBe('42:site.name_with-marks');
    expect(credential).toBe(createHmac('sha1', 'another secret').update(username).digest('base64'));
  });

  it('gives a different credential for another secret, site or expiry', () => {
    const base = turnCredential(SECRET, 'dublin', 1_700_003_601).credential;
    expect(turnCredential('other', 'dublin', 1_700_003_601).credential).not.toBe(base);
    expect(turnCredential(SECRET, 'oslo', 1_700_003_601).credential).not.toBe(base);
    expect(turnCredential(SECRET, 'dublin', 1_700_003_602).credential).not.toBe(base);
  });
});

describe('TurnCredentialIssuer', () => {
  it('hands out one ICE server with every URL, valid for the ttl from the clock', () => {
    const issuer = new TurnCredentialIssuer({ urls: URLS, secret: SECRET, ttl: 3_600 }, () => 1_700_000_001_000);
    expect(issuer.ttlSeconds).toBe(3_600);
    expect(issuer.iceServerFor('dublin')).toEqual({
      urls: URLS,
      username: '1700003601:dublin',
      credential: '2ttzL3R8mwetj/xj68i9TcVNiY4=',
    });
  });

  it('rounds the expiry up to the next whole second, so the credentials last at least the ttl', () => {
    const issuer = new TurnCredentialIssuer({ urls: URLS, secret: SECRET, ttl: 60 }, () => 1_700_000_000_001);
    expect(issuer.iceServerFor('s').username).toBe('1700000061:s');
  });

  it('follows its clock: later asks expire later', () => {
    let now = 1_700_000_000_000;
    const issuer = new TurnCredentialIssuer({ urls: URLS, secret: SECRET, ttl: 86_400 }, () => now);
    expect(issuer.iceServerFor('oslo')).toMatchObject({
      username: '1700086400:oslo',
    });
    now += 1_000;
    // Computed with `printf %s '1700086401:oslo' | openssl dgst -sha1 -hmac portal-turn-secret -binary | base64`.
    expect(issuer.iceServerFor('oslo')).toMatchObject({
      username: '1700086401:oslo',
      credential: 's20rcbgT6ZV3t73QvvymIEEG1gc=',
    });
  });

  it('reads the wall clock when given none', () => {
    const issuer = new TurnCredentialIssuer({ urls: URLS, secret: SECRET, ttl: 600 });
    const before = Math.ceil(Date.now() / 1000);
    const expiry = Number(issuer.iceServerFor('s').username!.split(':')[0]);
    expect(expiry).toBeGreaterThanOrEqual(before + 600);
    expect(expiry).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 600);
  });

  it('keeps the URLs it was given, whatever the caller does with its array later', () => {
    const urls = [...URLS];
    const issuer = new TurnCredentialIssuer({ urls, secret: SECRET, ttl: 60 });
    urls.push('turn:late.example.org');
    const served = issuer.iceServerFor('s');
    expect(served.urls).toEqual(URLS);
  });

  it.each([
    [{ urls: [], secret: SECRET, ttl: 60 }, /at least one turn: or turns: URL/],
    [{ urls: URLS, secret: '', ttl: 60 }, /secret must not be empty/],
    [{ urls: URLS, secret: SECRET, ttl: 0 }, /whole number of seconds from 1 to 604800/],
    [{ urls: URLS, secret: SECRET, ttl: 1.5 }, /whole number of seconds/],
    [{ urls: URLS, secret: SECRET, ttl: 604_801 }, /from 1 to 604800/],
  ])('refuses %j at start', (turn, message) => {
    expect(() => new TurnCredentialIssuer(turn)).toThrow(message);
  });
});
