// The renderer's way to its kiosk host, whichever shell runs it: the Electron preload's
// `window.portal` verbs, or the HTTP bridge when the supervised Chromium opened the page with
// `#bridge=SECRET`. A plain web page has neither and takes its settings from the URL. Every
// answer and event is parsed as it arrives: the page trusts the contract, not the transport.

import { parseBridgePayload, parseBridgeResult } from '../../app/bridge/bridge-schemas.js';
import type {
  BridgeArgs,
  BridgeCall,
  BridgeEvent,
  BridgePayload,
  BridgeResult,
  PortalBridgeApi,
} from '../../native-bridge/contract.js';
import { HttpBridgeClient } from './http-bridge-client.js';

export interface BridgeClient {
  call<C extends BridgeCall>(call: C, args: BridgeArgs<C>): Promise<BridgeResult<C>>;
  /** Calls `listener` with each event of the kind; answers with a function that stops it. */
  on<E extends BridgeEvent>(event: E, listener: (payload: BridgePayload<E>) => void): () => void;
}

/** A transport's raw calls and events; the client parses what they bring. */
export interface BridgeTransport {
  call(call: BridgeCall, args: unknown): Promise<unknown>;
  on(event: BridgeEvent, listener: (payload: unknown) => void): () => void;
}

export function bridgeClient(transport: BridgeTransport): BridgeClient {
  return {
    async call(call, args) {
      const parsed = parseBridgeResult(call, await transport.call(call, args));
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.value;
    },
    on(event, listener) {
      return transport.on(event, (payload) => {
        const parsed = parseBridgePayload(event, payload);
        if (parsed.ok) listener(parsed.value);
        else console.warn(parsed.error);
      });
    },
  };
}

export function connectBridge(): BridgeClient | null {
  const api = (window as { portal?: PortalBridgeApi }).portal;
  if (api !== undefined) {
    return bridgeClient({
      call: (call, args) =>
        (api[call] as (args: unknown) => Promise<unknown>)(args).catch((error: unknown) => {
          // Electron wraps what the host threw: "Error invoking remote method 'portal:x': Error: ...".
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(message.replace(/^Error invoking remote method '[^']*': (?:Error: )?/, ''));
        }),
      on: (event, listener) => api.on(event, listener),
    });
  }
  const http = HttpBridgeClient.fromLocation(location.hash);
  return http === null ? null : bridgeClient(http);
}
