import { describe, expect, it } from 'vitest';
import { adminSettingsFromConfig } from '../../../app/admin/admin-settings.js';
import { defaultConfig } from '../../../app/config/portal-config.js';
import {
  BRIDGE_CALLS,
  isBridgeCall,
  parseBridgeArgs,
  parseBridgePayload,
  parseBridgeResult,
} from '../../../native-bridge/contract.js';

describe('the bridge contract', () => {
  it('accepts a state report and drops fields it does not know', () => {
    expect(parseBridgeArgs('reportState', { state: 'live', error: null, extra: 1 })).toEqual({
      ok: true,
      value: { state: 'live', error: null },
    });
    expect(parseBridgeArgs('reportState', { state: 'error', error: 'room-full' }).ok).toBe(true);
    expect(parseBridgeArgs('getSettings', null)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['reportState', undefined, /Bridge call reportState: `arguments` is required/],
    ['reportState', 'live', /`arguments` must be an object/],
    ['reportState', { state: 'dancing', error: null }, /`state` must be one of "starting"/],
    ['reportState', { state: 'live' }, /`error` is required/],
    ['reportState', { state: 'error', error: 'DROP TABLE' }, /`error` must be an error code such as room-full/],
    ['getSettings', {}, /Bridge call getSettings: `arguments`/],
    ['setPin', { pin: 1234 }, /Bridge call setPin: `pin` must be a string/],
    ['unlock', { pin: 'x'.repeat(65) }, /`pin` must be at most 64 characters/],
    ['getAdminSettings', { token: 'short' }, /`token` must be at least 16 characters/],
    [
      'saveAdminSettings',
      { token: 't'.repeat(32), settings: { site: 'x' } },
      /Bridge call saveAdminSettings: `settings.room` is required/,
    ],
    ['restart', null, /Bridge call restart: `arguments` must be an object/],
  ] as const)('refuses %s(%j) with a clear error', (call, args, message) => {
    const parsed = parseBridgeArgs(call, args);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it("knows its own calls, and none of an object's inherited names", () => {
    expect(BRIDGE_CALLS.every(isBridgeCall)).toBe(true);
    expect(isBridgeCall('toString')).toBe(false);
    expect(isBridgeCall('__proto__')).toBe(false);
  });

  it('parses what the host answers, so a page never runs on a malformed answer', () => {
    expect(parseBridgeResult('unlock', { ok: false, lockedMs: 1000, triesLeft: 0 })).toEqual({
      ok: true,
      value: { ok: false, lockedMs: 1000, triesLeft: 0 },
    });
    expect(parseBridgeResult('unlock', { ok: true, token: 't' }).ok).toBe(true);
    expect(parseBridgeResult('reportState', undefined)).toEqual({ ok: true, value: null });
    const wrong = parseBridgeResult('getSettings', { settings: { room: 'r' }, warning: null });
    expect(!wrong.ok && wrong.error).toMatch(/^The answer to getSettings: `settings\.\w+` /);
    const payload = parseBridgePayload('settingsChanged', { settings: null });
    expect(!payload.ok && payload.error).toMatch(/^The event settingsChanged: `settings` must be an object/);
  });

  it("checks the pairing code's candidate addresses a host answers with", () => {
    const settings = adminSettingsFromConfig(defaultConfig('dublin', 'k'.repeat(24)));
    const lan = { url: 'ws://192.168.1.20:8787/signal', interface: 'enp3s0' };
    const answer = { settings, pairingSignal: lan.url, pairingSignals: [lan] };
    expect(parseBridgeResult('getAdminSettings', answer)).toMatchObject({ ok: true, value: { pairingSignals: [lan] } });
    expect(parseBridgeResult('getAdminSettings', { ...answer, pairingSignal: null, pairingSignals: [] }).ok).toBe(true);
    const cases: Array<[unknown, RegExp]> = [
      [{ ...answer, pairingSignals: undefined }, /`pairingSignals` is required/],
      [
        { ...answer, pairingSignals: [{ ...lan, url: 'http://192.168.1.20/' }] },
        /`pairingSignals\.0\.url` must be a ws:\/\/ or wss:\/\/ URL/,
      ],
      [{ ...answer, pairingSignals: [{ url: lan.url }] }, /`pairingSignals\.0\.interface` is required/],
      [{ ...answer, pairingSignals: [{ ...lan, interface: '' }] }, /`pairingSignals\.0\.interface`/],
      [
        { ...answer, pairingSignals: Array.from({ length: 33 }, () => lan) },
        /`pairingSignals` must hold at most 32 items/,
      ],
      [
        { ...answer, pairingSignal: 'ws://10.8.0.2:8787/signal' },
        /`pairingSignal` must be the first of pairingSignals/,
      ],
    ];
    for (const [wrong, message] of cases) {
      const parsed = parseBridgeResult('getAdminSettings', wrong);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(message);
    }
  });
});
