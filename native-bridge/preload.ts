// The sandboxed preload of the Electron kiosk window: `window.portal` gets one verb per bridge
// call, each a promise of the host's answer, and `on(event, listener)` for the host's events.
// No channel, no ipcRenderer and nothing of node reaches the page. Built into
// dist/preload/preload.cjs by native-bridge/vite.preload.config.ts: a sandboxed preload is a
// single script that can require only `electron`.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_CALL_NAMES,
  BRIDGE_EVENT_NAMES,
  bridgeChannel,
  bridgeEventChannel,
  type BridgeEventName,
} from './channels.js';

const verbs = Object.fromEntries(
  BRIDGE_CALL_NAMES.map((call) => [call, (args: unknown) => ipcRenderer.invoke(bridgeChannel(call), args)]),
);

function on(event: BridgeEventName, listener: (payload: unknown) => void): () => void {
  if (!(BRIDGE_EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`No bridge event named '${event}'.`);
  // The page sees the payload only: never the IPC event, which carries the sender.
  const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
  ipcRenderer.on(bridgeEventChannel(event), handler);
  return () => void ipcRenderer.removeListener(bridgeEventChannel(event), handler);
}

contextBridge.exposeInMainWorld('portal', { ...verbs, on });
