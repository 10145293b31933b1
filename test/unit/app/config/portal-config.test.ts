import { describe, expect, it } from 'vitest';
import { configText, defaultConfig, parseConfigText } from '../../../../app/config/portal-config.js';

describe('the kiosk config', () => {
  const config = defaultConfig('Kiosk One', 'k'.repeat(24));

  it('has working defaults that survive a round trip through the file', () => {
    expect(config).toMatchObject({
      version: 5,
      site: 'Kiosk-One',
      room: 'portal',
      signaling: { host: true, port: 8787, url: null, turn: null },
    });
    expect(parseConfigText(configText(config))).toEqual({ ok: true, config, migratedFrom: null });
  });

  it('takes a TURN server for the hosted signaling server, with credentials for a day unless told', () => {
    const turn = { urls: ['turn:turn.example.org:3478', 'turns:turn.example.org:5349'], secret: 'shared' };
    const parsed = parseConfigText(JSON.stringify({ ...config, signaling: { ...config.signaling, turn } }));
    expect(parsed.ok && parsed.config.signaling.turn).toEqual({ ...turn, ttl: 86_400 });
    const hourly = { ...turn, ttl: 3_600 };
    const again = parseConfigText(JSON.stringify({ ...config, signaling: { ...config.signaling, turn: hourly } }));
    expect(again.ok && again.config.signaling.turn).toEqual(hourly);
  });

  it('reads a version 3 file from before signaling.turn as one without TURN', () => {
    const { turn: _turn, ...signaling } = config.signaling;
    expect(parseConfigText(JSON.stringify({ ...config, signaling }))).toEqual({ ok: true, config, migratedFrom: null });
  });

  it("needs the partner's server when this site does not host one", () => {
    const guest = { ...config, signaling: { host: false, port: 8787, url: null } };
    expect(parseConfigText(JSON.stringify(guest))).toEqual({
      ok: false,
      error: expect.stringMatching(/`signaling.url` must name the partner's signaling server/),
    });
    const pointed = { ...guest, signaling: { ...guest.signaling, url: 'ws://10.0.0.2:8787/signal' } };
    expect(parseConfigText(JSON.stringify(pointed)).ok).toBe(true);
  });

  it.each([
    ['not JSON', 'nope', /not valid JSON/],
    ['a bad site', JSON.stringify({ ...config, site: 'a b' }), /`site` must be 1-64 characters/],
    [
      'a bad port',
      JSON.stringify({ ...config, signaling: { ...config.signaling, port: 0 } }),
      /`signaling.port` must be at least 1/,
    ],
    ['an unknown codec', JSON.stringify({ ...config, codec: 'HEVC' }), /`codec` must be one of/],
  ])('refuses %s with the field named', (_name, text, message) => {
    const parsed = parseConfigText(text);
    expect(!parsed.ok && parsed.error).toMatch(message);
  });

  it.each([
    ['a rotation of 45', { rotation: 45 }, /`rotation` must be/],
    ['a volume of 150', { volume: 150 }, /`volume` must be at most 100/],
    ['an unknown degradation', { degradation: 'fast' }, /`degradation` must be one of/],
    ['a PIN kept in clear', { pin: '1234' }, /`pin` must be/],
    ['an ICE server without urls', { iceServers: [{ username: 'u' }] }, /`iceServers.0.urls`/],
    [
      'a TURN server named by a stun: URL',
      { signaling: { ...config.signaling, turn: { urls: ['stun:t'], secret: 's' } } },
      /`signaling.turn.urls.0` must be a TURN URL starting with turn: or turns:\.$/,
    ],
    [
      'a TURN server without a secret',
      { signaling: { ...config.signaling, turn: { urls: ['turn:t'] } } },
      /`signaling.turn.secret` is required/,
    ],
    [
      'TURN credentials for under a minute',
      { signaling: { ...config.signaling, turn: { urls: ['turn:t'], secret: 's', ttl: 30 } } },
      /`signaling.turn.ttl` must be at least 60/,
    ],
  ])('refuses %s', (_name, change, message) => {
    const parsed = parseConfigText(JSON.stringify({ ...config, ...change }));
    expect(!parsed.ok && parsed.error).toMatch(message);
  });

  it("keeps the partner's fingerprint as SDP writes it, whatever case and colons the file gives", () => {
    const hex = '3fa05c11d27e904baa06e138c5721df9640b8e2357c09a41ef1276d83ba50c9c';
    const parsed = parseConfigText(JSON.stringify({ ...config, partnerFingerprint: hex }));
    expect(parsed.ok && parsed.config.partnerFingerprint).toBe(hex.toUpperCase().match(/../g)!.join(':'));
    const bad = parseConfigText(JSON.stringify({ ...config, partnerFingerprint: 'AB:CD' }));
    expect(!bad.ok && bad.error).toBe(
      "In the config file, `partnerFingerprint` must be a sha-256 fingerprint: 64 hex digits, in pairs separated by colons or not (such as 3F:A0:...:9C, as the partner's settings show it), and it has 4 hex digits: got 'AB:CD'.",
    );
  });

  it('reads a version 4 file as one with no partner pinned', () => {
    const { partnerFingerprint: _f, ...v4 } = config;
    expect(parseConfigText(JSON.stringify({ ...v4, version: 4 }))).toEqual({ ok: true, config, migratedFrom: 4 });
  });

  it('migrates a version 1 file, and refuses versions it has no way from', () => {
    const {
      version: _v,
      iceServers: _i,
      microphone: _m,
      speaker: _s,
      volume: _vo,
      degradation: _d,
      mirror: _mi,
      rotation: _r,
      pin: _p,
      ...v1
    } = config;
    const parsed = parseConfigText(JSON.stringify({ ...v1, version: 1 }));
    expect(parsed).toEqual({ ok: true, config, migratedFrom: 1 });
    expect(parseConfigText(JSON.stringify({ ...v1, version: 0 }))).toEqual({
      ok: false,
      error: 'The config file is version 0, which this Portal cannot read.',
    });
  });

  it('never quotes the TURN secret back', () => {
    const turn = { urls: ['turn:t'], secret: 'q'.repeat(300) };
    const parsed = parseConfigText(JSON.stringify({ ...config, signaling: { ...config.signaling, turn } }));
    expect(!parsed.ok && parsed.error).toMatch(/`signaling.turn.secret` must be at most 256 characters/);
    expect(!parsed.ok && parsed.error).not.toMatch(/qqq/);
  });

  it('never quotes the key back', () => {
    const parsed = parseConfigText(JSON.stringify({ ...config, key: 's'.repeat(300) }));
    expect(!parsed.ok && parsed.error).toMatch(/`key` must be at most 256 characters/);
    expect(!parsed.ok && parsed.error).not.toMatch(/sss/);
  });
});
