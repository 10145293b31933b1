import { BRIDGE_CALLS } from '../../../native-bridge/contract.js';
import { describe, expect, it, vi } from 'vitest';

const exposed = new Map<string, unknown>();
const invoke = vi.fn((channel: string, args: unknown) => Promise.resolve({ channel, args }));
const subscribed = new Map<string, (event: unknown, payload: unknown) => void>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.set(name, api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, handler: (event: unknown, payload: unknown) => void) => subscribed.set(channel, handler),
    removeListener: (channel: string) => subscribed.delete(channel),
  },
}));

describe('the preload', () => {
  it("puts one verb per bridge call and `on` on window.portal, and nothing else of Electron's", async () => {
    await import('../../../native-bridge/preload.js');
    expect([...exposed.keys()]).toEqual(['portal']);
    const api = exposed.get('portal') as Record<string, (args: unknown) => Promise<unknown>>;
    expect(Object.keys(api).sort()).toEqual([...BRIDGE_CALLS, 'on'].sort());
    await expect(api['reportState']!({ state: 'live', error: null })).resolves.toEqual({
      channel: 'portal:reportState',
      args: { state: 'live', error: null },
    });
    expect(Object.values(api).every((verb) => typeof verb === 'function')).toBe(true);
  });

  it('hands the page an event payload, never the IPC event, and stops when asked', async () => {
    await import('../../../native-bridge/preload.js');
    const on = exposed.get('portal') as {
      on: (event: string, listener: (payload: unknown) => void) => () => void;
    };
    const seen: unknown[][] = [];
    const stop = on.on('settingsChanged', (...args) => seen.push(args));
    subscribed.get('portal:event:settingsChanged')!({ sender: 'the host' }, { settings: 'x' });
    expect(seen).toEqual([[{ settings: 'x' }]]);
    stop();
    expect(subscribed.has('portal:event:settingsChanged')).toBe(false);
    expect(() => on.on('toString', () => undefined)).toThrow(/No bridge event named 'toString'/);
  });
});
