// The renderer's way to its kiosk host, whichever shell runs it: the Electron preload's
// `window.portal` verbs, or the HTTP bridge when the supervised Chromium opened the page with
// `#bridge=SECRET`. A plain web page has neither and takes its settings from the URL.

import type { BridgeArgs, BridgeCall, PortalBridgeApi } from '../../native-bridge/contract.js';
import { HttpBridgeClient } from './http-bridge-client.js';

export interface BridgeClient {
  call<C extends BridgeCall>(call: C, args: BridgeArgs<C>): Promise<unknown>;
}

export function connectBridge(): BridgeClient | null {
  const api = (window as { portal?: PortalBridgeApi }).portal;
  if (api !== undefined) {
    return {
      call: (call, args) =>
        (api[call] as (args: unknown) => Promise<unknown>)(args).catch((error: unknown) => {
          // Electron wraps what the host threw: "Error invoking remote method 'portal:x': Error: ...".
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(message.replace(/^Error invoking remote method '[^']*': (?:Error: )?/, ''));
        }),
    };
  }
  return HttpBridgeClient.fromLocation(location.hash);
}
