import { describe, expect, it } from 'vitest';
import { linkParams, parseLinkSettings } from '../../../../app/config/link-settings.js';

describe('parseLinkSettings', () => {
  it('applies the surface defaults', () => {
    expect(parseLinkSettings({ room: 'lobby', site: 'dublin' })).toEqual({
      ok: true,
      settings: {
        room: 'lobby',
        site: 'dublin',
        key: null,
        signal: null,
        camera: null,
        microphone: null,
        speaker: null,
        width: 1280,
        height: 720,
        fps: 30,
        audio: false,
        volume: 100,
        codec: null,
        maxBitrate: null,
        degradation: 'maintain-framerate',
        iceServers: [],
        relay: false,
        preview: false,
        fit: 'contain',
        mirror: false,
        rotation: 0,
        audioMinutes: 0,
        hours: '24/7',
        timezone: null,
        closedDisplay: 'clock',
        partnerFingerprint: null,
      },
    });
  });

  it('reads every parameter', () => {
    const iceServers = [{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'c' }];
    const result = parseLinkSettings({
      room: 'r',
      site: 's',
      key: 'k',
      signal: 'wss://example.test/signal',
      camera: 'test-pattern',
      width: '640',
      height: '480',
      fps: '15',
      audio: '1',
      codec: 'vp9',
      maxBitrate: '800',
      iceServers: JSON.stringify(iceServers),
      relay: '1',
      preview: '1',
      fit: 'cover',
      microphone: 'USB Audio',
      speaker: 'HDMI',
      volume: '40',
      degradation: 'balanced',
      mirror: '1',
      rotation: '270',
      audioMinutes: '10',
      hours: 'Mon-Fri  08:00-20:00; sat,sun 10:00-16:00;',
      timezone: 'Europe/Dublin',
      closedDisplay: 'off',
      // Any case, colons or none: written back as SDP writes it.
      partnerFingerprint: '3fa05c11d27e904baa06e138c5721df9640b8e2357c09a41ef1276d83ba50c9c',
    });
    expect(result).toEqual({
      ok: true,
      settings: {
        room: 'r',
        site: 's',
        key: 'k',
        signal: 'wss://example.test/signal',
        camera: 'test-pattern',
        microphone: 'USB Audio',
        speaker: 'HDMI',
        width: 640,
        height: 480,
        fps: 15,
        audio: true,
        volume: 40,
        codec: 'VP9',
        maxBitrate: 800,
        degradation: 'balanced',
        iceServers,
        relay: true,
        preview: true,
        fit: 'cover',
        mirror: true,
        rotation: 270,
        audioMinutes: 10,
        hours: 'mon-fri 08:00-20:00; sat,sun 10:00-16:00',
        timezone: 'Europe/Dublin',
        closedDisplay: 'off',
        partnerFingerprint:
          '3F:A0:5C:11:D2:7E:90:4B:AA:06:E1:38:C5:72:1D:F9:64:0B:8E:23:57:C0:9A:41:EF:12:76:D8:3B:A5:0C:9C',
      },
    });
  });

  it('names every missing or bad parameter in a message a person can act on', () => {
    const result = parseLinkSettings({
      fit: 'stretch',
      rotation: '45',
      degradation: 'fast',
      volume: '101',
      width: 'abc',
      fps: '0',
      codec: 'HEVC',
      relay: 'yes',
      iceServers: '[oops',
      signal: 'http://x',
      hours: 'mon-fri 08:00-20:00; sat 10:00',
      timezone: 'Mars/Olympus',
      audioMinutes: '-1',
      partnerFingerprint: 'AB:CD:EF',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byParameter = Object.fromEntries(result.errors.map((e) => [e.parameter, e.message]));
    expect(byParameter).toEqual({
      room: expect.stringMatching(/`room` is missing/),
      site: expect.stringMatching(/`site` is missing/),
      width: "`width` must be a whole number from 160 to 3840, got 'abc'",
      fps: "`fps` must be a whole number from 1 to 60, got '0'",
      codec: "`codec` must be one of VP8, VP9, H264, AV1 (or empty for the browser's choice), got 'HEVC'",
      relay: "`relay` must be 1 or 0, got 'yes'",
      fit: "`fit` must be one of contain, cover, got 'stretch'",
      iceServers: expect.stringMatching(/^`iceServers` must be a URL-encoded JSON array .*, got '\[oops'$/),
      signal: "`signal` must be a ws:// or wss:// URL (or empty for the page's own server), got 'http://x'",
      hours: "`hours` rule 2 ('sat 10:00'): '10:00' must be a time range such as 08:00-20:00",
      timezone: "`timezone` must be a time zone name such as Europe/Dublin or America/New_York, got 'Mars/Olympus'",
      audioMinutes: "`audioMinutes` must be a whole number of minutes from 0 to 1440, got '-1'",
      rotation: "`rotation` must be 0, 90, 180 or 270, got '45'",
      degradation: "`degradation` must be one of maintain-framerate, maintain-resolution, balanced, got 'fast'",
      volume: "`volume` must be a whole number from 0 to 100, got '101'",
      partnerFingerprint:
        "`partnerFingerprint` must be a sha-256 fingerprint: 64 hex digits, in pairs separated by colons or not (such as 3F:A0:...:9C, as the partner's settings show it), and it has 6 hex digits: got 'AB:CD:EF'",
    });
  });

  it('refuses a signaling URL the browser could not open, such as a port past 65535', () => {
    const result = parseLinkSettings({ room: 'r', site: 's', signal: 'ws://127.0.0.1:99999/signal' });
    expect(!result.ok && result.errors.map((e) => e.parameter)).toEqual(['signal']);
  });

  it('refuses a site name the protocol would refuse', () => {
    const result = parseLinkSettings({ room: 'r', site: 'a b' });
    expect(!result.ok && result.errors).toEqual([
      { parameter: 'site', message: expect.stringMatching(/`site` must be 1-64 characters/) },
    ]);
  });
});

describe('linkParams', () => {
  it('is the inverse of parseLinkSettings, leaving defaults out', () => {
    const defaults = parseLinkSettings({ room: 'lobby', site: 'dublin' });
    if (!defaults.ok) throw new Error('bad fixture');
    expect(linkParams(defaults.settings)).toEqual({ room: 'lobby', site: 'dublin' });
    const every = parseLinkSettings({
      room: 'r',
      site: 's',
      key: 'k',
      signal: 'wss://example.test/signal',
      camera: 'test-pattern',
      microphone: 'USB',
      speaker: 'HDMI',
      width: '640',
      height: '480',
      fps: '15',
      audio: '1',
      volume: '40',
      codec: 'VP9',
      maxBitrate: '800',
      degradation: 'balanced',
      iceServers: JSON.stringify([{ urls: 'stun:s.example:3478' }]),
      relay: '1',
      preview: '1',
      fit: 'cover',
      mirror: '1',
      rotation: '90',
    });
    if (!every.ok) throw new Error('bad fixture');
    expect(parseLinkSettings(linkParams(every.settings))).toEqual(every);
  });
});
