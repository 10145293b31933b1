import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../app/log/logger.js';
import { registerBridge } from '../../../../main/electron/ipc-bridge.js';
import { BRIDGE_CALLS, type BridgeHandlers } from '../../../../native-bridge/contract.js';

type Listener = (event: IpcMainInvokeEvent, payload: unknown) => unknown;

function fakeIpc() {
  const listeners = new Map<string, Listener>();
  return {
    listeners,
    handle: (channel: string, listener: Listener) => void listeners.set(channel, listener),
    removeHandler: (channel: string) => void listeners.delete(channel),
    invoke: (channel: string, url: string | null, payload: unknown) =>
      listeners.get(channel)!({ senderFrame: url === null ? null : { url } } as unknown as IpcMainInvokeEvent, payload),
  };
}

function setup() {
  const ipc = fakeIpc();
  const handlers = {
    ...Object.fromEntries(BRIDGE_CALLS.map((call) => [call, vi.fn(() => null)])),
    reportState: vi.fn(() => undefined),
    getSettings: vi.fn(() => ({ room: 'r' })),
  } as unknown as BridgeHandlers;
  const unregister = registerBridge(ipc, handlers, silentLogger);
  return { ipc, handlers, unregister };
}

describe('the IPC bridge wrapper', () => {
  it('registers one channel per contract call, and removes them again', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.listeners.keys()].sort()).toEqual(BRIDGE_CALLS.map((call) => `portal:${call}`).sort());
    unregister();
    expect(ipc.listeners.size).toBe(0);
  });

  it("runs the handler with parsed arguments for Portal's own page", () => {
    const { ipc, handlers } = setup();
    ipc.invoke('portal:reportState', 'app://portal/index.html', { state: 'live', error: null, junk: true });
    expect(handlers.reportState).toHaveBeenCalledWith({ state: 'live', error: null });
    expect(ipc.invoke('portal:getSettings', 'app://portal/', null)).toEqual({ room: 'r' });
  });

  it.each([['https://evil.example/'], ['app://portal.evil/'], ['file:///tmp/x.html'], [null]])(
    'refuses a call from %s before any handler runs',
    (url) => {
      const { ipc, handlers } = setup();
      expect(() => ipc.invoke('portal:reportState', url, { state: 'live', error: null })).toThrow(
        /only Portal's own page/,
      );
      expect(handlers.reportState).not.toHaveBeenCalled();
    },
  );

  it("refuses a bad payload with the contract's message", () => {
    const { ipc, handlers } = setup();
    expect(() => ipc.invoke('portal:reportState', 'app://portal/', { state: 'flying', error: null })).toThrow(
      /`state` must be one of/,
    );
    expect(handlers.reportState).not.toHaveBeenCalled();
  });
});
