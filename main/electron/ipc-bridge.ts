// The one IPC wrapper: every bridge call is registered here, its sender frame checked (only
// Portal's own page may call) and its payload parsed with the contract before a handler runs.

import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Logger } from '../../app/log/logger.js';
import { BRIDGE_CALLS, bridgeChannel, parseBridgeArgs, type BridgeHandlers } from '../../native-bridge/contract.js';
import { isPortalUrl } from './portal-origin.js';

/** Registers every call; the returned function removes them again (a restarted host registers anew). */
export function registerBridge(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: BridgeHandlers,
  logger: Logger,
): () => void {
  for (const call of BRIDGE_CALLS) {
    ipcMain.handle(bridgeChannel(call), (event: IpcMainInvokeEvent, payload: unknown) => {
      const url = event.senderFrame?.url ?? '';
      if (!isPortalUrl(url)) {
        logger.warn('bridge-refused', { call, reason: 'sender' });
        throw new Error(`Bridge call ${call} refused: only Portal's own page may call the bridge.`);
      }
      const parsed = parseBridgeArgs(call, payload);
      if (!parsed.ok) {
        logger.warn('bridge-refused', { call, reason: 'payload' });
        throw new Error(parsed.error);
      }
      return (handlers[call] as (args: unknown) => unknown)(parsed.value);
    });
  }
  return () => {
    for (const call of BRIDGE_CALLS) ipcMain.removeHandler(bridgeChannel(call));
  };
}
