import { BRIDGE_CALLS } from '../../../native-bridge/contract.js';
import { describe, expect, it, vi } from 'vitest';

const exposed = new Map<string, unknown>();
const invoke = vi.fn((channel: string, args: unknown) => Promise.resolve({ channel, args }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.set(name, api) },
  ipcRenderer: { invoke },
}));

describe('the preload', () => {
  it("puts one verb per bridge call on window.portal, and nothing else of Electron's", async () => {
    await import('../../../native-bridge/preload.js');
    expect([...exposed.keys()]).toEqual(['portal']);
    const api = exposed.get('portal') as Record<string, (args: unknown) => Promise<unknown>>;
    expect(Object.keys(api).sort()).toEqual([...BRIDGE_CALLS].sort());
    await expect(api['reportState']!({ state: 'live', error: null })).resolves.toEqual({
      channel: 'portal:reportState',
      args: { state: 'live', error: null },
    });
    expect(Object.values(api).every((verb) => typeof verb === 'function')).toBe(true);
  });
});
