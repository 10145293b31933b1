// The sandboxed preload of the Electron kiosk window: `window.portal` gets one verb per bridge
// call, each a promise of the host's answer. No channel, no ipcRenderer and nothing of node
// reaches the page. Built into dist/preload/preload.cjs by native-bridge/vite.preload.config.ts:
// a sandboxed preload is a single script that can require only `electron`.

import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_CALL_NAMES, bridgeChannel } from './channels.js';

const verbs = Object.fromEntries(
  BRIDGE_CALL_NAMES.map((call) => [call, (args: unknown) => ipcRenderer.invoke(bridgeChannel(call), args)]),
);

contextBridge.exposeInMainWorld('portal', verbs);
