// The built preload as a sandboxed Electron renderer loads it: one CommonJS script whose
// `require` knows only `electron`. A preload that reached for any other file or module would
// fail to load in the kiosk window and leave the page without its bridge.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { BRIDGE_CALLS } from '../../../native-bridge/contract.js';
import { describe, expect, it } from 'vitest';

const BUILT_PRELOAD = fileURLToPath(new URL('../../../dist/preload/preload.cjs', import.meta.url));

describe('the built preload', () => {
  it('loads with nothing but electron and exposes the bridge verbs and events', async () => {
    const exposed = new Map<string, Record<string, (args: unknown) => Promise<unknown>>>();
    const invoked: Array<[string, unknown]> = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, api: never) => exposed.set(name, api) },
      ipcRenderer: {
        invoke: (channel: string, args: unknown) => {
          invoked.push([channel, args]);
          return Promise.resolve('answer');
        },
        on: () => undefined,
        removeListener: () => undefined,
      },
    };
    const sandboxedRequire = (name: string): unknown => {
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require '${name}'`);
    };
    const module = { exports: {} };
    runInNewContext(readFileSync(BUILT_PRELOAD, 'utf8'), {
      require: sandboxedRequire,
      module,
      exports: module.exports,
    });
    const api = exposed.get('portal')!;
    expect(Object.keys(api).sort()).toEqual([...BRIDGE_CALLS, 'on'].sort());
    await expect(api['getSettings']!(null)).resolves.toBe('answer');
    expect(invoked).toEqual([['portal:getSettings', null]]);
  });
});
