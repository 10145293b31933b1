// The typed contract between a host (Electron main, or the supervised-Chromium host over HTTP)
// and the renderer: one entry per call, with its arguments' and result's schemas, and one entry
// per event from host to page, with its payload's. Adding a call or an event is adding an entry
// (app/bridge/bridge-schemas.ts) and its name (channels.ts); the compiler holds the two lists to
// each other. A host's one wrapper per transport parses every call's arguments before a handler
// runs; the page parses every result and payload as it arrives.

import {
  BRIDGE_EVENT_SCHEMAS,
  BRIDGE_SCHEMAS,
  type BridgeArgs,
  type BridgeCall,
  type BridgeEvent,
  type BridgePayload,
  type BridgeResult,
} from '../app/bridge/bridge-schemas.js';
import { BRIDGE_CALL_NAMES, BRIDGE_EVENT_NAMES, type BridgeCallName, type BridgeEventName } from './channels.js';

export { bridgeChannel, bridgeEventChannel } from './channels.js';
export {
  parseBridgeArgs,
  parseBridgePayload,
  parseBridgeResult,
  PortalStateReportSchema,
  type BridgeArgs,
  type BridgeCall,
  type BridgeEvent,
  type BridgeParse,
  type BridgePayload,
  type BridgeResult,
  type PortalStateReport,
} from '../app/bridge/bridge-schemas.js';

export const BRIDGE_CONTRACT = BRIDGE_SCHEMAS satisfies { readonly [C in BridgeCallName]: unknown };
export const BRIDGE_EVENTS = BRIDGE_EVENT_SCHEMAS satisfies { readonly [E in BridgeEventName]: unknown };
export const BRIDGE_CALLS: readonly BridgeCall[] = BRIDGE_CALL_NAMES satisfies readonly BridgeCall[];
export const BRIDGE_EVENT_LIST: readonly BridgeEvent[] = BRIDGE_EVENT_NAMES satisfies readonly BridgeEvent[];

/** What a host does for each call, with arguments already parsed. Both transports take these. */
export type BridgeHandlers = {
  readonly [C in BridgeCall]: (args: BridgeArgs<C>) => Answer<BridgeResult<C>> | Promise<Answer<BridgeResult<C>>>;
};
/** A call that answers nothing (null) may simply return. */
type Answer<R> = R extends null ? R | void : R;

/** How a host tells its page an event; each transport delivers it its own way. */
export type BridgeEmit = <E extends BridgeEvent>(event: E, payload: BridgePayload<E>) => void;

/**
 * What the Electron preload puts on `window.portal`: one verb per call, each answering with what
 * the host returned (parsed by the page, not trusted), and `on` for events.
 */
export type PortalBridgeApi = { readonly [C in BridgeCall]: (args: BridgeArgs<C>) => Promise<unknown> } & {
  /** Calls `listener` with each payload of `event` (unparsed); answers with a function that stops it. */
  readonly on: (event: BridgeEvent, listener: (payload: unknown) => void) => () => void;
};

export function isBridgeCall(value: string): value is BridgeCall {
  return Object.hasOwn(BRIDGE_CONTRACT, value);
}
