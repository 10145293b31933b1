import { describe, expect, it } from 'vitest';
import {
  adminForm,
  adminSettingsFromConfig,
  adminSettingsFromLink,
  configWithAdminSettings,
  linkWithAdminSettings,
  pairingCode,
  parseAdminForm,
  parsePairingCode,
  type AdminForm,
} from '../../../../app/admin/admin-settings.js';
import { parseLinkSettings } from '../../../../app/config/link-settings.js';
import { defaultConfig, PortalConfigSchema } from '../../../../app/config/portal-config.js';

const config = defaultConfig('dublin', 'k'.repeat(24));
const form = (change: Partial<AdminForm> = {}): AdminForm => ({
  ...adminForm(adminSettingsFromConfig(config)),
  ...change,
});

describe('the admin settings form', () => {
  it('reads back what it shows, for a host and for a web page', () => {
    expect(parseAdminForm(form(), 'host')).toEqual({ ok: true, settings: adminSettingsFromConfig(config) });
    const link = parseLinkSettings({ room: 'lobby', site: 'oslo', key: 'k', width: '640', height: '480' });
    if (!link.ok) throw new Error('bad fixture');
    const settings = adminSettingsFromLink(link.settings);
    expect(parseAdminForm(adminForm(settings), 'web')).toEqual({ ok: true, settings });
    expect(linkWithAdminSettings(settings)).toEqual(link.settings);
  });

  it('gives every wrong field its own message, led by its label', () => {
    const parsed = parseAdminForm(
      form({
        site: 'a b',
        maxBitrate: 'abc',
        resolution: '99x99',
        fps: '0',
        iceServers: 'stun:stun.example.org:3478\nturn:turn.example.org:3478',
        signal: 'http://x',
        port: '70000',
        codec: 'HEVC',
      }),
      'host',
    );
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors).toEqual({
      site: "Site must be 1-64 characters of A-Z a-z 0-9 . _ -, got 'a b'.",
      maxBitrate: "Max bitrate must be a whole number of kbit/s from 50 to 100000 (or empty for no cap), got 'abc'.",
      resolution: "Resolution must be one of 640x480, 1280x720, 1920x1080, got '99x99'.",
      fps: "Frame rate must be a whole number from 1 to 60, got '0'.",
      iceServers: 'ICE servers line 2: a TURN server needs a username and a credential after its URL.',
      signal: "Signaling server must be a ws:// or wss:// URL (or empty for the page's own server), got 'http://x'.",
      port: "Port must be a whole number from 1 to 65535, got '70000'.",
      codec: "Codec must be one of VP8, VP9, H264, AV1 (or empty for the browser's choice), got 'HEVC'.",
    });
  });

  it("needs the partner's server when a host does not run its own, and a key", () => {
    const parsed = parseAdminForm(form({ hostSignaling: '0', signal: '', key: '' }), 'host');
    expect(!parsed.ok && parsed.errors).toEqual({
      signal: expect.stringMatching(/^Signaling server is needed when this site does not host the server/),
      key: 'Key is needed: both sites use the same key.',
    });
  });

  it('turns into a valid config that keeps the PIN and version', () => {
    const parsed = parseAdminForm(
      form({
        resolution: '640x480',
        maxBitrate: '900',
        iceServers: 'turn:turn.example.org:3478 user secret',
        rotation: '90',
        hostSignaling: '0',
        signal: 'ws://10.0.0.2:8787/signal',
      }),
      'host',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const pinned = {
      ...config,
      pin: { algorithm: 'PBKDF2-SHA256' as const, iterations: 600_000, salt: 's'.repeat(24), hash: 'h'.repeat(44) },
    };
    const next = configWithAdminSettings(pinned, parsed.settings);
    expect(PortalConfigSchema.parse(next)).toEqual(next);
    expect(next).toMatchObject({
      width: 640,
      height: 480,
      maxBitrate: 900,
      rotation: 90,
      pin: pinned.pin,
      version: config.version,
      signaling: { host: false, port: 8787, url: 'ws://10.0.0.2:8787/signal' },
      iceServers: [{ urls: 'turn:turn.example.org:3478', username: 'user', credential: 'secret' }],
    });
  });
});

describe('the pairing code', () => {
  const FP = '3F:A0:5C:11:D2:7E:90:4B:AA:06:E1:38:C5:72:1D:F9:64:0B:8E:23:57:C0:9A:41:EF:12:76:D8:3B:A5:0C:9C';

  it("carries room, key, signaling server and the giving site's fingerprint to the partner", () => {
    const code = pairingCode('lobby', 'k ;=/%', 'wss://portal.example.org/signal', FP);
    expect(code).toMatch(/^portal-pair:v2;room=lobby;key=.*;fingerprint=3FA05C11[0-9A-F]{56}$/);
    expect(parsePairingCode(`  ${code}\n`)).toEqual({
      ok: true,
      room: 'lobby',
      key: 'k ;=/%',
      signal: 'wss://portal.example.org/signal',
      fingerprint: FP,
    });
  });

  it('is a v1 code, as older Portals read it, when there is no fingerprint to give', () => {
    const code = pairingCode('lobby', 'k', 'ws://10.0.0.2:8787/signal');
    expect(code).toBe('portal-pair:v1;room=lobby;key=k;signal=ws%3A%2F%2F10.0.0.2%3A8787%2Fsignal');
    expect(parsePairingCode(code)).toEqual({
      ok: true,
      room: 'lobby',
      key: 'k',
      signal: 'ws://10.0.0.2:8787/signal',
      fingerprint: null,
    });
  });

  it('reads a v2 code whose fingerprint is written in lower case or with colons', () => {
    const parsed = parsePairingCode(`portal-pair:v2;room=lobby;fingerprint=${encodeURIComponent(FP.toLowerCase())}`);
    expect(parsed.ok && parsed.fingerprint).toBe(FP);
  });

  it.each([
    ['no code at all', 'hello', /starts with portal-pair:v2 \(or v1\)/],
    ['a version run into its first field', 'portal-pair:v1room=lobby', /starts with portal-pair:v2/],
    ['no room', 'portal-pair:v1;key=k', /no valid room/],
    ['a server that is not ws://', 'portal-pair:v1;room=lobby;signal=http%3A%2F%2Fx', /no usable signaling server/],
    ['a damaged escape', 'portal-pair:v1;room=%E0%A4', /damaged/],
    ['a v2 code without its fingerprint', 'portal-pair:v2;room=lobby;key=k', /fingerprint .*missing or damaged/],
    ['a v2 code with a cut fingerprint', 'portal-pair:v2;room=lobby;fingerprint=3FA05C', /missing or damaged/],
    [
      'a code from a newer Portal',
      'portal-pair:v3;room=lobby',
      /version 3, newer than this Portal reads .*update Portal/,
    ],
  ])('refuses %s with a sentence', (_what, code, message) => {
    const parsed = parsePairingCode(code);
    expect(!parsed.ok && parsed.error).toMatch(message);
  });
});
