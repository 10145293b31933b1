import { describe, expect, it } from 'vitest';
import { BRIDGE_CALLS, isBridgeCall, parseBridgeArgs } from '../../../native-bridge/contract.js';

describe('the bridge contract', () => {
  it('accepts a state report and drops fields it does not know', () => {
    expect(parseBridgeArgs('reportState', { state: 'live', error: null, extra: 1 })).toEqual({
      ok: true,
      args: { state: 'live', error: null },
    });
    expect(parseBridgeArgs('reportState', { state: 'error', error: 'room-full' }).ok).toBe(true);
    expect(parseBridgeArgs('getSettings', null)).toEqual({ ok: true, args: null });
  });

  it.each([
    ['reportState', undefined, /Bridge call reportState: `arguments` is required/],
    ['reportState', 'live', /`arguments` must be an object/],
    ['reportState', { state: 'dancing', error: null }, /`state` must be one of "starting"/],
    ['reportState', { state: 'live' }, /`error` is required/],
    ['reportState', { state: 'error', error: 'DROP TABLE' }, /`error` must be an error code such as room-full/],
    ['getSettings', {}, /Bridge call getSettings: `arguments`/],
  ] as const)('refuses %s(%j) with a clear error', (call, args, message) => {
    const parsed = parseBridgeArgs(call, args);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('knows its calls and nothing else', () => {
    expect([...BRIDGE_CALLS].sort()).toEqual(['getSettings', 'reportState']);
    expect(isBridgeCall('reportState')).toBe(true);
    expect(isBridgeCall('toString')).toBe(false);
  });
});
